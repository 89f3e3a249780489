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
 * The encodings (lib/wire/admin.c) need no change.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "admin-mongoose.h"
#include "app.h"
#include "audit.h"
#include "auth.h"
#include "blocks.h"
#include "events.h"
#include "jid.h"
#include "jsonio.h"
#include "log.h"
#include "messages.h"
#include "migrate.h"
#include "notices.h"
#include "password.h"
#include "profiles.h"
#include "rooms.h"
#include "roster.h"
#include "sessions.h"
#include "srg.h"
#include "threepids.h"
#include "throttle.h"
#include "users.h"
#include "util.h"
#include "vcard.h"

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

/* As ejabberd 23.01 answers registered_users and unregister. */
static int
unknown_host(struct admin_call *c)
{
	return admin_fail(c, "unknown_host", 400, 0, "Unknown virtual host");
}

/* A host served here, from argument ih. */
static int
arg_host(struct admin_call *c, size_t ih, char host[JID_HOST_MAX + 1])
{
	if (jid_host(c->arg[ih].s, c->arg[ih].len, host) == -1 ||
	    !config_host_served(c->cfg, host))
		return unknown_host(c);
	return 0;
}

/*
 * The account named by arguments iu and ih: a host not served is
 * "Unknown virtual host", a localpart that cannot exist unknown_user.
 */
static int
need_jid(struct admin_call *c, size_t iu, size_t ih, struct jid *j)
{
	if (arg_host(c, ih, j->host) == -1)
		return -1;
	if (jid_localpart(c->arg[iu].s, c->arg[iu].len, j->local) == -1)
		return unknown_user(c);
	return 0;
}

/* The account named by arguments 0 and 1, which must exist. */
static int
arg_user(struct admin_call *c, struct user *u)
{
	struct jid	 j;
	enum db_status	 s;
	int		 found;

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
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

/* One guessing-limit counter as a tuple. */
static void
add_throttle_row(void *ctx, const char *kind, const char *subject,
    double level, long wait)
{
	json_object	*t = json_object_new_object();
	char		 lv[32];

	(void)snprintf(lv, sizeof(lv), "%.2f", level);
	json_object_object_add(t, "kind", json_object_new_string(kind));
	json_object_object_add(t, "subject", json_object_new_string(subject));
	json_object_object_add(t, "failures", json_object_new_string(lv));
	json_object_object_add(t, "retry_after", json_object_new_int64(wait));
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
	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
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

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
	if (c->arg[2].len == 0)
		return admin_fail(c, "invalid_password", 400, 0,
		    "invalid_password");
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
cmd_auth_failures(struct admin_call *c)
{
	enum db_status	 s;

	c->res = json_object_new_array();
	if ((s = throttle_list(c->cfg, add_throttle_row, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_clear_auth_failures(struct admin_call *c)
{
	enum db_status	 s;
	int		 n;

	if (c->arg[0].len > THROTTLE_SUBJECT_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "subject is longer than %d bytes", THROTTLE_SUBJECT_MAX);
	if ((s = throttle_clear(c->arg[0].set ? c->arg[0].s : "", &n)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
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
	long		 retry = 0;

	if (arg_jid(c, 0, 1, &j) == -1) {
		password_dummy(c->cfg, c->arg[2].s, c->arg[2].len);
		c->rescode = 1;
		return 0;
	}
	switch (auth_password(c->cfg, c->actor, j.host, j.local, c->arg[2].s,
	    c->arg[2].len, &u, &retry)) {
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

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
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

/* chatrest-admin help lists the commands by these groups, then the rest. */
static const struct {
	const char	*group;
	const char	*names;		/* space-separated */
} help_groups[] = {
	{ "accounts", "register unregister check_account check_password "
	    "check_password_hash change_password ban_account unban_account "
	    "get_ban_details registered_users registered_vhosts "
	    "delete_old_users delete_old_users_vhost num_active_users "
	    "get_last set_last get_presence set_presence set_nickname" },
	{ "sessions", "connected_users connected_users_info "
	    "connected_users_number connected_users_vhost user_sessions_info "
	    "user_resources num_resources resource_num kick_user "
	    "kick_session" },
	{ "server", "status stats stats_host reload_config get_loglevel "
	    "set_loglevel incoming_s2s_number outgoing_s2s_number audit_log "
	    "migrate help" },
	{ "rooms", "create_room create_room_with_opts destroy_room "
	    "muc_online_rooms muc_online_rooms_by_regex get_room_options "
	    "change_room_option get_room_affiliations get_room_affiliation "
	    "set_room_affiliation get_room_occupants get_room_occupants_number "
	    "get_user_rooms rooms_empty_list rooms_empty_destroy "
	    "rooms_unused_list rooms_unused_destroy send_direct_invitation "
	    "send_message" },
	{ "rosters", "get_roster add_rosteritem delete_rosteritem "
	    "push_alltoall srg_create srg_delete srg_list srg_get_info "
	    "srg_get_members srg_user_add srg_user_del get_blocklist "
	    "set_blocklist" },
	{ "vcard", "get_vcard get_vcard2 get_vcard2_multi set_vcard "
	    "set_vcard2 set_vcard2_multi" },
	{ "archive", "delete_old_messages delete_old_mam_messages "
	    "get_offline_count" },
	{ "identity", "add_threepid remove_threepid list_threepids "
	    "set_display_name set_avatar add_role remove_role list_roles" },
};

#define NHELP_GROUPS	(sizeof(help_groups) / sizeof(help_groups[0]))

/* The group of a command; NHELP_GROUPS for none. */
static size_t
help_group(const char *name)
{
	const char	*p;
	size_t		 g, n = strlen(name);

	for (g = 0; g < NHELP_GROUPS; g++)
		for (p = help_groups[g].names; (p = strstr(p, name)) != NULL;
		    p += n)
			if ((p == help_groups[g].names || p[-1] == ' ') &&
			    (p[n] == ' ' || p[n] == '\0'))
				return g;
	return NHELP_GROUPS;
}

static int
cmd_help(struct admin_call *c)
{
	const struct admin_cmd	*cmd;
	size_t			 i, g;

	if (c->arg[0].set) {
		if ((cmd = admin_find(c->arg[0].s)) == NULL)
			return admin_fail(c, "bad_request", 400, 0,
			    "unknown command: %s", c->arg[0].s);
		admin_usage(cmd, c->out);
		return 0;
	}
	fprintf(c->out, "usage: chatrest-admin [-c file] command [arg ...]\n");
	for (g = 0; g <= NHELP_GROUPS; g++) {
		fprintf(c->out, "%s:\n", g < NHELP_GROUPS ?
		    help_groups[g].group : "other");
		for (i = 0; i < admin_ncommands; i++)
			if (help_group(admin_commands[i].name) == g)
				fprintf(c->out, "  %-26s %s\n",
				    admin_commands[i].name,
				    admin_commands[i].help);
	}
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

/* Every run also makes the archives' months ahead (sql/014). */
static int
cmd_migrate(struct admin_call *c)
{
	long	 made;

	if (migrate_run(c->cfg->db_migrations, c->out) == -1)
		return admin_fail(c, "internal_error", 500, 0,
		    "migration failed");
	if (messages_archive_prepare(&made) != DB_OK)
		return admin_fail(c, "internal_error", 500, 0,
		    "archive months not made");
	if (made > 0)
		log_info("archive: %ld months made ahead", made);
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
	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
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

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
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

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
	if ((s = users_set_disabled(j.host, j.local, 0, NULL, &changed)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!changed)
		return unknown_user(c);
	c->rescode = 0;
	return 0;
}

/*
 * ejabberd answers "" whether or not the account existed, and "Unknown
 * virtual host" for a host it does not serve.
 */
static int
cmd_unregister(struct admin_call *c)
{
	struct jid	 j;
	enum db_status	 s;
	int		 deleted = 0;

	if (arg_host(c, 1, j.host) == -1)
		return -1;
	if (jid_localpart(c->arg[0].s, c->arg[0].len, j.local) == 0 &&
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

/*
 * The room named by arguments 0 (name) and 1 (service), as ejabberd's
 * room commands check them: "Invalid 'name'", "Invalid 'service'", then
 * room_not_found with the command's own text.  lock: FOR UPDATE.
 */
static int
need_room(struct admin_call *c, int lock, const char *notfound,
    struct room *room, const char **host)
{
	char		 rid[ROOMS_RID_MAX + 1], dom[JID_HOST_MAX + 1];
	enum db_status	 s;
	int		 found;

	if (jid_localpart(c->arg[0].s, c->arg[0].len, rid) == -1)
		return room_fail(c, "bad_request", "Invalid 'name'");
	if (jid_host(c->arg[1].s, c->arg[1].len, dom) == -1 ||
	    (*host = config_muc_host(c->cfg, dom)) == NULL)
		return room_fail(c, "bad_request", "Invalid 'service'");
	if ((s = rooms_find(*host, rid, NULL, lock, room, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return room_fail(c, "room_not_found", notfound);
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
		return room_fail(c, "bad_request", "Invalid 'name'");
	if (arg_host(c, 2, host) == -1)
		return -1;
	if (jid_host(c->arg[1].s, c->arg[1].len, dom) == -1 ||
	    (mhost = config_muc_host(c->cfg, dom)) == NULL ||
	    !util_strcaseeq(mhost, host))
		return room_fail(c, "bad_request", "Invalid 'service'");
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
	const char	*host;
	struct room	 room;
	enum db_status	 s;
	int		 destroyed;

	if (need_room(c, 1, "Room doesn't exists", &room, &host) == -1)
		return -1;
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

/*
 * As ejabberd 23.01: the nick and group set by add_rosteritem, the label
 * of a shared roster group, "" for none.
 */
static void
add_contact(void *ctx, const struct roster_item *it)
{
	json_object	*t;
	char		 s[JID_LOCAL_MAX + 1 + JID_HOST_MAX + 1];

	/* A request the owner has not answered is not yet a contact. */
	if (!it->st.sub_to && !it->st.sub_from && !it->st.ask_out &&
	    it->st.ask_in)
		return;
	t = json_object_new_object();

	(void)snprintf(s, sizeof(s), "%s@%s", it->local, it->host);
	json_object_object_add(t, "jid", json_object_new_string(s));
	json_object_object_add(t, "nick", json_object_new_string(it->nick));
	json_object_object_add(t, "subscription",
	    json_object_new_string(roster_subscription(&it->st)));
	json_object_object_add(t, "ask", json_object_new_string(
	    it->st.ask_out ? "subscribe" : "undefined"));
	json_object_object_add(t, "group", json_object_new_string(it->group));
	json_object_array_add(ctx, t);
}

static int
cmd_get_roster(struct admin_call *c)
{
	struct jid	 j;
	struct user	 u;
	enum db_status	 s;
	int		 found = 0;

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
	if ((s = users_get(j.host, j.local, &u, &found)) != DB_OK)
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
	if (mid[0] == '\0')
		return room_fail(c, "not_member",
		    "The sender is not a member of the room");
	c->rescode = 0;
	return 0;
}

/*
 * --- accounts, sessions, server (ejabberd's mod_admin_extra, ejabberd_sm,
 * ejabberd_admin) ----------------------------------------------------------
 *
 * Sessions are chatrest's presence: an account seen within the [presence]
 * window has one session, with the resource set_presence gave it (else
 * "chatrest").  Kicking one forgets the presence and leaves a "kick"
 * server notice for whatever holds the user's live streams.
 */

#define DAYS_MAX	36500
#define STATUS_MAX	1024
#define RESOURCE_MAX	1023

/* A decimal integer, as a string argument may carry one. */
static int
int_ok(const char *s, long long *v)
{
	char	*end;

	if (*s == '\0' || strlen(s) > 20)
		return 0;
	*v = strtoll(s, &end, 10);
	return *end == '\0';
}

static int
arg_days(struct admin_call *c, size_t i)
{
	if (c->arg[i].i < 1 || c->arg[i].i > DAYS_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "days must be between 1 and %d", DAYS_MAX);
	return 0;
}

static void
add_user_at(void *ctx, const char *local, const char *host)
{
	struct buf	*b = ctx;

	buf_adds(b, b->len > 1 ? "," : "");
	buf_adds(b, local);
	buf_adds(b, "@");
	buf_adds(b, host);
}

/* "Deleted N users: [a@h,b@h]", as ejabberd words it. */
static int
delete_old(struct admin_call *c, const char *host, size_t iday)
{
	struct buf	 b = { NULL, 0, 0 };
	enum db_status	 s;
	size_t		 n = 0;
	const char	*p;
	char		*msg;

	if (arg_days(c, iday) == -1)
		return -1;
	buf_adds(&b, "[");
	if ((s = users_delete_old(host, c->arg[iday].i, add_user_at, &b)) !=
	    DB_OK) {
		buf_free(&b);
		return admin_dbfail(c, db_http_status(s));
	}
	buf_adds(&b, "]");
	for (p = b.p; b.len > 2 && p != NULL; p = strchr(p + 1, ','))
		n++;
	msg = xasprintf("Deleted %zu users: %s", n, b.p);
	c->res = json_object_new_string(msg);
	free(msg);
	buf_free(&b);
	return 0;
}

static int
cmd_delete_old_users(struct admin_call *c)
{
	return delete_old(c, NULL, 0);
}

static int
cmd_delete_old_users_vhost(struct admin_call *c)
{
	char	 host[JID_HOST_MAX + 1];

	if (arg_host(c, 0, host) == -1)
		return -1;
	return delete_old(c, host, 1);
}

/*
 * Passwords are kept as scrypt MCF strings: the hash given is compared
 * with that, in constant time, for hashmethod "scrypt"; md5 and sha of a
 * plain password cannot be computed from it.
 */
static int
cmd_check_password_hash(struct admin_call *c)
{
	struct jid	 j;
	struct user	 u;
	enum db_status	 s;
	int		 found = 0;

	if (strcmp(c->arg[3].s, "scrypt") != 0)
		return admin_fail(c, "bad_request", 400, 0,
		    "passwords are kept as scrypt: hashmethod must be scrypt");
	if (arg_jid(c, 0, 1, &j) == 0 &&
	    (s = users_get(j.host, j.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = found && !u.disabled && util_secret_eq(c->arg[2].s,
	    c->arg[2].len, u.hash, strlen(u.hash)) ? 0 : 1;
	return 0;
}

static void
add_name_value(json_object *a, const char *kn, const char *k,
    const char *vn, const char *v)
{
	json_object	*t = json_object_new_object();

	json_object_object_add(t, kn, json_object_new_string(k));
	json_object_object_add(t, vn, json_object_new_string(v));
	json_object_array_add(a, t);
}

/* As ejabberd 24.06: reason and date of a ban, nothing if not banned. */
static int
cmd_get_ban_details(struct admin_call *c)
{
	struct jid	 j;
	char		 reason[REASON_MAX + 1], when[32];
	enum db_status	 s;
	int		 banned;

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
	if ((s = users_ban_details(j.host, j.local, &banned, reason,
	    sizeof(reason), when, sizeof(when))) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (banned == -1)
		return unknown_user(c);
	c->res = json_object_new_array();
	if (banned) {
		add_name_value(c->res, "name", "reason", "value", reason);
		add_name_value(c->res, "name", "bandate", "value", when);
	}
	return 0;
}

static int
cmd_num_active_users(struct admin_call *c)
{
	char		 host[JID_HOST_MAX + 1];
	enum db_status	 s;
	long		 n;

	if (arg_host(c, 0, host) == -1 || arg_days(c, 1) == -1)
		return -1;
	if ((s = users_active_count(host, c->arg[1].i, &n)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_int64(n);
	return 0;
}

/* ejabberd's words for an account online now, and one never seen. */
static int
cmd_get_last(struct admin_call *c)
{
	struct user	 u;
	struct last_info li;
	enum db_status	 s;

	if (arg_user(c, &u) == -1)
		return -1;
	if ((s = sessions_get_last(c->cfg, &u, &li)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_object();
	json_object_object_add(c->res, "timestamp",
	    json_object_new_string(li.when));
	json_object_object_add(c->res, "status", json_object_new_string(
	    li.online ? "ONLINE" : li.never ? "Registered but didn't login" :
	    li.status));
	return 0;
}

static int
arg_status(struct admin_call *c, size_t i)
{
	if (c->arg[i].len > STATUS_MAX || !text_ok(c->arg[i].s))
		return admin_fail(c, "bad_request", 400, 0,
		    "a status is at most %d bytes of printable text",
		    STATUS_MAX);
	return 0;
}

static int
cmd_set_last(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;

	if (arg_user(c, &u) == -1 || arg_status(c, 3) == -1)
		return -1;
	if (c->arg[2].i < 0 || c->arg[2].i > 253402300799LL)
		return admin_fail(c, "bad_request", 400, 0,
		    "timestamp must be seconds since 1970, before 10000");
	if ((s = sessions_set_last(&u, c->arg[2].i, c->arg[3].s)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

static void
add_session_jid(void *ctx, const struct session *se)
{
	char	*s = xasprintf("%s@%s/%s", se->local, se->host, se->resource);

	json_object_array_add(ctx, json_object_new_string(s));
	free(s);
}

static void
add_resource(void *ctx, const struct session *se)
{
	json_object_array_add(ctx, json_object_new_string(se->resource));
}

/* One tuple per session; the jid only in connected_users_info. */
static void
session_tuple(json_object *a, const struct session *se, int withjid)
{
	json_object	*t = json_object_new_object();
	char		*jid;

	if (withjid) {
		jid = xasprintf("%s@%s/%s", se->local, se->host, se->resource);
		json_object_object_add(t, "jid", json_object_new_string(jid));
		free(jid);
	}
	json_object_object_add(t, "connection", json_object_new_string("http"));
	json_object_object_add(t, "ip", json_object_new_string(""));
	json_object_object_add(t, "port", json_object_new_int(0));
	json_object_object_add(t, "priority",
	    json_object_new_int64(se->priority));
	json_object_object_add(t, "node", json_object_new_string("chatrest"));
	json_object_object_add(t, "uptime", json_object_new_int64(se->uptime));
	json_object_object_add(t, "status", json_object_new_string(se->show));
	json_object_object_add(t, "resource",
	    json_object_new_string(se->resource));
	json_object_object_add(t, "statustext",
	    json_object_new_string(se->status));
	json_object_array_add(a, t);
}

static void
add_session_info(void *ctx, const struct session *se)
{
	session_tuple(ctx, se, 1);
}

static void
add_session_info_nojid(void *ctx, const struct session *se)
{
	session_tuple(ctx, se, 0);
}

/* The sessions of host (NULL: all) and local (NULL: all) into c->res. */
static int
list_sessions(struct admin_call *c, const char *host, const char *local,
    sessions_fn fn)
{
	enum db_status	 s;

	c->res = json_object_new_array();
	if ((s = sessions_list(c->cfg, host, local, fn, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_connected_users_info(struct admin_call *c)
{
	return list_sessions(c, NULL, NULL, add_session_info);
}

static int
cmd_connected_users_vhost(struct admin_call *c)
{
	char	 host[JID_HOST_MAX + 1];

	if (arg_host(c, 0, host) == -1)
		return -1;
	return list_sessions(c, host, NULL, add_session_jid);
}

static int
cmd_user_sessions_info(struct admin_call *c)
{
	struct jid	 j;

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
	return list_sessions(c, j.host, j.local, add_session_info_nojid);
}

static int
cmd_user_resources(struct admin_call *c)
{
	struct jid	 j;

	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
	return list_sessions(c, j.host, j.local, add_resource);
}

static int
cmd_num_resources(struct admin_call *c)
{
	json_object	*l;

	if (cmd_user_resources(c) == -1)
		return -1;
	l = c->res;
	c->res = json_object_new_int64((int64_t)json_object_array_length(l));
	json_object_put(l);
	return 0;
}

static int
cmd_resource_num(struct admin_call *c)
{
	json_object	*l;
	long long	 n = c->arg[2].i;

	if (cmd_user_resources(c) == -1)
		return -1;
	l = c->res;
	c->res = NULL;
	if (n < 1 || (size_t)n > json_object_array_length(l)) {
		json_object_put(l);
		return admin_fail(c, "bad_request", 400, 0,
		    "Wrong resource number: %lld", n);
	}
	c->res = json_object_get(json_object_array_get_idx(l, (size_t)n - 1));
	json_object_put(l);
	return 0;
}

/* Close the account's live-event streams when the transaction commits. */
static enum db_status
kick_streams(const struct user *u)
{
	const char	*v[] = { u->local };
	char		*arr;
	enum db_status	 s;

	arr = blocks_array(v, 1);
	s = events_kick(u->host, arr);
	free(arr);
	return s;
}

/*
 * End the account's session (of resource, if not NULL): *n is 1 if there
 * was one.  An account that does not exist has none.
 */
static int
end_session(struct admin_call *c, const char *resource, const char *reason,
    const char *status, int *n)
{
	struct jid	 j;
	struct user	 u;
	enum db_status	 s;
	int		 found;

	*n = 0;
	if (need_jid(c, 0, 1, &j) == -1)
		return -1;
	if ((s = users_get(j.host, j.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (found && (s = sessions_end(c->cfg, &u, resource, reason, status,
	    n)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	/* A kick also closes the live-event streams (they carry no resource). */
	if (found && reason != NULL && (s = kick_streams(&u)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_kick_user(struct admin_call *c)
{
	int	 n;

	if (end_session(c, NULL, "Kicked by administrator", "", &n) == -1)
		return -1;
	c->res = json_object_new_int(n);
	return 0;
}

static int
cmd_kick_session(struct admin_call *c)
{
	int	 n;

	if (c->arg[3].len > REASON_MAX || !text_ok(c->arg[3].s))
		return admin_fail(c, "bad_request", 400, 0,
		    "a reason is at most %d bytes of printable text",
		    REASON_MAX);
	if (end_session(c, c->arg[2].s, c->arg[3].s, "", &n) == -1)
		return -1;
	c->rescode = 0;
	return 0;
}

static int
cmd_get_presence(struct admin_call *c)
{
	struct jid	 j;
	json_object	*l, *t;
	char		*jid;

	if (need_jid(c, 0, 1, &j) == -1 ||
	    list_sessions(c, j.host, j.local, add_session_info) == -1)
		return -1;
	l = c->res;
	c->res = json_object_new_object();
	if (json_object_array_length(l) == 0) {
		jid = xasprintf("%s@%s", j.local, j.host);
		json_object_object_add(c->res, "jid",
		    json_object_new_string(jid));
		json_object_object_add(c->res, "show",
		    json_object_new_string("unavailable"));
		json_object_object_add(c->res, "status",
		    json_object_new_string(""));
		free(jid);
	} else {
		t = json_object_array_get_idx(l, 0);
		json_object_object_add(c->res, "jid", json_object_get(
		    json_object_object_get(t, "jid")));
		json_object_object_add(c->res, "show", json_object_get(
		    json_object_object_get(t, "status")));
		json_object_object_add(c->res, "status", json_object_get(
		    json_object_object_get(t, "statustext")));
	}
	json_object_put(l);
	return 0;
}

static const char *const shows[] = { "available", "away", "chat", "dnd",
	"xa" };

static int
cmd_set_presence(struct admin_call *c)
{
	struct user	 u;
	const char	*show = "available";
	long long	 prio;
	enum db_status	 s;
	size_t		 i;
	int		 n;

	if (arg_user(c, &u) == -1 || arg_status(c, 5) == -1)
		return -1;
	if (c->arg[2].len == 0 || c->arg[2].len > RESOURCE_MAX ||
	    !text_ok(c->arg[2].s) || strchr(c->arg[2].s, '/') != NULL)
		return admin_fail(c, "bad_request", 400, 0,
		    "a resource is 1 to %d bytes of printable text",
		    RESOURCE_MAX);
	if (c->arg[4].len > 0) {
		for (i = 0; i < sizeof(shows) / sizeof(shows[0]); i++)
			if (strcmp(c->arg[4].s, shows[i]) == 0)
				show = shows[i];
		if (strcmp(c->arg[4].s, show) != 0)
			return admin_fail(c, "bad_request", 400, 0,
			    "show is one of available, away, chat, dnd, xa");
	}
	if (!int_ok(c->arg[6].s, &prio) || prio < -128 || prio > 127)
		return admin_fail(c, "bad_request", 400, 0,
		    "priority is an integer from -128 to 127");
	if (strcmp(c->arg[3].s, "unavailable") == 0) {
		if ((s = sessions_end(c->cfg, &u, NULL, NULL, c->arg[5].s,
		    &n)) != DB_OK)
			return admin_dbfail(c, db_http_status(s));
	} else if (strcmp(c->arg[3].s, "available") == 0) {
		if ((s = sessions_set(c->cfg, &u, c->arg[2].s, show,
		    c->arg[5].s, prio)) != DB_OK)
			return admin_dbfail(c, db_http_status(s));
	} else
		return admin_fail(c, "bad_request", 400, 0,
		    "type is available or unavailable");
	c->rescode = 0;
	return 0;
}

/* --- server --------------------------------------------------------------- */

/*
 * The shell's report, before ejabberd's line: works without a
 * configuration (it says why there is none); what an admin checks first,
 * in one screen; exit status 1 if anything is wrong.
 */
static int
status_report(struct admin_call *c)
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
cmd_status(struct admin_call *c)
{
	char		 host[256], *msg;
	enum db_status	 s;
	long		 up;

	if (c->via == VIA_SHELL && status_report(c) == -1)
		return -1;
	if ((s = sessions_uptime(&up)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (gethostname(host, sizeof(host)) == -1)
		(void)snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	msg = xasprintf("The node chatrest@%s is started. Status: started"
	    "chatrest %s is running in that node", host, PACKAGE_VERSION);
	c->res = json_object_new_string(msg);
	free(msg);
	return 0;
}

/* A figure of the store: every process reads the same. */
static int
stat_value(struct admin_call *c, const char *name, const char *host)
{
	enum db_status	 s;
	long		 n;
	long long	 ln;

	if (strcmp(name, "registeredusers") == 0)
		s = users_count(host, &n);
	else if (strcmp(name, "onlineusers") == 0 ||
	    (host == NULL && strcmp(name, "onlineusersnode") == 0)) {
		if (host != NULL) {
			if (list_sessions(c, host, NULL, add_resource) == -1)
				return -1;
			n = (long)json_object_array_length(c->res);
			json_object_put(c->res);
			c->res = NULL;
			s = DB_OK;
		} else {
			s = users_connected_count(c->cfg->presence_window,
			    &ln);
			n = (long)ln;
		}
	} else if (host == NULL && strcmp(name, "uptimeseconds") == 0)
		s = sessions_uptime(&n);
	else if (host == NULL && strcmp(name, "processes") == 0)
		s = sessions_processes(&n);
	else
		return admin_fail(c, "bad_request", 400, 0,
		    "Unknown statistic: %s", name);
	if (s != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_int64(n);
	return 0;
}

static int
cmd_stats(struct admin_call *c)
{
	return stat_value(c, c->arg[0].s, NULL);
}

static int
cmd_stats_host(struct admin_call *c)
{
	char	 host[JID_HOST_MAX + 1];

	if (arg_host(c, 1, host) == -1)
		return -1;
	return stat_value(c, c->arg[0].s, host);
}

/* chatrest's restart broadcast: every process rereads the file. */
static int
cmd_reload_config(struct admin_call *c)
{
	enum db_status	 s;

	if ((s = notices_restart("reload_config")) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

/* ejabberd's names for chatrest's levels. */
static const char *const loglevels[] = {
	[LOG_ERROR] = "error",
	[LOG_WARN] = "warning",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

static int
cmd_get_loglevel(struct admin_call *c)
{
	c->res = json_object_new_string(loglevels[c->cfg->log_level]);
	return 0;
}

/*
 * The level is [log] level of chatrest.conf, read by every process: it
 * is changed there (then reload_config), not in one process.
 */
static int
cmd_set_loglevel(struct admin_call *c)
{
	static const char *const ej[] = { "none", "emergency", "alert",
	    "critical", "error", "warning", "notice", "info", "debug" };
	size_t	 i;

	for (i = 0; i < sizeof(ej) / sizeof(ej[0]); i++)
		if (strcmp(c->arg[0].s, ej[i]) == 0)
			break;
	if (i == sizeof(ej) / sizeof(ej[0]))
		return admin_fail(c, "bad_request", 400, 0,
		    "Invalid log level");
	if (strcmp(c->arg[0].s, loglevels[c->cfg->log_level]) != 0)
		return admin_fail(c, "bad_request", 400, 0,
		    "the log level is [log] level in chatrest.conf: change it "
		    "there, then reload_config");
	c->rescode = 0;
	return 0;
}

/* There is no server-to-server traffic: XMPP federation is not spoken. */
static int
cmd_s2s_number(struct admin_call *c)
{
	c->res = json_object_new_int(0);
	return 0;
}

/*
 * --- rooms (mod_muc_admin) ------------------------------------------------
 *
 * chatrest's rooms are MUC Light rooms: an owner and members, a name and
 * a subject.  A room is "online" while it exists (none hibernates), its
 * occupants are its members, and its options are the name (title) and
 * subject plus fixed values that describe how every room behaves.
 */

#define ROOM_NAME_MAX	1024

/* The room JID rid@service of a room on host. */
static char *
room_jid(const struct config *cfg, const char *host, const char *rid)
{
	char	 dom[JID_HOST_MAX + 1];

	config_muc_domain(cfg, host, dom, sizeof(dom));
	return xasprintf("%s@%s", rid, dom);
}

/* A MUC service, or "global" for all: its host, NULL for all. */
static int
arg_service(struct admin_call *c, size_t i, const char **host)
{
	char	 dom[JID_HOST_MAX + 1];

	*host = NULL;
	if (strcmp(c->arg[i].s, "global") == 0)
		return 0;
	if (jid_host(c->arg[i].s, c->arg[i].len, dom) == -1 ||
	    (*host = config_muc_host(c->cfg, dom)) == NULL)
		return room_fail(c, "bad_request", "Invalid 'service'");
	return 0;
}

/* What to list: rooms_empty_*, rooms_unused_*, muc_online_rooms*. */
struct room_pick {
	struct admin_call	*c;
	int			 kind;		/* PICK_* */
	long long		 days;
	regex_t			*re;
	int			 destroy;
	enum db_status		 s;
};

enum {
	PICK_ALL,
	PICK_EMPTY,
	PICK_UNUSED,
	PICK_REGEX,
};

static void
pick_room(void *ctx, const struct room_row *rr)
{
	struct room_pick	*pk = ctx;
	json_object		*t;
	char			*jid;
	int			 d;

	if ((pk->kind == PICK_EMPTY && rr->has_messages) ||
	    (pk->kind == PICK_UNUSED && rr->idle_days < pk->days))
		return;
	jid = room_jid(pk->c->cfg, rr->host, rr->room.rid);
	if (pk->kind == PICK_REGEX) {
		if (regexec(pk->re, jid, 0, NULL, 0) == 0) {
			t = json_object_new_object();
			json_object_object_add(t, "jid",
			    json_object_new_string(jid));
			json_object_object_add(t, "public",
			    json_object_new_string("false"));
			json_object_object_add(t, "participants",
			    json_object_new_int64(rr->members));
			json_object_array_add(pk->c->res, t);
		}
		free(jid);
		return;
	}
	if (pk->destroy && pk->s == DB_OK)
		pk->s = rooms_destroy(&rr->room, &d);
	json_object_array_add(pk->c->res, json_object_new_string(jid));
	free(jid);
}

static int
pick_rooms(struct admin_call *c, int kind, long long days, int destroy)
{
	struct room_pick	 pk = { c, kind, days, NULL, destroy, DB_OK };
	regex_t			 re;
	const char		*host;
	enum db_status		 s;
	int			 rc = -1;

	if (arg_service(c, 0, &host) == -1)
		return -1;
	if (kind == PICK_UNUSED && arg_days(c, 1) == -1)
		return -1;
	if (kind == PICK_REGEX) {
		if (regcomp(&re, c->arg[1].s, REG_EXTENDED | REG_NOSUB) != 0)
			return admin_fail(c, "bad_request", 400, 0,
			    "Invalid regex");
		pk.re = &re;
	}
	c->res = json_object_new_array();
	if ((s = rooms_all(host, pick_room, &pk)) != DB_OK ||
	    (s = pk.s) != DB_OK) {
		rc = admin_dbfail(c, db_http_status(s));
		goto out;
	}
	rc = 0;
out:
	if (pk.re != NULL)
		regfree(&re);
	return rc;
}

static int
cmd_muc_online_rooms(struct admin_call *c)
{
	return pick_rooms(c, PICK_ALL, 0, 0);
}

static int
cmd_muc_online_rooms_by_regex(struct admin_call *c)
{
	return pick_rooms(c, PICK_REGEX, 0, 0);
}

static int
cmd_rooms_empty_list(struct admin_call *c)
{
	return pick_rooms(c, PICK_EMPTY, 0, 0);
}

static int
cmd_rooms_empty_destroy(struct admin_call *c)
{
	return pick_rooms(c, PICK_EMPTY, 0, 1);
}

static int
cmd_rooms_unused_list(struct admin_call *c)
{
	return pick_rooms(c, PICK_UNUSED, c->arg[1].i, 0);
}

static int
cmd_rooms_unused_destroy(struct admin_call *c)
{
	return pick_rooms(c, PICK_UNUSED, c->arg[1].i, 1);
}

static void
add_room_jid(void *ctx, const char *host, const char *rid)
{
	struct admin_call	*c = ctx;
	char			*jid = room_jid(c->cfg, host, rid);

	json_object_array_add(c->res, json_object_new_string(jid));
	free(jid);
}

static int
cmd_get_user_rooms(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;

	if (arg_user(c, &u) == -1)
		return -1;
	c->res = json_object_new_array();
	if ((s = rooms_user_rooms(&u, add_room_jid, c)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_get_room_occupants_number(struct admin_call *c)
{
	const char	*host;
	struct room	 room;
	enum db_status	 s;
	long		 n;

	if (need_room(c, 0, "room_not_found", &room, &host) == -1)
		return -1;
	if ((s = rooms_count(&room, &n)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_int64(n);
	return 0;
}

/*
 * The options: title and subject are the room's own; the others are how
 * every MUC Light room behaves, and can only be set to what they are.
 */
static const struct {
	const char	*name, *value;
} room_fixed[] = {
	{ "allow_change_subj", "true" },
	{ "allow_private_messages", "false" },
	{ "allow_query_users", "true" },
	{ "allow_user_invites", "false" },
	{ "anonymous", "false" },
	{ "logging", "false" },
	{ "members_by_default", "true" },
	{ "members_only", "true" },
	{ "moderated", "false" },
	{ "mam", "true" },
	{ "password_protected", "false" },
	{ "persistent", "true" },
	{ "public", "false" },
	{ "public_list", "false" },
};

struct room_head {
	char	*name, *subject;
};

static void
no_member(void *ctx, const struct room_member *m)
{
	(void)ctx;
	(void)m;
}

static void
get_head(void *ctx, const char *name, const char *subject)
{
	struct room_head	*h = ctx;

	h->name = xstrdup(name);
	h->subject = xstrdup(subject);
}

/*
 * Option o set to v on head h: 0, or -1 with the failure.  title and
 * subject are printable text; the fixed options take their value only.
 */
static int
room_option(struct admin_call *c, const char *o, const char *v,
    struct room_head *h)
{
	char	**field;
	size_t	 i;

	if (strcmp(o, "title") == 0 || strcmp(o, "subject") == 0) {
		if (strlen(v) > ROOM_NAME_MAX || !text_ok(v))
			return admin_fail(c, "bad_request", 400, 0,
			    "%s is at most %d bytes of printable text", o,
			    ROOM_NAME_MAX);
		field = strcmp(o, "title") == 0 ? &h->name : &h->subject;
		free(*field);
		*field = xstrdup(v);
		return 0;
	}
	for (i = 0; i < sizeof(room_fixed) / sizeof(room_fixed[0]); i++)
		if (strcmp(o, room_fixed[i].name) == 0) {
			if (strcmp(v, room_fixed[i].value) == 0)
				return 0;
			return admin_fail(c, "bad_request", 400, 0,
			    "%s is always %s here", o, room_fixed[i].value);
		}
	return admin_fail(c, "bad_request", 400, 0, "Unknown option: %.64s", o);
}

static int
cmd_get_room_options(struct admin_call *c)
{
	const char		*host;
	struct room		 room;
	struct room_head	 h = { NULL, NULL };
	enum db_status		 s;
	size_t			 i;

	if (need_room(c, 0, "room_not_found", &room, &host) == -1)
		return -1;
	if ((s = rooms_info(&room, get_head, no_member, &h)) != DB_OK) {
		free(h.name);
		free(h.subject);
		return admin_dbfail(c, db_http_status(s));
	}
	c->res = json_object_new_array();
	add_name_value(c->res, "name", "title", "value", h.name);
	add_name_value(c->res, "name", "subject", "value", h.subject);
	for (i = 0; i < sizeof(room_fixed) / sizeof(room_fixed[0]); i++)
		add_name_value(c->res, "name", room_fixed[i].name, "value",
		    room_fixed[i].value);
	free(h.name);
	free(h.subject);
	return 0;
}

/* Apply options (a list of [name, value]) to the room, in one update. */
static int
configure_room(struct admin_call *c, const struct room *room,
    json_object *opts)
{
	struct room_head	 h = { NULL, NULL };
	json_object		*t;
	enum db_status		 s;
	size_t			 i, n = json_object_array_length(opts);
	int			 rc = -1;

	if ((s = rooms_info(room, get_head, no_member, &h)) != DB_OK) {
		rc = admin_dbfail(c, db_http_status(s));
		goto out;
	}
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(opts, i);
		if (room_option(c, json_object_get_string(
		    json_object_array_get_idx(t, 0)), json_object_get_string(
		    json_object_array_get_idx(t, 1)), &h) == -1)
			goto out;
	}
	if ((s = rooms_configure(room, h.name, h.subject)) != DB_OK) {
		rc = admin_dbfail(c, db_http_status(s));
		goto out;
	}
	rc = 0;
out:
	free(h.name);
	free(h.subject);
	return rc;
}

static int
cmd_change_room_option(struct admin_call *c)
{
	const char	*host;
	struct room	 room;
	json_object	*opts, *t;
	int		 rc;

	if (need_room(c, 1, "Room not found", &room, &host) == -1)
		return -1;
	opts = json_object_new_array();
	t = json_object_new_array();
	json_object_array_add(t, json_object_new_string(c->arg[2].s));
	json_object_array_add(t, json_object_new_string(c->arg[3].s));
	json_object_array_add(opts, t);
	rc = configure_room(c, &room, opts);
	json_object_put(opts);
	if (rc == 0)
		c->rescode = 0;
	return rc;
}

static int
cmd_create_room_with_opts(struct admin_call *c)
{
	const char	*host;
	struct room	 room;

	if (cmd_create_room(c) == -1)
		return -1;
	if (need_room(c, 1, "room_not_found", &room, &host) == -1 ||
	    configure_room(c, &room, c->arg[3].list) == -1)
		return -1;
	c->rescode = 0;
	return 0;
}

static void
add_affiliation(void *ctx, const struct room_member *m)
{
	json_object	*t = json_object_new_object();

	json_object_object_add(t, "username", json_object_new_string(m->local));
	json_object_object_add(t, "domain", json_object_new_string(m->host));
	json_object_object_add(t, "affiliation",
	    json_object_new_string(rooms_aff_name(m->aff)));
	json_object_object_add(t, "reason", json_object_new_string(""));
	json_object_array_add(ctx, t);
}

static int
cmd_get_room_affiliations(struct admin_call *c)
{
	const char	*host;
	struct room	 room;
	enum db_status	 s;

	if (need_room(c, 0, "The room does not exist.", &room, &host) == -1)
		return -1;
	c->res = json_object_new_array();
	if ((s = rooms_info(&room, NULL, add_affiliation, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/* An account here named by a bare or full JID, or -1 with the failure. */
static int
arg_member(struct admin_call *c, size_t i, struct user *u)
{
	struct jid	 j;
	enum db_status	 s;
	int		 found = 0;

	if (arg_bare(&c->arg[i], &j) == -1)
		return room_fail(c, "bad_request", "Malformed user JID");
	if (config_host_served(c->cfg, j.host) &&
	    (s = users_get(j.host, j.local, u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return unknown_user(c);
	return 0;
}

static int
cmd_get_room_affiliation(struct admin_call *c)
{
	const char	*host;
	struct room	 room;
	struct user	 u;
	struct jid	 j;
	enum rooms_aff	 aff = ROOMS_NONE;
	enum db_status	 s;
	int		 found = 0;

	if (need_room(c, 0, "The room does not exist.", &room, &host) == -1)
		return -1;
	if (arg_bare(&c->arg[2], &j) == -1)
		return room_fail(c, "bad_request", "Malformed user JID");
	if (config_host_served(c->cfg, j.host) &&
	    (s = users_get(j.host, j.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (found && (s = rooms_member_aff(&room, &u, &aff)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_string(rooms_aff_name(aff));
	return 0;
}

/*
 * MUC Light's affiliations: owner (one: a previous owner becomes a
 * member), member, none.  Each change goes into the room's archive as
 * the client API records it; removing the owner promotes the
 * longest-standing member, as leaving does.
 */
static int
cmd_set_room_affiliation(struct admin_call *c)
{
	const char	*host, *a = c->arg[3].s;
	struct room	 room;
	struct user	 u;
	struct jid	 j;
	enum rooms_aff	 aff, old;
	enum db_status	 s;
	int		 removed, promoted;

	if (strcmp(a, "owner") == 0)
		aff = ROOMS_OWNER;
	else if (strcmp(a, "member") == 0)
		aff = ROOMS_MEMBER;
	else if (strcmp(a, "none") == 0)
		aff = ROOMS_NONE;
	else if (strcmp(a, "admin") == 0 || strcmp(a, "outcast") == 0)
		return room_fail(c, "bad_request",
		    "Unsupported affiliation: MUC Light rooms have owner, "
		    "member and none");
	else
		return room_fail(c, "bad_request", "Invalid affiliation");
	if (need_room(c, 1, "Room doesn't exists", &room, &host) == -1 ||
	    arg_member(c, 2, &u) == -1)
		return -1;
	if ((s = rooms_member_aff(&room, &u, &old)) != DB_OK)
		goto fail;
	if (old == aff) {
		c->rescode = 0;
		return 0;
	}
	if (aff == ROOMS_NONE) {
		if ((s = rooms_member_remove(&room, &u, &removed)) != DB_OK ||
		    (s = rooms_note_aff(&room, u.host, u.local,
		    ROOMS_NONE)) != DB_OK)
			goto fail;
		if (old == ROOMS_OWNER &&
		    ((s = rooms_promote(&room, &j, &promoted)) != DB_OK ||
		    (promoted && (s = rooms_note_aff(&room, j.host, j.local,
		    ROOMS_OWNER)) != DB_OK)))
			goto fail;
	} else {
		if (aff == ROOMS_OWNER &&
		    (s = rooms_demote_others(&room, &u)) != DB_OK)
			goto fail;
		if ((s = rooms_member_set(&room, &u, aff)) != DB_OK ||
		    (s = rooms_note_aff(&room, u.host, u.local, aff)) != DB_OK)
			goto fail;
	}
	c->rescode = 0;
	return 0;
fail:
	return admin_dbfail(c, db_http_status(s));
}

/*
 * An invitation to a MUC Light room is membership: each user that is not
 * a member yet becomes one ("a@h:b@h"), as the client API's invite does.
 * Password and reason are accepted; the rooms have neither.
 */
static int
cmd_send_direct_invitation(struct admin_call *c)
{
	const char	*host, *p, *e;
	struct room	 room;
	struct user	 u;
	struct jid	 j;
	struct admin_val v;
	enum rooms_aff	 old;
	enum db_status	 s;
	char		 buf[JID_LOCAL_MAX + JID_HOST_MAX + 2];
	int		 found;

	if (need_room(c, 1, "The room does not exist", &room, &host) == -1)
		return -1;
	for (p = c->arg[4].s; *p != '\0'; p = *e == ':' ? e + 1 : e) {
		e = p + strcspn(p, ":");
		if ((size_t)(e - p) >= sizeof(buf))
			return room_fail(c, "bad_request", "Malformed user JID");
		memcpy(buf, p, (size_t)(e - p));
		buf[e - p] = '\0';
		v.s = buf;
		v.len = (size_t)(e - p);
		found = 0;
		if (arg_bare(&v, &j) == -1)
			return room_fail(c, "bad_request", "Malformed user JID");
		if (config_host_served(c->cfg, j.host) &&
		    (s = users_get(j.host, j.local, &u, &found)) != DB_OK)
			return admin_dbfail(c, db_http_status(s));
		if (!found)
			return unknown_user(c);
		if ((s = rooms_member_aff(&room, &u, &old)) != DB_OK)
			return admin_dbfail(c, db_http_status(s));
		if (old != ROOMS_NONE)
			continue;
		if ((s = rooms_member_set(&room, &u, ROOMS_MEMBER)) != DB_OK ||
		    (s = rooms_note_aff(&room, u.host, u.local,
		    ROOMS_MEMBER)) != DB_OK)
			return admin_dbfail(c, db_http_status(s));
	}
	c->rescode = 0;
	return 0;
}

/*
 * --- rosters and shared roster groups (mod_admin_extra,
 * mod_shared_roster) --------------------------------------------------------
 */

#define GROUP_MAX	1024

static int
arg_text(struct admin_call *c, size_t i, size_t max)
{
	if (c->arg[i].len > max || !text_ok(c->arg[i].s))
		return admin_fail(c, "bad_request", 400, 0,
		    "%s is at most %zu bytes of printable text",
		    c->cmd->args[i].name, max);
	return 0;
}

/*
 * The owner's side only, as ejabberd's add_rosteritem: the item is set to
 * the subscription given, with no request pending.
 */
static int
cmd_add_rosteritem(struct admin_call *c)
{
	struct user		 u;
	struct jid		 j;
	struct roster_state	 st = { 0, 0, 0, 0 };
	const char		*subs = c->arg[6].s;
	enum db_status		 s;

	if (arg_user(c, &u) == -1 || arg_text(c, 4, NICK_MAX) == -1 ||
	    arg_text(c, 5, GROUP_MAX) == -1)
		return -1;
	if (jid_localpart(c->arg[2].s, c->arg[2].len, j.local) == -1 ||
	    jid_host(c->arg[3].s, c->arg[3].len, j.host) == -1)
		return room_fail(c, "bad_request", "Invalid 'user'/'host'");
	if (strcmp(subs, "both") == 0)
		st.sub_to = st.sub_from = 1;
	else if (strcmp(subs, "to") == 0)
		st.sub_to = 1;
	else if (strcmp(subs, "from") == 0)
		st.sub_from = 1;
	else if (strcmp(subs, "none") != 0)
		return room_fail(c, "bad_request",
		    "subs is none, from, to or both");
	if (strcmp(j.host, u.host) == 0 && strcmp(j.local, u.local) == 0)
		return room_fail(c, "bad_request",
		    "an account is not its own contact");
	if ((s = roster_set_item(u.id, &j, &st, c->arg[4].s, c->arg[5].s)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

static int
cmd_delete_rosteritem(struct admin_call *c)
{
	struct user	 u;
	struct jid	 j;
	enum db_status	 s;
	int		 removed = 0;

	if (arg_user(c, &u) == -1)
		return -1;
	if (jid_localpart(c->arg[2].s, c->arg[2].len, j.local) == 0 &&
	    jid_host(c->arg[3].s, c->arg[3].len, j.host) == 0 &&
	    (s = roster_remove(u.id, &j, &removed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

struct alltoall {
	struct admin_call	*c;
	struct strlist		 l;
};

static void
add_local(void *ctx, const char *local, const char *host)
{
	struct strlist	*l = ctx;

	(void)host;
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(char *));
	l->v[l->n++] = xstrdup(local);
}

/* Every account of host gets every other as a contact (both), in group. */
static int
cmd_push_alltoall(struct admin_call *c)
{
	struct strlist		 l = { NULL, 0 };
	struct roster_state	 st = { 1, 1, 0, 0 };
	struct user		 u;
	struct jid		 j;
	char			 host[JID_HOST_MAX + 1];
	enum db_status		 s;
	size_t			 a, b;
	int			 found, rc = -1;

	if (arg_host(c, 0, host) == -1 || arg_text(c, 1, GROUP_MAX) == -1)
		return -1;
	if ((s = users_list(host, add_local, &l)) != DB_OK)
		goto dbfail;
	(void)snprintf(j.host, sizeof(j.host), "%s", host);
	for (a = 0; a < l.n; a++) {
		if ((s = users_get(host, l.v[a], &u, &found)) != DB_OK)
			goto dbfail;
		for (b = 0; found && b < l.n; b++) {
			if (a == b)
				continue;
			(void)snprintf(j.local, sizeof(j.local), "%s", l.v[b]);
			if ((s = roster_set_item(u.id, &j, &st, "",
			    c->arg[1].s)) != DB_OK)
				goto dbfail;
		}
	}
	c->rescode = 0;
	rc = 0;
	goto out;
dbfail:
	rc = admin_dbfail(c, db_http_status(s));
out:
	for (a = 0; a < l.n; a++)
		free(l.v[a]);
	free(l.v);
	return rc;
}

/* A group id: printable, no spaces, 1 to 255 bytes. */
static int
arg_group(struct admin_call *c, size_t i)
{
	const char	*p;

	if (c->arg[i].len == 0 || c->arg[i].len > 255 || !text_ok(c->arg[i].s))
		goto bad;
	for (p = c->arg[i].s; *p != '\0'; p++)
		if (*p == ' ')
			goto bad;
	return 0;
bad:
	return admin_fail(c, "bad_request", 400, 0,
	    "a group is 1 to 255 bytes of printable text without spaces");
}

/*
 * display: the displayed groups, separated by "\n" written out (as
 * ejabberdctl takes them) or by newlines.
 */
static int
cmd_srg_create(struct admin_call *c)
{
	char		 host[JID_HOST_MAX + 1], **v = NULL, *arr = NULL, *w;
	const char	*p, *e;
	size_t		 n = 0, i, k;
	enum db_status	 s;
	int		 rc = -1;

	if (arg_group(c, 0) == -1 || arg_host(c, 1, host) == -1 ||
	    arg_text(c, 2, 1024) == -1 || arg_text(c, 3, 4096) == -1)
		return -1;
	for (p = c->arg[4].s; *p != '\0'; p = e) {
		for (e = p; *e != '\0' && *e != '\n' &&
		    !(e[0] == '\\' && e[1] == 'n'); e++)
			continue;
		if (e > p) {
			w = xstrndup(p, (size_t)(e - p));
			for (k = 0; w[k] != '\0'; k++)
				if ((unsigned char)w[k] <= 0x20 || w[k] == 0x7f)
					break;
			if (w[k] != '\0' || k > 255) {
				free(w);
				rc = admin_fail(c, "bad_request", 400, 0,
				    "display: group ids separated by \\n");
				goto out;
			}
			v = xrealloc(v, (n + 1) * sizeof(char *));
			v[n++] = w;
		}
		if (*e == '\n')
			e++;
		else if (*e == '\\')
			e += 2;
	}
	arr = blocks_array((const char *const *)v, n);
	if ((s = srg_create(host, c->arg[0].s, c->arg[2].s, c->arg[3].s,
	    arr)) != DB_OK) {
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
group_not_found(struct admin_call *c)
{
	return admin_fail(c, "group_not_found", 404, 0, "group_not_found");
}

static int
cmd_srg_delete(struct admin_call *c)
{
	char		 host[JID_HOST_MAX + 1];
	enum db_status	 s;
	int		 deleted;

	if (arg_host(c, 1, host) == -1)
		return -1;
	if ((s = srg_delete(host, c->arg[0].s, &deleted)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!deleted)
		return group_not_found(c);
	c->rescode = 0;
	return 0;
}

static void
add_str(void *ctx, const char *v)
{
	json_object_array_add(ctx, json_object_new_string(v));
}

static int
cmd_srg_list(struct admin_call *c)
{
	char		 host[JID_HOST_MAX + 1];
	enum db_status	 s;

	if (arg_host(c, 0, host) == -1)
		return -1;
	c->res = json_object_new_array();
	if ((s = srg_list(host, add_str, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

static int
cmd_srg_get_info(struct admin_call *c)
{
	char		 host[JID_HOST_MAX + 1];
	struct srg_info	 gi;
	enum db_status	 s;
	int		 found;

	if (arg_host(c, 1, host) == -1)
		return -1;
	if ((s = srg_get_info(host, c->arg[0].s, &gi, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return group_not_found(c);
	c->res = json_object_new_array();
	add_name_value(c->res, "key", "label", "value", gi.label);
	add_name_value(c->res, "key", "displayed_groups", "value", gi.display);
	add_name_value(c->res, "key", "description", "value", gi.description);
	free(gi.display);
	return 0;
}

static int
cmd_srg_get_members(struct admin_call *c)
{
	char		 host[JID_HOST_MAX + 1];
	struct srg_info	 gi;
	enum db_status	 s;
	int		 found;

	if (arg_host(c, 1, host) == -1)
		return -1;
	if ((s = srg_get_info(host, c->arg[0].s, &gi, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	free(gi.display);
	if (!found)
		return group_not_found(c);
	c->res = json_object_new_array();
	if ((s = srg_members(host, c->arg[0].s, add_str, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/* user "@all@": every account of host. */
static int
srg_member_args(struct admin_call *c, struct jid *j, char *ghost)
{
	if (arg_host(c, 3, ghost) == -1 || arg_host(c, 1, j->host) == -1)
		return -1;
	if (strcmp(c->arg[0].s, "@all@") == 0) {
		(void)snprintf(j->local, sizeof(j->local), "@all@");
		return 0;
	}
	if (jid_localpart(c->arg[0].s, c->arg[0].len, j->local) == -1)
		return unknown_user(c);
	return 0;
}

static int
cmd_srg_user_add(struct admin_call *c)
{
	struct jid	 j;
	struct user	 u;
	char		 ghost[JID_HOST_MAX + 1];
	enum db_status	 s;
	int		 r, found = 1;

	if (srg_member_args(c, &j, ghost) == -1)
		return -1;
	if (strcmp(j.local, "@all@") != 0 &&
	    (s = users_get(j.host, j.local, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return unknown_user(c);
	if ((s = srg_user_add(ghost, c->arg[2].s, j.host, j.local, &r)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (r == -1)
		return group_not_found(c);
	c->rescode = 0;
	return 0;
}

static int
cmd_srg_user_del(struct admin_call *c)
{
	struct jid	 j;
	char		 ghost[JID_HOST_MAX + 1];
	enum db_status	 s;
	int		 removed;

	if (srg_member_args(c, &j, ghost) == -1)
		return -1;
	if ((s = srg_user_del(ghost, c->arg[2].s, j.host, j.local,
	    &removed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

/*
 * --- vCards (mod_admin_extra) ---------------------------------------------
 *
 * FN and NICKNAME are the profile's display name and PHOTO (PHOTO/EXTVAL)
 * its avatar URL, so a vCard change shows in every front door.
 */

#define VCARD_VALUE_MAX	8192

static int
vcard_names(struct admin_call *c, size_t in, size_t isub)
{
	const char	*p;
	size_t		 i;

	for (i = in; i <= isub; i++) {
		p = c->arg[i].s;
		if (c->arg[i].len > 64 || (i == in && c->arg[i].len == 0) ||
		    (c->arg[i].len > 0 && !(*p >= 'A' && *p <= 'Z')) ||
		    strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") !=
		    c->arg[i].len)
			return admin_fail(c, "bad_request", 400, 0,
			    "vCard names are upper-case letters, digits and -");
	}
	return 0;
}

static int
vcard_read(struct admin_call *c, const char *sub, int multi)
{
	struct user	 u;
	enum db_status	 s;
	json_object	*l;
	int		 any;

	if (arg_user(c, &u) == -1 || vcard_names(c, 2, 2) == -1 ||
	    (sub != c->arg[2].s && *sub != '\0' &&
	    vcard_names(c, 3, 3) == -1))
		return -1;
	l = json_object_new_array();
	if ((s = vcard_get(u.id, c->arg[2].s, sub, add_str, l, &any)) !=
	    DB_OK) {
		json_object_put(l);
		return admin_dbfail(c, db_http_status(s));
	}
	if (!any || json_object_array_length(l) == 0) {
		json_object_put(l);
		return admin_fail(c, "bad_request", 400, 0, "%s",
		    !any ? "error_no_vcard_found" :
		    "error_no_value_found_in_vcard");
	}
	if (multi)
		c->res = l;
	else {
		c->res = json_object_get(json_object_array_get_idx(l, 0));
		json_object_put(l);
	}
	return 0;
}

static int
cmd_get_vcard(struct admin_call *c)
{
	return vcard_read(c, "", 0);
}

static int
cmd_get_vcard2(struct admin_call *c)
{
	return vcard_read(c, c->arg[3].s, 0);
}

static int
cmd_get_vcard2_multi(struct admin_call *c)
{
	return vcard_read(c, c->arg[3].s, 1);
}

/* values: the NUL-free strings to store; checked against the profile. */
static int
vcard_write(struct admin_call *c, const char *sub, const char *const *v,
    size_t n)
{
	struct user	 u;
	enum db_status	 s;
	char		*arr;
	size_t		 i;

	if (arg_user(c, &u) == -1 || vcard_names(c, 2, 2) == -1 ||
	    (*sub != '\0' && vcard_names(c, 3, 3) == -1))
		return -1;
	for (i = 0; i < n; i++)
		if (strlen(v[i]) > VCARD_VALUE_MAX)
			return admin_fail(c, "bad_request", 400, 0,
			    "a vCard value is at most %d bytes",
			    VCARD_VALUE_MAX);
	switch (vcard_field(c->arg[2].s, sub)) {
	case VCARD_NAME:
		if (n > 0 && (strlen(v[0]) > PROFILE_NAME_MAX ||
		    !text_ok(v[0])))
			return admin_fail(c, "bad_request", 400, 0,
			    "a display name is at most %d bytes of printable "
			    "text", PROFILE_NAME_MAX);
		break;
	case VCARD_PHOTO:
		if (n > 0 && *v[0] != '\0' && (strlen(v[0]) >
		    PROFILE_AVATAR_MAX || !url_ok(v[0])))
			return admin_fail(c, "bad_request", 400, 0,
			    "PHOTO is the avatar: a URL such as mxc://server/id");
		break;
	default:
		break;
	}
	arr = blocks_array(v, n);
	s = vcard_set(u.id, c->arg[2].s, sub, arr);
	free(arr);
	if (s != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

static int
cmd_set_vcard(struct admin_call *c)
{
	const char	*v[] = { c->arg[3].s };

	return vcard_write(c, "", v, 1);
}

static int
cmd_set_vcard2(struct admin_call *c)
{
	const char	*v[] = { c->arg[4].s };

	return vcard_write(c, c->arg[3].s, v, 1);
}

static int
cmd_set_vcard2_multi(struct admin_call *c)
{
	json_object	*l = c->arg[4].list;
	const char	**v;
	size_t		 i, n = json_object_array_length(l);
	int		 rc;

	v = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		v[i] = json_object_get_string(json_object_array_get_idx(l, i));
	rc = vcard_write(c, c->arg[3].s, v, n);
	free(v);
	return rc;
}

/*
 * --- archive retention (mod_mam, mod_offline) -----------------------------
 *
 * chatrest keeps one archive per conversation; an "offline" message is
 * one its recipient has not been seen since.
 */

static int
cmd_delete_old_messages(struct admin_call *c)
{
	enum db_status	 s;
	long		 n;

	if (arg_days(c, 0) == -1)
		return -1;
	if ((s = messages_delete_offline(c->arg[0].i, &n)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

static int
cmd_delete_old_mam_messages(struct admin_call *c)
{
	const char	*t = c->arg[0].s;
	enum db_status	 s;
	long		 dropped, deleted;
	int		 chat, room;

	chat = strcmp(t, "all") == 0 || strcmp(t, "chat") == 0;
	room = strcmp(t, "all") == 0 || strcmp(t, "groupchat") == 0;
	if (!chat && !room)
		return admin_fail(c, "bad_request", 400, 0,
		    "type is all, chat or groupchat");
	if (arg_days(c, 1) == -1)
		return -1;
	if ((s = messages_delete_old(chat, room, c->arg[1].i, &dropped,
	    &deleted)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	log_info("archive retention: %ld months dropped, %ld rows deleted",
	    dropped, deleted);
	c->rescode = 0;
	return 0;
}

static int
cmd_get_offline_count(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;
	long		 n;

	if (arg_user(c, &u) == -1)
		return -1;
	if ((s = messages_offline_count(&u, &n)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->res = json_object_new_int64(n);
	return 0;
}

#define USER	{ "user", A_STRING, 0, "localpart of the account" }
#define HOST	{ "host", A_STRING, 0, "one of [server] hosts" }
#define ROOM	{ "name", A_STRING, 0, "the room id (its JID's localpart)" }
#define SERVICE	{ "service", A_STRING, 0, "the MUC domain of its host" }
#define MEDIUM	{ "medium", A_STRING, 0, "email or msisdn" }
#define ADDRESS	{ "address", A_STRING, 0, "an email, or an msisdn's digits" }
#define ROLE	{ "role", A_STRING, 0, "a role name" }
#define DAYS	{ "days", A_INTEGER, 0, "1 to 36500" }
#define GROUP	{ "group", A_STRING, 0, "the group's id" }
#define VNAME	{ "name", A_STRING, 0, "a vCard field, e.g. FN" }
#define VSUB	{ "subname", A_STRING, 0, "its subfield, e.g. FAMILY" }

const struct admin_cmd admin_commands[] = {
	{ "add_contact", cmd_add_contact, C_STATE, R_RESCODE, NULL,
	    "add a contact to an account's roster, with no subscription",
	    { USER, HOST, { "contact", A_STRING, 0, "a bare JID" } } },
	{ "add_role", cmd_add_role, C_STATE, R_RESCODE, NULL,
	    "give an account a role (the identity backend's roles)",
	    { USER, HOST, ROLE } },
	{ "add_rosteritem", cmd_add_rosteritem, C_STATE, R_RESCODE, NULL,
	    "set a contact of an account: nick, group, subscription",
	    { { "localuser", A_STRING, 0, "the account's localpart" },
	      { "localhost", A_STRING, 0, "the account's host" },
	      { "user", A_STRING, 0, "the contact's localpart" },
	      { "host", A_STRING, 0, "the contact's host" },
	      { "nick", A_STRING, 0, "a nickname for it" },
	      { "group", A_STRING, 0, "a group for it" },
	      { "subs", A_STRING, 0, "none, from, to or both" } } },
	{ "add_threepid", cmd_add_threepid, C_STATE, R_RESCODE, NULL,
	    "give an account a third-party ID (one owner per address)",
	    { USER, HOST, MEDIUM, ADDRESS } },
	{ "audit_log", cmd_audit_log, 0, R_TUPLES, NULL,
	    "newest entries of the audit trail, newest first",
	    { { "count", A_INTEGER, A_OPTIONAL, "how many (1-1000, 20)" } } },
	{ "auth_failures", cmd_auth_failures, 0, R_TUPLES, NULL,
	    "the guessing-limit counters: kind, subject, failures, wait",
	    { { NULL, 0, 0, NULL } } },
	{ "ban_account", cmd_ban_account, C_STATE, R_RESCODE, NULL,
	    "disable an account: it can no longer authenticate anywhere",
	    { USER, HOST, { "reason", A_STRING, 0, "why, kept with it" } } },
	{ "change_muc_light_room_configuration",
	    cmd_change_muc_light_room_configuration, C_STATE, R_RESCODE, NULL,
	    "rename a room and set its subject, as its owner",
	    { { "domain", A_STRING, 0, "a served host or its MUC domain" },
	      { "id", A_STRING, 0, "the room id" },
	      { "name", A_STRING, 0, "the new name" },
	      { "user", A_STRING, 0, "the acting user's bare JID" },
	      { "subject", A_STRING, 0, "the new subject" } } },
	{ "change_password", cmd_change_password, C_STATE, R_RESCODE, NULL,
	    "set an account's password",
	    { USER, HOST, { "newpass", A_PASSWORD, 0, "the new password" } } },
	{ "change_room_option", cmd_change_room_option, C_STATE, R_RESCODE,
	    NULL, "change a room's title or subject",
	    { ROOM, SERVICE, { "option", A_STRING, 0, "title or subject" },
	      { "value", A_STRING, 0, "its new value" } } },
	{ "check_account", cmd_check_account, 0, R_RESCODE, NULL,
	    "whether an account exists",
	    { USER, HOST } },
	{ "check_password", cmd_check_password, 0, R_RESCODE, NULL,
	    "whether a password is an account's (disabled: never)",
	    { USER, HOST, { "password", A_PASSWORD, 0, "to check" } } },
	{ "check_password_hash", cmd_check_password_hash, 0, R_RESCODE, NULL,
	    "whether a stored password hash is an account's",
	    { USER, HOST, { "passwordhash", A_PASSWORD, 0, "the MCF string" },
	      { "hashmethod", A_STRING, 0, "scrypt" } } },
	{ "clear_auth_failures", cmd_clear_auth_failures, C_STATE, R_RESCODE,
	    NULL, "forget the failures of an account or address (all: none)",
	    { { "subject", A_STRING, A_OPTIONAL,
	    "local@host, key:admin, key:register, key:web or an address" } } },
	{ "connected_users", cmd_connected_users, 0, R_STRINGS, NULL,
	    "accounts seen within the [presence] window",
	    { { NULL, 0, 0, NULL } } },
	{ "connected_users_info", cmd_connected_users_info, 0, R_TUPLES, NULL,
	    "every session: jid, connection, ip, port, priority, node, "
	    "uptime, status, resource, statustext",
	    { { NULL, 0, 0, NULL } } },
	{ "connected_users_number", cmd_connected_users_number, 0, R_INTEGER,
	    "num_sessions",
	    "how many accounts were seen within the [presence] window",
	    { { NULL, 0, 0, NULL } } },
	{ "connected_users_vhost", cmd_connected_users_vhost, 0, R_STRINGS,
	    NULL, "the full JIDs of a host's sessions",
	    { HOST } },
	{ "contact_subscription", cmd_contact_subscription, C_STATE,
	    R_RESCODE, NULL,
	    "ask a contact for its presence, or grant its pending request",
	    { USER, HOST, { "contact", A_STRING, 0, "a bare JID" },
	      { "action", A_STRING, 0, "subscribe or subscribed" } } },
	{ "create_muc_light_room", cmd_create_muc_light_room, C_STATE,
	    R_STRING, "room",
	    "create a room owned by an account; its JID (id: random if empty)",
	    { { "domain", A_STRING, 0, "one of [server] hosts" },
	      { "name", A_STRING, 0, "the room's name" },
	      { "owner", A_STRING, 0, "the owner's bare JID" },
	      { "subject", A_STRING, 0, "the room's subject" },
	      { "id", A_STRING, A_OPTIONAL, "its JID's localpart" } } },
	{ "create_muc_room", cmd_create_muc_room, C_STATE, R_STRING, "room",
	    "create a room named by its id, owned by an account",
	    { HOST, { "name", A_STRING, 0, "the room id" },
	      { "owner", A_STRING, 0, "the owner's bare JID" },
	      { "nick", A_STRING, 0, "accepted, not kept" } } },
	{ "create_room", cmd_create_room, C_STATE, R_RESCODE, NULL,
	    "create an empty room, with no owner and no members",
	    { ROOM, SERVICE, HOST } },
	{ "create_room_with_opts", cmd_create_room_with_opts, C_STATE,
	    R_RESCODE, NULL, "create an empty room with options",
	    { ROOM, SERVICE, HOST, { "options", A_PAIRS, 0,
	      "title:..,subject:.." } } },
	{ "delete_contact", cmd_delete_contact, C_STATE, R_RESCODE, NULL,
	    "remove a contact from a roster, cancelling its subscriptions",
	    { USER, HOST, { "contact", A_STRING, 0, "a bare JID" } } },
	{ "delete_muc_light_room", cmd_delete_muc_light_room, C_STATE,
	    R_RESCODE, NULL,
	    "destroy the owner's room of this name",
	    { { "domain", A_STRING, 0, "in the room's MUC domain" },
	      { "name", A_STRING, 0, "the room's name" },
	      { "owner", A_STRING, 0, "the owner's bare JID" } } },
	{ "delete_old_mam_messages", cmd_delete_old_mam_messages, C_STATE,
	    R_RESCODE, NULL, "delete archived messages older than days",
	    { { "type", A_STRING, 0, "all, chat or groupchat" }, DAYS } },
	{ "delete_old_messages", cmd_delete_old_messages, C_STATE, R_RESCODE,
	    NULL, "delete unread one-to-one messages older than days",
	    { DAYS } },
	{ "delete_old_users", cmd_delete_old_users, C_STATE, R_RESTUPLE, NULL,
	    "delete the accounts inactive for days",
	    { DAYS } },
	{ "delete_old_users_vhost", cmd_delete_old_users_vhost, C_STATE,
	    R_RESTUPLE, NULL, "delete a host's accounts inactive for days",
	    { HOST, DAYS } },
	{ "delete_rosteritem", cmd_delete_rosteritem, C_STATE, R_RESCODE, NULL,
	    "remove a contact of an account",
	    { { "localuser", A_STRING, 0, "the account's localpart" },
	      { "localhost", A_STRING, 0, "the account's host" },
	      { "user", A_STRING, 0, "the contact's localpart" },
	      { "host", A_STRING, 0, "the contact's host" } } },
	{ "destroy_room", cmd_destroy_room, C_STATE, R_RESCODE, NULL,
	    "destroy a room, its members and its archive",
	    { ROOM, SERVICE } },
	{ "get_ban_details", cmd_get_ban_details, 0, R_TUPLES, NULL,
	    "why and when an account was banned: name, value",
	    { USER, HOST } },
	{ "get_blocklist", cmd_get_blocklist, 0, R_STRINGS, NULL,
	    "the addresses an account blocks, local@host, sorted",
	    { USER, HOST } },
	{ "get_last", cmd_get_last, 0, R_TUPLE, NULL,
	    "an account's last activity: timestamp, status",
	    { USER, HOST } },
	{ "get_last_messages", cmd_get_last_messages, 0, R_TUPLES, NULL,
	    "an account's newest archived messages, oldest first",
	    { USER, HOST,
	      { "with", A_STRING, A_OPTIONAL, "only with this JID (\"\": all)" },
	      { "limit", A_INTEGER, A_OPTIONAL, "how many (0-500, 100)" },
	      { "before", A_INTEGER, A_OPTIONAL,
	      "at or before, seconds since the epoch (0: now)" } } },
	{ "get_loglevel", cmd_get_loglevel, 0, R_STRING, "levelatom",
	    "the log level of chatrest.conf",
	    { { NULL, 0, 0, NULL } } },
	{ "get_offline_count", cmd_get_offline_count, 0, R_INTEGER, "value",
	    "messages an account received since it was last seen",
	    { USER, HOST } },
	{ "get_presence", cmd_get_presence, 0, R_TUPLE, NULL,
	    "an account's presence: jid, show, status",
	    { USER, HOST } },
	{ "get_room_affiliation", cmd_get_room_affiliation, 0, R_STRING,
	    "affiliation", "a user's affiliation with a room",
	    { ROOM, SERVICE, { "jid", A_STRING, 0, "the user's JID" } } },
	{ "get_room_affiliations", cmd_get_room_affiliations, 0, R_TUPLES,
	    NULL, "a room's affiliations: username, domain, affiliation, "
	    "reason",
	    { ROOM, SERVICE } },
	{ "get_room_occupants", cmd_get_room_occupants, 0, R_TUPLES, NULL,
	    "a room's members: jid, nick and role",
	    { ROOM, SERVICE } },
	{ "get_room_occupants_number", cmd_get_room_occupants_number, 0,
	    R_INTEGER, "occupants", "how many members a room has",
	    { ROOM, SERVICE } },
	{ "get_room_options", cmd_get_room_options, 0, R_TUPLES, NULL,
	    "a room's options: name, value",
	    { ROOM, SERVICE } },
	{ "get_roster", cmd_get_roster, 0, R_TUPLES, NULL,
	    "an account's contacts: jid, nick, subscription, ask and group",
	    { USER, HOST } },
	{ "get_user_rooms", cmd_get_user_rooms, 0, R_STRINGS, NULL,
	    "the JIDs of the rooms an account is a member of",
	    { USER, HOST } },
	{ "get_vcard", cmd_get_vcard, 0, R_STRING, "content",
	    "a field of an account's vCard",
	    { USER, HOST, VNAME } },
	{ "get_vcard2", cmd_get_vcard2, 0, R_STRING, "content",
	    "a subfield of an account's vCard",
	    { USER, HOST, VNAME, VSUB } },
	{ "get_vcard2_multi", cmd_get_vcard2_multi, 0, R_STRINGS, NULL,
	    "every value of a subfield of an account's vCard",
	    { USER, HOST, VNAME, VSUB } },
	{ "help", cmd_help, C_TERMINAL, R_NONE, NULL,
	    "list the commands, or describe one",
	    { { "command", A_STRING, A_OPTIONAL, "a command name" } } },
	{ "incoming_s2s_number", cmd_s2s_number, 0, R_INTEGER, "s2s_incoming",
	    "incoming server-to-server connections: none",
	    { { NULL, 0, 0, NULL } } },
	{ "invite_to_muc_light_room", cmd_invite_to_muc_light_room, C_STATE,
	    R_RESCODE, NULL,
	    "as the sender (an owner), make an account a member of the room",
	    { { "domain", A_STRING, 0, "in the room's MUC domain" },
	      { "name", A_STRING, 0, "the name of one of the sender's rooms" },
	      { "sender", A_STRING, 0, "a bare JID" },
	      { "recipient", A_STRING, 0, "a bare JID" } } },
	{ "kick_from_room", cmd_kick_from_room, C_STATE, R_RESCODE, NULL,
	    "remove the member with this nick (localpart) from a room",
	    { ROOM, SERVICE, { "nick", A_STRING, 0, "the member's localpart" } } },
	{ "kick_session", cmd_kick_session, C_STATE, R_RESCODE, NULL,
	    "end an account's session of one resource",
	    { USER, HOST, { "resource", A_STRING, 0, "its resource" },
	      { "reason", A_STRING, 0, "told to the user" } } },
	{ "kick_user", cmd_kick_user, C_STATE, R_INTEGER, "num_resources",
	    "end an account's sessions; how many there were",
	    { USER, HOST } },
	{ "list_contacts", cmd_list_contacts, 0, R_TUPLES, NULL,
	    "an account's whole roster: subscription, jid, ask (none/in/out/both)",
	    { USER, HOST } },
	{ "list_roles", cmd_list_roles, 0, R_STRINGS, NULL,
	    "an account's roles, sorted",
	    { USER, HOST } },
	{ "list_threepids", cmd_list_threepids, 0, R_TUPLES, NULL,
	    "an account's third-party IDs as medium, address",
	    { USER, HOST } },
	{ "migrate", cmd_migrate, C_TERMINAL, R_NONE, NULL,
	    "apply the sql/ migrations to the database",
	    { { NULL, 0, 0, NULL } } },
	{ "muc_online_rooms", cmd_muc_online_rooms, 0, R_STRINGS, NULL,
	    "the JIDs of the rooms of a MUC service, or of all (global)",
	    { SERVICE } },
	{ "muc_online_rooms_by_regex", cmd_muc_online_rooms_by_regex, 0,
	    R_TUPLES, NULL, "rooms whose JID matches: jid, public, "
	    "participants",
	    { SERVICE, { "regex", A_STRING, 0, "a POSIX extended regex" } } },
	{ "num_active_users", cmd_num_active_users, 0, R_INTEGER, "users",
	    "how many accounts of a host were active within days",
	    { HOST, DAYS } },
	{ "num_resources", cmd_num_resources, 0, R_INTEGER, "resources",
	    "how many sessions an account has",
	    { USER, HOST } },
	{ "outgoing_s2s_number", cmd_s2s_number, 0, R_INTEGER, "s2s_outgoing",
	    "outgoing server-to-server connections: none",
	    { { NULL, 0, 0, NULL } } },
	{ "push_alltoall", cmd_push_alltoall, C_STATE, R_RESCODE, NULL,
	    "make every account of a host every other's contact",
	    { HOST, { "group", A_STRING, 0, "the contacts' group" } } },
	{ "register", cmd_register, C_STATE, R_RESTUPLE, NULL,
	    "create an account",
	    { USER, HOST, { "password", A_PASSWORD, 0, "its password" } } },
	{ "registered_users", cmd_registered_users, 0, R_STRINGS, NULL,
	    "the localparts of a host's accounts, sorted",
	    { HOST } },
	{ "registered_vhosts", cmd_registered_vhosts, 0, R_STRINGS, NULL,
	    "the hosts served",
	    { { NULL, 0, 0, NULL } } },
	{ "reload_config", cmd_reload_config, C_STATE, R_RESCODE, NULL,
	    "make every process restart and reread chatrest.conf",
	    { { NULL, 0, 0, NULL } } },
	{ "remove_role", cmd_remove_role, C_STATE, R_RESCODE, NULL,
	    "take a role from an account",
	    { USER, HOST, ROLE } },
	{ "remove_threepid", cmd_remove_threepid, C_STATE, R_RESCODE, NULL,
	    "take a third-party ID from an account",
	    { USER, HOST, MEDIUM, ADDRESS } },
	{ "resource_num", cmd_resource_num, 0, R_STRING, "resource",
	    "the resource of an account's session number num",
	    { USER, HOST, { "num", A_INTEGER, 0, "from 1" } } },
	{ "rooms_empty_destroy", cmd_rooms_empty_destroy, C_STATE, R_STRINGS,
	    NULL, "destroy the rooms without messages; their JIDs",
	    { SERVICE } },
	{ "rooms_empty_list", cmd_rooms_empty_list, 0, R_STRINGS, NULL,
	    "the JIDs of the rooms without messages",
	    { SERVICE } },
	{ "rooms_unused_destroy", cmd_rooms_unused_destroy, C_STATE,
	    R_STRINGS, NULL, "destroy the rooms unused for days; their JIDs",
	    { SERVICE, DAYS } },
	{ "rooms_unused_list", cmd_rooms_unused_list, 0, R_STRINGS, NULL,
	    "the JIDs of the rooms without a message for days",
	    { SERVICE, DAYS } },
	{ "send_direct_invitation", cmd_send_direct_invitation, C_STATE,
	    R_RESCODE, NULL, "make users members of a room",
	    { ROOM, SERVICE, { "password", A_PASSWORD, 0, "accepted, unused" },
	      { "reason", A_STRING, 0, "accepted, unused" },
	      { "users", A_STRING, 0, "JIDs separated by :" } } },
	{ "send_message", cmd_send_message, C_STATE, R_RESCODE, NULL,
	    "archive a chat message, or post a groupchat one to a room",
	    { { "type", A_STRING, 0, "chat or groupchat" },
	      { "from", A_STRING, 0, "the sender, an account here" },
	      { "to", A_STRING, 0, "a JID, or a room JID for groupchat" },
	      { "subject", A_STRING, A_PRIVATE, "accepted, not archived" },
	      { "body", A_STRING, A_PRIVATE, "the text" } } },
	{ "send_message_to_muc_light_room", cmd_send_message_to_muc_light_room,
	    C_STATE, R_RESCODE, NULL,
	    "post a message to the sender's room of this name",
	    { { "domain", A_STRING, 0, "in the room's MUC domain" },
	      { "name", A_STRING, 0, "the name of one of the sender's rooms" },
	      { "from", A_STRING, 0, "a bare JID" },
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
	{ "set_last", cmd_set_last, C_STATE, R_RESCODE, NULL,
	    "set an account's last activity",
	    { USER, HOST, { "timestamp", A_INTEGER, 0, "seconds since 1970" },
	      { "status", A_STRING, 0, "its status text" } } },
	{ "set_loglevel", cmd_set_loglevel, 0, R_RESCODE, NULL,
	    "check a log level against chatrest.conf's",
	    { { "loglevel", A_STRING, 0, "error, warning, info, debug" } } },
	{ "set_nickname", cmd_set_nickname, C_STATE, R_RESCODE, NULL,
	    "set an account's display name (empty clears it)",
	    { USER, HOST, { "nickname", A_STRING, 0, "the display name" } } },
	{ "set_presence", cmd_set_presence, C_STATE, R_RESCODE, NULL,
	    "make an account present (available) or absent (unavailable)",
	    { USER, HOST, { "resource", A_STRING, 0, "its session's resource" },
	      { "type", A_STRING, 0, "available or unavailable" },
	      { "show", A_STRING, 0, "available, away, chat, dnd or xa" },
	      { "status", A_STRING, 0, "a status text" },
	      { "priority", A_STRING, 0, "-128 to 127" } } },
	{ "set_room_affiliation", cmd_set_room_affiliation, C_STATE, R_RESCODE,
	    NULL, "make a user a room's owner or member, or neither",
	    { ROOM, SERVICE, { "jid", A_STRING, 0, "the user's JID" },
	      { "affiliation", A_STRING, 0, "owner, member or none" } } },
	{ "set_subscription", cmd_set_subscription, C_STATE, R_RESCODE, NULL,
	    "connect two contacts both ways, or remove each from the other",
	    { USER, HOST, { "contact", A_STRING, 0, "a bare JID" },
	      { "action", A_STRING, 0, "connect or disconnect" } } },
	{ "set_vcard", cmd_set_vcard, C_STATE, R_RESCODE, NULL,
	    "set a field of an account's vCard",
	    { USER, HOST, VNAME, { "content", A_STRING, 0, "its value" } } },
	{ "set_vcard2", cmd_set_vcard2, C_STATE, R_RESCODE, NULL,
	    "set a subfield of an account's vCard",
	    { USER, HOST, VNAME, VSUB, { "content", A_STRING, 0,
	      "its value" } } },
	{ "set_vcard2_multi", cmd_set_vcard2_multi, C_STATE, R_RESCODE, NULL,
	    "set every value of a subfield of an account's vCard",
	    { USER, HOST, VNAME, VSUB, { "contents", A_LIST, 0,
	      "its values" } } },
	{ "srg_create", cmd_srg_create, C_STATE, R_RESCODE, NULL,
	    "create or redefine a shared roster group",
	    { GROUP, HOST, { "label", A_STRING, 0, "its name in rosters" },
	      { "description", A_STRING, 0, "what it is" },
	      { "display", A_STRING, 0, "groups its members see, \\n between" } } },
	{ "srg_delete", cmd_srg_delete, C_STATE, R_RESCODE, NULL,
	    "delete a shared roster group",
	    { GROUP, HOST } },
	{ "srg_get_info", cmd_srg_get_info, 0, R_TUPLES, NULL,
	    "a shared roster group: key, value",
	    { GROUP, HOST } },
	{ "srg_get_members", cmd_srg_get_members, 0, R_STRINGS, NULL,
	    "the members of a shared roster group",
	    { GROUP, HOST } },
	{ "srg_list", cmd_srg_list, 0, R_STRINGS, NULL,
	    "the shared roster groups of a host",
	    { HOST } },
	{ "srg_user_add", cmd_srg_user_add, C_STATE, R_RESCODE, NULL,
	    "add an account (or @all@) to a shared roster group",
	    { USER, HOST, GROUP, { "grouphost", A_STRING, 0,
	      "the group's host" } } },
	{ "srg_user_del", cmd_srg_user_del, C_STATE, R_RESCODE, NULL,
	    "remove an account from a shared roster group",
	    { USER, HOST, GROUP, { "grouphost", A_STRING, 0,
	      "the group's host" } } },
	{ "stats", cmd_stats, 0, R_INTEGER, "stat",
	    "registeredusers, onlineusers, onlineusersnode, uptimeseconds "
	    "or processes",
	    { { "name", A_STRING, 0, "the statistic" } } },
	{ "stats_host", cmd_stats_host, 0, R_INTEGER, "stat",
	    "registeredusers or onlineusers of a host",
	    { { "name", A_STRING, 0, "the statistic" }, HOST } },
	{ "status", cmd_status, 0, R_RESTUPLE, NULL,
	    "whether chatrest and its database are up; in the shell, "
	    "version, config, hosts, database and schema first",
	    { { NULL, 0, 0, NULL } } },
	{ "unban_account", cmd_unban_account, C_STATE, R_RESCODE, NULL,
	    "enable an account disabled by ban_account",
	    { USER, HOST } },
	{ "unregister", cmd_unregister, C_STATE, R_RESTUPLE, NULL,
	    "delete an account and everything it owns",
	    { USER, HOST } },
	{ "user_resources", cmd_user_resources, 0, R_STRINGS, NULL,
	    "the resources of an account's sessions",
	    { USER, HOST } },
	{ "user_sessions_info", cmd_user_sessions_info, 0, R_TUPLES, NULL,
	    "an account's sessions, as connected_users_info without jid",
	    { USER, HOST } },
};

const size_t admin_ncommands = sizeof(admin_commands) /
    sizeof(admin_commands[0]);

/* ejabberd 23.01's args_rename: older names still accepted by name. */
const struct admin_rename admin_renames[] = {
	{ "add_rosteritem", "localserver", "localhost" },
	{ "add_rosteritem", "server", "host" },
	{ "delete_rosteritem", "localserver", "localhost" },
	{ "delete_rosteritem", "server", "host" },
	{ "get_offline_count", "server", "host" },
	{ "get_presence", "server", "host" },
	{ "get_roster", "server", "host" },
	{ "muc_online_rooms", "host", "service" },
	{ "muc_online_rooms_by_regex", "host", "service" },
	{ "rooms_empty_destroy", "host", "service" },
	{ "rooms_empty_list", "host", "service" },
	{ "rooms_unused_destroy", "host", "service" },
	{ "rooms_unused_list", "host", "service" },
	{ "srg_create", "name", "label" },
};

const size_t admin_nrenames = sizeof(admin_renames) /
    sizeof(admin_renames[0]);
