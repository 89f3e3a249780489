/* db: the process's one PostgreSQL connection and its prepared statements. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "log.h"
#include "util.h"

#define DB_MAXSTMT	256

static PGconn			*db;
static char			*db_conninfo;
static char			*db_appname;
static const struct db_stmt	*db_prepared[DB_MAXSTMT];
static size_t			 db_nprepared;
static int			 db_in_tx;
static time_t			 db_failed_at;
static char			*db_channel;	/* LISTEN on every connection */
static int			 db_retry_hit;	/* 40001/40P01 since the last reset */

void
db_init(const char *conninfo, const char *appname)
{
	free(db_conninfo);
	free(db_appname);
	db_conninfo = xstrdup(conninfo != NULL ? conninfo : "");
	db_appname = xstrdup(appname);
}

void
db_close(void)
{
	PQfinish(db);
	db = NULL;
	db_nprepared = 0;
	db_in_tx = 0;
}

/* Server notices ("already exists, skipping") are debug noise. */
static void
db_notice(void *arg, const char *msg)
{
	(void)arg;
	log_debug("database notice: %s", msg);
}

/*
 * LISTEN is per session: issued on each new connection, after a reset
 * too.  Fixed text (a compiled-in channel name), nothing from input.
 */
static void
db_subscribe(void)
{
	PGresult	*res;
	char		*sql;

	if (db_channel == NULL)
		return;
	sql = xasprintf("LISTEN %s", db_channel);
	res = PQexecParams(db, sql, 0, NULL, NULL, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		log_error("LISTEN %s failed: %s", db_channel,
		    PQerrorMessage(db));
	PQclear(res);
	free(sql);
}

/* From now on every connection listens on channel (FastCGI mode only). */
void
db_listen(const char *channel)
{
	free(db_channel);
	db_channel = xstrdup(channel);
	if (db != NULL && PQstatus(db) == CONNECTION_OK)
		db_subscribe();
}

/* The live connection's socket, for poll(); -1 when there is none. */
int
db_fd(void)
{
	if (db == NULL || PQstatus(db) != CONNECTION_OK)
		return -1;
	return PQsocket(db);
}

/*
 * Read what the server has sent (never blocks) and drain the queue of
 * notifications, which libpq also fills while it waits for results, so
 * one that arrived during a request is seen here too.  1 when one came
 * on our channel.
 */
int
db_notified(void)
{
	PGnotify	*n;
	int		 hit = 0;

	if (db == NULL || db_channel == NULL)
		return 0;
	if (PQstatus(db) == CONNECTION_OK && PQconsumeInput(db) == 0)
		log_warn("database connection lost: %s", PQerrorMessage(db));
	while ((n = PQnotifies(db)) != NULL) {
		if (strcmp(n->relname, db_channel) == 0)
			hit = 1;
		PQfreemem(n);
	}
	return hit;
}

/*
 * Connect on first use; after a broken connection try once to reset it.
 * The conninfo string comes last, so it overrides our defaults.
 */
PGconn *
db_conn(void)
{
	const char	*keys[] = { "connect_timeout", "application_name",
			    "dbname", NULL };
	const char	*vals[] = { "5", db_appname, db_conninfo, NULL };

	if (db != NULL && PQstatus(db) == CONNECTION_OK)
		return db;
	/* While the server is down, answer 503 at once, not per request. */
	if (db_failed_at != 0 && time(NULL) - db_failed_at < 1)
		return NULL;
	db_nprepared = 0;
	db_in_tx = 0;
	if (db != NULL) {
		PQreset(db);
	} else
		db = PQconnectdbParams(keys, vals, 1);
	if (db == NULL || PQstatus(db) != CONNECTION_OK) {
		log_error("database connection failed: %s",
		    db != NULL ? PQerrorMessage(db) : "out of memory");
		db_failed_at = time(NULL);
		return NULL;
	}
	db_failed_at = 0;
	(void)PQsetNoticeProcessor(db, db_notice, NULL);
	db_subscribe();
	return db;
}

static enum db_status
db_result_status(PGresult *res)
{
	const char	*state, *msg;

	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		return DB_OK;
	default:
		break;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state == NULL || strncmp(state, "08", 2) == 0 ||
	    strcmp(state, "57P01") == 0 || PQstatus(db) != CONNECTION_OK) {
		log_error("database unavailable: %s", PQerrorMessage(db));
		return DB_UNAVAIL;
	}
	if (strcmp(state, "23505") == 0)
		return DB_UNIQUE;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
		log_warn("database %s: transaction rolled back",
		    state[3] == '1' ? "serialization failure" : "deadlock");
		db_retry_hit = 1;
		return DB_RETRY;
	}
	/* The primary message only: DETAIL may quote parameter values. */
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	log_error("database error %s: %s", state, msg != NULL ? msg : "");
	return DB_ERROR;
}

static enum db_status
db_prepare(const struct db_stmt *st)
{
	PGresult	*res;
	enum db_status	 s;
	size_t		 i;

	for (i = 0; i < db_nprepared; i++)
		if (db_prepared[i] == st)
			return DB_OK;
	res = PQprepare(db, st->name, st->sql, st->nparams, NULL);
	s = db_result_status(res);
	PQclear(res);
	if (s == DB_OK && db_nprepared < DB_MAXSTMT)
		db_prepared[db_nprepared++] = st;
	return s;
}

static enum db_status
db_exec1(const struct db_stmt *st, const char *const *params, PGresult **out)
{
	PGresult	*res;
	enum db_status	 s;

	if (db_conn() == NULL)
		return DB_UNAVAIL;
	if ((s = db_prepare(st)) != DB_OK)
		return s;
	res = PQexecPrepared(db, st->name, st->nparams, params, NULL, NULL, 0);
	if ((s = db_result_status(res)) == DB_OK && out != NULL) {
		*out = res;
		return DB_OK;
	}
	PQclear(res);
	return s;
}

/*
 * Run a prepared statement.  On success and when out is given, the
 * caller owns *out.  A statement marked DB_IDEMPOTENT that meets a broken
 * connection outside a transaction is retried once on a fresh one.
 */
enum db_status
db_exec(const struct db_stmt *st, const char *const *params, PGresult **out)
{
	enum db_status	 s;
	int		 in_tx = db_in_tx;

	if (out != NULL)
		*out = NULL;
	s = db_exec1(st, params, out);
	if (s == DB_UNAVAIL && !in_tx && (st->flags & DB_IDEMPOTENT))
		s = db_exec1(st, params, out);
	if (s != DB_OK && in_tx)
		log_debug("statement %s failed inside a transaction", st->name);
	return s;
}

static const struct db_stmt st_slot = { "db_slot",
	"SELECT pg_try_advisory_lock(hashtext($1), $2::int)", 2, 0 };

/*
 * The lowest free slot, 0 to max - 1, among the live processes sharing
 * name: a session advisory lock, freed when the connection closes.  -1
 * if none could be taken.
 */
int
db_slot(const char *name, int max)
{
	PGresult	*res;
	char		 n[16];
	const char	*p[] = { name, n };
	int		 i, got;

	for (i = 0; i < max; i++) {
		(void)snprintf(n, sizeof(n), "%d", i);
		if (db_exec(&st_slot, p, &res) != DB_OK)
			return -1;
		got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (got)
			return i;
	}
	return -1;
}

/*
 * A statement answering at most one row, of which the first value is
 * wanted: copied into out (when out is not NULL), *found set if a row came.
 */
enum db_status
db_exec_value(const struct db_stmt *st, const char *const *params,
    char *out, size_t outlen, int *found)
{
	PGresult	*res = NULL;
	enum db_status	 s;

	*found = 0;
	if ((s = db_exec(st, params, &res)) == DB_OK && PQntuples(res) == 1) {
		*found = 1;
		if (out != NULL)
			(void)snprintf(out, outlen, "%s", PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return s;
}

/* As db_exec_value for a number; 0 when no row came. */
enum db_status
db_exec_long(const struct db_stmt *st, const char *const *params, long *n)
{
	char		 v[32];
	enum db_status	 s;
	int		 found;

	*n = 0;
	if ((s = db_exec_value(st, params, v, sizeof(v), &found)) == DB_OK &&
	    found)
		*n = strtol(v, NULL, 10);
	return s;
}

/* A write whose answer is how many rows it touched. */
enum db_status
db_exec_count(const struct db_stmt *st, const char *const *params, int *n)
{
	PGresult	*res = NULL;
	enum db_status	 s;

	*n = 0;
	if ((s = db_exec(st, params, &res)) == DB_OK)
		*n = atoi(PQcmdTuples(res));
	PQclear(res);
	return s;
}

static enum db_status
db_simple(const char *sql)
{
	PGresult	*res;
	enum db_status	 s;

	if (db_conn() == NULL)
		return DB_UNAVAIL;
	/* Fixed text, no parameters: one command, nothing from input. */
	res = PQexecParams(db, sql, 0, NULL, NULL, NULL, NULL, 0);
	s = db_result_status(res);
	PQclear(res);
	return s;
}

enum db_status
db_begin(void)
{
	enum db_status	 s;

	if ((s = db_simple("BEGIN")) == DB_OK)
		db_in_tx = 1;
	return s;
}

enum db_status
db_commit(void)
{
	db_in_tx = 0;
	return db_simple("COMMIT");
}

void
db_rollback(void)
{
	if (!db_in_tx)
		return;
	db_in_tx = 0;
	if (db != NULL && PQstatus(db) == CONNECTION_OK)
		(void)db_simple("ROLLBACK");
}

/*
 * Whether a statement failed with a serialization failure or a deadlock
 * since the last call; the server rolled that transaction back, so the
 * whole request may run again.  Resets the mark.
 */
int
db_retry_take(void)
{
	int	 hit = db_retry_hit;

	db_retry_hit = 0;
	return hit;
}

int
db_http_status(enum db_status s)
{
	switch (s) {
	case DB_OK:
		return 200;
	case DB_UNIQUE:
		return 409;
	case DB_UNAVAIL:
	case DB_RETRY:
		return 503;
	default:
		return 500;
	}
}
