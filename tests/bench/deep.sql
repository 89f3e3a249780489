-- --deep: :count more archive rows owned by u2 (with u3), older than
-- everything else, so the newest 50 of u2's archive sit on top of
-- :count + its share of the main set.
\set ON_ERROR_STOP 1
SET synchronous_commit = off;
-- History, not news: no live events for the seeded rows (the archive
-- triggers of sql/008 would queue millions) and no key checks.
SET session_replication_role = replica;
SELECT chatrest_archive_partition('chat_archive', '2020-09-01');
INSERT INTO chat_archive (owner_id, ts, mid, from_host, from_local,
    to_host, to_local, peer_host, peer_local, body)
	SELECT o.id, 1600000000000000 + g::bigint * 1000, gen_random_uuid(),
	    'localhost', 'u3', 'localhost', 'u2', 'localhost', 'u3',
	    'deep archive ' || g
	FROM generate_series(1, :count) g,
	    (SELECT id FROM users WHERE localpart = 'u2'
	    AND host = 'localhost') o;
VACUUM ANALYZE chat_archive;
