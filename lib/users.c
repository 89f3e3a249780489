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
