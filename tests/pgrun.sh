#!/bin/sh
# Run one test with its own throw-away PostgreSQL cluster (SH_LOG_COMPILER):
#
#   tests/pgrun.sh SHELL TESTFILE [ARGS...]
#
# Each test gets a private cluster in a short temp dir (unix socket only, so
# parallel tests cannot collide), a migrated database "chatrest", and a
# chatrest.conf with fresh keys. The test sees CHATREST_CONFIG, PGHOST,
# PGUSER, PGDATABASE, TEST_TMP, REGISTER_KEY, ADMIN_KEY and TEST_PG_CTL.
#
# With CHATREST_TEST_PGBOUNCER=1 the executables reach the cluster through
# a PgBouncer in transaction mode started from apache/pgbouncer.ini.example
# (psql in the test still talks to PostgreSQL directly); the test also
# sees TEST_PGBOUNCER=1.
set -eu

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

bail() {
	echo "Bail out! $*"
	exit 1
}

# Debian keeps initdb off PATH; pg_config may belong to a newer libpq.
pgbin=
for d in "$(pg_config --bindir 2>/dev/null || :)" \
    $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV) \
    "$(dirname "$(command -v initdb 2>/dev/null || echo .)")"; do
	if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
		pgbin=$d
		break
	fi
done
if [ -z "$pgbin" ]; then
	echo "1..0 # SKIP no PostgreSQL server (initdb) installed"
	exit 0
fi

# Unix socket paths are limited to ~107 bytes: keep it short, not $TMPDIR.
tmp=$(mktemp -d /tmp/crt.XXXXXX)
asdb=
if [ "$(id -u)" = 0 ]; then
	# initdb refuses to run as root. The dir stays world-readable so that
	# web servers running as www-data reach the socket and the config.
	chown postgres:postgres "$tmp"
	asdb="runuser -u postgres --"
fi
chmod 755 "$tmp"

cleanup() {
	if [ -f "$tmp/pgbouncer.pid" ]; then
		kill "$(cat "$tmp/pgbouncer.pid")" 2>/dev/null || :
	fi
	# the cluster, and any replica a test started next to it (data2...)
	for _d in "$tmp"/data*; do
		[ -f "$_d/postmaster.pid" ] || continue
		$asdb "$pgbin/pg_ctl" -D "$_d" -m immediate stop \
		    >/dev/null 2>&1 || :
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! $asdb "$pgbin/initdb" -D "$tmp/data" -A trust -U postgres -E UTF8 \
    --locale=C --nosync >"$tmp/initdb.log" 2>&1; then
	echo "Bail out! initdb failed"
	sed 's/^/# /' "$tmp/initdb.log"
	exit 1
fi
cat >>"$tmp/data/postgresql.conf" <<EOF
listen_addresses = ''
port = 5432
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
if ! $asdb "$pgbin/pg_ctl" -D "$tmp/data" -w -t 30 -l "$tmp/postgres.log" \
    start >/dev/null 2>&1; then
	echo "Bail out! PostgreSQL did not start"
	sed 's/^/# /' "$tmp/postgres.log"
	exit 1
fi

# libpq reads these; nothing from the caller's environment may leak in.
unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGPASSWORD PGPASSFILE PGOPTIONS \
    PGSSLMODE PGAPPNAME 2>/dev/null || :
PGHOST=$tmp PGPORT=5432 PGUSER=postgres PGDATABASE=chatrest
export PGHOST PGPORT PGUSER PGDATABASE
"$pgbin/createdb" chatrest >"$tmp/createdb.log" 2>&1 ||
	bail "createdb failed: $(cat "$tmp/createdb.log")"

# 40 hex characters of key each.
randkey() {
	od -An -tx1 -N20 /dev/urandom | tr -d ' \n'
}
REGISTER_KEY=$(randkey)
ADMIN_KEY=$(randkey)
CHATREST_CONFIG=$tmp/chatrest.conf
TEST_TMP=$tmp
export REGISTER_KEY ADMIN_KEY CHATREST_CONFIG TEST_TMP
# for tests that stop or restart the cluster: $TEST_PG_CTL stop|start|...
TEST_PG_CTL="$asdb $pgbin/pg_ctl -D $tmp/data -l $tmp/postgres.log -w -t 30"
export TEST_PG_CTL
# for tests that start more clusters (a replica in $TEST_TMP/data2):
# PostgreSQL's bin directory, and the prefix that runs a command as the
# owner of the clusters ("runuser -u postgres --" as root, else empty).
TEST_PGBIN=$pgbin
TEST_ASDB=$asdb
export TEST_PGBIN TEST_ASDB

cat >"$CHATREST_CONFIG" <<EOF
# written by tests/pgrun.sh for one test
[server]
hosts = localhost example.org
max_body = 65536
log_level = info

[database]
conninfo = host=$tmp dbname=chatrest user=postgres
migrations = $top_srcdir/sql

[password]
scrypt_n = 16384
scrypt_r = 8
scrypt_p = 1

[register]
key = $REGISTER_KEY

[admin]
key = $ADMIN_KEY
admins = admin@localhost
EOF
chmod 644 "$CHATREST_CONFIG"

if ! "$top_builddir/cgi-bin/chatrest-admin" migrate >"$tmp/migrate.log" 2>&1
then
	echo "Bail out! chatrest-admin migrate failed"
	sed 's/^/# /' "$tmp/migrate.log"
	exit 1
fi

# The shipped sample, with this test's paths and port; trust on the
# private socket (the sample's auth_file is not ours to read).
if [ "${CHATREST_TEST_PGBOUNCER:-0}" = 1 ]; then
	pgbouncer=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
	if [ ! -x "$pgbouncer" ]; then
		echo "1..0 # SKIP no pgbouncer installed"
		exit 0
	fi
	sed -e "s|^chatrest = .*|chatrest = host=$tmp port=5432 dbname=chatrest|" \
	    -e "s|^listen_addr = .*|listen_addr =|" \
	    -e "s|^unix_socket_dir = .*|unix_socket_dir = $tmp|" \
	    -e "s|^auth_type = .*|auth_type = trust|" \
	    -e "s|^auth_file = .*|auth_file = $tmp/userlist.txt|" \
	    -e "s|^logfile = .*|logfile = $tmp/pgbouncer.log|" \
	    -e "s|^pidfile = .*|pidfile = $tmp/pgbouncer.pid|" \
	    "$top_srcdir/apache/pgbouncer.ini.example" >"$tmp/pgbouncer.ini"
	echo '"postgres" ""' >"$tmp/userlist.txt"
	chmod 644 "$tmp/pgbouncer.ini" "$tmp/userlist.txt"
	# PgBouncer refuses to run as root.
	$asdb "$pgbouncer" -q -d "$tmp/pgbouncer.ini" >"$tmp/pgbouncer.out" 2>&1 ||
		bail "pgbouncer did not start: $(cat "$tmp/pgbouncer.out")"
	_i=0
	until [ -S "$tmp/.s.PGSQL.6432" ]; do
		[ $_i -lt 100 ] || bail "pgbouncer did not listen"
		sleep 0.1
		_i=$((_i + 1))
	done
	sed -i "s|^conninfo = .*|conninfo = host=$tmp port=6432 dbname=chatrest user=postgres|" \
	    "$CHATREST_CONFIG"
	TEST_PGBOUNCER=1
	export TEST_PGBOUNCER
fi

# Not exec: the trap must still remove the cluster afterwards.
rc=0
"$@" || rc=$?
exit $rc
