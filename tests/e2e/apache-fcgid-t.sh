#!/bin/sh
# The registration API under a real Apache httpd with mod_fcgid, mounted by
# the generated tests/conf/apache-fcgid.conf (from apache/apache-fcgid.conf.in).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

apache2=$(command -v apache2 || echo /usr/sbin/apache2)
[ -x "$apache2" ] || skip_all "apache2 is not installed"
[ -f /usr/lib/apache2/modules/mod_fcgid.so ] ||
	skip_all "mod_fcgid is not installed (libapache2-mod-fcgid)"

e2e_setup apache-fcgid
conf=$top_srcdir/tests/e2e/apache-fcgid.conf
ok_quiet 'the wrapper with the snippet passes apache2 -t' \
    env PORT=8089 "$apache2" -t -f "$conf"
e2e_start "$apache2" -DFOREGROUND -f "$conf"
e2e_flow

# A declared Content-Length over 64 KiB meets the snippet's <If>: a 413
# before mod_fcgid reads anything, with the executable's own answer from
# errors/ (ErrorDocument). (Without it mod_fcgid 2.3.9 would pass the
# request on with an empty body.)
http -f "$(big_body)" POST "$BASE/api/register/register"
reply_is 413 '{"error":"request_too_large"}' 'a 70 KiB body: 413 in the API'"'"'s shape'
e2e_too_large apache-fcgid
# A chunked body has no Content-Length to check in advance: mod_fcgid
# buffers it (up to FcgidMaxRequestLen, 2 MiB for the identity backend's
# bulk lookups) and passes its length on; the executable refuses it.
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/70k.json" POST "$BASE/api/register/register"
reply_is 413 '{"error":"request_too_large"}' 'a 70 KiB chunked body: 413 from the executable'
is "$(users_digest)" "$digest" 'oversized bodies changed nothing'
# mod_fcgid collects a small chunked body and passes its length on.
reg_body username=ida host=localhost password=pw >"$TEST_TMP/ida.json"
http -H 'Transfer-Encoding: chunked' -f "$TEST_TMP/ida.json" POST "$BASE/api/register/register"
reply_is 200 '"ok"' 'a small chunked body: ok'
# Alias matches whole path segments: a longer name is Apache's 404.
http POST "$BASE/api/registerx" "$(reg_body username=x host=localhost password=pw)"
server_page 404 '/api/registerx is not mounted'
e2e_stop

SNIPPET=$(echo_snippet)
e2e_start "$apache2" -DFOREGROUND -f "$conf"
e2e_echo
e2e_stop

done_testing
