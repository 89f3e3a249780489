/*
 * throttle: guessing limits on every password and key check, kept in the
 * store so every worker on every web server shares them.
 *
 * Three leaky buckets per attempt: the (account, address) pair, the
 * client address, and the account.  Each failure adds one; a bucket
 * drains at limit/window per second, so the wait after a run of failures
 * grows with them and decays with time.  The attempt is added to all
 * three in one statement BEFORE the credential is checked, so concurrent
 * guesses cannot all pass a count read beforehand; a success takes it
 * back, a refusal keeps it on the pair only.  Every statement locks the
 * rows it changes in (kind, subject) order, so a reservation and a
 * take-back never deadlock.  Over its limit, the pair or the address is
 * refused outright.
 * The account only slows: while it is over its limit, addresses that
 * have failed on it recently are refused, but an address with a clean
 * record still gets its check, so the owner can log in while others
 * guess.  Nobody sleeps: a refusal is the API's ordinary failure with a
 * Retry-After.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "throttle.h"

/* Buckets hold at most twice their limit: the longest wait is a window. */
#define LIMIT(k)	"CASE " k " WHEN 'pair' THEN $4::float8" \
			" WHEN 'address' THEN $5::float8 ELSE $6::float8 END"

static const struct db_stmt st_reserve = { "throttle_reserve",
	"INSERT INTO auth_throttle AS t (kind, subject, level)"
	" VALUES ('account', $1, 1), ('address', $2, 1),"
	" ('pair', $1 || ' ' || $2, 1)"
	" ON CONFLICT (kind, subject) DO UPDATE SET"
	" level = least(2 * " LIMIT("t.kind") ", greatest(0, t.level -"
	"   extract(epoch FROM now() - t.at) * " LIMIT("t.kind")
	"   / $3::float8) + 1),"
	" at = now()"
	" RETURNING kind, level",
	6, DB_SIDE };

/*
 * Take an attempt back from the buckets named in $4; $3: it succeeded,
 * so its pair starts afresh.
 */
static const struct db_stmt st_release = { "throttle_release",
	"UPDATE auth_throttle t SET"
	" level = CASE WHEN t.kind = 'pair' AND $3::boolean THEN 0"
	"  WHEN t.kind = ANY ($4::text[]) THEN greatest(0, t.level - 1)"
	"  ELSE t.level END"
	" FROM (SELECT kind, subject FROM auth_throttle"
	"  WHERE (kind, subject) IN (('account', $1), ('address', $2),"
	"  ('pair', $1 || ' ' || $2)) ORDER BY kind, subject FOR UPDATE) l"
	" WHERE t.kind = l.kind AND t.subject = l.subject",
	4, DB_SIDE };

/* Drained counters; one that is being counted now is left for later. */
static const struct db_stmt st_expire = { "throttle_expire",
	"DELETE FROM auth_throttle WHERE (kind, subject) IN"
	" (SELECT kind, subject FROM auth_throttle"
	"  WHERE at < now() - make_interval(secs => 2 * $1::integer)"
	"  ORDER BY kind, subject FOR UPDATE SKIP LOCKED)",
	1, DB_SIDE };

static const struct db_stmt st_list = { "throttle_list",
	"SELECT kind, subject, greatest(0, level - extract(epoch FROM"
	" now() - at) * CASE kind WHEN 'pair' THEN $2::float8"
	" WHEN 'address' THEN $3::float8 ELSE $4::float8 END / $1::float8)"
	" FROM auth_throttle ORDER BY kind, subject",
	4, DB_IDEMPOTENT };

static const struct db_stmt st_clear = { "throttle_clear",
	"DELETE FROM auth_throttle WHERE $1 = '' OR subject = $1"
	" OR (kind = 'pair' AND ($1 = split_part(subject, ' ', 1)"
	" OR $1 = split_part(subject, ' ', 2)))",
	1, 0 };

/* Housekeeping only: a failure here changes no answer. */
static void
throttle_expire(const struct config *c)
{
	char		 win[24];
	const char	*p[] = { win };

	(void)snprintf(win, sizeof(win), "%ld", c->id_fail_window);
	if (db_exec(&st_expire, p, NULL) != DB_OK)
		log_warn("could not expire drained failure counters");
}

/* Seconds until a bucket at level drains back to its limit. */
static long
throttle_wait(double level, long limit, long window)
{
	double	 s;
	long	 n;

	s = (level - (double)limit) * (double)window / (double)limit;
	n = (long)s;
	if ((double)n < s)
		n++;
	return n < 1 ? 1 : n;
}

/*
 * A refused attempt checked nothing: it stays counted on its pair, so
 * a guesser who keeps trying waits longer, but not on the address and
 * the account, or a burst of right but uncached logins (new processes
 * of a busy front) would lock out everyone behind that address with its
 * own refusals.  A bucket at its cap got nothing from the attempt and
 * gives nothing back, so a refusal never lowers a level.
 */
static void
throttle_unrefuse(const struct config *c, struct throttle *t, double addr,
    double acct)
{
	char		 kinds[24];
	const char	*p[] = { t->account, t->address, "false", kinds };

	(void)snprintf(kinds, sizeof(kinds), "{%s,%s}",
	    acct < 2.0 * c->auth_account_limit ? "account" : "-",
	    addr < 2.0 * c->auth_address_limit ? "address" : "-");
	if (db_exec(&st_release, p, NULL) != DB_OK)
		log_warn("could not take back a refused attempt");
}

/*
 * Reserve one attempt of account from address.  THROTTLE_GO: check the
 * credential, then call throttle_end with the outcome.
 */
enum throttle_result
throttle_begin(const struct config *c, const char *account,
    const char *address, struct throttle *t)
{
	char		 win[24], lp[24], la[24], lc[24];
	const char	*p[] = { t->account, t->address, win, lp, la, lc };
	PGresult	*res = NULL;
	double		 pair = 0, addr = 0, acct = 0, v;
	const char	*kind;
	enum throttle_result rc = THROTTLE_UNAVAIL;
	int		 i;

	memset(t, 0, sizeof(*t));
	(void)snprintf(t->account, sizeof(t->account), "%s", account);
	(void)snprintf(t->address, sizeof(t->address), "%s",
	    address != NULL && *address != '\0' ? address : "-");
	if (c->id_fail_limit <= 0)
		return THROTTLE_GO;
	(void)snprintf(win, sizeof(win), "%ld", c->id_fail_window);
	(void)snprintf(lp, sizeof(lp), "%ld", c->id_fail_limit);
	(void)snprintf(la, sizeof(la), "%ld", c->auth_address_limit);
	(void)snprintf(lc, sizeof(lc), "%ld", c->auth_account_limit);
	if (db_exec(&st_reserve, p, &res) != DB_OK)
		goto out;
	t->reserved = 1;
	for (i = 0; i < PQntuples(res); i++) {
		kind = PQgetvalue(res, i, 0);
		v = strtod(PQgetvalue(res, i, 1), NULL);
		if (strcmp(kind, "pair") == 0)
			pair = v;
		else if (strcmp(kind, "address") == 0)
			addr = v;
		else
			acct = v;
	}
	rc = THROTTLE_WAIT;
	if (pair > c->id_fail_limit)
		t->retry_after = throttle_wait(pair, c->id_fail_limit,
		    c->id_fail_window);
	else if (addr > c->auth_address_limit)
		t->retry_after = throttle_wait(addr, c->auth_address_limit,
		    c->id_fail_window);
	else if (acct > c->auth_account_limit && pair - 1 > 0.5)
		t->retry_after = throttle_wait(acct, c->auth_account_limit,
		    c->id_fail_window);
	else
		rc = THROTTLE_GO;
	if (rc == THROTTLE_WAIT) {
		log_warn("auth failure for %s from %s", t->account,
		    t->address);
		log_info("throttled: retry after %ld s", t->retry_after);
		throttle_unrefuse(c, t, addr, acct);
		throttle_expire(c);
	}
out:
	PQclear(res);
	return rc;
}

/* The outcome of the check: a success takes the reservation back. */
void
throttle_end(const struct config *c, struct throttle *t, int success)
{
	const char	*p[] = { t->account, t->address, "true",
			    "{account,address}" };

	if (!success)
		log_warn("auth failure for %s from %s", t->account,
		    t->address);
	if (!t->reserved)
		return;
	t->reserved = 0;
	if (success) {
		if (db_exec(&st_release, p, NULL) != DB_OK)
			log_warn("could not take back a counted attempt");
		return;
	}
	throttle_expire(c);
}

/* Every counter with its current level (drained to now) and wait. */
enum db_status
throttle_list(const struct config *c, throttle_fn fn, void *arg)
{
	char		 win[24], lp[24], la[24], lc[24];
	const char	*p[] = { win, lp, la, lc };
	PGresult	*res = NULL;
	enum db_status	 s;
	double		 level;
	long		 lim, wait;
	const char	*kind;
	int		 i;

	(void)snprintf(win, sizeof(win), "%ld", c->id_fail_window);
	(void)snprintf(lp, sizeof(lp), "%ld", c->id_fail_limit);
	(void)snprintf(la, sizeof(la), "%ld", c->auth_address_limit);
	(void)snprintf(lc, sizeof(lc), "%ld", c->auth_account_limit);
	if ((s = db_exec(&st_list, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		kind = PQgetvalue(res, i, 0);
		lim = strcmp(kind, "pair") == 0 ? c->id_fail_limit :
		    strcmp(kind, "address") == 0 ? c->auth_address_limit :
		    c->auth_account_limit;
		level = strtod(PQgetvalue(res, i, 2), NULL);
		wait = lim > 0 && level > lim ?
		    throttle_wait(level, lim, c->id_fail_window) : 0;
		fn(arg, kind, PQgetvalue(res, i, 1), level, wait);
	}
out:
	PQclear(res);
	return s;
}

/* Forget the counters of one account or address ("" for all). */
enum db_status
throttle_clear(const char *subject, int *n)
{
	const char	*p[] = { subject };

	return db_exec_count(&st_clear, p, n);
}
