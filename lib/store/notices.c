/*
 * notices: server notices for live clients (the server_notices table),
 * and the restart signal that goes with the shutdown notice.
 */
#include <stdio.h>

#include "notices.h"

/*
 * One statement: the notice is recorded and every listening process told
 * (DB_CHANNEL_RESTART) when it commits, or neither happens.
 */
static const struct db_stmt st_restart = { "notices_restart",
	"WITH n AS (INSERT INTO server_notices (kind, message)"
	" VALUES ('shutdown', $1) RETURNING id)"
	" SELECT pg_notify('" DB_CHANNEL_RESTART "', id::text) FROM n",
	1, 0 };

/* A notice for each named user of host present within the window. */
static const struct db_stmt st_users = { "notices_users",
	"INSERT INTO server_notices (user_id, kind, message)"
	" SELECT id, $3, $4 FROM users"
	" WHERE host = $1 AND localpart = ANY ($2::text[])"
	"  AND last_seen > now() - make_interval(secs => $5::int)",
	5, 0 };

enum db_status
notices_restart(const char *message)
{
	const char	*p[] = { message };

	return db_exec(&st_restart, p, NULL);
}

enum db_status
notices_users(const char *host, const char *arr, const char *kind,
    const char *message, long window)
{
	char		 w[32];
	const char	*p[] = { host, arr, kind, message, w };

	(void)snprintf(w, sizeof(w), "%ld", window);
	return db_exec(&st_users, p, NULL);
}
