#!/bin/sh
# The registration API under a real Apache httpd as plain CGI (mod_cgid),
# mounted by the generated tests/conf/apache-cgi.conf (from
# apache/apache-cgi.conf.in).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

apache2=$(command -v apache2 || echo /usr/sbin/apache2)
[ -x "$apache2" ] || skip_all "apache2 is not installed"

e2e_setup apache-cgi
conf=$top_srcdir/tests/e2e/apache-cgi.conf
ok_quiet 'the wrapper with the snippet passes apache2 -t' \
    env PORT=8089 "$apache2" -t -f "$conf"
e2e_start "$apache2" -DFOREGROUND -f "$conf"
e2e_flow

# LimitRequestBody: Apache refuses the body, and serves the executable's
# own 413 answer from errors/ (ErrorDocument).
http -f "$(big_body)" POST "$BASE/api/register/register"
reply_is 413 '{"error":"request_too_large"}' 'a 70 KiB body: 413 in the API'"'"'s shape'
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/70k.json" POST "$BASE/api/register/register"
reply_is 413 '{"error":"request_too_large"}' 'a 70 KiB chunked body: the same'
e2e_too_large apache-cgi
is "$(users_digest)" "$digest" 'oversized bodies changed nothing'
# mod_cgid passes a chunked body on without CONTENT_LENGTH, so chatrest
# asks for one, as the spec says for a POST without it.
reg_body username=ida host=localhost password=pw >"$TEST_TMP/ida.json"
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/ida.json" POST "$BASE/api/register/register"
reply_is 411 '{"error":"length_required"}' 'a small chunked body: length_required'
# ScriptAlias matches whole path segments: a longer name is Apache's 404.
http POST "$BASE/api/registerx" "$(reg_body username=x host=localhost password=pw)"
server_page 404 '/api/registerx is not mounted'
e2e_stop

SNIPPET=$(echo_snippet)
e2e_start "$apache2" -DFOREGROUND -f "$conf"
e2e_echo
e2e_stop

done_testing
