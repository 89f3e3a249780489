/*
 * profiles: display names, avatar URLs, roles and the user directory.
 * Functions take the user's id (struct user's id, from users_get).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profiles.h"
#include "threepids.h"
#include "util.h"

static const struct db_stmt st_get = { "profiles_get",
	"SELECT display_name, avatar_url FROM users WHERE id = $1",
	1, DB_IDEMPOTENT };

/* The profile on every row, with one 3PID each (NULLs for none). */
static const struct db_stmt st_get_3pids = { "profiles_get_3pids",
	"SELECT u.display_name, u.avatar_url, t.medium, t.address FROM users u"
	" LEFT JOIN threepids t ON t.user_id = u.id WHERE u.id = $1"
	" ORDER BY t.medium, t.address",
	1, DB_IDEMPOTENT };

/* NULL or "" clears the field. */
static const struct db_stmt st_set_name = { "profiles_set_name",
	"UPDATE users SET display_name = nullif($2, ''), changed_at = now()"
	" WHERE id = $1",
	2, 0 };

static const struct db_stmt st_set_avatar = { "profiles_set_avatar",
	"UPDATE users SET avatar_url = nullif($2, ''), changed_at = now()"
	" WHERE id = $1",
	2, 0 };

static const struct db_stmt st_roles = { "profiles_roles",
	"SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role",
	1, DB_IDEMPOTENT };

static const struct db_stmt st_add_role = { "profiles_add_role",
	"INSERT INTO user_roles (user_id, role) VALUES ($1, $2)"
	" ON CONFLICT (user_id, role) DO NOTHING",
	2, 0 };

static const struct db_stmt st_remove_role = { "profiles_remove_role",
	"DELETE FROM user_roles WHERE user_id = $1 AND role = $2",
	2, 0 };

/* Substring matches, case-insensitive, with no LIKE wildcards to escape. */
static const struct db_stmt st_search_name = { "profiles_search_name",
	"SELECT u.localpart, u.display_name, u.avatar_url FROM users u"
	" WHERE NOT u.disabled AND u.host = ANY ($1::text[])"
	" AND (strpos(u.localpart, lower($2)) > 0"
	"  OR strpos(lower(coalesce(u.display_name, '')), lower($2)) > 0)"
	" ORDER BY u.localpart, u.host LIMIT $3",
	3, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_search_3pid = { "profiles_search_3pid",
	"SELECT u.localpart, u.display_name, u.avatar_url FROM users u"
	" WHERE NOT u.disabled AND u.host = ANY ($1::text[])"
	" AND EXISTS (SELECT 1 FROM threepids t WHERE t.user_id = u.id"
	"  AND strpos(t.address, lower($2)) > 0)"
	" ORDER BY u.localpart, u.host LIMIT $3",
	3, DB_IDEMPOTENT | DB_REPLICA };

static char *
value_or_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL :
	    xstrdup(PQgetvalue(res, row, col));
}

/* An unknown id leaves both fields NULL. */
enum db_status
profiles_get(const char *user_id, struct profile *pr)
{
	const char	*p[] = { user_id };
	PGresult	*res = NULL;
	enum db_status	 s;

	memset(pr, 0, sizeof(*pr));
	if ((s = db_exec(&st_get, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) == 1) {
		pr->display_name = value_or_null(res, 0, 0);
		pr->avatar_url = value_or_null(res, 0, 1);
	}
out:
	PQclear(res);
	return s;
}

/* As profiles_get, and the user's 3PIDs to fn, in one statement. */
enum db_status
profiles_get_threepids(const char *user_id, struct profile *pr,
    threepids_fn fn, void *ctx)
{
	const char	*p[] = { user_id };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	memset(pr, 0, sizeof(*pr));
	if ((s = db_exec(&st_get_3pids, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) > 0) {
		pr->display_name = value_or_null(res, 0, 0);
		pr->avatar_url = value_or_null(res, 0, 1);
	}
	for (i = 0; i < PQntuples(res); i++)
		if (!PQgetisnull(res, i, 2))
			fn(ctx, PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
out:
	PQclear(res);
	return s;
}

void
profiles_free(struct profile *pr)
{
	free(pr->display_name);
	free(pr->avatar_url);
	memset(pr, 0, sizeof(*pr));
}


enum db_status
profiles_set_display_name(const char *user_id, const char *name,
    int *changed)
{
	const char	*p[] = { user_id, name };

	return db_exec_count(&st_set_name, p, changed);
}

enum db_status
profiles_set_avatar(const char *user_id, const char *url, int *changed)
{
	const char	*p[] = { user_id, url };

	return db_exec_count(&st_set_avatar, p, changed);
}

enum db_status
profiles_roles(const char *user_id, profiles_role_fn fn, void *ctx)
{
	const char	*p[] = { user_id };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(&st_roles, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++)
		fn(ctx, PQgetvalue(res, i, 0));
out:
	PQclear(res);
	return s;
}

/* *added is 0 when the user already has the role. */
enum db_status
profiles_add_role(const char *user_id, const char *role, int *added)
{
	const char	*p[] = { user_id, role };

	return db_exec_count(&st_add_role, p, added);
}

enum db_status
profiles_remove_role(const char *user_id, const char *role, int *removed)
{
	const char	*p[] = { user_id, role };

	return db_exec_count(&st_remove_role, p, removed);
}

/*
 * Users of the given hosts whose localpart or display name (by name) or
 * one of whose 3PIDs (by threepid) contains term.  At most limit hits;
 * *limited is set when there were more.
 */
enum db_status
profiles_search(enum profiles_by by, const char *term,
    const struct strlist *hosts, long limit, profiles_hit_fn fn, void *ctx,
    int *limited)
{
	struct buf	 bh = { NULL, 0, 0 };
	char		 lim[24];
	const char	*p[3];
	const char	*h;
	PGresult	*res = NULL;
	enum db_status	 s;
	size_t		 i;
	int		 row, n;

	*limited = 0;
	buf_addc(&bh, '{');
	for (i = 0; i < hosts->n; i++) {
		/* Host names are LDH: nothing in them needs quoting. */
		if (i > 0)
			buf_addc(&bh, ',');
		for (h = hosts->v[i]; *h != '\0'; h++)
			buf_addc(&bh, *h);
	}
	buf_addc(&bh, '}');
	(void)snprintf(lim, sizeof(lim), "%ld", limit + 1);
	p[0] = bh.p;
	p[1] = term;
	p[2] = lim;
	if ((s = db_exec(by == PROFILES_BY_NAME ? &st_search_name :
	    &st_search_3pid, p, &res)) != DB_OK)
		goto out;
	n = PQntuples(res);
	if (n > limit) {
		*limited = 1;
		n = (int)limit;
	}
	for (row = 0; row < n; row++)
		fn(ctx, PQgetvalue(res, row, 0),
		    PQgetisnull(res, row, 1) ? NULL : PQgetvalue(res, row, 1),
		    PQgetisnull(res, row, 2) ? NULL : PQgetvalue(res, row, 2));
out:
	PQclear(res);
	buf_free(&bh);
	return s;
}
