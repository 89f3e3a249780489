-- The client API's store: rooms and their members, the one-to-one and
-- room message archives, and rosters.
--
-- Archive times are integer microseconds since the epoch (as MAM keeps
-- them); "seq" breaks ties between messages of the same microsecond, so
-- every archive read is one range scan of (owner or room, ts, seq).

-- A room lives on a served host; its JID is rid@<MUC domain of host>.
CREATE TABLE rooms (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	host		text NOT NULL CHECK (host = lower(host)),
	rid		text NOT NULL CHECK (rid ~ '^[a-z0-9._-]{1,64}$'),
	name		text NOT NULL,
	subject		text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (host, rid)
);

-- Affiliations: a user who is not a row here has affiliation "none".
CREATE TABLE room_members (
	room_id		bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	affiliation	text NOT NULL CHECK (affiliation IN ('owner', 'member')),
	seq		bigint GENERATED ALWAYS AS IDENTITY,
	PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members (user_id);

-- One-to-one archive: one row per owner, so the sender's and the
-- recipient's copies are read with the same index.
CREATE TABLE chat_archive (
	seq		bigint GENERATED ALWAYS AS IDENTITY,
	owner_id	bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	ts		bigint NOT NULL,
	mid		uuid NOT NULL,
	from_host	text NOT NULL,
	from_local	text NOT NULL,
	to_host		text NOT NULL,
	to_local	text NOT NULL,
	peer_host	text NOT NULL,	-- the other party, for GET /messages/{with}
	peer_local	text NOT NULL,
	body		text NOT NULL,
	PRIMARY KEY (owner_id, ts, seq)
);
CREATE INDEX chat_archive_peer
	ON chat_archive (owner_id, peer_host, peer_local, ts, seq);

-- Room archive: messages (sender, body, markers) and affiliation changes
-- (the affected user and the new affiliation).
CREATE TABLE room_archive (
	seq		bigint GENERATED ALWAYS AS IDENTITY,
	room_id		bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
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
	affiliation	text CHECK (affiliation IN ('owner', 'member', 'none')),
	PRIMARY KEY (room_id, ts, seq)
);

-- Rosters: the owner's view of a contact, subscription and pending asks.
CREATE TABLE roster (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	contact_host	text NOT NULL,
	contact_local	text NOT NULL,
	sub_to		boolean NOT NULL DEFAULT false,	-- we see their presence
	sub_from	boolean NOT NULL DEFAULT false,	-- they see ours
	ask_out		boolean NOT NULL DEFAULT false,	-- we asked them
	ask_in		boolean NOT NULL DEFAULT false,	-- they asked us
	seq		bigint GENERATED ALWAYS AS IDENTITY,
	PRIMARY KEY (user_id, contact_host, contact_local)
);
