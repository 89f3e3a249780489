-- The benchmark's data set, set-based (run by tests/bench/run with psql):
--   :users users u1..uN on localhost, every one with the password hash of
--     u1 (registered through chatrest-register first);
--   :rooms rooms r1..rN of 1 to 100 members (r1..r5 owned by u1; r1 has
--     100 members);
--   :messages one-to-one archive rows, u1 owning :depth of them;
--   100 room archive messages per room;
--   :tpids email 3PIDs, u<n>.<k>@example.org;
--   last_seen now for :online users (BareRTC statistics lists them).
\set ON_ERROR_STOP 1
SET synchronous_commit = off;
-- History, not news: no live events for the seeded rows (the archive
-- triggers of sql/008 would queue millions) and no key checks.
SET session_replication_role = replica;

CREATE TEMP TABLE un AS
	SELECT g AS n, 'u' || g AS localpart FROM generate_series(1, :users) g;

INSERT INTO users (localpart, host, password_hash, last_seen)
	SELECT un.localpart, 'localhost',
	    (SELECT password_hash FROM users WHERE localpart = 'u1'
	    AND host = 'localhost'),
	    CASE WHEN un.n <= :online THEN now() END
	FROM un WHERE un.n > 1 ORDER BY un.n;
UPDATE users SET last_seen = now() WHERE localpart = 'u1';
ALTER TABLE un ADD COLUMN id bigint;
UPDATE un SET id = u.id FROM users u
	WHERE u.localpart = un.localpart AND u.host = 'localhost';
CREATE UNIQUE INDEX ON un (n);
ANALYZE un;

-- Each user's live-event head, which the users trigger (skipped here)
-- makes for accounts created the normal way.
INSERT INTO event_heads (user_id, last) SELECT id, 0 FROM users
	ON CONFLICT (user_id) DO NOTHING;

INSERT INTO rooms (host, rid, name, subject)
	SELECT 'localhost', 'r' || g, 'Room ' || g, 'Subject of room ' || g
	FROM generate_series(1, :rooms) g;

INSERT INTO room_members (room_id, user_id, affiliation)
	SELECT r.id, un.id, CASE WHEN k = 0 THEN 'owner' ELSE 'member' END
	FROM rooms r
	CROSS JOIN LATERAL generate_series(0, CASE WHEN r.rid = 'r1' THEN 99
	    ELSE (r.id * 37) % 100 END) k
	JOIN un ON un.n = CASE WHEN k = 0 AND r.id <= 5 THEN 1
	    ELSE ((r.id * 101 + k * 97) % (:users - 1)) + 2 END
	ON CONFLICT DO NOTHING;

-- One-to-one archive: u1's :depth messages with u2, the rest between
-- neighbours; times one millisecond apart, oldest first.  Their month's
-- partitions first (sql/014), as a server has them before rows arrive.
SELECT chatrest_archive_partition(t, '2023-11-01') FROM
	unnest(ARRAY['chat_archive', 'room_archive']) t;
INSERT INTO chat_archive (owner_id, ts, mid, from_host, from_local,
    to_host, to_local, peer_host, peer_local, body)
	SELECT o.id, 1700000000000000 + g * 1000, gen_random_uuid(),
	    'localhost', p.localpart, 'localhost', o.localpart,
	    'localhost', p.localpart, 'archived message ' || g
	FROM generate_series(1, :messages) g
	JOIN un o ON o.n = CASE WHEN g <= :depth THEN 1
	    ELSE (g % (:users - 1)) + 2 END
	JOIN un p ON p.n = CASE WHEN g <= :depth THEN 2
	    ELSE ((g + 1) % (:users - 1)) + 2 END
	ORDER BY o.id, g;

INSERT INTO room_archive (room_id, ts, mid, kind, user_host, user_local,
    body)
	SELECT r.id, 1700000000000000 + (r.id * 100 + g) * 1000,
	    gen_random_uuid(), 'message', 'localhost', un.localpart,
	    'room message ' || g
	FROM rooms r
	CROSS JOIN generate_series(1, 100) g
	JOIN room_members m ON m.room_id = r.id AND m.affiliation = 'owner'
	JOIN un ON un.id = m.user_id
	ORDER BY r.id, g;

INSERT INTO threepids (medium, address, user_id)
	SELECT 'email', un.localpart || '.' || k || '@example.org', un.id
	FROM un CROSS JOIN generate_series(0, (:tpids / :users) - 1) k;

-- The INSERT ceiling's table (tests/bench/ceiling.c): an archive row's
-- shape and key, without the archive's partitions and live-event trigger.
CREATE TABLE bench_insert (LIKE chat_archive INCLUDING IDENTITY
	INCLUDING DEFAULTS, PRIMARY KEY (owner_id, ts, seq));

VACUUM ANALYZE;
CHECKPOINT;
