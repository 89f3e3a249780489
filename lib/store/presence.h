/* presence: last-seen times, written by every front door that authenticates. */
#ifndef PRESENCE_H
#define PRESENCE_H

#include "config.h"
#include "db.h"
#include "users.h"

enum db_status	presence_touch(const struct config *, const struct user *);
enum db_status	presence_online(const struct config *, const char *,
		    struct strlist *);
enum db_status	presence_clear(const struct config *, const char *,
		    const char *, long *);

#endif
