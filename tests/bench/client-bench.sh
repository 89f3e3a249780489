#!/bin/sh
# Throughput of chatrest-client under lighttpd (mod_fastcgi) on loopback,
# measured with wrk. Not part of make check; run from the build tree after
# "make check" (which builds tests/conf/lighttpd.conf):
#
#   top_srcdir=$PWD top_builddir=$PWD sh tests/pgrun.sh sh tests/bench/client-bench.sh
#
# DURATION (seconds, default 10), THREADS (2) and CONNS (16) tune wrk.
# The results are written down in tests/bench/README.md.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/client/common.sh"

DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNS=${CONNS:-16}
command -v wrk >/dev/null || bail_out "wrk is not installed (apt-get install wrk)"
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$lighttpd" ] || bail_out "lighttpd is not installed"

register alice
register bob
A=$(basic alice@localhost pw-alice)

# Alice is in 5 rooms; her archive holds 1000 messages.
i=0
while [ $i -lt 5 ]; do
	term -u alice@localhost:pw-alice -d '{"name":"bench","subject":"s"}' PUT /api/rooms/bench$i
	i=$((i + 1))
done
uid=$(psql_q "select id from users where localpart = 'alice'")
psql_q "insert into chat_archive (owner_id, ts, mid, from_host, from_local,
    to_host, to_local, peer_host, peer_local, body)
    select $uid, 1700000000000000 + g * 1000, gen_random_uuid(), 'localhost',
    'bob', 'localhost', 'alice', 'localhost', 'bob', 'message ' || g
    from generate_series(1, 1000) g" >/dev/null
psql -XAtq -c "vacuum analyze" >/dev/null

e2e_setup lighttpd
E2E_LOG=$TEST_TMP/server.out
e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"

cat >"$TEST_TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"to":"bob@localhost","body":"benchmark message"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$A"
LUA

run() {	# NAME wrk-arguments...
	_n=$1
	shift
	# warm every FastCGI process's connection and auth cache first
	wrk -t"$THREADS" -c"$CONNS" -d2s "$@" >/dev/null 2>&1
	wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$@" \
	    >"$TEST_TMP/wrk.out" 2>&1
	diag "== $_n"
	diag "$(grep -E 'Requests/sec|Latency |50%|99%|Non-2xx|errors' "$TEST_TMP/wrk.out")"
	ok "$_n: no errors or non-2xx replies" \
	    sh -c '! grep -Eq "Non-2xx|Socket errors" "$0"' "$TEST_TMP/wrk.out"
}

http -a "$A" GET "$BASE/api/rooms"
is "$STATUS" 200 'GET /api/rooms answers through lighttpd'
run 'GET /api/rooms' -H "Authorization: $A" "$BASE/api/rooms"
run 'GET /api/messages (limit 50 of 1000)' -H "Authorization: $A" \
    "$BASE/api/messages?limit=50&before=1700000001000"
run 'POST /api/messages' -s "$TEST_TMP/post.lua" "$BASE/api/messages"
diag "archived by the POST run: $(psql_q "select count(*) from chat_archive where body = 'benchmark message'") rows (two per message)"
# the same read, now that the archive has grown by the POST run
psql -XAtq -c "vacuum analyze chat_archive" >/dev/null
run 'GET /api/messages after the POST run' -H "Authorization: $A" \
    "$BASE/api/messages?limit=50&before=1700000001000"
e2e_stop
diag "PostgreSQL $(psql_q 'show server_version'), $(nproc) CPUs, wrk -t$THREADS -c$CONNS -d${DURATION}s"
done_testing
