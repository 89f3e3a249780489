/*
 * audit: the trail of state-changing admin commands.  Rows are only ever
 * added; the arguments arrive already redacted by the caller.
 */
#include <stdio.h>

#include "audit.h"

static const struct db_stmt st_add = { "audit_add",
	"INSERT INTO admin_audit (actor, via, command, args, outcome, message)"
	" VALUES ($1, $2, $3, $4::json, $5, $6)",
	6, 0 };

static const struct db_stmt st_newest = { "audit_newest",
	"SELECT id, to_char(at AT TIME ZONE 'UTC',"
	" 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
	" actor, via, command, args::text, outcome, message"
	" FROM admin_audit ORDER BY id DESC LIMIT $1",
	1, DB_IDEMPOTENT };

enum db_status
audit_add(const char *actor, const char *via, const char *command,
    const char *args, const char *outcome, const char *message)
{
	const char	*p[] = { actor, via, command, args, outcome, message };

	return db_exec(&st_add, p, NULL);
}

/* The newest n entries, newest first. */
enum db_status
audit_newest(long long n, audit_fn fn, void *ctx)
{
	char			 lim[24];
	const char		*p[] = { lim };
	PGresult		*res = NULL;
	struct audit_row	 row;
	enum db_status		 s;
	int			 i;

	(void)snprintf(lim, sizeof(lim), "%lld", n);
	if ((s = db_exec(&st_newest, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		row.id = PQgetvalue(res, i, 0);
		row.at = PQgetvalue(res, i, 1);
		row.actor = PQgetvalue(res, i, 2);
		row.via = PQgetvalue(res, i, 3);
		row.command = PQgetvalue(res, i, 4);
		row.args = PQgetvalue(res, i, 5);
		row.outcome = PQgetvalue(res, i, 6);
		row.message = PQgetvalue(res, i, 7);
		fn(ctx, &row);
	}
out:
	PQclear(res);
	return s;
}
