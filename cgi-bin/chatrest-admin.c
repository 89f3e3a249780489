/*
 * chatrest-admin: administration commands, written once in the command
 * table (admin-commands.c), reachable three ways:
 *
 *   POST /api/admin              ejabberd mod_restful_admin: positional
 *                                "args", a body "key" or HTTP Basic
 *   POST|GET /api/admin/COMMAND  ejabberd 23.01 mod_http_api (v0): named
 *                                arguments, HTTP Basic or a Bearer key
 *   chatrest-admin COMMAND ARG   the shell, straight to the database
 *   /api/CATEGORY/...            MongooseIM 3.x's backend API (on its own
 *                                loopback listener; /api/mongoose/... as
 *                                a prefix mount), Basic of an administrator
 *                                or a Bearer key
 *
 * Over HTTP only administrators get in: the [admin] key, or the Basic
 * credentials of an account listed in [admin] admins.  With neither
 * configured every request is refused.  Terminal-only commands (migrate,
 * help) are unknown over HTTP.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "admin-mongoose.h"
#include "app.h"
#include "auth.h"
#include "jsonio.h"
#include "log.h"
#include "mongoose.h"
#include "presence.h"
#include "restful.h"
#include "util.h"

#define ACTOR_MAX	(AUTH_USER_MAX + 1)
#define CMD_NAME_MAX	64

static int	adm_restful(struct req *, struct resp *);
static int	adm_http_api(struct req *, struct resp *);

#define ADM_ANY	(M_GET | M_HEAD | M_POST | M_PUT | M_DELETE | M_PATCH | \
	M_OPTIONS)

/* mod_http_api: COMMAND, COMMAND/ and COMMAND/vN (the API version). */
static const struct route routes[] = {
	{ M_POST, "/api/admin", adm_restful, R_JSON },
	{ ADM_ANY, "/api/admin/:command", adm_http_api, 0 },
	{ ADM_ANY, "/api/admin/:command/", adm_http_api, 0 },
	{ ADM_ANY, "/api/admin/:command/:version", adm_http_api, 0 },
};

enum adm_auth {
	ADM_OK,
	ADM_DENIED,	/* authenticated, but not an administrator */
	ADM_FAILED,	/* wrong or malformed credentials */
	ADM_UNAVAIL,
};

static int
adm_configured(const struct config *cfg)
{
	if (cfg->admin_key != NULL || cfg->admins.n > 0)
		return 1;
	log_error("[admin] has neither key nor admins: refusing every request");
	return 0;
}

static int
adm_is_admin(const struct config *cfg, const char *jid)
{
	size_t	 i;

	for (i = 0; i < cfg->admins.n; i++)
		if (util_strcaseeq(cfg->admins.v[i], jid))
			return 1;
	return 0;
}

/* HTTP Basic of an account listed in [admin] admins. */
static enum adm_auth
adm_basic(struct req *r, char *actor)
{
	struct user	 u;

	switch (auth_basic(r, &u)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAIL:
		return ADM_UNAVAIL;
	default:
		return ADM_FAILED;
	}
	(void)snprintf(actor, ACTOR_MAX, "%s@%s", u.local, u.host);
	if (!adm_is_admin(r->cfg, actor)) {
		log_info("%s is not an administrator", actor);
		return ADM_DENIED;
	}
	(void)presence_touch(r->cfg, &u);
	return ADM_OK;
}

/* The admin key, within the guessing limits; none configured fails. */
static enum auth_result
adm_key(struct req *r, const char *key, size_t len)
{
	if (r->cfg->admin_key == NULL)
		return AUTH_FAIL;
	return auth_key(r, "key:admin", key, len, r->cfg->admin_key);
}

/* A command reachable over HTTP, or NULL. */
static const struct admin_cmd *
adm_http_find(const char *name)
{
	const struct admin_cmd	*cmd;

	if ((cmd = admin_find(name)) == NULL || (cmd->flags & C_TERMINAL))
		return NULL;
	return cmd;
}

/*
 * mod_restful_admin, in its order: authenticate (the key when one is
 * configured, else Basic), then allowed_commands, then the command.
 */
static int
adm_restful(struct req *r, struct resp *w)
{
	const struct admin_cmd	*cmd;
	struct admin_call	 c;
	const char		*key, *name;
	size_t			 keylen;
	char			 actor[ACTOR_MAX] = "key";
	int			 st;

	if (!adm_configured(r->cfg))
		return restful_fail(w, 503, "not_configured");
	if (r->cfg->admin_key != NULL) {
		if (jsonio_str(r->json, "key", &key, &keylen) != JSONIO_OK)
			key = NULL, keylen = 0;
		switch (adm_key(r, key, keylen)) {
		case AUTH_OK:
			break;
		case AUTH_UNAVAIL:
			return 503;
		default:
			log_info("wrong or missing admin key");
			return 401;
		}
	} else {
		switch (adm_basic(r, actor)) {
		case ADM_OK:
			break;
		case ADM_UNAVAIL:
			return 503;
		default:
			return 401;
		}
	}
	if (jsonio_str(r->json, "command", &name, NULL) != JSONIO_OK)
		return 400;
	if (r->cfg->admin_commands.n > 0 &&
	    !config_list_has(&r->cfg->admin_commands, name)) {
		log_info("admin command not in allowed_commands");
		return 401;
	}
	if ((cmd = adm_http_find(name)) == NULL) {
		log_info("unknown admin command");
		return 400;
	}
	admin_call_init(&c, r->cfg, cmd, VIA_RESTFUL, actor);
	c.idem_key = req_header(r, "Idempotency-Key");
	if ((st = admin_from_restful(&c, r->json, w)) == 0)
		st = admin_to_restful(&c, admin_run(&c), w);
	admin_call_free(&c);
	return st;
}

/* ejabberd 23.01's fixed answers. */
static int
adm_unauthorized(struct resp *w)
{
	return admin_http_error(w, 401, 10,
	    "You are not authorized to call this command.");
}

static int
adm_forbidden(struct resp *w)
{
	return admin_http_error(w, 403, 32,
	    "AccessRules: Account does not have the right to perform the "
	    "operation.");
}

static int
adm_bad_json(struct resp *w)
{
	return admin_http_error(w, 400, 0, "400 Bad Request");
}

/* Bearer <admin key>, or Basic of an administrator; none is 403. */
static int
adm_http_auth(struct req *r, struct resp *w, char *actor)
{
	const char	*h = req_header(r, "Authorization");

	if (h == NULL) {
		log_info("admin request without credentials");
		return adm_forbidden(w);
	}
	if (util_strncaseeq(h, "Bearer ", 7)) {
		for (h += 7; *h == ' '; h++)
			continue;
		switch (adm_key(r, h, strlen(h))) {
		case AUTH_OK:
			break;
		case AUTH_UNAVAIL:
			return admin_http_error(w, 503, 0, "unavailable");
		default:
			log_info("wrong admin bearer key");
			return adm_unauthorized(w);
		}
		(void)snprintf(actor, ACTOR_MAX, "key");
		return 0;
	}
	switch (adm_basic(r, actor)) {
	case ADM_OK:
		return 0;
	case ADM_DENIED:
		return adm_forbidden(w);
	case ADM_UNAVAIL:
		return admin_http_error(w, 503, 0, "unavailable");
	default:
		return adm_unauthorized(w);
	}
}

/* Command names are lower-case words; anything else is no endpoint. */
static int
adm_name_ok(const char *s)
{
	size_t	 n;

	n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");
	return n > 0 && n <= CMD_NAME_MAX && s[n] == '\0';
}

/*
 * The body: a JSON object (application/json: a CSRF guard); empty is {}.
 * An argument given twice is refused, as the GET form refuses it: json-c
 * would keep the last silently.
 */
static int
adm_named_body(struct req *r, struct resp *w, json_object **obj)
{
	char	*dup, msg[ADMIN_MSG_MAX];

	*obj = NULL;
	if (!req_is_json(r)) {
		log_info("admin POST without Content-Type: application/json");
		return adm_bad_json(w);
	}
	if (r->bodylen == 0) {
		*obj = json_object_new_object();
		return 0;
	}
	if (jsonio_parse(r->body, r->bodylen, obj) == -1 ||
	    !json_object_is_type(*obj, json_type_object)) {
		json_object_put(*obj);
		*obj = NULL;
		return adm_bad_json(w);
	}
	if ((dup = jsonio_dup_member(r->body, r->bodylen)) != NULL) {
		(void)snprintf(msg, sizeof(msg),
		    "Request have duplicate argument: %s", dup);
		free(dup);
		json_object_put(*obj);
		*obj = NULL;
		return admin_http_error(w, 400, 0, msg);
	}
	return 0;
}

/* "v0", "v1", ...: the version; -1 for anything else. */
static int
adm_version(const char *s)
{
	size_t	 n;

	if (s == NULL)
		return 0;
	if (*s != 'v' || (n = strspn(s + 1, "0123456789")) == 0 || n > 3 ||
	    s[1 + n] != '\0')
		return -1;
	return atoi(s + 1);
}

/*
 * mod_http_api: CORS as ejabberd sends it (credentials travel in explicit
 * headers, never cookies), authenticate, find the command, check
 * allowed_commands, decode the named arguments, run.
 */
static int
adm_http_api(struct req *r, struct resp *w)
{
	const struct admin_cmd	*cmd;
	struct admin_call	 c;
	json_object		*obj = NULL;
	const char		*name = req_cap(r, "command");
	char			 actor[ACTOR_MAX] = "";
	int			 st, version;

	(void)resp_header(w, "Access-Control-Allow-Origin", "*");
	(void)resp_header(w, "Access-Control-Allow-Headers",
	    "Content-Type, Authorization, X-Admin");
	if (r->method == M_OPTIONS) {
		resp_body(w, 200, "text/plain", "", 0);
		return 200;
	}
	if ((r->method != M_GET && r->method != M_HEAD &&
	    r->method != M_POST) ||
	    (version = adm_version(req_cap(r, "version"))) == -1)
		return admin_http_error(w, 400, 40, "Missing command name.");
	if (!adm_configured(r->cfg))
		return admin_http_error(w, 503, 0, "not_configured");
	if ((st = adm_http_auth(r, w, actor)) != 0)
		return st;
	if (!adm_name_ok(name))
		return admin_http_error(w, 404, 40, "Endpoint not found.");
	if ((cmd = adm_http_find(name)) == NULL)
		return admin_http_error(w, 400, 0, "unknown_command");
	if (!admin_allowed(r->cfg, cmd)) {
		log_info("admin command %s not in allowed_commands", name);
		return adm_forbidden(w);
	}
	if (r->method != M_POST && (cmd->flags & C_STATE))
		return admin_http_error(w, 400, 40,
		    "This command changes state: use POST.");

	admin_call_init(&c, r->cfg, cmd, VIA_HTTP_API, actor);
	c.version = version;
	c.idem_key = req_header(r, "Idempotency-Key");
	if (r->method == M_POST) {
		if ((st = adm_named_body(r, w, &obj)) != 0)
			goto out;
		st = admin_from_named(&c, obj, w);
	} else
		st = admin_from_query(&c, r->params, r->nparams, w);
	if (st == 0)
		st = admin_to_http_api(&c, admin_run(&c), w);
out:
	admin_call_free(&c);
	json_object_put(obj);
	return st;
}

/*
 * MongooseIM's one optional Basic pair becomes chatrest's administrators:
 * Basic of an account in [admin] admins, or the [admin] key as a Bearer
 * token.  Anything else is upstream's 401; with neither configured, 503.
 */
static int
adm_mim_auth(struct req *r, struct resp *w, char *actor, size_t sz)
{
	const char	*h = req_header(r, "Authorization");
	char		 who[ACTOR_MAX] = "";

	if (!adm_configured(r->cfg))
		return mim_error(w, 503);
	if (h != NULL && util_strncaseeq(h, "Bearer ", 7)) {
		for (h += 7; *h == ' '; h++)
			continue;
		switch (adm_key(r, h, strlen(h))) {
		case AUTH_OK:
			(void)snprintf(actor, sz, "key");
			return 0;
		case AUTH_UNAVAIL:
			return mim_error(w, 503);
		default:
			log_info("wrong admin bearer key");
			return mim_error(w, 401);
		}
	}
	if (h == NULL) {
		log_info("admin request without credentials");
		return mim_error(w, 401);
	}
	switch (adm_basic(r, who)) {
	case ADM_OK:
		(void)snprintf(actor, sz, "%s", who);
		return 0;
	case ADM_UNAVAIL:
		return mim_error(w, 503);
	default:
		return mim_error(w, 401);
	}
}

static struct mim_api mim_api = {
	.cmds = mim_commands,
	.auth = adm_mim_auth,
};

/* Set while the request in hand is MongooseIM's: its error shape. */
static int	 adm_mim;

#define MIM_PREFIX	"/api/mongoose"

/*
 * Anything under /api but /api/admin is MongooseIM's API: the web server
 * sends only its own listener's /api, and /api/mongoose, here.
 */
static int
adm_prepare(struct req *r, struct resp *w)
{
	size_t	 n = sizeof(MIM_PREFIX) - 1;

	adm_mim = 0;
	mim_api.ncmds = mim_ncommands;
	if (strncmp(r->path, MIM_PREFIX, n) == 0 &&
	    (r->path[n] == '/' || r->path[n] == '\0')) {
		adm_mim = 1;
		return mim_serve(&mim_api, r, w, r->path + n);
	}
	if (strncmp(r->path, "/api/", 5) != 0 ||
	    (strncmp(r->path, "/api/admin", 10) == 0 &&
	    (r->path[10] == '/' || r->path[10] == '\0')))
		return 0;
	adm_mim = 1;
	return mim_serve(&mim_api, r, w, r->path + 4);
}

static int
adm_error(struct resp *w, int st)
{
	return adm_mim ? mim_error(w, st) : restful_error(w, st);
}

static void
adm_finish(const struct req *r, struct resp *w)
{
	(void)r;
	(void)w;
	adm_mim = 0;
}

/* chatrest-admin COMMAND ARG...: every command, allowed_commands aside. */
static int
adm_shell(const struct config *cfg, int argc, char **argv)
{
	const struct admin_cmd	*cmd;
	struct admin_call	 c;
	struct passwd		*pw;
	char			 actor[ACTOR_MAX];
	int			 rc;

	if (argc < 1) {
		fprintf(stderr, "usage: chatrest-admin [-c file] command "
		    "[arg ...]\n");
		return 2;
	}
	/* The result is the output: per-request info lines are noise here. */
	if (cfg == NULL || cfg->log_level == LOG_INFO)
		log_set_level(LOG_WARN);
	if ((cmd = admin_find(argv[0])) == NULL) {
		fprintf(stderr, "chatrest-admin: unknown command: %s\n"
		    "chatrest-admin help lists the commands\n", argv[0]);
		return 2;
	}
	/* help and status need no configuration; status says what is wrong */
	if (cfg == NULL && strcmp(cmd->name, "help") != 0 &&
	    strcmp(cmd->name, "status") != 0) {
		fprintf(stderr, "chatrest-admin: %s\n", app_config_error());
		return 2;
	}
	if ((pw = getpwuid(geteuid())) != NULL)
		(void)snprintf(actor, sizeof(actor), "shell:%s", pw->pw_name);
	else
		(void)snprintf(actor, sizeof(actor), "shell:%lu",
		    (unsigned long)geteuid());
	admin_call_init(&c, cfg, cmd, VIA_SHELL, actor);
	c.out = stdout;
	if ((rc = admin_from_argv(&c, argc - 1, argv + 1)) == 0)
		rc = admin_to_shell(&c, admin_run(&c), stdout, stderr);
	admin_call_free(&c);
	return rc;
}

static const struct app app = {
	.name = "chatrest-admin",
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.prepare = adm_prepare,
	.error = adm_error,
	.finish = adm_finish,
	.command = adm_shell,
	.usage = "usage: chatrest-admin [-hV] [-c file] command [arg ...]\n"
	    "       chatrest-admin help [command]\n",
};

int
main(int argc, char *argv[])
{
	return app_main(&app, argc, argv);
}
