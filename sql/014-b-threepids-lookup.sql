-- Identity lookups (up to [identity] bulk_max 3PIDs in one statement)
-- probe threepids once per address and want only its owner: with the
-- owner in the primary key's leaf, each probe is an index-only scan and
-- skips the table.
ALTER TABLE threepids DROP CONSTRAINT threepids_pkey,
	ADD CONSTRAINT threepids_pkey PRIMARY KEY (medium, address)
	INCLUDE (user_id);
