#!/bin/sh
# Guessing limits on every place that checks a password or a key: each
# answers its API's ordinary failure with Retry-After once over the
# limit, the right credential from a clean address still works, failures
# are logged in the fixed fail2ban form, and the admin commands show and
# clear the counters.  Also: the registration key in a header, no query
# string or CONNECT target in the logs, the config file's permissions.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

CLIENT=$top_builddir/cgi-bin/chatrest-client
ADMIN=$top_builddir/cgi-bin/chatrest-admin
WEB=$top_builddir/cgi-bin/chatrest-web
REGB=$top_builddir/cgi-bin/chatrest-register
WEBKEY=web-api-key-0123456789abcdef0123456789

register alice
register admin
# pair limit 2 within 600 s: the third failure waits (3 - 2) * 600 / 2 s
T=$TEST_TMP/t.conf
{ cat "$CHATREST_CONFIG"
  printf '[auth]\nfail_limit = 2\nfail_window = 600\n'
  printf '[web]\napi_key = %s\n' "$WEBKEY"; } >"$T"
chmod 640 "$T"
export CHATREST_CONFIG="$T"

level() {	# KIND SUBJECT
	psql_q "select round(level) from auth_throttle where kind = '$1' and subject = '$2'"
}
reset() {
	psql_q "delete from auth_throttle" >/dev/null
}
# in_range LO HI VALUE: counters drain while the test runs (a busy machine
# takes seconds), so waits are checked within what draining allows.
in_range() {
	case $3 in ''|*[!0-9]*) return 1 ;; esac
	[ "$3" -ge "$1" ] && [ "$3" -le "$2" ]
}
# guess3 NAME SUBJECT: after the first two calls of NAME, the third is
# answered like them plus Retry-After: 300; RUN does one call.
guess3() {
	run; s1="$STATUS|$BODY"
	run; s2="$STATUS|$BODY"
	is "$s2" "$s1" "$1: a second failure, the same answer"
	is "$(header Retry-After)" '' "$1: no Retry-After below the limit"
	run
	is "$STATUS|$BODY" "$s1" "$1: over the limit, the ordinary failure"
	ok "$1: ... with Retry-After ($(header Retry-After) of 300 s)" \
	    in_range 240 300 "$(header Retry-After)"
	like "$ERR" "warn: \\[[0-9a-f]*\\] auth failure for $2 from 127\\.0\\.0\\.1\$" \
	    "$1: logged as 'auth failure for $2 from 127.0.0.1'"
	is "$(level pair "$2 127.0.0.1")" 3 "$1: counted in the database"
	is "$(level address 127.0.0.1)|$(level account "$2")" '2|2' \
	    "$1: the refusal counted on its pair only"
}

# --- the client API: Basic ----------------------------------------------------
reset
CGI_BIN=$CLIENT CGI_MOUNT=/api
run() { cgi -a "$(basic alice@localhost wrong)" GET /api/messages; }
guess3 'client Basic' alice@localhost
is "$STATUS|$(header WWW-Authenticate)" '401|Basic realm="mongooseim"' \
    'client Basic: 401 with its challenge'
cgi -a "$(basic alice@localhost pw-alice)" GET /api/messages
is "$STATUS" 401 'client Basic: the right password from the guessing address is refused'
ok "... and waits longer ($(header Retry-After) of 600 s)" \
    in_range 540 600 "$(header Retry-After)"
# level and time of alice's account bucket, as stored
acct() {
	psql_q "select level || ' ' || extract(epoch from at) from auth_throttle
	    where kind = 'account' and subject = 'alice@localhost'"
}
acct_before=$(acct)
cgi -e REMOTE_ADDR=192.0.2.50 -a "$(basic alice@localhost pw-alice)" GET /api/messages
reply_is 200 '[]' 'client Basic: the right password from another address works'
cgi -e REMOTE_ADDR=192.0.2.50 -a "$(basic alice@localhost pw-alice)" GET /api/messages
reply_is 200 '[]' '... again (from the cache: no counter involved)'
# after the take-back, the level is the earlier one drained (at
# account_limit / fail_window = 100 / 600 a second) to the new time
drift=$(printf '%s %s\n' "$acct_before" "$(acct)" | awk '{
	d = $3 - ($1 - ($4 - $2) * 100 / 600); print (d < 0 ? -d : d) < 0.1 }')
is "$drift" 1 '... and took back its own attempt'


# --- the admin API: key (mod_restful), bearer key, Basic ---------------------------------
reset
CGI_BIN=$ADMIN CGI_MOUNT=/api/admin
run() { cgi POST /api/admin '{"key":"not-the-key","command":"registered_vhosts","args":[]}'; }
guess3 'admin key (mod_restful)' key:admin
reply_is 401 '{"error":"not_allowed"}' 'admin key: 401 not_allowed'
reset
run() { cgi -a 'Bearer not-the-key' POST /api/admin/registered_vhosts '{}'; }
guess3 'admin bearer key' key:admin
reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
    'admin bearer key: ejabberd 401'
cgi -e REMOTE_ADDR=192.0.2.51 -a "Bearer $ADMIN_KEY" POST /api/admin/registered_vhosts '{}'
reply_is 200 '["localhost","example.org"]' 'admin bearer: the right key from elsewhere works'
# a key is compared first: the right one is accepted, and writes nothing
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/registered_vhosts '{}'
is "$STATUS|$(level pair 'key:admin 127.0.0.1')" '200|3' \
    'admin bearer: the right key from the guessing address works, uncounted'
reset
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/registered_vhosts '{}'
is "$STATUS|$(psql_q "select count(*) from auth_throttle")" '200|0' \
    'the right key from a clean address writes no counter'
run
is "$(level pair 'key:admin 127.0.0.1')|$(level address 127.0.0.1)" '1|1' \
    'a wrong key: counted on its pair and address'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/registered_vhosts '{}'
is "$STATUS|$(level pair 'key:admin 127.0.0.1')|$(level address 127.0.0.1)" '200|1|1' \
    '... the right key then changes no counter'
reset
sed '/^\[admin\]/,/^key/{/^key/d}' "$T" >"$TEST_TMP/basic.conf"
chmod 640 "$TEST_TMP/basic.conf"
run() { cgi -c "$TEST_TMP/basic.conf" -a "$(basic admin@localhost nope)" POST /api/admin/registered_vhosts '{}'; }
guess3 'admin Basic' admin@localhost

# --- the registration API: key, change_password, unregister ---------------------------------
reset
CGI_BIN=$REGB CGI_MOUNT=/api/register
run() { cgi GET '/api/register/is_registered?username=alice&host=localhost&key=wrong-key'; }
guess3 'registration key' key:register
reply_is 401 '{"error":"not_allowed"}' 'registration key: 401 not_allowed'
ok 'the logs never hold the query string' sh -c '! printf "%s" "$0" | grep -q wrong-key' "$ERR"
reset
cgi -e "HTTP_X_API_KEY=$REGISTER_KEY" GET '/api/register/is_registered?username=alice&host=localhost'
reply_is 200 true 'the key in X-Api-Key'
cgi -a "$(printf 'Basic %s' "$(printf 'x:%s' "$REGISTER_KEY" | base64 | tr -d '\n')")" \
    GET '/api/register/is_registered?username=alice&host=localhost'
reply_is 200 true 'the key as the password of Basic credentials'
cgi -e HTTP_X_API_KEY=wrong GET "/api/register/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
reply_is 401 '{"error":"not_allowed"}' 'a header key is the one checked'
reset
run() { cgi POST /api/register/change_password "$(reg_body username=alice host=localhost old_password=bad new_password=x)"; }
guess3 'change_password' alice@localhost
reply_is 401 '{"error":"not_allowed"}' 'change_password: 401 not_allowed'
reset
run() { cgi POST /api/register/unregister "$(reg_body username=alice host=localhost password=bad)"; }
guess3 'unregister' alice@localhost
is "$(psql_q "select count(*) from users where localpart = 'alice'")" 1 'alice is still there'

# --- the web API key, the admin check_password ----------------------------------------------
reset
CGI_BIN=$WEB CGI_MOUNT=/api
run() { cgi POST /api/blocklist '{"APIKey":"wrong","Username":"alice","Blocklist":[]}'; }
guess3 'web API key' key:web
reply_is 401 '{
  "OK": false,
  "Error": "Authentication denied."
}' 'web API key: BareRTC 401'
reset
CGI_BIN=$ADMIN CGI_MOUNT=/api/admin
# The command's answer is a rescode, not an authentication: no Retry-After,
# and the client is the admin who asks (here the key).
for i in 1 2 3; do
	cgi -a "Bearer $ADMIN_KEY" POST /api/admin/check_password '{"user":"alice","host":"localhost","password":"bad"}'
done
reply_is 200 1 'admin check_password: over the limit, still the rescode error'
like "$ERR" 'auth failure for alice@localhost from key$' \
    'admin check_password: logged with the admin as the client'
is "$(level pair 'alice@localhost key')" 3 'admin check_password: counted'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/check_password '{"user":"alice","host":"localhost","password":"pw-alice"}'
reply_is 200 1 '... the right password is refused while throttled'

# --- show and clear -------------------------------------------------------------------------
CGI_BIN=$ADMIN CGI_MOUNT=/api/admin
cgi -a "Bearer $ADMIN_KEY" GET /api/admin/auth_failures
like "$BODY" '^\[\{"kind":"account","subject":"alice@localhost","failures":"[0-9.]+","retry_after":0\},' \
    'auth_failures lists the counters'
like "$BODY" '\{"kind":"pair","subject":"alice@localhost key","failures":"(3\.[5-9][0-9]|4\.00)","retry_after":(5[0-9][0-9]|600)\}' \
    '... with the wait of one that is refused'
RC=0
"$ADMIN" auth_failures >"$TEST_TMP/af.out" 2>&1 || RC=$?
is "$RC|$(grep -Ec '^pair	alice@localhost key	(3\.[5-9][0-9]|4\.00)	(5[0-9][0-9]|600)$' "$TEST_TMP/af.out")" '0|1' \
    'auth_failures in the shell: tab-separated'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/clear_auth_failures '{"subject":"key"}'
reply_is 200 0 'clear_auth_failures of an address'
is "$(psql_q "select count(*) from auth_throttle where subject like '% key' or subject = 'key'")" 0 \
    '... forgets it and every pair that names it'
is "$(psql_q "select count(*) from auth_throttle where subject = 'alice@localhost'")" 1 \
    '... and nothing else'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/check_password '{"user":"alice","host":"localhost","password":"pw-alice"}'
reply_is 200 0 'after clearing, the right password works from there again'
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"clear_auth_failures\",\"args\":[]}"
reply_is 200 '"ok"' 'clear_auth_failures without a subject'
is "$(psql_q "select count(*) from auth_throttle")" 0 '... forgets every counter'

# --- what never reaches the log ---------------------------------------------------------------
CGI_BIN=$CLIENT CGI_MOUNT=/api
cgi CONNECT 'example.com:443?password=hunter2'
is "$STATUS" 404 'CONNECT: refused'
like "$ERR" 'info: \[[0-9a-f]*\] - - 404 from 127\.0\.0\.1$' '... logged without its target'
cgi BREW '/api/messages?key=hunter2'
is "$STATUS|$(header Allow)" '405|GET, HEAD, POST' 'an unknown method on a route: 405 with Allow'
like "$ERR" 'info: \[[0-9a-f]*\] - - 405 from 127\.0\.0\.1$' '... logged without its target'
ok 'no query string or target in any log line' \
    sh -c '! printf "%s" "$0" | grep -q hunter2' "$ERR"

# --- the config file's permissions ---------------------------------------------------------------
cp "$T" "$TEST_TMP/open.conf"
chmod 666 "$TEST_TMP/open.conf"
cgi -c "$TEST_TMP/open.conf" -a "$(basic alice@localhost pw-alice)" GET /api/messages
is "$STATUS" 503 'a world-writable config file: refused'
like "$ERR" "open.conf: writable by everyone \\(mode 0666\\): refusing it" \
    '... and the log says why'
RC=0
"$ADMIN" -c "$TEST_TMP/open.conf" registered_vhosts >/dev/null 2>"$TEST_TMP/open.err" || RC=$?
is "$RC|$(cat "$TEST_TMP/open.err")" \
    "2|chatrest-admin: $TEST_TMP/open.conf: writable by everyone (mode 0666): refusing it" \
    'the shell refuses it too'

cp "$T" "$TEST_TMP/readable.conf"
chmod 644 "$TEST_TMP/readable.conf"
# a FastCGI process warns once, at start (not each CGI request)
CHATREST_CONFIG=$TEST_TMP/readable.conf PYTHONDONTWRITEBYTECODE=1 python3 -c '
import sys, time
sys.path.insert(0, sys.argv[1])
from fcgiclient import spawn
p, _ = spawn(sys.argv[2], sys.argv[3], "chatrest-client")
for i in range(100):
    time.sleep(0.1)
    if b"readable" in open(sys.argv[3] + "/chatrest-client.err", "rb").read():
        break
p.terminate()
p.wait()' "$top_srcdir/tests/hardening" "$top_builddir" "$TEST_TMP"
like "$(cat "$TEST_TMP/chatrest-client.err")" \
    "warn: $TEST_TMP/readable.conf is readable by everyone: so are the secrets in it \\(chmod o-r\\)" \
    'a world-readable config file: FastCGI warns at start'
cgi -c "$TEST_TMP/readable.conf" -a "$(basic alice@localhost pw-alice)" GET /api/messages
is "$STATUS|$(printf '%s' "$ERR" | grep -c readable)" '200|0' '... CGI serves without a warning each time'

SECRETS="pw-alice hunter2 $WEBKEY"
no_secrets "$TEST_TMP"/*.err
done_testing
