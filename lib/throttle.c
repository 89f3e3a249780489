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
 * back.  Over its limit, the pair or the address is refused outright.
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
	" VALUES ('pair', $1 || ' ' || $2, 1), ('address', $2, 1),"
	" ('account', $1, 1)"
	" ON CONFLICT (kind, subject) DO UPDATE SET"
	" level = least(2 * " LIMIT("t.kind") ", greatest(0, t.level -"
	"   extract(epoch FROM now() - t.at) * " LIMIT("t.kind")
	"   / $3::float8) + 1),"
	" at = now()"
	" RETURNING kind, level",
	6, DB_SIDE };

static const struct db_stmt st_release = { "throttle_release",
	"UPDATE auth_throttle SET"
	" level = CASE kind WHEN 'pair' THEN 0 ELSE greatest(0, level - 1) END"
	" WHERE (kind, subject) IN (('pair', $1 || ' ' || $2),"
	" ('address', $2), ('account', $1))",
	2, DB_SIDE };

/*
 * The levels the three buckets have now, drained, for a credential found
 * right: a read, so the common case commits nothing.
 */
static const struct db_stmt st_peek = { "throttle_peek",
	"SELECT kind, greatest(0, level - extract(epoch FROM now() - at) * "
	LIMIT("kind") " / $3::float8)"
	" FROM auth_throttle"
	" WHERE (kind, subject) IN (('pair', $1 || ' ' || $2), ('address', $2),"
	" ('account', $1))",
	6, DB_IDEMPOTENT };

/* A success clears the failures of its pair. */
static const struct db_stmt st_clear_pair = { "throttle_clear_pair",
	"UPDATE auth_throttle SET level = 0"
	" WHERE kind = 'pair' AND subject = $1 || ' ' || $2 AND level > 0",
	2, DB_SIDE };

static const struct db_stmt st_expire = { "throttle_expire",
	"DELETE FROM auth_throttle"
	" WHERE at < now() - make_interval(secs => 2 * $1::integer)",
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

/* The levels with this attempt counted: refuse it, or check it. */
static enum throttle_result
throttle_decide(const struct config *c, double pair, double addr,
    double acct, struct throttle *t)
{
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
		return THROTTLE_GO;
	return THROTTLE_WAIT;
}

/* What a bucket at level (drained to now) is with one more attempt. */
static double
throttle_plus_one(double level, long limit)
{
	return level + 1 < 2.0 * limit ? level + 1 : 2.0 * limit;
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
	if ((rc = throttle_decide(c, pair, addr, acct, t)) == THROTTLE_WAIT) {
		log_warn("auth failure for %s from %s", t->account,
		    t->address);
		log_info("throttled: retry after %ld s", t->retry_after);
		throttle_expire(c);
	}
out:
	PQclear(res);
	return rc;
}

/*
 * As throttle_begin, for a credential already compared (right or not):
 * the same answers, but a right one writes nothing while its buckets are
 * under their limits, so it costs a read and no commit.  What the
 * buckets would be with this attempt counted comes from their drained
 * levels; a wrong credential, or one that would be refused, is counted
 * and decided by throttle_begin, after the same read, so right and wrong
 * cost the same while refused.  A success clears its pair's failures,
 * as throttle_end does.
 */
enum throttle_result
throttle_check(const struct config *c, const char *account,
    const char *address, int right, struct throttle *t)
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
	if (db_exec(&st_peek, p, &res) != DB_OK)
		goto out;
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
	if (!right || throttle_decide(c,
	    throttle_plus_one(pair, c->id_fail_limit),
	    throttle_plus_one(addr, c->auth_address_limit),
	    throttle_plus_one(acct, c->auth_account_limit), t) !=
	    THROTTLE_GO) {
		PQclear(res);
		return throttle_begin(c, account, address, t);
	}
	rc = THROTTLE_GO;
	if (pair > 0 && db_exec(&st_clear_pair, p, NULL) != DB_OK)
		log_warn("could not clear the failures of a pair");
out:
	PQclear(res);
	return rc;
}

/* The outcome of the check: a success takes the reservation back. */
void
throttle_end(const struct config *c, struct throttle *t, int success)
{
	const char	*p[] = { t->account, t->address };

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
