/*
 * listen: a direct connection that only LISTENs, never blocking its
 * caller.  Behind PgBouncer in transaction mode LISTEN hears nothing, so
 * this connection must go to PostgreSQL itself ([database]
 * listen_conninfo).  Whatever is sent while it is down is lost to it:
 * the caller is told LISTEN_READY after each (re)connect, once the
 * LISTENs are in force, and reads what it missed from the stored rows.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "listen.h"
#include "log.h"
#include "util.h"

#define LISTEN_BACKOFF_MIN	250	/* ms, doubled up to the max */
#define LISTEN_BACKOFF_MAX	4000
#define LISTEN_CONNECT_MS	5000	/* PQconnectPoll has no timeout */

enum listen_phase {
	L_WAIT,		/* disconnected until retry_at */
	L_CONNECT,	/* PQconnectPoll in progress */
	L_SUBSCRIBE,	/* LISTEN sent, answers pending */
	L_LISTEN,
};

struct listen {
	char			*conninfo;
	char			*appname;
	char			**chans;
	size_t			 nchans;
	listen_fn		 fn;
	void			*arg;
	PGconn			*conn;
	enum listen_phase	 phase;
	short			 events;	/* what to poll for */
	long long		 deadline;	/* ms: retry or give up */
	long			 backoff;
};

/* Drop the connection; the next attempt after a growing, jittered wait. */
static void
listen_down(struct listen *l, const char *why)
{
	unsigned short	 r;

	if (l->conn != NULL) {
		log_warn("notification connection: %s%s", why,
		    PQerrorMessage(l->conn));
		PQfinish(l->conn);
		l->conn = NULL;
	}
	util_random(&r, sizeof(r));
	/* Many listeners losing one server must not all come back at once. */
	l->deadline = util_now_ms() + l->backoff / 2 + r % (l->backoff / 2 + 1);
	l->backoff = l->backoff * 2 > LISTEN_BACKOFF_MAX ? LISTEN_BACKOFF_MAX :
	    l->backoff * 2;
	l->phase = L_WAIT;
	l->events = 0;
}

static void
listen_connect(struct listen *l)
{
	const char	*keys[] = { "application_name", "keepalives",
			    "keepalives_idle", "keepalives_interval",
			    "keepalives_count", "dbname", NULL };
	const char	*vals[] = { l->appname, "1", "10", "5", "3",
			    l->conninfo, NULL };

	l->conn = PQconnectStartParams(keys, vals, 1);
	if (l->conn == NULL || PQstatus(l->conn) == CONNECTION_BAD) {
		listen_down(l, "cannot connect: ");
		return;
	}
	l->phase = L_CONNECT;
	l->events = POLLOUT;
	l->deadline = util_now_ms() + LISTEN_CONNECT_MS;
}

/* Connected: one simple query with a LISTEN per channel. */
static void
listen_subscribe(struct listen *l)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*id;
	size_t		 i;

	for (i = 0; i < l->nchans; i++) {
		if ((id = PQescapeIdentifier(l->conn, l->chans[i],
		    strlen(l->chans[i]))) == NULL) {
			buf_free(&b);
			listen_down(l, "");
			return;
		}
		buf_addf(&b, "LISTEN %s;", id);
		PQfreemem(id);
	}
	if (PQsetnonblocking(l->conn, 1) != 0 ||
	    PQsendQuery(l->conn, b.p != NULL ? b.p : "") == 0) {
		buf_free(&b);
		listen_down(l, "LISTEN failed: ");
		return;
	}
	buf_free(&b);
	l->phase = L_SUBSCRIBE;
	l->events = POLLIN;
}

/* Hand over every queued notification. */
static void
listen_deliver(struct listen *l)
{
	PGnotify	*n;

	while ((n = PQnotifies(l->conn)) != NULL) {
		l->fn(l->arg, n->relname, n->extra != NULL ? n->extra : "");
		PQfreemem(n);
	}
}

struct listen *
listen_start(const char *conninfo, const char *appname,
    const char *const *chans, size_t nchans, listen_fn fn, void *arg)
{
	struct listen	*l;
	size_t		 i;

	l = xcalloc(1, sizeof(*l));
	l->conninfo = xstrdup(conninfo != NULL ? conninfo : "");
	l->appname = xstrdup(appname);
	l->chans = xcalloc(nchans + 1, sizeof(char *));
	for (i = 0; i < nchans; i++)
		l->chans[i] = xstrdup(chans[i]);
	l->nchans = nchans;
	l->fn = fn;
	l->arg = arg;
	l->backoff = LISTEN_BACKOFF_MIN;
	listen_connect(l);
	return l;
}

/* The socket to poll and for what (*events); -1 while there is none. */
int
listen_fd(const struct listen *l, short *events)
{
	*events = l->events;
	if (l->conn == NULL || l->phase == L_WAIT)
		return -1;
	return PQsocket(l->conn);
}

/* Milliseconds until listen_run() is due anyway; -1: only when readable. */
int
listen_timeout(const struct listen *l)
{
	long long	 left;

	if (l->phase == L_LISTEN)
		return -1;
	left = l->deadline - util_now_ms();
	return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

int
listen_up(const struct listen *l)
{
	return l->phase == L_LISTEN;
}

/*
 * Call when the socket is ready or the timeout has passed (calling it
 * more often is harmless).  Notifications go to the callback first.
 */
enum listen_state
listen_run(struct listen *l)
{
	PGresult	*res;
	int		 ok;

	switch (l->phase) {
	case L_WAIT:
		if (util_now_ms() < l->deadline)
			return LISTEN_IDLE;
		listen_connect(l);
		if (l->phase == L_WAIT)
			return LISTEN_IDLE;
		/* FALLTHROUGH */
	case L_CONNECT:
		if (util_now_ms() >= l->deadline) {
			listen_down(l, "connection timed out: ");
			return LISTEN_IDLE;
		}
		switch (PQconnectPoll(l->conn)) {
		case PGRES_POLLING_READING:
			l->events = POLLIN;
			return LISTEN_IDLE;
		case PGRES_POLLING_WRITING:
			l->events = POLLOUT;
			return LISTEN_IDLE;
		case PGRES_POLLING_OK:
			listen_subscribe(l);
			if (l->phase != L_SUBSCRIBE)
				return LISTEN_IDLE;
			break;
		default:
			listen_down(l, "cannot connect: ");
			return LISTEN_IDLE;
		}
		/* FALLTHROUGH */
	case L_SUBSCRIBE:
		if (PQflush(l->conn) == -1 || PQconsumeInput(l->conn) == 0) {
			listen_down(l, "LISTEN failed: ");
			return LISTEN_DOWN;
		}
		ok = 1;
		while (!PQisBusy(l->conn) &&
		    (res = PQgetResult(l->conn)) != NULL) {
			if (PQresultStatus(res) != PGRES_COMMAND_OK)
				ok = 0;
			PQclear(res);
		}
		if (!ok) {
			listen_down(l, "LISTEN failed: ");
			return LISTEN_DOWN;
		}
		if (PQisBusy(l->conn)) {
			l->events = POLLIN | (PQflush(l->conn) == 1 ?
			    POLLOUT : 0);
			return LISTEN_IDLE;
		}
		l->phase = L_LISTEN;
		l->events = POLLIN;
		l->backoff = LISTEN_BACKOFF_MIN;
		log_info("listening for notifications");
		listen_deliver(l);
		return LISTEN_READY;
	case L_LISTEN:
		if (PQconsumeInput(l->conn) == 0 ||
		    PQstatus(l->conn) != CONNECTION_OK) {
			listen_deliver(l);
			listen_down(l, "lost: ");
			return LISTEN_DOWN;
		}
		listen_deliver(l);
		return LISTEN_IDLE;
	}
	return LISTEN_IDLE;
}

void
listen_stop(struct listen *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	PQfinish(l->conn);
	for (i = 0; i < l->nchans; i++)
		free(l->chans[i]);
	free(l->chans);
	free(l->conninfo);
	free(l->appname);
	free(l);
}
