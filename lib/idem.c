/*
 * idem: Idempotency-Key, a retried write answered as the first was.
 *
 * The key is taken in the write's own transaction: an INSERT that waits
 * for any concurrent holder of the same key, so of two processes racing
 * with one key exactly one writes and the other gets its answer.  If the
 * write fails or its commit is lost, the key goes with it and a retry
 * writes afresh; if the commit landed, a retry finds the stored answer.
 * Keys belong to the authenticated caller and live for [server]
 * idempotency_window seconds.
 */
#include <stdlib.h>
#include <string.h>

#include "idem.h"
#include "log.h"
#include "util.h"

static const struct db_stmt st_take = { "idem_take",
	"INSERT INTO idempotency_keys AS k (owner, idem_key, scope)"
	" VALUES ($1, $2, $3)"
	" ON CONFLICT (owner, idem_key) DO UPDATE SET scope = EXCLUDED.scope,"
	" status = NULL, headers = NULL, body = NULL, created_at = now()"
	" WHERE k.created_at < now() - make_interval(secs => $4::integer)"
	" RETURNING 1",
	4, 0 };

static const struct db_stmt st_get = { "idem_get",
	"SELECT scope, status, headers, body FROM idempotency_keys"
	" WHERE owner = $1 AND idem_key = $2",
	2, 0 };

static const struct db_stmt st_store = { "idem_store",
	"UPDATE idempotency_keys SET status = $3::integer, headers = $4,"
	" body = $5 WHERE owner = $1 AND idem_key = $2",
	5, 0 };

static const struct db_stmt st_expire = { "idem_expire",
	"DELETE FROM idempotency_keys"
	" WHERE created_at < now() - make_interval(secs => $1::integer)",
	1, 0 };

/* 1 to IDEM_KEY_MAX printable ASCII bytes (a UUID, typically). */
int
idem_key_ok(const char *k)
{
	size_t	 n;

	for (n = 0; k[n] != '\0'; n++)
		if (k[n] < 0x21 || k[n] > 0x7e)
			return 0;
	return n > 0 && n <= IDEM_KEY_MAX;
}

/* In a transaction: take the key for scope, or find its answer. */
enum db_status
idem_reserve(const struct config *c, const char *owner, const char *key,
    const char *scope, enum idem_state *st, struct idem_answer *a)
{
	char		 win[24];
	const char	*p[] = { owner, key, scope, win };
	PGresult	*res = NULL;
	enum db_status	 s;

	memset(a, 0, sizeof(*a));
	(void)snprintf(win, sizeof(win), "%ld", c->idem_window);
	if ((s = db_exec(&st_take, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) == 1) {
		*st = IDEM_FRESH;
		PQclear(res);
		res = NULL;
		p[0] = win;
		s = db_exec(&st_expire, p, NULL);
		goto out;
	}
	PQclear(res);
	if ((s = db_exec(&st_get, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 1) ||
	    strcmp(PQgetvalue(res, 0, 0), scope) != 0) {
		*st = IDEM_MISMATCH;
		goto out;
	}
	*st = IDEM_REPLAY;
	a->status = atoi(PQgetvalue(res, 0, 1));
	a->headers = xstrdup(PQgetvalue(res, 0, 2));
	a->body = xstrdup(PQgetvalue(res, 0, 3));
out:
	PQclear(res);
	return s;
}

/* In the same transaction, before it commits: the answer to replay. */
enum db_status
idem_store(const char *owner, const char *key, int status,
    const char *headers, const char *body)
{
	char		 st[16];
	const char	*p[] = { owner, key, st, headers, body };

	(void)snprintf(st, sizeof(st), "%d", status);
	return db_exec(&st_store, p, NULL);
}

void
idem_answer_free(struct idem_answer *a)
{
	free(a->headers);
	free(a->body);
	memset(a, 0, sizeof(*a));
}

/*
 * Run a write route under the request's Idempotency-Key, if it has one
 * and the caller authenticated.  Only a success is kept: a refused or
 * failed write takes nothing, so its retry is a new attempt.
 */
int
idem_run(struct req *r, struct resp *w, route_fn fn)
{
	const char		*key = req_header(r, "Idempotency-Key");
	struct idem_answer	 a = { 0, NULL, NULL };
	enum idem_state		 state;
	enum db_status		 s;
	char			*scope = NULL;
	int			 st;

	if (key == NULL || r->cfg->idem_window == 0 || r->principal[0] == '\0')
		return fn(r, w);
	if (!idem_key_ok(key)) {
		log_info("malformed Idempotency-Key");
		return 400;
	}
	scope = xasprintf("%s %s", r->method_name, r->path);
	if ((s = db_begin()) != DB_OK) {
		st = db_http_status(s);
		goto out;
	}
	if ((s = idem_reserve(r->cfg, r->principal, key, scope, &state,
	    &a)) != DB_OK) {
		st = db_http_status(s);
		goto fail;
	}
	if (state == IDEM_MISMATCH) {
		log_info("Idempotency-Key reused for another request");
		st = 409;
		goto fail;
	}
	if (state == IDEM_REPLAY) {
		db_rollback();
		resp_reset(w);
		buf_adds(&w->headers, a.headers);
		(void)resp_header(w, "Idempotent-Replayed", "true");
		resp_body(w, a.status, NULL, a.body, strlen(a.body));
		log_info("answered a retried write from its first answer");
		st = a.status;
		goto out;
	}
	st = fn(r, w);
	if (st < 200 || st > 299)
		goto fail;
	if ((s = idem_store(r->principal, key, st, w->headers.p != NULL ?
	    w->headers.p : "", w->body.p != NULL ? w->body.p : "")) !=
	    DB_OK || (s = db_commit()) != DB_OK) {
		resp_reset(w);
		st = db_http_status(s);
		goto fail;
	}
	goto out;
fail:
	db_rollback();
out:
	idem_answer_free(&a);
	free(scope);
	return st;
}
