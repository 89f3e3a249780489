-- Accounts: one row per (localpart, host), the same account in every API.
-- Localparts and hosts are stored normalised (lower case) by the
-- application; the checks keep any other writer honest.
CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	localpart	text NOT NULL
			CHECK (localpart ~ '^[a-z0-9._-]{1,64}$'),
	host		text NOT NULL
			CHECK (host = lower(host) AND length(host) BETWEEN 1 AND 253),
	password_hash	text NOT NULL,
	display_name	text,
	disabled	boolean NOT NULL DEFAULT false,
	created_at	timestamptz NOT NULL DEFAULT now(),
	changed_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (host, localpart)
);

-- Third-party identifiers (email, msisdn), one owner per address.
-- Emails are stored lower-cased, msisdns as digits.
CREATE TABLE threepids (
	medium		text NOT NULL CHECK (medium IN ('email', 'msisdn')),
	address		text NOT NULL CHECK (length(address) BETWEEN 1 AND 320),
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	added_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (medium, address)
);
CREATE INDEX threepids_user ON threepids (user_id);
