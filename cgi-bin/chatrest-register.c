/*
 * chatrest-register: ejabberd mod_restful_register's API at /api/register.
 *
 * A shared key guards every request and is checked before routing, as
 * upstream does.  Errors are {"error":"atom"}: bad_request 400,
 * not_allowed 401, not_found 404, anything else 403.
 */
#include <string.h>

#include "app.h"
#include "auth.h"
#include "jid.h"
#include "jsonio.h"
#include "log.h"
#include "password.h"
#include "restful.h"
#include "threepids.h"
#include "users.h"
#include "util.h"

static int	reg_register(struct req *, struct resp *);
static int	reg_unregister(struct req *, struct resp *);
static int	reg_change_password(struct req *, struct resp *);
static int	reg_force_change_password(struct req *, struct resp *);
static int	reg_is_registered(struct req *, struct resp *);

static const struct route routes[] = {
	{ M_POST, "/api/register/register", reg_register, R_JSON },
	{ M_POST, "/api/register/unregister", reg_unregister, R_JSON },
	{ M_POST, "/api/register/change_password", reg_change_password,
	    R_JSON },
	{ M_POST, "/api/register/force_change_password",
	    reg_force_change_password, R_JSON },
	{ M_GET, "/api/register/is_registered", reg_is_registered, 0 },
};

/* Body must be a JSON object (POST), then the key, on every path. */
static int
reg_prepare(struct req *r, struct resp *w)
{
	const char	*key = NULL;
	size_t		 keylen = 0;
	int		 st;

	if (r->method == M_POST && (st = req_json(r)) != 0)
		return st;
	if (r->cfg->register_key == NULL) {
		log_error("[register] key is not set: refusing every request");
		return restful_fail(w, 503, "not_configured");
	}
	if (r->method == M_POST) {
		if (jsonio_str(r->json, "key", &key, &keylen) != JSONIO_OK)
			key = NULL;
	} else if ((key = req_param(r, "key")) != NULL)
		keylen = strlen(key);
	if (key == NULL || !util_secret_eq(key, keylen, r->cfg->register_key,
	    strlen(r->cfg->register_key))) {
		log_info("wrong or missing registration key");
		return 401;
	}
	return 0;
}

struct reg_params {
	struct jid	 jid;
	const char	*pw;		/* password or old_password */
	size_t		 pwlen;
	const char	*newpw;
	size_t		 newpwlen;
};

/*
 * Fetch named string fields from the JSON body or the query, in
 * mod_restful's order: all present (403 missing_parameters), the right
 * type, username prepped (403 stringprep), host served (401).
 */
static int
reg_params(struct req *r, struct resp *w, const char *const *names,
    size_t n, struct reg_params *p)
{
	const char	*v[4];
	size_t		 len[4], i;

	for (i = 0; i < n; i++) {
		if (r->json == NULL) {
			if ((v[i] = req_param(r, names[i])) == NULL)
				return restful_fail(w, 403, "missing_parameters");
			len[i] = strlen(v[i]);
			continue;
		}
		switch (jsonio_str(r->json, names[i], &v[i], &len[i])) {
		case JSONIO_MISSING:
			return restful_fail(w, 403, "missing_parameters");
		case JSONIO_BADTYPE:
			return 400;
		default:
			break;
		}
	}
	if (jid_localpart(v[0], len[0], p->jid.local) == -1)
		return restful_fail(w, 403, "stringprep");
	if (jid_host(v[1], len[1], p->jid.host) == -1)
		return restful_fail(w, 403, "stringprep");
	if (!config_host_served(r->cfg, p->jid.host))
		return 401;
	if (n > 2) {
		p->pw = v[2];
		p->pwlen = len[2];
	}
	if (n > 3) {
		p->newpw = v[3];
		p->newpwlen = len[3];
	}
	return 0;
}

static int
reg_register(struct req *r, struct resp *w)
{
	static const char *const names[] = { "username", "host", "password" };
	struct reg_params	 p;
	char			 hash[PASSWORD_MCF_MAX], id[USERS_ID_LEN];
	const char		*email = NULL;
	size_t			 emaillen = 0;
	enum db_status		 s;
	int			 st, created = 0, added = 0, has_email;

	if ((st = reg_params(r, w, names, 3, &p)) != 0)
		return st;
	if (p.pwlen == 0)
		return 401;
	if (password_hash(r->cfg, p.pw, p.pwlen, hash) == -1)
		return 400;
	has_email = json_object_object_get_ex(r->json, "email", NULL);
	if (has_email && (jsonio_str(r->json, "email", &email, &emaillen) !=
	    JSONIO_OK || !threepids_email_valid(email, emaillen)))
		email = NULL;

	/* The account and its email commit together or not at all. */
	if ((s = db_begin()) != DB_OK)
		return db_http_status(s);
	if ((s = users_create(p.jid.host, p.jid.local, hash, id,
	    &created)) != DB_OK)
		goto fail;
	if (!created) {
		db_rollback();
		return restful_fail(w, 403, "exists");
	}
	if (email != NULL &&
	    (s = threepids_add(id, "email", email, &added)) != DB_OK)
		goto fail;
	if ((s = db_commit()) != DB_OK)
		return db_http_status(s);
	log_info("registered %s@%s", p.jid.local, p.jid.host);
	if (has_email && !added)
		resp_json_text(w, 200, "{\"private_email\":\"not_set\"}");
	else
		resp_json_text(w, 200, "\"ok\"");
	return 200;
fail:
	db_rollback();
	return db_http_status(s);
}

static int
reg_unregister(struct req *r, struct resp *w)
{
	static const char *const names[] = { "username", "host", "password" };
	struct reg_params	 p;
	struct user		 u;
	enum db_status		 s;
	int			 st, found, deleted;

	if ((st = reg_params(r, w, names, 3, &p)) != 0)
		return st;
	if ((s = users_get(p.jid.host, p.jid.local, &u, &found)) != DB_OK)
		return db_http_status(s);
	if (!found) {
		password_dummy(r->cfg, p.pw, p.pwlen);
		return restful_fail(w, 403, "not_exists");
	}
	if (auth_verify(r->cfg, &u, p.pw, p.pwlen) != 1)
		return 401;
	if ((s = users_delete(&u, &deleted)) != DB_OK)
		return db_http_status(s);
	if (!deleted)
		return 401;
	log_info("unregistered %s@%s", u.local, u.host);
	resp_json_text(w, 200, "\"ok\"");
	return 200;
}

static int
reg_change_password(struct req *r, struct resp *w)
{
	static const char *const names[] = { "username", "host",
	    "old_password", "new_password" };
	struct reg_params	 p;
	struct user		 u;
	char			 hash[PASSWORD_MCF_MAX];
	enum db_status		 s;
	int			 st, changed;

	if ((st = reg_params(r, w, names, 4, &p)) != 0)
		return st;
	switch (auth_password(r->cfg, p.jid.host, p.jid.local, p.pw, p.pwlen,
	    &u)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAIL:
		return 503;
	default:
		return 401;
	}
	if (p.newpwlen == 0 ||
	    password_hash(r->cfg, p.newpw, p.newpwlen, hash) == -1)
		return restful_fail(w, 403, "error");
	if ((s = users_set_hash(&u, hash, &changed)) != DB_OK)
		return db_http_status(s);
	if (!changed)
		return 401;
	log_info("password changed for %s@%s", u.local, u.host);
	resp_json_text(w, 200, "\"ok\"");
	return 200;
}

static int
reg_force_change_password(struct req *r, struct resp *w)
{
	static const char *const names[] = { "username", "host",
	    "new_password" };
	struct reg_params	 p;
	char			 hash[PASSWORD_MCF_MAX];
	enum db_status		 s;
	int			 st, changed;

	if ((st = reg_params(r, w, names, 3, &p)) != 0)
		return st;
	if (p.pwlen == 0 || password_hash(r->cfg, p.pw, p.pwlen, hash) == -1)
		return restful_fail(w, 403, "error");
	if ((s = users_force_hash(p.jid.host, p.jid.local, hash, &changed)) !=
	    DB_OK)
		return db_http_status(s);
	if (!changed)
		return restful_fail(w, 403, "not_exists");
	log_info("password reset for %s@%s", p.jid.local, p.jid.host);
	resp_json_text(w, 200, "\"ok\"");
	return 200;
}

static int
reg_is_registered(struct req *r, struct resp *w)
{
	static const char *const names[] = { "username", "host" };
	struct reg_params	 p;
	enum db_status		 s;
	int			 st, found;

	if ((st = reg_params(r, w, names, 2, &p)) != 0)
		return st;
	if ((s = users_registered(p.jid.host, p.jid.local, &found)) != DB_OK)
		return db_http_status(s);
	resp_json_text(w, 200, found ? "true" : "false");
	return 200;
}

static const struct app app = {
	.name = "chatrest-register",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.prepare = reg_prepare,
	.error = restful_error,
};

int
main(int argc, char *argv[])
{
	return app_main(&app, argc, argv);
}
