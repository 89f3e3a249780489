#!/bin/sh
# The API under a real Apache httpd with mod_proxy_fcgi, mounted by the
# generated tests/conf/apache-proxy-fcgi.conf (from
# apache/apache-proxy-fcgi.conf.in), in front of the executables run as
# pools (-l socket -n count), as the shipped systemd unit runs them.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

apache2=$(command -v apache2 || echo /usr/sbin/apache2)
[ -x "$apache2" ] || skip_all "apache2 is not installed"
[ -f /usr/lib/apache2/modules/mod_proxy_fcgi.so ] ||
	skip_all "mod_proxy_fcgi is not installed"

WEB_KEY=web-key-0123456789abcdef0123456789abcdef
printf '\n[web]\nhost = localhost\napi_key = %s\n' "$WEB_KEY" >>"$CHATREST_CONFIG"

e2e_setup apache-proxy-fcgi
conf=$top_srcdir/tests/e2e/apache-proxy-fcgi.conf
ok_quiet 'the wrapper with the snippet passes apache2 -t' \
    env PORT=8089 PROXY_SOCKETS="$WWW/run" "$apache2" -t -f "$conf"
pools_start
e2e_start "$apache2" -DFOREGROUND -f "$conf"
e2e_flow

# A declared Content-Length over 64 KiB meets the snippet's <If>: 413
# before anything is passed on, with the executable's own answer.
http -f "$(big_body)" POST "$BASE/api/register/register"
reply_is 413 '{"error":"request_too_large"}' 'a 70 KiB body: 413 in the API'"'"'s shape'
e2e_too_large apache-proxy-fcgi
# mod_proxy_fcgi passes a large chunked body on without CONTENT_LENGTH:
# the executable asks for one and reads nothing.
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/70k.json" POST "$BASE/api/register/register"
reply_is 411 '{"error":"length_required"}' 'a 70 KiB chunked body: length_required'
is "$(users_digest)" "$digest" 'oversized bodies changed nothing'
# A small chunked body is collected first and passed on with its length.
reg_body username=ida host=localhost password=pw >"$TEST_TMP/ida.json"
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/ida.json" POST "$BASE/api/register/register"
reply_is 200 '"ok"' 'a small chunked body: ok'
# <Location> matches whole path segments: a longer name is Apache's 404.
http POST "$BASE/api/registerx" "$(reg_body username=x host=localhost password=pw)"
server_page 404 '/api/registerx is not mounted'
http -a "Basic $(printf 'ida@localhost:pw' | base64)" GET "$BASE/api/rooms"
reply_is 200 '[]' '/api/rooms reaches chatrest-client'

# The queue: 24 requests at once to 2 processes all get their answer
# (mod_fcgid would make most of them sleep a second, then spawn).
seq 24 | xargs -P 24 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
    "$BASE/api/register/is_registered?username=ida&host=localhost&key=$REGISTER_KEY" \
    >"$TEST_TMP/burst"
is "$(sort "$TEST_TMP/burst" | uniq -c | tr -s ' ')" ' 24 200' \
    '24 concurrent requests to 2 processes: 24 answers 200'

# A restart (POST /api/shutdown) makes every process leave; the pool
# starts new ones on the same socket, and they answer.
web_procs() {
	pgrep -P "$(echo $POOL_PIDS | cut -d' ' -f5)" | sort | tr '\n' ' '
}
before=$(web_procs)
http POST "$BASE/api/shutdown" "{\"APIKey\":\"$WEB_KEY\"}"
is "$STATUS" 200 'POST /api/shutdown: 200'
i=0
while [ $i -lt 100 ]; do
	now=$(web_procs)
	n=0
	for p in $before; do
		case " $now " in *" $p "*) n=$((n + 1)) ;; esac
	done
	[ $n -gt 0 ] || [ "$(echo $now | wc -w)" -lt 2 ] || break
	sleep 0.1
	i=$((i + 1))
done
ok 'the pool replaced both processes after the restart' \
    test "$n" = 0 -a "$(echo $now | wc -w)" = 2
http GET "$BASE/api/statistics"
is "$STATUS" 200 'the new processes answer'

# SIGHUP replaces every process of a pool (the configuration re-read).
reg_pool=$(echo $POOL_PIDS | cut -d' ' -f1)
before=$(pgrep -P "$reg_pool" | sort | tr '\n' ' ')
kill -HUP "$reg_pool"
i=0
while [ $i -lt 100 ]; do
	now=$(pgrep -P "$reg_pool" | sort | tr '\n' ' ')
	[ "$(echo $now | wc -w)" = 2 ] && [ -z "$(echo " $now " |
	    grep -E " ($(echo $before | tr ' ' '|')) ")" ] && break
	sleep 0.05
	i=$((i + 1))
done
ok 'SIGHUP: two new processes' test $i -lt 100
# A second pool on a socket in use, a path that is no socket, a bad -n:
# refused, and nothing taken over.
"$E2E_BIN/chatrest-register" -l "$PROXY_SOCKETS/chatrest-register.sock" \
    -n 1 2>"$TEST_TMP/second.err"
is "$?" 1 'a second pool on a socket in use: exit 1'
like "$(cat "$TEST_TMP/second.err")" 'another pool is listening there' \
    '... and says why'
: >"$TEST_TMP/plain"
"$E2E_BIN/chatrest-register" -l "$TEST_TMP/plain" -n 1 2>"$TEST_TMP/plain.err"
is "$?/$(cat "$TEST_TMP/plain.err" | sed 's/^[^:]*: //')" \
    "1/error: $TEST_TMP/plain exists and is not a socket" \
    'a path that is not a socket: refused, left alone'
"$E2E_BIN/chatrest-register" -l "$TEST_TMP/x.sock" -n 0 2>"$TEST_TMP/n.err"
is "$?/$(cat "$TEST_TMP/n.err")" \
    '2/chatrest-register: -n: a number of processes from 1 to 256' '-n 0: usage error'
http GET "$BASE/api/register/is_registered?username=ida&host=localhost&key=$REGISTER_KEY"
reply_is 200 true 'the pool still answers'

# SIGTERM: the pool stops its processes and removes its socket; Apache
# answers 503 for that mount.
pools_stop
ok 'the sockets are gone' test -z "$(ls "$PROXY_SOCKETS"/*.sock 2>/dev/null)"
OPENAPI_PAUSE=1		# Apache's own page, not chatrest's reply
http GET "$BASE/api/register/is_registered?username=ida&host=localhost&key=$REGISTER_KEY"
OPENAPI_PAUSE=
server_page 503 'no pool: 503'
like "$(cat "$E2E_LOG")" 'chatrest-register\[[0-9]+\]: info: 2 processes on ' \
    'each pool logs its start'
SECRETS="pw-erin pw2-erin YWRtaW5AbG9jYWxob3N0OnB3 $WEB_KEY" no_secrets "$E2E_LOG"
e2e_stop

# What the executables are handed, seen by fcgi-echo in their place:
# the whole path as SCRIPT_NAME (they route on SCRIPT_NAME + PATH_INFO).
SNIPPET=$(echo_snippet)
pools_start "$TEST_TMP/echo-bin"
e2e_start "$apache2" -DFOREGROUND -f "$conf"
http -a 'Basic ZXJpbkBsb2NhbGhvc3Q6cHc=' GET "$BASE/api/register/register?a=1&b=%20"
is "$STATUS $(header Content-Type)" '200 text/plain' 'echo: answers'
body_has 'HTTP_AUTHORIZATION=Basic ZXJpbkBsb2NhbGhvc3Q6cHc=' \
    'the Authorization header reaches the executable'
body_has "CHATREST_CONFIG=$CHATREST_CONFIG" \
    'CHATREST_CONFIG reaches the process environment'
body_has 'GNUTLS_NO_IMPLICIT_INIT=1' \
    'the pool turns off GnuTLS set-up at load in its processes'
body_has 'SCRIPT_NAME=/api/register/register' 'SCRIPT_NAME is the whole path'
body_has 'PATH_INFO=' 'PATH_INFO is empty'
body_has 'QUERY_STRING=a=1&b=%20' 'QUERY_STRING is passed undecoded'
body_has "argv0=$TEST_TMP/echo-bin/chatrest-register" '/api/register: chatrest-register'
http -a 'Basic YWRtaW5AbG9jYWxob3N0OnB3' POST "$BASE/api/admin/x/y" '{"a":1}'
body_has 'SCRIPT_NAME=/api/admin/x/y' '/api/admin: SCRIPT_NAME'
body_has 'CONTENT_LENGTH=7' '/api/admin: CONTENT_LENGTH'
body_has 'CONTENT_TYPE=application/json' '/api/admin: CONTENT_TYPE'
body_has 'body=7' '/api/admin: the body'
body_has "argv0=$TEST_TMP/echo-bin/chatrest-admin" '/api/admin: chatrest-admin'
for m in messages:client rooms:client contacts:client message:web \
    mongoose:admin statistics:web block:web blocklist:web; do
	http GET "$BASE/api/${m%%:*}/x"
	body_has "argv0=$TEST_TMP/echo-bin/chatrest-${m#*:}" \
	    "/api/${m%%:*}: chatrest-${m#*:}"
done
for m in _mxisd _ma1sd _matrix-internal; do
	http GET "$BASE/$m/x"
	body_has "argv0=$TEST_TMP/echo-bin/chatrest-identity" "/$m: chatrest-identity"
done
e2e_stop
pools_stop

done_testing
