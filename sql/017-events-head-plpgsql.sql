-- chatrest_event_head() as plpgsql.  A LANGUAGE sql function whose body
-- reads a table is not inlined, and PostgreSQL parses and plans its body
-- again in every statement that calls it: about half the cost of the
-- announce that follows each send.  plpgsql keeps the plan per session.
CREATE OR REPLACE FUNCTION chatrest_event_head(uid bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT greatest(h.last, (SELECT max(e.eid) FROM events e
	    WHERE e.user_id = h.user_id)) FROM event_heads h
	    WHERE h.user_id = uid);
END
$$;

-- A user's rooms in room order from the index alone (GET /api/rooms).
CREATE INDEX room_members_user_room ON room_members (user_id, room_id);
DROP INDEX room_members_user;
