#!/bin/sh
# [database] read_conninfo: reads that tolerate lag (is_registered, the
# message archive) are served by a streaming replica, writes and
# authentication by the primary, and a replica lagging more than
# read_max_lag, or down, is skipped.  Replay is paused to make the lag.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/scale/replica.sh"
. "$top_srcdir/tests/client/common.sh"
plan 15

ok "a streaming replica is running" start_replica || exit 1

conf() {	# MAXLAG: a config with the replica and that lag bound
	sed "/^migrations =/a read_conninfo = host=$PGHOST port=5433 dbname=chatrest user=postgres\\
read_max_lag = $1" "$CHATREST_CONFIG" >"$TEST_TMP/lag$1.conf"
	chmod 644 "$TEST_TMP/lag$1.conf"
}
conf 60
conf 1
CGI_BIN=$REG CGI_MOUNT=/api/register
isreg() {	# LOCAL CONFIG
	cgi -c "$2" GET "/api/register/is_registered?username=$1&host=localhost&key=$REGISTER_KEY"
}

register alice
register bob
ok "alice and bob reached the replica" \
    wait_sql "select count(*) from users" 2 5433
psql_r "select pg_wal_replay_pause()" >/dev/null
ok "replay paused" wait_sql "select pg_get_wal_replay_pause_state()" paused 5433

cgi -c "$TEST_TMP/lag60.conf" POST /api/register/register \
    "$(reg_body username=carol host=localhost password=pw-carol)"
reply_is 200 '"ok"' "register carol: written to the primary"
is "$(psql_q "select count(*) from users where localpart = 'carol'")" 1 \
    "carol is on the primary"
isreg carol "$TEST_TMP/lag60.conf"
reply_is 200 false "is_registered carol: false, read from the paused replica"
isreg alice "$TEST_TMP/lag60.conf"
reply_is 200 true "is_registered alice: true from the replica"
cgi -c "$TEST_TMP/lag60.conf" POST /api/register/register \
    "$(reg_body username=carol host=localhost password=pw-other)"
reply_is 403 '{"error":"exists"}' "registering carol again: the primary says exists"

# The archive: alice writes to bob on the primary; bob's reads of it come
# from the replica, his password check from the primary.
CGI_BIN=$top_builddir/cgi-bin/chatrest-client CGI_MOUNT=/api
as alice -c "$TEST_TMP/lag60.conf" POST /api/messages \
    '{"to":"bob@localhost","body":"hello"}'
is "$STATUS" 200 "alice sends bob a message (primary)"
as bob -c "$TEST_TMP/lag60.conf" GET /api/messages
as bob -c "$TEST_TMP/lag60.conf" GET /api/messages
reply_is 200 '[]' "bob's archive, read from the paused replica: not there yet"

# Past the bound, the primary answers.
sleep 1.5
CGI_BIN=$REG CGI_MOUNT=/api/register
isreg carol "$TEST_TMP/lag1.conf"
reply_is 200 true "replica lags more than read_max_lag = 1: the primary says true"
like "$ERR" "lags more than read_max_lag" "the skip is logged"
CGI_BIN=$top_builddir/cgi-bin/chatrest-client CGI_MOUNT=/api
as bob -c "$TEST_TMP/lag1.conf" GET /api/messages
is "$(norm)" '[{"from":"alice@localhost","to":"bob@localhost","id":"UUID","body":"hello","timestamp":TS}]' \
    "bob's archive past the bound: from the primary"

psql_r "select pg_wal_replay_resume()" >/dev/null
ok "replay resumed: carol reaches the replica" \
    wait_sql "select count(*) from users where localpart = 'carol'" 1 5433
CGI_BIN=$REG CGI_MOUNT=/api/register

# The replica goes away: reads fall back to the primary, never 503.
$REPLICA_CTL -m fast stop >/dev/null 2>&1
isreg carol "$TEST_TMP/lag60.conf"
reply_is 200 true "replica down: is_registered from the primary"
done_testing
