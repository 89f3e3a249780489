/*
 * db: the process's PostgreSQL connections (the primary, and optionally
 * a read replica) and the statements run on them.
 */
#ifndef DB_H
#define DB_H

#include <stddef.h>

#include <libpq-fe.h>

struct config;

enum db_flag {
	DB_IDEMPOTENT	= 1 << 0,	/* may be retried once after reconnect */
	DB_REPLICA	= 1 << 1,	/* a read that may be served lagging */
	DB_SIDE		= 1 << 2,	/* a write of bookkeeping the request
					   never reads back (guessing counters,
					   last-seen): later reads may still
					   go to a replica */
};

/* Store modules declare their statements as static const tables. */
struct db_stmt {
	const char	*name;
	const char	*sql;
	int		 nparams;
	unsigned	 flags;
};

enum db_status {
	DB_OK,
	DB_UNIQUE,	/* 23505: the API's "exists" */
	DB_RETRY,	/* 40001, 40P01: serialization failure, deadlock */
	DB_UNAVAIL,	/* no connection: 503 with Retry-After */
	DB_ERROR,	/* anything else: logged, 500 */
	DB_STALE,	/* a cached password hash is no longer the stored
			   one: nothing done, authenticate again (401) */
};

/*
 * A restart: a stored notice (server_notices), which every FastCGI
 * process finds, and a NOTIFY on this channel for the live-event
 * processes, which listen.
 */
#define DB_CHANNEL_RESTART	"chatrest_restart"

void		 db_init(const char *, const char *);
void		 db_configure(const struct config *);
void		 db_obey_restarts(void);
int		 db_fd(void);
void		 db_polled(int);
int		 db_notified(void);
void		 db_request_begin(void);
enum db_status	 db_restart_check(void);
void		 db_close(void);
PGconn		*db_conn(void);
enum db_status	 db_exec(const struct db_stmt *, const char *const *,
		    PGresult **) __attribute__((warn_unused_result));
enum db_status	 db_exec_value(const struct db_stmt *, const char *const *,
		    char *, size_t, int *) __attribute__((warn_unused_result));
enum db_status	 db_exec_long(const struct db_stmt *, const char *const *,
		    long *) __attribute__((warn_unused_result));
enum db_status	 db_exec_count(const struct db_stmt *, const char *const *,
		    int *) __attribute__((warn_unused_result));
int		 db_slot(const char *, const char *);
enum db_status	 db_begin(void) __attribute__((warn_unused_result));
enum db_status	 db_commit(void) __attribute__((warn_unused_result));
void		 db_rollback(void);
int		 db_retry_take(void);
int		 db_http_status(enum db_status);

#endif
