-- Live events are announced by the writer, after its statement, not by
-- the archive triggers.
--
-- NOTIFY takes one database-wide lock at commit and holds it to the end
-- of the transaction, through the commit's WAL flush: a pg_notify in the
-- writing transaction made every message commit one after another
-- (about 520 sends a second against 1,500-3,000 without it, 16
-- connections, fsync on).  The triggers still write every event row in
-- the writer's transaction; lib/store (messages, rooms) then sends
-- "<user id> <newest event id>" for the recipients in a statement of its
-- own, which in autocommit writes nothing and holds the lock for
-- microseconds.  An event written by anything else (plain SQL) reaches
-- the streams at chatrest-events' next sweep of the heads, within a
-- second.  Kicks (sql/008) stay in their triggers: they are rare.

CREATE OR REPLACE FUNCTION chatrest_event_add(uid bigint, ts bigint,
    name text, room_host text, data json) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	e	bigint;
BEGIN
	INSERT INTO event_heads AS h (user_id, last) VALUES (uid, 1)
	    ON CONFLICT (user_id) DO UPDATE SET last = h.last + 1
	    RETURNING h.last INTO e;
	INSERT INTO events (user_id, eid, ts, name, room_host, data)
	    VALUES (uid, e, ts, name, room_host, data);
END $$;
