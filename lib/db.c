/*
 * db: the process's PostgreSQL connections and the statements run on them.
 *
 * Nothing may live on a server connection between transactions unless
 * the connection is known to be a session of its own: behind PgBouncer
 * in transaction mode the next transaction may run on another server
 * connection.  So statements are prepared by name only on a session
 * ([database] prepare), and nothing else (no SET, no session advisory
 * lock) is ever left behind.
 *
 * A FastCGI process learns of a restart from the stored notices: every
 * [database] restart_check seconds the first statement of a request
 * carries a second, tiny query in the same round trip (a libpq
 * pipeline), and an idle process looks by itself.  It does not LISTEN:
 * PostgreSQL wakes every listening backend of the database for every
 * NOTIFY on any channel, and each live event is a NOTIFY, so a LISTEN
 * per worker made every message cost a wake-up per worker.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "util.h"

#define DB_MAXSTMT	256
#define DB_JOBS		2

/* One connection: the primary, or the read replica. */
struct dbc {
	const char		*what;		/* for log lines */
	char			*conninfo;	/* NULL: not configured */
	PGconn			*c;
	int			 session;	/* named statements are safe */
	int			 stale;		/* drop before the next use */
	const struct db_stmt	*prepared[DB_MAXSTMT];
	size_t			 nprepared;
	time_t			 failed_at;
	long long		 alive_ms;	/* last seen answering */
};

/* A query of a pipeline: a store statement, or fixed text (st NULL). */
struct db_job {
	const struct db_stmt	*st;
	const char		*sql;
	int			 nparams;
	const char *const	*params;
	PGresult		*res;
};

static struct dbc	 db_pri = { .what = "database" };
static struct dbc	 db_rep = { .what = "read replica" };
static char		*db_appname;
static long		 db_prepare_mode = CONFIG_PREPARE_AUTO;
static long		 db_max_lag = 5;
static int		 db_in_tx;
static int		 db_retry_hit;	/* 40001/40P01 since the last reset */
static int		 db_obeying;	/* this process obeys restarts */
static int		 db_check_armed; /* next statement checks notices */
static long long	 db_check_every = 2000;	/* ms, [database] restart_check */
static long long	 db_check_due;	/* ms: a request checks from then */
static int		 db_req_wrote;	/* this request wrote: no replica */
static int		 db_rep_lagging;
static long long	 db_seen = -1;	/* newest restart notice known */
static int		 db_restart;	/* a restart notice came */
static time_t		 db_started;

/* The newest restart notice, and its age by the database's clock. */
static const char	 db_check_sql[] =
	"SELECT id, floor(extract(epoch FROM now() - created_at))::bigint"
	" FROM server_notices WHERE kind = 'shutdown' ORDER BY id DESC LIMIT 1";

/*
 * The replica is too far behind when it has WAL it has not replayed and
 * the last transaction it did replay is older than the bound.
 */
static const char	 db_lag_sql[] =
	"SELECT pg_is_in_recovery() AND pg_last_wal_receive_lsn() IS DISTINCT"
	" FROM pg_last_wal_replay_lsn() AND coalesce(pg_last_xact_replay_timestamp()"
	" < now() - make_interval(secs => $1::int), true)";

void
db_init(const char *conninfo, const char *appname)
{
	free(db_pri.conninfo);
	free(db_appname);
	db_pri.conninfo = xstrdup(conninfo != NULL ? conninfo : "");
	db_appname = xstrdup(appname);
	db_started = time(NULL);
}

/* The [database] keys beyond conninfo. */
void
db_configure(const struct config *c)
{
	db_prepare_mode = c->db_prepare;
	db_max_lag = c->db_read_max_lag;
	db_check_every = c->db_restart_check * 1000LL;
	free(db_rep.conninfo);
	db_rep.conninfo = c->db_read_conninfo != NULL &&
	    *c->db_read_conninfo != '\0' ? xstrdup(c->db_read_conninfo) : NULL;
}

static void
dbc_drop(struct dbc *d)
{
	PQfinish(d->c);
	d->c = NULL;
	d->nprepared = 0;
	d->stale = 0;
	d->session = 0;
	d->alive_ms = 0;
}

void
db_close(void)
{
	dbc_drop(&db_pri);
	dbc_drop(&db_rep);
	db_in_tx = 0;
}

static int
dbc_up(const struct dbc *d)
{
	return d->c != NULL && !d->stale && PQstatus(d->c) == CONNECTION_OK;
}

/*
 * Whether the server has closed an idle connection (a restart, a
 * failover, an idle timeout of a pooler): it then has sent its last
 * words and the socket is readable.  One poll() without waiting, so a
 * statement that must not be retried is not sent into a dead connection.
 * A connection seen answering, or quiet in the FastCGI loop's poll(),
 * within the last DB_ALIVE_MS is not idle: no poll() for it, so the
 * statements of a request cost no poll() each.
 */
#define DB_ALIVE_MS	1000

static int
dbc_gone(struct dbc *d)
{
	struct pollfd	 pfd;
	int		 i;

	/* Twice: its last words ("terminating connection"), then the EOF. */
	for (i = 0; i < 2; i++) {
		pfd.fd = PQsocket(d->c);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0 || poll(&pfd, 1, 0) != 1)
			return 0;
		if (PQconsumeInput(d->c) == 0 ||
		    PQstatus(d->c) != CONNECTION_OK) {
			log_warn("%s connection closed by the server: "
			    "reconnecting", d->what);
			return 1;
		}
	}
	return 0;
}

static int
dbc_closed(struct dbc *d)
{
	if (util_now_ms() - d->alive_ms < DB_ALIVE_MS)
		return 0;
	return dbc_gone(d);
}

/* Server notices ("already exists, skipping") are debug noise. */
static void
db_notice(void *arg, const char *msg)
{
	(void)arg;
	log_debug("database notice: %s", msg);
}

/*
 * PgBouncer replays each client's application_name on the server
 * connection it lends (a SET when the last borrower had another), so a
 * connection that may be pooled carries one name for every executable;
 * a session of its own takes the executable's name once it is known to
 * be one (dbc_is_session), or from the start with prepare = on.
 */
#define DB_POOLED_NAME	"chatrest"

/*
 * Whether the connection is a session of its own: the server process
 * answering is the one libpq connected to.  A pooler hands out its own
 * process id, so through any pooler the answer is no.  A session takes
 * the executable's name in the same round trip.
 */
static int
dbc_is_session(struct dbc *d)
{
	PGresult	*res;
	char		 pid[24];
	const char	*p[] = { pid, db_appname }, *cur;
	int		 rc = -1;

	/* A name set in the conninfo stays. */
	if ((cur = PQparameterStatus(d->c, "application_name")) != NULL &&
	    strcmp(cur, DB_POOLED_NAME) != 0)
		p[1] = cur;
	(void)snprintf(pid, sizeof(pid), "%d", PQbackendPID(d->c));
	res = PQexecParams(d->c, "SELECT pg_backend_pid(),"
	    " CASE WHEN pg_backend_pid() = $1::int"
	    " THEN set_config('application_name', $2, false) END", 2, NULL, p,
	    NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		rc = atoi(PQgetvalue(res, 0, 0)) == PQbackendPID(d->c);
	PQclear(res);
	return rc;
}

/*
 * Connect on first use, and anew after a broken connection: a fresh
 * connection walks a multi-host conninfo again, so target_session_attrs
 * finds the new primary after a failover.  The conninfo string comes
 * last, so it overrides our defaults.
 */
/*
 * Our defaults, which the conninfo may override: a short connect
 * timeout, and no GSSAPI encryption attempt over TCP (libpq tries it
 * first by default, a Kerberos initialisation per connection; set
 * gssencmode in the conninfo to use it).
 */
static PGconn *
dbc_connect(struct dbc *d)
{
	const char	*keys[] = { "connect_timeout", "gssencmode",
			    "application_name", "dbname", NULL };
	const char	*vals[] = { "3", "disable", NULL, d->conninfo, NULL };
	int		 session;

	if (dbc_up(d) && (db_in_tx || !dbc_closed(d)))
		return d->c;
	/* A transaction ends with its connection: never go on without it. */
	if (d->conninfo == NULL || (d == &db_pri && db_in_tx))
		return NULL;
	/* While the server is down, answer 503 at once, not per request. */
	if (d->failed_at != 0 && time(NULL) - d->failed_at < 1)
		return NULL;
	dbc_drop(d);
	vals[2] = db_prepare_mode == CONFIG_PREPARE_ON ? db_appname :
	    DB_POOLED_NAME;
	d->c = PQconnectdbParams(keys, vals, 1);
	if (d->c == NULL || PQstatus(d->c) != CONNECTION_OK) {
		log_error("%s connection failed: %s", d->what,
		    d->c != NULL ? PQerrorMessage(d->c) : "out of memory");
		goto fail;
	}
	(void)PQsetNoticeProcessor(d->c, db_notice, NULL);
	switch (db_prepare_mode) {
	case CONFIG_PREPARE_ON:
		session = 1;
		break;
	case CONFIG_PREPARE_OFF:
		session = 0;
		break;
	default:
		/* One request per process (CGI): preparing would not pay. */
		if (!db_obeying) {
			session = 0;
			break;
		}
		if ((session = dbc_is_session(d)) == -1) {
			log_error("%s connection failed: %s", d->what,
			    PQerrorMessage(d->c));
			goto fail;
		}
		break;
	}
	d->session = session;
	d->failed_at = 0;
	log_msg(db_obeying ? LOG_INFO : LOG_DEBUG,
	    "%s connected: %s", d->what, session ?
	    "a session of its own, statements prepared by name" :
	    "unnamed statements (CGI, a pooler, or prepare = off)");
	/* Catch up on what was sent while we were not connected. */
	if (d == &db_pri && db_obeying)
		db_check_armed = 1;
	return d->c;
fail:
	dbc_drop(d);
	d->failed_at = time(NULL);
	return NULL;
}

PGconn *
db_conn(void)
{
	return dbc_connect(&db_pri);
}

static enum db_status
dbc_status(struct dbc *d, PGresult *res)
{
	const char	*state, *msg;

	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		d->alive_ms = util_now_ms();
		return DB_OK;
	default:
		break;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state == NULL || strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "57P", 3) == 0 || PQstatus(d->c) != CONNECTION_OK) {
		log_error("%s unavailable: %s", d->what, PQerrorMessage(d->c));
		d->stale = 1;
		return DB_UNAVAIL;
	}
	d->alive_ms = util_now_ms();
	/* A server that turned read-only (a failover): find the primary. */
	if (strcmp(state, "25006") == 0) {
		log_error("%s is read-only: reconnecting", d->what);
		d->stale = 1;
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

/* On a session only: prepare by name once per connection. */
static enum db_status
dbc_prepare(struct dbc *d, const struct db_stmt *st)
{
	PGresult	*res;
	enum db_status	 s;
	size_t		 i;

	if (!d->session)
		return DB_OK;
	for (i = 0; i < d->nprepared; i++)
		if (d->prepared[i] == st)
			return DB_OK;
	res = PQprepare(d->c, st->name, st->sql, st->nparams, NULL);
	s = dbc_status(d, res);
	PQclear(res);
	if (s == DB_OK && d->nprepared < DB_MAXSTMT)
		d->prepared[d->nprepared++] = st;
	return s;
}

static int
dbc_is_prepared(const struct dbc *d, const struct db_stmt *st)
{
	size_t	 i;

	for (i = 0; d->session && i < d->nprepared; i++)
		if (d->prepared[i] == st)
			return 1;
	return 0;
}

static PGresult *
dbc_exec(struct dbc *d, const struct db_stmt *st, const char *const *params)
{
	if (dbc_is_prepared(d, st))
		return PQexecPrepared(d->c, st->name, st->nparams, params,
		    NULL, NULL, 0);
	return PQexecParams(d->c, st->sql, st->nparams, NULL, params, NULL,
	    NULL, 0);
}

static int
dbc_send(struct dbc *d, const struct db_job *j)
{
	if (j->st != NULL && dbc_is_prepared(d, j->st))
		return PQsendQueryPrepared(d->c, j->st->name, j->nparams,
		    j->params, NULL, NULL, 0);
	return PQsendQueryParams(d->c, j->st != NULL ? j->st->sql : j->sql,
	    j->nparams, NULL, j->params, NULL, NULL, 0);
}

/*
 * Several queries in one round trip, each with its own result (a failed
 * one makes the later ones PGRES_PIPELINE_ABORTED).  -1 when the
 * connection failed: no results, and the connection is dropped.
 */
static int
dbc_pipeline(struct dbc *d, struct db_job *jobs, size_t n)
{
	PGresult	*r;
	size_t		 i;
	int		 rc = -1, extra;

	for (i = 0; i < n; i++)
		jobs[i].res = NULL;
	if (PQenterPipelineMode(d->c) == 0)
		goto out;
	for (i = 0; i < n; i++)
		if (dbc_send(d, &jobs[i]) == 0)
			goto out;
	if (PQpipelineSync(d->c) == 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((jobs[i].res = PQgetResult(d->c)) == NULL)
			goto out;
		/* Each query's results end with a NULL. */
		for (extra = 0; (r = PQgetResult(d->c)) != NULL; extra++) {
			PQclear(r);
			if (extra > 4)
				goto out;
		}
	}
	r = PQgetResult(d->c);
	if (r == NULL || PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
		PQclear(r);
		goto out;
	}
	PQclear(r);
	rc = 0;
out:
	if (PQexitPipelineMode(d->c) == 0)
		rc = -1;
	if (rc == -1) {
		log_error("%s unavailable: %s", d->what, PQerrorMessage(d->c));
		for (i = 0; i < n; i++) {
			PQclear(jobs[i].res);
			jobs[i].res = NULL;
		}
		d->stale = 1;
	}
	return rc;
}

/* A restart notice newer than the one we know: obey it. */
static void
db_note(long long id, long long age)
{
	if (db_seen < 0) {
		db_seen = id;
		/* Sent after we started, before we first looked. */
		if (id > 0 && age >= 0 && age < (long long)(time(NULL) -
		    db_started))
			db_restart = 1;
	} else if (id > db_seen) {
		db_seen = id;
		db_restart = 1;
	}
}

static void
db_check_take(PGresult *res)
{
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return;
	db_check_armed = 0;
	db_check_due = util_now_ms() + db_check_every;
	if (PQntuples(res) == 0)
		db_note(0, -1);
	else
		db_note(strtoll(PQgetvalue(res, 0, 0), NULL, 10),
		    strtoll(PQgetvalue(res, 0, 1), NULL, 10));
}

/* Whether a successful statement changed something the request may read. */
static void
db_mark_write(const struct db_stmt *st, PGresult *res)
{
	const char	*cmd = PQcmdStatus(res);

	if (st->flags & DB_SIDE)
		return;
	if (strncmp(cmd, "SELECT", 6) == 0) {
		if (!(st->flags & (DB_IDEMPOTENT | DB_REPLICA)))
			db_req_wrote = 1;
	} else if (atoi(PQcmdTuples(res)) > 0)
		db_req_wrote = 1;
}

static enum db_status
db_exec_primary(const struct db_stmt *st, const char *const *params,
    PGresult **out)
{
	struct db_job	 jobs[DB_JOBS];
	PGresult	*res;
	enum db_status	 s;

	if (dbc_connect(&db_pri) == NULL)
		return DB_UNAVAIL;
	if ((s = dbc_prepare(&db_pri, st)) != DB_OK)
		return s;
	if (!db_check_armed)
		res = dbc_exec(&db_pri, st, params);
	else {
		/* The statement first: a failed check must not undo it. */
		jobs[0] = (struct db_job){ st, NULL, st->nparams, params, NULL };
		jobs[1] = (struct db_job){ NULL, db_check_sql, 0, NULL, NULL };
		if (dbc_pipeline(&db_pri, jobs, 2) == -1)
			return DB_UNAVAIL;
		db_check_take(jobs[1].res);
		PQclear(jobs[1].res);
		res = jobs[0].res;
	}
	if ((s = dbc_status(&db_pri, res)) == DB_OK) {
		db_mark_write(st, res);
		if (out != NULL) {
			*out = res;
			return DB_OK;
		}
	}
	PQclear(res);
	return s;
}

/*
 * A read on the replica, in one round trip with its lag check.  *served
 * is 0 when the primary must answer instead: no replica, unreachable,
 * or lagging.  A statement that fails on a replica that is up fails.
 */
static enum db_status
db_exec_replica(const struct db_stmt *st, const char *const *params,
    PGresult **out, int *served)
{
	struct db_job	 jobs[DB_JOBS];
	char		 lag[32];
	const char	*lp[] = { lag };
	enum db_status	 s;
	int		 lagging;

	*served = 0;
	if (dbc_connect(&db_rep) == NULL)
		return DB_UNAVAIL;
	if (dbc_prepare(&db_rep, st) != DB_OK)
		return DB_UNAVAIL;
	(void)snprintf(lag, sizeof(lag), "%ld", db_max_lag);
	jobs[0] = (struct db_job){ NULL, db_lag_sql, 1, lp, NULL };
	jobs[1] = (struct db_job){ st, NULL, st->nparams, params, NULL };
	if (dbc_pipeline(&db_rep, jobs, 2) == -1)
		return DB_UNAVAIL;
	lagging = PQresultStatus(jobs[0].res) != PGRES_TUPLES_OK ||
	    PQntuples(jobs[0].res) != 1 ||
	    strcmp(PQgetvalue(jobs[0].res, 0, 0), "f") != 0;
	PQclear(jobs[0].res);
	if (lagging != db_rep_lagging)
		log_warn("read replica %s", lagging ?
		    "lags more than read_max_lag: reading from the primary" :
		    "caught up: reading from it again");
	db_rep_lagging = lagging;
	if (lagging) {
		PQclear(jobs[1].res);
		return DB_UNAVAIL;
	}
	s = dbc_status(&db_rep, jobs[1].res);
	if (s == DB_UNAVAIL) {
		PQclear(jobs[1].res);
		return s;
	}
	*served = 1;
	if (s == DB_OK && out != NULL)
		*out = jobs[1].res;
	else
		PQclear(jobs[1].res);
	return s;
}

/*
 * Run a statement.  On success and when out is given, the caller owns
 * *out.  A DB_REPLICA read outside a transaction, in a request that has
 * not written, goes to the replica when there is one that keeps up.  A
 * statement marked DB_IDEMPOTENT that meets a broken connection outside
 * a transaction is retried once on a fresh one.
 */
enum db_status
db_exec(const struct db_stmt *st, const char *const *params, PGresult **out)
{
	enum db_status	 s;
	int		 in_tx = db_in_tx, served;

	if (out != NULL)
		*out = NULL;
	if ((st->flags & DB_REPLICA) && !in_tx && !db_req_wrote &&
	    db_rep.conninfo != NULL) {
		s = db_exec_replica(st, params, out, &served);
		if (served)
			return s;
	}
	s = db_exec_primary(st, params, out);
	if (s == DB_UNAVAIL && !in_tx && (st->flags & DB_IDEMPOTENT))
		s = db_exec_primary(st, params, out);
	if (s != DB_OK && in_tx)
		log_debug("statement %s failed inside a transaction", st->name);
	return s;
}

/* From now on this process obeys restarts (FastCGI mode only). */
void
db_obey_restarts(void)
{
	db_obeying = 1;
	db_check_armed = 1;
}

/* The primary's socket while connected, for the FastCGI loop's poll(). */
int
db_fd(void)
{
	return dbc_up(&db_pri) ? PQsocket(db_pri.c) : -1;
}

/*
 * What that poll() saw on db_fd(): quiet, the connection is alive; input
 * on an idle connection is the server's last words before it closes it
 * (a restart, a failover), read now so the next statement reconnects.
 */
void
db_polled(int readable)
{
	if (!readable)
		db_pri.alive_ms = util_now_ms();
	else if (dbc_gone(&db_pri))
		db_pri.stale = 1;
}

/* 1 when a restart is due, learnt from the stored notices. */
int
db_notified(void)
{
	return db_restart;
}

/* A FastCGI request starts: no write yet; check notices when due. */
void
db_request_begin(void)
{
	db_req_wrote = 0;
	if (db_obeying && util_now_ms() >= db_check_due)
		db_check_armed = 1;
}

/* Look at the stored notices now (an idle process). */
enum db_status
db_restart_check(void)
{
	PGresult	*res;
	enum db_status	 s;

	if (dbc_connect(&db_pri) == NULL)
		return DB_UNAVAIL;
	res = PQexecParams(db_pri.c, db_check_sql, 0, NULL, NULL, NULL, NULL,
	    0);
	if ((s = dbc_status(&db_pri, res)) == DB_OK)
		db_check_take(res);
	PQclear(res);
	return s;
}

/* The restart order of processes of name on front, counting up; -1. */
static const struct db_stmt st_slot = { "db_slot",
	"INSERT INTO restart_waves (front, executable) VALUES ($1, $2)"
	" ON CONFLICT (front, executable)"
	" DO UPDATE SET n = restart_waves.n + 1 RETURNING n",
	2, 0 };

/*
 * Each process of an executable on a front takes the next number when
 * it learns of a restart: a row, not a lock, so nothing is held on a
 * pooled connection, and any number of fronts each count their own.
 */
int
db_slot(const char *front, const char *name)
{
	const char	*p[] = { front, name };
	long		 n;

	if (db_exec_long(&st_slot, p, &n) != DB_OK)
		return -1;
	return (int)(n % 1000000);
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

	if (dbc_connect(&db_pri) == NULL)
		return DB_UNAVAIL;
	/* Fixed text, no parameters: one command, nothing from input. */
	res = PQexecParams(db_pri.c, sql, 0, NULL, NULL, NULL, NULL, 0);
	s = dbc_status(&db_pri, res);
	PQclear(res);
	return s;
}

enum db_status
db_begin(void)
{
	enum db_status	 s;

	if ((s = db_simple("BEGIN")) == DB_OK) {
		db_in_tx = 1;
		db_req_wrote = 1;
	}
	return s;
}

/* Only on the connection that began it: a fresh one would commit nothing. */
enum db_status
db_commit(void)
{
	int	 in_tx = db_in_tx;

	db_in_tx = 0;
	if (in_tx && !dbc_up(&db_pri)) {
		log_error("database connection lost inside a transaction");
		return DB_UNAVAIL;
	}
	return db_simple("COMMIT");
}

void
db_rollback(void)
{
	if (!db_in_tx)
		return;
	db_in_tx = 0;
	if (dbc_up(&db_pri))
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
	case DB_STALE:
		return 401;
	case DB_UNAVAIL:
	case DB_RETRY:
		return 503;
	default:
		return 500;
	}
}
