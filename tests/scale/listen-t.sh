#!/bin/sh
# lib/listen, the notification path: hears NOTIFY on its channels, and
# after the server restarts reconnects by itself and says "ready" again,
# so its user knows to catch up; a notification sent while it was down is
# not heard (that is what the catch-up is for), the next one is.
. "$top_srcdir/tests/lib.sh"
plan 7

probe=$top_builddir/tests/scale/listen-probe
out=$TEST_TMP/probe.out
conninfo="host=$PGHOST dbname=chatrest user=postgres"

# wait_line PATTERN COUNT: up to 10 s for COUNT lines matching PATTERN.
wait_line() {
	_i=0
	while [ "$(grep -c -- "$1" "$out" 2>/dev/null || :)" -lt "$2" ]; do
		[ $_i -lt 100 ] || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

"$probe" "$conninfo" 30 chatrest_a chatrest_b >"$out" 2>"$TEST_TMP/probe.err" &
pid=$!
trap 'kill $pid 2>/dev/null || :' EXIT

ok "ready after the first connect" wait_line '^ready$' 1
psql_q "select pg_notify('chatrest_a', 'one'), pg_notify('other', 'x'),
    pg_notify('chatrest_b', 'two')" >/dev/null
ok "notifications on both channels arrive" wait_line '^note chatrest_b two$' 1
is "$(grep '^note' "$out" | tr '\n' ' ')" \
    "note chatrest_a one note chatrest_b two " \
    "only our channels, in order, with their payloads"

$TEST_PG_CTL stop -m fast >/dev/null 2>&1
ok "the loss is reported" wait_line '^down$' 1
$TEST_PG_CTL start >/dev/null 2>&1
ok "ready again after the server came back, by itself" wait_line '^ready$' 2
psql_q "select pg_notify('chatrest_a', 'three')" >/dev/null
ok "a notification after the reconnect arrives" \
    wait_line '^note chatrest_a three$' 1
kill $pid 2>/dev/null || :
wait $pid 2>/dev/null || :
is "$(grep -c 'notification connection: lost' "$TEST_TMP/probe.err")" 1 \
    "the loss is logged once"
done_testing
