/*
 * failures: repeated failed logins per account name, kept in the store
 * (every worker on every web server sees the same counts).
 *
 * A count lives for [identity] fail_window seconds after the last failure
 * recorded; a success clears it.  Names are counted whether or not an
 * account exists, so a refusal says nothing about existence; stale rows
 * are deleted as new failures come in, which bounds the table by the
 * names tried within one window.
 */
#include <stdio.h>
#include <stdlib.h>

#include "failures.h"
#include "log.h"

static const struct db_stmt st_count = { "failures_count",
	"SELECT failures FROM identity_failures"
	" WHERE host = $1 AND localpart = $2"
	" AND last_at > now() - make_interval(secs => $3::integer)",
	3, DB_IDEMPOTENT };

static const struct db_stmt st_record = { "failures_record",
	"INSERT INTO identity_failures AS f (host, localpart, failures)"
	" VALUES ($1, $2, 1)"
	" ON CONFLICT (host, localpart) DO UPDATE SET"
	" failures = CASE WHEN f.last_at > now() -"
	"   make_interval(secs => $3::integer) THEN f.failures + 1 ELSE 1 END,"
	" last_at = now()"
	" RETURNING failures",
	3, 0 };

static const struct db_stmt st_expire = { "failures_expire",
	"DELETE FROM identity_failures"
	" WHERE last_at < now() - make_interval(secs => $1::integer)",
	1, 0 };

static const struct db_stmt st_clear = { "failures_clear",
	"DELETE FROM identity_failures WHERE host = $1 AND localpart = $2",
	2, 0 };

/* Failures within the window; 0 when none. */
enum db_status
failures_count(const struct config *c, const char *host, const char *local,
    long *n)
{
	char		 win[24];
	const char	*p[] = { host, local, win };

	(void)snprintf(win, sizeof(win), "%ld", c->id_fail_window);
	return db_exec_long(&st_count, p, n);
}

/* One more failure; *n is the count including it. */
enum db_status
failures_record(const struct config *c, const char *host, const char *local,
    long *n)
{
	char		 win[24];
	const char	*p[] = { host, local, win };
	enum db_status	 s;

	(void)snprintf(win, sizeof(win), "%ld", c->id_fail_window);
	if ((s = db_exec_long(&st_record, p, n)) != DB_OK)
		return s;
	/* Housekeeping only: a failure here changes no answer. */
	p[0] = win;
	if (db_exec(&st_expire, p, NULL) != DB_OK)
		log_warn("could not expire old login failure counts");
	return DB_OK;
}

enum db_status
failures_clear(const char *host, const char *local)
{
	const char	*p[] = { host, local };

	return db_exec(&st_clear, p, NULL);
}
