-- Presence: the last time any front door authenticated the user.
ALTER TABLE users ADD COLUMN last_seen timestamptz;
CREATE INDEX users_last_seen ON users (last_seen) WHERE last_seen IS NOT NULL;

-- Blocklists: user_id never sees messages from (blocked_host, blocked_local).
-- The blocked user need not exist (BareRTC blocks by name).
CREATE TABLE blocks (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	blocked_host	text NOT NULL,
	blocked_local	text NOT NULL,
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, blocked_host, blocked_local)
);
