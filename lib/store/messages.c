/*
 * messages: the one-to-one message archive (SQL for chat_archive).
 *
 * A message is archived once per local party, in one statement: the
 * sender's copy, and the recipient's when the recipient is a user here.
 * Reads are the newest rows at or before a time, returned oldest first,
 * minus messages from senders on the reader's blocklist.
 */
#include <stdio.h>
#include <stdlib.h>

#include "events.h"
#include "messages.h"

static const struct db_stmt st_send = { "messages_send",
	"WITH m AS (SELECT gen_random_uuid() AS mid,"
	"   (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS ts),"
	" ins AS (INSERT INTO chat_archive (owner_id, ts, mid, from_host,"
	"   from_local, to_host, to_local, peer_host, peer_local, body)"
	"  SELECT $1, m.ts, m.mid, $2, $3, $4, $5, $4, $5, $6 FROM m"
	"  UNION ALL"
	"  SELECT u.id, m.ts, m.mid, $2, $3, $4, $5, $2, $3, $6 FROM m, users u"
	"   WHERE u.host = $4 AND u.localpart = $5 AND u.id <> $1"
	"  RETURNING mid)"
	" SELECT mid FROM ins LIMIT 1",
	6, 0 };

/*
 * As messages_send, checking a cached hash ($1 id, $2 hash): when the
 * row no longer holds it, nothing is inserted and no row comes back.
 */
static const struct db_stmt st_send_check = { "messages_send_check",
	"WITH " USERS_CHECK ","
	" m AS (SELECT gen_random_uuid() AS mid,"
	"   (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS ts"
	"  FROM me),"
	" ins AS (INSERT INTO chat_archive (owner_id, ts, mid, from_host,"
	"   from_local, to_host, to_local, peer_host, peer_local, body)"
	"  SELECT $1, m.ts, m.mid, $3, $4, $5, $6, $5, $6, $7 FROM m"
	"  UNION ALL"
	"  SELECT u.id, m.ts, m.mid, $3, $4, $5, $6, $3, $4, $7 FROM m, users u"
	"   WHERE u.host = $5 AND u.localpart = $6 AND u.id <> $1"
	"  RETURNING mid)"
	" SELECT (SELECT mid FROM ins LIMIT 1), me.seen FROM me",
	7, 0 };

/*
 * The newest rows before a time, returned oldest first.  The blocklist
 * is consulted per row only when the owner has one (most have none, and
 * an anti-join would rescan blocks for every row).
 */
#define HISTORY_COLS \
	"mid, from_host, from_local, to_host, to_local, body, ms"
#define HISTORY_SUB(owner, peer, before, limit) \
	"SELECT mid, from_host, from_local, to_host, to_local, body," \
	"  ts / 1000 AS ms, ts, seq FROM chat_archive a" \
	" WHERE owner_id = " owner peer " AND ts <= " before \
	" AND (NOT EXISTS (SELECT 1 FROM blocks WHERE user_id = " owner ")" \
	"  OR NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = a.owner_id" \
	"  AND b.blocked_host = a.from_host AND b.blocked_local = a.from_local))" \
	" ORDER BY ts DESC, seq DESC LIMIT " limit
#define WITH_PEER(h, l)	" AND peer_host = " h " AND peer_local = " l

static const struct db_stmt st_history = { "messages_history",
	"SELECT " HISTORY_COLS " FROM (" HISTORY_SUB("$1", "", "$2", "$3")
	") t ORDER BY ts, seq",
	3, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_history_with = { "messages_history_with",
	"SELECT " HISTORY_COLS " FROM ("
	HISTORY_SUB("$1", WITH_PEER("$4", "$5"), "$2", "$3")
	") t ORDER BY ts, seq",
	5, DB_IDEMPOTENT | DB_REPLICA };

/*
 * Both, checking a cached hash ($1 id, $2 hash): no row when it is
 * stale, one row of NULLs but the last column for no messages.
 */
#define HISTORY_CHECK(peer) \
	"WITH " USERS_CHECK \
	" SELECT " HISTORY_COLS ", me.seen FROM me LEFT JOIN LATERAL (" \
	HISTORY_SUB("me.id", peer, "$3", "$4") ") t ON true" \
	" ORDER BY t.ts, t.seq"

static const struct db_stmt st_history_check = { "messages_history_check",
	HISTORY_CHECK(""), 4, DB_IDEMPOTENT };

static const struct db_stmt st_history_with_check = {
	"messages_history_with_check",
	HISTORY_CHECK(WITH_PEER("$5", "$6")), 6, DB_IDEMPOTENT };

enum db_status
messages_send(const struct user *from, const struct jid *to,
    const char *body, char mid[MESSAGES_ID_LEN + 1])
{
	const char	*p[] = { from->id, from->host, from->local, to->host,
			    to->local, body };
	const char	*pc[] = { from->id, from->hash, from->host, from->local,
			    to->host, to->local, body };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 found;

	if (from->check == NULL) {
		if ((s = db_exec_value(&st_send, p, mid, MESSAGES_ID_LEN + 1,
		    &found)) == DB_OK && !found)
			s = DB_ERROR;
		goto out;
	}
	if ((s = db_exec(&st_send_check, pc, &res)) != DB_OK ||
	    (s = users_check_take(from, res, 1)) != DB_OK)
		goto out;
	if (PQgetisnull(res, 0, 0))
		s = DB_ERROR;
	else
		(void)snprintf(mid, MESSAGES_ID_LEN + 1, "%s",
		    PQgetvalue(res, 0, 0));
out:
	PQclear(res);
	/* The recipient's live event (the sender's own when to itself). */
	if (s == DB_OK)
		events_announce(NULL, to->host, to->local);
	return s;
}

/* before is in microseconds, inclusive; with may be NULL (everyone). */
enum db_status
messages_history(const struct user *owner, const struct jid *with,
    long long before, long limit, messages_fn fn, void *ctx)
{
	char		 bs[24], ls[24];
	const char	*p[] = { owner->id, bs, ls, NULL, NULL };
	const char	*pc[] = { owner->id, owner->hash, bs, ls, NULL, NULL };
	PGresult	*res = NULL;
	struct chat_item it;
	enum db_status	 s;
	int		 i, n;

	(void)snprintf(bs, sizeof(bs), "%lld", before);
	(void)snprintf(ls, sizeof(ls), "%ld", limit);
	if (with != NULL) {
		p[3] = pc[4] = with->host;
		p[4] = pc[5] = with->local;
	}
	if (owner->check == NULL)
		s = db_exec(with != NULL ? &st_history_with : &st_history, p,
		    &res);
	else if ((s = db_exec(with != NULL ? &st_history_with_check :
	    &st_history_check, pc, &res)) == DB_OK)
		s = users_check_take(owner, res, 7);
	if (s != DB_OK)
		goto out;
	n = PQntuples(res);
	/* A checked read's one row of NULLs: no messages. */
	if (n == 1 && PQgetisnull(res, 0, 0))
		n = 0;
	for (i = 0; i < n; i++) {
		it.mid = PQgetvalue(res, i, 0);
		it.from_host = PQgetvalue(res, i, 1);
		it.from_local = PQgetvalue(res, i, 2);
		it.to_host = PQgetvalue(res, i, 3);
		it.to_local = PQgetvalue(res, i, 4);
		it.body = PQgetvalue(res, i, 5);
		it.ts_ms = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		fn(ctx, &it);
	}
out:
	PQclear(res);
	return s;
}

/* --- retention and offline counts (chatrest-admin) ---------------------- */

#define BEFORE_DAYS \
	"(extract(epoch FROM now() - make_interval(days => $1::int))" \
	" * 1000000)::bigint"
/* A user's unread: received after it was last seen (µs). */
#define SINCE_SEEN \
	"coalesce((extract(epoch FROM greatest(u.last_seen, u.last_activity))" \
	" * 1000000)::bigint, 0)"

/*
 * The archives are partitioned by month (sql/014-a): retention drops the
 * months wholly older than the cut-off and deletes only in the month
 * that straddles it; the months ahead are made on the way.
 */
static const struct db_stmt st_retain_chat = { "messages_retain_chat",
	"SELECT dropped, deleted FROM chatrest_archive_retain('chat_archive',"
	" " BEFORE_DAYS ")", 1, 0 };

static const struct db_stmt st_retain_room = { "messages_retain_room",
	"SELECT dropped, deleted FROM chatrest_archive_retain('room_archive',"
	" " BEFORE_DAYS ")", 1, 0 };

static const struct db_stmt st_prepare = { "messages_archive_prepare",
	"SELECT chatrest_archive_prepare()", 0, 0 };

/* Whether sql/014-a is in: migrate may run with an older directory. */
static const struct db_stmt st_partitioned = { "messages_partitioned",
	"SELECT 1 WHERE to_regproc('chatrest_archive_prepare') IS NOT NULL",
	0, DB_IDEMPOTENT };

/* Recipients' copies still unread, older than the days. */
static const struct db_stmt st_delete_offline = { "messages_delete_offline",
	"DELETE FROM chat_archive a USING users u WHERE u.id = a.owner_id"
	" AND a.to_host = u.host AND a.to_local = u.localpart"
	" AND a.from_host || '@' || a.from_local <>"
	"  u.host || '@' || u.localpart"
	" AND a.ts > " SINCE_SEEN " AND a.ts < " BEFORE_DAYS,
	1, 0 };

static const struct db_stmt st_offline_count = { "messages_offline_count",
	"SELECT count(*) FROM chat_archive a JOIN users u ON u.id = a.owner_id"
	" WHERE u.id = $1 AND a.to_host = u.host AND a.to_local = u.localpart"
	" AND NOT (a.from_host = u.host AND a.from_local = u.localpart)"
	" AND a.ts > " SINCE_SEEN,
	1, DB_IDEMPOTENT };

static enum db_status
retain(const struct db_stmt *st, const char *const *p, long *dropped,
    long *deleted)
{
	PGresult	*res = NULL;
	enum db_status	 s;

	if ((s = db_exec(st, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) != 1) {
		s = DB_ERROR;
		goto out;
	}
	*dropped += strtol(PQgetvalue(res, 0, 0), NULL, 10);
	*deleted += strtol(PQgetvalue(res, 0, 1), NULL, 10);
out:
	PQclear(res);
	return s;
}

/*
 * Archived messages older than days: one-to-one, room, or both; the
 * months dropped and the rows deleted are added to the counts.
 */
enum db_status
messages_delete_old(int chat, int room, long long days, long *dropped,
    long *deleted)
{
	char		 d[32];
	const char	*p[] = { d };
	enum db_status	 s = DB_OK;

	*dropped = *deleted = 0;
	(void)snprintf(d, sizeof(d), "%lld", days);
	if (chat && (s = retain(&st_retain_chat, p, dropped, deleted)) !=
	    DB_OK)
		return s;
	if (room)
		s = retain(&st_retain_room, p, dropped, deleted);
	return s;
}

/* The archives' months from this one to two ahead; how many were made. */
enum db_status
messages_archive_prepare(long *made)
{
	enum db_status	 s;
	int		 found;

	*made = 0;
	if ((s = db_exec_value(&st_partitioned, NULL, NULL, 0, &found)) !=
	    DB_OK || !found)
		return s;
	return db_exec_long(&st_prepare, NULL, made);
}

/* Messages older than days still waiting for their recipient. */
enum db_status
messages_delete_offline(long long days, long *n)
{
	char		 d[32];
	const char	*p[] = { d };
	enum db_status	 s;
	int		 c = 0;

	(void)snprintf(d, sizeof(d), "%lld", days);
	if ((s = messages_archive_prepare(n)) != DB_OK)
		return s;
	s = db_exec_count(&st_delete_offline, p, &c);
	*n = c;
	return s;
}

/* Messages the user received since it was last seen. */
enum db_status
messages_offline_count(const struct user *u, long *n)
{
	const char	*p[] = { u->id };

	return db_exec_long(&st_offline_count, p, n);
}
