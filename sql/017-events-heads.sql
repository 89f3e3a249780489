-- The newest event ids of a set of users, planned with the statement
-- that asks.  chatrest_event_head() (sql/015) is a LANGUAGE sql function
-- whose body reads tables: PostgreSQL does not inline it, and parses and
-- plans its body again in every statement that calls it.  The announce
-- after a room post also joined event_heads to the members, which the
-- planner did with a scan of every head.  A set-returning LANGUAGE sql
-- function of one SELECT is inlined where it is called in FROM (with no
-- sub-select in its argument), so its plan is kept with the caller's
-- prepared statement, and it reads each user's head by key.
CREATE FUNCTION chatrest_event_heads(uids bigint[])
RETURNS TABLE (user_id bigint, head bigint)
LANGUAGE sql STABLE AS $$
	SELECT h.user_id, greatest(h.last, (SELECT max(e.eid) FROM events e
	    WHERE e.user_id = h.user_id))
	FROM (SELECT DISTINCT id FROM unnest(uids) AS d (id)) u
	CROSS JOIN LATERAL (SELECT x.user_id, x.last FROM event_heads x
	    WHERE x.user_id = u.id OFFSET 0) h
$$;

-- The user's newest event id: 0 before the first, NULL without a head.
-- In plpgsql, which keeps its plan: as a LANGUAGE sql function it would
-- be planned in every statement calling it (as before, and slower).
CREATE OR REPLACE FUNCTION chatrest_event_head(uid bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT head FROM chatrest_event_heads(ARRAY[uid]));
END
$$;

-- A user's rooms in room order from the index alone (GET /api/rooms).
CREATE INDEX room_members_user_room ON room_members (user_id, room_id);
DROP INDEX room_members_user;
