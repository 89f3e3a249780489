#!/bin/sh
# chatrest-register as a FastCGI server, driven by cgi-fcgi (libfcgi-bin):
# one process answers a sequence of requests in which state could leak
# from one request into the next, stops on SIGTERM, and several processes
# racing to register one name give exactly one "ok".
. "$top_srcdir/tests/lib.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi not installed (Debian package libfcgi-bin)"

R=/api/register

# gone PID: the process has exited (or is a zombie nobody reaps).
gone() {
	[ ! -e "/proc/$1/exe" ] || [ -z "$(readlink "/proc/$1/exe" 2>/dev/null)" ]
}

trap stop_apps EXIT

# start SOCKET N: N processes listening on SOCKET. cgi-fcgi -start closes
# stdout and stderr before it execs the application, as some spawners do.
start() {
	cgi-fcgi -start -connect "$1" "$CGI_BIN" "$2"
}

# --- one process, many requests ----------------------------------------------
FCGI_SOCK=$TEST_TMP/one.sock
start "$FCGI_SOCK" 1
pid=$(app_pids)
is "$(echo "$pid" | wc -w | tr -d ' ')" 1 'one FastCGI process is running'

fcgi POST $R/register "$(reg_body username=alice host=localhost password=pw-alice)"
reply_is 200 '"ok"' 'register alice with the key'
fcgi POST $R/register '{"username":"bob","host":"localhost","password":"pw-bob"}'
reply_is 401 '{"error":"not_allowed"}' 'then a request without the key: not_allowed'
is "$(psql_q "select count(*) from users where localpart = 'bob'")" 0 \
    'no row for the request without the key'
fcgi POST $R/register "$(reg_body username=bob host=localhost password=pw-bob)"
reply_is 200 '"ok"' 'register bob with the key'
fcgi GET "$R/is_registered?username=alice&host=localhost"
reply_is 401 '{"error":"not_allowed"}' 'GET after a POST: the old body (and key) is not seen'
fcgi GET "$R/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
reply_is 200 true 'GET with the key in the query: true'
fcgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
reply_is 200 false 'GET for an unknown user: false (no answer cached from the last one)'
fcgi -l 0 POST $R/register ''
reply_is 400 '{"error":"bad_request"}' 'an empty POST after a full one: bad_request'
fcgi -l '' POST $R/register "$(reg_body username=carol host=localhost password=pw)"
reply_is 411 '{"error":"length_required"}' 'no CONTENT_LENGTH after requests that had one: length_required'
fcgi -l 400 POST $R/register "$(reg_body username=carol host=localhost password=pw)"
reply_is 400 '{"error":"bad_request"}' 'a short body: bad_request'
head -c 70000 /dev/zero | tr '\0' ' ' >"$TEST_TMP/big"
fcgi -f "$TEST_TMP/big" POST $R/register
reply_is 413 '{"error":"request_too_large"}' 'a 70000-byte body: request_too_large'
fcgi POST $R/register "$(reg_body username=carol host=localhost password=pw-carol)"
reply_is 200 '"ok"' 'the next request after those is read correctly'
is "$(psql_q "select count(*) from users where localpart = 'carol'")" 1 \
    'carol registered once'

# Passwords: the answer for one user must never be reused for another,
# nor for the same user after a change (the auth cache).
fcgi POST $R/unregister "$(reg_body username=bob host=localhost password=pw-alice)"
reply_is 401 '{"error":"not_allowed"}' "bob with alice's password: not_allowed"
fcgi POST $R/change_password \
    "$(reg_body username=alice host=localhost old_password=pw-alice new_password=pw2-alice)"
reply_is 200 '"ok"' 'alice changes her password'
fcgi POST $R/change_password \
    "$(reg_body username=bob host=localhost old_password=pw-alice new_password=x)"
reply_is 401 '{"error":"not_allowed"}' "bob with alice's old password: not_allowed"
fcgi POST $R/unregister "$(reg_body username=alice host=localhost password=pw-alice)"
reply_is 401 '{"error":"not_allowed"}' "alice's old password no longer works"
fcgi POST $R/unregister "$(reg_body username=bob host=localhost password=pw-bob)"
reply_is 200 '"ok"' "bob with bob's password: ok"
fcgi POST $R/unregister "$(reg_body username=alice host=localhost password=pw2-alice)"
reply_is 200 '"ok"' "alice with her new password: ok"
fcgi GET "$R/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
reply_is 200 false 'alice is gone'

# The database goes away under the process, and comes back.
$TEST_PG_CTL -m fast restart >/dev/null
fcgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
reply_is 200 true 'after a PostgreSQL restart: reconnects (is_registered true)'
fcgi POST $R/register "$(reg_body username=dora host=localhost password=pw)"
reply_is 200 '"ok"' 'after a PostgreSQL restart: register ok'
$TEST_PG_CTL -m fast stop >/dev/null
fcgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
reply_is 503 '{"error":"unavailable"}' 'PostgreSQL down: unavailable'
like "$(header Retry-After)" '^[0-9]+$' 'PostgreSQL down: Retry-After'
retry_after=$(header Retry-After)
$TEST_PG_CTL start >/dev/null
# A client that waits as told gets an answer (the process may hold off
# reconnecting for a moment; poll rather than sleep the whole time).
i=0
while :; do
	fcgi GET "$R/is_registered?username=dora&host=localhost&key=$REGISTER_KEY"
	[ "$STATUS" = 503 ] && [ $i -lt $((${retry_after:-5} * 5)) ] || break
	sleep 0.2
	i=$((i + 1))
done
reply_is 200 true "PostgreSQL back: is_registered true within Retry-After"

is "$(app_pids)" "$pid" 'the same process answered every request'

# Request ids: a random start per process, one more per request.
ids=$TEST_TMP/ids
: >"$ids"
for i in 1 2 3; do
	fcgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
	header X-Request-Id >>"$ids"
done

kill -TERM "$pid"
i=0
while [ $i -lt 10 ] && ! gone "$pid"; do
	sleep 0.1
	i=$((i + 1))
done
ok 'SIGTERM: the idle process exits within 1 s' gone "$pid"

# SIGUSR1 (mod_fcgid's graceful stop) ends a process the same way.
FCGI_SOCK=$TEST_TMP/usr1.sock
start "$FCGI_SOCK" 1
pid=$(app_pids)
fcgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
reply_is 200 true 'a fresh process answers'
for i in 1 2 3; do
	fcgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
	header X-Request-Id >>"$ids"
done
for i in 1 2; do
	cgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
	header X-Request-Id >>"$ids"
done
is "$(grep -Ec '^[0-9a-f]{16}$' "$ids")|$(sort -u "$ids" | wc -l | tr -d ' ')" '8|8' \
    'request ids: 16 hex digits, unique within a process, across processes and CGI runs'
kill -USR1 "$pid"
i=0
while [ $i -lt 10 ] && ! gone "$pid"; do
	sleep 0.1
	i=$((i + 1))
done
ok 'SIGUSR1: the idle process exits within 1 s' gone "$pid"

# --- a bad configuration: the process stays up and answers 503 ---------------
sed '/^\[server\]/a bogus = 1' "$CHATREST_CONFIG" >"$TEST_TMP/bad.conf"
FCGI_SOCK=$TEST_TMP/bad.sock
# (the config path comes from the process environment, never a request)
env CHATREST_CONFIG="$TEST_TMP/bad.conf" \
    cgi-fcgi -start -connect "$FCGI_SOCK" "$CGI_BIN" 1
fcgi POST $R/register "$(reg_body username=dora host=localhost password=pw)"
is "$STATUS $(header Content-Type)" '503 application/json' 'bad config: 503'
like "$BODY" '^\{"error":"[a-z_]+"\}$' 'bad config: an error object'
fcgi GET "$R/is_registered?username=carol&host=localhost&key=$REGISTER_KEY"
is "$STATUS" 503 'bad config: the next request gets 503 too'
stop_apps

# --- fifty concurrent registrations of one name ------------------------------
FCGI_SOCK=$TEST_TMP/race.sock
start "$FCGI_SOCK" 8
is "$(app_pids | wc -l | tr -d ' ')" 8 'eight FastCGI processes are running'
i=0
while [ $i -lt 50 ]; do
	i=$((i + 1))
	(
		REQ_PREFIX=race$i
		fcgi POST $R/register \
		    "$(reg_body username=racer host=localhost password=pw$i)"
		echo "$STATUS $BODY" >"$TEST_TMP/race.$i.result"
	) &
done
wait
cat "$TEST_TMP"/race.*.result | sort | uniq -c | sed 's/^ *//' >"$TEST_TMP/race"
is "$(cat "$TEST_TMP/race")" '1 200 "ok"
49 403 {"error":"exists"}' '50 racing registrations: one ok, 49 exists'
ok 'no 5xx among them' sh -c "! grep -q '^[0-9]* 5' '$TEST_TMP/race'"
is "$(psql_q "select count(*) from users where localpart = 'racer'")" 1 \
    'one row for the raced name'

pids=$(app_pids)
kill -TERM $pids
i=0
while [ $i -lt 10 ] && [ -n "$(app_pids)" ]; do
	sleep 0.1
	i=$((i + 1))
done
is "$(app_pids)" '' 'SIGTERM: all eight exit within 1 s'

done_testing
