/*
 * admin-mongoose: MongooseIM's backend REST API (3.x mongoose_api_admin)
 * as rows of lib/wire/mongoose.c, and the admin commands it needs that have no
 * ejabberd counterpart: the archive read, roster subscriptions, and the
 * MUC Light rooms that are found by their name in the acting user's list.
 * The commands are ordinary rows of admin_commands[] (admin-commands.c),
 * so the shell and ejabberd's encodings reach them too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin-mongoose.h"
#include "jid.h"
#include "log.h"
#include "messages.h"
#include "rooms.h"
#include "roster.h"
#include "users.h"
#include "util.h"

#define JID_STR_MAX	(JID_LOCAL_MAX + 1 + JID_HOST_MAX + 1)
#define LIMIT_DEFAULT	100
#define LIMIT_MAX	500
#define BEFORE_NONE	0x7fffffffffffffffLL
#define TEXT_MAX	1024

static int
unknown_user(struct admin_call *c)
{
	return admin_fail(c, "unknown_user", 404, 0, "unknown_user");
}

static int
room_not_found(struct admin_call *c)
{
	return admin_fail(c, "room_not_found", 404, 0, "room_not_found");
}

/* A bare or full JID; the resource is dropped.  0, or -1. */
static int
bare_jid(const char *s, struct jid *j)
{
	size_t	 n = strcspn(s, "/");

	if (s[n] == '/' && s[n + 1] == '\0')
		return -1;
	return jid_parse(s, n, j);
}

/* The account of a JID argument, which must exist here. */
static int
jid_user(struct admin_call *c, const char *s, struct user *u)
{
	struct jid	 j;
	enum db_status	 st;
	int		 found = 0;

	if (bare_jid(s, &j) == 0 && config_host_served(c->cfg, j.host) &&
	    (st = users_get(j.host, j.local, u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(st));
	return found ? 0 : unknown_user(c);
}

/* The account named by arguments 0 (localpart) and 1 (host). */
static int
arg_user(struct admin_call *c, struct user *u)
{
	struct jid	 j;
	enum db_status	 st;
	int		 found = 0;

	if (jid_localpart(c->arg[0].s, c->arg[0].len, j.local) == 0 &&
	    jid_host(c->arg[1].s, c->arg[1].len, j.host) == 0 &&
	    config_host_served(c->cfg, j.host) &&
	    (st = users_get(j.host, j.local, u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(st));
	return found ? 0 : unknown_user(c);
}

/* Room names and subjects: printable text of at most TEXT_MAX bytes. */
static int
text_arg(struct admin_call *c, size_t i)
{
	const char	*p;

	if (c->arg[i].len > TEXT_MAX)
		goto bad;
	for (p = c->arg[i].s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			goto bad;
	return 0;
bad:
	return admin_fail(c, "bad_request", 400, 0,
	    "%s is at most %d bytes of printable text", c->cmd->args[i].name,
	    TEXT_MAX);
}

/* --- the archive -------------------------------------------------------- */

/* As upstream: keys timestamp, sender, message_id, body; seconds. */
static void
add_archived(void *ctx, const struct chat_item *it)
{
	json_object	*t = json_object_new_object();
	char		 s[JID_STR_MAX];

	(void)snprintf(s, sizeof(s), "%s@%s", it->from_local, it->from_host);
	json_object_object_add(t, "timestamp",
	    json_object_new_int64((it->ts_ms + 500) / 1000));
	json_object_object_add(t, "sender", json_object_new_string(s));
	json_object_object_add(t, "message_id",
	    json_object_new_string(it->mid));
	json_object_object_add(t, "body", json_object_new_string(it->body));
	json_object_array_add(ctx, t);
}

/*
 * The newest limit messages of an account's archive at or before a time
 * (seconds; 0 for none), oldest first, optionally with one contact.
 */
int
cmd_get_last_messages(struct admin_call *c)
{
	struct user	 u;
	struct jid	 with;
	long long	 limit = c->arg[3].set ? c->arg[3].i : LIMIT_DEFAULT;
	long long	 before = c->arg[4].set ? c->arg[4].i : 0;
	enum db_status	 s;
	int		 filter = c->arg[2].set && c->arg[2].len > 0;

	if (limit < 0 || limit > LIMIT_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "limit must be between 0 and %d", LIMIT_MAX);
	if (before < 0 || before > 9000000000000LL)
		return admin_fail(c, "bad_request", 400, 0,
		    "before is seconds since the epoch, or 0 for now");
	if (filter && bare_jid(c->arg[2].s, &with) == -1)
		return admin_fail(c, "bad_request", 400, 0, "invalid jid: with");
	if (arg_user(c, &u) == -1)
		return -1;
	c->res = json_object_new_array();
	if ((s = messages_history(&u, filter ? &with : NULL,
	    before == 0 ? BEFORE_NONE : before * 1000000, (long)limit,
	    add_archived, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/* --- rosters -------------------------------------------------------------- */

/* The contact: 0 with *local set (and u filled if so), or -1. */
static int
contact_of(struct admin_call *c, const char *s, struct jid *j,
    struct user *u, int *local)
{
	enum db_status	 st;

	*local = 0;
	if (bare_jid(s, j) == -1)
		return admin_fail(c, "bad_request", 400, 0, "invalid jid: %s",
		    c->cmd->args[2].name);
	if (config_host_served(c->cfg, j->host) &&
	    (st = users_get(j->host, j->local, u, local)) != DB_OK)
		return admin_dbfail(c, db_http_status(st));
	return 0;
}

static void
self_jid(const struct user *u, struct jid *j)
{
	(void)snprintf(j->local, sizeof(j->local), "%s", u->local);
	(void)snprintf(j->host, sizeof(j->host), "%s", u->host);
}

/* As upstream: subscription, jid, ask (none, in, out or both). */
static void
add_contact_item(void *ctx, const struct roster_item *it)
{
	json_object	*t = json_object_new_object();
	char		 s[JID_STR_MAX];

	(void)snprintf(s, sizeof(s), "%s@%s", it->local, it->host);
	json_object_object_add(t, "subscription",
	    json_object_new_string(roster_subscription(&it->st)));
	json_object_object_add(t, "jid", json_object_new_string(s));
	json_object_object_add(t, "ask",
	    json_object_new_string(roster_ask(&it->st)));
	json_object_array_add(ctx, t);
}

/* The whole roster, pending requests both ways included. */
int
cmd_list_contacts(struct admin_call *c)
{
	struct user	 u;
	enum db_status	 s;

	if (arg_user(c, &u) == -1)
		return -1;
	c->res = json_object_new_array();
	if ((s = roster_list(u.id, add_contact_item, c->res)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/*
 * A contact with no subscription; an existing one is kept as it is.  As
 * upstream, a contact that is no JID is no change and no error.
 */
int
cmd_add_contact(struct admin_call *c)
{
	struct user	 u;
	struct jid	 j;
	enum db_status	 s;

	if (arg_user(c, &u) == -1)
		return -1;
	c->rescode = 0;
	if (bare_jid(c->arg[2].s, &j) == -1)
		return 0;
	if ((s = roster_add(u.id, &j)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/*
 * subscribe: the account asks the contact (its item: ask out; the
 * contact's, when a user here: ask in).  subscribed: the account grants
 * the contact's pending request (its item: from; the contact's: to).
 * The contact side changes as XMPP presence handling would change it.
 */
int
cmd_contact_subscription(struct admin_call *c)
{
	struct roster_state	 mine, theirs;
	struct user		 u, v;
	struct jid		 j, self;
	enum db_status		 s;
	int			 subscribe, local, found;

	if (strcmp(c->arg[3].s, "subscribe") == 0)
		subscribe = 1;
	else if (strcmp(c->arg[3].s, "subscribed") == 0)
		subscribe = 0;
	else
		return admin_fail(c, "bad_request", 400, 0,
		    "invalid action: subscribe or subscribed");
	if (arg_user(c, &u) == -1 ||
	    contact_of(c, c->arg[2].s, &j, &v, &local) == -1)
		return -1;
	c->rescode = 0;
	self_jid(&u, &self);
	if (local && (s = roster_lock_pair(u.id, v.id)) != DB_OK)
		goto dbfail;
	if ((s = roster_get(u.id, &j, &mine, &found)) != DB_OK)
		goto dbfail;
	if (subscribe) {
		if (!mine.sub_to && !mine.ask_out) {
			mine.ask_out = 1;
			if ((s = roster_put(u.id, &j, &mine)) != DB_OK)
				goto dbfail;
		}
	} else {
		if (!mine.ask_in)
			return 0;	/* nothing asked: nothing to grant */
		mine.ask_in = 0;
		mine.sub_from = 1;
		if ((s = roster_put(u.id, &j, &mine)) != DB_OK)
			goto dbfail;
	}
	if (!local)
		return 0;
	if ((s = roster_get(v.id, &self, &theirs, &found)) != DB_OK)
		goto dbfail;
	if (subscribe) {
		if (theirs.sub_from || theirs.ask_in)
			return 0;
		theirs.ask_in = 1;
	} else {
		if (!found || !theirs.ask_out)
			return 0;
		theirs.ask_out = 0;
		theirs.sub_to = 1;
	}
	if ((s = roster_put(v.id, &self, &theirs)) != DB_OK)
		goto dbfail;
	return 0;
dbfail:
	return admin_dbfail(c, db_http_status(s));
}

/*
 * Remove a contact from the account's roster; a subscription either way
 * is cancelled, so the contact's item for the account (a user here)
 * drops to none, as the unsubscribe and unsubscribed presences that
 * follow a removal leave it.  A contact not there is no change.
 */
int
cmd_delete_contact(struct admin_call *c)
{
	struct roster_state	 none = { 0, 0, 0, 0 }, theirs;
	struct user		 u, v;
	struct jid		 j, self;
	enum db_status		 s;
	int			 local, removed, found;

	if (arg_user(c, &u) == -1 ||
	    contact_of(c, c->arg[2].s, &j, &v, &local) == -1)
		return -1;
	c->rescode = 0;
	self_jid(&u, &self);
	if (local && (s = roster_lock_pair(u.id, v.id)) != DB_OK)
		goto dbfail;
	if ((s = roster_remove(u.id, &j, &removed)) != DB_OK)
		goto dbfail;
	if (!removed || !local)
		return 0;
	if ((s = roster_get(v.id, &self, &theirs, &found)) != DB_OK)
		goto dbfail;
	if (found && (s = roster_put(v.id, &self, &none)) != DB_OK)
		goto dbfail;
	return 0;
dbfail:
	return admin_dbfail(c, db_http_status(s));
}

/*
 * connect: each is in the other's roster with a mutual subscription;
 * disconnect: neither is in the other's.  A contact who is no user here
 * only changes the account's side.
 */
int
cmd_set_subscription(struct admin_call *c)
{
	struct roster_state	 both = { 1, 1, 0, 0 };
	struct user		 u, v;
	struct jid		 j, self;
	enum db_status		 s;
	int			 connect, local, removed;

	if (strcmp(c->arg[3].s, "connect") == 0)
		connect = 1;
	else if (strcmp(c->arg[3].s, "disconnect") == 0)
		connect = 0;
	else
		return admin_fail(c, "bad_request", 400, 0,
		    "invalid action: connect or disconnect");
	if (arg_user(c, &u) == -1 ||
	    contact_of(c, c->arg[2].s, &j, &v, &local) == -1)
		return -1;
	c->rescode = 0;
	self_jid(&u, &self);
	if (local && (s = roster_lock_pair(u.id, v.id)) != DB_OK)
		goto dbfail;
	if (connect) {
		if ((s = roster_put(u.id, &j, &both)) != DB_OK ||
		    (local && (s = roster_put(v.id, &self, &both)) != DB_OK))
			goto dbfail;
		return 0;
	}
	if ((s = roster_remove(u.id, &j, &removed)) != DB_OK ||
	    (local && (s = roster_remove(v.id, &self, &removed)) != DB_OK))
		goto dbfail;
	return 0;
dbfail:
	return admin_dbfail(c, db_http_status(s));
}

/* --- rooms ---------------------------------------------------------------- */

/*
 * A room JID's localpart: the id given (lower-cased), or a new random
 * one.  The room is on the MUC domain of the served host domain.
 */
static int
create_room(struct admin_call *c, const char *hostarg, size_t iname,
    size_t iowner, const char *subject, const char *id, char *jid_out,
    size_t sz)
{
	struct user	 owner;
	char		 host[JID_HOST_MAX + 1], rid[ROOMS_RID_MAX + 1];
	char		 dom[JID_HOST_MAX + 1];
	enum db_status	 s;
	int		 created = 0, tries;

	if (jid_host(hostarg, strlen(hostarg), host) == -1 ||
	    !config_host_served(c->cfg, host))
		return admin_fail(c, "unknown_host", 400, 0,
		    "Unknown virtual host");
	if (text_arg(c, iname) == -1 || jid_user(c, c->arg[iowner].s,
	    &owner) == -1)
		return -1;
	if (strlen(subject) > TEXT_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "subject is longer than %d bytes", TEXT_MAX);
	if (id != NULL && jid_localpart(id, strlen(id), rid) == -1)
		return admin_fail(c, "bad_request", 400, 0,
		    "Invalid room name");
	for (tries = 0; tries < 3 && !created; tries++) {
		if (id == NULL)
			rooms_new_rid(rid);
		if ((s = rooms_create(host, rid, c->arg[iname].s, subject,
		    &owner, &created)) != DB_OK)
			return admin_dbfail(c, db_http_status(s));
		if (id != NULL)
			break;
	}
	if (!created)
		return admin_fail(c, "room_exists", 409, 0,
		    "Room already exists");
	config_muc_domain(c->cfg, host, dom, sizeof(dom));
	(void)snprintf(jid_out, sz, "%s@%s", rid, dom);
	log_info("room %s created for %s@%s", jid_out, owner.local,
	    owner.host);
	return 0;
}

/* MongooseIM's MUC room: its name is its id; the owner owns it. */
int
cmd_create_muc_room(struct admin_call *c)
{
	char	 jid[JID_STR_MAX];

	if (c->arg[3].len > TEXT_MAX)
		return admin_fail(c, "bad_request", 400, 0,
		    "nick is longer than %d bytes", TEXT_MAX);
	if (create_room(c, c->arg[0].s, 1, 2, "", c->arg[1].s, jid,
	    sizeof(jid)) == -1)
		return -1;
	c->res = json_object_new_string(c->arg[1].s);
	return 0;
}

/* A MUC Light room, with the id given or a new one: its JID. */
int
cmd_create_muc_light_room(struct admin_call *c)
{
	char	 jid[JID_STR_MAX];

	if (text_arg(c, 3) == -1)
		return -1;
	if (create_room(c, c->arg[0].s, 1, 2, c->arg[3].s,
	    c->arg[4].set && c->arg[4].len > 0 ? c->arg[4].s : NULL, jid,
	    sizeof(jid)) == -1)
		return -1;
	c->res = json_object_new_string(jid);
	return 0;
}

struct by_name {
	const char	*name;
	char		 rid[ROOMS_RID_MAX + 1];
	int		 found;
};

static void
pick_by_name(void *ctx, const struct room_summary *rs)
{
	struct by_name	*b = ctx;

	if (!b->found && strcmp(rs->name, b->name) == 0) {
		(void)snprintf(b->rid, sizeof(b->rid), "%s", rs->rid);
		b->found = 1;
	}
}

/*
 * As upstream: the first of the user's rooms with this configured name,
 * on a MUC domain that contains domain; locked for the change to come.
 */
static int
room_by_name(struct admin_call *c, const struct user *u, const char *domain,
    const char *name, struct room *room)
{
	struct by_name	 b;
	char		 dom[JID_HOST_MAX + 1];
	enum db_status	 s;
	int		 found = 0;

	memset(&b, 0, sizeof(b));
	b.name = name;
	config_muc_domain(c->cfg, u->host, dom, sizeof(dom));
	if (*domain == '\0' || strstr(dom, domain) == NULL)
		return room_not_found(c);
	if ((s = rooms_list(u, pick_by_name, &b)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (b.found && (s = rooms_find(u->host, b.rid, u, 1, room, &found)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	return found ? 0 : room_not_found(c);
}

/*
 * The sender makes the recipient a member.  As MUC Light's default
 * configuration, only an owner may: from anyone else, and for a
 * recipient who is no user here, nothing happens and nothing fails.
 */
int
cmd_invite_to_muc_light_room(struct admin_call *c)
{
	struct user	 from, to;
	struct room	 room;
	enum rooms_aff	 aff;
	enum db_status	 s;

	if (jid_user(c, c->arg[2].s, &from) == -1 ||
	    room_by_name(c, &from, c->arg[0].s, c->arg[1].s, &room) == -1)
		return -1;
	c->rescode = 0;
	if (room.aff != ROOMS_OWNER || jid_user(c, c->arg[3].s, &to) == -1)
		return 0;
	if ((s = rooms_member_aff(&room, &to, &aff)) != DB_OK ||
	    (aff == ROOMS_NONE &&
	    ((s = rooms_member_set(&room, &to, ROOMS_MEMBER)) != DB_OK ||
	    (s = rooms_note_aff(&room, to.host, to.local, ROOMS_MEMBER)) !=
	    DB_OK)))
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

int
cmd_send_message_to_muc_light_room(struct admin_call *c)
{
	struct user	 from;
	struct room	 room;
	char		 mid[MESSAGES_ID_LEN + 1];
	enum db_status	 s;

	if (jid_user(c, c->arg[2].s, &from) == -1 ||
	    room_by_name(c, &from, c->arg[0].s, c->arg[1].s, &room) == -1)
		return -1;
	if ((s = rooms_post(&room, &from, c->arg[3].s, 0, NULL, NULL, mid)) !=
	    DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (mid[0] == '\0')
		return admin_fail(c, "not_member", 400, 0,
		    "The sender is not a member of the room");
	c->rescode = 0;
	return 0;
}

/*
 * Rename a room and set its subject, as one of its users: an owner, or a
 * member when [client] all_can_configure is set.  The room is named by
 * its id on the MUC domain of domain (a served host or its MUC domain).
 */
int
cmd_change_muc_light_room_configuration(struct admin_call *c)
{
	struct user	 u;
	struct room	 room;
	char		 dom[JID_HOST_MAX + 1], rid[ROOMS_RID_MAX + 1];
	const char	*host = NULL;
	enum db_status	 s;
	int		 found = 0;

	if (text_arg(c, 2) == -1 || text_arg(c, 4) == -1 ||
	    jid_user(c, c->arg[3].s, &u) == -1)
		return -1;
	if (jid_host(c->arg[0].s, c->arg[0].len, dom) == 0)
		host = config_host_served(c->cfg, dom) ? dom :
		    config_muc_host(c->cfg, dom);
	if (host != NULL &&
	    jid_localpart(c->arg[1].s, c->arg[1].len, rid) == 0 &&
	    (s = rooms_find(host, rid, &u, 1, &room, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found || room.aff == ROOMS_NONE)
		return room_not_found(c);
	if (room.aff == ROOMS_MEMBER && !c->cfg->client_all_can_configure)
		return admin_fail(c, "not_allowed", 403, 0,
		    "%s@%s may not configure the room", u.local, u.host);
	if ((s = rooms_configure(&room, c->arg[2].s, c->arg[4].s)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

/* Only the room's owner destroys it. */
int
cmd_delete_muc_light_room(struct admin_call *c)
{
	struct user	 owner;
	struct room	 room;
	enum db_status	 s;
	int		 destroyed;

	if (jid_user(c, c->arg[2].s, &owner) == -1 ||
	    room_by_name(c, &owner, c->arg[0].s, c->arg[1].s, &room) == -1)
		return -1;
	if (room.aff != ROOMS_OWNER)
		return admin_fail(c, "not_allowed", 403, 0,
		    "%s@%s is not the room's owner", owner.local, owner.host);
	if ((s = rooms_destroy(&room, &destroyed)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	c->rescode = 0;
	return 0;
}

static void
count_owner(void *ctx, const struct room_member *m)
{
	if (m->aff == ROOMS_OWNER)
		(*(int *)ctx)++;
}

/*
 * Kick the occupant whose nick (here: localpart) is given: a member
 * leaves the room.  A room with no owner has no moderator to do it; an
 * owner, or a nick nobody has, is no change, as upstream's refused IQ.
 */
int
cmd_kick_from_room(struct admin_call *c)
{
	char		 rid[ROOMS_RID_MAX + 1], dom[JID_HOST_MAX + 1];
	char		 nick[JID_LOCAL_MAX + 1];
	const char	*host = NULL;
	struct room	 room;
	struct user	 u;
	enum rooms_aff	 aff;
	enum db_status	 s;
	int		 found = 0, removed, owners = 0;

	if (jid_localpart(c->arg[0].s, c->arg[0].len, rid) == 0 &&
	    jid_host(c->arg[1].s, c->arg[1].len, dom) == 0 &&
	    (host = config_muc_host(c->cfg, dom)) != NULL &&
	    (s = rooms_find(host, rid, NULL, 1, &room, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return room_not_found(c);
	if ((s = rooms_info(&room, NULL, count_owner, &owners)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (owners == 0)
		return admin_fail(c, "no_moderator", 400, 0,
		    "the room has no moderator");
	c->rescode = 0;
	if (jid_localpart(c->arg[2].s, c->arg[2].len, nick) == -1)
		return 0;
	if ((s = users_get(host, nick, &u, &found)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (!found)
		return 0;
	if ((s = rooms_member_aff(&room, &u, &aff)) != DB_OK)
		return admin_dbfail(c, db_http_status(s));
	if (aff != ROOMS_MEMBER)
		return 0;
	if ((s = rooms_member_remove(&room, &u, &removed)) != DB_OK ||
	    (removed && (s = rooms_note_aff(&room, u.host, u.local,
	    ROOMS_NONE)) != DB_OK))
		return admin_dbfail(c, db_http_status(s));
	return 0;
}

/* --- MongooseIM's rows ------------------------------------------------------ */

/* registered_users' localparts as JIDs of the host asked for. */
static json_object *
shape_jids(const struct mim_call *mc, json_object *res)
{
	json_object	*a = json_object_new_array();
	const char	*h = mim_arg(mc, "host");
	char		 host[JID_HOST_MAX + 1], s[JID_STR_MAX];
	size_t		 i, n = json_object_array_length(res);

	if (jid_host(h, strlen(h), host) == -1)
		return a;
	for (i = 0; i < n; i++) {
		(void)snprintf(s, sizeof(s), "%s@%s", json_object_get_string(
		    json_object_array_get_idx(res, i)), host);
		json_object_array_add(a, json_object_new_string(s));
	}
	return a;
}

#define B(n)		{ n, MT_BINARY, 0, MAP_ARG, n, NULL }
#define BID(n)		{ n, MT_BINARY, MA_ID, MAP_ARG, n, NULL }
#define BTO(n, to)	{ n, MT_BINARY, 0, MAP_ARG, to, NULL }
#define CALLER(f)	{ "caller", MT_BINARY, f, MAP_JID, "user", "host" }

/*
 * Upstream's 26 commands (3.7), in its order; names, categories, actions
 * and descriptions as it lists them.  fail_status 500 keeps upstream's
 * status where its failure is a 500.
 */
const struct mim_cmd mim_commands[] = {
	{ "list_methods", "commands", NULL, MIM_READ, "List commands",
	    NULL, MR_JSON, 0, NULL, mim_list_commands, { { NULL } }, { { 0 } } },
	{ "list_users", "users", NULL, MIM_READ,
	    "List registered users on this host",
	    "registered_users", MR_JSON, 0, "unknown_host", shape_jids,
	    { B("host") }, { { 0 } } },
	{ "register_user", "users", NULL, MIM_CREATE, "Register a user",
	    "register", MR_TEXT, 500, NULL, NULL,
	    { BID("host"), BTO("username", "user"), B("password") },
	    { { 0 } } },
	{ "unregister_user", "users", NULL, MIM_DELETE, "UnRegister a user",
	    "unregister", MR_OK, 0, NULL, NULL,
	    { B("host"), B("user") }, { { 0 } } },
	{ "change_password", "users", NULL, MIM_UPDATE, "Change user password",
	    "change_password", MR_OK, 0, NULL, NULL,
	    { BID("host"), BID("user"), B("newpass") }, { { 0 } } },
	{ "list_sessions", "sessions", NULL, MIM_READ, "Get session list",
	    "connected_users_vhost", MR_JSON, 0, NULL, NULL,
	    { B("host") }, { { 0 } } },
	{ "kick_user", "sessions", NULL, MIM_DELETE,
	    "Terminate user connection",
	    "kick_session", MR_OK, 0, NULL, NULL,
	    { B("host"), B("user"), BTO("res", "resource") },
	    { { "reason", "Kicked through HTTP Administration API" } } },
	{ "list_contacts", "contacts", NULL, MIM_READ, "Get roster",
	    "list_contacts", MR_JSON, 0, "unknown_user", NULL,
	    { CALLER(0) }, { { 0 } } },
	{ "add_contact", "contacts", NULL, MIM_CREATE,
	    "Add a contact to roster",
	    "add_contact", MR_OK, 0, NULL, NULL,
	    { CALLER(MA_ID), BTO("jid", "contact") }, { { 0 } } },
	{ "subscription", "contacts", NULL, MIM_UPDATE,
	    "Send out a subscription request",
	    "contact_subscription", MR_OK, 0, NULL, NULL,
	    { CALLER(MA_ID), { "jid", MT_BINARY, MA_ID, MAP_ARG, "contact",
	    NULL }, B("action") }, { { 0 } } },
	{ "set_subscription", "contacts", "manage", MIM_UPDATE,
	    "Set / unset mutual subscription",
	    "set_subscription", MR_OK, 0, NULL, NULL,
	    { CALLER(MA_ID), { "jid", MT_BINARY, MA_ID, MAP_ARG, "contact",
	    NULL }, B("action") }, { { 0 } } },
	{ "delete_contact", "contacts", NULL, MIM_DELETE,
	    "Remove a contact from roster",
	    "delete_contact", MR_OK, 0, NULL, NULL,
	    { CALLER(0), BTO("jid", "contact") }, { { 0 } } },
	/* Unusable upstream too: a DELETE's list can never be a path. */
	{ "delete_contacts", "contacts", "multiple", MIM_DELETE,
	    "Remove provided contacts from roster",
	    NULL, MR_OK, 0, NULL, NULL,
	    { B("caller"), { "jids", MT_LIST, 0, MAP_ARG, NULL, NULL } },
	    { { 0 } } },
	{ "send_message", "messages", NULL, MIM_CREATE,
	    "Send chat message from to",
	    "send_message", MR_OK, 500, NULL, NULL,
	    { BTO("caller", "from"), B("to"), B("body") },
	    { { "type", "chat" }, { "subject", "" } } },
	{ "get_last_messages_with_everybody", "messages", NULL, MIM_READ,
	    "Get n last messages from archive, optionally before a certain "
	    "date (unixtime)",
	    "get_last_messages", MR_JSON, 0, "unknown_user", NULL,
	    { CALLER(0),
	      { "before", MT_INTEGER, MA_OPT, MAP_ARG, "before", NULL },
	      { "limit", MT_INTEGER, MA_OPT, MAP_ARG, "limit", NULL } },
	    { { 0 } } },
	{ "get_last_messages", "messages", NULL, MIM_READ,
	    "Get n last messages to/from given contact, with limit and date",
	    "get_last_messages", MR_JSON, 0, "unknown_user", NULL,
	    { CALLER(0), B("with"),
	      { "before", MT_INTEGER, MA_OPT, MAP_ARG, "before", NULL },
	      { "limit", MT_INTEGER, MA_OPT, MAP_ARG, "limit", NULL } },
	    { { 0 } } },
	{ "create_muc_room", "mucs", NULL, MIM_CREATE, "Create a MUC room.",
	    "create_muc_room", MR_TEXT, 500, NULL, NULL,
	    { BID("host"), B("name"), B("owner"), B("nick") }, { { 0 } } },
	{ "invite_to_muc_room", "mucs", "participants", MIM_CREATE,
	    "Send a MUC room invite from one user to another.",
	    "send_direct_invitation", MR_OK, 0, NULL, NULL,
	    { { "host", MT_BINARY, MA_ID, MAP_MUC, "service", NULL },
	      BID("name"), { "sender", MT_BINARY, 0, MAP_ARG, NULL, NULL },
	      BTO("recipient", "users"), B("reason") },
	    { { "password", "" } } },
	{ "send_message_to_room", "mucs", "messages", MIM_CREATE,
	    "Send a message to a MUC room from a given user.",
	    "send_message", MR_OK, 0, NULL, NULL,
	    { { "host", MT_BINARY, MA_ID, MAP_ARG, NULL, NULL },
	      { "name", MT_BINARY, MA_ID, MAP_ROOM, "to", "host" },
	      B("from"), B("body") },
	    { { "type", "groupchat" }, { "subject", "" } } },
	{ "kick_user_from_room", "mucs", NULL, MIM_DELETE,
	    "Kick a user from a MUC room (on behalf of a moderator).",
	    "kick_from_room", MR_OK, 500, NULL, NULL,
	    { { "host", MT_BINARY, 0, MAP_MUC, "service", NULL }, B("name"),
	      B("nick") }, { { 0 } } },
	{ "create_muc_light_room", "muc-lights", NULL, MIM_CREATE,
	    "Create a MUC Light room with unique username part in JID.",
	    "create_muc_light_room", MR_TEXT, 500, NULL, NULL,
	    { BID("domain"), B("name"), B("owner"), B("subject") },
	    { { 0 } } },
	{ "create_identifiable_muc_light_room", "muc-lights", NULL,
	    MIM_UPDATE,
	    "Create a MUC Light room with user-provided username part in JID",
	    "create_muc_light_room", MR_TEXT, 500, NULL, NULL,
	    { BID("domain"), B("id"), B("name"), B("owner"), B("subject") },
	    { { 0 } } },
	{ "change_muc_light_room_configuration", "muc-lights", "config",
	    MIM_UPDATE, "Change configuration of MUC Light room.",
	    "change_muc_light_room_configuration", MR_OK, 500, NULL, NULL,
	    { BID("domain"), B("id"), B("name"), B("user"), B("subject") },
	    { { 0 } } },
	{ "invite_to_room", "muc-lights", "participants", MIM_CREATE,
	    "Invite to a MUC Light room.",
	    "invite_to_muc_light_room", MR_OK, 500, NULL, NULL,
	    { BID("domain"), BID("name"), B("sender"), B("recipient") },
	    { { 0 } } },
	{ "send_message_to_muc_light_room", "muc-lights", "messages",
	    MIM_CREATE, "Send a message to a MUC Light room.",
	    "send_message_to_muc_light_room", MR_OK, 500, NULL, NULL,
	    { BID("domain"), BID("name"), B("from"), B("body") },
	    { { 0 } } },
	{ "delete_room", "muc-lights", "management", MIM_DELETE,
	    "Delete a MUC Light room.",
	    "delete_muc_light_room", MR_OK, 500, NULL, NULL,
	    { B("domain"), B("name"), B("owner") }, { { 0 } } },
};

const size_t mim_ncommands = sizeof(mim_commands) / sizeof(mim_commands[0]);
