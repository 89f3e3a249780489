/*
 * srg: shared roster groups (SQL).  Members of a group see the members of
 * the groups it displays in their contact lists (roster.c reads them);
 * a member "@all@" stands for every account of the group's host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srg.h"
#include "util.h"

/* display: the displayed groups, a text[] literal. */
static const struct db_stmt st_create = { "srg_create",
	"INSERT INTO srg (host, name, label, description, display)"
	" VALUES ($1, $2, $3, $4, $5::text[]) ON CONFLICT (host, name)"
	" DO UPDATE SET label = $3, description = $4, display = $5::text[]",
	5, 0 };

static const struct db_stmt st_delete = { "srg_delete",
	"DELETE FROM srg WHERE host = $1 AND name = $2", 2, 0 };

static const struct db_stmt st_list = { "srg_list",
	"SELECT name FROM srg WHERE host = $1 ORDER BY name COLLATE \"C\"",
	1, DB_IDEMPOTENT };

static const struct db_stmt st_info = { "srg_info",
	"SELECT label, description, array_to_string(display, E'\\n')"
	" FROM srg WHERE host = $1 AND name = $2",
	2, DB_IDEMPOTENT };

static const struct db_stmt st_members = { "srg_members",
	"SELECT CASE WHEN m.user_local = '@all@' THEN '@all@@' || m.user_host"
	"  ELSE m.user_local || '@' || m.user_host END"
	" FROM srg_members m JOIN srg g ON g.id = m.group_id"
	" WHERE g.host = $1 AND g.name = $2"
	" ORDER BY m.user_host COLLATE \"C\", m.user_local COLLATE \"C\"",
	2, DB_IDEMPOTENT };

static const struct db_stmt st_user_add = { "srg_user_add",
	"INSERT INTO srg_members (group_id, user_host, user_local)"
	" SELECT id, $3, $4 FROM srg WHERE host = $1 AND name = $2"
	" ON CONFLICT DO NOTHING",
	4, 0 };

static const struct db_stmt st_exists = { "srg_exists",
	"SELECT 1 FROM srg WHERE host = $1 AND name = $2", 2, 0 };

static const struct db_stmt st_user_del = { "srg_user_del",
	"DELETE FROM srg_members m USING srg g WHERE g.id = m.group_id"
	" AND g.host = $1 AND g.name = $2 AND m.user_host = $3"
	" AND m.user_local = $4",
	4, 0 };

static enum db_status
srg_each(const struct db_stmt *st, const char *const *p, srg_fn fn, void *ctx)
{
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(st, p, &res)) == DB_OK)
		for (i = 0; i < PQntuples(res); i++)
			fn(ctx, PQgetvalue(res, i, 0));
	PQclear(res);
	return s;
}

/* Create the group, or replace its label, description and display. */
enum db_status
srg_create(const char *host, const char *name, const char *label,
    const char *description, const char *display)
{
	const char	*p[] = { host, name, label, description, display };

	return db_exec(&st_create, p, NULL);
}

enum db_status
srg_delete(const char *host, const char *name, int *deleted)
{
	const char	*p[] = { host, name };

	return db_exec_count(&st_delete, p, deleted);
}

enum db_status
srg_list(const char *host, srg_fn fn, void *ctx)
{
	const char	*p[] = { host };

	return srg_each(&st_list, p, fn, ctx);
}

enum db_status
srg_get_info(const char *host, const char *name, struct srg_info *gi,
    int *found)
{
	const char	*p[] = { host, name };
	PGresult	*res = NULL;
	enum db_status	 s;

	*found = 0;
	gi->display = NULL;
	if ((s = db_exec(&st_info, p, &res)) == DB_OK &&
	    PQntuples(res) == 1) {
		(void)snprintf(gi->label, sizeof(gi->label), "%s",
		    PQgetvalue(res, 0, 0));
		(void)snprintf(gi->description, sizeof(gi->description), "%s",
		    PQgetvalue(res, 0, 1));
		gi->display = xstrdup(PQgetvalue(res, 0, 2));
		*found = 1;
	}
	PQclear(res);
	return s;
}

/* "local@host" of each member, "@all@@host" for the whole host. */
enum db_status
srg_members(const char *host, const char *name, srg_fn fn, void *ctx)
{
	const char	*p[] = { host, name };

	return srg_each(&st_members, p, fn, ctx);
}

/* *r: 1 added, 0 already a member, -1 no such group. */
enum db_status
srg_user_add(const char *host, const char *name, const char *uhost,
    const char *ulocal, int *r)
{
	const char	*p[] = { host, name, uhost, ulocal };
	enum db_status	 s;
	int		 n, found;
	char		 v[8];

	if ((s = db_exec_value(&st_exists, p, v, sizeof(v), &found)) !=
	    DB_OK)
		return s;
	if (!found) {
		*r = -1;
		return DB_OK;
	}
	if ((s = db_exec_count(&st_user_add, p, &n)) == DB_OK)
		*r = n;
	return s;
}

enum db_status
srg_user_del(const char *host, const char *name, const char *uhost,
    const char *ulocal, int *removed)
{
	const char	*p[] = { host, name, uhost, ulocal };

	return db_exec_count(&st_user_del, p, removed);
}
