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

#define HISTORY_COLS \
	"SELECT mid, from_host, from_local, to_host, to_local, body," \
	" ts / 1000, ts, seq FROM chat_archive a"
#define NOT_BLOCKED \
	" AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.user_id = a.owner_id" \
	"  AND b.blocked_host = a.from_host AND b.blocked_local = a.from_local)"

static const struct db_stmt st_history = { "messages_history",
	"SELECT * FROM (" HISTORY_COLS
	" WHERE owner_id = $1 AND ts <= $2" NOT_BLOCKED
	" ORDER BY ts DESC, seq DESC LIMIT $3) t ORDER BY ts, seq",
	3, DB_IDEMPOTENT | DB_REPLICA };

static const struct db_stmt st_history_with = { "messages_history_with",
	"SELECT * FROM (" HISTORY_COLS
	" WHERE owner_id = $1 AND peer_host = $4 AND peer_local = $5"
	" AND ts <= $2" NOT_BLOCKED
	" ORDER BY ts DESC, seq DESC LIMIT $3) t ORDER BY ts, seq",
	5, DB_IDEMPOTENT | DB_REPLICA };

enum db_status
messages_send(const struct user *from, const struct jid *to,
    const char *body, char mid[MESSAGES_ID_LEN + 1])
{
	const char	*p[] = { from->id, from->host, from->local, to->host,
			    to->local, body };
	enum db_status	 s;
	int		 found;

	if ((s = db_exec_value(&st_send, p, mid, MESSAGES_ID_LEN + 1,
	    &found)) == DB_OK && !found)
		s = DB_ERROR;
	return s;
}

/* before is in microseconds, inclusive; with may be NULL (everyone). */
enum db_status
messages_history(const struct user *owner, const struct jid *with,
    long long before, long limit, messages_fn fn, void *ctx)
{
	char		 bs[24], ls[24];
	const char	*p[] = { owner->id, bs, ls, NULL, NULL };
	PGresult	*res = NULL;
	struct chat_item it;
	enum db_status	 s;
	int		 i, n;

	(void)snprintf(bs, sizeof(bs), "%lld", before);
	(void)snprintf(ls, sizeof(ls), "%ld", limit);
	if (with != NULL) {
		p[3] = with->host;
		p[4] = with->local;
	}
	if ((s = db_exec(with != NULL ? &st_history_with : &st_history, p,
	    &res)) != DB_OK)
		goto out;
	n = PQntuples(res);
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
