/*
 * chatrest-web: BareRTC's Web API over the chatrest store.
 *
 * Wire format of BareRTC (Go's encoding/json; see lib/barertc.c): POST
 * endpoints check the method, the exact content type, the JSON body and
 * then the API key from [web] api_key, in that order, and answer
 * {"OK": false, "Error": "…"} with a real status.  Unlike BareRTC the key
 * is compared in constant time, an unset key refuses (503), the JWT
 * secret must be set, and blocklists and presence live in PostgreSQL.
 * BareRTC usernames are localparts on [web] host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "barertc.h"
#include "blocks.h"
#include "events.h"
#include "jid.h"
#include "jwt.h"
#include "log.h"
#include "notices.h"
#include "presence.h"
#include "users.h"
#include "util.h"

#define M_ANY	(M_GET | M_HEAD | M_POST | M_PUT | M_DELETE | M_PATCH | \
		    M_OPTIONS)
#define NOTICE_MAX	4096
#define SHUTDOWN_NOTICE	"The chat server is going down for a reboot NOW!"

static int	web_statistics(struct req *, struct resp *);
static int	web_authenticate(struct req *, struct resp *);
static int	web_shutdown(struct req *, struct resp *);
static int	web_blocklist(struct req *, struct resp *);
static int	web_block_now(struct req *, struct resp *);
static int	web_disconnect_now(struct req *, struct resp *);

/* Every method reaches the handler: BareRTC answers each one itself. */
static const struct route routes[] = {
	{ M_ANY, "/api/statistics", web_statistics, 0 },
	{ M_ANY, "/api/authenticate", web_authenticate, 0 },
	{ M_ANY, "/api/authentication", web_authenticate, 0 },
	{ M_ANY, "/api/shutdown", web_shutdown, 0 },
	{ M_ANY, "/api/blocklist", web_blocklist, 0 },
	{ M_ANY, "/api/block/now", web_block_now, 0 },
	{ M_ANY, "/api/disconnect/now", web_disconnect_now, 0 },
};

/* A request's fields; the APIKey is always fields[0]. */
struct web_call {
	const struct barertc_field	*fields;
	size_t				 nfields;
	json_object			*vals[8];
	json_object			*obj;
	char				 err[BARERTC_ERR_MAX];
};

/*
 * Method, content type, body, fields, key.  0, or the status with the
 * message in c->err: 503 when [web] api_key is unset, 401 on a wrong key.
 */
static int
web_keyed(struct req *r, struct web_call *c)
{
	const char	*key = "", *want = r->cfg->web_api_key;
	int		 st;

	c->obj = NULL;
	if ((st = barertc_post(r, &c->obj, c->err, sizeof(c->err))) != 0)
		return st;
	if (barertc_fields(c->obj, "request", c->fields, c->nfields, c->vals,
	    c->err, sizeof(c->err)) == -1) {
		log_info("request body: %s", c->err);
		return 400;
	}
	if (want == NULL) {
		log_error("[web] api_key is not set: refusing %s", r->path);
		(void)snprintf(c->err, sizeof(c->err),
		    "The API key is not configured.");
		return 503;
	}
	if (c->vals[0] != NULL)
		key = json_object_get_string(c->vals[0]);
	if (!util_secret_eq(key, strlen(key), want, strlen(want))) {
		log_info("wrong or missing API key");
		(void)snprintf(c->err, sizeof(c->err), "Authentication denied.");
		return 401;
	}
	return 0;
}

static int
web_db_fail(struct resp *w, enum db_status s)
{
	int	 st = db_http_status(s);

	return barertc_fail(w, st, st == 503 ? "Service unavailable." :
	    "Internal server error.");
}

/*
 * A JSON array of usernames as localparts on the web host, as a text[]
 * literal.  Invalid names: -1 when strict, else left out.
 */
static int
web_names(json_object *arr, int strict, char **lit, size_t *count)
{
	char		**v;
	json_object	 *e;
	size_t		  n, i, k = 0;
	const char	 *s;
	int		  rc = -1;

	n = arr != NULL ? json_object_array_length(arr) : 0;
	v = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(arr, i);
		s = json_object_get_string(e);
		v[k] = xmalloc(JID_LOCAL_MAX + 1);
		if (e == NULL || strlen(s) != (size_t)json_object_get_string_len(e)
		    || jid_localpart(s, strlen(s), v[k]) == -1) {
			free(v[k]);
			v[k] = NULL;
			if (strict)
				goto out;
			continue;
		}
		k++;
	}
	*lit = blocks_array((const char *const *)v, k);
	if (count != NULL)
		*count = k;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc;
}

/* CORS for statistics: exact Origin match, never reflected otherwise. */
static int
web_cors(struct req *r, struct resp *w)
{
	const char	*origin = req_header(r, "Origin");

	(void)resp_header(w, "Vary", "Origin");
	if (origin == NULL || !config_list_has(&r->cfg->web_cors_hosts,
	    origin))
		return 0;
	return resp_header(w, "Access-Control-Allow-Origin", origin) == 0;
}

static int
web_statistics(struct req *r, struct resp *w)
{
	struct strlist	 names = { NULL, 0 };
	struct buf	 b = { NULL, 0, 0 };
	enum db_status	 s;
	size_t		 i;
	int		 allowed;

	allowed = web_cors(r, w);
	if (r->method == M_OPTIONS) {
		/* A preflight: simple GETs need none, so allow no headers. */
		(void)resp_header(w, "Allow", "GET, HEAD, OPTIONS");
		if (allowed) {
			(void)resp_header(w, "Access-Control-Allow-Methods",
			    "GET, HEAD");
			(void)resp_header(w, "Access-Control-Max-Age", "600");
		}
		resp_body(w, 200, NULL, "", 0);
		return 200;
	}
	if ((s = presence_online(r->cfg, r->cfg->web_host, &names)) != DB_OK)
		return web_db_fail(w, s);
	barertc_begin(&b);
	barertc_key(&b, "UserCount");
	buf_addf(&b, "%zu", names.n);
	barertc_key(&b, "Usernames");
	barertc_strings(&b, (const char *const *)names.v, names.n);
	barertc_end(&b);
	barertc_send(w, 200, &b);
	buf_free(&b);
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	return 200;
}

/* The claims BareRTC's jwt.Claims keeps, in its struct (output) order. */
enum { C_OP, C_VIP, C_IMG, C_URL, C_NICK, C_EMOJI, C_GENDER, C_RULES,
    C_ISS, C_SUB, C_AUD, C_EXP, C_NBF, C_IAT, C_JTI, C__MAX };
static const struct barertc_field claim_fields[C__MAX] = {
	{ "op", BK_BOOL }, { "vip", BK_BOOL }, { "img", BK_STRING },
	{ "url", BK_STRING }, { "nick", BK_STRING }, { "emoji", BK_STRING },
	{ "gender", BK_STRING }, { "rules", BK_STRINGS },
	{ "iss", BK_STRING }, { "sub", BK_STRING }, { "aud", BK_AUDIENCE },
	{ "exp", BK_NUMDATE }, { "nbf", BK_NUMDATE }, { "iat", BK_NUMDATE },
	{ "jti", BK_STRING },
};

/* Go's json.Marshal of jwt.Claims: omitempty, exp/nbf/iat ours. */
static void
web_claims(struct buf *b, json_object **v, long now, long life)
{
	json_object	*e;
	size_t		 i, k, n;
	const char	*s;
	int		 first = 1;

	buf_addc(b, '{');
	for (i = 0; i < C__MAX; i++) {
		if (i == C_EXP || i == C_NBF || i == C_IAT) {
			buf_addf(b, "%s\"%s\":%ld", first ? "" : ",",
			    claim_fields[i].name, i == C_EXP ? now + life : now);
			first = 0;
			continue;
		}
		if (v[i] == NULL)
			continue;
		switch (claim_fields[i].kind) {
		case BK_BOOL:
			if (!json_object_get_boolean(v[i]))
				continue;
			buf_addf(b, "%s\"%s\":true", first ? "" : ",",
			    claim_fields[i].name);
			break;
		case BK_STRING:
			s = json_object_get_string(v[i]);
			n = (size_t)json_object_get_string_len(v[i]);
			if (n == 0)
				continue;
			buf_addf(b, "%s\"%s\":", first ? "" : ",",
			    claim_fields[i].name);
			barertc_str(b, s, n);
			break;
		default:	/* rules, aud: arrays (aud may be one string) */
			if (json_object_is_type(v[i], json_type_string)) {
				buf_addf(b, "%s\"%s\":[", first ? "" : ",",
				    claim_fields[i].name);
				barertc_str(b, json_object_get_string(v[i]),
				    (size_t)json_object_get_string_len(v[i]));
				buf_addc(b, ']');
				break;
			}
			if ((n = json_object_array_length(v[i])) == 0)
				continue;
			buf_addf(b, "%s\"%s\":[", first ? "" : ",",
			    claim_fields[i].name);
			for (k = 0; k < n; k++) {
				e = json_object_array_get_idx(v[i], k);
				if (k > 0)
					buf_addc(b, ',');
				barertc_str(b, json_object_get_string(e),
				    (size_t)json_object_get_string_len(e));
			}
			buf_addc(b, ']');
			break;
		}
		first = 0;
	}
	buf_addc(b, '}');
}

/* Optionally, only registered and enabled users of the web host. */
static int
web_registered(struct req *r, json_object *sub, enum db_status *s)
{
	char		 local[JID_LOCAL_MAX + 1];
	const char	*name;
	struct user	 u;
	int		 found;

	*s = DB_OK;
	if (sub == NULL)
		return 0;
	name = json_object_get_string(sub);
	if (strlen(name) != (size_t)json_object_get_string_len(sub) ||
	    jid_localpart(name, strlen(name), local) == -1)
		return 0;
	if ((*s = users_get(r->cfg->web_host, local, &u, &found)) != DB_OK)
		return 0;
	return found && !u.disabled;
}

static int
web_authenticate(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "Claims", BK_OBJECT },
	};
	struct web_call	 c = { f, 2, { NULL }, NULL, "" };
	json_object	*cv[C__MAX], *claims;
	struct buf	 b = { NULL, 0, 0 }, out = { NULL, 0, 0 };
	const char	*secret = r->cfg->web_jwt_secret;
	enum db_status	 s;
	char		*tok = NULL;
	int		 st;

	if ((st = web_keyed(r, &c)) != 0) {
		barertc_fail(w, st, c.err);
		goto out;
	}
	if (secret == NULL) {
		log_error("[web] jwt_secret is not set: refusing to sign");
		st = barertc_fail(w, 503, "JWT signing is not configured.");
		goto out;
	}
	claims = c.vals[1] != NULL ? c.vals[1] : NULL;
	memset(cv, 0, sizeof(cv));
	if (claims != NULL && barertc_fields(claims, "Claims.Claims",
	    claim_fields, C__MAX, cv, c.err, sizeof(c.err)) == -1) {
		st = barertc_fail(w, 400, c.err);
		goto out;
	}
	if (r->cfg->web_jwt_registered_only &&
	    !web_registered(r, cv[C_SUB], &s)) {
		if (s != DB_OK)
			st = web_db_fail(w, s);
		else
			st = barertc_fail(w, 403, "Not a registered user.");
		goto out;
	}
	web_claims(&b, cv, (long)time(NULL), r->cfg->web_jwt_lifetime);
	if ((tok = jwt_sign(secret, strlen(secret), b.p, b.len)) == NULL) {
		st = barertc_fail(w, 500, "Error signing the JWT claims.");
		goto out;
	}
	barertc_begin(&out);
	barertc_key(&out, "OK");
	buf_adds(&out, "true");
	barertc_key(&out, "JWT");
	barertc_str(&out, tok, strlen(tok));
	barertc_end(&out);
	barertc_send(w, 200, &out);
	st = 200;
	log_info("signed a token");
out:
	free(tok);
	buf_free(&b);
	buf_free(&out);
	json_object_put(c.obj);
	return st;
}

static int
web_ok(struct resp *w)
{
	resp_json_text(w, 200, "{\n  \"OK\": true\n}\n");
	return 200;
}

static int
web_shutdown(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "Claims", BK_OBJECT },
	};
	struct web_call	 c = { f, 2, { NULL }, NULL, "" };
	enum db_status	 s;
	int		 st;

	if ((st = web_keyed(r, &c)) != 0)
		st = barertc_fail(w, st, c.err);
	else if ((s = notices_restart(SHUTDOWN_NOTICE)) != DB_OK)
		st = web_db_fail(w, s);
	else {
		log_warn("restart of every chatrest process requested");
		st = web_ok(w);
	}
	json_object_put(c.obj);
	return st;
}

static int
web_blocklist(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "Username", BK_STRING },
		{ "Blocklist", BK_STRINGS },
	};
	struct web_call	 c = { f, 3, { NULL }, NULL, "" };
	char		 local[JID_LOCAL_MAX + 1], *arr = NULL;
	const char	*name = "";
	struct user	 u;
	enum db_status	 s;
	int		 st, found;

	if ((st = web_keyed(r, &c)) != 0) {
		barertc_fail(w, st, c.err);
		goto out;
	}
	if (c.vals[1] != NULL)
		name = json_object_get_string(c.vals[1]);
	if (strlen(name) != (size_t)json_object_get_string_len(c.vals[1]) ||
	    jid_localpart(name, strlen(name), local) == -1) {
		st = barertc_fail(w, 400, "Invalid Username.");
		goto out;
	}
	if (web_names(c.vals[2], 1, &arr, NULL) == -1) {
		st = barertc_fail(w, 400, "Invalid username in Blocklist.");
		goto out;
	}
	if ((s = users_get(r->cfg->web_host, local, &u, &found)) != DB_OK) {
		st = web_db_fail(w, s);
		goto out;
	}
	if (!found) {
		st = barertc_fail(w, 404, "No such user.");
		goto out;
	}
	if ((s = blocks_replace(u.id, r->cfg->web_host, arr)) != DB_OK) {
		st = web_db_fail(w, s);
		goto out;
	}
	log_info("blocklist of %s@%s replaced", u.local, u.host);
	st = web_ok(w);
out:
	free(arr);
	json_object_put(c.obj);
	return st;
}

static int
web_block_now(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "Usernames", BK_STRINGS },
	};
	struct web_call	 c = { f, 2, { NULL }, NULL, "" };
	char		*arr = NULL;
	enum db_status	 s;
	int		 st;

	if ((st = web_keyed(r, &c)) != 0)
		st = barertc_fail(w, st, c.err);
	else if (web_names(c.vals[1], 1, &arr, NULL) == -1)
		st = barertc_fail(w, 400, "Invalid username in Usernames.");
	else if ((s = blocks_mutual(r->cfg->web_host, arr)) != DB_OK)
		st = web_db_fail(w, s);
	else
		st = web_ok(w);
	free(arr);
	json_object_put(c.obj);
	return st;
}

/* {"OK": ok, "Removed": n, "Error"?: msg}: Removed is never omitted. */
static int
web_removed(struct resp *w, int status, long removed, const char *msg)
{
	struct buf	 b = { NULL, 0, 0 };

	barertc_begin(&b);
	barertc_key(&b, "OK");
	buf_adds(&b, msg == NULL ? "true" : "false");
	barertc_key(&b, "Removed");
	buf_addf(&b, "%ld", removed);
	if (msg != NULL) {
		barertc_key(&b, "Error");
		barertc_str(&b, msg, strlen(msg));
	}
	barertc_end(&b);
	barertc_send(w, status, &b);
	buf_free(&b);
	return status;
}

static int
web_disconnect_now(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "Usernames", BK_STRINGS },
		{ "Message", BK_STRING }, { "Kick", BK_BOOL },
	};
	struct web_call	 c = { f, 4, { NULL }, NULL, "" };
	const char	*msg = "";
	char		*arr = NULL;
	long		 removed = 0;
	enum db_status	 s;
	int		 st, kick;

	if ((st = web_keyed(r, &c)) != 0) {
		st = web_removed(w, st, 0, c.err);
		goto out;
	}
	if (c.vals[2] != NULL)
		msg = json_object_get_string(c.vals[2]);
	kick = c.vals[3] != NULL && json_object_get_boolean(c.vals[3]);
	if (strlen(msg) > NOTICE_MAX || (c.vals[2] != NULL && strlen(msg) !=
	    (size_t)json_object_get_string_len(c.vals[2]))) {
		st = web_removed(w, 400, 0, "Invalid Message.");
		goto out;
	}
	/* Names that cannot be accounts cannot be present: skipped. */
	(void)web_names(c.vals[1], 0, &arr, NULL);
	if ((s = db_begin()) != DB_OK)
		goto fail;
	if (*msg != '\0' && (s = notices_users(r->cfg->web_host, arr,
	    kick ? "kick" : "disconnect", msg, r->cfg->presence_window)) !=
	    DB_OK)
		goto fail;
	if ((s = presence_clear(r->cfg, r->cfg->web_host, arr, &removed)) !=
	    DB_OK)
		goto fail;
	if (kick && (s = events_kick(r->cfg->web_host, arr)) != DB_OK)
		goto fail;
	if ((s = db_commit()) != DB_OK)
		goto fail;
	log_info("%s %ld user(s)", kick ? "kicked" : "disconnected", removed);
	st = web_removed(w, 200, removed, NULL);
	goto out;
fail:
	db_rollback();
	st = db_http_status(s);
	st = web_removed(w, st, 0, st == 503 ? "Service unavailable." :
	    "Internal server error.");
out:
	free(arr);
	json_object_put(c.obj);
	return st;
}

static const struct app app = {
	.name = "chatrest-web",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.error = barertc_error,
};

int
main(int argc, char *argv[])
{
	return app_main(&app, argc, argv);
}
