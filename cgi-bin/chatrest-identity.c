/*
 * chatrest-identity: the REST identity backend of mxisd and ma1sd, under
 * every path family they have used by default (/_mxisd/backend/api/v1,
 * /_ma1sd/backend/api/v1, the v0.4-1.2 identity/lookup aliases and the
 * v0.2-0.3 /_mxisd/identity/api/v1 paths).
 *
 * The callers never authenticate themselves, so the web server snippets
 * allow this executable from loopback only.  Every answer, bad input
 * included, has a shape the callers handle (see the reference notes in
 * chatrest-identity(8)): a failure never becomes a crash in mxisd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "auth.h"
#include "jid.h"
#include "jsonio.h"
#include "log.h"
#include "password.h"
#include "presence.h"
#include "profiles.h"
#include "threepids.h"
#include "users.h"
#include "util.h"

#define AUTH_FAILED	"{\"auth\":{\"success\":false}}"
#define NOT_FOUND	"{}"
#define BULK_EMPTY	"{\"lookup\":[]}"
#define DIR_EMPTY	"{\"limited\":false,\"results\":[]}"
#define PROFILE_EMPTY	"{\"profile\":{}}"

static int	id_auth(struct req *, struct resp *);
static int	id_single(struct req *, struct resp *);
static int	id_bulk(struct req *, struct resp *);
static int	id_directory(struct req *, struct resp *);
static int	id_displayname(struct req *, struct resp *);
static int	id_threepids(struct req *, struct resp *);
static int	id_roles(struct req *, struct resp *);
static int	id_check(struct req *, struct resp *);

#define BACKEND(prefix) \
	{ M_POST, prefix "/auth/login", id_auth, 0 }, \
	{ M_POST, prefix "/identity/single", id_single, 0 }, \
	{ M_POST, prefix "/identity/bulk", id_bulk, 0 }, \
	{ M_POST, prefix "/identity/lookup/single", id_single, 0 }, \
	{ M_POST, prefix "/identity/lookup/bulk", id_bulk, 0 }, \
	{ M_POST, prefix "/directory/user/search", id_directory, 0 }, \
	{ M_POST, prefix "/profile/displayName", id_displayname, 0 }, \
	{ M_POST, prefix "/profile/threepids", id_threepids, 0 }, \
	{ M_POST, prefix "/profile/roles", id_roles, 0 }

static const struct route routes[] = {
	BACKEND("/_mxisd/backend/api/v1"),	/* mxisd >= 0.4 */
	BACKEND("/_ma1sd/backend/api/v1"),	/* ma1sd */
	/* mxisd 0.2-0.3 */
	{ M_POST, "/_mxisd/identity/api/v1/auth", id_auth, 0 },
	{ M_POST, "/_mxisd/identity/api/v1/lookup/single", id_single, 0 },
	{ M_POST, "/_mxisd/identity/api/v1/lookup/bulk", id_bulk, 0 },
	/* mxisd's own, as Synapse's REST password provider calls it */
	{ M_POST, "/_matrix-internal/identity/v1/check_credentials", id_check,
	    0 },
};

/* Wrong paths, methods and sizes: an empty object, "not found" to all. */
static int
id_error(struct resp *w, int status)
{
	resp_json_text(w, status, NOT_FOUND);
	return status;
}

static long
id_max_body(const struct config *c)
{
	return c->id_max_body;
}

static int
reply(struct resp *w, int status, const char *text)
{
	resp_json_text(w, status, text);
	return status;
}

static int
reply_json(struct resp *w, json_object *o)
{
	resp_json(w, 200, o);
	json_object_put(o);
	return 200;
}

/* The member key of o if it is an object, else NULL. */
static json_object *
member_obj(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

/*
 * The account named by "localpart" and "domain", or failing those by
 * "mxid" split as mxisd splits it (@localpart:domain, the domain keeping
 * any port).  -1 for a domain no identity host maps to, or a localpart
 * chatrest cannot hold.
 */
static int
id_who(const struct config *c, json_object *o, struct jid *j)
{
	const char	*lp = NULL, *dom = NULL, *mx, *colon, *host;
	size_t		 lplen = 0, len;

	if (jsonio_str(o, "localpart", &lp, &lplen) != JSONIO_OK)
		lp = NULL;
	if (jsonio_str(o, "domain", &dom, &len) != JSONIO_OK)
		dom = NULL;
	if ((lp == NULL || dom == NULL) &&
	    jsonio_str(o, "mxid", &mx, &len) == JSONIO_OK && mx[0] == '@' &&
	    (colon = strchr(mx, ':')) != NULL && colon[1] != '\0') {
		if (lp == NULL) {
			lp = mx + 1;
			lplen = (size_t)(colon - lp);
		}
		if (dom == NULL)
			dom = colon + 1;
	}
	if (lp == NULL || dom == NULL ||
	    (host = config_matrix_host(c, dom)) == NULL ||
	    jid_localpart(lp, lplen, j->local) == -1)
		return -1;
	(void)snprintf(j->host, sizeof(j->host), "%s", host);
	return 0;
}

/* {"type":…,"value":…} for a user, as [identity] id_type says. */
static json_object *
id_object(const struct config *c, const char *local, const char *host)
{
	json_object	*id = json_object_new_object();
	char		*mxid;

	if (c->id_type == CONFIG_ID_MXID) {
		mxid = xasprintf("@%s:%s", local, config_matrix_domain(c, host));
		json_object_object_add(id, "type",
		    json_object_new_string("mxid"));
		json_object_object_add(id, "value",
		    json_object_new_string(mxid));
		free(mxid);
	} else {
		json_object_object_add(id, "type",
		    json_object_new_string("localpart"));
		json_object_object_add(id, "value",
		    json_object_new_string(local));
	}
	return id;
}

static void
add_threepid(void *ctx, const char *medium, const char *address)
{
	json_object	*tp = json_object_new_object();

	json_object_object_add(tp, "medium", json_object_new_string(medium));
	json_object_object_add(tp, "address", json_object_new_string(address));
	json_object_array_add(ctx, tp);
}

static void
add_role(void *ctx, const char *role)
{
	json_object_array_add(ctx, json_object_new_string(role));
}

/*
 * auth/login: {"auth":{"mxid","localpart","domain","password"}}.  Every
 * failure, bad input included, is {"auth":{"success":false}}: 200 for a
 * refused login, 400 for a malformed request, 503 when the store is down
 * (mxisd takes any of them as a clean failure).
 */
static int
id_auth(struct req *r, struct resp *w)
{
	const struct config	*c = r->cfg;
	json_object		*a, *out, *au, *prof, *tps;
	const char		*pw;
	size_t			 pwlen;
	struct jid		 j;
	struct user		 u;
	struct profile		 pr;
	enum db_status		 s;

	if (req_json(r) != 0 || (a = member_obj(r->json, "auth")) == NULL ||
	    jsonio_str(a, "password", &pw, &pwlen) != JSONIO_OK) {
		log_info("malformed login request");
		return reply(w, 400, AUTH_FAILED);
	}
	if (id_who(c, a, &j) == -1) {
		password_dummy(c, pw, pwlen);
		log_info("login failed: domain not served or invalid localpart");
		return reply(w, 200, AUTH_FAILED);
	}
	switch (auth_password(c, req_remote(r), j.host, j.local, pw, pwlen,
	    &u, &r->retry_after)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAIL:
		return reply(w, 503, AUTH_FAILED);
	default:
		log_info("login failed for %s@%s", j.local, j.host);
		return reply(w, 200, AUTH_FAILED);
	}
	(void)presence_touch(c, &u);

	tps = json_object_new_array();
	if ((s = profiles_get_threepids(u.id, &pr, add_threepid, tps)) !=
	    DB_OK) {
		profiles_free(&pr);
		json_object_put(tps);
		return reply(w, db_http_status(s), AUTH_FAILED);
	}
	prof = json_object_new_object();
	if (pr.display_name != NULL)
		json_object_object_add(prof, "display_name",
		    json_object_new_string(pr.display_name));
	json_object_object_add(prof, "three_pids", tps);
	au = json_object_new_object();
	json_object_object_add(au, "success", json_object_new_boolean(1));
	json_object_object_add(au, "id", id_object(c, u.local, u.host));
	json_object_object_add(au, "profile", prof);
	out = json_object_new_object();
	json_object_object_add(out, "auth", au);
	profiles_free(&pr);
	log_info("login for %s@%s", u.local, u.host);
	return reply_json(w, out);
}

/* One requested 3PID: the request's strings, echoed byte for byte. */
struct lookup_item {
	const char	*medium;
	size_t		 mlen;
	const char	*address;
	size_t		 alen;
	char		*norm;
	size_t		 noff;	/* bulk: norm's offset in the norms buffer */
};

struct lookup_ctx {
	const struct config	*cfg;
	struct lookup_item	*items;
	json_object		*hits;	/* array of {"medium","address","id"} */
	struct buf		*out;	/* bulk: the same, written as text */
	size_t			 found;
	size_t			 n, cap;	/* bulk: items kept, allocated */
	struct buf		 norms;	/* bulk: their stored forms */
};

static void
lookup_hit(void *arg, size_t i, const char *local, const char *host)
{
	struct lookup_ctx	*x = arg;
	struct lookup_item	*it = &x->items[i];
	json_object		*o = json_object_new_object();

	json_object_object_add(o, "medium",
	    json_object_new_string_len(it->medium, (int)it->mlen));
	json_object_object_add(o, "address",
	    json_object_new_string_len(it->address, (int)it->alen));
	json_object_object_add(o, "id", id_object(x->cfg, local, host));
	json_object_array_add(x->hits, o);
}

/*
 * The bulk reply's items written straight as text, as json-c would write
 * them: 10,000 hits built as objects cost more than the statement.
 */
static void
bulk_hit(void *arg, size_t i, const char *local, const char *host)
{
	struct lookup_ctx	*x = arg;
	struct lookup_item	*it = &x->items[i];
	struct buf		*b = x->out;
	char			*mxid;

	buf_adds(b, x->found++ > 0 ? ",{\"medium\":" : "{\"medium\":");
	jsonio_buf_str(b, it->medium, it->mlen);
	buf_adds(b, ",\"address\":");
	jsonio_buf_str(b, it->address, it->alen);
	if (x->cfg->id_type == CONFIG_ID_MXID) {
		buf_adds(b, ",\"id\":{\"type\":\"mxid\",\"value\":");
		mxid = xasprintf("@%s:%s", local,
		    config_matrix_domain(x->cfg, host));
		jsonio_buf_str(b, mxid, strlen(mxid));
		free(mxid);
	} else {
		buf_adds(b, ",\"id\":{\"type\":\"localpart\",\"value\":");
		jsonio_buf_str(b, local, strlen(local));
	}
	buf_adds(b, "}}");
}

/* 0 and it filled when o is {"medium","address"} chatrest can store. */
static int
lookup_item(json_object *o, struct lookup_item *it)
{
	char	 norm[THREEPID_ADDRESS_MAX + 1];

	if (!json_object_is_type(o, json_type_object) ||
	    jsonio_str(o, "medium", &it->medium, &it->mlen) != JSONIO_OK ||
	    jsonio_str(o, "address", &it->address, &it->alen) != JSONIO_OK ||
	    threepids_normalise(it->medium, it->address, it->alen, norm) == -1)
		return -1;
	it->norm = xstrdup(norm);
	return 0;
}

/* Look up n items, one round trip; fn gets the matches in order. */
static enum db_status
lookup_run(struct lookup_ctx *x, size_t n, threepids_hit_fn fn)
{
	const char	**media, **addrs;
	enum db_status	 s;
	size_t		 i;

	media = xcalloc(n + 1, sizeof(*media));
	addrs = xcalloc(n + 1, sizeof(*addrs));
	for (i = 0; i < n; i++) {
		media[i] = x->items[i].medium;
		addrs[i] = x->items[i].norm;
	}
	s = threepids_find(media, addrs, n, config_identity_hosts(x->cfg),
	    fn, x);
	free(media);
	free(addrs);
	return s;
}

/*
 * identity/single: {"lookup":{"medium","address"}}.  Found:
 * {"lookup":{"medium","address","id"}}; not found, an unknown medium or
 * a missing address: {}.  Malformed: 400 {} (mxisd: not found).
 */
static int
id_single(struct req *r, struct resp *w)
{
	struct lookup_item	 it;
	struct lookup_ctx	 x = { r->cfg, &it, NULL, NULL, 0, 0, 0,
				    { NULL, 0, 0 } };
	json_object		*l, *out, *hit;
	enum db_status		 s;

	if (req_json(r) != 0 || (l = member_obj(r->json, "lookup")) == NULL) {
		log_info("malformed lookup request");
		return reply(w, 400, NOT_FOUND);
	}
	memset(&it, 0, sizeof(it));
	if (lookup_item(l, &it) == -1)
		return reply(w, 200, NOT_FOUND);
	x.hits = json_object_new_array();
	s = lookup_run(&x, 1, lookup_hit);
	free(it.norm);
	if (s != DB_OK) {
		json_object_put(x.hits);
		return reply(w, db_http_status(s), NOT_FOUND);
	}
	if (json_object_array_length(x.hits) == 0) {
		json_object_put(x.hits);
		return reply(w, 200, NOT_FOUND);
	}
	hit = json_object_get(json_object_array_get_idx(x.hits, 0));
	json_object_put(x.hits);
	out = json_object_new_object();
	json_object_object_add(out, "lookup", hit);
	return reply_json(w, out);
}

/* One entry of a bulk request: kept if chatrest could hold it. */
static void
bulk_row(void *arg, size_t i, const struct jsonio_field *f, size_t nf)
{
	struct lookup_ctx	*x = arg;
	struct lookup_item	*it;
	char			 norm[THREEPID_ADDRESS_MAX + 1];

	(void)i;
	(void)nf;
	if (f[0].s == NULL || f[1].s == NULL ||
	    threepids_normalise(f[0].s, f[1].s, f[1].len, norm) == -1)
		return;
	if (x->n == x->cap) {
		x->cap = x->cap == 0 ? 256 : x->cap * 2;
		x->items = xrealloc(x->items, x->cap * sizeof(*x->items));
	}
	it = &x->items[x->n++];
	it->medium = f[0].s;
	it->mlen = f[0].len;
	it->address = f[1].s;
	it->alen = f[1].len;
	it->noff = x->norms.len;
	buf_add(&x->norms, norm, strlen(norm) + 1);
}

/*
 * identity/bulk: {"lookup":[{"medium","address"},…]}, at most
 * [identity] bulk_max entries, answered in one database round trip:
 * {"lookup":[matches only]}.  Entries chatrest cannot hold are misses.
 * Read straight from the text: 10,000 entries as json-c objects cost
 * more than the statement.
 */
static int
id_bulk(struct req *r, struct resp *w)
{
	struct jsonio_field	 f[] = { { "medium", NULL, 0 },
				    { "address", NULL, 0 } };
	struct buf		 b = { NULL, 0, 0 };
	struct lookup_ctx	 x = { r->cfg, NULL, NULL, &b, 0, 0, 0,
				    { NULL, 0, 0 } };
	enum jsonio_rows	 rs;
	enum db_status		 s;
	char			*arena = NULL;
	size_t			 n, i;
	int			 st = 200;

	if (!req_is_json(r) || jsonio_check(r->body, r->bodylen) == -1 ||
	    (rs = jsonio_rows(r->body, r->bodylen, "lookup", f, 2,
	    (size_t)r->cfg->id_bulk_max, bulk_row, &x, &arena, &n)) ==
	    JSONIO_ROWS_NOARRAY) {
		log_info("malformed bulk lookup request");
		st = reply(w, 400, BULK_EMPTY);
		goto out;
	}
	if (rs == JSONIO_ROWS_TOOMANY) {
		log_warn("bulk lookup of more than [identity] bulk_max (%ld) "
		    "entries refused", r->cfg->id_bulk_max);
		st = reply(w, 413, BULK_EMPTY);
		goto out;
	}
	for (i = 0; i < x.n; i++)
		x.items[i].norm = x.norms.p + x.items[i].noff;
	buf_adds(&b, "{\"lookup\":[");
	if ((s = lookup_run(&x, x.n, bulk_hit)) != DB_OK) {
		st = reply(w, db_http_status(s), BULK_EMPTY);
		goto out;
	}
	buf_adds(&b, "]}");
	log_info("bulk lookup: %zu of %zu found", x.found, n);
	resp_body(w, 200, "application/json", b.p, b.len);
out:
	buf_free(&b);
	buf_free(&x.norms);
	free(x.items);
	free(arena);
	return st;
}

static void
dir_hit(void *ctx, const char *local, const char *name, const char *avatar)
{
	json_object	*o = json_object_new_object();

	if (avatar != NULL)
		json_object_object_add(o, "avatar_url",
		    json_object_new_string(avatar));
	if (name != NULL)
		json_object_object_add(o, "display_name",
		    json_object_new_string(name));
	json_object_object_add(o, "user_id", json_object_new_string(local));
	json_object_array_add(ctx, o);
}

/*
 * directory/user/search: {"by":"name"|"threepid","search_term"}.
 * Always 200 with {"limited","results"}, the store down included: any
 * other status fails the user's whole search in mxisd, the homeserver's
 * own results with it.
 */
static int
id_directory(struct req *r, struct resp *w)
{
	json_object	*res, *out;
	const char	*by, *term;
	enum db_status	 s;
	int		 limited;

	if (req_json(r) != 0 ||
	    jsonio_str(r->json, "by", &by, NULL) != JSONIO_OK ||
	    jsonio_str(r->json, "search_term", &term, NULL) != JSONIO_OK) {
		log_info("malformed directory search");
		return reply(w, 200, DIR_EMPTY);
	}
	/* An empty term is a substring of everything: it finds nobody. */
	if ((strcmp(by, "name") != 0 && strcmp(by, "threepid") != 0) ||
	    *term == '\0')
		return reply(w, 200, DIR_EMPTY);
	res = json_object_new_array();
	if ((s = profiles_search(strcmp(by, "name") == 0 ? PROFILES_BY_NAME :
	    PROFILES_BY_THREEPID, term, config_identity_hosts(r->cfg),
	    r->cfg->id_directory_limit, dir_hit, res, &limited)) != DB_OK) {
		json_object_put(res);
		log_warn("directory search answered empty: the store failed");
		return reply(w, 200, DIR_EMPTY);
	}
	out = json_object_new_object();
	json_object_object_add(out, "limited",
	    json_object_new_boolean(limited));
	json_object_object_add(out, "results", res);
	return reply_json(w, out);
}

/*
 * A profile the store could not read: 404, which mxisd and ma1sd read as
 * an empty profile.  Any status but 200 and 404 (a 503 included) is an
 * HTTP 500 in the caller, failing the client's whole profile request.
 */
static int
profile_down(struct resp *w)
{
	log_warn("profile answered empty: the store failed");
	return reply(w, 404, PROFILE_EMPTY);
}

/*
 * The account a profile request names, or a reply already written:
 * 404 {"profile":{}} for a malformed body or a store failure, 200
 * {"profile":{}} for an account chatrest does not have (both are "empty"
 * to mxisd).
 */
static int
profile_user(struct req *r, struct resp *w, struct user *u)
{
	struct jid	 j;
	enum db_status	 s;
	int		 found;

	if (req_json(r) != 0) {
		log_info("malformed profile request");
		return reply(w, 404, PROFILE_EMPTY);
	}
	if (id_who(r->cfg, r->json, &j) == -1)
		return reply(w, 200, PROFILE_EMPTY);
	if ((s = users_get(j.host, j.local, u, &found)) != DB_OK)
		return profile_down(w);
	if (!found || u->disabled)
		return reply(w, 200, PROFILE_EMPTY);
	return 0;
}

/* {"profile":{key: v}}, taking v. */
static int
profile_reply(struct resp *w, const char *key, json_object *v)
{
	json_object	*p = json_object_new_object(), *out;

	if (v != NULL)
		json_object_object_add(p, key, v);
	out = json_object_new_object();
	json_object_object_add(out, "profile", p);
	return reply_json(w, out);
}

static int
id_displayname(struct req *r, struct resp *w)
{
	struct user	 u;
	struct profile	 pr;
	enum db_status	 s;
	int		 st;

	if ((st = profile_user(r, w, &u)) != 0)
		return st;
	if ((s = profiles_get(u.id, &pr)) != DB_OK)
		return profile_down(w);
	st = profile_reply(w, "display_name", pr.display_name != NULL ?
	    json_object_new_string(pr.display_name) : NULL);
	profiles_free(&pr);
	return st;
}

static int
id_threepids(struct req *r, struct resp *w)
{
	struct user	 u;
	json_object	*a;
	enum db_status	 s;
	int		 st;

	if ((st = profile_user(r, w, &u)) != 0)
		return st;
	a = json_object_new_array();
	if ((s = threepids_list(u.id, add_threepid, a)) != DB_OK) {
		json_object_put(a);
		return profile_down(w);
	}
	return profile_reply(w, "threepids", a);
}

static int
id_roles(struct req *r, struct resp *w)
{
	struct user	 u;
	json_object	*a;
	enum db_status	 s;
	int		 st;

	if ((st = profile_user(r, w, &u)) != 0)
		return st;
	a = json_object_new_array();
	if ((s = profiles_roles(u.id, add_role, a)) != DB_OK) {
		json_object_put(a);
		return profile_down(w);
	}
	return profile_reply(w, "roles", a);
}

/* mxisd's error body: {"errcode","error","success":false}. */
static int
check_bad(struct resp *w, const char *errcode, const char *error)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "errcode", json_object_new_string(errcode));
	json_object_object_add(o, "error", json_object_new_string(error));
	json_object_object_add(o, "success", json_object_new_boolean(0));
	resp_json(w, 400, o);
	json_object_put(o);
	return 400;
}

/*
 * check_credentials: {"user":{"id":"@local:domain","password"}} from
 * Synapse's REST password provider.  The id becomes the auth/login
 * request mxisd would send us, so both share one login path (limits and
 * logging included), and the answer is auth/login's: success with
 * "profile" (display name, lower-cased 3PIDs) or {"auth":{"success":
 * false}}.  The provider ignores the "id" member.  A port after the
 * domain is dropped, as Synapse's server_name may carry one.
 */
static int
id_check(struct req *r, struct resp *w)
{
	json_object	*u, *a, *auth, *pw;
	const char	*id, *colon, *port;
	size_t		 idlen;
	char		*mxid;

	if (!req_is_json(r) || req_json(r) != 0)
		return check_bad(w, "M_BAD_JSON", "Not an object");
	if ((u = member_obj(r->json, "user")) == NULL)
		return check_bad(w, "M_BAD_JSON", "No object for member user");
	if (jsonio_str(u, "id", &id, &idlen) != JSONIO_OK ||
	    !json_object_object_get_ex(u, "password", &pw) ||
	    !json_object_is_type(pw, json_type_string))
		return check_bad(w, "M_JSON_MISSING_KEYS",
		    "Missing id or password keys");
	mxid = xstrdup(id);
	if (mxid[0] == '@' && (colon = strchr(mxid, ':')) != NULL &&
	    (port = strrchr(colon + 1, ':')) != NULL &&
	    port[1] != '\0' && strspn(port + 1, "0123456789") ==
	    strlen(port + 1))
		mxid[port - mxid] = '\0';
	a = json_object_new_object();
	json_object_object_add(a, "mxid", json_object_new_string(mxid));
	json_object_object_add(a, "password", json_object_get(pw));
	auth = json_object_new_object();
	json_object_object_add(auth, "auth", a);
	json_object_put(r->json);
	r->json = auth;
	free(mxid);
	return id_auth(r, w);
}

static const struct app app = {
	.name = "chatrest-identity",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.error = id_error,
	.max_body = id_max_body,
};

int
main(int argc, char *argv[])
{
	return app_main(&app, argc, argv);
}
