-- The archives partitioned by month (UTC) of ts, so that retention drops
-- whole months instead of deleting millions of rows, and a read of the
-- newest messages stays a few index descents however deep the archive.
--
-- chat_archive_pYYYYMM and room_archive_pYYYYMM hold one month each;
-- chat_archive_default and room_archive_default take any row no month
-- exists for yet, so an insert never fails.  The months ahead are made
-- by chatrest_archive_prepare(), which this migration, every run of
-- "chatrest-admin migrate" and every retention command call; a month
-- made after rows of it reached the default partition takes them over.
--
-- The existing tables are converted here: rows, seq values and the seq
-- identity's next value are kept; indexes, foreign keys and the event
-- triggers of 008-events.sql are made again on the partitioned tables.

-- Microseconds since the epoch of a UTC time without zone, as ts is.
CREATE FUNCTION chatrest_archive_us(t timestamp) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
	SELECT (extract(epoch FROM t) * 1000000)::bigint
$$;

-- tbl's partition for the month (UTC) that starts at m, made if missing;
-- true if made.  Serialised with retention by an advisory lock.
CREATE FUNCTION chatrest_archive_partition(tbl text, m timestamp)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	lo	bigint := chatrest_archive_us(date_trunc('month', m));
	hi	bigint := chatrest_archive_us(date_trunc('month', m)
		    + interval '1 month');
	part	text := tbl || '_p' || to_char(m, 'YYYYMM');
	dflt	text := tbl || '_default';
	stray	boolean;
BEGIN
	IF tbl NOT IN ('chat_archive', 'room_archive') THEN
		RAISE EXCEPTION 'not an archive: %', tbl;
	END IF;
	PERFORM pg_advisory_xact_lock(7201202614);
	IF to_regclass(part) IS NOT NULL THEN
		RETURN false;
	END IF;
	EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I'
	    ' WHERE ts >= $1 AND ts < $2)', dflt) INTO stray USING lo, hi;
	IF NOT stray THEN
		EXECUTE format('CREATE TABLE %I PARTITION OF %I'
		    ' FOR VALUES FROM (%s) TO (%s)', part, tbl, lo, hi);
		RETURN true;
	END IF;
	-- Rows of the month arrived first: move them into the new table
	-- before it is attached (a plain table fires no event trigger).
	EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS'
	    ' INCLUDING CONSTRAINTS)', part, tbl);
	EXECUTE format('WITH d AS (DELETE FROM %I WHERE ts >= $1 AND ts < $2'
	    ' RETURNING *) INSERT INTO %I SELECT * FROM d', dflt, part)
	    USING lo, hi;
	EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I'
	    ' FOR VALUES FROM (%s) TO (%s)', tbl, part, lo, hi);
	RETURN true;
END $$;

-- This month and the next two of both archives; how many were made.
CREATE FUNCTION chatrest_archive_prepare() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	m	timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
	n	integer := 0;
	i	integer;
BEGIN
	FOR i IN 0 .. 2 LOOP
		IF chatrest_archive_partition('chat_archive',
		    m + i * interval '1 month') THEN
			n := n + 1;
		END IF;
		IF chatrest_archive_partition('room_archive',
		    m + i * interval '1 month') THEN
			n := n + 1;
		END IF;
	END LOOP;
	RETURN n;
END $$;

-- Retention: every message of tbl older than cutoff (µs) goes.  Months
-- wholly older are dropped; the month that straddles the cut-off and the
-- default partition are deleted from.  room_archive keeps affiliation
-- changes (as the DELETE always did): a month of it is rebuilt with only
-- those, once.  Returns the months dropped and the rows deleted.
CREATE FUNCTION chatrest_archive_retain(tbl text, cutoff bigint,
    OUT dropped integer, OUT deleted bigint) LANGUAGE plpgsql AS $$
DECLARE
	p	record;
	msgs	boolean;
	kept	text;
BEGIN
	IF tbl NOT IN ('chat_archive', 'room_archive') THEN
		RAISE EXCEPTION 'not an archive: %', tbl;
	END IF;
	PERFORM pg_advisory_xact_lock(7201202614);
	dropped := 0;
	FOR p IN
		SELECT c.relname AS name, b[1]::bigint AS lo, b[2]::bigint AS hi
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid,
		    regexp_match(pg_get_expr(c.relpartbound, c.oid),
		    '^FOR VALUES FROM \(''(-?\d+)''\) TO \(''(-?\d+)''\)$') b
		WHERE i.inhparent = tbl::regclass AND b[2]::bigint <= cutoff
		ORDER BY 2
	LOOP
		IF tbl = 'chat_archive' THEN
			EXECUTE format('DROP TABLE %I', p.name);
			dropped := dropped + 1;
			CONTINUE;
		END IF;
		EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I'
		    ' WHERE kind = ''message'')', p.name) INTO msgs;
		IF NOT msgs THEN
			CONTINUE;
		END IF;
		kept := p.name || '_kept';
		EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', tbl, p.name);
		EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS'
		    ' INCLUDING CONSTRAINTS)', kept, tbl);
		EXECUTE format('INSERT INTO %I SELECT * FROM %I'
		    ' WHERE kind = ''affiliation''', kept, p.name);
		EXECUTE format('DROP TABLE %I', p.name);
		EXECUTE format('ALTER TABLE %I RENAME TO %I', kept, p.name);
		EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I'
		    ' FOR VALUES FROM (%s) TO (%s)', tbl, p.name, p.lo, p.hi);
		dropped := dropped + 1;
	END LOOP;
	EXECUTE format('DELETE FROM %I WHERE ts < $1', tbl) ||
	    CASE WHEN tbl = 'room_archive' THEN ' AND kind = ''message'''
	    ELSE '' END USING cutoff;
	GET DIAGNOSTICS deleted = ROW_COUNT;
	PERFORM chatrest_archive_prepare();
END $$;

-- --- the conversion -------------------------------------------------------

ALTER TABLE chat_archive RENAME TO chat_archive_old;
ALTER TABLE chat_archive_old DROP CONSTRAINT chat_archive_pkey;
DROP INDEX chat_archive_peer, chat_archive_peer_any;
DROP TRIGGER chat_archive_event ON chat_archive_old;
ALTER SEQUENCE chat_archive_seq_seq RENAME TO chat_archive_old_seq_seq;

ALTER TABLE room_archive RENAME TO room_archive_old;
ALTER TABLE room_archive_old DROP CONSTRAINT room_archive_pkey,
	DROP CONSTRAINT room_archive_kind_check,
	DROP CONSTRAINT room_archive_marker_type_check,
	DROP CONSTRAINT room_archive_affiliation_check;
DROP TRIGGER room_archive_event ON room_archive_old;
ALTER SEQUENCE room_archive_seq_seq RENAME TO room_archive_old_seq_seq;

-- As in 005-client.sql; keys, indexes and triggers follow the copy.
CREATE TABLE chat_archive (
	seq		bigint GENERATED ALWAYS AS IDENTITY,
	owner_id	bigint NOT NULL,
	ts		bigint NOT NULL,
	mid		uuid NOT NULL,
	from_host	text NOT NULL,
	from_local	text NOT NULL,
	to_host		text NOT NULL,
	to_local	text NOT NULL,
	peer_host	text NOT NULL,
	peer_local	text NOT NULL,
	body		text NOT NULL
) PARTITION BY RANGE (ts);
CREATE TABLE chat_archive_default PARTITION OF chat_archive DEFAULT;

CREATE TABLE room_archive (
	seq		bigint GENERATED ALWAYS AS IDENTITY,
	room_id		bigint NOT NULL,
	ts		bigint NOT NULL,
	mid		uuid NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('message', 'affiliation')),
	user_host	text NOT NULL,
	user_local	text NOT NULL,
	body		text,
	markable	boolean NOT NULL DEFAULT false,
	marker_type	text CHECK (marker_type IN
			    ('received', 'displayed', 'acknowledged')),
	marker_id	text,
	affiliation	text CHECK (affiliation IN ('owner', 'member', 'none'))
) PARTITION BY RANGE (ts);
CREATE TABLE room_archive_default PARTITION OF room_archive DEFAULT;

-- A month for every month that has rows (from 2000 to a year ahead; rows
-- outside stay in the default partition), then the copy.
SELECT chatrest_archive_partition('chat_archive', m)
FROM (SELECT DISTINCT date_trunc('month',
    to_timestamp(ts / 1000000.0) AT TIME ZONE 'UTC') AS m
    FROM chat_archive_old
    WHERE ts >= chatrest_archive_us('2000-01-01')
    AND ts < chatrest_archive_us((now() AT TIME ZONE 'UTC')::timestamp
    + interval '1 year')) s ORDER BY m;
SELECT chatrest_archive_partition('room_archive', m)
FROM (SELECT DISTINCT date_trunc('month',
    to_timestamp(ts / 1000000.0) AT TIME ZONE 'UTC') AS m
    FROM room_archive_old
    WHERE ts >= chatrest_archive_us('2000-01-01')
    AND ts < chatrest_archive_us((now() AT TIME ZONE 'UTC')::timestamp
    + interval '1 year')) s ORDER BY m;
SELECT chatrest_archive_prepare();

INSERT INTO chat_archive OVERRIDING SYSTEM VALUE
	SELECT seq, owner_id, ts, mid, from_host, from_local, to_host,
	    to_local, peer_host, peer_local, body
	FROM chat_archive_old;
INSERT INTO room_archive OVERRIDING SYSTEM VALUE
	SELECT seq, room_id, ts, mid, kind, user_host, user_local, body,
	    markable, marker_type, marker_id, affiliation
	FROM room_archive_old;

-- The identities go on where the old ones stopped.
DO $$
DECLARE
	t	text;
	v	bigint;
BEGIN
	FOREACH t IN ARRAY ARRAY['chat_archive', 'room_archive'] LOOP
		EXECUTE format('SELECT CASE WHEN is_called THEN last_value + 1'
		    ' ELSE last_value END FROM %I', t || '_old_seq_seq') INTO v;
		EXECUTE format('ALTER TABLE %I ALTER COLUMN seq RESTART WITH %s',
		    t, v);
	END LOOP;
END $$;

DROP TABLE chat_archive_old, room_archive_old;

ALTER TABLE chat_archive ADD PRIMARY KEY (owner_id, ts, seq);
ALTER TABLE chat_archive ADD FOREIGN KEY (owner_id) REFERENCES users (id)
	ON DELETE CASCADE;
CREATE INDEX chat_archive_peer
	ON chat_archive (owner_id, peer_host, peer_local, ts, seq);
CREATE INDEX chat_archive_peer_any ON chat_archive (peer_host, peer_local);
CREATE TRIGGER chat_archive_event AFTER INSERT ON chat_archive
	FOR EACH ROW EXECUTE FUNCTION chatrest_chat_event();

ALTER TABLE room_archive ADD PRIMARY KEY (room_id, ts, seq);
ALTER TABLE room_archive ADD FOREIGN KEY (room_id) REFERENCES rooms (id)
	ON DELETE CASCADE;
CREATE TRIGGER room_archive_event AFTER INSERT ON room_archive
	FOR EACH ROW EXECUTE FUNCTION chatrest_room_event();

ANALYZE chat_archive, room_archive;
