-- Empty every table but the migration record, between two documents'
-- example sessions (tests/ops/readme-t.sh).  Sequences go on: the
-- running processes remember users they saw by id (presence).
DO $$
DECLARE
	t text;
BEGIN
	SELECT string_agg(quote_ident(tablename), ', ') INTO t
	    FROM pg_tables
	    WHERE schemaname = 'public' AND tablename <> 'schema_migrations';
	EXECUTE 'TRUNCATE ' || t || ' CASCADE';
END
$$;
