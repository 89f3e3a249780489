/*
 * blocks: blocklists, the SQL for the blocks table.
 *
 * A row (user_id, blocked_host, blocked_local) means the user never sees
 * messages from that address; the blocked account need not exist.  Lists
 * travel as one text[] parameter, so a whole list is one statement.
 */
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "util.h"

/*
 * Replacements lock the owner's row first, in a statement of their own:
 * the replacing statement then starts with a snapshot that holds the
 * last committed list, so two concurrent replacements end in one of the
 * two lists, never their union.  Callers run both in one transaction.
 */
static const struct db_stmt st_lock = { "blocks_lock",
	"SELECT 1 FROM users WHERE id = $1 FOR UPDATE", 1, 0 };
static const struct db_stmt st_lock_named = { "blocks_lock_named",
	"SELECT 1 FROM users WHERE host = $1 AND localpart = lower($2)"
	" FOR UPDATE", 2, 0 };

/* Replace: drop what is not in the new list, add what is new. */
static const struct db_stmt st_replace = { "blocks_replace",
	"WITH d AS (DELETE FROM blocks WHERE user_id = $1"
	"  AND NOT (blocked_host = $2 AND blocked_local = ANY ($3::text[])))"
	" INSERT INTO blocks (user_id, blocked_host, blocked_local)"
	" SELECT $1, $2, x FROM unnest($3::text[]) AS x"
	" ON CONFLICT DO NOTHING",
	3, DB_IDEMPOTENT };

/* Every registered user named blocks every other name in the list. */
static const struct db_stmt st_mutual = { "blocks_mutual",
	"INSERT INTO blocks (user_id, blocked_host, blocked_local)"
	" SELECT u.id, $1, x FROM users u, unnest($2::text[]) AS x"
	" WHERE u.host = $1 AND u.localpart = ANY ($2::text[])"
	"  AND u.localpart <> x"
	" ON CONFLICT DO NOTHING",
	2, DB_IDEMPOTENT };

/* Replace with "local@host" entries, any hosts. */
static const struct db_stmt st_set = { "blocks_set",
	"WITH n AS (SELECT split_part(x, '@', 2) AS h, split_part(x, '@', 1)"
	"  AS l FROM unnest($2::text[]) AS x),"
	" d AS (DELETE FROM blocks WHERE user_id = $1 AND (blocked_host,"
	"  blocked_local) NOT IN (SELECT h, l FROM n))"
	" INSERT INTO blocks (user_id, blocked_host, blocked_local)"
	" SELECT $1, h, l FROM n ON CONFLICT DO NOTHING",
	2, DB_IDEMPOTENT };

/*
 * BareRTC's list for a username, kept as sent; the account of that name
 * (in any case, as accounts are) gets the account names in it as its
 * blocks, replacing them.  Several spellings of one account: the last
 * list pushed wins.
 */
static const struct db_stmt st_named = { "blocks_named",
	"WITH w AS (INSERT INTO web_blocklists (host, username, blocklist)"
	"  VALUES ($1, $2, $3::text[]) ON CONFLICT (host, username) DO UPDATE"
	"  SET blocklist = EXCLUDED.blocklist, changed_at = now()),"
	" u AS (SELECT id FROM users WHERE host = $1 AND localpart = lower($2)),"
	" n AS (SELECT DISTINCT lower(x) AS x FROM unnest($3::text[]) AS x"
	"  WHERE lower(x) ~ '^[a-z0-9._-]{1,64}$'),"
	" d AS (DELETE FROM blocks b USING u WHERE b.user_id = u.id"
	"  AND NOT (b.blocked_host = $1 AND b.blocked_local IN"
	"  (SELECT x FROM n)))"
	" INSERT INTO blocks (user_id, blocked_host, blocked_local)"
	" SELECT u.id, $1, n.x FROM u, n ON CONFLICT DO NOTHING",
	3, DB_IDEMPOTENT };

static const struct db_stmt st_list = { "blocks_list",
	"SELECT blocked_local || '@' || blocked_host FROM blocks"
	" WHERE user_id = $1 ORDER BY blocked_host COLLATE \"C\","
	" blocked_local COLLATE \"C\"",
	1, DB_IDEMPOTENT };

/* A PostgreSQL text[] literal, every element quoted. */
char *
blocks_array(const char *const *v, size_t n)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p;
	size_t		 i;

	buf_addc(&b, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_addc(&b, '"');
		for (p = v[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '"');
	}
	buf_addc(&b, '}');
	return b.p;
}

/* The user's blocklist on host becomes exactly the localparts in arr
 * (in a transaction). */
enum db_status
blocks_replace(const char *user_id, const char *host, const char *arr)
{
	const char	*p[] = { user_id, host, arr };
	enum db_status	 s;

	if ((s = db_exec(&st_lock, p, NULL)) != DB_OK)
		return s;
	return db_exec(&st_replace, p, NULL);
}

/* arr: a text[] literal of "local@host" entries (in a transaction). */
enum db_status
blocks_set(const char *user_id, const char *arr)
{
	const char	*p[] = { user_id, arr };
	enum db_status	 s;

	if ((s = db_exec(&st_lock, p, NULL)) != DB_OK)
		return s;
	return db_exec(&st_set, p, NULL);
}

enum db_status
blocks_mutual(const char *host, const char *arr)
{
	const char	*p[] = { host, arr };

	return db_exec(&st_mutual, p, NULL);
}

/* The user's blocked addresses, "local@host", sorted; caller frees. */
enum db_status
blocks_list(const char *user_id, struct strlist *out)
{
	const char	*p[] = { user_id };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i, n;

	out->v = NULL;
	out->n = 0;
	if ((s = db_exec(&st_list, p, &res)) != DB_OK)
		goto out;
	n = PQntuples(res);
	out->v = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		out->v[out->n++] = xstrdup(PQgetvalue(res, i, 0));
out:
	PQclear(res);
	return s;
}

/* arr: the names as BareRTC sent them, a text[] literal (in a transaction). */
enum db_status
blocks_named(const char *host, const char *username, const char *arr)
{
	const char	*p[] = { host, username, arr };
	enum db_status	 s;

	if ((s = db_exec(&st_lock_named, p, NULL)) != DB_OK)
		return s;
	return db_exec(&st_named, p, NULL);
}
