-- BareRTC blocklists by username, as POST /api/blocklist pushes them:
-- any name the website uses, with or without an account here, kept as
-- sent.  The names that are account names (in any case, as accounts are)
-- are also rows of blocks for that account, now or when the account is
-- created, so the client API filters them too.
CREATE TABLE web_blocklists (
	host		text NOT NULL CHECK (host = lower(host)),
	username	text NOT NULL,
	blocklist	text[] NOT NULL,
	changed_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (host, username)
);

CREATE INDEX web_blocklists_account ON web_blocklists (host, lower(username));

CREATE FUNCTION web_blocklists_link() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO blocks (user_id, blocked_host, blocked_local)
	SELECT NEW.id, NEW.host, lower(x)
	FROM web_blocklists w, unnest(w.blocklist) AS x
	WHERE w.host = NEW.host AND lower(w.username) = NEW.localpart
	  AND lower(x) ~ '^[a-z0-9._-]{1,64}$'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;

CREATE TRIGGER users_web_blocklists AFTER INSERT ON users
	FOR EACH ROW EXECUTE FUNCTION web_blocklists_link();

-- POST /api/message/clear deletes a user's threads from every owner's
-- copy: the partners' rows are found by the peer.
CREATE INDEX chat_archive_peer_any ON chat_archive (peer_host, peer_local);
