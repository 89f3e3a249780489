/*
 * threepids: third-party identifiers (email, msisdn), one owner each.
 *
 * Emails are stored lower-cased by PostgreSQL's lower() and matched the
 * same way, so writers and readers agree whatever the database's
 * collation; msisdns are stored as E.164 digits without '+'.
 */
#include <stdlib.h>
#include <string.h>

#include "threepids.h"
#include "util.h"

static const struct db_stmt st_list = { "threepids_list",
	"SELECT medium, address FROM threepids WHERE user_id = $1"
	" ORDER BY medium, address",
	1, DB_IDEMPOTENT };

/*
 * Every requested (medium, address) in one statement: the two arrays are
 * unnested side by side, each row keeps its position in the request.
 */
static const struct db_stmt st_find = { "threepids_find",
	"SELECT q.i - 1, u.localpart, u.host"
	" FROM unnest($1::text[], $2::text[]) WITH ORDINALITY"
	"   AS q(medium, address, i)"
	" JOIN threepids t ON t.medium = q.medium AND t.address ="
	"   CASE q.medium WHEN 'email' THEN lower(q.address)"
	"   ELSE q.address END"
	" JOIN users u ON u.id = t.user_id"
	" WHERE NOT u.disabled AND u.host = ANY ($3::text[])"
	" ORDER BY q.i",
	3, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_add = { "threepids_add",
	"INSERT INTO threepids (medium, address, user_id)"
	" VALUES ($2, CASE $2 WHEN 'email' THEN lower($3) ELSE $3 END, $1)"
	" ON CONFLICT (medium, address) DO NOTHING",
	3, 0 };

static const struct db_stmt st_owned = { "threepids_owned",
	"SELECT 1 FROM threepids WHERE user_id = $1 AND medium = $2 AND"
	" address = CASE $2 WHEN 'email' THEN lower($3) ELSE $3 END",
	3, DB_IDEMPOTENT };

static const struct db_stmt st_remove = { "threepids_remove",
	"DELETE FROM threepids WHERE user_id = $1 AND medium = $2 AND"
	" address = CASE $2 WHEN 'email' THEN lower($3) ELSE $3 END",
	3, 0 };

/*
 * The stored form of an address: emails as given (lower-cased by the
 * database), msisdns as 1-15 digits with one leading '+' dropped.
 * -1 for an unknown medium or an address that cannot be stored.
 */
int
threepids_normalise(const char *medium, const char *addr, size_t len,
    char out[THREEPID_ADDRESS_MAX + 1])
{
	size_t	 i;

	if (len == 0 || len > THREEPID_ADDRESS_MAX || strlen(addr) != len)
		return -1;
	if (strcmp(medium, "email") == 0) {
		memcpy(out, addr, len + 1);
		return 0;
	}
	if (strcmp(medium, "msisdn") != 0)
		return -1;
	if (addr[0] == '+') {
		addr++;
		len--;
	}
	if (len == 0 || len > 15)
		return -1;
	for (i = 0; i < len; i++)
		if (addr[i] < '0' || addr[i] > '9')
			return -1;
	memcpy(out, addr, len + 1);
	return 0;
}

/*
 * Whether an email address is worth storing: enough to catch typos; the
 * identity server owns real verification.
 */
int
threepids_email_valid(const char *s, size_t n)
{
	const char	*at;
	size_t		 i;

	if (n < 3 || n > THREEPID_EMAIL_MAX || strlen(s) != n)
		return 0;
	if ((at = strchr(s, '@')) == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL ||
	    at[1] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f ||
		    strchr("()<>,;:\\\"[]", s[i]) != NULL)
			return 0;
	return 1;
}

enum db_status
threepids_list(const char *user_id, threepids_fn fn, void *ctx)
{
	const char	*p[] = { user_id };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(&st_list, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++)
		fn(ctx, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
out:
	PQclear(res);
	return s;
}

/* A PostgreSQL array literal of n strings: {"a","b\"c"}. */
static void
array_literal(struct buf *b, const char *const *v, size_t n)
{
	const char	*p, *q;
	size_t		 i;

	buf_addc(b, '{');
	for (i = 0; i < n; i++) {
		buf_adds(b, i > 0 ? ",\"" : "\"");
		/* runs without a quote or backslash are copied whole */
		for (p = v[i]; *(q = p + strcspn(p, "\"\\")) != '\0';
		    p = q + 1) {
			buf_add(b, p, (size_t)(q - p));
			buf_addc(b, '\\');
			buf_addc(b, *q);
		}
		buf_add(b, p, (size_t)(q - p));
		buf_addc(b, '"');
	}
	buf_addc(b, '}');
}

/*
 * Look up n (medium, address) pairs, already normalised, owned by users
 * of the given hosts; fn is called once per hit with the pair's index.
 * One round trip whatever n is.
 */
enum db_status
threepids_find(const char *const *media, const char *const *addrs, size_t n,
    const struct strlist *hosts, threepids_hit_fn fn, void *ctx)
{
	struct buf	 bm = { NULL, 0, 0 }, ba = { NULL, 0, 0 };
	struct buf	 bh = { NULL, 0, 0 };
	const char	*p[3];
	PGresult	*res = NULL;
	enum db_status	 s = DB_OK;
	int		 i;

	if (n == 0)
		return DB_OK;
	array_literal(&bm, media, n);
	array_literal(&ba, addrs, n);
	array_literal(&bh, (const char *const *)hosts->v, hosts->n);
	p[0] = bm.p;
	p[1] = ba.p;
	p[2] = bh.p;
	if ((s = db_exec(&st_find, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++)
		fn(ctx, strtoul(PQgetvalue(res, i, 0), NULL, 10),
		    PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
out:
	PQclear(res);
	buf_free(&bm);
	buf_free(&ba);
	buf_free(&bh);
	return s;
}


/* *added is 0 when the address already has an owner (maybe this user). */
enum db_status
threepids_add(const char *user_id, const char *medium, const char *addr,
    int *added)
{
	const char	*p[] = { user_id, medium, addr };

	return db_exec_count(&st_add, p, added);
}

/* *mine is 1 when the (normalised) address is this user's. */
enum db_status
threepids_owned(const char *user_id, const char *medium, const char *addr,
    int *mine)
{
	const char	*p[] = { user_id, medium, addr };
	PGresult	*res = NULL;
	enum db_status	 s;

	*mine = 0;
	if ((s = db_exec(&st_owned, p, &res)) == DB_OK)
		*mine = PQntuples(res) > 0;
	PQclear(res);
	return s;
}

enum db_status
threepids_remove(const char *user_id, const char *medium, const char *addr,
    int *removed)
{
	const char	*p[] = { user_id, medium, addr };

	return db_exec_count(&st_remove, p, removed);
}
