/*
 * events: the live-event log of GET /api/sse (SQL for events).
 *
 * The rows are written by triggers on the archives (sql/008-events.sql,
 * made set-based by sql/015-events-fanout.sql) in the writer's
 * transaction; this module reads them (a user's newest event id, the
 * events after a stream's last one, the newest ids the events process
 * sweeps), prunes them, and announces them after the write (sql/015 says
 * why not in the trigger).
 */
#include <stdio.h>
#include <stdlib.h>

#include "events.h"
#include "log.h"

static const struct db_stmt st_head = { "events_head",
	"SELECT head FROM chatrest_event_heads(ARRAY[$1::bigint])", 1,
	DB_IDEMPOTENT };

/* For each (user, after): up to $3 events after it, oldest first. */
static const struct db_stmt st_fetch = { "events_fetch",
	"SELECT d.uid, e.eid, e.name, e.room_host, e.data"
	" FROM unnest($1::bigint[], $2::bigint[]) AS d (uid, after)"
	" CROSS JOIN LATERAL (SELECT eid, name, room_host, data FROM events"
	"  WHERE user_id = d.uid AND eid > d.after ORDER BY eid LIMIT $3) e"
	" ORDER BY d.uid, e.eid",
	3, DB_IDEMPOTENT };

/* Keeps the ids of users whose newest events go (sql/015). */
static const struct db_stmt st_prune = { "events_prune",
	"SELECT chatrest_events_prune($1::int)", 1, 0 };

/* The newest event id of each of the users (an array literal). */
static const struct db_stmt st_heads = { "events_heads",
	"SELECT user_id, head FROM chatrest_event_heads($1::bigint[])",
	1, DB_IDEMPOTENT };

/*
 * "<user id> <newest id>" for a user, or for a room's members and one
 * more user: read after the writer's commit, so at least the id it wrote.
 */
#define ANNOUNCE(ids) \
	"SELECT pg_notify('" EVENTS_CHANNEL "', h.user_id || ' ' || h.head)" \
	" FROM (SELECT array_agg(x.uid) AS a FROM (" ids ") AS x (uid)) i," \
	" chatrest_event_heads(i.a) h"
static const struct db_stmt st_announce_user = { "events_announce_user",
	ANNOUNCE("SELECT id FROM users WHERE host = $1 AND localpart = $2"),
	2, DB_IDEMPOTENT };

static const struct db_stmt st_announce_room = { "events_announce_room",
	ANNOUNCE("SELECT user_id FROM room_members WHERE room_id = $1"
	" UNION ALL SELECT id FROM users WHERE host = $2 AND localpart = $3"),
	3, DB_IDEMPOTENT };

/* Deleting or banning kicks by trigger; this is for the other kicks. */
static const struct db_stmt st_kick = { "events_kick",
	"SELECT pg_notify('" EVENTS_CHANNEL "', 'kick ' || id) FROM users"
	" WHERE host = $1 AND localpart = ANY ($2::text[])",
	2, 0 };

/*
 * Close the live-event streams of the users localparts (an array literal)
 * on host, everywhere, when the caller's transaction commits.
 */
enum db_status
events_kick(const char *host, const char *localparts)
{
	const char	*p[] = { host, localparts };

	return db_exec(&st_kick, p, NULL);
}

/* The user's newest event id; 0 before the first. */
enum db_status
events_head(const char *uid, long long *last)
{
	char		 v[32];
	const char	*p[] = { uid };
	enum db_status	 s;
	int		 found;

	*last = 0;
	if ((s = db_exec_value(&st_head, p, v, sizeof(v), &found)) == DB_OK &&
	    found)
		*last = strtoll(v, NULL, 10);
	return s;
}

/*
 * uids and afters are PostgreSQL array literals of the same length,
 * "{1,2}" and "{0,17}"; fn gets each event, per user in id order.
 */
enum db_status
events_fetch(const char *uids, const char *afters, long limit, events_fn fn,
    void *ctx)
{
	char		 ls[24];
	const char	*p[] = { uids, afters, ls };
	PGresult	*res = NULL;
	struct event_row ev;
	enum db_status	 s;
	int		 i;

	(void)snprintf(ls, sizeof(ls), "%ld", limit);
	if ((s = db_exec(&st_fetch, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		ev.uid = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		ev.eid = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		ev.name = PQgetvalue(res, i, 2);
		ev.room_host = PQgetisnull(res, i, 3) ? NULL :
		    PQgetvalue(res, i, 3);
		ev.data = PQgetvalue(res, i, 4);
		fn(ctx, &ev);
	}
out:
	PQclear(res);
	return s;
}

/* Events older than keep seconds go: resuming reaches back that far. */
enum db_status
events_prune(long keep, long *n)
{
	char		 ks[24];
	const char	*p[] = { ks };

	(void)snprintf(ks, sizeof(ks), "%ld", keep);
	return db_exec_long(&st_prune, p, n);
}

/*
 * Tell the events processes of what the caller just wrote: at once in
 * autocommit, at its commit inside a transaction.  A failure is only
 * logged: the write stands, and the events processes' sweep finds it.
 */
void
events_announce(const char *room_id, const char *host, const char *local)
{
	const char	*p[] = { room_id, host, local };
	enum db_status	 s;

	if (room_id != NULL)
		s = db_exec(&st_announce_room, p, NULL);
	else
		s = db_exec(&st_announce_user, p + 1, NULL);
	if (s != DB_OK)
		log_warn("live events: could not announce a write");
}

/* fn is called with (user id, newest id) for each of uids with a head. */
enum db_status
events_heads(const char *uids, events_head_fn fn, void *ctx)
{
	const char	*p[] = { uids };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(&st_heads, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++)
		fn(ctx, strtoll(PQgetvalue(res, i, 0), NULL, 10),
		    strtoll(PQgetvalue(res, i, 1), NULL, 10));
out:
	PQclear(res);
	return s;
}
