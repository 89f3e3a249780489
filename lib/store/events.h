/* events: the live-event log of GET /api/sse (SQL for events). */
#ifndef EVENTS_H
#define EVENTS_H

#include "db.h"

/* NOTIFY channel: "<user id> <event id>" after a commit, "kick <user id>". */
#define EVENTS_CHANNEL	"chatrest_events"

struct event_row {
	long long	 uid;
	long long	 eid;
	const char	*name;		/* "message", "room.message" */
	const char	*room_host;	/* NULL, or the host of the room whose
					   JID is the event's "from" */
	const char	*data;		/* JSON object */
};

typedef void	(*events_fn)(void *, const struct event_row *);
typedef void	(*events_head_fn)(void *, long long, long long);

enum db_status	events_kick(const char *, const char *);
enum db_status	events_head(const char *, long long *);
enum db_status	events_fetch(const char *, const char *, long, events_fn,
		    void *);
enum db_status	events_prune(long, long *);
enum db_status	events_heads(const char *, events_head_fn, void *);
void		events_announce(const char *, const char *, const char *);

#endif
