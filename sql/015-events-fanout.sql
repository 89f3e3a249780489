-- Live events written set-based: a room post or affiliation change makes
-- its events in one statement whatever the member count (was a loop of
-- three statements per member), and the sender's own copy of a
-- one-to-one message no longer calls the trigger at all.
--
-- The semantics of 008-events.sql are unchanged: one event per
-- recipient, ids counted per recipient in event_heads, the same
-- recipients, the same rows and the same notifications.
--
-- Why the head rows stay locked until commit: a writer that released
-- its heads earlier could let a second writer take id n+1 and commit
-- first; a reader told of n+1 would move past n, which then commits and
-- is never read.  Holding each head to the end of the transaction is
-- what makes ids visible in commit order.  The lock is taken in the
-- archive insert's own statement, after the recipients and the data are
-- computed, by the statement's AFTER trigger; the posting endpoints run
-- that insert as a statement of its own, so it is the last thing before
-- the commit.  Heads are taken in user id order (the ORDER BY feeds the
-- upsert row by row), so writers to overlapping sets of recipients wait
-- for each other but never crosswise.

-- One event for each of uids (duplicates ignored): the heads advanced,
-- the rows written and each recipient's commit announced.
CREATE FUNCTION chatrest_event_fan(uids bigint[], e_ts bigint, e_name text,
    e_host text, e_data json) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	n	bigint;
BEGIN
	WITH h AS (
		INSERT INTO event_heads AS h (user_id, last)
		    SELECT DISTINCT u, 1 FROM unnest(uids) u ORDER BY u
		    ON CONFLICT (user_id) DO UPDATE SET last = h.last + 1
		    RETURNING h.user_id, h.last),
	    e AS (
		INSERT INTO events (user_id, eid, ts, name, room_host, data)
		    SELECT h.user_id, h.last, e_ts, e_name, e_host, e_data
		    FROM h)
	SELECT count(*) INTO n FROM h CROSS JOIN LATERAL
	    pg_notify('chatrest_events', h.user_id || ' ' || h.last) p;
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
