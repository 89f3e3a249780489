-- Server notices for live clients: a restart announced by POST
-- /api/shutdown (user_id NULL: everyone), or a message to users removed
-- by POST /api/disconnect/now.
CREATE TABLE server_notices (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint REFERENCES users (id) ON DELETE CASCADE,
	kind		text NOT NULL
			CHECK (kind IN ('shutdown', 'disconnect', 'kick')),
	message		text NOT NULL CHECK (length(message) <= 4096),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX server_notices_created ON server_notices (created_at);
CREATE INDEX server_notices_user ON server_notices (user_id)
	WHERE user_id IS NOT NULL;
