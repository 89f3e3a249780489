#!/bin/sh
# Failover with a multi-host conninfo and target_session_attrs=read-write:
# FastCGI processes register users one after another while the primary
# stops and its synchronous standby is promoted.  Every registration
# acknowledged is on the new primary, the first success after the
# promotion comes within 5 s, and in between the answer is 503 with
# Retry-After: never a 500, never a hang.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/scale/replica.sh"
command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi not installed (Debian package libfcgi-bin)"
plan 9

ok "a streaming replica is running" start_replica || exit 1
# Synchronous: a commit is acknowledged once the standby has it.
psql_q "alter system set synchronous_standby_names = '*'" >/dev/null
psql_q "alter system set synchronous_commit = on" >/dev/null
psql_q "select pg_reload_conf()" >/dev/null
ok "the standby is synchronous" wait_sql "select sync_state
    from pg_stat_replication" sync

# cheap hashes: many registrations per second
sed -i -e "s|^scrypt_n = .*|scrypt_n = 1024|" -e "s|^conninfo = .*|conninfo = host=$PGHOST,$PGHOST port=5432,5433 dbname=chatrest user=postgres target_session_attrs=read-write|" \
    "$CHATREST_CONFIG"

trap 'kill $(app_pids) 2>/dev/null || :' EXIT
FCGI_SOCK=$TEST_TMP/fo.sock
cgi-fcgi -start -connect "$FCGI_SOCK" "$CGI_BIN" 2

now_ms() {
	date +%s%3N
}

# load UNTIL_FILE: registrations u1, u2... until the file exists, one line
# each: "START_MS END_MS STATUS RETRY-AFTER NAME".
load() {
	_n=0
	while [ ! -e "$1" ]; do
		_n=$((_n + 1))
		_t0=$(now_ms)
		REQ_PREFIX=load fcgi POST /api/register/register \
		    "$(reg_body username=u$_n host=localhost password=pw)"
		_ra=$(header Retry-After)
		echo "$_t0 $(now_ms) $STATUS ${_ra:--} u$_n $BODY"
	done
}
load "$TEST_TMP/stop" >"$TEST_TMP/load.out" &
lpid=$!

sleep 1
$TEST_PG_CTL -m fast stop >/dev/null 2>&1
sleep 1
promoted=$(now_ms)
$REPLICA_CTL promote >/dev/null 2>&1
sleep 5
touch "$TEST_TMP/stop"
wait $lpid

acked=$(awk '$3 == 200 { print $5 }' "$TEST_TMP/load.out")
nacked=$(echo "$acked" | grep -c . || :)
ok "registrations were acknowledged before and after ($nacked)" \
    sh -c "[ $nacked -gt 10 ] && awk '\$3 == 200 && \$1 > $promoted' \
    '$TEST_TMP/load.out' | grep -q ."
first=$(awk -v p="$promoted" '$3 == 200 && $1 > p { print $2; exit }' \
    "$TEST_TMP/load.out")
diag "first success $((first - promoted)) ms after the promotion began"
ok "first success after the promotion within 5 s" \
    test $((first - promoted)) -le 5000
is "$(awk '$3 != 200 && $3 != 503' "$TEST_TMP/load.out")" "" \
    "every answer is 200 or 503"
is "$(awk '$3 == 503 && $4 !~ /^[0-9]+$/' "$TEST_TMP/load.out")" "" \
    "every 503 carries Retry-After"
is "$(awk '$2 - $1 > 4000' "$TEST_TMP/load.out")" "" \
    "no request took longer than 4 s"
arr=$(echo $acked | tr ' ' ',')
lost=$(psql_r "select string_agg(u, ' ') from unnest('{$arr}'::text[]) u
    where u not in (select localpart from users)")
is "$lost" "" "every acknowledged registration is on the new primary"
is "$(psql_r "select pg_is_in_recovery()")" f "the standby is the primary now"
done_testing
