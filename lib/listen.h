/*
 * listen: the notification path.  One direct PostgreSQL connection used
 * only for LISTEN, driven without blocking from the caller's poll loop;
 * it reconnects on its own, with backoff, and says when it (re)connected
 * so its user can catch up from stored rows.
 *
 *	l = listen_start(conninfo, "chatrest-client", chans, 2, on_note, ctx);
 *	for (;;) {
 *		pfd.fd = listen_fd(l, &pfd.events);	(-1: nothing to poll)
 *		poll(&pfd, pfd.fd >= 0, listen_timeout(l));
 *		if (listen_run(l) == LISTEN_READY)
 *			catch up from the stored rows;
 *	}
 *	listen_stop(l);
 */
#ifndef LISTEN_H
#define LISTEN_H

#include <stddef.h>

struct listen;

/* One notification: channel and payload are valid during the call only. */
typedef void	(*listen_fn)(void *, const char *, const char *);

enum listen_state {
	LISTEN_IDLE,	/* nothing new beyond notifications delivered */
	LISTEN_READY,	/* just (re)connected and listening: catch up now */
	LISTEN_DOWN,	/* lost the connection; retrying after a backoff */
};

struct listen	*listen_start(const char *, const char *, const char *const *,
		    size_t, listen_fn, void *);
int		 listen_fd(const struct listen *, short *);
int		 listen_timeout(const struct listen *);
enum listen_state listen_run(struct listen *);
int		 listen_up(const struct listen *);
void		 listen_stop(struct listen *);

#endif
