-- Live events (GET /api/sse): one ordered, resumable log per recipient.
--
-- Every archived one-to-one message, room message and affiliation change
-- is copied here, once per user who should see it live, by triggers on
-- the archives: whatever stores a message or changes an affiliation
-- (client API, admin commands, any later front door) produces the event
-- in its own transaction, and nothing else can forget to.
--
-- Event ids count per recipient (event_heads).  Taking the head row's
-- lock serialises the writers of one recipient, so ids become visible in
-- commit order: a reader that has seen id n and is told of a commit
-- finds every later event with "eid > n", never a gap.  The commit is
-- announced with pg_notify on chatrest_events, payload "<user id>
-- <event id>"; a user's streams closing is "kick <user id>".

CREATE TABLE event_heads (
	user_id		bigint PRIMARY KEY REFERENCES users (id)
			    ON DELETE CASCADE,
	last		bigint NOT NULL
);

CREATE TABLE events (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	eid		bigint NOT NULL,
	ts		bigint NOT NULL,	-- microseconds, as the archives
	name		text NOT NULL CHECK (name IN ('message', 'room.message')),
	room_host	text,			-- affiliation changes: the room's
	data		json NOT NULL,		-- host, for "from" (MUC domain)
	PRIMARY KEY (user_id, eid)
);
CREATE INDEX events_ts ON events (ts);

CREATE FUNCTION chatrest_event_add(uid bigint, ts bigint, name text,
    room_host text, data json) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	e	bigint;
BEGIN
	INSERT INTO event_heads AS h (user_id, last) VALUES (uid, 1)
	    ON CONFLICT (user_id) DO UPDATE SET last = h.last + 1
	    RETURNING h.last INTO e;
	INSERT INTO events (user_id, eid, ts, name, room_host, data)
	    VALUES (uid, e, ts, name, room_host, data);
	PERFORM pg_notify('chatrest_events', uid || ' ' || e);
END $$;

-- The recipient's copy (the sender's only when writing to itself),
-- unless the recipient blocks the sender.
CREATE FUNCTION chatrest_chat_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.peer_host = NEW.from_host AND NEW.peer_local = NEW.from_local
	    AND NOT EXISTS (SELECT 1 FROM blocks b
	    WHERE b.user_id = NEW.owner_id AND b.blocked_host = NEW.from_host
	    AND b.blocked_local = NEW.from_local) THEN
		PERFORM chatrest_event_add(NEW.owner_id, NEW.ts, 'message',
		    NULL, json_build_object(
		    'to', NEW.to_local || '@' || NEW.to_host,
		    'timestamp', NEW.ts,
		    'id', NEW.mid,
		    'from', NEW.from_local || '@' || NEW.from_host,
		    'body', NEW.body));
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER chat_archive_event AFTER INSERT ON chat_archive
	FOR EACH ROW EXECUTE FUNCTION chatrest_chat_event();

-- Every member (after the change), and the user an affiliation change
-- removed; messages skip members who block the sender.  Members in id
-- order, so two writers never wait on each other's heads crosswise.
CREATE FUNCTION chatrest_room_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r	rooms%ROWTYPE;
	d	json;
	uid	bigint;
BEGIN
	SELECT * INTO r FROM rooms WHERE id = NEW.room_id;
	IF NEW.kind = 'affiliation' THEN
		d := json_build_object('user',
		    NEW.user_local || '@' || NEW.user_host,
		    'type', 'affiliation', 'timestamp', NEW.ts, 'room', r.rid,
		    'id', NEW.mid, 'affiliation', NEW.affiliation);
	ELSE
		d := json_strip_nulls(json_build_object('type', 'message',
		    'timestamp', NEW.ts, 'room', r.rid, 'id', NEW.mid,
		    'from', NEW.user_local || '@' || NEW.user_host,
		    'body', NEW.body,
		    'markable', CASE WHEN NEW.markable THEN true END,
		    'chat_marker', CASE WHEN NEW.marker_type IS NOT NULL THEN
		    json_build_object('type', NEW.marker_type,
		    'id', NEW.marker_id) END));
	END IF;
	FOR uid IN
		SELECT m.user_id FROM room_members m
		    WHERE m.room_id = NEW.room_id
		    AND NOT (NEW.kind = 'message' AND EXISTS (SELECT 1
		    FROM blocks b WHERE b.user_id = m.user_id
		    AND b.blocked_host = NEW.user_host
		    AND b.blocked_local = NEW.user_local))
		UNION
		SELECT u.id FROM users u WHERE NEW.kind = 'affiliation'
		    AND u.host = NEW.user_host AND u.localpart = NEW.user_local
		ORDER BY 1
	LOOP
		PERFORM chatrest_event_add(uid, NEW.ts, 'room.message',
		    CASE WHEN NEW.kind = 'affiliation' THEN r.host END, d);
	END LOOP;
	RETURN NULL;
END $$;

CREATE TRIGGER room_archive_event AFTER INSERT ON room_archive
	FOR EACH ROW EXECUTE FUNCTION chatrest_room_event();

-- A deleted or banned account's streams close at once.
CREATE FUNCTION chatrest_user_kick() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('chatrest_events', 'kick ' || OLD.id);
	RETURN NULL;
END $$;

CREATE TRIGGER users_kick_delete AFTER DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION chatrest_user_kick();
CREATE TRIGGER users_kick_ban AFTER UPDATE OF disabled ON users
	FOR EACH ROW WHEN (NEW.disabled AND NOT OLD.disabled)
	EXECUTE FUNCTION chatrest_user_kick();
