/*
 * chatrest-web: BareRTC's Web API over the chatrest store.
 *
 * Wire format of BareRTC (Go's encoding/json; see lib/wire/barertc.c): POST
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
#include "auth.h"
#include "barertc.h"
#include "blocks.h"
#include "dms.h"
#include "events.h"
#include "jid.h"
#include "jwt.h"
#include "log.h"
#include "notices.h"
#include "presence.h"
#include "profiles.h"
#include "threepids.h"
#include "users.h"
#include "util.h"
#include "webhook.h"

#define M_ANY	(M_GET | M_HEAD | M_POST | M_PUT | M_DELETE | M_PATCH | \
		    M_OPTIONS)
#define NOTICE_MAX	4096
#define SHUTDOWN_NOTICE	"The chat server is going down for a reboot NOW!"
#define WEBHOOK_TIMEOUT	10	/* seconds, as BareRTC */
#define NO_JWT		"JWT authentication is not available."
#define NOT_ONLINE	"You are not logged into the chat room."
#define NO_DMS		"you have no direct messages stored on this chat server"
#define BAD_PROFILE	"Didn't get expected response for profile data: "

static int	web_statistics(struct req *, struct resp *);
static int	web_authenticate(struct req *, struct resp *);
static int	web_shutdown(struct req *, struct resp *);
static int	web_blocklist(struct req *, struct resp *);
static int	web_block_now(struct req *, struct resp *);
static int	web_disconnect_now(struct req *, struct resp *);
static int	web_profile(struct req *, struct resp *);
static int	web_history(struct req *, struct resp *);
static int	web_usernames(struct req *, struct resp *);
static int	web_clear(struct req *, struct resp *);

/* Every method reaches the handler: BareRTC answers each one itself. */
static const struct route routes[] = {
	{ M_ANY, "/api/statistics", web_statistics, 0 },
	{ M_ANY, "/api/authenticate", web_authenticate, 0 },
	{ M_ANY, "/api/authentication", web_authenticate, 0 },
	{ M_ANY, "/api/shutdown", web_shutdown, 0 },
	{ M_ANY, "/api/blocklist", web_blocklist, 0 },
	{ M_ANY, "/api/block/now", web_block_now, 0 },
	{ M_ANY, "/api/disconnect/now", web_disconnect_now, 0 },
	{ M_ANY, "/api/profile", web_profile, 0 },
	{ M_ANY, "/api/message/history", web_history, 0 },
	{ M_ANY, "/api/message/usernames", web_usernames, 0 },
	{ M_ANY, "/api/message/clear", web_clear, 0 },
};

/* A request's fields; the APIKey is always fields[0]. */
struct web_call {
	const struct barertc_field	*fields;
	size_t				 nfields;
	json_object			*vals[8];
	json_object			*obj;
	char				 err[BARERTC_ERR_MAX];
};

/* Method, content type, body, fields: 0, or 400 with c->err. */
static int
web_call(struct req *r, struct web_call *c)
{
	int	 st;

	c->obj = NULL;
	if ((st = barertc_post(r, &c->obj, c->err, sizeof(c->err))) != 0)
		return st;
	if (barertc_fields(c->obj, "request", c->fields, c->nfields, c->vals,
	    c->err, sizeof(c->err)) == -1) {
		log_info("request body: %s", c->err);
		return 400;
	}
	return 0;
}

/*
 * The APIKey (c->vals[0]): 0, or the status with the message in c->err:
 * 503 when [web] api_key is unset, 401 on a wrong key.
 */
static int
web_key(struct req *r, struct web_call *c)
{
	const char	*key = "", *want = r->cfg->web_api_key;

	if (want == NULL) {
		log_error("[web] api_key is not set: refusing %s", r->path);
		(void)snprintf(c->err, sizeof(c->err),
		    "The API key is not configured.");
		return 503;
	}
	if (c->vals[0] != NULL)
		key = json_object_get_string(c->vals[0]);
	switch (auth_key(r, "key:web", key, strlen(key), want)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAIL:
		(void)snprintf(c->err, sizeof(c->err), "Service unavailable.");
		return 503;
	default:
		log_info("wrong or missing API key");
		(void)snprintf(c->err, sizeof(c->err), "Authentication denied.");
		return 401;
	}
	return 0;
}

/* Method, content type, body, fields, key: 0 or the status (c->err). */
static int
web_keyed(struct req *r, struct web_call *c)
{
	int	 st;

	if ((st = web_call(r, c)) != 0)
		return st;
	return web_key(r, c);
}

static const char *
web_db_text(enum db_status s)
{
	return db_http_status(s) == 503 ? "Service unavailable." :
	    "Internal server error.";
}

static int
web_db_fail(struct resp *w, enum db_status s)
{
	return barertc_fail(w, db_http_status(s), web_db_text(s));
}

/*
 * A JSON array of usernames as localparts on the web host, as a text[]
 * literal; names that cannot be localparts are left out.
 */
static char *
web_names(json_object *arr)
{
	char		**v, *lit;
	json_object	 *e;
	size_t		  n, i, k = 0;
	const char	 *s;

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
			continue;
		}
		k++;
	}
	lit = blocks_array((const char *const *)v, k);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return lit;
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
	/* chatrest carries no video: nobody has a camera on */
	barertc_key(&b, "Cameras");
	buf_adds(&b, "{\n    \"Blue\": 0,\n    \"Red\": 0\n  }");
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

/* The string value v, unless it holds a NUL (PostgreSQL text cannot). */
static const char *
web_text(json_object *v)
{
	const char	*p;

	if (v == NULL)
		return "";
	p = json_object_get_string(v);
	return strlen(p) == (size_t)json_object_get_string_len(v) ? p : NULL;
}

/*
 * A BareRTC username as the account of that name (in any case) on the
 * web host: 1 with *u, 0 when there is none, or a name chatrest cannot
 * hold.
 */
static int
web_account(struct req *r, const char *name, struct user *u,
    enum db_status *s)
{
	char	 local[JID_LOCAL_MAX + 1];
	int	 found;

	*s = DB_OK;
	if (jid_localpart(name, strlen(name), local) == -1)
		return 0;
	if ((*s = users_get(r->cfg->web_host, local, u, &found)) != DB_OK)
		return 0;
	return found && !u->disabled;
}

/* Optionally, only registered and enabled users of the web host. */
static int
web_registered(struct req *r, json_object *sub, enum db_status *s)
{
	const char	*name;
	struct user	 u;

	*s = DB_OK;
	if (sub == NULL || (name = web_text(sub)) == NULL)
		return 0;
	return web_account(r, name, &u, s);
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
	tok = jwt_sign(secret, strlen(secret), b.p, b.len);
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

/*
 * A list by BareRTC username, any name the website uses, kept as sent;
 * the account of that exact name, if there is one, blocks the account
 * names in it (lib/store/blocks.c).  Names nothing can hold are skipped.
 */
static int
web_blocklist(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "Username", BK_STRING },
		{ "Blocklist", BK_STRINGS },
	};
	struct web_call	 c = { f, 3, { NULL }, NULL, "" };
	const char	**v = NULL, *name;
	char		*arr = NULL;
	size_t		 n, i, k = 0;
	enum db_status	 s;
	int		 st;

	if ((st = web_keyed(r, &c)) != 0) {
		barertc_fail(w, st, c.err);
		goto out;
	}
	if ((name = web_text(c.vals[1])) == NULL) {
		log_info("blocklist for a name with a NUL byte: ignored");
		st = web_ok(w);
		goto out;
	}
	n = c.vals[2] != NULL ? json_object_array_length(c.vals[2]) : 0;
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		if ((v[k] = web_text(json_object_array_get_idx(c.vals[2],
		    i))) != NULL)
			k++;
	arr = blocks_array(v, k);
	if ((s = db_begin()) != DB_OK ||
	    (s = blocks_named(r->cfg->web_host, name, arr)) != DB_OK ||
	    (s = db_commit()) != DB_OK) {
		db_rollback();
		st = web_db_fail(w, s);
		goto out;
	}
	log_info("blocklist of a username replaced: %zu name(s)", k);
	st = web_ok(w);
out:
	free(v);
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
	/* As disconnect/now: names that cannot be accounts are skipped. */
	else if ((s = blocks_mutual(r->cfg->web_host,
	    (arr = web_names(c.vals[1])))) != DB_OK)
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
	arr = web_names(c.vals[1]);
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

/* --- user endpoints: the chat page's calls, with a JWT ----------------- */

/*
 * The JWTToken (tokv): 0 with the caller's "sub" in *sub (owned by
 * *claims), or 400 with the message in err.  Only tokens signed with
 * [web] jwt_secret verify, HS256 pinned (lib/jwt.c).
 */
static int
web_jwt(struct req *r, json_object *tokv, json_object **claims,
    const char **sub, char *err, size_t errlen)
{
	const char	*secret = r->cfg->web_jwt_secret, *tok;
	json_object	*v;
	enum jwt_err	 e;

	*claims = NULL;
	*sub = "";
	tok = tokv != NULL ? json_object_get_string(tokv) : "";
	if (secret == NULL || *tok == '\0') {
		(void)snprintf(err, errlen, "%s", NO_JWT);
		return 400;
	}
	if ((e = jwt_verify(secret, strlen(secret), tok, strlen(tok),
	    time(NULL), claims)) != JWT_OK) {
		log_info("token refused: %s", jwt_strerror(e));
		(void)snprintf(err, errlen, "%s", jwt_strerror(e));
		return 400;
	}
	if (json_object_object_get_ex(*claims, "sub", &v) &&
	    json_object_is_type(v, json_type_string))
		*sub = json_object_get_string(v);
	return 0;
}

/* The caller of history and usernames, who must be present: 0 or 400/5xx. */
static int
web_present(struct req *r, const char *sub, struct user *u, char *err,
    size_t errlen)
{
	enum db_status	 s;
	int		 online;

	if (!web_account(r, sub, u, &s)) {
		if (s != DB_OK)
			goto fail;
		(void)snprintf(err, errlen, "%s", NOT_ONLINE);
		return 400;
	}
	if ((s = dms_online(r->cfg, u->id, &online)) != DB_OK)
		goto fail;
	if (!online) {
		(void)snprintf(err, errlen, "%s", NOT_ONLINE);
		return 400;
	}
	return 0;
fail:
	(void)snprintf(err, errlen, "%s", web_db_text(s));
	return db_http_status(s);
}

/* "OK" and "Error": every user endpoint's first keys. */
static void
web_head(struct buf *b, const char *err)
{
	barertc_begin(b);
	barertc_key(b, "OK");
	buf_adds(b, err == NULL ? "true" : "false");
	if (err != NULL) {
		barertc_key(b, "Error");
		barertc_str(b, err, strlen(err));
	}
}

/* Seconds as RFC 3339 in UTC, as Go's time.Format(time.RFC3339). */
static void
web_rfc3339(struct buf *b, long long ts)
{
	time_t		 t = (time_t)ts;
	struct tm	 tm;
	char		 s[64];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(s, sizeof(s), "1970-01-01T00:00:00Z");
	barertc_str(b, s, strlen(s));
}

/* One history item; its keys in BareRTC's order, empty ones left out. */
static void
web_dm(void *ctx, const struct dms_item *it)
{
	struct buf	*b = ctx;

	buf_adds(b, b->len > 0 ? ",\n    {" : "\n    {");
	if (*it->sender != '\0') {
		buf_adds(b, "\n      \"username\": ");
		barertc_str(b, it->sender, strlen(it->sender));
		buf_addc(b, ',');
	}
	if (*it->body != '\0') {
		buf_adds(b, "\n      \"message\": ");
		barertc_str(b, it->body, strlen(it->body));
		buf_addc(b, ',');
	}
	buf_addf(b, "\n      \"msgID\": %lld,\n      \"timestamp\": ", it->id);
	web_rfc3339(b, it->ts);
	buf_adds(b, "\n    }");
}

/* {"OK","Error"?,"Messages","Remaining"}; items NULL: null. */
static int
web_history_reply(struct resp *w, int st, const char *err,
    const struct buf *items, long remaining)
{
	struct buf	 b = { NULL, 0, 0 };

	web_head(&b, err);
	barertc_key(&b, "Messages");
	if (items == NULL)
		buf_adds(&b, "null");
	else if (items->len == 0)
		buf_adds(&b, "[]");
	else {
		buf_addc(&b, '[');
		buf_add(&b, items->p, items->len);
		buf_adds(&b, "\n  ]");
	}
	barertc_key(&b, "Remaining");
	buf_addf(&b, "%ld", remaining);
	barertc_end(&b);
	barertc_send(w, st, &b);
	buf_free(&b);
	return st;
}

/*
 * POST /api/message/history {JWTToken, Username, BeforeID}: 20 messages
 * of the caller's thread with Username, newest first, below BeforeID.
 */
static int
web_history(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "JWTToken", BK_STRING }, { "Username", BK_STRING },
		{ "BeforeID", BK_INT64 },
	};
	struct web_call	 c = { f, 3, { NULL }, NULL, "" };
	struct buf	 items = { NULL, 0, 0 };
	json_object	*claims = NULL;
	struct user	 me, peer;
	const char	*sub, *with;
	long long	 before = 0;
	long		 remaining = 0;
	enum db_status	 s = DB_OK;
	int		 st;

	if ((st = web_call(r, &c)) != 0 ||
	    (st = web_jwt(r, c.vals[0], &claims, &sub, c.err,
	    sizeof(c.err))) != 0 ||
	    (st = web_present(r, sub, &me, c.err, sizeof(c.err))) != 0) {
		st = web_history_reply(w, st, c.err, NULL, 0);
		goto out;
	}
	if (c.vals[2] != NULL)
		before = json_object_get_int64(c.vals[2]);
	with = web_text(c.vals[1]);
	/* Nobody chatrest knows, or below the first id: an empty page. */
	if (before >= 0 && with != NULL && web_account(r, with, &peer, &s))
		s = dms_page(me.id, r->cfg->web_host, peer.local, before,
		    web_dm, &items, &remaining);
	if (s != DB_OK) {
		st = web_history_reply(w, db_http_status(s), web_db_text(s),
		    NULL, 0);
		goto out;
	}
	st = web_history_reply(w, 200, NULL, &items, remaining);
out:
	buf_free(&items);
	json_object_put(claims);
	json_object_put(c.obj);
	return st;
}

static void
web_name(void *ctx, const char *name)
{
	struct strlist	*l = ctx;

	l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
	l->v[l->n++] = xstrdup(name);
}

/* {"OK","Error"?,"Usernames","Count","Pages"}; names NULL: null. */
static int
web_usernames_reply(struct resp *w, int st, const char *err,
    const struct strlist *names, long count, long pages)
{
	struct buf	 b = { NULL, 0, 0 };

	web_head(&b, err);
	barertc_key(&b, "Usernames");
	if (names == NULL)
		buf_adds(&b, "null");
	else
		barertc_strings(&b, (const char *const *)names->v, names->n);
	barertc_key(&b, "Count");
	buf_addf(&b, "%ld", count);
	barertc_key(&b, "Pages");
	buf_addf(&b, "%ld", pages);
	barertc_end(&b);
	barertc_send(w, st, &b);
	buf_free(&b);
	return st;
}

/*
 * POST /api/message/usernames {JWTToken, Sort, Page}: the caller's DM
 * partners who wrote, 9 a page; Count is the number of threads.
 */
static int
web_usernames(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "JWTToken", BK_STRING }, { "Sort", BK_STRING },
		{ "Page", BK_INT },
	};
	static const struct {
		const char	*name;
		enum dms_sort	 sort;
	} sorts[] = {
		{ "oldest", DMS_OLDEST }, { "a-z", DMS_AZ }, { "z-a", DMS_ZA },
	};
	struct web_call	 c = { f, 3, { NULL }, NULL, "" };
	struct strlist	 names = { NULL, 0 };
	json_object	*claims = NULL;
	struct user	 me;
	const char	*sub, *sort;
	enum dms_sort	 by = DMS_NEWEST;
	long long	 page = 1;
	long		 count = 0;
	size_t		 i;
	enum db_status	 s;
	int		 st;

	if ((st = web_call(r, &c)) != 0 ||
	    (st = web_jwt(r, c.vals[0], &claims, &sub, c.err,
	    sizeof(c.err))) != 0 ||
	    (st = web_present(r, sub, &me, c.err, sizeof(c.err))) != 0) {
		st = web_usernames_reply(w, st, c.err, NULL, 0, 0);
		goto out;
	}
	/* Anything else, an empty or unknown Sort included, is newest. */
	sort = c.vals[1] != NULL ? json_object_get_string(c.vals[1]) : "";
	for (i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (strcmp(sort, sorts[i].name) == 0)
			by = sorts[i].sort;
	if (c.vals[2] != NULL)
		page = json_object_get_int64(c.vals[2]);
	if (page < 1)
		page = 1;
	if (page > 100000000)	/* far past any end, and no overflow */
		page = 100000000;
	if ((s = dms_partners(me.id, r->cfg->web_host, me.local, by,
	    (long)(page - 1) * DMS_NAMES_PAGE, web_name, &names, &count)) !=
	    DB_OK) {
		st = web_usernames_reply(w, db_http_status(s), web_db_text(s),
		    NULL, 0, 0);
		goto out;
	}
	if (count == 0) {
		st = web_usernames_reply(w, 500, NO_DMS, NULL, 0, 0);
		goto out;
	}
	st = web_usernames_reply(w, 200, NULL, &names, count,
	    (count + DMS_NAMES_PAGE - 1) / DMS_NAMES_PAGE);
out:
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	free(names.v);
	json_object_put(claims);
	json_object_put(c.obj);
	return st;
}

/* {"OK","Error"?,"MessagesErased"} */
static int
web_clear_reply(struct resp *w, int st, const char *err, long erased)
{
	struct buf	 b = { NULL, 0, 0 };

	web_head(&b, err);
	barertc_key(&b, "MessagesErased");
	buf_addf(&b, "%ld", erased);
	barertc_end(&b);
	barertc_send(w, st, &b);
	buf_free(&b);
	return st;
}

/*
 * POST /api/message/clear: {APIKey, Username} from the website, or
 * {JWTToken} from the chat page (the token's sub; a body Username is
 * ignored).  A non-empty APIKey decides, a wrong one is 401.  Erases
 * every thread of the user on the web host, both directions, from every
 * copy, in one statement.
 */
static int
web_clear(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "APIKey", BK_STRING }, { "JWTToken", BK_STRING },
		{ "Username", BK_STRING },
	};
	struct web_call	 c = { f, 3, { NULL }, NULL, "" };
	json_object	*claims = NULL;
	char		 local[JID_LOCAL_MAX + 1];
	const char	*name;
	long		 erased = 0;
	enum db_status	 s;
	int		 st;

	if ((st = web_call(r, &c)) != 0)
		goto fail;
	if (c.vals[0] != NULL && json_object_get_string_len(c.vals[0]) > 0) {
		if ((st = web_key(r, &c)) != 0)
			goto fail;
		name = web_text(c.vals[2]);
	} else if ((st = web_jwt(r, c.vals[1], &claims, &name, c.err,
	    sizeof(c.err))) != 0)
		goto fail;
	if (name != NULL && jid_localpart(name, strlen(name), local) == 0) {
		if ((s = dms_clear(r->cfg->web_host, local, &erased)) != DB_OK) {
			st = web_clear_reply(w, db_http_status(s),
			    web_db_text(s), 0);
			goto out;
		}
		log_info("direct messages of a user erased: %ld", erased);
	}
	st = web_clear_reply(w, 200, NULL, erased);
	goto out;
fail:
	st = web_clear_reply(w, st, c.err, 0);
out:
	json_object_put(claims);
	json_object_put(c.obj);
	return st;
}

/* {"OK","Error"?,"ProfileFields"?}: n name/value pairs, omitted if none. */
static int
web_profile_reply(struct resp *w, int st, int ok, const char *err,
    const char *const *names, const char *const *values, size_t n)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	barertc_begin(&b);
	barertc_key(&b, "OK");
	buf_adds(&b, ok ? "true" : "false");
	if (err != NULL && *err != '\0') {
		barertc_key(&b, "Error");
		barertc_str(&b, err, strlen(err));
	}
	if (n > 0) {
		barertc_key(&b, "ProfileFields");
		buf_addc(&b, '[');
		for (i = 0; i < n; i++) {
			buf_adds(&b, i > 0 ? ",\n    {\n      \"Name\": " :
			    "\n    {\n      \"Name\": ");
			barertc_str(&b, names[i], strlen(names[i]));
			buf_adds(&b, ",\n      \"Value\": ");
			barertc_str(&b, values[i], strlen(values[i]));
			buf_adds(&b, "\n    }");
		}
		buf_adds(&b, "\n  ]");
	}
	barertc_end(&b);
	barertc_send(w, st, &b);
	buf_free(&b);
	return st;
}

/* Profile fields from chatrest's store. */
struct web_fields {
	const char	*names[64];
	char		*values[64];
	size_t		 n;
	struct buf	 roles;
};

static void
web_field(struct web_fields *f, const char *name, const char *value)
{
	if (f->n < sizeof(f->names) / sizeof(f->names[0])) {
		f->names[f->n] = name;
		f->values[f->n++] = xstrdup(value);
	}
}

static void
web_field_role(void *ctx, const char *role)
{
	struct web_fields	*f = ctx;

	if (f->roles.len > 0)
		buf_adds(&f->roles, ", ");
	buf_adds(&f->roles, role);
}

static void
web_field_3pid(void *ctx, const char *medium, const char *address)
{
	web_field(ctx, strcmp(medium, "email") == 0 ? "Email" : "Phone",
	    address);
}

/* The profile of an account here: display name, avatar, roles, 3PIDs. */
static int
web_profile_store(struct req *r, struct resp *w, const char *name)
{
	struct web_fields	 f;
	struct profile		 pr;
	struct user		 u;
	enum db_status		 s;
	size_t			 i;
	int			 st;

	memset(&f, 0, sizeof(f));
	memset(&pr, 0, sizeof(pr));
	if (name == NULL || !web_account(r, name, &u, &s)) {
		if (name != NULL && s != DB_OK)
			goto fail;
		st = web_profile_reply(w, 404, 0, "User not found.", NULL,
		    NULL, 0);
		goto out;
	}
	if ((s = profiles_get(u.id, &pr)) != DB_OK)
		goto fail;
	if (pr.display_name != NULL)
		web_field(&f, "Name", pr.display_name);
	if (pr.avatar_url != NULL)
		web_field(&f, "Avatar", pr.avatar_url);
	if ((s = profiles_roles(u.id, web_field_role, &f)) != DB_OK)
		goto fail;
	if (f.roles.len > 0)
		web_field(&f, "Roles", f.roles.p);
	if ((s = threepids_list(u.id, web_field_3pid, &f)) != DB_OK)
		goto fail;
	st = web_profile_reply(w, 200, 1, NULL, f.names,
	    (const char *const *)f.values, f.n);
	goto out;
fail:
	st = web_profile_reply(w, db_http_status(s), 0, web_db_text(s), NULL,
	    NULL, 0);
out:
	for (i = 0; i < f.n; i++)
		free(f.values[i]);
	buf_free(&f.roles);
	profiles_free(&pr);
	return st;
}

static int
web_profile_bad(struct resp *w, const char *why)
{
	char	 err[BARERTC_ERR_MAX];

	(void)snprintf(err, sizeof(err), "%s%s", BAD_PROFILE, why);
	return web_profile_reply(w, 500, 0, err, NULL, NULL, 0);
}

/*
 * [web] profile_webhook, called as BareRTC calls its "profile" webhook:
 * POST {"Action":"profile","APIKey","Username"}, 10 s.  Its HTTP status
 * is ignored; its body {"StatusCode","Data":{"OK","Error",
 * "ProfileFields"}} decides: Data is the answer, 200 when StatusCode is
 * 200 and Data.Error empty, else 500.
 */
static int
web_profile_hook(struct req *r, struct resp *w, json_object *namev)
{
	static const struct barertc_field top[] = {
		{ "StatusCode", BK_INT }, { "Data", BK_OBJECT },
	};
	static const struct barertc_field data[] = {
		{ "OK", BK_BOOL }, { "Error", BK_STRING },
		{ "ProfileFields", BK_ARRAY },
	};
	static const struct barertc_field pf[] = {
		{ "Name", BK_STRING }, { "Value", BK_STRING },
	};
	const char	*key = r->cfg->web_api_key, *err = NULL;
	const char	*names[64], *values[64];
	json_object	*reply = NULL, *tv[2], *dv[3] = { NULL }, *fv[2];
	json_object	*e;
	struct buf	 body = { NULL, 0, 0 }, got = { NULL, 0, 0 };
	char		 why[BARERTC_ERR_MAX];
	size_t		 i, n, k = 0;
	long		 http;
	int		 st, ok = 0;

	if (key == NULL) {
		log_error("[web] api_key is not set: no profile webhook call");
		st = web_profile_reply(w, 503, 0,
		    "The API key is not configured.", NULL, NULL, 0);
		goto out;
	}
	buf_adds(&body, "{\"Action\":\"profile\",\"APIKey\":");
	barertc_str(&body, key, strlen(key));
	buf_adds(&body, ",\"Username\":");
	if (namev != NULL)
		barertc_str(&body, json_object_get_string(namev),
		    (size_t)json_object_get_string_len(namev));
	else
		buf_adds(&body, "\"\"");
	buf_addc(&body, '}');
	if (webhook_post(r->cfg->web_profile_webhook, body.p, body.len,
	    WEBHOOK_TIMEOUT, &got, &http) == -1 || got.len == 0) {
		st = web_profile_bad(w, "unexpected end of JSON input");
		goto out;
	}
	if (barertc_decode(got.p, got.len, &reply, why, sizeof(why)) == -1) {
		st = web_profile_bad(w, strcmp(why, "EOF") == 0 ||
		    strcmp(why, "unexpected EOF") == 0 ?
		    "unexpected end of JSON input" : why);
		goto out;
	}
	if (barertc_fields(reply, "WebhookResponse", top, 2, tv, why,
	    sizeof(why)) == -1 || (tv[1] != NULL && barertc_fields(tv[1],
	    "WebhookResponse.Data", data, 3, dv, why, sizeof(why)) == -1)) {
		st = web_profile_bad(w, why);
		goto out;
	}
	if (dv[2] != NULL) {
		n = json_object_array_length(dv[2]);
		for (i = 0; i < n && k < 64; i++) {
			e = json_object_array_get_idx(dv[2], i);
			if (e == NULL || !json_object_is_type(e,
			    json_type_object) || barertc_fields(e,
			    "ProfileField", pf, 2, fv, why, sizeof(why)) == -1) {
				st = web_profile_bad(w, e == NULL ||
				    !json_object_is_type(e, json_type_object) ?
				    "ProfileFields holds a non-object" : why);
				goto out;
			}
			names[k] = fv[0] != NULL ? json_object_get_string(fv[0]) :
			    "";
			values[k++] = fv[1] != NULL ?
			    json_object_get_string(fv[1]) : "";
		}
	}
	ok = dv[0] != NULL && json_object_is_type(dv[0], json_type_boolean) &&
	    json_object_get_boolean(dv[0]);
	if (dv[1] != NULL && json_object_is_type(dv[1], json_type_string))
		err = json_object_get_string(dv[1]);
	st = tv[0] != NULL && json_object_get_int64(tv[0]) == 200 &&
	    (err == NULL || *err == '\0') ? 200 : 500;
	log_info("profile webhook: HTTP %ld, answered %d", http, st);
	st = web_profile_reply(w, st, ok, err, names, values, k);
out:
	buf_free(&body);
	buf_free(&got);
	json_object_put(reply);
	return st;
}

/*
 * POST /api/profile {JWTToken, Username}: any verified token; the
 * profile from [web] profile_webhook if set, else from chatrest's store.
 */
static int
web_profile(struct req *r, struct resp *w)
{
	static const struct barertc_field f[] = {
		{ "JWTToken", BK_STRING }, { "Username", BK_STRING },
	};
	struct web_call	 c = { f, 2, { NULL }, NULL, "" };
	json_object	*claims = NULL;
	const char	*sub;
	int		 st;

	if ((st = web_call(r, &c)) != 0 ||
	    (st = web_jwt(r, c.vals[0], &claims, &sub, c.err,
	    sizeof(c.err))) != 0)
		st = web_profile_reply(w, st, 0, c.err, NULL, NULL, 0);
	else if (r->cfg->web_profile_webhook != NULL)
		st = web_profile_hook(r, w, c.vals[1]);
	else
		st = web_profile_store(r, w, web_text(c.vals[1]));
	json_object_put(claims);
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
