-- Guessing limits for every credential check (lib/throttle.c): leaky
-- buckets per client address, per account and per (account, address)
-- pair.  A level drains at limit/window per second from "at"; rows that
-- have drained are deleted as new failures come in.  They replace the
-- identity backend's per-account counts.
CREATE TABLE auth_throttle (
	kind		text NOT NULL
			CHECK (kind IN ('pair', 'address', 'account')),
	subject		text NOT NULL CHECK (length(subject) BETWEEN 1 AND 2048),
	level		double precision NOT NULL CHECK (level >= 0),
	at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (kind, subject)
);
CREATE INDEX auth_throttle_at ON auth_throttle (at);

DROP TABLE identity_failures;
