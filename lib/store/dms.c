/*
 * dms: BareRTC's direct messages, a view of the one-to-one archive.
 *
 * A BareRTC DM between alice and bob on the web host is the conversation
 * the client API shows: the reader's own copies in chat_archive whose
 * peer is on the web host, minus senders the reader blocks.  Message ids
 * are the reader's archive row numbers (seq), which only grow.
 */
#include <stdio.h>
#include <stdlib.h>

#include "dms.h"

#define DMS_NOT_BLOCKED \
	" AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = a.owner_id" \
	"  AND b.blocked_host = a.from_host AND b.blocked_local = a.from_local)"

static const struct db_stmt st_online = { "dms_online",
	"SELECT NOT disabled AND coalesce(last_seen > now() -"
	" make_interval(secs => $2::int), false) FROM users WHERE id = $1",
	2, DB_IDEMPOTENT };

/* Newest first, below an id (0: none). */
static const struct db_stmt st_page = { "dms_page",
	"SELECT seq, from_local, body, ts / 1000000 FROM chat_archive a"
	" WHERE owner_id = $1 AND peer_host = $2 AND peer_local = $3"
	" AND ($4::bigint = 0 OR seq < $4::bigint)" DMS_NOT_BLOCKED
	" ORDER BY seq DESC LIMIT 20",
	4, DB_IDEMPOTENT };

static const struct db_stmt st_older = { "dms_older",
	"SELECT count(*) FROM chat_archive a"
	" WHERE owner_id = $1 AND peer_host = $2 AND peer_local = $3"
	" AND seq < $4::bigint" DMS_NOT_BLOCKED,
	4, DB_IDEMPOTENT };

/* Threads: partners on the web host other than the reader. */
#define DMS_THREADS \
	" FROM chat_archive a WHERE owner_id = $1 AND peer_host = $2" \
	" AND peer_local <> $3" DMS_NOT_BLOCKED

static const struct db_stmt st_threads = { "dms_threads",
	"SELECT count(DISTINCT peer_local)" DMS_THREADS,
	3, DB_IDEMPOTENT };

/*
 * Partners who wrote at least once, as BareRTC lists them; time sorts by
 * each thread's latest message (BareRTC's SQLite query happens to sort
 * by the earliest).
 */
#define DMS_PARTNERS(name, order) { name, \
	"SELECT peer_local" DMS_THREADS " GROUP BY peer_local" \
	" HAVING bool_or(from_host = peer_host AND from_local = peer_local)" \
	" ORDER BY " order " LIMIT 9 OFFSET $4", \
	4, DB_IDEMPOTENT }

static const struct db_stmt st_partners[] = {
	[DMS_NEWEST] = DMS_PARTNERS("dms_newest",
	    "max(ts) DESC, peer_local COLLATE \"C\""),
	[DMS_OLDEST] = DMS_PARTNERS("dms_oldest",
	    "max(ts), peer_local COLLATE \"C\""),
	[DMS_AZ] = DMS_PARTNERS("dms_az", "peer_local COLLATE \"C\""),
	[DMS_ZA] = DMS_PARTNERS("dms_za", "peer_local COLLATE \"C\" DESC"),
};

/*
 * Every thread of the user on the web host, in both directions, from
 * every local copy: the user's own and the partners'.  Counted as
 * messages, not copies.
 */
static const struct db_stmt st_clear = { "dms_clear",
	"WITH u AS (SELECT id FROM users WHERE host = $1 AND localpart = $2),"
	" d AS (DELETE FROM chat_archive a WHERE a.peer_host = $1"
	"  AND (a.owner_id = (SELECT id FROM u) OR (a.peer_local = $2"
	"  AND a.owner_id IN (SELECT id FROM users WHERE host = $1)))"
	"  RETURNING mid)"
	" SELECT count(DISTINCT mid) FROM d",
	2, 0 };

/* *online: the user (by id) is enabled and seen within [presence] window. */
enum db_status
dms_online(const struct config *c, const char *user_id, int *online)
{
	char		 w[32], v[8];
	const char	*p[] = { user_id, w };
	enum db_status	 s;
	int		 found;

	(void)snprintf(w, sizeof(w), "%ld", c->presence_window);
	s = db_exec_value(&st_online, p, v, sizeof(v), &found);
	*online = s == DB_OK && found && v[0] == 't';
	return s;
}

/*
 * One page of the reader's thread with peer, newest first, below
 * before_id (0: from the newest); *remaining counts the older messages.
 */
enum db_status
dms_page(const char *owner_id, const char *host, const char *peer,
    long long before_id, dms_fn fn, void *ctx, long *remaining)
{
	char		 bs[24];
	const char	*p[] = { owner_id, host, peer, bs };
	PGresult	*res = NULL;
	struct dms_item	 it;
	enum db_status	 s;
	int		 i, n;

	*remaining = 0;
	(void)snprintf(bs, sizeof(bs), "%lld", before_id);
	if ((s = db_exec(&st_page, p, &res)) != DB_OK)
		goto out;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		it.id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		it.sender = PQgetvalue(res, i, 1);
		it.body = PQgetvalue(res, i, 2);
		it.ts = strtoll(PQgetvalue(res, i, 3), NULL, 10);
		fn(ctx, &it);
	}
	if (n > 0) {
		(void)snprintf(bs, sizeof(bs), "%s", PQgetvalue(res, n - 1, 0));
		s = db_exec_long(&st_older, p, remaining);
	}
out:
	PQclear(res);
	return s;
}

/* The reader's partners, a page at offset; *threads counts every thread. */
enum db_status
dms_partners(const char *owner_id, const char *host, const char *self,
    enum dms_sort sort, long offset, dms_name_fn fn, void *ctx,
    long *threads)
{
	char		 os[24];
	const char	*p[] = { owner_id, host, self, os };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	(void)snprintf(os, sizeof(os), "%ld", offset);
	if ((s = db_exec_long(&st_threads, p, threads)) != DB_OK ||
	    *threads == 0)
		goto out;
	if ((s = db_exec(&st_partners[sort], p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++)
		fn(ctx, PQgetvalue(res, i, 0));
out:
	PQclear(res);
	return s;
}

/* Erase the threads of localpart on host; *erased counts messages. */
enum db_status
dms_clear(const char *host, const char *local, long *erased)
{
	const char	*p[] = { host, local };

	return db_exec_long(&st_clear, p, erased);
}
