-- Admin API: why and when an account was disabled (ban_account), and the
-- audit trail of every state-changing admin command.
ALTER TABLE users ADD COLUMN disabled_reason text,
	ADD COLUMN disabled_at timestamptz;

-- One row per state-changing command that ran, whatever its outcome.
-- args holds the named arguments with every password replaced by "*".
CREATE TABLE admin_audit (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor		text NOT NULL,		-- admin JID, "key" or "shell:<user>"
	via		text NOT NULL
			CHECK (via IN ('restful', 'http_api', 'shell')),
	command		text NOT NULL,
	args		json NOT NULL,
	outcome		text NOT NULL,		-- "ok" or the error atom
	message		text NOT NULL DEFAULT ''
);
