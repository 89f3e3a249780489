/*
 * admin: the administration command table and its three encodings.
 *
 * Every encoding goes through the same steps: look the command up, decode
 * its arguments into struct admin_call by the row's typed argument list,
 * admin_run() it, and encode the result or failure it left behind.  The
 * per-command functions never see the wire; the encoders never see SQL.
 *
 * Failures carry one atom for mod_restful ({"error":atom}, its status
 * from the atom: bad_request 400, not_allowed 401, not_found 404, else
 * 403; R_RESTUPLE commands answer 200 {atom:message} as ejabberd 13.10
 * did) and a status, code and message for mod_http_api (code 0: the
 * message is the bare JSON string body, as ejabberd 23.01 answers).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "audit.h"
#include "db.h"
#include "idem.h"
#include "jsonio.h"
#include "log.h"
#include "restful.h"
#include "util.h"

static const char *const via_names[] = {
	[VIA_RESTFUL] = "restful",
	[VIA_HTTP_API] = "http_api",
	[VIA_SHELL] = "shell",
	[VIA_MONGOOSE] = "mongoose",
};

const struct admin_cmd *
admin_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < admin_ncommands; i++)
		if (strcmp(admin_commands[i].name, name) == 0)
			return &admin_commands[i];
	return NULL;
}

size_t
admin_nargs(const struct admin_cmd *cmd)
{
	size_t	 n;

	for (n = 0; n < ADMIN_MAXARGS && cmd->args[n].name != NULL; n++)
		continue;
	return n;
}

static size_t
admin_nrequired(const struct admin_cmd *cmd)
{
	size_t	 n;

	for (n = 0; n < ADMIN_MAXARGS && cmd->args[n].name != NULL &&
	    !(cmd->args[n].flags & A_OPTIONAL); n++)
		continue;
	return n;
}

/* [admin] allowed_commands: unset allows every command. */
int
admin_allowed(const struct config *cfg, const struct admin_cmd *cmd)
{
	return cfg->admin_commands.n == 0 ||
	    config_list_has(&cfg->admin_commands, cmd->name);
}

void
admin_call_init(struct admin_call *c, const struct config *cfg,
    const struct admin_cmd *cmd, enum admin_via via, const char *actor)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->cmd = cmd;
	c->via = via;
	c->actor = actor;
}

void
admin_call_free(struct admin_call *c)
{
	size_t	 i;

	for (i = 0; i < ADMIN_MAXARGS; i++) {
		json_object_put(c->arg[i].list);
		c->arg[i].list = NULL;
	}
	json_object_put(c->res);
	c->res = NULL;
}

int
admin_fail(struct admin_call *c, const char *atom, int status, int code,
    const char *fmt, ...)
{
	va_list	 ap;

	c->err_atom = atom;
	c->err_status = status;
	c->err_code = code;
	va_start(ap, fmt);
	(void)vsnprintf(c->err_msg, sizeof(c->err_msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* A database failure, by db_http_status(): 503 or 500. */
int
admin_dbfail(struct admin_call *c, int status)
{
	if (status == 503)
		return admin_fail(c, "unavailable", 503, 0, "unavailable");
	return admin_fail(c, "internal_error", 500, 0, "internal_error");
}

/* Arguments as a JSON object, every password replaced. */
static char *
admin_audit_args(const struct admin_call *c)
{
	json_object	*o = json_object_new_object();
	json_object	*v;
	char		*s;
	size_t		 i;

	for (i = 0; i < admin_nargs(c->cmd); i++) {
		if (!c->arg[i].set)
			continue;
		if (c->cmd->args[i].flags & A_PRIVATE) {
			json_object_object_add(o, c->cmd->args[i].name,
			    json_object_new_string("[redacted]"));
			continue;
		}
		switch (c->cmd->args[i].type) {
		case A_PASSWORD:
			v = json_object_new_string("[redacted]");
			break;
		case A_INTEGER:
			v = json_object_new_int64(c->arg[i].i);
			break;
		case A_LIST:
		case A_PAIRS:
			v = json_object_get(c->arg[i].list);
			break;
		default:
			v = json_object_new_string_len(c->arg[i].s,
			    (int)c->arg[i].len);
			break;
		}
		json_object_object_add(o, c->cmd->args[i].name, v);
	}
	s = xstrdup(jsonio_dump(o));
	json_object_put(o);
	return s;
}

static enum db_status
admin_audit(const struct admin_call *c, int rc)
{
	char		*args = admin_audit_args(c);
	enum db_status	 s;

	s = audit_add(c->actor, via_names[c->via], c->cmd->name, args,
	    rc == 0 ? "ok" : c->err_atom, rc == 0 ? "" : c->err_msg);
	free(args);
	return s;
}

/*
 * Idempotency-Key on a state-changing command: 1 to run it (the key is
 * ours until the transaction ends); 0 with the first run's result when
 * it ran before; -1 on failure.  The transaction is over unless 1.
 */
static int
admin_idem_take(struct admin_call *c)
{
	struct idem_answer	 a;
	enum idem_state		 state;
	enum db_status		 s;
	int			 rc = -1;

	if (!idem_key_ok(c->idem_key)) {
		db_rollback();
		return admin_fail(c, "bad_request", 400, 0,
		    "malformed Idempotency-Key");
	}
	if ((s = idem_reserve(c->cfg, c->actor, c->idem_key, c->cmd->name,
	    &state, &a)) != DB_OK) {
		db_rollback();
		return admin_dbfail(c, db_http_status(s));
	}
	if (state == IDEM_FRESH)
		return 1;
	db_rollback();
	if (state == IDEM_MISMATCH)
		rc = admin_fail(c, "conflict", 409, 0,
		    "Idempotency-Key used for another command");
	else if (c->cmd->result == R_RESCODE) {
		c->rescode = atoi(a.body);
		rc = 0;
	} else if (jsonio_parse(a.body, strlen(a.body), &c->res) == 0)
		rc = 0;
	else
		rc = admin_dbfail(c, 500);
	if (rc == 0)
		log_info("admin %s by %s: answered from its first run",
		    c->cmd->name, c->actor);
	idem_answer_free(&a);
	return rc;
}

static enum db_status
admin_idem_store(const struct admin_call *c)
{
	char		 code[16];
	const char	*body = code;

	(void)snprintf(code, sizeof(code), "%d", c->rescode);
	if (c->cmd->result != R_RESCODE)
		body = c->res != NULL ? jsonio_dump(c->res) : "null";
	return idem_store(c->actor, c->idem_key, 200, "", body);
}

/*
 * Run the command.  A state-changing command runs in one transaction
 * with its audit row: both commit, or neither does.  A failed one is
 * rolled back and its failure recorded on its own.
 */
int
admin_run(struct admin_call *c)
{
	enum db_status	 s;
	int		 rc;

	if (!(c->cmd->flags & C_STATE) || (c->cmd->flags & C_TERMINAL))
		return c->cmd->fn(c);
	if ((s = db_begin()) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (c->idem_key != NULL && c->cfg->idem_window > 0 &&
	    (rc = admin_idem_take(c)) != 1)
		return rc;
	if ((rc = c->cmd->fn(c)) == 0) {
		if ((s = admin_audit(c, 0)) != DB_OK ||
		    (c->idem_key != NULL && c->cfg->idem_window > 0 &&
		    (s = admin_idem_store(c)) != DB_OK) ||
		    (s = db_commit()) != DB_OK) {
			db_rollback();
			json_object_put(c->res);
			c->res = NULL;
			return admin_dbfail(c, db_http_status(s));
		}
		log_info("admin %s by %s via %s: ok", c->cmd->name, c->actor,
		    via_names[c->via]);
		return 0;
	}
	db_rollback();
	if (admin_audit(c, rc) != DB_OK)
		log_error("could not record the failed %s in the audit trail",
		    c->cmd->name);
	log_info("admin %s by %s via %s: %s", c->cmd->name, c->actor,
	    via_names[c->via], c->err_atom);
	return rc;
}

static const char *
admin_type_name(enum admin_type t)
{
	switch (t) {
	case A_INTEGER:
		return "integer";
	case A_LIST:
	case A_PAIRS:
		return "list";
	default:
		return "binary";
	}
}

/* A JSON string without NUL, or NULL. */
static const char *
admin_json_str(json_object *v)
{
	const char	*s;

	if (!json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	return strlen(s) == (size_t)json_object_get_string_len(v) ? s : NULL;
}

static void
admin_pair_add(json_object *l, const char *n, size_t nlen, const char *v,
    size_t vlen)
{
	json_object	*t = json_object_new_array();

	json_object_array_add(t, json_object_new_string_len(n, (int)nlen));
	json_object_array_add(t, json_object_new_string_len(v, (int)vlen));
	json_object_array_add(l, t);
}

/*
 * A list argument from JSON: strings for A_LIST; for A_PAIRS an object of
 * name: value strings, or an array of {"name":..,"value":..} objects (or
 * [name, value] arrays in the positional form).  Every pair becomes a
 * [name, value] array.  -1 if anything is not a string.
 */
static int
admin_list_json(const struct admin_arg *a, json_object *v, json_object **out)
{
	json_object	*l = json_object_new_array(), *e, *n, *x;
	const char	*ns, *vs;
	size_t		 i, len;

	if (a->type == A_PAIRS && json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, val) {
			if ((vs = admin_json_str(val)) == NULL)
				goto bad;
			admin_pair_add(l, key, strlen(key), vs, strlen(vs));
		}
		goto done;
	}
	if (!json_object_is_type(v, json_type_array))
		goto bad;
	len = json_object_array_length(v);
	for (i = 0; i < len; i++) {
		e = json_object_array_get_idx(v, i);
		if (a->type == A_LIST) {
			if ((vs = admin_json_str(e)) == NULL)
				goto bad;
			json_object_array_add(l, json_object_new_string(vs));
			continue;
		}
		if (json_object_is_type(e, json_type_object)) {
			if (!json_object_object_get_ex(e, "name", &n) ||
			    !json_object_object_get_ex(e, "value", &x))
				goto bad;
		} else if (json_object_is_type(e, json_type_array) &&
		    json_object_array_length(e) == 2) {
			n = json_object_array_get_idx(e, 0);
			x = json_object_array_get_idx(e, 1);
		} else
			goto bad;
		if ((ns = admin_json_str(n)) == NULL ||
		    (vs = admin_json_str(x)) == NULL)
			goto bad;
		admin_pair_add(l, ns, strlen(ns), vs, strlen(vs));
	}
done:
	*out = l;
	return 0;
bad:
	json_object_put(l);
	return -1;
}

/* A list argument from text: "a,b" or "n:v,n:v"; empty is no items. */
static int
admin_list_str(const struct admin_arg *a, const char *s, json_object **out)
{
	json_object	*l = json_object_new_array();
	const char	*e, *colon;

	while (*s != '\0') {
		e = s + strcspn(s, ",");
		if (a->type == A_LIST)
			json_object_array_add(l,
			    json_object_new_string_len(s, (int)(e - s)));
		else {
			if ((colon = memchr(s, ':', (size_t)(e - s))) == NULL) {
				json_object_put(l);
				return -1;
			}
			admin_pair_add(l, s, (size_t)(colon - s), colon + 1,
			    (size_t)(e - colon - 1));
		}
		s = *e == ',' ? e + 1 : e;
	}
	*out = l;
	return 0;
}

/* Decimal, optional '-', no overflow; -1 otherwise. */
static int
admin_parse_int(const char *s, long long *v)
{
	char	*end;

	if (*s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return *end != '\0' || errno != 0 ? -1 : 0;
}

/*
 * One argument from a JSON value.  Strings must be JSON strings without
 * NUL; integers JSON integers, or digit strings when lax (positional and
 * query forms).  0, or -1 with the reason in c->err_msg.
 */
static int
admin_set_json(struct admin_call *c, size_t i, json_object *v, int lax)
{
	const struct admin_arg	*a = &c->cmd->args[i];
	struct admin_val	*val = &c->arg[i];
	const char		*s;

	if (a->type == A_LIST || a->type == A_PAIRS) {
		if (admin_list_json(a, v, &val->list) == -1)
			goto bad;
		val->set = 1;
		return 0;
	}
	if (a->type == A_INTEGER && json_object_is_type(v, json_type_int)) {
		errno = 0;
		val->i = json_object_get_int64(v);
		if (errno != 0)
			goto bad;
		val->set = 1;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		goto bad;
	s = json_object_get_string(v);
	if (strlen(s) != (size_t)json_object_get_string_len(v))
		goto bad;
	if (a->type == A_INTEGER) {
		if (!lax || admin_parse_int(s, &val->i) == -1)
			goto bad;
	} else {
		val->s = s;
		val->len = strlen(s);
	}
	val->set = 1;
	return 0;
bad:
	return admin_fail(c, "bad_request", 400, 0,
	    "Arg %s is not in format %s", a->name, admin_type_name(a->type));
}

static int
admin_set_str(struct admin_call *c, size_t i, const char *s)
{
	const struct admin_arg	*a = &c->cmd->args[i];

	if (a->type == A_INTEGER) {
		if (admin_parse_int(s, &c->arg[i].i) == -1)
			return admin_fail(c, "bad_request", 400, 0,
			    "Arg %s is not in format integer", a->name);
	} else if (a->type == A_LIST || a->type == A_PAIRS) {
		if (admin_list_str(a, s, &c->arg[i].list) == -1)
			return admin_fail(c, "bad_request", 400, 0,
			    "Arg %s is not in format name:value,...", a->name);
	} else {
		c->arg[i].s = s;
		c->arg[i].len = strlen(s);
	}
	c->arg[i].set = 1;
	return 0;
}

/* {"command":..., "args":[...]}: positional; "args" may be left out. */
int
admin_from_restful(struct admin_call *c, json_object *body, struct resp *w)
{
	json_object	*args = NULL;
	size_t		 n = 0, i;

	if (json_object_object_get_ex(body, "args", &args)) {
		if (!json_object_is_type(args, json_type_array)) {
			log_info("admin %s: args is not an array",
			    c->cmd->name);
			return restful_fail(w, 400, "bad_request");
		}
		n = json_object_array_length(args);
	}
	if (n < admin_nrequired(c->cmd) || n > admin_nargs(c->cmd)) {
		log_info("admin %s: %zu arguments, want %zu", c->cmd->name, n,
		    admin_nargs(c->cmd));
		return restful_fail(w, 400, "bad_request");
	}
	for (i = 0; i < n; i++)
		if (admin_set_json(c, i, json_object_array_get_idx(args, i),
		    1) == -1) {
			log_info("admin %s: %s", c->cmd->name, c->err_msg);
			return restful_fail(w, 400, "bad_request");
		}
	return 0;
}

/* By name, or by the older name ejabberd 23.01 still renames. */
static int
admin_arg_index(const struct admin_cmd *cmd, const char *name)
{
	size_t	 i;

	for (i = 0; i < admin_nargs(cmd); i++)
		if (strcmp(cmd->args[i].name, name) == 0)
			return (int)i;
	for (i = 0; i < admin_nrenames; i++)
		if (strcmp(admin_renames[i].cmd, cmd->name) == 0 &&
		    strcmp(admin_renames[i].old, name) == 0)
			return admin_arg_index(cmd, admin_renames[i].name);
	return -1;
}

/*
 * Every required argument there, then no unknown one, or a 400: ejabberd
 * reports a missing argument before an unknown one.  A list left out is
 * the empty list, as in ejabberd.
 */
static int
admin_check_named(struct admin_call *c, struct buf *unknown, struct resp *w)
{
	const struct admin_arg	*a;
	size_t			 i;
	int			 st;

	for (i = 0; i < admin_nargs(c->cmd); i++) {
		a = &c->cmd->args[i];
		if (c->arg[i].set || (a->flags & A_OPTIONAL))
			continue;
		if (a->type == A_LIST || a->type == A_PAIRS) {
			c->arg[i].list = json_object_new_array();
			c->arg[i].set = 1;
			continue;
		}
		buf_free(unknown);
		(void)admin_fail(c, "bad_request", 400, 0,
		    "Request have missing argument: %s", a->name);
		return admin_http_error(w, 400, 0, c->err_msg);
	}
	if (unknown->len > 0) {
		buf_adds(unknown, "]");
		st = admin_http_error(w, 400, 0, unknown->p);
		buf_free(unknown);
		return st;
	}
	return 0;
}

static int
admin_duplicate(struct admin_call *c, struct buf *unknown, struct resp *w,
    size_t i)
{
	buf_free(unknown);
	(void)admin_fail(c, "bad_request", 400, 0,
	    "Request have duplicate argument: %s", c->cmd->args[i].name);
	return admin_http_error(w, 400, 0, c->err_msg);
}

static void
admin_unknown(struct buf *b, const char *name)
{
	buf_adds(b, b->len == 0 ? "Request have unknown arguments: [" : ",");
	buf_adds(b, name);
}

/* mod_http_api: a JSON object of named arguments. */
int
admin_from_named(struct admin_call *c, json_object *obj, struct resp *w)
{
	struct buf	 unknown = { NULL, 0, 0 };
	int		 i;

	json_object_object_foreach(obj, key, val) {
		if ((i = admin_arg_index(c->cmd, key)) == -1) {
			admin_unknown(&unknown, key);
			continue;
		}
		if (c->arg[i].set)
			return admin_duplicate(c, &unknown, w, (size_t)i);
		if (admin_set_json(c, (size_t)i, val, 0) == -1) {
			buf_free(&unknown);
			return admin_http_error(w, 400, 0, c->err_msg);
		}
	}
	return admin_check_named(c, &unknown, w);
}

/* mod_http_api over GET: named arguments in the query, all strings. */
int
admin_from_query(struct admin_call *c, const struct req_kv *kv, size_t n,
    struct resp *w)
{
	struct buf	 unknown = { NULL, 0, 0 };
	size_t		 k;
	int		 i;

	for (k = 0; k < n; k++) {
		if ((i = admin_arg_index(c->cmd, kv[k].key)) == -1) {
			admin_unknown(&unknown, kv[k].key);
			continue;
		}
		if (c->arg[i].set)
			return admin_duplicate(c, &unknown, w, (size_t)i);
		if (admin_set_str(c, (size_t)i, kv[k].val) == -1) {
			buf_free(&unknown);
			return admin_http_error(w, 400, 0, c->err_msg);
		}
	}
	return admin_check_named(c, &unknown, w);
}

/* The shell: positional words; 0 or exit status 2 with the usage. */
int
admin_from_argv(struct admin_call *c, int argc, char **argv)
{
	size_t	 i;

	if ((size_t)argc < admin_nrequired(c->cmd) ||
	    (size_t)argc > admin_nargs(c->cmd)) {
		fprintf(stderr, "chatrest-admin: %s takes %zu argument%s\n",
		    c->cmd->name, admin_nargs(c->cmd),
		    admin_nargs(c->cmd) == 1 ? "" : "s");
		admin_usage(c->cmd, stderr);
		return 2;
	}
	for (i = 0; i < (size_t)argc; i++)
		if (admin_set_str(c, i, argv[i]) == -1) {
			fprintf(stderr, "chatrest-admin: %s\n", c->err_msg);
			return 2;
		}
	return 0;
}

/* {"status":"error","code":N,"message":...}, or a bare string if code 0. */
int
admin_http_error(struct resp *w, int status, int code, const char *msg)
{
	json_object	*o;

	if (code == 0)
		o = json_object_new_string(msg);
	else {
		o = json_object_new_object();
		json_object_object_add(o, "status",
		    json_object_new_string("error"));
		json_object_object_add(o, "code", json_object_new_int(code));
		json_object_object_add(o, "message",
		    json_object_new_string(msg));
	}
	resp_json(w, status, o);
	json_object_put(o);
	return status;
}

static int
admin_restful_status(const char *atom)
{
	if (strcmp(atom, "bad_request") == 0)
		return 400;
	if (strcmp(atom, "not_allowed") == 0)
		return 401;
	if (strcmp(atom, "not_found") == 0)
		return 404;
	return 403;
}

/* An object as a positional array of its values. */
static json_object *
admin_tuple(json_object *obj)
{
	json_object	*t = json_object_new_array();

	json_object_object_foreach(obj, key, val) {
		(void)key;
		json_object_array_add(t, json_object_get(val));
	}
	return t;
}

/* A list of objects as a list of positional arrays. */
static json_object *
admin_positional(json_object *list)
{
	json_object	*out = json_object_new_array();
	size_t		 i, n = json_object_array_length(list);

	for (i = 0; i < n; i++)
		json_object_array_add(out,
		    admin_tuple(json_object_array_get_idx(list, i)));
	return out;
}

static int
admin_reply(struct resp *w, json_object *o)
{
	resp_json(w, 200, o);
	json_object_put(o);
	return 200;
}

static json_object *
admin_res(struct admin_call *c)
{
	return c->res != NULL ? json_object_get(c->res) : json_object_new_null();
}

int
admin_to_restful(struct admin_call *c, int rc, struct resp *w)
{
	json_object	*o;

	if (rc == -1) {
		/*
		 * A failure of this server, not of the command: never a
		 * restuple.  cannot_register is 500 in mod_http_api only.
		 */
		if (strcmp(c->err_atom, "internal_error") == 0 ||
		    strcmp(c->err_atom, "unavailable") == 0)
			return restful_fail(w, c->err_status, c->err_atom);
		if (c->cmd->result != R_RESTUPLE)
			return restful_fail(w,
			    admin_restful_status(c->err_atom), c->err_atom);
		o = json_object_new_object();
		json_object_object_add(o, c->err_atom,
		    json_object_new_string(c->err_msg));
		return admin_reply(w, o);
	}
	switch (c->cmd->result) {
	case R_RESCODE:
		o = json_object_new_string(c->rescode == 0 ? "ok" : "error");
		break;
	case R_RESTUPLE:
		o = json_object_new_object();
		json_object_object_add(o, "ok", admin_res(c));
		break;
	case R_TUPLES:
		o = admin_positional(c->res);
		break;
	case R_TUPLE:
		o = admin_tuple(c->res);
		break;
	default:
		o = admin_res(c);
		break;
	}
	return admin_reply(w, o);
}

int
admin_to_http_api(struct admin_call *c, int rc, struct resp *w)
{
	json_object	*o;

	if (rc == -1)
		return admin_http_error(w, c->err_status, c->err_code,
		    c->err_msg);
	switch (c->cmd->result) {
	case R_RESCODE:
		o = json_object_new_int(c->rescode);
		break;
	case R_INTEGER:
	case R_STRING:
		/* API version 0 names a lone value; later ones do not. */
		if (c->version > 0) {
			o = admin_res(c);
			break;
		}
		o = json_object_new_object();
		json_object_object_add(o, c->cmd->result_name, admin_res(c));
		break;
	default:
		o = admin_res(c);
		break;
	}
	return admin_reply(w, o);
}

static void
admin_print_value(json_object *v, FILE *out)
{
	if (json_object_is_type(v, json_type_string))
		fputs(json_object_get_string(v), out);
	else
		fputs(jsonio_dump(v), out);
}

static void
admin_print_tuple(json_object *obj, FILE *out)
{
	int	 first = 1;

	json_object_object_foreach(obj, key, val) {
		(void)key;
		if (!first)
			fputc('\t', out);
		admin_print_value(val, out);
		first = 0;
	}
}

/*
 * As ejabberdctl prints: rescodes only as the exit status, texts and
 * numbers on a line, lists one item a line, tuples tab-separated.
 */
int
admin_to_shell(struct admin_call *c, int rc, FILE *out, FILE *err)
{
	size_t	 i, n;

	if (rc == -1) {
		/* after what the command printed, on a terminal as in a file */
		(void)fflush(out);
		fprintf(err, "chatrest-admin: %s: %s\n", c->cmd->name,
		    c->err_msg[0] != '\0' ? c->err_msg : c->err_atom);
		return 1;
	}
	switch (c->cmd->result) {
	case R_NONE:
		return 0;
	case R_RESCODE:
		return c->rescode == 0 ? 0 : 1;
	case R_TUPLE:
		admin_print_tuple(c->res, out);
		fputc('\n', out);
		return 0;
	case R_STRINGS:
	case R_TUPLES:
		n = json_object_array_length(c->res);
		for (i = 0; i < n; i++) {
			json_object	*e = json_object_array_get_idx(c->res, i);

			if (c->cmd->result == R_STRINGS)
				admin_print_value(e, out);
			else
				admin_print_tuple(e, out);
			fputc('\n', out);
		}
		return 0;
	default:
		admin_print_value(c->res, out);
		fputc('\n', out);
		return 0;
	}
}

/* "register USER HOST PASSWORD" and a line per argument. */
void
admin_usage(const struct admin_cmd *cmd, FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: chatrest-admin %s", cmd->name);
	for (i = 0; i < admin_nargs(cmd); i++)
		fprintf(f, (cmd->args[i].flags & A_OPTIONAL) ? " [%s]" : " %s",
		    cmd->args[i].name);
	fprintf(f, "\n  %s\n", cmd->help);
	for (i = 0; i < admin_nargs(cmd); i++)
		fprintf(f, "  %-10s %-8s %s\n", cmd->args[i].name,
		    cmd->args[i].type == A_INTEGER ? "integer" :
		    cmd->args[i].type == A_PASSWORD ? "password" :
		    cmd->args[i].type == A_LIST ? "list" :
		    cmd->args[i].type == A_PAIRS ? "n:v,..." : "string",
		    cmd->args[i].help != NULL ? cmd->args[i].help : "");
}
