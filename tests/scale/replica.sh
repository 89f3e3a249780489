# A streaming replica of the test's cluster (pg_basebackup -R), sourced
# after tests/lib.sh by the scale tests.  It lives in $TEST_TMP/data2,
# listens on port 5433 in the same socket directory, and tests/pgrun.sh
# stops it with the cluster.

REPLICA_CTL="$TEST_ASDB $TEST_PGBIN/pg_ctl -D $TEST_TMP/data2 -l $TEST_TMP/replica.log -w -t 30"

# psql_r SQL: one value from the replica.
psql_r() {
	psql -XAtq -p 5433 -v ON_ERROR_STOP=1 -c "$1"
}

# start_replica: copy the cluster, start the copy, wait until it streams.
start_replica() {
	$TEST_ASDB "$TEST_PGBIN/pg_basebackup" -h "$PGHOST" -p 5432 \
	    -U postgres -D "$TEST_TMP/data2" -R -X stream -c fast \
	    >"$TEST_TMP/basebackup.log" 2>&1 || return 1
	echo "port = 5433" | $TEST_ASDB sh -c \
	    "cat >>'$TEST_TMP/data2/postgresql.conf'" || return 1
	$REPLICA_CTL start >/dev/null 2>&1 || return 1
	wait_sql "select count(*) from pg_stat_replication
	    where state = 'streaming'" 1
}

# wait_sql SQL WANT [PORT]: up to 10 s for SQL to answer WANT.
wait_sql() {
	_i=0
	while [ "$(psql -XAtq -p "${3:-5432}" -c "$1" 2>/dev/null)" != "$2" ]; do
		[ $_i -lt 100 ] || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}
