/*
 * chatrest-client: MongooseIM's client REST API (3.x) at /api/messages,
 * /api/rooms and /api/contacts.
 *
 * Every request but OPTIONS carries HTTP Basic credentials of a bare JID
 * on a served host.  Error bodies are empty, except the room-message texts
 * of the reference; 401 carries WWW-Authenticate.  CORS headers go only to
 * origins on the configured allow-list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "cors.h"
#include "jid.h"
#include "jsonio.h"
#include "log.h"
#include "messages.h"
#include "presence.h"
#include "rooms.h"
#include "roster.h"
#include "users.h"
#include "util.h"

#define JID_STR_MAX	(JID_LOCAL_MAX + 1 + JID_HOST_MAX + 1)
#define LIMIT_DEFAULT	50
#define BEFORE_DIGITS	15	/* milliseconds; times 1000 fits 63 bits */
#define BEFORE_NONE	0x7fffffffffffffffLL
#define CORS_METHODS	"GET, POST, PUT, DELETE, OPTIONS"
/*
 * A route flag of ours (the router leaves the high bits alone): every
 * statement the handler runs as the caller checks the users row itself,
 * so a cached password is taken without reading the row first.
 */
#define CL_CHECKED	(1u << 16)

static int	cl_msg_send(struct req *, struct resp *);
static int	cl_msg_list(struct req *, struct resp *);
static int	cl_room_list(struct req *, struct resp *);
static int	cl_room_create(struct req *, struct resp *);
static int	cl_room_get(struct req *, struct resp *);
static int	cl_room_put(struct req *, struct resp *);
static int	cl_room_config(struct req *, struct resp *);
static int	cl_room_invite(struct req *, struct resp *);
static int	cl_room_remove(struct req *, struct resp *);
static int	cl_room_post(struct req *, struct resp *);
static int	cl_room_history(struct req *, struct resp *);
static int	cl_contact_list(struct req *, struct resp *);
static int	cl_contact_add(struct req *, struct resp *);
static int	cl_contact_get(struct req *, struct resp *);
static int	cl_contact_put(struct req *, struct resp *);
static int	cl_contact_delete(struct req *, struct resp *);
static int	cl_contact_bulk_delete(struct req *, struct resp *);

static const struct route routes[] = {
	{ M_POST, "/api/messages", cl_msg_send, R_IDEM | CL_CHECKED },
	{ M_GET | M_HEAD, "/api/messages", cl_msg_list, CL_CHECKED },
	{ M_GET | M_HEAD, "/api/messages/:with", cl_msg_list, CL_CHECKED },
	{ M_GET | M_HEAD, "/api/rooms", cl_room_list, CL_CHECKED },
	{ M_POST, "/api/rooms", cl_room_create, R_IDEM },
	{ M_GET | M_HEAD, "/api/rooms/:id", cl_room_get, CL_CHECKED },
	{ M_PUT, "/api/rooms/:id", cl_room_put, 0 },
	{ M_PUT, "/api/rooms/:id/config", cl_room_config, 0 },
	{ M_POST, "/api/rooms/:id/users", cl_room_invite, 0 },
	{ M_DELETE, "/api/rooms/:id/users/:user", cl_room_remove, 0 },
	{ M_POST, "/api/rooms/:id/messages", cl_room_post,
	    R_IDEM | CL_CHECKED },
	{ M_GET | M_HEAD, "/api/rooms/:id/messages", cl_room_history,
	    CL_CHECKED },
	{ M_GET | M_HEAD, "/api/contacts", cl_contact_list, 0 },
	{ M_POST, "/api/contacts", cl_contact_add, 0 },
	{ M_DELETE, "/api/contacts", cl_contact_bulk_delete, 0 },
	{ M_GET | M_HEAD, "/api/contacts/:jid", cl_contact_get, 0 },
	{ M_PUT, "/api/contacts/:jid", cl_contact_put, 0 },
	{ M_DELETE, "/api/contacts/:jid", cl_contact_delete, 0 },
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

/* The authenticated caller of the request in hand (one at a time). */
static struct user	 me;
/* [client] realm of the request in hand. */
static const char	*realm = "mongooseim";

/* Empty bodies, as upstream; 204 has no body at all. */
static int
cl_error(struct resp *w, int st)
{
	struct buf	 b = { NULL, 0, 0 };

	if (st == 204)
		return st;
	resp_body(w, st, NULL, "", 0);
	if (st == 401) {
		buf_addf(&b, "Basic realm=\"%s\"", realm);
		(void)resp_header(w, "WWW-Authenticate", b.p);
		buf_free(&b);
	}
	return st;
}

static void
cl_finish(const struct req *r, struct resp *w)
{
	cors_headers(r, w, &r->cfg->client_cors, CORS_METHODS);
}

/* A 400 with one of the reference's text bodies. */
static int
cl_bad(struct resp *w, const char *text)
{
	resp_body(w, 400, "text/plain; charset=utf-8", text, strlen(text));
	return 400;
}

static int
cl_reply(struct resp *w, int st, json_object *o)
{
	resp_json(w, st, o);
	json_object_put(o);
	return st;
}

/* OPTIONS: no authentication, no effect; the path's methods in Allow. */
static int
cl_options(struct req *r, struct resp *w)
{
	const struct route	*rt;
	struct buf		 b = { NULL, 0, 0 };
	unsigned		 allow;

	if (router_match(routes, NROUTES, r, &rt, &allow) == 404)
		return 404;
	router_allow(allow | M_OPTIONS, &b);
	resp_body(w, 200, NULL, "", 0);
	(void)resp_header(w, "Allow", b.p);
	buf_free(&b);
	return 200;
}

static int
cl_prepare(struct req *r, struct resp *w)
{
	const struct route	*rt;
	unsigned		 allow;
	int			 checked;

	realm = r->cfg->client_realm;
	if (r->method == 0)
		return 0;
	if (r->method == M_OPTIONS)
		return cl_options(r, w);
	memset(&me, 0, sizeof(me));
	/* An Idempotency-Key's write runs in a transaction: read first. */
	checked = router_match(routes, NROUTES, r, &rt, &allow) == 0 &&
	    (rt->flags & CL_CHECKED) && req_header(r, "Idempotency-Key") ==
	    NULL;
	switch (checked ? auth_basic_cached(r, &me) : auth_basic(r, &me)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAIL:
		return 503;
	default:
		return 401;
	}
	/* A checked caller is seen once its row is (cl_checked). */
	if (me.check == NULL && presence_touch(r->cfg, &me) != DB_OK)
		log_warn("could not record last-seen time");
	/* Every answer is JSON: cowboy_rest's 406 comes after 401. */
	if (!req_accepts_json(r))
		return 406;
	return 0;
}

/*
 * A CL_CHECKED route.  When the caller came from the auth cache unread,
 * its statements checked the row: if one found the cached hash stale,
 * nothing was done, and the password is checked against the row before
 * the handler runs again; if none ran (the request was refused first),
 * the row is read now, so the answer never rests on a stale entry.
 */
static int
cl_checked(struct req *r, struct resp *w, route_fn fn)
{
	int	 st, stale;

	st = fn(r, w);
	if (me.check == NULL)
		return st;
	if (me.check->read && !me.check->stale) {
		me.seen_known = 1;
		me.seen_age = me.check->seen_age;
	} else {
		stale = me.check->stale;
		switch (stale ? auth_recheck(r, &me) : auth_basic(r, &me)) {
		case AUTH_OK:
			break;
		case AUTH_UNAVAIL:
			resp_reset(w);
			return 503;
		default:
			resp_reset(w);
			return 401;
		}
		if (stale) {
			resp_reset(w);
			st = fn(r, w);
		}
	}
	if (presence_touch(r->cfg, &me) != DB_OK)
		log_warn("could not record last-seen time");
	return st;
}

/* A JSON object body: 415 for another content type, 400 for the rest. */
static int
cl_body(struct req *r)
{
	if (!req_is_json(r))
		return 415;
	return req_json(r);
}

static void
add_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val));
}

static void
add_jid(json_object *o, const char *key, const char *local, const char *host)
{
	char	 s[JID_STR_MAX];

	(void)snprintf(s, sizeof(s), "%s@%s", local, host);
	add_str(o, key, s);
}

/* "local@host" with an optional "/resource", which *res then points at. */
static int
parse_jid(const char *s, struct jid *j, const char **res)
{
	size_t	 n = strcspn(s, "/");

	*res = s[n] == '/' ? s + n + 1 : NULL;
	if (*res != NULL && **res == '\0')
		return -1;
	return jid_parse(s, n, j);
}

/* A bare JID string member of the body: 0, or 400. */
static int
body_jid(struct req *r, const char *key, struct jid *j)
{
	const char	*s, *res;
	size_t		 n;

	if (jsonio_str(r->json, key, &s, &n) != JSONIO_OK ||
	    parse_jid(s, j, &res) == -1 || res != NULL)
		return 400;
	return 0;
}

/* limit (default 50, capped by the configuration) and before (ms). */
static int
paging(struct req *r, long long *before, long *limit)
{
	const char	*s;
	size_t		 i, n;
	long long	 v;

	*before = BEFORE_NONE;
	*limit = LIMIT_DEFAULT;
	if ((s = req_param(r, "limit")) != NULL) {
		n = strlen(s);
		if (n == 0 || n > 9)
			return 400;
		for (i = 0, v = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 400;
			v = v * 10 + (s[i] - '0');
		}
		*limit = (long)v;
	}
	if (*limit > r->cfg->client_max_limit)
		*limit = r->cfg->client_max_limit;
	if ((s = req_param(r, "before")) != NULL) {
		n = strlen(s);
		if (n == 0 || n > BEFORE_DIGITS)
			return 400;
		for (i = 0, v = 0; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return 400;
			v = v * 10 + (s[i] - '0');
		}
		*before = v * 1000;
	}
	return 0;
}

/* The caller's MUC domain. */
static void
muc_domain(const struct config *c, char *out, size_t sz)
{
	config_muc_domain(c, me.host, out, sz);
}

/*
 * {id}: a room id, or id@<the caller's MUC domain>; else 400 with
 * upstream's (3.6+) body, invalid_room_id.
 */
static int
room_rid(struct req *r, struct resp *w, char rid[ROOMS_RID_MAX + 1])
{
	const char	*id = req_cap(r, "id"), *at;
	char		 dom[JID_HOST_MAX + 1], want[JID_HOST_MAX + 1];

	if ((at = strchr(id, '@')) == NULL) {
		if (jid_localpart(id, strlen(id), rid) == -1)
			goto bad;
		return 0;
	}
	if (jid_localpart(id, (size_t)(at - id), rid) == -1 ||
	    jid_host(at + 1, strlen(at + 1), dom) == -1)
		goto bad;
	muc_domain(r->cfg, want, sizeof(want));
	if (strcmp(dom, want) == 0)
		return 0;
bad:
	return cl_bad(w, "invalid_room_id");
}

/* The room in the path with the caller's affiliation: 0, 400, 404, 503. */
static int
room_get(struct req *r, struct resp *w, int lock, struct room *room)
{
	char		 rid[ROOMS_RID_MAX + 1];
	enum db_status	 s;
	int		 st, found;

	if ((st = room_rid(r, w, rid)) != 0)
		return st;
	if ((s = rooms_find(me.host, rid, &me, lock, room, &found)) != DB_OK)
		return db_http_status(s);
	return found ? 0 : 404;
}

/* --- one-to-one messages ------------------------------------------------ */

static int
cl_msg_send_run(struct req *r, struct resp *w)
{
	struct jid	 to;
	const char	*body;
	char		 mid[MESSAGES_ID_LEN + 1];
	json_object	*o;
	enum db_status	 s;
	int		 st;

	if ((st = cl_body(r)) != 0)
		return st;
	if (jsonio_str(r->json, "body", &body, NULL) != JSONIO_OK ||
	    body_jid(r, "to", &to) != 0)
		return 400;
	if ((s = messages_send(&me, &to, body, mid)) != DB_OK)
		return db_http_status(s);
	o = json_object_new_object();
	add_str(o, "id", mid);
	return cl_reply(w, 200, o);
}

static int
cl_msg_send(struct req *r, struct resp *w)
{
	return cl_checked(r, w, cl_msg_send_run);
}

/* List replies are written straight into a buffer, after its '['. */
static void
list_next(struct buf *b)
{
	buf_addc(b, b->len > 1 ? ',' : '{');
	if (b->len > 2)
		buf_addc(b, '{');
}

static int
list_reply(struct resp *w, struct buf *b)
{
	buf_addc(b, ']');
	resp_body(w, 200, "application/json", b->p, b->len);
	buf_free(b);
	return 200;
}

static void
chat_item(void *ctx, const struct chat_item *it)
{
	struct buf	*b = ctx;

	list_next(b);
	jsonio_add_jid(b, 1, "from", it->from_local, it->from_host);
	jsonio_add_jid(b, 0, "to", it->to_local, it->to_host);
	jsonio_add_pair(b, 0, "id", it->mid);
	jsonio_add_pair(b, 0, "body", it->body);
	jsonio_add_member(b, 0, "timestamp");
	buf_addll(b, it->ts_ms);
	buf_addc(b, '}');
}

static int
cl_msg_list_run(struct req *r, struct resp *w)
{
	const char	*with = req_cap(r, "with"), *res = NULL;
	struct jid	 j;
	long long	 before;
	long		 limit;
	struct buf	 a = { NULL, 0, 0 };
	enum db_status	 s;
	int		 st;

	if (with != NULL && parse_jid(with, &j, &res) == -1)
		return 404;
	if ((st = paging(r, &before, &limit)) != 0)
		return st;
	buf_addc(&a, '[');
	/* Archived JIDs are bare: a resource matches nothing. */
	if (res == NULL && (s = messages_history(&me, with != NULL ? &j : NULL,
	    before, limit, chat_item, &a)) != DB_OK) {
		buf_free(&a);
		return db_http_status(s);
	}
	return list_reply(w, &a);
}

static int
cl_msg_list(struct req *r, struct resp *w)
{
	return cl_checked(r, w, cl_msg_list_run);
}

/* --- rooms ---------------------------------------------------------------- */

static void
room_summary(void *ctx, const struct room_summary *rs)
{
	struct buf	*b = ctx;

	list_next(b);
	jsonio_add_pair(b, 1, "id", rs->rid);
	jsonio_add_pair(b, 0, "name", rs->name);
	jsonio_add_pair(b, 0, "subject", rs->subject);
	buf_addc(b, '}');
}

static int
cl_room_list_run(struct req *r, struct resp *w)
{
	struct buf	 a = { NULL, 0, 0 };
	enum db_status	 s;

	buf_addc(&a, '[');
	if ((s = rooms_list(&me, room_summary, &a)) != DB_OK) {
		buf_free(&a);
		return db_http_status(s);
	}
	return list_reply(w, &a);
}

static int
cl_room_list(struct req *r, struct resp *w)
{
	return cl_checked(r, w, cl_room_list_run);
}

/* name and subject, both strings: 0 or 400. */
static int
room_body(struct req *r, const char **name, const char **subject)
{
	int	 st;

	if ((st = cl_body(r)) != 0)
		return st;
	if (jsonio_str(r->json, "name", name, NULL) != JSONIO_OK ||
	    jsonio_str(r->json, "subject", subject, NULL) != JSONIO_OK)
		return 400;
	return 0;
}

static int
room_created(struct resp *w, int st, const char *rid)
{
	json_object	*o = json_object_new_object();

	add_str(o, "id", rid);
	return cl_reply(w, st, o);
}

static int
cl_room_create(struct req *r, struct resp *w)
{
	const char	*name, *subject;
	char		 rid[ROOMS_RID_MAX + 1];
	enum db_status	 s;
	int		 st, created = 0, tries;

	if ((st = room_body(r, &name, &subject)) != 0)
		return st;
	for (tries = 0; tries < 3 && !created; tries++) {
		rooms_new_rid(rid);
		if ((s = rooms_create(me.host, rid, name, subject, &me,
		    &created)) != DB_OK)
			return db_http_status(s);
	}
	if (!created)
		return 500;
	log_info("room %s created by %s@%s", rid, me.local, me.host);
	return room_created(w, 200, rid);
}

static int
cl_room_put(struct req *r, struct resp *w)
{
	const char	*name, *subject;
	char		 rid[ROOMS_RID_MAX + 1];
	enum db_status	 s;
	int		 st, created;

	if ((st = room_rid(r, w, rid)) != 0 ||
	    (st = room_body(r, &name, &subject)) != 0)
		return st;
	if ((s = rooms_create(me.host, rid, name, subject, &me, &created)) !=
	    DB_OK)
		return db_http_status(s);
	if (!created)
		return 400;	/* upstream's {error, exists} */
	log_info("room %s created by %s@%s", rid, me.local, me.host);
	return room_created(w, 201, rid);
}

static void
room_head(void *ctx, const char *name, const char *subject)
{
	add_str(ctx, "name", name);
	add_str(ctx, "subject", subject);
	json_object_object_add(ctx, "participants", json_object_new_array());
}

static void
room_member(void *ctx, const struct room_member *m)
{
	json_object	*o = json_object_new_object(), *a;

	add_jid(o, "user", m->local, m->host);
	add_str(o, "role", rooms_aff_name(m->aff));
	(void)json_object_object_get_ex(ctx, "participants", &a);
	json_object_array_add(a, o);
}

/* Any user of the host may read a room's details, as upstream (3.x). */
static int
cl_room_get_run(struct req *r, struct resp *w)
{
	struct room	 room;
	json_object	*o;
	enum db_status	 s;
	int		 st;

	if ((st = room_get(r, w, 0, &room)) != 0)
		return st;
	o = json_object_new_object();
	if ((s = rooms_info(&room, room_head, room_member, o)) != DB_OK) {
		json_object_put(o);
		return db_http_status(s);
	}
	return cl_reply(w, 200, o);
}

static int
cl_room_get(struct req *r, struct resp *w)
{
	return cl_checked(r, w, cl_room_get_run);
}

static int
cl_room_config(struct req *r, struct resp *w)
{
	struct room	 room;
	const char	*name, *subject;
	char		 rid[ROOMS_RID_MAX + 1];
	enum db_status	 s;
	int		 st;

	if ((st = room_rid(r, w, rid)) != 0 ||
	    (st = room_body(r, &name, &subject)) != 0)
		return st;
	if ((s = db_begin()) != DB_OK)
		return db_http_status(s);
	if ((st = room_get(r, w, 1, &room)) != 0) {
		/* Unknown room or not affiliated: upstream answers 400. */
		st = st == 404 ? 400 : st;
		goto fail;
	}
	if (room.aff == ROOMS_NONE) {
		st = 400;
		goto fail;
	}
	if (room.aff == ROOMS_MEMBER && !r->cfg->client_all_can_configure) {
		st = 403;
		goto fail;
	}
	if ((s = rooms_configure(&room, name, subject)) != DB_OK ||
	    (s = db_commit()) != DB_OK) {
		st = db_http_status(s);
		goto fail;
	}
	return 204;
fail:
	db_rollback();
	return st;
}

/* A user of a served host, by JID: 0, 400 if there is none, or 503. */
static int
local_user(const struct jid *j, const struct config *c, struct user *u)
{
	enum db_status	 s;
	int		 found;

	if (!config_host_served(c, j->host))
		return 400;
	if ((s = users_get(j->host, j->local, u, &found)) != DB_OK)
		return db_http_status(s);
	return found ? 0 : 400;
}

/*
 * Only the owner invites; an invitation is archived as an item.  Upstream
 * routes the invitation and answers 204 whatever becomes of it, so a JID
 * with no account here gets 204 too, and nothing changes.
 */
static int
cl_room_invite(struct req *r, struct resp *w)
{
	struct room	 room;
	struct jid	 j;
	struct user	 u;
	enum rooms_aff	 aff;
	enum db_status	 s;
	int		 st;

	if ((st = room_get(r, w, 0, &room)) != 0)
		return st;
	if (room.aff != ROOMS_OWNER)
		return 403;
	if ((st = cl_body(r)) != 0 || (st = body_jid(r, "user", &j)) != 0)
		return st;
	if ((st = local_user(&j, r->cfg, &u)) != 0)
		return st == 400 ? 204 : st;
	if ((s = db_begin()) != DB_OK)
		return db_http_status(s);
	/* Again under the room's lock: ownership may have passed on. */
	if ((st = room_get(r, w, 1, &room)) != 0)
		goto fail;
	if (room.aff != ROOMS_OWNER) {
		st = 403;
		goto fail;
	}
	if ((s = rooms_member_aff(&room, &u, &aff)) != DB_OK)
		goto dbfail;
	if (aff == ROOMS_NONE &&
	    ((s = rooms_member_set(&room, &u, ROOMS_MEMBER)) != DB_OK ||
	    (s = rooms_note_aff(&room, u.host, u.local, ROOMS_MEMBER)) !=
	    DB_OK))
		goto dbfail;
	if ((s = db_commit()) != DB_OK)
		return db_http_status(s);
	return 204;
dbfail:
	st = db_http_status(s);
fail:
	db_rollback();
	return st;
}

/*
 * The owner removes anyone, a member only themself.  An owner who leaves
 * hands the room to the longest-standing member; the last one out
 * destroys it.
 */
static int
cl_room_remove(struct req *r, struct resp *w)
{
	struct room	 room;
	struct jid	 j, heir;
	struct user	 u;
	const char	*res;
	long		 left = 1;
	enum db_status	 s;
	int		 st, self, removed, promoted, destroyed;

	if ((st = room_get(r, w, 0, &room)) != 0)
		return st;
	if (parse_jid(req_cap(r, "user"), &j, &res) == -1 || res != NULL)
		return room.aff == ROOMS_OWNER ? 400 : 403;
	self = strcmp(j.host, me.host) == 0 && strcmp(j.local, me.local) == 0;
	if (room.aff == ROOMS_NONE || (room.aff == ROOMS_MEMBER && !self))
		return 403;
	if (!config_host_served(r->cfg, j.host))
		return 204;	/* nobody here by that name: nothing to do */
	if ((s = db_begin()) != DB_OK)
		return db_http_status(s);
	if ((st = room_get(r, w, 1, &room)) != 0)
		goto fail;
	if (room.aff == ROOMS_NONE || (room.aff == ROOMS_MEMBER && !self)) {
		st = 403;
		goto fail;
	}
	if ((st = local_user(&j, r->cfg, &u)) == 400) {
		st = 204;
		goto fail;
	} else if (st != 0)
		goto fail;
	if ((s = rooms_member_remove(&room, &u, &removed)) != DB_OK)
		goto dbfail;
	if (removed && (s = rooms_note_aff(&room, u.host, u.local,
	    ROOMS_NONE)) != DB_OK)
		goto dbfail;
	if (removed && ((s = rooms_promote(&room, &heir, &promoted)) !=
	    DB_OK || (s = rooms_count(&room, &left)) != DB_OK))
		goto dbfail;
	/* ownership passing is an affiliation change like the others */
	if (removed && promoted && (s = rooms_note_aff(&room, heir.host,
	    heir.local, ROOMS_OWNER)) != DB_OK)
		goto dbfail;
	if (removed && left == 0 &&
	    (s = rooms_destroy(&room, &destroyed)) != DB_OK)
		goto dbfail;
	if ((s = db_commit()) != DB_OK)
		return db_http_status(s);
	if (removed && left == 0)
		log_info("room %s destroyed: nobody left", room.rid);
	return 204;
dbfail:
	st = db_http_status(s);
fail:
	db_rollback();
	return st;
}

static const char *const marker_types[] = {
	"received", "displayed", "acknowledged",
};

/*
 * Upstream builds the children in this order, and the first error wins:
 * markable (with a body), the chat marker, the body.
 */
static int
cl_room_post_run(struct req *r, struct resp *w)
{
	struct room	 room;
	json_object	*v, *cm, *o;
	const char	*body = NULL, *mtype = NULL, *mid_in = NULL;
	char		 mid[MESSAGES_ID_LEN + 1];
	size_t		 i;
	int		 st, markable = 0, has_body;
	enum db_status	 s;

	if ((st = room_get(r, w, 0, &room)) != 0)
		return st;
	if (room.aff == ROOMS_NONE)
		return 403;
	if (!req_is_json(r))
		return 415;
	if (req_json(r) != 0)
		return cl_bad(w, "Request body is not a valid JSON");
	has_body = json_object_object_get_ex(r->json, "body", NULL);
	if (has_body && json_object_object_get_ex(r->json, "markable", &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    json_object_get_boolean(v))
		markable = 1;
	if (json_object_object_get_ex(r->json, "chat_marker", &cm)) {
		if (!json_object_is_type(cm, json_type_object) ||
		    jsonio_str(cm, "type", &mtype, NULL) != JSONIO_OK ||
		    jsonio_str(cm, "id", &mid_in, NULL) != JSONIO_OK)
			mtype = NULL;
		for (i = 0; mtype != NULL && i < sizeof(marker_types) /
		    sizeof(marker_types[0]); i++)
			if (strcmp(mtype, marker_types[i]) == 0)
				break;
		if (mtype == NULL || i == sizeof(marker_types) /
		    sizeof(marker_types[0]))
			return cl_bad(w, "Invalid marker, it must be "
			    "'received', 'displayed' or 'acknowledged'");
	}
	if (has_body && jsonio_str(r->json, "body", &body, NULL) != JSONIO_OK)
		return cl_bad(w, "Invalid body, it must be a string");
	if (body == NULL && mtype == NULL)
		return cl_bad(w, "No valid message elements");
	if ((s = rooms_post(&room, &me, body, markable, mtype, mid_in, mid)) !=
	    DB_OK)
		return db_http_status(s);
	if (mid[0] == '\0')
		return 403;	/* removed since room_get */
	o = json_object_new_object();
	add_str(o, "id", mid);
	return cl_reply(w, 200, o);
}

static int
cl_room_post(struct req *r, struct resp *w)
{
	return cl_checked(r, w, cl_room_post_run);
}

struct history_ctx {
	struct buf	 b;
	char		 room_jid[JID_STR_MAX];
};

static void
room_item(void *ctx, const struct room_item *it)
{
	struct history_ctx	*h = ctx;
	struct buf		*b = &h->b;

	list_next(b);
	if (it->affiliation_change) {
		jsonio_add_pair(b, 1, "type", "affiliation");
		jsonio_add_pair(b, 0, "from", h->room_jid);
	} else {
		jsonio_add_pair(b, 1, "type", "message");
		jsonio_add_jid(b, 0, "from", it->user_local, it->user_host);
	}
	jsonio_add_pair(b, 0, "id", it->mid);
	jsonio_add_member(b, 0, "timestamp");
	buf_addll(b, it->ts_ms);
	if (it->affiliation_change) {
		jsonio_add_jid(b, 0, "user", it->user_local, it->user_host);
		jsonio_add_pair(b, 0, "affiliation", rooms_aff_name(it->aff));
	} else {
		if (it->body != NULL)
			jsonio_add_pair(b, 0, "body", it->body);
		if (it->markable)
			buf_adds(b, ",\"markable\":true");
		if (it->marker_type != NULL) {
			jsonio_add_member(b, 0, "chat_marker");
			buf_addc(b, '{');
			jsonio_add_pair(b, 1, "type", it->marker_type);
			jsonio_add_pair(b, 0, "id", it->marker_id);
			buf_addc(b, '}');
		}
	}
	buf_addc(b, '}');
}

static int
cl_room_history_run(struct req *r, struct resp *w)
{
	struct room		 room;
	struct history_ctx	 h;
	char			 dom[JID_HOST_MAX + 1];
	long long		 before;
	long			 limit;
	enum db_status		 s;
	int			 st;

	if ((st = room_get(r, w, 0, &room)) != 0)
		return st;
	if (room.aff == ROOMS_NONE)
		return 403;
	if ((st = paging(r, &before, &limit)) != 0)
		return st;
	muc_domain(r->cfg, dom, sizeof(dom));
	(void)snprintf(h.room_jid, sizeof(h.room_jid), "%s@%s", room.rid, dom);
	memset(&h.b, 0, sizeof(h.b));
	buf_addc(&h.b, '[');
	if ((s = rooms_history(&room, &me, before, limit, room_item, &h)) !=
	    DB_OK) {
		buf_free(&h.b);
		return db_http_status(s);
	}
	return list_reply(w, &h.b);
}

static int
cl_room_history(struct req *r, struct resp *w)
{
	return cl_checked(r, w, cl_room_history_run);
}

/* --- contacts --------------------------------------------------------------- */

static void
contact_item(void *ctx, const struct roster_item *it)
{
	json_object	*o = json_object_new_object();

	add_jid(o, "jid", it->local, it->host);
	add_str(o, "subscription", roster_subscription(&it->st));
	add_str(o, "ask", roster_ask(&it->st));
	json_object_array_add(ctx, o);
}

static int
cl_contact_list(struct req *r, struct resp *w)
{
	json_object	*a = json_object_new_array();
	enum db_status	 s;

	if ((s = roster_list(me.id, contact_item, a)) != DB_OK) {
		json_object_put(a);
		return db_http_status(s);
	}
	return cl_reply(w, 200, a);
}

static int
cl_contact_add(struct req *r, struct resp *w)
{
	struct jid	 j;
	enum db_status	 s;
	int		 st;

	if ((st = cl_body(r)) != 0 || (st = body_jid(r, "jid", &j)) != 0)
		return st;
	if ((s = roster_add(me.id, &j)) != DB_OK)
		return db_http_status(s);
	return 204;
}

static int
cl_contact_get(struct req *r, struct resp *w)
{
	return 404;	/* as upstream: items are read through the list */
}

/* The contact as a user here, if it is one: 0 (*found set) or a status. */
static int
contact_user(const struct config *c, const struct jid *j, struct user *u,
    int *found)
{
	enum db_status	 s;

	*found = 0;
	if (!config_host_served(c, j->host))
		return 0;
	if ((s = users_get(j->host, j->local, u, found)) != DB_OK)
		return db_http_status(s);
	return 0;
}

/* invite: we ask them (subscribe); accept: we grant their request. */
static int
contact_act(const struct config *c, const struct jid *j, int invite)
{
	struct roster_state	 mine, theirs;
	struct user		 u;
	struct jid		 self;
	enum db_status		 s;
	int			 st, found, local;

	if ((st = contact_user(c, j, &u, &local)) != 0)
		return st;
	if (local && (s = roster_lock_pair(me.id, u.id)) != DB_OK)
		return db_http_status(s);
	if ((s = roster_get(me.id, j, &mine, &found)) != DB_OK)
		return db_http_status(s);
	if (!found)
		return 404;
	(void)snprintf(self.host, sizeof(self.host), "%s", me.host);
	(void)snprintf(self.local, sizeof(self.local), "%s", me.local);
	if (invite) {
		if (mine.sub_to || mine.ask_out)
			return 0;
		mine.ask_out = 1;
	} else {
		if (!mine.ask_in)
			return 0;
		mine.ask_in = 0;
		mine.sub_from = 1;
	}
	if ((s = roster_put(me.id, j, &mine)) != DB_OK)
		return db_http_status(s);
	if (!local)
		return 0;
	if ((s = roster_get(u.id, &self, &theirs, &found)) != DB_OK)
		return db_http_status(s);
	if (invite) {
		if (theirs.sub_from)
			return 0;
		theirs.ask_in = 1;
	} else {
		if (!found || !theirs.ask_out)
			return 0;
		theirs.ask_out = 0;
		theirs.sub_to = 1;
	}
	if ((s = roster_put(u.id, &self, &theirs)) != DB_OK)
		return db_http_status(s);
	return 0;
}

static int
cl_contact_put(struct req *r, struct resp *w)
{
	struct roster_state	 mine;
	struct jid		 j;
	const char		*action, *jid, *res;
	enum db_status		 s;
	int			 st, invite, found;

	if ((st = cl_body(r)) != 0)
		return st;
	/* No usable action: upstream's catch-all, 501 (404 off the roster). */
	invite = -1;
	if (jsonio_str(r->json, "action", &action, NULL) == JSONIO_OK) {
		if (strcmp(action, "invite") == 0)
			invite = 1;
		else if (strcmp(action, "accept") == 0)
			invite = 0;
	}
	/* A "jid" in the body wins over the path, as upstream. */
	switch (jsonio_str(r->json, "jid", &jid, NULL)) {
	case JSONIO_OK:
		break;
	case JSONIO_MISSING:
		jid = req_cap(r, "jid");
		break;
	default:
		return 400;
	}
	if (parse_jid(jid, &j, &res) == -1 || res != NULL)
		return 404;
	if (invite == -1) {
		if ((s = roster_get(me.id, &j, &mine, &found)) != DB_OK)
			return db_http_status(s);
		return found ? 501 : 404;
	}
	if ((s = db_begin()) != DB_OK)
		return db_http_status(s);
	if ((st = contact_act(r->cfg, &j, invite)) != 0) {
		db_rollback();
		return st;
	}
	if ((s = db_commit()) != DB_OK)
		return db_http_status(s);
	return 204;
}

/* Removing a contact cancels every subscription between the two. */
static int
contact_drop(const struct config *c, const struct jid *j, int *removed)
{
	struct roster_state	 none, theirs;
	struct user		 u;
	struct jid		 self;
	enum db_status		 s;
	int			 st, found, local;

	if ((st = contact_user(c, j, &u, &local)) != 0)
		return st;
	if (local && (s = roster_lock_pair(me.id, u.id)) != DB_OK)
		return db_http_status(s);
	if ((s = roster_remove(me.id, j, removed)) != DB_OK)
		return db_http_status(s);
	if (!*removed || !local)
		return 0;
	(void)snprintf(self.host, sizeof(self.host), "%s", me.host);
	(void)snprintf(self.local, sizeof(self.local), "%s", me.local);
	if ((s = roster_get(u.id, &self, &theirs, &found)) != DB_OK)
		return db_http_status(s);
	memset(&none, 0, sizeof(none));
	if (found && (s = roster_put(u.id, &self, &none)) != DB_OK)
		return db_http_status(s);
	return 0;
}

static int
cl_contact_delete(struct req *r, struct resp *w)
{
	struct jid	 j;
	const char	*res;
	enum db_status	 s;
	int		 st, removed;

	if (parse_jid(req_cap(r, "jid"), &j, &res) == -1 || res != NULL)
		return 404;
	if ((s = db_begin()) != DB_OK)
		return db_http_status(s);
	if ((st = contact_drop(r->cfg, &j, &removed)) != 0 || !removed) {
		db_rollback();
		return st != 0 ? st : 404;
	}
	if ((s = db_commit()) != DB_OK)
		return db_http_status(s);
	return 204;
}

static int
cl_contact_bulk_delete(struct req *r, struct resp *w)
{
	json_object	*list, *v, *o, *nd;
	struct jid	 j;
	const char	*s, *res;
	size_t		 i, n;
	enum db_status	 ds;
	int		 st, removed;

	if ((st = cl_body(r)) != 0)
		return st;
	if (!json_object_object_get_ex(r->json, "to_delete", &list) ||
	    !json_object_is_type(list, json_type_array))
		return 400;
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(list, i);
		if (!json_object_is_type(v, json_type_string) ||
		    strlen(json_object_get_string(v)) !=
		    (size_t)json_object_get_string_len(v))
			return 400;
	}
	if ((ds = db_begin()) != DB_OK)
		return db_http_status(ds);
	nd = json_object_new_array();
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(list, i);
		s = json_object_get_string(v);
		removed = 0;
		if (parse_jid(s, &j, &res) == 0 && res == NULL &&
		    (st = contact_drop(r->cfg, &j, &removed)) != 0) {
			db_rollback();
			json_object_put(nd);
			return st;
		}
		if (!removed)
			json_object_array_add(nd, json_object_new_string(s));
	}
	if ((ds = db_commit()) != DB_OK) {
		json_object_put(nd);
		return db_http_status(ds);
	}
	o = json_object_new_object();
	json_object_object_add(o, "not_deleted", nd);
	return cl_reply(w, 200, o);
}

static const struct app app = {
	.name = "chatrest-client",
	.routes = routes,
	.nroutes = NROUTES,
	.prepare = cl_prepare,
	.error = cl_error,
	.finish = cl_finish,
	.retry_db = 1,
};

int
main(int argc, char *argv[])
{
	return app_main(&app, argc, argv);
}
