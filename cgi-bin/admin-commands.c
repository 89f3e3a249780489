/*
 * admin-commands: every chatrest-admin command, as one table row and one
 * function.  The table is kept apart from cgi-bin/chatrest-admin.c (the
 * HTTP routes, authentication and main) because every part of the suite
 * adds its commands here and it grows with them.
 *
 * To add a command: write "static int cmd_NAME(struct admin_call *c)"
 * that reads c->arg[i] (decoded and typed by the row's argument list),
 * calls the store module that owns the SQL, and either sets the result
 * (c->rescode for R_RESCODE, c->res for the others) and returns 0, or
 * returns admin_fail()/admin_dbfail().  Then add its row to
 * admin_commands[] below, in alphabetical order, and its entry to
 * chatrest-admin(8).  A C_STATE command already runs inside one
 * transaction with its audit row: it must not begin or commit its own.
 * The encodings (lib/admin.c) need no change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "app.h"
#include "audit.h"
#include "auth.h"
#include "blocks.h"
#include "jid.h"
#include "jsonio.h"
#include "messages.h"
#include "migrate.h"
#include "password.h"
#include "profiles.h"
#include "rooms.h"
#include "roster.h"
#include "threepids.h"
#include "users.h"
#include "util.h"

#define AUDIT_DEFAULT	20
#define AUDIT_MAX	1000
#define NICK_MAX	1024
#define REASON_MAX	1024

/* The account named by arguments iu and ih: 0, or -1 if none can exist. */
static int
arg_jid(const struct admin_call *c, size_t iu, size_t ih, struct jid *j)
{
	if (jid_localpart(c->arg[iu].s, c->arg[iu].len, j->local) == -1 ||
	    jid_host(c->arg[ih].s, c->arg[ih].len, j->host) == -1 ||
	    !config_host_served(c->cfg, j->host))
		return -1;
	return 0;
}

static int
unknown_user(struct admin_call *c)
{
	return admin_fail(c, "unknown_user", 404, 0, "unknown_user");
}

/* The account named by arguments 0 and 1, which must exist. */
static int
arg_user(struct admin_call *c, struct user *u)
{
	struct jid	 j;
	enum db_status	 s;
	int		 found;

	if (arg_jid(c, 0, 1, &j) == -1)
		return unknown_user(c);
	if ((s = users_get(j.host, j.local, u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return unknown_user(c);
	return 0;
}

/*
 * The 3PID of arguments 2 (medium) and 3 (address), in its stored form:
 * an email as given (the store lower-cases it), an msisdn as digits.
 */
static int
arg_threepid(struct admin_call *c, char addr[THREEPID_ADDRESS_MAX + 1])
{
	const char	*m = c->arg[2].s;

	if (strcmp(m, "email") != 0 && strcmp(m, "msisdn") != 0)
		return admin_fail(c, "bad_request", 400, 0,
		    "unknown medium (email or msisdn)");
	if (threepids_normalise(m, c->arg[3].s, c->arg[3].len, addr) == -1 ||
	    (strcmp(m, "email") == 0 &&
	    !threepids_email_valid(addr, strlen(addr))))
		return admin_fail(c, "bad_request", 400, 0,
		    strcmp(m, "email") == 0 ? "invalid email address" :
		    "invalid msisdn: 1 to 15 digits, optionally after +");
	return 0;
}

/* Printable text: no control characters. */
static int
text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* An absolute URI: scheme ":" and something, no spaces or controls. */
static int
url_ok(const char *s)
{
	const char	*p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':' || p[1] == '\0')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* A role: 1 to PROFILE_ROLE_MAX bytes of printable text. */
static int
arg_role(struct admin_call *c)
{
	if (c->arg[2].len == 0 || c->arg[2].len > PROFILE_ROLE_MAX ||
	    !text_ok(c->arg[2].s))
		return admin_fail(c, "bad_request", 400, 0,
		    "a role is 1 to %d bytes of printable text",
		    PROFILE_ROLE_MAX);
	return 0;
}

static void
add_string(void *ctx, const char *local, const char *host)
{
	(void)host;
	json_object_array_add(ctx, json_object_new_string(local));
}

static void
add_jid(void *ctx, const char *local, const char *host)
{
	char	 s[JID_LOCAL_MAX + 1 + JID_HOST_MAX + 1];

	(void)snprintf(s, sizeof(s), "%s@%s", local, host);
	json_object_array_add(ctx, json_object_new_string(s));
}

static void
add_medium_address(void *ctx, const char *medium, const char *address)
{
	json_object	*t = json_object_new_object();

	json_object_object_add(t, "medium", json_object_new_string(medium));
	json_object_object_add(t, "address", json_object_new_string(address));
	json_object_array_add(ctx, t);
}

static void
add_role_name(void *ctx, const char *role)
{
	json_object_array_add(ctx, json_object_new_string(role));
}

/* One audit row as a tuple; args as the JSON object they are. */
static void
add_audit_row(void *ctx, const struct audit_row *r)
{
	json_object	*t = json_object_new_object(), *args;

	if (jsonio_parse(r->args, strlen(r->args), &args) == -1)
		args = json_object_new_string(r->args);
	json_object_object_add(t, "id", json_object_new_int64(
	    strtoll(r->id, NULL, 10)));
	json_object_object_add(t, "at", json_object_new_string(r->at));
	json_object_object_add(t, "actor", json_object_new_string(r->actor));
	json_object_object_add(t, "via", json_object_new_string(r->via));
	json_object_object_add(t, "command",
	    json_object_new_string(r->command));
	json_object_object_add(t, "args", args);
	json_object_object_add(t, "outcome",
	    json_object_new_string(r->outcome));
	json_object_object_add(t, "message",
	    json_object_new_string(r->message));
	json_object_array_add(ctx, t);
}

/* Adding a role the account has is no change, and no error. */
static int
cmd_add_role(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;
	int		 added;

	if (arg_user(c, &u) == -1 || arg_role(c) == -1)
		return -1;
	if ((s = profiles_add_role(u.id, c->arg[2].s, &added)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

/*
 * An address already the account's is no change, and no error; one that
 * is another account's is a conflict (one owner per address).
 */
static int
cmd_add_threepid(struct admin_call *c)
{
	struct user	 u;
	char		 addr[THREEPID_ADDRESS_MAX + 1];
	enum db_status	 s;
	int		 added, mine;

	if (arg_user(c, &u) == -1 || arg_threepid(c, addr) == -1)
		return -1;
	if ((s = threepids_add(u.id, c->arg[2].s, addr, &added)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!added) {
		if ((s = threepids_owned(u.id, c->arg[2].s, addr, &mine)) !=
		    DB_OK)
			return admin_dbfail(c, db_http_status(s));
		if (!mine)
			return admin_fail(c, "conflict", 409, 0,
			    "%s %s belongs to another account", c->arg[2].s,
			    addr);
	}
	c->rescode = 0;
	return 0;
}

static int
cmd_audit_log(struct admin_call *c)
{
	long long	 n = c->arg[0].set ? c->arg[0].i : AUDIT_DEFAULT;
	enum db_status	 s;

	if (n < 1 || n > AUDIT_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "count must be between 1 and %d", AUDIT_MAX);
	c->res = json_object_new_array();
	if ((s = audit_newest(n, add_audit_row, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_ban_account(struct admin_call *c)
{
	struct jid	 j;
	enum db_status	 s;
	int		 changed;

	if (c->arg[2].len > REASON_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "reason is longer than %d bytes", REASON_MAX);
	if (arg_jid(c, 0, 1, &j) == -1)
		return unknown_user(c);
	if ((s = users_set_disabled(j.host, j.local, 1, c->arg[2].s,
	    &changed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!changed)
		return unknown_user(c);
	c->rescode = 0;
	return 0;
}

static int
cmd_change_password(struct admin_call *c)
{
	struct jid	 j;
	char		 hash[PASSWORD_MCF_MAX];
	enum db_status	 s;
	int		 changed;

	if (arg_jid(c, 0, 1, &j) == -1)
		return unknown_user(c);
	if (c->arg[2].len == 0)
		return admin_fail(c, "bad_request", 400, 0, "empty_password");
	if (password_hash(c->cfg, c->arg[2].s, c->arg[2].len, hash) == -1)
		return admin_fail(c, "internal_error", 500, 0,
		    "internal_error");
	if ((s = users_force_hash(j.host, j.local, hash, &changed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!changed)
		return unknown_user(c);
	c->rescode = 0;
	return 0;
}

static int
cmd_check_account(struct admin_call *c)
{
	struct jid	 j;
	struct user	 u;
	enum db_status	 s;
	int		 found = 0;

	if (arg_jid(c, 0, 1, &j) == 0 &&
	    (s = users_get(j.host, j.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = found ? 0 : 1;
	return 0;
}

static int
cmd_check_password(struct admin_call *c)
{
	struct jid	 j;
	struct user	 u;

	if (arg_jid(c, 0, 1, &j) == -1) {
		password_dummy(c->cfg, c->arg[2].s, c->arg[2].len);
		c->rescode = 1;
		return 0;
	}
	switch (auth_password(c->cfg, j.host, j.local, c->arg[2].s,
	    c->arg[2].len, &u)) {
	case AUTH_OK:
		c->rescode = 0;
		return 0;
	case AUTH_UNAVAIL:
		return admin_dbfail(c, 503);
	default:
		c->rescode = 1;
		return 0;
	}
}

static int
cmd_connected_users(struct admin_call *c)
{
	enum db_status	 s;

	c->res = json_object_new_array();
	if ((s = users_connected(c->cfg->presence_window, add_jid, c->res)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_connected_users_number(struct admin_call *c)
{
	long long	 n;
	enum db_status	 s;

	if ((s = users_connected_count(c->cfg->presence_window, &n)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_int64(n);
	return 0;
}

/* The blocked addresses of an account, "local@host", sorted. */
static int
cmd_get_blocklist(struct admin_call *c)
{
	struct jid	 j;
	struct user	 u;
	struct strlist	 l = { NULL, 0 };
	enum db_status	 s;
	size_t		 i;
	int		 found;

	if (arg_jid(c, 0, 1, &j) == -1)
		return unknown_user(c);
	if ((s = users_get(j.host, j.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return unknown_user(c);
	if ((s = blocks_list(u.id, &l)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_array();
	for (i = 0; i < l.n; i++) {
		json_object_array_add(c->res, json_object_new_string(l.v[i]));
		free(l.v[i]);
	}
	free(l.v);
	return 0;
}

static int
cmd_help(struct admin_call *c)
{
	const struct admin_cmd	*cmd;
	size_t			 i;

	if (c->arg[0].set) {
		if ((cmd = admin_find(c->arg[0].s)) == NULL)
			return admin_fail(c, "bad_request", 400, 0,
			    "unknown command: %s", c->arg[0].s);
		admin_usage(cmd, c->out);
		return 0;
	}
	fprintf(c->out, "usage: chatrest-admin [-c file] command [arg ...]\n"
	    "commands:\n");
	for (i = 0; i < admin_ncommands; i++)
		fprintf(c->out, "  %-24s %s\n", admin_commands[i].name,
		    admin_commands[i].help);
	return 0;
}

static int
cmd_list_roles(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;

	if (arg_user(c, &u) == -1)
		return -1;
	c->res = json_object_new_array();
	if ((s = profiles_roles(u.id, add_role_name, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_list_threepids(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;

	if (arg_user(c, &u) == -1)
		return -1;
	c->res = json_object_new_array();
	if ((s = threepids_list(u.id, add_medium_address, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_migrate(struct admin_call *c)
{
	if (migrate_run(c->cfg->db_migrations, c->out) == -1)
		return admin_fail(c, "internal_error", 500, 0,
		    "migration failed");
	return 0;
}

/*
 * Works without a configuration (it says why there is none): what an
 * admin checks first, in one screen; exit status 1 if anything is wrong.
 */
static int
cmd_status(struct admin_call *c)
{
	const struct config	*cfg = c->cfg;
	char			 latest[256];
	size_t			 i, pending;

	fprintf(c->out, "version:   %s %s\n", PACKAGE, PACKAGE_VERSION);
	fprintf(c->out, "config:    %s\n", app_config_path() != NULL ?
	    app_config_path() : config_path());
	if (cfg == NULL)
		return admin_fail(c, "not_configured", 503, 0, "%s",
		    app_config_error());
	fprintf(c->out, "hosts:    ");
	for (i = 0; i < cfg->hosts.n; i++)
		fprintf(c->out, " %s", cfg->hosts.v[i]);
	fprintf(c->out, "\n");
	if (db_conn() == NULL) {
		fprintf(c->out, "database:  unreachable\n");
		return admin_fail(c, "unavailable", 503, 0,
		    "the database is unreachable: see [database] conninfo");
	}
	fprintf(c->out, "database:  reachable\n");
	if (migrate_status(cfg->db_migrations, latest, sizeof(latest),
	    &pending) == -1)
		return admin_fail(c, "internal_error", 500, 0,
		    "cannot read the schema version");
	fprintf(c->out, "schema:    %s", latest[0] != '\0' ? latest : "empty");
	if (pending > 0) {
		fprintf(c->out, ", %zu migration%s pending\n", pending,
		    pending == 1 ? "" : "s");
		return admin_fail(c, "not_migrated", 503, 0,
		    "run chatrest-admin migrate");
	}
	fprintf(c->out, ", up to date\n");
	return 0;
}

static int
cmd_register(struct admin_call *c)
{
	struct jid	 j;
	char		 hash[PASSWORD_MCF_MAX], msg[ADMIN_MSG_MAX];
	enum db_status	 s;
	int		 created;

	if (jid_host(c->arg[1].s, c->arg[1].len, j.host) == -1 ||
	    !config_host_served(c->cfg, j.host))
		return admin_fail(c, "cannot_register", 500, 10001,
		    "Unknown virtual host");
	if (jid_localpart(c->arg[0].s, c->arg[0].len, j.local) == -1)
		return admin_fail(c, "cannot_register", 500, 10001,
		    "Can't register user at %s: Malformed username", j.host);
	if (c->arg[2].len == 0)
		return admin_fail(c, "cannot_register", 500, 10001,
		    "Can't register user %s@%s: empty_password", j.local,
		    j.host);
	if (password_hash(c->cfg, c->arg[2].s, c->arg[2].len, hash) == -1)
		return admin_fail(c, "internal_error", 500, 0,
		    "internal_error");
	if ((s = users_create(j.host, j.local, hash, NULL, &created)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!created)
		return admin_fail(c, "exists", 409, 10090,
		    "User %s@%s already registered", j.local, j.host);
	(void)snprintf(msg, sizeof(msg), "User %s@%s successfully registered",
	    j.local, j.host);
	c->res = json_object_new_string(msg);
	return 0;
}

static int
cmd_registered_users(struct admin_call *c)
{
	char		 host[JID_HOST_MAX + 1];
	enum db_status	 s;

	if (jid_host(c->arg[0].s, c->arg[0].len, host) == -1 ||
	    !config_host_served(c->cfg, host))
		return admin_fail(c, "unknown_host", 400, 0,
		    "Unknown virtual host");
	c->res = json_object_new_array();
	if ((s = users_list(host, add_string, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_registered_vhosts(struct admin_call *c)
{
	size_t	 i;

	c->res = json_object_new_array();
	for (i = 0; i < c->cfg->hosts.n; i++)
		json_object_array_add(c->res,
		    json_object_new_string(c->cfg->hosts.v[i]));
	return 0;
}

static int
cmd_remove_role(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;
	int		 removed;

	if (arg_user(c, &u) == -1 || arg_role(c) == -1)
		return -1;
	if ((s = profiles_remove_role(u.id, c->arg[2].s, &removed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!removed)
		return admin_fail(c, "not_found", 404, 0,
		    "%s@%s has no such role", u.local, u.host);
	c->rescode = 0;
	return 0;
}

static int
cmd_remove_threepid(struct admin_call *c)
{
	struct user	 u;
	char		 addr[THREEPID_ADDRESS_MAX + 1];
	enum db_status	 s;
	int		 removed;

	if (arg_user(c, &u) == -1 || arg_threepid(c, addr) == -1)
		return -1;
	if ((s = threepids_remove(u.id, c->arg[2].s, addr, &removed)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!removed)
		return admin_fail(c, "not_found", 404, 0,
		    "%s@%s has no such %s", u.local, u.host, c->arg[2].s);
	c->rescode = 0;
	return 0;
}

static int
cmd_set_avatar(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;
	int		 changed;

	if (arg_user(c, &u) == -1)
		return -1;
	if (c->arg[2].len > PROFILE_AVATAR_MAX ||
	    (c->arg[2].len > 0 && !url_ok(c->arg[2].s)))
		return admin_fail(c, "bad_request", 400, 0,
		    "an avatar is a URL such as mxc://server/id (at most %d "
		    "bytes), or empty", PROFILE_AVATAR_MAX);
	if ((s = profiles_set_avatar(u.id, c->arg[2].s, &changed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!changed)
		return unknown_user(c);
	c->rescode = 0;
	return 0;
}

static int
cmd_set_display_name(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;
	int		 changed;

	if (arg_user(c, &u) == -1)
		return -1;
	if (c->arg[2].len > PROFILE_NAME_MAX || !text_ok(c->arg[2].s))
		return admin_fail(c, "bad_request", 400, 0,
		    "a display name is at most %d bytes of printable text",
		    PROFILE_NAME_MAX);
	if ((s = profiles_set_display_name(u.id, c->arg[2].s, &changed)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!changed)
		return unknown_user(c);
	c->rescode = 0;
	return 0;
}

static int
cmd_set_nickname(struct admin_call *c)
{
	struct jid	 j;
	enum db_status	 s;
	int		 changed;

	if (c->arg[2].len > NICK_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "nickname is longer than %d bytes", NICK_MAX);
	if (arg_jid(c, 0, 1, &j) == -1)
		return unknown_user(c);
	if ((s = users_set_display_name(j.host, j.local, c->arg[2].s,
	    &changed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!changed)
		return unknown_user(c);
	c->rescode = 0;
	return 0;
}

/*
 * Replace an account's blocklist with the words of the list argument,
 * each a bare JID or a localpart of the account's own host.
 */
static int
cmd_set_blocklist(struct admin_call *c)
{
	struct jid	 j, b;
	struct user	 u;
	char		**v = NULL, *arr = NULL, *w;
	const char	*p, *e;
	size_t		 n = 0, i;
	enum db_status	 s;
	int		 found, rc = -1;

	if (arg_jid(c, 0, 1, &j) == -1)
		return unknown_user(c);
	for (p = c->arg[2].s; *p != '\0'; p = e) {
		p += strspn(p, " \t,");
		if ((e = p + strcspn(p, " \t,")) == p)
			break;
		if ((memchr(p, '@', (size_t)(e - p)) != NULL ?
		    jid_parse(p, (size_t)(e - p), &b) :
		    jid_localpart(p, (size_t)(e - p), b.local)) == -1) {
			rc = admin_fail(c, "bad_request", 400, 0,
			    "not a localpart or bare JID: %.*s",
			    (int)(e - p) > 64 ? 64 : (int)(e - p), p);
			goto out;
		}
		if (memchr(p, '@', (size_t)(e - p)) == NULL)
			(void)snprintf(b.host, sizeof(b.host), "%s", j.host);
		w = xasprintf("%s@%s", b.local, b.host);
		v = xrealloc(v, (n + 1) * sizeof(char *));
		v[n++] = w;
	}
	if ((s = users_get(j.host, j.local, &u, &found)) != DB_OK) {
		rc = admin_dbfail(c, db_http_status(s));
		goto out;
	}
	if (!found) {
		rc = unknown_user(c);
		goto out;
	}
	arr = blocks_array((const char *const *)v, n);
	if ((s = blocks_set(u.id, arr)) != DB_OK) {
		rc = admin_dbfail(c, db_http_status(s));
		goto out;
	}
	c->rescode = 0;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(arr);
	return rc;
}

static int
cmd_unban_account(struct admin_call *c)
{
	struct jid	 j;
	enum db_status	 s;
	int		 changed;

	if (arg_jid(c, 0, 1, &j) == -1)
		return unknown_user(c);
	if ((s = users_set_disabled(j.host, j.local, 0, NULL, &changed)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!changed)
		return unknown_user(c);
	c->rescode = 0;
	return 0;
}

/* ejabberd answers "" whether or not the account existed. */
static int
cmd_unregister(struct admin_call *c)
{
	struct jid	 j;
	enum db_status	 s;
	int		 deleted = 0;

	if (arg_jid(c, 0, 1, &j) == 0 &&
	    (s = users_remove(j.host, j.local, &deleted)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_string("");
	return 0;
}

/*
 * --- the client API's store: rooms, messages, rosters ---------------------
 *
 * ejabberd's mod_muc_admin and mod_admin_extra commands over the rooms,
 * archives and rosters of chatrest-client.  A room's "name" is its id, the
 * localpart of its JID; "service" is the MUC domain ([client] muc_domain)
 * of the host the room lives on.  Occupants are the room's members: there
 * are no sessions here, so an affiliated user is always "in" the room.
 */

/* 400 with a bare string for mod_http_api, as ejabberd throws them. */
static int
room_fail(struct admin_call *c, const char *atom, const char *msg)
{
	return admin_fail(c, atom, 400, 0, "%s", msg);
}

/* The room named by arguments in (its id) and is (its MUC domain). */
static int
arg_room(const struct admin_call *c, size_t in, size_t is, const char **host,
    char rid[ROOMS_RID_MAX + 1])
{
	char	 dom[JID_HOST_MAX + 1];

	if (jid_localpart(c->arg[in].s, c->arg[in].len, rid) == -1 ||
	    jid_host(c->arg[is].s, c->arg[is].len, dom) == -1 ||
	    (*host = config_muc_host(c->cfg, dom)) == NULL)
		return -1;
	return 0;
}

/* A bare or full JID; the resource, if any, is dropped. */
static int
arg_bare(const struct admin_val *v, struct jid *j)
{
	size_t	 n = strcspn(v->s, "/");

	if (n + 1 == v->len)
		return -1;
	return jid_parse(v->s, n, j);
}

static int
cmd_create_room(struct admin_call *c)
{
	char		 rid[ROOMS_RID_MAX + 1], host[JID_HOST_MAX + 1];
	char		 dom[JID_HOST_MAX + 1];
	const char	*mhost;
	enum db_status	 s;
	int		 created;

	if (jid_localpart(c->arg[0].s, c->arg[0].len, rid) == -1)
		return room_fail(c, "bad_request", "Invalid room name");
	if (jid_host(c->arg[2].s, c->arg[2].len, host) == -1 ||
	    !config_host_served(c->cfg, host))
		return room_fail(c, "bad_request", "Unknown host");
	if (jid_host(c->arg[1].s, c->arg[1].len, dom) == -1 ||
	    (mhost = config_muc_host(c->cfg, dom)) == NULL ||
	    !util_strcaseeq(mhost, host))
		return room_fail(c, "bad_request", "Unknown MUC service");
	if ((s = rooms_create_empty(mhost, rid, rid, "", &created)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!created)
		return room_fail(c, "room_exists", "Room already exists");
	c->rescode = 0;
	return 0;
}

static int
cmd_destroy_room(struct admin_call *c)
{
	char		 rid[ROOMS_RID_MAX + 1];
	const char	*host;
	struct room	 room;
	enum db_status	 s;
	int		 found = 0, destroyed;

	if (arg_room(c, 0, 1, &host, rid) == 0 &&
	    (s = rooms_find(host, rid, NULL, 1, &room, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return room_fail(c, "room_not_found", "Room doesn't exists");
	if ((s = rooms_destroy(&room, &destroyed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

/* MUC Light owners are moderators, members participants. */
static void
add_occupant(void *ctx, const struct room_member *m)
{
	json_object	*t = json_object_new_object();
	char		 s[JID_LOCAL_MAX + 1 + JID_HOST_MAX + 1];

	(void)snprintf(s, sizeof(s), "%s@%s", m->local, m->host);
	json_object_object_add(t, "jid", json_object_new_string(s));
	json_object_object_add(t, "nick", json_object_new_string(m->local));
	json_object_object_add(t, "role", json_object_new_string(
	    m->aff == ROOMS_OWNER ? "moderator" : "participant"));
	json_object_array_add(ctx, t);
}

static int
cmd_get_room_occupants(struct admin_call *c)
{
	char		 rid[ROOMS_RID_MAX + 1];
	const char	*host;
	struct room	 room;
	enum db_status	 s;
	int		 found = 0;

	if (arg_room(c, 0, 1, &host, rid) == 0 &&
	    (s = rooms_find(host, rid, NULL, 0, &room, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return room_fail(c, "room_not_found", "room_not_found");
	c->res = json_object_new_array();
	if ((s = rooms_info(&room, NULL, add_occupant, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/* As ejabberd 23.01: one tuple per group, "" for none (no groups here). */
static void
add_contact(void *ctx, const struct roster_item *it)
{
	json_object	*t = json_object_new_object();
	char		 s[JID_LOCAL_MAX + 1 + JID_HOST_MAX + 1];

	(void)snprintf(s, sizeof(s), "%s@%s", it->local, it->host);
	json_object_object_add(t, "jid", json_object_new_string(s));
	json_object_object_add(t, "nick", json_object_new_string(""));
	json_object_object_add(t, "subscription",
	    json_object_new_string(roster_subscription(&it->st)));
	json_object_object_add(t, "ask",
	    json_object_new_string(roster_ask(&it->st)));
	json_object_object_add(t, "group", json_object_new_string(""));
	json_object_array_add(ctx, t);
}

static int
cmd_get_roster(struct admin_call *c)
{
	struct jid	 j;
	struct user	 u;
	enum db_status	 s;
	int		 found = 0;

	if (arg_jid(c, 0, 1, &j) == 0 &&
	    (s = users_get(j.host, j.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return unknown_user(c);
	c->res = json_object_new_array();
	if ((s = roster_list(u.id, add_contact, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/*
 * Archived as the client API archives it: "chat" in the one-to-one
 * archive of the sender (and of the recipient, if a user here),
 * "groupchat" in the archive of a room the sender is a member of.  The
 * subject is not kept: neither archive has one.
 */
static int
cmd_send_message(struct admin_call *c)
{
	struct jid	 from, to;
	struct user	 u;
	struct room	 room;
	const char	*host;
	char		 mid[MESSAGES_ID_LEN + 1];
	enum db_status	 s;
	int		 groupchat, found = 0;

	if (strcmp(c->arg[0].s, "chat") == 0)
		groupchat = 0;
	else if (strcmp(c->arg[0].s, "groupchat") == 0)
		groupchat = 1;
	else
		return room_fail(c, "bad_request",
		    "Unsupported message type: only chat and groupchat");
	if (arg_bare(&c->arg[1], &from) == 0 &&
	    config_host_served(c->cfg, from.host) &&
	    (s = users_get(from.host, from.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return unknown_user(c);
	if (arg_bare(&c->arg[2], &to) == -1)
		return room_fail(c, "bad_request", "Invalid recipient");
	if (!groupchat) {
		if ((s = messages_send(&u, &to, c->arg[4].s, mid)) != DB_OK)
			return admin_dbfail(c, db_http_status(s));
		c->rescode = 0;
		return 0;
	}
	if ((host = config_muc_host(c->cfg, to.host)) != NULL &&
	    (s = rooms_find(host, to.local, &u, 0, &room, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (host == NULL || !found)
		return room_fail(c, "room_not_found", "room_not_found");
	if (room.aff == ROOMS_NONE)
		return room_fail(c, "not_member",
		    "The sender is not a member of the room");
	if ((s = rooms_post(&room, &u, c->arg[4].s, 0, NULL, NULL, mid)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

#define USER	{ "user", A_STRING, 0, "localpart of the account" }
#define HOST	{ "host", A_STRING, 0, "one of [server] hosts" }
#define ROOM	{ "name", A_STRING, 0, "the room id (its JID's localpart)" }
#define SERVICE	{ "service", A_STRING, 0, "the MUC domain of its host" }
#define MEDIUM	{ "medium", A_STRING, 0, "email or msisdn" }
#define ADDRESS	{ "address", A_STRING, 0, "an email, or an msisdn's digits" }
#define ROLE	{ "role", A_STRING, 0, "a role name" }

const struct admin_cmd admin_commands[] = {
	{ "add_role", cmd_add_role, C_STATE, R_RESCODE, NULL,
	    "give an account a role (the identity backend's roles)",
	    { USER, HOST, ROLE } },
	{ "add_threepid", cmd_add_threepid, C_STATE, R_RESCODE, NULL,
	    "give an account a third-party ID (one owner per address)",
	    { USER, HOST, MEDIUM, ADDRESS } },
	{ "audit_log", cmd_audit_log, 0, R_TUPLES, NULL,
	    "newest entries of the audit trail, newest first",
	    { { "count", A_INTEGER, A_OPTIONAL, "how many (1-1000, 20)" } } },
	{ "ban_account", cmd_ban_account, C_STATE, R_RESCODE, NULL,
	    "disable an account: it can no longer authenticate anywhere",
	    { USER, HOST, { "reason", A_STRING, 0, "why, kept with it" } } },
	{ "change_password", cmd_change_password, C_STATE, R_RESCODE, NULL,
	    "set an account's password",
	    { USER, HOST, { "newpass", A_PASSWORD, 0, "the new password" } } },
	{ "check_account", cmd_check_account, 0, R_RESCODE, NULL,
	    "whether an account exists",
	    { USER, HOST } },
	{ "check_password", cmd_check_password, 0, R_RESCODE, NULL,
	    "whether a password is an account's (disabled: never)",
	    { USER, HOST, { "password", A_PASSWORD, 0, "to check" } } },
	{ "connected_users", cmd_connected_users, 0, R_STRINGS, NULL,
	    "accounts seen within the [presence] window",
	    { { NULL, 0, 0, NULL } } },
	{ "connected_users_number", cmd_connected_users_number, 0, R_INTEGER,
	    "num_sessions",
	    "how many accounts were seen within the [presence] window",
	    { { NULL, 0, 0, NULL } } },
	{ "create_room", cmd_create_room, C_STATE, R_RESCODE, NULL,
	    "create an empty room, with no owner and no members",
	    { ROOM, SERVICE, HOST } },
	{ "destroy_room", cmd_destroy_room, C_STATE, R_RESCODE, NULL,
	    "destroy a room, its members and its archive",
	    { ROOM, SERVICE } },
	{ "get_blocklist", cmd_get_blocklist, 0, R_STRINGS, NULL,
	    "the addresses an account blocks, local@host, sorted",
	    { USER, HOST } },
	{ "get_room_occupants", cmd_get_room_occupants, 0, R_TUPLES, NULL,
	    "a room's members: jid, nick and role",
	    { ROOM, SERVICE } },
	{ "get_roster", cmd_get_roster, 0, R_TUPLES, NULL,
	    "an account's contacts: jid, nick, subscription, ask and group",
	    { USER, HOST } },
	{ "help", cmd_help, C_TERMINAL, R_NONE, NULL,
	    "list the commands, or describe one",
	    { { "command", A_STRING, A_OPTIONAL, "a command name" } } },
	{ "list_roles", cmd_list_roles, 0, R_STRINGS, NULL,
	    "an account's roles, sorted",
	    { USER, HOST } },
	{ "list_threepids", cmd_list_threepids, 0, R_TUPLES, NULL,
	    "an account's third-party IDs as medium, address",
	    { USER, HOST } },
	{ "migrate", cmd_migrate, C_TERMINAL, R_NONE, NULL,
	    "apply the sql/ migrations to the database",
	    { { NULL, 0, 0, NULL } } },
	{ "register", cmd_register, C_STATE, R_RESTUPLE, NULL,
	    "create an account",
	    { USER, HOST, { "password", A_PASSWORD, 0, "its password" } } },
	{ "registered_users", cmd_registered_users, 0, R_STRINGS, NULL,
	    "the localparts of a host's accounts, sorted",
	    { HOST } },
	{ "registered_vhosts", cmd_registered_vhosts, 0, R_STRINGS, NULL,
	    "the hosts served",
	    { { NULL, 0, 0, NULL } } },
	{ "remove_role", cmd_remove_role, C_STATE, R_RESCODE, NULL,
	    "take a role from an account",
	    { USER, HOST, ROLE } },
	{ "remove_threepid", cmd_remove_threepid, C_STATE, R_RESCODE, NULL,
	    "take a third-party ID from an account",
	    { USER, HOST, MEDIUM, ADDRESS } },
	{ "send_message", cmd_send_message, C_STATE, R_RESCODE, NULL,
	    "archive a chat message, or post a groupchat one to a room",
	    { { "type", A_STRING, 0, "chat or groupchat" },
	      { "from", A_STRING, 0, "the sender, an account here" },
	      { "to", A_STRING, 0, "a JID, or a room JID for groupchat" },
	      { "subject", A_STRING, A_PRIVATE, "accepted, not archived" },
	      { "body", A_STRING, A_PRIVATE, "the text" } } },
	{ "set_avatar", cmd_set_avatar, C_STATE, R_RESCODE, NULL,
	    "set an account's avatar URL (empty clears it)",
	    { USER, HOST, { "url", A_STRING, 0, "e.g. mxc://server/id" } } },
	{ "set_blocklist", cmd_set_blocklist, C_STATE, R_RESCODE, NULL,
	    "replace the addresses an account blocks",
	    { USER, HOST, { "blocklist", A_STRING, 0,
	    "JIDs or own-host localparts, space or comma separated" } } },
	{ "set_display_name", cmd_set_display_name, C_STATE, R_RESCODE, NULL,
	    "set an account's display name (empty clears it)",
	    { USER, HOST, { "name", A_STRING, 0, "the display name" } } },
	{ "set_nickname", cmd_set_nickname, C_STATE, R_RESCODE, NULL,
	    "set an account's display name (empty clears it)",
	    { USER, HOST, { "nickname", A_STRING, 0, "the display name" } } },
	{ "status", cmd_status, C_TERMINAL, R_NONE, NULL,
	    "version, config, database, schema version and hosts served",
	    { { NULL, 0, 0, NULL } } },
	{ "unban_account", cmd_unban_account, C_STATE, R_RESCODE, NULL,
	    "enable an account disabled by ban_account",
	    { USER, HOST } },
	{ "unregister", cmd_unregister, C_STATE, R_RESTUPLE, NULL,
	    "delete an account and everything it owns",
	    { USER, HOST } },
};

const size_t admin_ncommands = sizeof(admin_commands) /
    sizeof(admin_commands[0]);
