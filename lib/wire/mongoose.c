/*
 * mongoose: MongooseIM 3.x's REST API for backend services, decoded into
 * struct admin_call and encoded back as mongoose_api_admin answers.
 *
 * Upstream derives everything from the command rows, and so does this
 * file: a route is /{category}/:arg.../{subcategory}; GET and DELETE take
 * every argument from the path, POST and PUT the identifiers from the
 * path and the rest from a JSON object.  The command is chosen by
 * category, subcategory, action and argument count, then its arguments
 * are looked up by name.  Answers: 204 for ok, 201 with the text for
 * create/update results (and a Location on POST), 200 JSON for reads;
 * error bodies are empty or short texts, all as application/json.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jid.h"
#include "jsonio.h"
#include "log.h"
#include "mongoose.h"
#include "util.h"

#define MIM_MAXSEG	8
#define MIM_SCRATCH	(JID_LOCAL_MAX + 1 + JID_HOST_MAX + 1)
#define MIM_NOT_ALLOWED	"Command not available for this user"
#define MIM_BAD_LENGTH	"Bad parameters length."
#define MIM_MALFORMED	"The request body is malformed."

static const struct {
	enum mim_action	 action;
	unsigned	 method;
	const char	*name;
} mim_actions[] = {
	{ MIM_READ, M_GET, "read" },
	{ MIM_CREATE, M_POST, "create" },
	{ MIM_UPDATE, M_PUT, "update" },
	{ MIM_DELETE, M_DELETE, "delete" },
};

#define NACTIONS	(sizeof(mim_actions) / sizeof(mim_actions[0]))

/* The path as routed: category, bindings, subcategory. */
struct mim_route {
	char		*seg[MIM_MAXSEG];
	size_t		 nseg;
	const struct mim_cmd *first;	/* the route's row: binding names */
	size_t		 nbind;
};

/* Decoded values of one row's arguments. */
struct mim_vals {
	int		 set[MIM_MAXARGS];
	const char	*s[MIM_MAXARGS];
	long long	 i[MIM_MAXARGS];
	char		 num[MIM_MAXARGS][24];
};

/* A text body, application/json as upstream sends every error. */
static int
mim_text(struct resp *w, int st, const char *text)
{
	resp_body(w, st, "application/json", text, strlen(text));
	return st;
}

/* Empty bodies for the statuses the dispatcher answers itself. */
int
mim_error(struct resp *w, int st)
{
	if (st == 204)
		return st;
	if (st == 401)
		(void)resp_header(w, "WWW-Authenticate",
		    "Basic realm=\"mongooseim\"");
	resp_body(w, st, NULL, "", 0);
	return st;
}

static int
mim_is_binding(const struct mim_cmd *c, size_t i)
{
	if (c->action == MIM_READ || c->action == MIM_DELETE)
		return !(c->args[i].flags & MA_OPT);
	return (c->args[i].flags & MA_ID) != 0;
}

static size_t
mim_nargs(const struct mim_cmd *c)
{
	size_t	 n;

	for (n = 0; n < MIM_MAXARGS && c->args[n].name != NULL; n++)
		continue;
	return n;
}

/* The arity upstream dispatches on: the arguments, optargs aside. */
static size_t
mim_arity(const struct mim_cmd *c)
{
	size_t	 i, n = 0;

	for (i = 0; i < mim_nargs(c); i++)
		if (!(c->args[i].flags & MA_OPT))
			n++;
	return n;
}

static size_t
mim_nbind(const struct mim_cmd *c)
{
	size_t	 i, n = 0;

	for (i = 0; i < mim_nargs(c); i++)
		if (mim_is_binding(c, i))
			n++;
	return n;
}

static int
mim_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Does row c's route take this path? */
static int
mim_route_match(const struct mim_cmd *c, struct mim_route *rt)
{
	size_t	 nb = mim_nbind(c), want = 1 + nb + (c->subcategory != NULL);

	if (rt->nseg != want || strcmp(rt->seg[0], c->category) != 0)
		return 0;
	return c->subcategory == NULL ||
	    strcmp(rt->seg[rt->nseg - 1], c->subcategory) == 0;
}

/*
 * The route: literal subcategories first, so that /mucs/h/r/messages is
 * the message route and not a kick of the nick "messages".
 */
static int
mim_route(const struct mim_api *api, struct mim_route *rt)
{
	size_t	 i;
	int	 pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < api->ncmds; i++) {
			const struct mim_cmd *c = &api->cmds[i];

			if ((c->subcategory != NULL) != (pass == 0) ||
			    !mim_route_match(c, rt))
				continue;
			rt->first = c;
			rt->nbind = mim_nbind(c);
			return 0;
		}
	/* The category alone takes a POST or PUT with every argument. */
	for (i = 0; rt->nseg == 1 && i < api->ncmds; i++)
		if (strcmp(api->cmds[i].category, rt->seg[0]) == 0 &&
		    api->cmds[i].subcategory == NULL &&
		    (api->cmds[i].action == MIM_CREATE ||
		    api->cmds[i].action == MIM_UPDATE)) {
			rt->first = &api->cmds[i];
			rt->nbind = 0;
			return 0;
		}
	return -1;
}

/* The binding named name in the routed path, or NULL. */
static const char *
mim_binding(const struct mim_route *rt, const char *name)
{
	const struct mim_cmd	*c = rt->first;
	size_t			 i, k = 1;

	for (i = 0; rt->nbind > 0 && i < mim_nargs(c); i++) {
		if (!mim_is_binding(c, i))
			continue;
		if (strcmp(c->args[i].name, name) == 0)
			return rt->seg[k];
		k++;
	}
	return NULL;
}

static unsigned
mim_method(enum mim_action a)
{
	size_t	 i;

	for (i = 0; i < NACTIONS; i++)
		if (mim_actions[i].action == a)
			return mim_actions[i].method;
	return 0;
}

static const char *
mim_action_name(enum mim_action a)
{
	size_t	 i;

	for (i = 0; i < NACTIONS; i++)
		if (mim_actions[i].action == a)
			return mim_actions[i].name;
	return "";
}

/* Every method of the category, and OPTIONS. */
static unsigned
mim_category_methods(const struct mim_api *api, const char *category)
{
	unsigned	 m = M_OPTIONS;
	size_t		 i;

	for (i = 0; i < api->ncmds; i++)
		if (strcmp(api->cmds[i].category, category) == 0)
			m |= mim_method(api->cmds[i].action);
	return m;
}

static void
mim_allow(struct resp *w, unsigned m)
{
	static const unsigned	 order[] = { M_GET, M_POST, M_PUT, M_DELETE,
				    M_OPTIONS };
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(m & order[i]))
			continue;
		if (b.len > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, req_method_name(order[i]));
	}
	(void)resp_header(w, "Allow", b.p);
	buf_free(&b);
}

/* An Accept header that rules out application/json: 406. */
static int
mim_accept_ok(const struct req *r)
{
	const char	*a = req_header(r, "Accept"), *p;
	size_t		 n;

	if (a == NULL)
		return 1;
	for (p = a; *p != '\0'; p += strspn(p, ",")) {
		p += strspn(p, " \t");
		n = strcspn(p, ",;");
		if ((n == 16 && util_strncaseeq(p, "application/json", 16)) ||
		    (n == 13 && util_strncaseeq(p, "application/*", 13)) ||
		    (n == 3 && strncmp(p, "*/*", 3) == 0))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

/* Is name an argument of any row?  Upstream knows no others. */
static int
mim_known_name(const struct mim_api *api, const char *name)
{
	size_t	 i, k;

	for (i = 0; i < api->ncmds; i++)
		for (k = 0; k < mim_nargs(&api->cmds[i]); k++)
			if (strcmp(api->cmds[i].args[k].name, name) == 0)
				return 1;
	return 0;
}

/*
 * One value: from the path or query (a string) or the body (JSON).
 * 0, or -1 for a value of the wrong type.
 */
static int
mim_set(struct mim_vals *v, size_t i, const struct mim_arg *a,
    const char *str, json_object *j)
{
	const char	*s = str;

	if (j != NULL) {
		if (a->type == MT_INTEGER &&
		    json_object_is_type(j, json_type_int)) {
			errno = 0;
			v->i[i] = json_object_get_int64(j);
			if (errno != 0)
				return -1;
			(void)snprintf(v->num[i], sizeof(v->num[i]), "%lld",
			    v->i[i]);
			v->s[i] = v->num[i];
			v->set[i] = 1;
			return 0;
		}
		if (!json_object_is_type(j, json_type_string))
			return -1;
		s = json_object_get_string(j);
		if (strlen(s) != (size_t)json_object_get_string_len(j))
			return -1;
	}
	if (a->type == MT_LIST)
		return -1;	/* a path or query value is never a list */
	if (a->type == MT_INTEGER) {
		const char	*d = s[0] == '-' ? s + 1 : s;

		if (*d == '\0' || strspn(d, "0123456789") != strlen(d))
			return -1;
		errno = 0;
		v->i[i] = strtoll(s, NULL, 10);
		if (errno != 0)
			return -1;
	}
	v->s[i] = s;
	v->set[i] = 1;
	return 0;
}

static const struct mim_cmd *
mim_pick(const struct mim_api *api, const struct mim_route *rt,
    enum mim_action action, size_t arity, int count_all)
{
	size_t	 i;

	for (i = 0; i < api->ncmds; i++) {
		const struct mim_cmd *c = &api->cmds[i];

		if (strcmp(c->category, rt->first->category) != 0 ||
		    !mim_streq(c->subcategory, rt->first->subcategory) ||
		    c->action != action)
			continue;
		if (count_all ? mim_arity(c) == arity :
		    mim_nbind(c) == arity)
			return c;
	}
	return NULL;
}

const char *
mim_arg(const struct mim_call *mc, const char *name)
{
	size_t	 i;

	for (i = 0; i < mim_nargs(mc->cmd); i++)
		if (strcmp(mc->cmd->args[i].name, name) == 0)
			return mc->val[i];
	return NULL;
}

/* The command's argument named name: its index, or -1. */
static int
mim_target(const struct admin_cmd *ac, const char *name)
{
	size_t	 i;

	for (i = 0; i < admin_nargs(ac); i++)
		if (strcmp(ac->args[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
mim_put(struct admin_call *c, const char *name, const char *s,
    long long iv)
{
	int	 k;

	if ((k = mim_target(c->cmd, name)) == -1) {
		log_error("mongoose: %s has no argument %s", c->cmd->name,
		    name);
		return -1;
	}
	c->arg[k].set = 1;
	c->arg[k].s = s;
	c->arg[k].len = strlen(s);
	c->arg[k].i = iv;
	if (c->cmd->args[k].type == A_LIST) {
		/* one value where the command takes a list of them */
		json_object_put(c->arg[k].list);
		c->arg[k].list = json_object_new_array();
		json_object_array_add(c->arg[k].list,
		    json_object_new_string(s));
	}
	return 0;
}

/*
 * The command's arguments from the row's: renamed, split (a JID into
 * localpart and host) or derived (a host's MUC domain), and the row's
 * constants.  Derived strings live in scratch.
 */
static int
mim_bind(struct admin_call *c, const struct mim_cmd *m,
    const struct mim_vals *v, char scratch[][MIM_SCRATCH])
{
	const struct mim_arg	*a;
	const char		*host;
	size_t			 i, n, ns = 0;

	for (i = 0; i < mim_nargs(m); i++) {
		a = &m->args[i];
		if (!v->set[i] || a->to == NULL)
			continue;
		switch (a->map) {
		case MAP_JID:
			n = strcspn(v->s[i], "@");
			(void)snprintf(scratch[ns], MIM_SCRATCH, "%.*s",
			    (int)n, v->s[i]);
			(void)snprintf(scratch[ns + 1], MIM_SCRATCH, "%.*s",
			    (int)strcspn(v->s[i] + n + (v->s[i][n] == '@'),
			    "/"), v->s[i] + n + (v->s[i][n] == '@'));
			if (mim_put(c, a->to, scratch[ns], 0) == -1 ||
			    mim_put(c, a->to2, scratch[ns + 1], 0) == -1)
				return -1;
			ns += 2;
			break;
		case MAP_MUC:
			config_muc_domain(c->cfg, v->s[i], scratch[ns],
			    MIM_SCRATCH);
			if (mim_put(c, a->to, scratch[ns++], 0) == -1)
				return -1;
			break;
		case MAP_ROOM:
			host = NULL;
			for (n = 0; n < mim_nargs(m); n++)
				if (strcmp(m->args[n].name, a->to2) == 0 &&
				    v->set[n])
					host = v->s[n];
			if (host == NULL)
				return -1;
			(void)snprintf(scratch[ns], MIM_SCRATCH, "%s@", v->s[i]);
			n = strlen(scratch[ns]);
			config_muc_domain(c->cfg, host, scratch[ns] + n,
			    MIM_SCRATCH - n);
			if (mim_put(c, a->to, scratch[ns++], 0) == -1)
				return -1;
			break;
		default:
			if (mim_put(c, a->to, v->s[i], v->i[i]) == -1)
				return -1;
			break;
		}
	}
	for (i = 0; i < MIM_MAXFIXED && m->fixed[i].to != NULL; i++)
		if (mim_put(c, m->fixed[i].to, m->fixed[i].value, 0) == -1)
			return -1;
	for (i = 0; i < admin_nargs(c->cmd); i++)
		if (!c->arg[i].set && !(c->cmd->args[i].flags & A_OPTIONAL)) {
			log_error("mongoose: %s leaves %s of %s unset", m->name,
			    c->cmd->args[i].name, c->cmd->name);
			return -1;
		}
	return 0;
}

/* Location: the request's own URL, "/", the result text. */
static void
mim_location(const struct req *r, struct resp *w, const char *text)
{
	const char	*host = req_header(r, "Host");
	const char	*https = req_getenv(r, "HTTPS");
	const char	*sn = req_getenv(r, "SERVER_NAME");
	const char	*sp = req_getenv(r, "SERVER_PORT");
	char		*loc;

	if (host != NULL)
		loc = xasprintf("%s://%s%s/%s", https != NULL &&
		    util_strcaseeq(https, "on") ? "https" : "http", host,
		    r->path, text);
	else
		loc = xasprintf("http://%s:%s%s/%s", sn != NULL ? sn :
		    "localhost", sp != NULL ? sp : "80", r->path, text);
	(void)resp_header(w, "Location", loc);
	free(loc);
}

/* What the command left behind, as upstream answers it. */
static int
mim_answer(struct mim_call *mc, struct admin_call *c, int rc,
    struct req *r, struct resp *w)
{
	const struct mim_cmd	*m = mc->cmd;
	json_object		*o;
	const char		*text;
	int			 st;

	if (rc == -1 && m->empty_on != NULL &&
	    strcmp(c->err_atom, m->empty_on) == 0) {
		rc = 0;
		json_object_put(c->res);
		c->res = json_object_new_array();
	}
	if (rc == -1) {
		if (c->err_status == 503)
			return mim_error(w, 503);
		if (strcmp(c->err_atom, "not_allowed") == 0)
			return mim_text(w, 403, MIM_NOT_ALLOWED);
		st = m->fail_status != 0 ? m->fail_status : c->err_status;
		return mim_text(w, st, c->err_msg);
	}
	if (m->result == MR_OK || m->action == MIM_DELETE)
		return mim_error(w, 204);
	o = m->shape != NULL ? m->shape(mc, c->res) :
	    (c->res != NULL ? json_object_get(c->res) : NULL);
	if (o == NULL)
		return mim_error(w, 500);
	if (m->result == MR_JSON) {
		resp_json(w, 200, o);
		json_object_put(o);
		return 200;
	}
	text = json_object_is_type(o, json_type_string) ?
	    json_object_get_string(o) : jsonio_dump(o);
	if (m->action == MIM_CREATE)
		mim_location(r, w, text);
	st = mim_text(w, 201, text);
	json_object_put(o);
	return st;
}

/* GET /api/commands: what this server answers, in the table's order. */
json_object *
mim_list_commands(const struct mim_call *mc, json_object *res)
{
	const struct mim_api	*api = mc->api;
	const struct admin_cmd	*ac;
	json_object		*a = json_object_new_array(), *o;
	size_t			 i;

	(void)res;
	for (i = 0; i < api->ncmds; i++) {
		const struct mim_cmd *m = &api->cmds[i];

		if (m->command == NULL ? m->shape == NULL :
		    ((ac = admin_find(m->command)) == NULL ||
		    (ac->flags & C_TERMINAL) || !admin_allowed(mc->cfg, ac)))
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name",
		    json_object_new_string(m->name));
		json_object_object_add(o, "desc",
		    json_object_new_string(m->desc));
		json_object_object_add(o, "category",
		    json_object_new_string(m->category));
		json_object_object_add(o, "action",
		    json_object_new_string(mim_action_name(m->action)));
		json_object_array_add(a, o);
	}
	return a;
}

static void
mim_route_free(struct mim_route *rt)
{
	size_t	 i;

	for (i = 0; i < rt->nseg; i++)
		free(rt->seg[i]);
	rt->nseg = 0;
}

/* "/users/localhost" into its segments; -1 if it cannot be a route. */
static int
mim_split(const char *path, struct mim_route *rt)
{
	const char	*p = path, *e;

	memset(rt, 0, sizeof(*rt));
	while (*p == '/') {
		p++;
		e = p + strcspn(p, "/");
		if (e == p || rt->nseg == MIM_MAXSEG) {
			mim_route_free(rt);
			return -1;
		}
		rt->seg[rt->nseg++] = xstrndup(p, (size_t)(e - p));
		p = e;
	}
	return rt->nseg > 0 && *p == '\0' ? 0 : -1;
}

/* The row's values from bindings, body and query: 0 or the status. */
static int
mim_decode(const struct mim_api *api, const struct mim_route *rt,
    const struct mim_cmd *m, struct req *r, json_object *body,
    struct mim_vals *v, struct resp *w)
{
	json_object	*j;
	const char	*s;
	size_t		 i, k;
	int		 found;

	memset(v, 0, sizeof(*v));
	if (body != NULL) {
		json_object_object_foreach(body, key, val) {
			(void)val;
			found = 0;
			for (i = 0; i < mim_nargs(m); i++)
				found |= strcmp(m->args[i].name, key) == 0;
			if (!found)
				return mim_known_name(api, key) ?
				    mim_error(w, 400) :
				    mim_text(w, 400, MIM_MALFORMED);
		}
	}
	for (i = 0; i < mim_nargs(m); i++) {
		const struct mim_arg *a = &m->args[i];

		j = NULL;
		s = mim_binding(rt, a->name);
		if (s == NULL && body != NULL &&
		    json_object_object_get_ex(body, a->name, &j))
			s = NULL;
		if (s == NULL && j == NULL && (body != NULL ||
		    (a->flags & MA_OPT)))
			for (k = 0; k < r->nparams && s == NULL; k++)
				if (strcmp(r->params[k].key, a->name) == 0)
					s = r->params[k].val;
		if (s == NULL && j == NULL) {
			if (a->flags & MA_OPT)
				continue;
			return mim_error(w, 400);
		}
		if (mim_set(v, i, a, s, j) == -1) {
			log_info("mongoose %s: %s is not a %s", m->name,
			    a->name, a->type == MT_INTEGER ? "integer" :
			    a->type == MT_LIST ? "list" : "string");
			return mim_error(w, 400);
		}
	}
	return 0;
}

/*
 * In upstream's order: no route 404, unknown method 501, method not of
 * the category 405, authentication 401, OPTIONS, Accept 406, POST/PUT
 * Content-Type 415; then the body, the command by argument count, its
 * arguments, allowed_commands, and the command.
 */
int
mim_serve(const struct mim_api *api, struct req *r, struct resp *w,
    const char *path)
{
	struct mim_route	 rt;
	struct mim_vals		 v;
	struct mim_call		 mc;
	struct admin_call	 c;
	const struct mim_cmd	*m;
	const struct admin_cmd	*ac;
	json_object		*body = NULL;
	char			 scratch[MIM_MAXARGS * 2][MIM_SCRATCH];
	char			 actor[128] = "";
	enum mim_action		 action;
	unsigned		 methods;
	size_t			 i, arity, nq;
	int			 st, rc;

	admin_call_init(&c, NULL, NULL, VIA_MONGOOSE, actor);
	if (mim_split(path, &rt) == -1)
		return mim_error(w, 404);
	if (mim_route(api, &rt) == -1) {
		st = mim_error(w, 404);
		goto out;
	}
	if (r->method == 0) {
		st = mim_error(w, 501);
		goto out;
	}
	methods = mim_category_methods(api, rt.first->category);
	if (!(methods & r->method)) {
		mim_allow(w, methods);
		st = mim_error(w, 405);
		goto out;
	}
	if ((st = api->auth(r, w, actor, sizeof(actor))) != 0)
		goto out;
	if (r->method == M_OPTIONS) {
		(void)resp_header(w, "Access-Control-Allow-Methods",
		    "GET, OPTIONS, PUT, POST, DELETE");
		(void)resp_header(w, "Access-Control-Allow-Origin", "*");
		(void)resp_header(w, "Access-Control-Allow-Headers",
		    "Content-Type");
		st = mim_error(w, 200);
		goto out;
	}
	if (!mim_accept_ok(r)) {
		st = mim_error(w, 406);
		goto out;
	}
	action = r->method == M_GET ? MIM_READ : r->method == M_POST ?
	    MIM_CREATE : r->method == M_PUT ? MIM_UPDATE : MIM_DELETE;
	if (action == MIM_CREATE || action == MIM_UPDATE) {
		if (!req_is_json(r)) {
			st = mim_error(w, 415);
			goto out;
		}
		if (jsonio_parse(r->body, r->bodylen, &body) == -1 ||
		    !json_object_is_type(body, json_type_object)) {
			st = mim_text(w, 400, MIM_MALFORMED);
			goto out;
		}
		nq = r->nparams;
		arity = rt.nbind + (size_t)json_object_object_length(body) + nq;
		if ((m = mim_pick(api, &rt, action, arity, 1)) == NULL) {
			st = mim_text(w, 404, MIM_BAD_LENGTH);
			goto out;
		}
	} else if ((m = mim_pick(api, &rt, action, rt.nbind, 0)) == NULL) {
		st = mim_error(w, 404);
		goto out;
	}
	if ((st = mim_decode(api, &rt, m, r, body, &v, w)) != 0)
		goto out;

	memset(&mc, 0, sizeof(mc));
	mc.api = api;
	mc.cmd = m;
	mc.cfg = r->cfg;
	for (i = 0; i < mim_nargs(m); i++)
		mc.val[i] = v.set[i] ? v.s[i] : NULL;
	if (m->command == NULL) {
		json_object *o = m->shape != NULL ? m->shape(&mc, NULL) : NULL;

		if (o == NULL) {
			st = mim_error(w, 404);
			goto out;
		}
		resp_json(w, 200, o);
		json_object_put(o);
		st = 200;
		goto out;
	}
	if ((ac = admin_find(m->command)) == NULL || (ac->flags & C_TERMINAL)) {
		log_info("mongoose %s: %s is not served here", m->name,
		    m->command);
		st = mim_error(w, 404);
		goto out;
	}
	if (!admin_allowed(r->cfg, ac)) {
		log_info("admin command %s not in allowed_commands", ac->name);
		st = mim_text(w, 403, MIM_NOT_ALLOWED);
		goto out;
	}
	admin_call_init(&c, r->cfg, ac, VIA_MONGOOSE, actor);
	if (mim_bind(&c, m, &v, scratch) == -1) {
		st = mim_error(w, 500);
		goto out;
	}
	rc = admin_run(&c);
	st = mim_answer(&mc, &c, rc, r, w);
out:
	admin_call_free(&c);
	json_object_put(body);
	mim_route_free(&rt);
	return st;
}
