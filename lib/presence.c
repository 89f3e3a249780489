/*
 * presence: last-seen times, written by every front door that
 * authenticates.  A user's row is written at most once per touch
 * interval.  Whether to skip the write is decided from the row that
 * authentication has just read (users_get), never from memory of this
 * process: a POST /api/disconnect/now that cleared last_seen in another
 * process is seen by the next request here, and costs no statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presence.h"
#include "util.h"

static const struct db_stmt st_touch = { "presence_touch",
	"UPDATE users SET last_seen = now() WHERE id = $1 AND (last_seen IS NULL"
	" OR last_seen <= now() - make_interval(secs => $2::int))",
	2, DB_IDEMPOTENT };

enum db_status
presence_touch(const struct config *c, const struct user *u)
{
	char		 iv[32];
	const char	*p[] = { u->id, iv };

	if (u->seen_known && u->seen_age >= 0 &&
	    u->seen_age < c->presence_interval)
		return DB_OK;
	(void)snprintf(iv, sizeof(iv), "%ld", c->presence_interval);
	return db_exec(&st_touch, p, NULL);
}

/* Users of host seen within the window, by localpart in byte order. */
static const struct db_stmt st_online = { "presence_online",
	"SELECT localpart FROM users WHERE host = $1 AND NOT disabled"
	" AND last_seen > now() - make_interval(secs => $2::int)"
	" ORDER BY localpart COLLATE \"C\"",
	2, DB_IDEMPOTENT | DB_REPLICA };

/* Forget the named users' presence; counts those who were present. */
static const struct db_stmt st_clear = { "presence_clear",
	"WITH o AS (SELECT id, NOT disabled AND last_seen > now() -"
	"  make_interval(secs => $3::int) AS present FROM users"
	"  WHERE host = $1 AND localpart = ANY ($2::text[])"
	"  AND last_seen IS NOT NULL FOR UPDATE),"
	" c AS (UPDATE users SET last_seen = NULL FROM o WHERE users.id = o.id)"
	" SELECT count(*) FILTER (WHERE present) FROM o",
	3, 0 };

/* The localparts present on host; the caller frees out->v and each. */
enum db_status
presence_online(const struct config *c, const char *host,
    struct strlist *out)
{
	char		 w[32];
	const char	*p[] = { host, w };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i, n;

	out->v = NULL;
	out->n = 0;
	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	if ((s = db_exec(&st_online, p, &res)) != DB_OK)
		goto out;
	n = PQntuples(res);
	out->v = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		out->v[out->n++] = xstrdup(PQgetvalue(res, i, 0));
out:
	PQclear(res);
	return s;
}

/* arr: a text[] literal of localparts on host. */
enum db_status
presence_clear(const struct config *c, const char *host, const char *arr,
    long *removed)
{
	char		 w[32];
	const char	*p[] = { host, arr, w };

	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	return db_exec_long(&st_clear, p, removed);
}
