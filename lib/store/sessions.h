/*
 * sessions: ejabberd's sessions on chatrest's presence (SQL).  An account
 * seen within the [presence] window has one session, with the resource,
 * show, status and priority set_presence last gave it.
 */
#ifndef SESSIONS_H
#define SESSIONS_H

#include "config.h"
#include "db.h"
#include "users.h"

struct session {
	const char	*host, *local;
	const char	*resource, *show, *status;
	long long	 priority;
	long long	 uptime;	/* seconds since the session began */
};

struct last_info {
	int	 online;
	char	 when[32];		/* ISO 8601, UTC, seconds */
	char	 status[1025];
	int	 never;			/* registered, never seen */
};

typedef void	(*sessions_fn)(void *, const struct session *);

enum db_status	sessions_list(const struct config *, const char *,
		    const char *, sessions_fn, void *);
enum db_status	sessions_set(const struct config *, const struct user *,
		    const char *, const char *, const char *, long long);
enum db_status	sessions_end(const struct config *, const struct user *,
		    const char *, const char *, const char *, int *);
enum db_status	sessions_get_last(const struct config *, const struct user *,
		    struct last_info *);
enum db_status	sessions_set_last(const struct user *, long long,
		    const char *);
enum db_status	sessions_uptime(long *);
enum db_status	sessions_processes(long *);

#endif
