/* users: the account store (SQL for users and their email). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

static const struct db_stmt st_get = { "users_get",
	"SELECT id, localpart, host, password_hash, disabled,"
	" coalesce(floor(extract(epoch FROM now() - last_seen))::bigint, -1)"
	" FROM users WHERE host = $1 AND localpart = $2",
	2, DB_IDEMPOTENT };

/* Existence only, where a lagging replica may answer (is_registered). */
static const struct db_stmt st_registered = { "users_registered",
	"SELECT 1 FROM users WHERE host = $1 AND localpart = $2",
	2, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_create = { "users_create",
	"INSERT INTO users (localpart, host, password_hash) VALUES ($1, $2, $3)"
	" ON CONFLICT (host, localpart) DO NOTHING RETURNING id",
	3, 0 };

/* Matching the hash too: a password changed meanwhile wins. */
static const struct db_stmt st_delete = { "users_delete",
	"DELETE FROM users WHERE id = $1 AND password_hash = $2",
	2, 0 };

static const struct db_stmt st_set_hash = { "users_set_hash",
	"UPDATE users SET password_hash = $3, changed_at = now()"
	" WHERE id = $1 AND password_hash = $2",
	3, 0 };

static const struct db_stmt st_force_hash = { "users_force_hash",
	"UPDATE users SET password_hash = $3, changed_at = now()"
	" WHERE host = $1 AND localpart = $2",
	3, 0 };


static const struct db_stmt st_remove = { "users_remove",
	"DELETE FROM users WHERE host = $1 AND localpart = $2",
	2, 0 };

static const struct db_stmt st_list = { "users_list",
	"SELECT localpart, host FROM users WHERE host = $1"
	" ORDER BY localpart",
	1, DB_IDEMPOTENT };

/* "Connected": authenticated by some front door within the window. */
static const struct db_stmt st_connected = { "users_connected",
	"SELECT localpart, host FROM users"
	" WHERE last_seen > now() - make_interval(secs => $1::int)"
	" AND NOT disabled ORDER BY host, localpart",
	1, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_connected_count = { "users_connected_count",
	"SELECT count(*) FROM users"
	" WHERE last_seen > now() - make_interval(secs => $1::int)"
	" AND NOT disabled",
	1, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_set_display_name = { "users_set_display_name",
	"UPDATE users SET display_name = $3, changed_at = now()"
	" WHERE host = $1 AND localpart = $2",
	3, 0 };

static const struct db_stmt st_set_disabled = { "users_set_disabled",
	"UPDATE users SET disabled = $3::boolean, changed_at = now(),"
	" disabled_reason = CASE WHEN $3::boolean THEN $4 END,"
	" disabled_at = CASE WHEN $3::boolean THEN now() END"
	" WHERE host = $1 AND localpart = $2",
	4, 0 };

enum db_status
users_get(const char *host, const char *local, struct user *u, int *found)
{
	const char	*p[] = { host, local };
	PGresult	*res = NULL;
	enum db_status	 s;

	*found = 0;
	u->check = NULL;
	if ((s = db_exec(&st_get, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) != 1)
		goto out;
	(void)snprintf(u->id, sizeof(u->id), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(u->local, sizeof(u->local), "%s", PQgetvalue(res, 0, 1));
	(void)snprintf(u->host, sizeof(u->host), "%s", PQgetvalue(res, 0, 2));
	(void)snprintf(u->hash, sizeof(u->hash), "%s", PQgetvalue(res, 0, 3));
	u->disabled = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
	u->seen_age = strtol(PQgetvalue(res, 0, 5), NULL, 10);
	u->seen_known = 1;
	*found = 1;
out:
	PQclear(res);
	return s;
}

/*
 * The check's verdict from column col of a statement's first row (see
 * USERS_CHECK): no row, or NULL there, when the row no longer holds the
 * cached hash.
 */
enum db_status
users_check_take(const struct user *u, PGresult *res, int col)
{
	u->check->read = 1;
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, col)) {
		u->check->stale = 1;
		return DB_STALE;
	}
	u->check->seen_age = strtol(PQgetvalue(res, 0, col), NULL, 10);
	return DB_OK;
}

enum db_status
users_registered(const char *host, const char *local, int *found)
{
	const char	*p[] = { host, local };

	return db_exec_value(&st_registered, p, NULL, 0, found);
}

/* *created is 0 when the account already exists. */
enum db_status
users_create(const char *host, const char *local, const char *hash,
    char id[USERS_ID_LEN], int *created)
{
	const char	*p[] = { local, host, hash };

	return db_exec_value(&st_create, p, id, USERS_ID_LEN, created);
}


enum db_status
users_delete(const struct user *u, int *deleted)
{
	const char	*p[] = { u->id, u->hash };

	return db_exec_count(&st_delete, p, deleted);
}

enum db_status
users_set_hash(const struct user *u, const char *hash, int *changed)
{
	const char	*p[] = { u->id, u->hash, hash };

	return db_exec_count(&st_set_hash, p, changed);
}

enum db_status
users_force_hash(const char *host, const char *local, const char *hash,
    int *changed)
{
	const char	*p[] = { host, local, hash };

	return db_exec_count(&st_force_hash, p, changed);
}


/* Delete an account by name, whatever its password (administration). */
enum db_status
users_remove(const char *host, const char *local, int *deleted)
{
	const char	*p[] = { host, local };

	return db_exec_count(&st_remove, p, deleted);
}

static enum db_status
each(const struct db_stmt *st, const char *const *p, users_fn fn, void *ctx)
{
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(st, p, &res)) == DB_OK)
		for (i = 0; i < PQntuples(res); i++)
			fn(ctx, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	return s;
}

/* fn(ctx, localpart, host) for each account of host, by localpart. */
enum db_status
users_list(const char *host, users_fn fn, void *ctx)
{
	const char	*p[] = { host };

	return each(&st_list, p, fn, ctx);
}

/* fn(ctx, localpart, host) for each account seen in the last window s. */
enum db_status
users_connected(long window, users_fn fn, void *ctx)
{
	char		 w[24];
	const char	*p[] = { w };

	(void)snprintf(w, sizeof(w), "%ld", window);
	return each(&st_connected, p, fn, ctx);
}

enum db_status
users_connected_count(long window, long long *n)
{
	char		 w[24];
	const char	*p[] = { w };
	PGresult	*res = NULL;
	enum db_status	 s;

	*n = 0;
	(void)snprintf(w, sizeof(w), "%ld", window);
	if ((s = db_exec(&st_connected_count, p, &res)) == DB_OK)
		*n = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return s;
}

/* An empty name clears it. */
enum db_status
users_set_display_name(const char *host, const char *local, const char *name,
    int *changed)
{
	const char	*p[] = { host, local, *name != '\0' ? name : NULL };

	return db_exec_count(&st_set_display_name, p, changed);
}

/* Disabling records the reason; enabling clears it. */
enum db_status
users_set_disabled(const char *host, const char *local, int disabled,
    const char *reason, int *changed)
{
	const char	*p[] = { host, local, disabled ? "true" : "false",
			    reason };

	return db_exec_count(&st_set_disabled, p, changed);
}

/* --- chatrest-admin's account statistics and retention ----------------- */

#define LAST_ACTIVE	"coalesce(greatest(last_seen, last_activity), created_at)"

static const struct db_stmt st_count = { "users_count",
	"SELECT count(*) FROM users WHERE $1::text IS NULL OR host = $1",
	1, DB_IDEMPOTENT };

static const struct db_stmt st_active_count = { "users_active_count",
	"SELECT count(*) FROM users WHERE host = $1 AND NOT disabled"
	" AND greatest(last_seen, last_activity) >"
	"  now() - make_interval(days => $2::int)",
	2, DB_IDEMPOTENT };

/* Never seen: the registration counts as the last activity. */
static const struct db_stmt st_delete_old = { "users_delete_old",
	"WITH d AS (DELETE FROM users WHERE ($1::text IS NULL OR host = $1)"
	"  AND " LAST_ACTIVE " < now() - make_interval(days => $2::int)"
	"  RETURNING localpart, host)"
	" SELECT localpart, host FROM d"
	" ORDER BY host, localpart COLLATE \"C\"",
	2, 0 };

static const struct db_stmt st_ban_details = { "users_ban_details",
	"SELECT disabled, coalesce(disabled_reason, ''),"
	" coalesce(to_char(disabled_at AT TIME ZONE 'UTC',"
	"  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')"
	" FROM users WHERE host = $1 AND localpart = $2",
	2, DB_IDEMPOTENT };

/* Accounts of host, or of every host if NULL. */
enum db_status
users_count(const char *host, long *n)
{
	const char	*p[] = { host };

	return db_exec_long(&st_count, p, n);
}

/* Enabled accounts of host active within the last days. */
enum db_status
users_active_count(const char *host, long long days, long *n)
{
	char		 d[32];
	const char	*p[] = { host, d };

	(void)snprintf(d, sizeof(d), "%lld", days);
	return db_exec_long(&st_active_count, p, n);
}

/* Delete the accounts (of host, if not NULL) inactive for days. */
enum db_status
users_delete_old(const char *host, long long days, users_fn fn, void *ctx)
{
	char		 d[32];
	const char	*p[] = { host, d };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	(void)snprintf(d, sizeof(d), "%lld", days);
	if ((s = db_exec(&st_delete_old, p, &res)) == DB_OK)
		for (i = 0; i < PQntuples(res); i++)
			fn(ctx, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	return s;
}

/* *banned: 1 disabled, 0 enabled, -1 no such account. */
enum db_status
users_ban_details(const char *host, const char *local, int *banned,
    char *reason, size_t rlen, char *when, size_t wlen)
{
	const char	*p[] = { host, local };
	PGresult	*res = NULL;
	enum db_status	 s;

	*banned = -1;
	if ((s = db_exec(&st_ban_details, p, &res)) == DB_OK &&
	    PQntuples(res) == 1) {
		*banned = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		(void)snprintf(reason, rlen, "%s", PQgetvalue(res, 0, 1));
		(void)snprintf(when, wlen, "%s", PQgetvalue(res, 0, 2));
	}
	PQclear(res);
	return s;
}
