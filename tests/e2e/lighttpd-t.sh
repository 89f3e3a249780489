#!/bin/sh
# The registration API under a real lighttpd with mod_fastcgi, mounted by
# the generated tests/conf/lighttpd.conf (from apache/lighttpd.conf.in).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$lighttpd" ] || skip_all "lighttpd is not installed"

e2e_setup lighttpd
# lighttpd hands its own stderr, not server.errorlog, to the backends
E2E_LOG=$TEST_TMP/server.out
conf=$top_srcdir/tests/e2e/lighttpd.conf
ok_quiet 'the wrapper with the snippet passes lighttpd -tt' \
    env PORT=8089 "$lighttpd" -tt -f "$conf"
e2e_start "$lighttpd" -D -f "$conf"
e2e_flow

# lighttpd enforces server.max-request-size (64 KiB for the mount points)
# itself, before starting the request, and serves the executable's own
# 413 answer from errors/ (server.errorfile-prefix).
http -f "$(big_body)" POST "$BASE/api/register/register"
reply_is 413 '{"error":"request_too_large"}' 'a 70 KiB body: 413 in the API'"'"'s shape'
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/70k.json" POST "$BASE/api/register/register"
reply_is 413 '{"error":"request_too_large"}' 'a 70 KiB chunked body: the same'
e2e_too_large lighttpd
is "$(users_digest)" "$digest" 'oversized bodies changed nothing'
# lighttpd collects a chunked body and passes its length on.
reg_body username=ida host=localhost password=pw >"$TEST_TMP/ida.json"
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/ida.json" POST "$BASE/api/register/register"
reply_is 200 '"ok"' 'a small chunked body: ok'
# Only the mount points go to chatrest: a longer name is lighttpd's 404.
http POST "$BASE/api/registerx" "$(reg_body username=x host=localhost password=pw)"
server_page 404 '/api/registerx is not mounted'
e2e_stop

SNIPPET=$(echo_snippet)
e2e_start "$lighttpd" -D -f "$conf"
e2e_echo
e2e_stop

done_testing
