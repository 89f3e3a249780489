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
#include "audit.h"
#include "auth.h"
#include "blocks.h"
#include "jid.h"
#include "jsonio.h"
#include "migrate.h"
#include "password.h"
#include "users.h"

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
cmd_migrate(struct admin_call *c)
{
	if (migrate_run(c->cfg->db_migrations, c->out) == -1)
		return admin_fail(c, "internal_error", 500, 0,
		    "migration failed");
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
	if ((s = users_create(j.host, j.local, hash, &created)) != DB_OK)
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

#define USER	{ "user", A_STRING, 0, "localpart of the account" }
#define HOST	{ "host", A_STRING, 0, "one of [server] hosts" }

const struct admin_cmd admin_commands[] = {
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
	{ "get_blocklist", cmd_get_blocklist, 0, R_STRINGS, NULL,
	    "the addresses an account blocks, local@host, sorted",
	    { USER, HOST } },
	{ "help", cmd_help, C_TERMINAL, R_NONE, NULL,
	    "list the commands, or describe one",
	    { { "command", A_STRING, A_OPTIONAL, "a command name" } } },
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
	{ "set_blocklist", cmd_set_blocklist, C_STATE, R_RESCODE, NULL,
	    "replace the addresses an account blocks",
	    { USER, HOST, { "blocklist", A_STRING, 0,
	    "JIDs or own-host localparts, space or comma separated" } } },
	{ "set_nickname", cmd_set_nickname, C_STATE, R_RESCODE, NULL,
	    "set an account's display name (empty clears it)",
	    { USER, HOST, { "nickname", A_STRING, 0, "the display name" } } },
	{ "unban_account", cmd_unban_account, C_STATE, R_RESCODE, NULL,
	    "enable an account disabled by ban_account",
	    { USER, HOST } },
	{ "unregister", cmd_unregister, C_STATE, R_RESTUPLE, NULL,
	    "delete an account and everything it owns",
	    { USER, HOST } },
};

const size_t admin_ncommands = sizeof(admin_commands) /
    sizeof(admin_commands[0]);
