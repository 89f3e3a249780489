-- The Matrix identity backend: avatar URLs, roles, and the failure
-- counters that slow down or refuse repeated wrong passwords.
ALTER TABLE users ADD COLUMN avatar_url text
	CHECK (avatar_url IS NULL OR length(avatar_url) BETWEEN 1 AND 1024);

-- Roles, free-form names (mxisd's invite policy matches them exactly).
CREATE TABLE user_roles (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role		text NOT NULL CHECK (length(role) BETWEEN 1 AND 255),
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, role)
);

-- Failed identity-backend logins per account name, counted whether or not
-- the account exists (so refusals reveal nothing).  Rows older than the
-- configured window are deleted as failures are recorded, so the table
-- holds at most the names tried within one window.
CREATE TABLE identity_failures (
	host		text NOT NULL,
	localpart	text NOT NULL,
	failures	integer NOT NULL CHECK (failures > 0),
	last_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (host, localpart)
);
CREATE INDEX identity_failures_last ON identity_failures (last_at);
