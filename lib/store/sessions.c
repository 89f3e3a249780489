/*
 * sessions: ejabberd's sessions on chatrest's presence (SQL).  There are
 * no XMPP streams: an account seen within the [presence] window has one
 * session.  Ending one (kick_user, kick_session, set_presence unavailable)
 * forgets the presence and leaves a "kick" server notice that a process
 * holding the user's live streams acts on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sessions.h"

#define PRESENT	"NOT disabled AND last_seen > now() -" \
	" make_interval(secs => $1::int)"

static const struct db_stmt st_list = { "sessions_list",
	"SELECT host, localpart, presence_resource, presence_show, last_status,"
	" presence_priority,"
	" extract(epoch FROM now() - coalesce(session_started, last_seen))"
	"  ::bigint"
	" FROM users WHERE " PRESENT
	" AND ($2::text IS NULL OR host = $2)"
	" AND ($3::text IS NULL OR localpart = $3)"
	" ORDER BY host, localpart COLLATE \"C\"",
	3, DB_IDEMPOTENT };

/* A session that was absent begins now. */
static const struct db_stmt st_set = { "sessions_set",
	"UPDATE users SET session_started = CASE WHEN " PRESENT
	"  THEN session_started ELSE now() END,"
	" last_seen = now(), presence_resource = $3, presence_show = $4,"
	" last_status = $5, presence_priority = $6"
	" WHERE id = $2",
	6, 0 };

/*
 * Only a present session, and only the named resource if one is given:
 * the notice and the end of presence in one statement.
 */
static const struct db_stmt st_end = { "sessions_end",
	"WITH s AS (SELECT id FROM users WHERE id = $2 AND " PRESENT
	"  AND ($3::text IS NULL OR presence_resource = $3) FOR UPDATE),"
	" n AS (INSERT INTO server_notices (user_id, kind, message)"
	"  SELECT id, 'kick', $4 FROM s WHERE $5::boolean)"
	" UPDATE users u SET last_seen = NULL, session_started = NULL,"
	"  last_activity = now(), last_status = $6"
	" FROM s WHERE u.id = s.id",
	6, 0 };

static const struct db_stmt st_get_last = { "sessions_get_last",
	"SELECT " PRESENT ","
	" to_char(coalesce(CASE WHEN " PRESENT " THEN now() END,"
	"  greatest(last_seen, last_activity), created_at) AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	" last_status, last_seen IS NULL AND last_activity IS NULL"
	" FROM users WHERE id = $2",
	2, DB_IDEMPOTENT };

static const struct db_stmt st_set_last = { "sessions_set_last",
	"UPDATE users SET last_activity = to_timestamp($2::bigint),"
	" last_status = $3 WHERE id = $1",
	3, 0 };

/* The store's uptime: chatrest keeps no state of its own. */
static const struct db_stmt st_uptime = { "sessions_uptime",
	"SELECT extract(epoch FROM now() - pg_postmaster_start_time())::bigint",
	0, DB_IDEMPOTENT };

/* chatrest processes connected to the store, this one included. */
static const struct db_stmt st_processes = { "sessions_processes",
	"SELECT count(*) FROM pg_stat_activity"
	" WHERE datname = current_database()"
	" AND application_name LIKE 'chatrest%'",
	0, DB_IDEMPOTENT };

/* Present sessions, of one host and one localpart if not NULL. */
enum db_status
sessions_list(const struct config *c, const char *host, const char *local,
    sessions_fn fn, void *ctx)
{
	char		 w[32];
	const char	*p[] = { w, host, local };
	PGresult	*res = NULL;
	struct session	 se;
	enum db_status	 s;
	int		 i;

	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	if ((s = db_exec(&st_list, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		se.host = PQgetvalue(res, i, 0);
		se.local = PQgetvalue(res, i, 1);
		se.resource = PQgetvalue(res, i, 2);
		se.show = PQgetvalue(res, i, 3);
		se.status = PQgetvalue(res, i, 4);
		se.priority = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		se.uptime = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		fn(ctx, &se);
	}
out:
	PQclear(res);
	return s;
}

/* The account is present, with this resource, show, status, priority. */
enum db_status
sessions_set(const struct config *c, const struct user *u,
    const char *resource, const char *show, const char *status,
    long long priority)
{
	char		 w[32], pr[32];
	const char	*p[] = { w, u->id, resource, show, status, pr };

	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	(void)snprintf(pr, sizeof(pr), "%lld", priority);
	return db_exec(&st_set, p, NULL);
}

/*
 * End the account's session (only the one of resource, if not NULL):
 * *ended is 1 if there was one.  reason: for the kick notice, or NULL
 * for none (the user went unavailable); status: the last status kept.
 */
enum db_status
sessions_end(const struct config *c, const struct user *u,
    const char *resource, const char *reason, const char *status, int *ended)
{
	char		 w[32];
	const char	*p[] = { w, u->id, resource, reason != NULL ? reason : "",
			    reason != NULL ? "true" : "false", status };

	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	return db_exec_count(&st_end, p, ended);
}

enum db_status
sessions_get_last(const struct config *c, const struct user *u,
    struct last_info *li)
{
	char		 w[32];
	const char	*p[] = { w, u->id };
	PGresult	*res = NULL;
	enum db_status	 s;

	memset(li, 0, sizeof(*li));
	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	if ((s = db_exec(&st_get_last, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) == 1) {
		li->online = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		(void)snprintf(li->when, sizeof(li->when), "%s",
		    PQgetvalue(res, 0, 1));
		(void)snprintf(li->status, sizeof(li->status), "%s",
		    PQgetvalue(res, 0, 2));
		li->never = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	}
out:
	PQclear(res);
	return s;
}

enum db_status
sessions_set_last(const struct user *u, long long ts, const char *status)
{
	char		 t[32];
	const char	*p[] = { u->id, t, status };

	(void)snprintf(t, sizeof(t), "%lld", ts);
	return db_exec(&st_set_last, p, NULL);
}

enum db_status
sessions_uptime(long *uptime)
{
	return db_exec_long(&st_uptime, NULL, uptime);
}

enum db_status
sessions_processes(long *n)
{
	return db_exec_long(&st_processes, NULL, n);
}
