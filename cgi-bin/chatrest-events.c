/*
 * chatrest-events: MongooseIM's GET /api/sse, thousands of streams per
 * process.
 *
 * libfcgi answers one blocking request at a time, so a stream would pin
 * a process and a database connection per client.  Here one process
 * speaks the FastCGI record protocol itself (lib/http/fastcgi.c) on a
 * non-blocking listen socket and holds every stream in one epoll loop.
 * Events reach it through ONE database connection that LISTENs on
 * chatrest_events: whoever writes an event announces it after the write
 * as "<user id> <event id>" (sql/015-events-fanout.sql), and a sweep
 * of the users' newest ids ([events] sweep) catches any event that was
 * not announced; the loop then reads the
 * events after each stream's last id from the event log (a second, the
 * process's ordinary connection) and queues them on that user's streams.
 * Event ids count per user in commit order, so Last-Event-ID resumes
 * with no gap and no duplicate.
 *
 * A stream whose queue passes [events] queue_max is dropped (the client
 * resumes); idle streams get a comment every [events] keepalive seconds.
 * When the LISTEN connection is lost every stream ends and new ones get
 * 503 until it is back.  A NOTIFY on chatrest_restart ends every stream;
 * then the process leaves (its web server starts a new one) or, as a
 * daemon, runs the binary again on the same listen socket.
 *
 * Started by lighttpd (bin-path: fd 0 is the listen socket), as a daemon
 * with -l address for Apache's mod_proxy_fcgi, or as plain CGI (one
 * stream per process, the small-site fallback).
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "app.h"
#include "auth.h"
#include "base64.h"
#include "cors.h"
#include "db.h"
#include "events.h"
#include "fastcgi.h"
#include "jsonio.h"
#include "listen.h"
#include "log.h"
#include "users.h"
#include "util.h"

#define EV_NAME		"chatrest-events"
#define EV_BUCKETS	16384
#define EV_FETCH	256		/* events per user per read */
#define EV_BACKOFF_MAX	30
#define EV_PRUNE_EVERY	600
#define CORS_METHODS	"GET, OPTIONS"

enum conn_state {
	C_READ,		/* waiting for a whole request */
	C_STREAM,	/* an open event stream */
	C_DONE,		/* answered: close (or keep) once written */
};

struct ev_user;

struct conn {
	int		 fd;
	int		 fcgi;		/* FastCGI records, else raw (CGI) */
	enum conn_state	 state;
	unsigned	 reqid;		/* 0: no request */
	int		 keep;		/* FASTCGI_KEEP_CONN */
	int		 params_done;
	int		 body_over;	/* STDIN past the body limit */
	struct buf	 in;
	struct buf	 params;
	struct buf	 body;
	struct buf	 out;
	size_t		 outoff;
	int		 pollout;
	int		 ready;	/* a whole request waits in the ready list */
	struct conn	*rnext, *rprev;
	/* C_STREAM */
	struct ev_user	*u;
	struct conn	*unext, *uprev;	/* the user's streams */
	struct conn	*snext, *sprev;	/* every stream */
	long long	 cursor;	/* last event id queued */
	time_t		 last_write;
};

struct ev_user {
	long long	 id;
	long long	 head;		/* newest event id we know of */
	struct conn	*streams;
	struct ev_user	*hnext;
	struct ev_user	*dnext;
	int		 dirty;
};

/* What the GET handler leaves for the loop: the stream to open. */
struct ev_pending {
	int		 set;
	long long	 uid;
	long long	 cursor;
	long long	 head;
};

static const struct config	*cfg;
static int			 epfd = -1;
static int			 lfd = -1;	/* FastCGI listen socket */
static struct listen		*lsn;		/* the LISTEN connection */
static int			 lepfd = -1;	/* its own epoll set */
static int			 lreg_fd = -1;
static short			 lreg_ev;
static struct ev_user		*users[EV_BUCKETS];
static struct ev_user		*dirty;
static struct conn		*streams;
static struct conn		*ready_head, *ready_tail;
static long			 nstreams;
static struct ev_pending	 pending;
static volatile sig_atomic_t	 ev_stop;
static int			 ev_restart;
static char			 tag_listen, tag_pg;
static const char *const	 channels[] = { EVENTS_CHANNEL,
				    DB_CHANNEL_RESTART };

static int	ev_sse(struct req *, struct resp *);

static const struct route routes[] = {
	{ M_GET, "/api/sse", ev_sse, 0 },
};

/* --- the HTTP side: MongooseIM's client API rules ------------------------ */

static int
ev_error(struct resp *w, int st)
{
	resp_body(w, st, NULL, "", 0);
	if (st == 401)
		(void)resp_header(w, "WWW-Authenticate",
		    "Basic realm=\"chatrest\"");
	return st;
}

static void
ev_finish(const struct req *r, struct resp *w)
{
	cors_headers(r, w, &r->cfg->client_cors, CORS_METHODS);
}

/* OPTIONS answers without credentials, as chatrest-client does. */
static int
ev_prepare(struct req *r, struct resp *w)
{
	const struct route	*rt;
	struct user		 u;
	unsigned		 allow;

	if (r->method == 0)
		return 0;
	if (r->method == M_OPTIONS) {
		if (router_match(routes, 1, r, &rt, &allow) == 404)
			return 404;
		resp_body(w, 200, NULL, "", 0);
		(void)resp_header(w, "Allow", "GET, OPTIONS");
		return 200;
	}
	memset(&u, 0, sizeof(u));
	switch (auth_basic(r, &u)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAIL:
		return 503;
	default:
		return 401;
	}
	pending.uid = strtoll(u.id, NULL, 10);
	return 0;
}

static const struct app events_app = {
	.name = EV_NAME,
	.routes = routes,
	.nroutes = sizeof(routes) / sizeof(routes[0]),
	.prepare = ev_prepare,
	.error = ev_error,
	.finish = ev_finish,
};

/*
 * Last-Event-ID: the id of the last event the client has.  Digits only;
 * anything else, or an id past the user's newest, means "from now".
 */
static long long
ev_last_id(const struct req *r, long long head)
{
	const char	*v = req_header(r, "Last-Event-ID");
	long long	 n = 0;

	if (v == NULL || *v == '\0' || strlen(v) > 18)
		return head;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9')
			return head;
		n = n * 10 + (*v - '0');
	}
	return n > head ? head : n;
}

static int
ev_sse(struct req *r, struct resp *w)
{
	char		 id[24];
	long long	 head;

	if (!listen_up(lsn)) {
		log_warn("no LISTEN connection: refusing the stream");
		return 503;
	}
	if (nstreams >= cfg->ev_max_streams) {
		log_warn("[events] max_streams (%ld) reached",
		    cfg->ev_max_streams);
		return 503;
	}
	(void)snprintf(id, sizeof(id), "%lld", pending.uid);
	/* LISTEN is up before the head is read: nothing after it is missed. */
	if (events_head(id, &head) != DB_OK)
		return 503;
	pending.head = head;
	pending.cursor = ev_last_id(r, head);
	pending.set = 1;
	w->status = 200;
	(void)resp_header(w, "Content-Type", "text/event-stream");
	(void)resp_header(w, "Cache-Control", "no-cache");
	/* proxies that buffer by default (nginx) pass it on at once */
	(void)resp_header(w, "X-Accel-Buffering", "no");
	return 200;
}

/* --- users and their streams ------------------------------------------- */

static struct ev_user *
user_get(long long id, int create)
{
	struct ev_user	**b = &users[(unsigned long long)id % EV_BUCKETS], *u;

	for (u = *b; u != NULL; u = u->hnext)
		if (u->id == id)
			return u;
	if (!create)
		return NULL;
	u = xcalloc(1, sizeof(*u));
	u->id = id;
	u->hnext = *b;
	*b = u;
	return u;
}

/* Freed when it has no stream and is not waiting to be read. */
static void
user_release(struct ev_user *u)
{
	struct ev_user	**b;

	if (u->streams != NULL || u->dirty)
		return;
	for (b = &users[(unsigned long long)u->id % EV_BUCKETS]; *b != u;
	    b = &(*b)->hnext)
		continue;
	*b = u->hnext;
	free(u);
}

static void
user_mark(struct ev_user *u)
{
	if (u->dirty)
		return;
	u->dirty = 1;
	u->dnext = dirty;
	dirty = u;
}

static size_t
conn_queued(const struct conn *c)
{
	return c->out.len - c->outoff;
}

static void
conn_events(struct conn *c, int out)
{
	struct epoll_event	 ev;

	if (c->pollout == out)
		return;
	memset(&ev, 0, sizeof(ev));
	/* CGI's stdout may share a socket with stdin, whose end means nothing */
	ev.events = (c->fcgi ? EPOLLIN : 0) | (out ? EPOLLOUT : 0);
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->pollout = out;
}

static void
stream_unlink(struct conn *c)
{
	struct ev_user	*u = c->u;

	if (u == NULL)
		return;
	if (c->uprev != NULL)
		c->uprev->unext = c->unext;
	else
		u->streams = c->unext;
	if (c->unext != NULL)
		c->unext->uprev = c->uprev;
	if (c->sprev != NULL)
		c->sprev->snext = c->snext;
	else
		streams = c->snext;
	if (c->snext != NULL)
		c->snext->sprev = c->sprev;
	c->u = NULL;
	nstreams--;
	user_release(u);
}

static void
ready_add(struct conn *c)
{
	c->ready = 1;
	c->rnext = NULL;
	c->rprev = ready_tail;
	if (ready_tail != NULL)
		ready_tail->rnext = c;
	else
		ready_head = c;
	ready_tail = c;
}

static void
ready_unlink(struct conn *c)
{
	if (!c->ready)
		return;
	if (c->rprev != NULL)
		c->rprev->rnext = c->rnext;
	else
		ready_head = c->rnext;
	if (c->rnext != NULL)
		c->rnext->rprev = c->rprev;
	else
		ready_tail = c->rprev;
	c->ready = 0;
}

static void
conn_close(struct conn *c)
{
	ready_unlink(c);
	stream_unlink(c);
	if (c->fd >= 0) {
		(void)epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
		(void)close(c->fd);
	}
	buf_free(&c->in);
	buf_free(&c->params);
	buf_free(&c->body);
	buf_free(&c->out);
	free(c);
}

/* Back to waiting for a request (FastCGI keep-conn). */
static void
conn_idle(struct conn *c)
{
	c->state = C_READ;
	c->reqid = 0;
	c->params_done = c->body_over = 0;
	buf_free(&c->params);
	buf_free(&c->body);
}

/*
 * Write what is queued.  -1 when the connection was closed: it failed,
 * or it is done and not kept.
 */
static int
conn_flush(struct conn *c)
{
	ssize_t	 n;

	while (conn_queued(c) > 0) {
		n = write(c->fd, c->out.p + c->outoff, conn_queued(c));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			conn_events(c, 1);
			return 0;
		}
		if (n <= 0) {
			conn_close(c);
			return -1;
		}
		c->outoff += (size_t)n;
	}
	/* an idle stream holds no buffer */
	buf_free(&c->out);
	c->outoff = 0;
	conn_events(c, 0);
	if (c->state == C_DONE) {
		if (!c->fcgi || !c->keep) {
			conn_close(c);
			return -1;
		}
		conn_idle(c);
	}
	return 0;
}

static void
conn_put(struct conn *c, const char *p, size_t n)
{
	if (c->fcgi)
		fastcgi_put(&c->out, FASTCGI_STDOUT, c->reqid, p, n);
	else
		buf_add(&c->out, p, n);
}

/* The response is complete: end the request, then flush. */
static int
conn_end(struct conn *c)
{
	stream_unlink(c);
	if (c->fcgi) {
		fastcgi_put(&c->out, FASTCGI_STDOUT, c->reqid, NULL, 0);
		fastcgi_put_end(&c->out, c->reqid, FASTCGI_REQUEST_COMPLETE);
	}
	c->state = C_DONE;
	return conn_flush(c);
}

/* Queue stream bytes; a reader past its cap loses the stream. */
static int
stream_send(struct conn *c, const char *p, size_t n)
{
	conn_put(c, p, n);
	c->last_write = time(NULL);
	if (conn_queued(c) > (size_t)cfg->ev_queue_max) {
		log_info("stream of user %lld dropped: %zu bytes unread",
		    c->u != NULL ? c->u->id : 0, conn_queued(c));
		conn_close(c);
		return -1;
	}
	return conn_flush(c);
}

/* Streams at or past half their cap wait for room before reading more. */
static int
stream_congested(const struct conn *c)
{
	return conn_queued(c) >= (size_t)cfg->ev_queue_max / 2;
}

static void
streams_end_all(const char *why)
{
	struct conn	*c, *next;

	if (streams != NULL)
		log_info("ending %ld stream(s): %s", nstreams, why);
	for (c = streams; c != NULL; c = next) {
		next = c->snext;
		(void)conn_end(c);
	}
}

static void
user_kick(long long id)
{
	struct ev_user	*u = user_get(id, 0);
	struct conn	*c, *next;

	if (u == NULL)
		return;
	log_info("closing the streams of user %lld", id);
	u->dirty++;	/* keep u while its streams go */
	for (c = u->streams; c != NULL; c = next) {
		next = c->unext;
		(void)conn_end(c);
	}
	u->dirty--;
	user_release(u);
}

/* --- reading events ------------------------------------------------------ */

struct deliver_ctx {
	long long	 uid;
	long		 n;
};

/* One event as a frame, written once for all of the user's streams. */
static void
deliver(void *arg, const struct event_row *ev)
{
	struct deliver_ctx	*dc = arg;
	struct ev_user		*u;
	struct conn		*c, *next;
	json_object		*o = NULL, *room;
	struct buf		 f = { NULL, 0, 0 };
	char			 d[256], from[512];

	if (dc->uid != ev->uid) {
		dc->uid = ev->uid;
		dc->n = 0;
	}
	dc->n++;
	if ((u = user_get(ev->uid, 0)) == NULL)
		return;
	if ((o = json_tokener_parse(ev->data)) == NULL) {
		log_error("event %lld of user %lld is not JSON", ev->eid,
		    ev->uid);
		goto out;
	}
	/* an affiliation change comes from the room's JID */
	if (ev->room_host != NULL &&
	    json_object_object_get_ex(o, "room", &room)) {
		config_muc_domain(cfg, ev->room_host, d, sizeof(d));
		(void)snprintf(from, sizeof(from), "%s@%s",
		    json_object_get_string(room), d);
		json_object_object_add(o, "from",
		    json_object_new_string(from));
	}
	buf_addf(&f, "id: %lld\nevent: %s\ndata: %s\n\n", ev->eid, ev->name,
	    jsonio_dump(o));
	if (ev->eid > u->head)
		u->head = ev->eid;
	u->dirty++;
	for (c = u->streams; c != NULL; c = next) {
		next = c->unext;
		if (c->cursor >= ev->eid || stream_congested(c))
			continue;
		c->cursor = ev->eid;
		(void)stream_send(c, f.p, f.len);
	}
	u->dirty--;
out:
	json_object_put(o);
	buf_free(&f);
}

/*
 * Read, in one statement, the events after the oldest cursor of each
 * user that was told of new ones, and hand them to the streams.  A user
 * who got a full page is read again in the next round.
 */
static void
read_dirty(void)
{
	struct buf		 ids = { NULL, 0, 0 }, afters = { NULL, 0, 0 };
	struct ev_user		*u, *list = dirty, *next;
	struct conn		*c;
	struct deliver_ctx	 dc = { -1, 0 };
	long long		 min;
	int			 n = 0;

	dirty = NULL;
	for (u = list; u != NULL; u = u->dnext) {
		min = LLONG_MAX;
		for (c = u->streams; c != NULL; c = c->unext)
			if (!stream_congested(c) && c->cursor < min)
				min = c->cursor;
		if (min == LLONG_MAX || min >= u->head)
			continue;
		buf_addf(&ids, "%s%lld", n ? "," : "{", u->id);
		buf_addf(&afters, "%s%lld", n ? "," : "{", min);
		n++;
	}
	if (n > 0) {
		buf_addc(&ids, '}');
		buf_addc(&afters, '}');
		if (events_fetch(ids.p, afters.p, EV_FETCH, deliver, &dc) !=
		    DB_OK)
			streams_end_all("the event log cannot be read");
	}
	for (u = list; u != NULL; u = next) {
		next = u->dnext;
		u->dirty = 0;
		for (c = u->streams; c != NULL; c = c->unext)
			if (!stream_congested(c) && c->cursor < u->head) {
				user_mark(u);
				break;
			}
		user_release(u);
	}
	buf_free(&ids);
	buf_free(&afters);
}

/*
 * Every [events] sweep seconds, the heads of the users with streams: an
 * event written without an announcement (plain SQL, or one that failed)
 * still arrives.
 */
static void
on_head(void *ctx, long long uid, long long last)
{
	struct ev_user	*u;

	(void)ctx;
	if ((u = user_get(uid, 0)) != NULL && last > u->head) {
		u->head = last;
		user_mark(u);
	}
}

static void
sweep(void)
{
	struct buf	 ids = { NULL, 0, 0 };
	struct ev_user	*u;
	size_t		 i;

	for (i = 0; i < EV_BUCKETS; i++)
		for (u = users[i]; u != NULL; u = u->hnext)
			if (u->streams != NULL) {
				buf_addc(&ids, ids.len ? ',' : '{');
				buf_addll(&ids, u->id);
			}
	if (ids.len > 0) {
		buf_addc(&ids, '}');
		if (events_heads(ids.p, on_head, NULL) != DB_OK)
			log_warn("could not sweep the event heads");
	}
	buf_free(&ids);
}

/* --- the LISTEN connection (lib/listen) -------------------------------- */

static void
on_note(void *arg, const char *chan, const char *payload)
{
	struct ev_user	*u;
	long long	 uid, eid;
	char		*end;

	(void)arg;
	if (strcmp(chan, DB_CHANNEL_RESTART) == 0) {
		ev_restart = 1;
		return;
	}
	if (strncmp(payload, "kick ", 5) == 0) {
		user_kick(strtoll(payload + 5, NULL, 10));
		return;
	}
	uid = strtoll(payload, &end, 10);
	eid = strtoll(end, NULL, 10);
	if ((u = user_get(uid, 0)) != NULL) {
		if (eid > u->head)
			u->head = eid;
		user_mark(u);
	}
}

/*
 * The listener's socket changes with each reconnect: it sits alone in an
 * epoll set of its own, itself watched by the main one, so a stale
 * registration can never name a stream's descriptor.
 */
static void
listen_sync(void)
{
	struct epoll_event	 ev;
	short			 e;
	int			 fd = listen_fd(lsn, &e);

	if (fd == lreg_fd && e == lreg_ev)
		return;
	if (lreg_fd >= 0 && fd != lreg_fd)
		(void)epoll_ctl(lepfd, EPOLL_CTL_DEL, lreg_fd, NULL);
	if (fd >= 0) {
		memset(&ev, 0, sizeof(ev));
		ev.events = (e & POLLIN ? EPOLLIN : 0) |
		    (e & POLLOUT ? EPOLLOUT : 0);
		if (epoll_ctl(lepfd, EPOLL_CTL_MOD, fd, &ev) == -1)
			(void)epoll_ctl(lepfd, EPOLL_CTL_ADD, fd, &ev);
	}
	lreg_fd = fd;
	lreg_ev = e;
}

static void
listen_step(void)
{
	switch (listen_run(lsn)) {
	case LISTEN_DOWN:
		streams_end_all("database connection lost");
		break;
	default:
		break;
	}
	listen_sync();
}

/* At start: up to ms for the LISTEN, so the first streams are served. */
static void
listen_wait(int ms)
{
	struct pollfd	 pfd;
	int		 t;

	while (!listen_up(lsn) && ms > 0) {
		pfd.fd = listen_fd(lsn, &pfd.events);
		t = listen_timeout(lsn);
		if (t < 0 || t > 100)
			t = 100;
		(void)poll(&pfd, pfd.fd >= 0, t);
		(void)listen_run(lsn);
		ms -= t > 0 ? t : 1;
	}
	listen_sync();
}

/* --- requests -------------------------------------------------------------- */

static int
out_buf(void *ctx, const char *p, size_t n)
{
	buf_add(ctx, p, n);
	return 0;
}

/*
 * One request: an error or OPTIONS answer ends it, a 200 turns the
 * connection into a stream.  -1 when the connection was closed.
 */
static int
handle(struct conn *c, char **env, req_readfn rd, void *rctx,
    enum resp_form form)
{
	struct req	 r;
	struct resp	 w;
	struct buf	 head = { NULL, 0, 0 };
	struct ev_user	*u;
	int		 st;

	memset(&pending, 0, sizeof(pending));
	resp_init(&w);
	st = req_parse_limit(&r, cfg, (size_t)cfg->max_body, env, rd, rctx);
	log_set_reqid(r.id);
	if (st == 0 && c->body_over)
		st = 413;
	if (st == 0)
		st = app_dispatch(&events_app, &r, &w);
	if (st != 200 || !pending.set) {
		pending.set = 0;
		if (!w.has_body) {
			resp_reset(&w);
			st = ev_error(&w, st);
		}
		w.status = st;
	}
	if (r.cfg != NULL)
		ev_finish(&r, &w);
	if (st == 503)
		(void)resp_header(&w, "Retry-After", "5");
	log_info("%s %s %d", r.method_name != NULL ? r.method_name : "-",
	    r.path != NULL ? r.path : "-", st);
	(void)resp_emit(&w, form, r.method == M_HEAD, out_buf, &head);
	req_free(&r);
	resp_free(&w);
	conn_put(c, head.p, head.len);
	buf_free(&head);
	if (!pending.set) {
		log_set_reqid(NULL);
		return conn_end(c);
	}
	u = user_get(pending.uid, 1);
	c->state = C_STREAM;
	c->u = u;
	c->cursor = pending.cursor;
	c->last_write = time(NULL);
	if (pending.head > u->head)
		u->head = pending.head;
	c->unext = u->streams;
	if (u->streams != NULL)
		u->streams->uprev = c;
	u->streams = c;
	c->snext = streams;
	if (streams != NULL)
		streams->sprev = c;
	streams = c;
	nstreams++;
	if (c->cursor < u->head)
		user_mark(u);	/* the events it missed come first */
	log_set_reqid(NULL);
	return conn_flush(c);
}

static int
handle_fcgi(struct conn *c)
{
	char		**env;
	struct app_body	 b = { c->body.p, c->body.len };
	int		 rc;

	if ((env = fastcgi_env((const unsigned char *)c->params.p,
	    c->params.len)) == NULL) {
		log_warn("malformed FastCGI parameters");
		conn_close(c);
		return -1;
	}
	rc = handle(c, env, app_body_read, &b, RESP_CGI);
	fastcgi_env_free(env);
	return rc;
}

/* Records as far as they are complete; -1 when the connection went. */
static int
conn_records(struct conn *c)
{
	struct fastcgi_rec	 rec;
	struct buf		 o = { NULL, 0, 0 };
	size_t			 off = 0;
	int			 rc = 0;

	if (c->ready)
		return 0;	/* the rest waits for the request in hand */
	while ((rc = fastcgi_next((const unsigned char *)c->in.p, c->in.len,
	    &off, &rec)) == 1) {
		switch (rec.type) {
		case FASTCGI_BEGIN_REQUEST:
			if (c->reqid != 0) {
				/* one request per connection at a time */
				fastcgi_put_end(&c->out, rec.id,
				    FASTCGI_CANT_MPX_CONN);
				break;
			}
			if (rec.len < 3 || rec.p[0] != 0 ||
			    rec.p[1] != FASTCGI_RESPONDER) {
				fastcgi_put_end(&c->out, rec.id,
				    FASTCGI_UNKNOWN_ROLE);
				break;
			}
			c->reqid = rec.id;
			c->keep = rec.p[2] & FASTCGI_KEEP_CONN;
			break;
		case FASTCGI_PARAMS:
			if (rec.id != c->reqid || c->state != C_READ)
				break;
			if (rec.len == 0)
				c->params_done = 1;
			else if (c->params.len + rec.len > FASTCGI_PARAMS_MAX)
				goto bad;
			else
				buf_add(&c->params, (const char *)rec.p,
				    rec.len);
			break;
		case FASTCGI_STDIN:
			if (rec.id != c->reqid || c->state != C_READ)
				break;
			if (rec.len > 0) {
				if (c->body.len + rec.len >
				    (size_t)cfg->max_body)
					c->body_over = 1;
				else
					buf_add(&c->body, (const char *)rec.p,
					    rec.len);
				break;
			}
			if (!c->params_done)
				goto bad;
			/* answered from the loop, a few per round */
			ready_add(c);
			goto parsed;
		case FASTCGI_ABORT_REQUEST:
			if (rec.id != c->reqid || rec.id == 0)
				break;
			if (c->state == C_STREAM)
				stream_unlink(c);
			if (c->state != C_DONE && conn_end(c) == -1)
				return -1;
			break;
		case FASTCGI_GET_VALUES:
			fastcgi_put(&c->out, FASTCGI_GET_VALUES_RESULT, 0,
			    NULL, 0);
			break;
		default:
			if (rec.id == 0) {
				buf_addc(&o, (char)rec.type);
				buf_add(&o, "\0\0\0\0\0\0\0", 7);
				fastcgi_put(&c->out, FASTCGI_UNKNOWN_TYPE, 0,
				    o.p, o.len);
				buf_reset(&o);
			}
			break;
		}
	}
	if (rc == -1)
		goto bad;
parsed:
	buf_free(&o);
	if (off > 0) {
		memmove(c->in.p, c->in.p + off, c->in.len - off);
		c->in.len -= off;
	}
	if (c->in.len == 0)
		buf_free(&c->in);
	return conn_flush(c);
bad:
	buf_free(&o);
	log_warn("malformed FastCGI input: connection closed");
	conn_close(c);
	return -1;
}

static void
conn_read(struct conn *c)
{
	char	 chunk[16384];
	ssize_t	 n;

	for (;;) {
		n = read(c->fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			/* the web server (or the client) went away */
			conn_close(c);
			return;
		}
		buf_add(&c->in, chunk, (size_t)n);
		if (c->in.len > FASTCGI_PARAMS_MAX + 2 * 65536 + 64) {
			log_warn("FastCGI input too large: connection closed");
			conn_close(c);
			return;
		}
		if (conn_records(c) == -1)
			return;
	}
}

static void
accept_all(void)
{
	struct epoll_event	 ev;
	static time_t		 warned;
	struct conn		*c;
	int			 fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) !=
	    -1) {
		c = xcalloc(1, sizeof(*c));
		c->fd = fd;
		c->fcgi = 1;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == -1) {
			log_warn("epoll_ctl");
			c->fd = -1;
			(void)close(fd);
			conn_close(c);
		}
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
	    time(NULL) != warned) {
		warned = time(NULL);	/* EMFILE would repeat every round */
		log_warn("accept");
	}
}

/* --- the loop ------------------------------------------------------------- */

/*
 * A request costs a database round trip or two, and an scrypt when its
 * credentials are not cached: a few per round, so that accepting (the
 * listen queue must not overflow when thousands connect at once) and
 * delivering events go on between them.
 */
#define EV_READY_PER_ROUND	4

static void
ready_run(void)
{
	struct conn	*c;
	int		 i;

	for (i = 0; i < EV_READY_PER_ROUND && (c = ready_head) != NULL; i++) {
		ready_unlink(c);
		if (handle_fcgi(c) == -1)
			continue;
		/* a kept connection may hold the next request already */
		if (c->state == C_READ && c->in.len > 0)
			(void)conn_records(c);
	}
}

static void
keepalive(time_t now)
{
	static const char	 ka[] = ": keep-alive\n\n";
	struct conn		*c, *next;

	for (c = streams; c != NULL; c = next) {
		next = c->snext;
		if (now - c->last_write >= cfg->ev_keepalive &&
		    conn_queued(c) == 0)
			(void)stream_send(c, ka, sizeof(ka) - 1);
	}
}

static void
on_signal(int sig)
{
	(void)sig;
	ev_stop = 1;
}

static int
loop(int cgi)
{
	struct epoll_event	 evs[256];
	struct conn		*c;
	time_t			 now, last_tick = 0, last_prune = 0;
	time_t			 last_check = 0, last_sweep = 0;
	long			 pruned;
	int			 i, n, tmo;

	while (!ev_stop && !ev_restart && !(cgi && nstreams == 0)) {
		now = time(NULL);
		if (now != last_tick) {
			keepalive(now);
			last_tick = now;
			/*
			 * A restart found in the stored notices too: behind
			 * PgBouncer (listen_conninfo unset) the LISTEN below
			 * hears nothing.
			 */
			if (!cgi && cfg->db_restart_check > 0 &&
			    now - last_check >= cfg->db_restart_check) {
				(void)db_restart_check();
				last_check = now;
			}
			if (!cgi && db_notified())
				ev_restart = 1;
			if (cfg->ev_sweep > 0 && nstreams > 0 &&
			    now - last_sweep >= cfg->ev_sweep &&
			    listen_up(lsn)) {
				sweep();
				last_sweep = now;
			}
		}
		if (!cgi && now - last_prune >= EV_PRUNE_EVERY &&
		    listen_up(lsn)) {
			if (events_prune(cfg->ev_keep, &pruned) == DB_OK &&
			    pruned > 0)
				log_info("pruned %ld old event(s)", pruned);
			last_prune = now;
		}
		if (lfd >= 0)
			accept_all();
		if (ready_head != NULL)
			ready_run();
		if (dirty != NULL)
			read_dirty();
		tmo = listen_timeout(lsn);
		if (dirty != NULL || ready_head != NULL)
			tmo = 0;
		else if (tmo < 0 || tmo > 1000)
			tmo = 1000;
		if ((n = epoll_wait(epfd, evs, 256, tmo)) == -1) {
			if (errno == EINTR)
				continue;
			log_error("epoll_wait: %s", strerror(errno));
			return 1;
		}
		/* notifications first: a kick may close streams below */
		listen_step();
		if (cgi && !listen_up(lsn))
			break;
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr == &tag_listen) {
				accept_all();
				continue;
			}
			if (evs[i].data.ptr == &tag_pg)
				continue;
			c = evs[i].data.ptr;
			if (evs[i].events & EPOLLOUT) {
				if (conn_flush(c) == -1)
					continue;
				if (c->u != NULL && !stream_congested(c) &&
				    c->cursor < c->u->head)
					user_mark(c->u);
			}
			if (cgi && (evs[i].events & (EPOLLHUP | EPOLLERR)))
				conn_close(c);	/* stdout broke */
			else if (!cgi && (evs[i].events & (EPOLLIN | EPOLLHUP |
			    EPOLLERR)))
				conn_read(c);
		}
	}
	if (ev_restart)
		streams_end_all("restart requested through the database");
	else if (ev_stop)
		streams_end_all("stopping");
	return 0;
}

static int
epoll_add(int fd, void *tag)
{
	struct epoll_event	 ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = tag;
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* -l: a TCP address "host:port" or a unix socket path, as fd 0. */
static int
listen_on(const char *addr)
{
	struct sockaddr_un	 sun;
	struct sockaddr_in	 sin;
	const char		*colon;
	int			 fd, one = 1;

	if (addr[0] == '/') {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s",
		    addr) >= sizeof(sun.sun_path))
			return -1;
		(void)unlink(addr);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
		    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
			return -1;
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		if ((colon = strrchr(addr, ':')) == NULL)
			return -1;
		sin.sin_port = htons((unsigned short)atoi(colon + 1));
		{
			char	*h = xstrndup(addr, (size_t)(colon - addr));
			int	 ok = inet_pton(AF_INET, h, &sin.sin_addr);

			free(h);
			if (ok != 1)
				return -1;
		}
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			return -1;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			return -1;
	}
	if (listen(fd, SOMAXCONN) == -1 || dup2(fd, 0) == -1)
		return -1;
	if (fd != 0)
		(void)close(fd);
	return 0;
}

/*
 * A restart: under a process manager (lighttpd's bin-path) leave, as the
 * other executables do, and be started anew; a daemon (-l) has nobody to
 * start it, so it runs itself again on the same socket.
 */
static int
run_fastcgi(char **argv, int daemon)
{
	int	 fl;

	lfd = 0;
	if ((fl = fcntl(lfd, F_GETFL)) == -1 ||
	    fcntl(lfd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(lfd, F_SETFD, 0) == -1 ||
	    epoll_add(lfd, &tag_listen) == -1) {
		log_error("cannot watch the FastCGI socket: %s",
		    strerror(errno));
		return 1;
	}
	db_obey_restarts();
	(void)db_restart_check();
	listen_wait(5000);
	if (loop(0) != 0)
		return 1;
	if (ev_restart && daemon) {
		log_info("restarting");
		listen_stop(lsn);
		db_close();
		(void)execv("/proc/self/exe", argv);
		log_error("cannot run myself again: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * Plain CGI: this process is the one stream, with a LISTEN connection of
 * its own; it lives until the client goes away.
 */
static int
run_cgi(char **env, enum resp_form form)
{
	struct conn	*c;
	int		 fd = STDIN_FILENO, fl;

	c = xcalloc(1, sizeof(*c));
	c->fd = STDOUT_FILENO;
	listen_wait(5000);
	if (handle(c, env, app_fd_read, &fd, form) == -1)
		return 0;
	if (c->state != C_STREAM)
		return 0;
	/* a regular file (a terminal run redirected) cannot be watched */
	if ((fl = fcntl(c->fd, F_GETFL)) == -1 ||
	    fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    (epoll_add(c->fd, c) == -1 && errno != EPERM)) {
		conn_close(c);
		return 1;
	}
	/* registered for EPOLLIN: ask for nothing but errors and hang-ups */
	c->pollout = -1;
	conn_events(c, 0);
	return loop(1);
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: " EV_NAME " [-hV] [-c file] [-l address]\n"
	    "       " EV_NAME " [-c file] -u user:password [-i last-id] "
	    "GET /api/sse\n");
}

/* -h: the usage lines, every option and the ways to run. */
static void
help(void)
{
	usage(stdout);
	printf("\noptions:\n"
	    "  -c file         configuration file (default: $CHATREST_CONFIG,"
	    " else\n"
	    "                  %s)\n"
	    "  -l address      listen on a socket of its own (host:port or a"
	    " path):\n"
	    "                  the daemon Apache's mod_proxy_fcgi talks to\n"
	    "  -u user:pass    terminal: the stream's HTTP Basic credentials\n"
	    "  -i last-id      terminal: resume after this event id\n"
	    "  -h, --help      print this help and exit\n"
	    "  -V, --version   print the version and exit\n"
	    "\nmodes:\n"
	    "  FastCGI         started by a web server with a socket on"
	    " standard input,\n"
	    "                  or with -l: every stream in one event loop\n"
	    "  CGI             started with REQUEST_METHOD in the"
	    " environment: one stream\n"
	    "  terminal        with -u and GET /api/sse: print the stream\n"
	    "\nSee %s(8) and chatrest.conf(5). Report bugs to <%s>.\n",
	    CHATREST_CONFIG_DEFAULT, EV_NAME, PACKAGE_BUGREPORT);
}

/* --routes: "pattern<TAB>methods", as the other executables print it. */
static void
print_routes(void)
{
	struct buf	 b = { NULL, 0, 0 };
	size_t		 i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		buf_reset(&b);
		router_allow(routes[i].methods, &b);
		printf("%s\t%s\n", routes[i].pattern, b.p != NULL ? b.p : "");
	}
	buf_free(&b);
}

/* A stream on the terminal: the CGI path with a request from argv. */
static int
run_terminal(const char *userpass, const char *last, int argc, char **argv)
{
	char	*env[8], *b64;
	size_t	 n = 0, i;
	int	 rc;

	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	env[n++] = xasprintf("REQUEST_METHOD=%s", argv[0]);
	env[n++] = xasprintf("PATH_INFO=%s", argv[1]);
	env[n++] = xstrdup("SCRIPT_NAME=");
	env[n++] = xstrdup("REMOTE_ADDR=127.0.0.1");
	if (userpass != NULL) {
		b64 = xmalloc(BASE64_ENCODED_LEN(strlen(userpass)));
		(void)base64_encode((const unsigned char *)userpass,
		    strlen(userpass), b64);
		env[n++] = xasprintf("HTTP_AUTHORIZATION=Basic %s", b64);
		free(b64);
	}
	if (last != NULL)
		env[n++] = xasprintf("HTTP_LAST_EVENT_ID=%s", last);
	env[n] = NULL;
	rc = run_cgi(env, RESP_HTTP);
	for (i = 0; i < n; i++)
		free(env[i]);
	return rc;
}

int
main(int argc, char **argv)
{
	extern char	**environ;
	struct config	*c;
	const char	*path = NULL, *addr = NULL, *userpass = NULL;
	const char	*last = NULL;
	struct rlimit	 rl;
	struct sigaction sa;
	char		 err[512];
	int		 ch, rc = 2;

	log_init(EV_NAME);
	/* The long forms of -h and -V, alone, as GNU tools take them. */
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		help();
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf(EV_NAME " %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--routes") == 0) {
		print_routes();
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGUSR1, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	/* every stream is a descriptor: take all the hard limit allows */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	while ((ch = getopt(argc, argv, "c:hi:l:u:V")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf(EV_NAME " %s\n", PACKAGE_VERSION);
			return 0;
		case 'i':
			last = optarg;
			break;
		case 'l':
			addr = optarg;
			break;
		case 'u':
			userpass = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (path == NULL)
		path = config_path();
	if ((c = config_load(path, err, sizeof(err))) == NULL) {
		log_error("%s", err);
		if (isatty(STDERR_FILENO))
			fprintf(stderr, EV_NAME ": %s\n", err);
		return 1;
	}
	cfg = c;
	log_set_level(c->log_level);
	db_init(c->db_conninfo, EV_NAME);
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (lepfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    epoll_add(lepfd, &tag_pg) == -1) {
		log_error("epoll_create1: %s", strerror(errno));
		goto out;
	}
	lsn = listen_start(c->db_listen_conninfo, EV_NAME, channels,
	    sizeof(channels) / sizeof(channels[0]), on_note, NULL);
	/* a listen socket on fd 0 first: it survives a restart's exec */
	if (!FCGX_IsCGI())
		rc = run_fastcgi(argv, addr != NULL);
	else if (addr != NULL) {
		if (listen_on(addr) == -1) {
			log_error("cannot listen on %s: %s", addr,
			    strerror(errno));
			rc = 1;
		} else
			rc = run_fastcgi(argv, 1);
	} else if (optind < argc)
		rc = run_terminal(userpass, last, argc - optind,
		    argv + optind);
	else if (getenv("REQUEST_METHOD") != NULL)
		rc = run_cgi(environ, RESP_CGI);
	else
		usage(stderr);
out:
	listen_stop(lsn);
	db_close();
	config_free(c);
	return rc;
}
