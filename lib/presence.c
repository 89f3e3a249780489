/*
 * presence: last-seen times, written by every front door that
 * authenticates.  A user is written at most once per touch interval per
 * process; the remembered times are only a write filter, never read as
 * state, so a stale entry costs at most one skipped write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "presence.h"
#include "util.h"

#define PRESENCE_SLOTS	1024

static const struct db_stmt st_touch = { "presence_touch",
	"UPDATE users SET last_seen = now() WHERE id = $1", 1, DB_IDEMPOTENT };

static struct {
	char	 id[24];
	time_t	 at;
} recent[PRESENCE_SLOTS];

enum db_status
presence_touch(const struct config *c, const struct user *u)
{
	const char	*p[] = { u->id };
	size_t		 slot = (size_t)(strtoull(u->id, NULL, 10) % PRESENCE_SLOTS);
	time_t		 now = time(NULL);
	enum db_status	 s;

	if (strcmp(recent[slot].id, u->id) == 0 &&
	    now - recent[slot].at < c->presence_interval)
		return DB_OK;
	if ((s = db_exec(&st_touch, p, NULL)) == DB_OK) {
		(void)snprintf(recent[slot].id, sizeof(recent[slot].id), "%s",
		    u->id);
		recent[slot].at = now;
	}
	return s;
}

void
presence_forget(void)
{
	memset(recent, 0, sizeof(recent));
}
