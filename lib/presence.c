/*
 * presence: last-seen times, written by every front door that
 * authenticates.  A user's row is written at most once per touch
 * interval: the UPDATE skips a row written within it, whichever process
 * (or CGI run) wrote it.  Each process also remembers whom it touched, so
 * a FastCGI process skips even the statement; those times are only a
 * filter, never read as state, so a stale entry costs at most one
 * skipped write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "presence.h"
#include "util.h"

#define PRESENCE_SLOTS	1024

/* A session that was absent for the window begins now (sessions.c). */
static const struct db_stmt st_touch = { "presence_touch",
	"UPDATE users SET last_seen = now(), session_started = CASE"
	"  WHEN last_seen IS NULL OR last_seen <= now() -"
	"  make_interval(secs => $3::int) THEN now() ELSE session_started END"
	" WHERE id = $1 AND (last_seen IS NULL"
	" OR last_seen <= now() - make_interval(secs => $2::int))",
	3, DB_IDEMPOTENT };

static struct {
	char	 id[24];
	time_t	 at;
} recent[PRESENCE_SLOTS];

enum db_status
presence_touch(const struct config *c, const struct user *u)
{
	char		 iv[32], w[32];
	const char	*p[] = { u->id, iv, w };
	size_t		 slot = (size_t)(strtoull(u->id, NULL, 10) % PRESENCE_SLOTS);
	time_t		 now = time(NULL);
	enum db_status	 s;

	if (strcmp(recent[slot].id, u->id) == 0 &&
	    now - recent[slot].at < c->presence_interval)
		return DB_OK;
	(void)snprintf(iv, sizeof(iv), "%ld", c->presence_interval);
	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	if ((s = db_exec(&st_touch, p, NULL)) == DB_OK) {
		(void)snprintf(recent[slot].id, sizeof(recent[slot].id), "%s",
		    u->id);
		recent[slot].at = now;
	}
	return s;
}

void
presence_forget(void)
{
	memset(recent, 0, sizeof(recent));
}

/* Users of host seen within the window, by localpart in byte order. */
static const struct db_stmt st_online = { "presence_online",
	"SELECT localpart FROM users WHERE host = $1 AND NOT disabled"
	" AND last_seen > now() - make_interval(secs => $2::int)"
	" ORDER BY localpart COLLATE \"C\"",
	2, DB_IDEMPOTENT };

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
