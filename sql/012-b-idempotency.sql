-- Idempotency-Key (lib/idem.c): the first answer to a write, kept for a
-- window so that a retry with the same key gets it again and stores
-- nothing new.  The row is written in the write's own transaction, so a
-- key is taken exactly when its write commits.
CREATE TABLE idempotency_keys (
	owner		text NOT NULL CHECK (length(owner) BETWEEN 1 AND 1100),
	idem_key	text NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 255),
	scope		text NOT NULL,	-- method and path: one key, one request
	status		integer,
	headers		text,
	body		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (owner, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
