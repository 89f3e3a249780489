-- Scale-out: nothing a FastCGI process needs is kept on a server
-- connection, so PgBouncer in transaction mode can share them.

-- A process that cannot LISTEN (behind PgBouncer) learns of a restart
-- from the newest 'shutdown' notice: one index probe, read with the first
-- statement of each request.
CREATE INDEX server_notices_shutdown ON server_notices (id)
	WHERE kind = 'shutdown';

-- The order in which the processes of one executable on one front (web
-- server) learnt of restarts, counting up; it spreads their leaving over
-- waves.  A row, not a session advisory lock: a pooled server connection
-- outlives the process that took a lock on it.
CREATE TABLE restart_waves (
	front		text NOT NULL CHECK (length(front) BETWEEN 1 AND 255),
	executable	text NOT NULL CHECK (length(executable) BETWEEN 1 AND 64),
	n		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (front, executable)
);
