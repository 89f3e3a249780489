/*
 * rooms: MUC Light rooms, affiliations and the room archive (SQL).
 *
 * A room is (host, rid): its JID is rid@<the MUC domain of host>.  Room
 * ids are drawn from the CSPRNG, so any number of processes on any number
 * of web servers can create rooms without coordinating; the unique key
 * catches the (astronomically rare) collision.  Changes to affiliations
 * run in the caller's transaction after rooms_find(..., lock = 1) has
 * taken the room's row lock, so they are serialised per room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "rooms.h"
#include "util.h"

static const struct db_stmt st_find = { "rooms_find",
	"SELECT r.id, r.rid, coalesce(m.affiliation, 'none') FROM rooms r"
	" LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $3"
	" WHERE r.host = $1 AND r.rid = $2",
	3, DB_IDEMPOTENT };

/* As rooms_find, checking a cached hash: no row when it is stale. */
static const struct db_stmt st_find_check = { "rooms_find_check",
	"WITH " USERS_CHECK
	" SELECT r.id, r.rid, coalesce(m.affiliation, 'none'), me.seen FROM me"
	" LEFT JOIN rooms r ON r.host = $3 AND r.rid = $4"
	" LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = me.id",
	4, DB_IDEMPOTENT };

/*
 * Membership changes serialise on the room row.  NO KEY UPDATE, not
 * UPDATE: a post's foreign key takes KEY SHARE on the same row while it
 * holds its member row, which a removal then waits for; with UPDATE the
 * two waited on each other (a deadlock, then 503).
 */
static const struct db_stmt st_find_lock = { "rooms_find_lock",
	"SELECT r.id, r.rid, coalesce(m.affiliation, 'none') FROM rooms r"
	" LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = $3"
	" WHERE r.host = $1 AND r.rid = $2 FOR NO KEY UPDATE OF r",
	3, 0 };

/* The room and its owner in one statement: both or neither. */
static const struct db_stmt st_create = { "rooms_create",
	"WITH r AS (INSERT INTO rooms (host, rid, name, subject)"
	"  VALUES ($1, $2, $3, $4) ON CONFLICT (host, rid) DO NOTHING"
	"  RETURNING id)"
	" INSERT INTO room_members (room_id, user_id, affiliation)"
	" SELECT id, $5, 'owner' FROM r RETURNING room_id",
	5, 0 };

/* A room with nobody in it (chatrest-admin create_room). */
static const struct db_stmt st_create_empty = { "rooms_create_empty",
	"INSERT INTO rooms (host, rid, name, subject) VALUES ($1, $2, $3, $4)"
	" ON CONFLICT (host, rid) DO NOTHING RETURNING id",
	4, 0 };

static const struct db_stmt st_destroy = { "rooms_destroy",
	"DELETE FROM rooms WHERE id = $1", 1, 0 };

/*
 * Driven by the user's memberships, each room by its key (OFFSET 0 keeps
 * the planner from joining all rooms by hash): the cost follows the
 * user's rooms, not the server's.
 */
#define LIST_ROOMS(uid) \
	"SELECT m.room_id, r.rid, r.name, r.subject FROM room_members m," \
	" LATERAL (SELECT rid, name, subject FROM rooms WHERE id = m.room_id" \
	"  OFFSET 0) r WHERE m.user_id = " uid

static const struct db_stmt st_list = { "rooms_list",
	"SELECT rid, name, subject FROM (" LIST_ROOMS("$1") ") l"
	" ORDER BY room_id",
	1, DB_IDEMPOTENT };

/* As rooms_list, checking a cached hash: one row of NULLs for no rooms. */
static const struct db_stmt st_list_check = { "rooms_list_check",
	"WITH " USERS_CHECK
	" SELECT l.rid, l.name, l.subject, me.seen FROM me"
	" LEFT JOIN LATERAL (" LIST_ROOMS("me.id") ") l ON true"
	" ORDER BY l.room_id",
	2, DB_IDEMPOTENT };

static const struct db_stmt st_head = { "rooms_head",
	"SELECT name, subject FROM rooms WHERE id = $1", 1, DB_IDEMPOTENT };

static const struct db_stmt st_members = { "rooms_members",
	"SELECT u.host, u.localpart, m.affiliation FROM room_members m"
	" JOIN users u ON u.id = m.user_id WHERE m.room_id = $1"
	" ORDER BY m.affiliation = 'owner' DESC, m.seq",
	1, DB_IDEMPOTENT };

static const struct db_stmt st_configure = { "rooms_configure",
	"UPDATE rooms SET name = $2, subject = $3 WHERE id = $1", 3, 0 };

static const struct db_stmt st_member_aff = { "rooms_member_aff",
	"SELECT affiliation FROM room_members WHERE room_id = $1"
	" AND user_id = $2",
	2, 0 };

static const struct db_stmt st_member_set = { "rooms_member_set",
	"INSERT INTO room_members (room_id, user_id, affiliation)"
	" VALUES ($1, $2, $3) ON CONFLICT (room_id, user_id)"
	" DO UPDATE SET affiliation = excluded.affiliation",
	3, 0 };

static const struct db_stmt st_member_remove = { "rooms_member_remove",
	"DELETE FROM room_members WHERE room_id = $1 AND user_id = $2",
	2, 0 };

/* The longest-standing member becomes owner when none is left. */
static const struct db_stmt st_promote = { "rooms_promote",
	"UPDATE room_members m SET affiliation = 'owner' FROM users u"
	" WHERE u.id = m.user_id AND m.room_id = $1 AND m.seq ="
	"  (SELECT min(seq) FROM room_members WHERE room_id = $1)"
	" AND NOT EXISTS (SELECT 1 FROM room_members o WHERE o.room_id = $1"
	"  AND o.affiliation = 'owner')"
	" RETURNING u.host, u.localpart",
	1, 0 };

static const struct db_stmt st_count = { "rooms_count",
	"SELECT count(*) FROM room_members WHERE room_id = $1", 1, 0 };

#define NOW_US	"(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"

/*
 * Membership is checked by the posting statement itself, under a lock
 * that a removal or the room's destruction waits for (or that waits for
 * them, and then finds no row): nobody posts once they are out.
 */
static const struct db_stmt st_post = { "rooms_post",
	"WITH m AS (SELECT 1 FROM room_members WHERE room_id = $1::bigint"
	"  AND user_id = $8::bigint FOR KEY SHARE)"
	" INSERT INTO room_archive (room_id, ts, mid, kind, user_host,"
	" user_local, body, markable, marker_type, marker_id)"
	" SELECT $1::bigint, " NOW_US ", gen_random_uuid(), 'message',"
	" $2::text, $3::text, $4::text, $5::boolean, $6::text, $7::text"
	" FROM m RETURNING mid",
	8, 0 };

static const struct db_stmt st_note_aff = { "rooms_note_aff",
	"INSERT INTO room_archive (room_id, ts, mid, kind, user_host,"
	" user_local, affiliation)"
	" VALUES ($1, " NOW_US ", gen_random_uuid(), 'affiliation', $2, $3,"
	" $4)",
	4, 0 };

/* As messages_history: the blocklist only for a reader who has one. */
static const struct db_stmt st_history = { "rooms_history",
	"SELECT mid, ms, kind, user_host, user_local, body, markable,"
	" marker_type, marker_id, affiliation FROM (SELECT a.mid,"
	"  a.ts / 1000 AS ms, a.kind, a.user_host, a.user_local, a.body,"
	"  a.markable, a.marker_type, a.marker_id, a.affiliation, a.ts, a.seq"
	"  FROM room_archive a WHERE a.room_id = $1 AND a.ts <= $3"
	"  AND (a.kind <> 'message'"
	"  OR NOT EXISTS (SELECT 1 FROM blocks WHERE user_id = $2)"
	"  OR NOT EXISTS (SELECT 1 FROM blocks b"
	"  WHERE b.user_id = $2 AND b.blocked_host = a.user_host"
	"  AND b.blocked_local = a.user_local))"
	"  ORDER BY a.ts DESC, a.seq DESC LIMIT $4) t ORDER BY ts, seq",
	4, DB_IDEMPOTENT | DB_REPLICA };

static const char *const aff_names[] = {
	[ROOMS_NONE] = "none",
	[ROOMS_MEMBER] = "member",
	[ROOMS_OWNER] = "owner",
};

const char *
rooms_aff_name(enum rooms_aff a)
{
	return aff_names[a];
}

static enum rooms_aff
aff_parse(const char *s)
{
	if (strcmp(s, "owner") == 0)
		return ROOMS_OWNER;
	if (strcmp(s, "member") == 0)
		return ROOMS_MEMBER;
	return ROOMS_NONE;
}

/* 20 hex digits from the CSPRNG: a valid localpart, unique in practice. */
void
rooms_new_rid(char rid[ROOMS_RID_MAX + 1])
{
	unsigned char	 b[10];

	util_random(b, sizeof(b));
	util_hex(b, sizeof(b), rid);
}

/* The room (host, rid) and the user's affiliation; lock takes its row. */
enum db_status
rooms_find(const char *host, const char *rid, const struct user *u,
    int lock, struct room *room, int *found)
{
	const char	*p[] = { host, rid, u != NULL ? u->id : NULL };
	const char	*pc[] = { NULL, NULL, host, rid };
	PGresult	*res = NULL;
	enum db_status	 s;

	*found = 0;
	if (u != NULL && u->check != NULL && !lock) {
		pc[0] = u->id;
		pc[1] = u->hash;
		if ((s = db_exec(&st_find_check, pc, &res)) != DB_OK ||
		    (s = users_check_take(u, res, 3)) != DB_OK)
			goto out;
	} else if ((s = db_exec(lock ? &st_find_lock : &st_find, p, &res)) !=
	    DB_OK)
		goto out;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0))
		goto out;
	(void)snprintf(room->id, sizeof(room->id), "%s", PQgetvalue(res, 0, 0));
	(void)snprintf(room->rid, sizeof(room->rid), "%s",
	    PQgetvalue(res, 0, 1));
	room->aff = aff_parse(PQgetvalue(res, 0, 2));
	*found = 1;
out:
	PQclear(res);
	return s;
}

/* *created is 0 when (host, rid) is taken. */
enum db_status
rooms_create(const char *host, const char *rid, const char *name,
    const char *subject, const struct user *owner, int *created)
{
	const char	*p[] = { host, rid, name, subject, owner->id };

	return db_exec_value(&st_create, p, NULL, 0, created);
}

/*
 * As rooms_create, with no owner and no members: nobody can act on it
 * through the client API (inviting takes an owner) until it is destroyed.
 */
enum db_status
rooms_create_empty(const char *host, const char *rid, const char *name,
    const char *subject, int *created)
{
	const char	*p[] = { host, rid, name, subject };

	return db_exec_value(&st_create_empty, p, NULL, 0, created);
}


enum db_status
rooms_destroy(const struct room *room, int *destroyed)
{
	const char	*p[] = { room->id };

	return db_exec_count(&st_destroy, p, destroyed);
}

enum db_status
rooms_list(const struct user *u, rooms_summary_fn fn, void *ctx)
{
	const char		*p[] = { u->id, u->hash };
	PGresult		*res = NULL;
	struct room_summary	 rs;
	enum db_status		 s;
	int			 i;

	if (u->check == NULL)
		s = db_exec(&st_list, p, &res);
	else if ((s = db_exec(&st_list_check, p, &res)) == DB_OK)
		s = users_check_take(u, res, 3);
	if (s != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res) && !PQgetisnull(res, i, 0); i++) {
		rs.rid = PQgetvalue(res, i, 0);
		rs.name = PQgetvalue(res, i, 1);
		rs.subject = PQgetvalue(res, i, 2);
		fn(ctx, &rs);
	}
out:
	PQclear(res);
	return s;
}

/* Name and subject through head, then every member, owners first. */
enum db_status
rooms_info(const struct room *room, rooms_head_fn head, rooms_member_fn fn,
    void *ctx)
{
	const char		*p[] = { room->id };
	PGresult		*res = NULL;
	struct room_member	 m;
	enum db_status		 s;
	int			 i;

	if ((s = db_exec(&st_head, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) != 1) {
		s = DB_ERROR;
		goto out;
	}
	if (head != NULL)
		head(ctx, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	res = NULL;
	if ((s = db_exec(&st_members, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		m.host = PQgetvalue(res, i, 0);
		m.local = PQgetvalue(res, i, 1);
		m.aff = aff_parse(PQgetvalue(res, i, 2));
		fn(ctx, &m);
	}
out:
	PQclear(res);
	return s;
}

enum db_status
rooms_configure(const struct room *room, const char *name,
    const char *subject)
{
	const char	*p[] = { room->id, name, subject };

	return db_exec(&st_configure, p, NULL);
}

enum db_status
rooms_member_aff(const struct room *room, const struct user *u,
    enum rooms_aff *aff)
{
	const char	*p[] = { room->id, u->id };
	char		 v[16];
	enum db_status	 s;
	int		 found;

	*aff = ROOMS_NONE;
	if ((s = db_exec_value(&st_member_aff, p, v, sizeof(v), &found)) ==
	    DB_OK && found)
		*aff = aff_parse(v);
	return s;
}

enum db_status
rooms_member_set(const struct room *room, const struct user *u,
    enum rooms_aff aff)
{
	const char	*p[] = { room->id, u->id, aff_names[aff] };

	return db_exec(&st_member_set, p, NULL);
}

enum db_status
rooms_member_remove(const struct room *room, const struct user *u,
    int *removed)
{
	const char	*p[] = { room->id, u->id };

	return db_exec_count(&st_member_remove, p, removed);
}

/* *promoted is 1 and j the new owner when a member had to be promoted. */
enum db_status
rooms_promote(const struct room *room, struct jid *j, int *promoted)
{
	const char	*p[] = { room->id };
	PGresult	*res = NULL;
	enum db_status	 s;

	*promoted = 0;
	if ((s = db_exec(&st_promote, p, &res)) != DB_OK)
		goto out;
	if (PQntuples(res) == 1) {
		(void)snprintf(j->host, sizeof(j->host), "%s",
		    PQgetvalue(res, 0, 0));
		(void)snprintf(j->local, sizeof(j->local), "%s",
		    PQgetvalue(res, 0, 1));
		*promoted = 1;
	}
out:
	PQclear(res);
	return s;
}

enum db_status
rooms_count(const struct room *room, long *n)
{
	const char	*p[] = { room->id };

	return db_exec_long(&st_count, p, n);
}

/*
 * One archived message; marker_type NULL for none, body NULL for none.
 * mid is left empty when from is not (or no longer) a member.
 */
enum db_status
rooms_post(const struct room *room, const struct user *from,
    const char *body, int markable, const char *marker_type,
    const char *marker_id, char mid[MESSAGES_ID_LEN + 1])
{
	const char	*p[] = { room->id, from->host, from->local, body,
			    markable ? "true" : "false", marker_type,
			    marker_id, from->id };
	enum db_status	 s;
	int		 found;

	if ((s = db_exec_value(&st_post, p, mid, MESSAGES_ID_LEN + 1,
	    &found)) == DB_OK && !found)
		mid[0] = '\0';
	if (s == DB_OK && found)
		events_announce(room->id, NULL, NULL);
	return s;
}

/* An affiliation change of host/local, as the room broadcasts it. */
enum db_status
rooms_note_aff(const struct room *room, const char *host, const char *local,
    enum rooms_aff aff)
{
	const char	*p[] = { room->id, host, local, aff_names[aff] };
	enum db_status	 s;

	/* The members after the change, and the user it may have removed. */
	if ((s = db_exec(&st_note_aff, p, NULL)) == DB_OK)
		events_announce(room->id, host, local);
	return s;
}

/* before in microseconds, inclusive; items from blocked senders left out. */
enum db_status
rooms_history(const struct room *room, const struct user *reader,
    long long before, long limit, rooms_item_fn fn, void *ctx)
{
	char		 bs[24], ls[24];
	const char	*p[] = { room->id, reader->id, bs, ls };
	PGresult	*res = NULL;
	struct room_item it;
	enum db_status	 s;
	int		 i;

	(void)snprintf(bs, sizeof(bs), "%lld", before);
	(void)snprintf(ls, sizeof(ls), "%ld", limit);
	if ((s = db_exec(&st_history, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		memset(&it, 0, sizeof(it));
		it.mid = PQgetvalue(res, i, 0);
		it.ts_ms = strtoll(PQgetvalue(res, i, 1), NULL, 10);
		it.affiliation_change =
		    strcmp(PQgetvalue(res, i, 2), "affiliation") == 0;
		it.user_host = PQgetvalue(res, i, 3);
		it.user_local = PQgetvalue(res, i, 4);
		it.body = PQgetisnull(res, i, 5) ? NULL :
		    PQgetvalue(res, i, 5);
		it.markable = strcmp(PQgetvalue(res, i, 6), "t") == 0;
		if (!PQgetisnull(res, i, 7)) {
			it.marker_type = PQgetvalue(res, i, 7);
			it.marker_id = PQgetvalue(res, i, 8);
		}
		it.aff = PQgetisnull(res, i, 9) ? ROOMS_NONE :
		    aff_parse(PQgetvalue(res, i, 9));
		fn(ctx, &it);
	}
out:
	PQclear(res);
	return s;
}

/* --- administration (chatrest-admin) --------------------------------- */

/*
 * Every room of host (NULL: every host) with its member count, whether
 * it has a message, and the days since its last message (or creation).
 */
static const struct db_stmt st_all = { "rooms_all",
	"SELECT r.id, r.host, r.rid,"
	" (SELECT count(*) FROM room_members m WHERE m.room_id = r.id),"
	" EXISTS (SELECT 1 FROM room_archive a WHERE a.room_id = r.id"
	"  AND a.kind = 'message'),"
	" extract(epoch FROM now() - coalesce((SELECT to_timestamp(max(a.ts)"
	"  / 1000000.0) FROM room_archive a WHERE a.room_id = r.id"
	"  AND a.kind = 'message'), r.created_at))::bigint / 86400"
	" FROM rooms r WHERE $1::text IS NULL OR r.host = $1"
	" ORDER BY r.host, r.rid COLLATE \"C\"",
	1, DB_IDEMPOTENT };

static const struct db_stmt st_user_rooms = { "rooms_user_rooms",
	"SELECT r.host, r.rid FROM room_members m JOIN rooms r"
	" ON r.id = m.room_id WHERE m.user_id = $1"
	" ORDER BY r.host, r.rid COLLATE \"C\"",
	1, DB_IDEMPOTENT };

/* MUC Light has one owner: the others become members. */
static const struct db_stmt st_demote = { "rooms_demote",
	"UPDATE room_members m SET affiliation = 'member' FROM users u"
	" WHERE u.id = m.user_id AND m.room_id = $1 AND m.user_id <> $2"
	" AND m.affiliation = 'owner' RETURNING u.host, u.localpart",
	2, 0 };

enum db_status
rooms_all(const char *host, rooms_row_fn fn, void *ctx)
{
	const char	*p[] = { host };
	PGresult	*res = NULL;
	struct room_row	 rr;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(&st_all, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res); i++) {
		(void)snprintf(rr.room.id, sizeof(rr.room.id), "%s",
		    PQgetvalue(res, i, 0));
		(void)snprintf(rr.room.rid, sizeof(rr.room.rid), "%s",
		    PQgetvalue(res, i, 2));
		rr.room.aff = ROOMS_NONE;
		rr.host = PQgetvalue(res, i, 1);
		rr.members = strtol(PQgetvalue(res, i, 3), NULL, 10);
		rr.has_messages = strcmp(PQgetvalue(res, i, 4), "t") == 0;
		rr.idle_days = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		fn(ctx, &rr);
	}
out:
	PQclear(res);
	return s;
}

/* The host and id of each room the user is a member of. */
enum db_status
rooms_user_rooms(const struct user *u, rooms_head_fn fn, void *ctx)
{
	const char	*p[] = { u->id };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(&st_user_rooms, p, &res)) == DB_OK)
		for (i = 0; i < PQntuples(res); i++)
			fn(ctx, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	return s;
}

/* Every owner but u becomes a member; each is noted in the archive. */
enum db_status
rooms_demote_others(const struct room *room, const struct user *u)
{
	const char	*p[] = { room->id, u->id };
	PGresult	*res = NULL;
	enum db_status	 s;
	int		 i;

	if ((s = db_exec(&st_demote, p, &res)) != DB_OK)
		goto out;
	for (i = 0; i < PQntuples(res) && s == DB_OK; i++)
		s = rooms_note_aff(room, PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), ROOMS_MEMBER);
out:
	PQclear(res);
	return s;
}
