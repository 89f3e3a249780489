#!/bin/sh
# N live-event streams under lighttpd, messages posted at a fixed rate:
# streams held, events delivered/expected, latency, memory and database
# connections.  Not part of make check; from the build tree, after
# "make check" (which builds tests/conf/lighttpd.conf and sse-bench):
#
#   ulimit -n 65536
#   N=10000 RATE=500 DURATION=20 top_srcdir=$PWD top_builddir=$PWD \
#       sh tests/pgrun.sh sh tests/bench/sse-bench.sh
#
# Each stream is its own user (ben0 ... ben<N-1>, one password hash
# shared by all, scrypt N=1024 so that signing N users in costs seconds,
# not minutes); the messages come from "poster".  The results are in
# tests/bench/README.md.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/client/common.sh"

N=${N:-1000}
RATE=${RATE:-500}
DURATION=${DURATION:-20}
BENCH=$top_builddir/tests/bench/sse-bench
[ -x "$BENCH" ] || bail_out "$BENCH is missing (make check builds it)"
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)

sed -i 's/^scrypt_n = .*/scrypt_n = 1024/; s/^log_level = .*/log_level = warn/' \
    "$CHATREST_CONFIG"
printf '\n[auth]\ncache_size = 100000\n' >>"$CHATREST_CONFIG"
"$REG" -d "{\"key\":\"$REGISTER_KEY\",\"username\":\"poster\",\"host\":\"localhost\",\"password\":\"benchpass\"}" \
    POST /api/register/register >/dev/null 2>&1 || bail_out "cannot register"
psql_q "insert into users (localpart, host, password_hash)
    select 'ben' || g, 'localhost', (select password_hash from users
    where localpart = 'poster') from generate_series(0, $N - 1) g" >/dev/null
psql -XAtq -c "vacuum analyze" >/dev/null

e2e_setup lighttpd
E2E_LOG=$TEST_TMP/server.out
# the shipped snippet, with the limits its comment asks for
cat >"$TEST_TMP/bench-lighttpd.conf" <<EOF2
include "$top_srcdir/tests/e2e/lighttpd.conf"
server.max-fds = 20000
server.max-connections = $((N + 1000))
server.listen-backlog = 4096
EOF2
e2e_start "$lighttpd" -D -f "$TEST_TMP/bench-lighttpd.conf"
ports="-p $PORT"
# FRONTS=2: a second lighttpd (its own events process), as a second web
# server would be; the streams alternate between the two.
L2_PID=
if [ "${FRONTS:-1}" = 2 ]; then
	WWW2=$TEST_TMP/www2 PORT2=$(free_port)
	mkdir -p "$WWW2/run"
	[ "$(id -u)" != 0 ] || chown -R "$WWW_USER:$WWW_GROUP" "$WWW2"
	WWW=$WWW2 PORT=$PORT2 "$lighttpd" -D -f "$TEST_TMP/bench-lighttpd.conf" \
	    >>"$TEST_TMP/server2.out" 2>&1 &
	L2_PID=$!
	ports="$ports -p $PORT2"
	sleep 1
	curl -s -o /dev/null "http://127.0.0.1:$PORT2/api/sse" --max-time 1 || :
fi
# the events processes start with the first request
curl -s -o /dev/null "$BASE/api/sse" --max-time 1 || :
sleep 0.5
pids=
for p in $(pgrep -f "cgi-bin/chatrest-events"); do
	pids="$pids -P $p"
done
echo "# events processes:$pids"
lpids=
for p in $(pgrep -x lighttpd); do
	# this test's servers only
	grep -q "$TEST_TMP" "/proc/$p/cmdline" 2>/dev/null && lpids="$lpids -L $p"
done
echo "# lighttpd:$lpids"
"$BENCH" $ports -n "$N" -r "$RATE" -d "$DURATION" -u ben -w benchpass \
    -s poster $pids $lpids
rc=$?
echo "database connections by application:"
psql -XAtq -c "select application_name, count(*) from pg_stat_activity
    where datname = 'chatrest' group by 1 order by 1"
echo "web server and events process warnings:"
grep -h -v 'info:' "$WWW/error.log" "$TEST_TMP/server.out" 2>/dev/null |
    sed 's/^[0-9: -]*//; s/\[[0-9]*\]//' | sort | uniq -c | sort -rn | head -8
[ -z "$L2_PID" ] || { kill "$L2_PID"; wait "$L2_PID" 2>/dev/null; }
e2e_stop
exit $rc
