-- chatrest-admin's ejabberd commands: presence sessions, last status,
-- roster nicknames and groups, shared roster groups, vCards.

-- A user present within the [presence] window has one session: its
-- resource, show and priority are what set_presence last said, and it
-- started when last_seen last came back from absence.
ALTER TABLE users
	ADD COLUMN last_status text NOT NULL DEFAULT ''
		CHECK (length(last_status) <= 1024),
	ADD COLUMN session_started timestamptz,
	ADD COLUMN presence_resource text NOT NULL DEFAULT 'chatrest'
		CHECK (length(presence_resource) BETWEEN 1 AND 1023),
	ADD COLUMN presence_show text NOT NULL DEFAULT 'available'
		CHECK (presence_show IN ('available', 'away', 'chat', 'dnd',
		    'xa')),
	ADD COLUMN presence_priority integer NOT NULL DEFAULT 0;

ALTER TABLE roster
	ADD COLUMN nick text NOT NULL DEFAULT ''
		CHECK (length(nick) <= 1024),
	ADD COLUMN grp text NOT NULL DEFAULT ''
		CHECK (length(grp) <= 1024);

-- Shared roster groups: members of a group see the members of the groups
-- it displays as contacts with subscription both.  A member "@all@" is
-- every account of the group's host.
CREATE TABLE srg (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	host		text NOT NULL CHECK (host = lower(host)),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
	label		text NOT NULL CHECK (length(label) <= 1024),
	description	text NOT NULL CHECK (length(description) <= 4096),
	display		text[] NOT NULL DEFAULT '{}',
	UNIQUE (host, name)
);

CREATE TABLE srg_members (
	group_id	bigint NOT NULL REFERENCES srg (id) ON DELETE CASCADE,
	user_host	text NOT NULL,
	user_local	text NOT NULL,
	PRIMARY KEY (group_id, user_host, user_local)
);
CREATE INDEX srg_members_user ON srg_members (user_host, user_local);

-- vCard fields other than FN, NICKNAME and PHOTO, which are the profile's
-- display name and avatar.  idx orders a field's repeated values.
CREATE TABLE vcard_fields (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (name ~ '^[A-Z][A-Z0-9-]{0,63}$'),
	subname		text NOT NULL DEFAULT ''
			CHECK (subname ~ '^([A-Z][A-Z0-9-]{0,63})?$'),
	idx		integer NOT NULL DEFAULT 0,
	value		text NOT NULL CHECK (length(value) <= 8192),
	PRIMARY KEY (user_id, name, subname, idx)
);

-- When a session ended (kick_user, set_presence unavailable) or what
-- set_last said: get_last's answer once last_seen is gone.
ALTER TABLE users ADD COLUMN last_activity timestamptz;
