-- Live events written set-based: a room post or affiliation change makes
-- its events in a few statements whatever the member count (was a loop
-- of three statements per member), and the sender's own copy of a
-- one-to-one message no longer calls the trigger at all.
--
-- What a reader sees is unchanged from 008-events.sql: one event per
-- recipient, ids counted per recipient in commit order, the same
-- recipients and rows.  What changed is where the count lives, and who
-- announces.  Advancing a counter row per recipient made a new version of
-- 100 rows per post to 100 members; with posts in flight those versions
-- cannot be pruned, and every writer (and every waiter, retrying) walked
-- the chains: at 32 concurrent posters to one room a post cost three
-- times the CPU of a lone one.  A head row is now only locked, never
-- updated by a writer: the newest id is the newest event's (the events'
-- primary key), and event_heads.last is a floor that pruning raises
-- when it removes a user's newest events.  chatrest_event_head() reads
-- the newest id and chatrest_events_prune() prunes; a chatrest-events of
-- an earlier release does neither, so it must not run against this
-- schema (upgrade the binaries with the migration).
--
-- Why a writer holds its heads until commit: had it let go earlier, a
-- second writer could take id n+1 and commit first; a reader told of
-- n+1 would move past n, which then commits and is never read.  Each
-- head's lock is what makes a user's ids visible in commit order, so it
-- cannot end before the commit.  It starts as late as it can: in the
-- archive insert's AFTER trigger, once recipients and data are known;
-- the posting endpoints run that insert as a statement of its own, the
-- last before the commit.  Holding the lock, the writer reads the newest
-- id in a statement of its own, so its snapshot is taken after the
-- previous holder committed and includes that holder's events.  Heads
-- are locked in user id order, so writers to overlapping sets of
-- recipients (and pruning) wait for each other but never crosswise.
--
-- The writer announces, not the trigger.  NOTIFY takes one
-- database-wide lock at commit and holds it to the end of the
-- transaction, through the commit's WAL flush: a pg_notify in the
-- writing transaction made message commits queue for it (2,500-2,750
-- sends a second with a NOTIFY in the sending transaction against
-- 4,800-5,100 without, 16 connections, fsync on).  lib/store (messages, rooms) sends
-- "<user id> <newest event id>" for the recipients in a statement of
-- its own after the write, which in autocommit writes nothing and holds
-- the lock for microseconds.  An event written by anything else (plain
-- SQL) reaches the streams at chatrest-events' next sweep of the newest
-- ids ([events] sweep).  Kicks (sql/008) stay in their triggers: they
-- are rare.

-- The user's newest event id: 0 before the first, NULL without a head.
CREATE FUNCTION chatrest_event_head(uid bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT greatest(h.last, (SELECT max(e.eid) FROM events e
	    WHERE e.user_id = h.user_id)) FROM event_heads h
	WHERE h.user_id = uid
$$;

-- Every user has a head from the start, so a writer only ever locks
-- rows (inserting missing ones would take them out of id order).
INSERT INTO event_heads (user_id, last) SELECT id, 0 FROM users
	ON CONFLICT (user_id) DO NOTHING;

CREATE FUNCTION chatrest_event_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO event_heads (user_id, last) VALUES (NEW.id, 0)
	    ON CONFLICT (user_id) DO NOTHING;
	RETURN NULL;
END $$;

CREATE TRIGGER users_event_head AFTER INSERT ON users
	FOR EACH ROW EXECUTE FUNCTION chatrest_event_user();

-- One event for each of uids (distinct ids): the heads locked and the
-- rows written.  The writer announces them after its commit.
-- The generic plans: re-planning each call for its array cost more than
-- the statements (a one-to-one message: 0.25 ms a call, 0.14 ms generic).
CREATE FUNCTION chatrest_event_fan(uids bigint[], e_ts bigint, e_name text,
    e_host text, e_data json) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	n	bigint;
BEGIN
	PERFORM 1 FROM event_heads h WHERE h.user_id = ANY (uids)
	    ORDER BY h.user_id FOR NO KEY UPDATE;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n < cardinality(uids) THEN
		-- a user older than the heads of its own (not made here)
		INSERT INTO event_heads (user_id, last)
		    SELECT u, 0 FROM unnest(uids) u
		    JOIN users x ON x.id = u ORDER BY u
		    ON CONFLICT (user_id) DO NOTHING;
		PERFORM 1 FROM event_heads h WHERE h.user_id = ANY (uids)
		    ORDER BY h.user_id FOR NO KEY UPDATE;
	END IF;
	INSERT INTO events (user_id, eid, ts, name, room_host, data)
	    SELECT h.user_id, greatest(h.last, (SELECT max(x.eid)
	    FROM events x WHERE x.user_id = h.user_id)) + 1,
	    e_ts, e_name, e_host, e_data
	    FROM event_heads h WHERE h.user_id = ANY (uids);
END $$;

-- Events older than keep seconds go; how many.  A user whose newest
-- events go keeps their id in the head (locked in id order, as writers
-- lock), so ids never count again from an older one.
CREATE FUNCTION chatrest_events_prune(keep int) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	cut	bigint := (extract(epoch FROM now()) - keep) * 1000000;
	n	bigint;
BEGIN
	WITH gone AS (
		SELECT e.user_id, max(e.eid) AS m FROM events e
		    WHERE e.ts < cut GROUP BY e.user_id),
	    l AS (
		SELECT h.user_id, g.m FROM event_heads h
		    JOIN gone g ON g.user_id = h.user_id
		    WHERE NOT EXISTS (SELECT 1 FROM events x
		    WHERE x.user_id = g.user_id AND x.eid > g.m)
		    ORDER BY h.user_id FOR NO KEY UPDATE OF h)
	UPDATE event_heads h SET last = l.m FROM l
	    WHERE h.user_id = l.user_id AND h.last < l.m;
	DELETE FROM events WHERE ts < cut;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;

CREATE OR REPLACE FUNCTION chatrest_event_add(uid bigint, ts bigint,
    name text, room_host text, data json) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM chatrest_event_fan(ARRAY[uid], ts, name, room_host, data);
END $$;

-- Called for copies whose peer is the sender (the trigger's WHEN): the
-- recipient's copy, and the sender's only when writing to itself.
CREATE OR REPLACE FUNCTION chatrest_chat_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM blocks b
	    WHERE b.user_id = NEW.owner_id AND b.blocked_host = NEW.from_host
	    AND b.blocked_local = NEW.from_local) THEN
		PERFORM chatrest_event_fan(ARRAY[NEW.owner_id], NEW.ts,
		    'message', NULL, json_build_object(
		    'to', NEW.to_local || '@' || NEW.to_host,
		    'timestamp', NEW.ts,
		    'id', NEW.mid,
		    'from', NEW.from_local || '@' || NEW.from_host,
		    'body', NEW.body));
	END IF;
	RETURN NULL;
END $$;

DROP TRIGGER chat_archive_event ON chat_archive;
CREATE TRIGGER chat_archive_event AFTER INSERT ON chat_archive
	FOR EACH ROW WHEN (NEW.peer_host = NEW.from_host
	    AND NEW.peer_local = NEW.from_local)
	EXECUTE FUNCTION chatrest_chat_event();

-- Every member (after the change), and the user an affiliation change
-- removed; messages skip members who block the sender.
CREATE OR REPLACE FUNCTION chatrest_room_event() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	rid	text;
	rhost	text;
	d	json;
	uids	bigint[];
BEGIN
	SELECT r.rid, r.host INTO rid, rhost FROM rooms r
	    WHERE r.id = NEW.room_id;
	IF NEW.kind = 'affiliation' THEN
		d := json_build_object('user',
		    NEW.user_local || '@' || NEW.user_host,
		    'type', 'affiliation', 'timestamp', NEW.ts, 'room', rid,
		    'id', NEW.mid, 'affiliation', NEW.affiliation);
		SELECT array_agg(t.id) INTO uids FROM (
			SELECT m.user_id FROM room_members m
			    WHERE m.room_id = NEW.room_id
			UNION
			SELECT u.id FROM users u WHERE u.host = NEW.user_host
			    AND u.localpart = NEW.user_local) t(id);
	ELSE
		d := json_strip_nulls(json_build_object('type', 'message',
		    'timestamp', NEW.ts, 'room', rid, 'id', NEW.mid,
		    'from', NEW.user_local || '@' || NEW.user_host,
		    'body', NEW.body,
		    'markable', CASE WHEN NEW.markable THEN true END,
		    'chat_marker', CASE WHEN NEW.marker_type IS NOT NULL THEN
		    json_build_object('type', NEW.marker_type,
		    'id', NEW.marker_id) END));
		rhost := NULL;
		SELECT array_agg(m.user_id) INTO uids FROM room_members m
		    WHERE m.room_id = NEW.room_id
		    AND NOT EXISTS (SELECT 1 FROM blocks b
		    WHERE b.user_id = m.user_id
		    AND b.blocked_host = NEW.user_host
		    AND b.blocked_local = NEW.user_local);
	END IF;
	IF uids IS NOT NULL THEN
		PERFORM chatrest_event_fan(uids, NEW.ts, 'room.message',
		    rhost, d);
	END IF;
	RETURN NULL;
END $$;

-- The events' foreign key checked, and key-share locked, the recipient's
-- users row once per event: 100 lookups and row locks (WAL records, and
-- multixacts under concurrent posts) for a post to 100 members.  An
-- event is only ever written with its head row, which references the
-- user; the events now leave with that row.
ALTER TABLE events DROP CONSTRAINT events_user_id_fkey;

CREATE FUNCTION chatrest_event_heads_gone() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM events WHERE user_id = OLD.user_id;
	RETURN NULL;
END $$;

CREATE TRIGGER event_heads_gone AFTER DELETE ON event_heads
	FOR EACH ROW EXECUTE FUNCTION chatrest_event_heads_gone();
