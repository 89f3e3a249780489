#!/bin/sh
# chatrest-admin end to end: both HTTP encodings through real lighttpd
# (mod_fastcgi) and Apache (mod_fcgid, plain CGI), mounted by the shipped
# snippets, with the audit trail they leave.
. "$top_srcdir/tests/lib.sh"
[ -f "$top_srcdir/tests/e2e/common.sh" ] ||
	skip_all "the e2e helpers (tests/e2e/common.sh) are not here"
. "$top_srcdir/tests/e2e/common.sh"

CGI_BIN=$top_builddir/cgi-bin/chatrest-admin
K=$ADMIN_KEY
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
apache2=$(command -v apache2 || echo /usr/sbin/apache2)

basic() {
	printf 'Basic %s' "$(printf '%s' "$1" | base64 | tr -d '\n')"
}

"$CGI_BIN" register admin localhost adminpw >/dev/null ||
	bail_out "could not register the administrator"

# admin_flow TAG: every way in and both encodings through the server.
admin_flow() {
	A=$BASE/api/admin
	u=u$1
	http POST "$A" "{\"key\":\"$K\",\"command\":\"register\",\"args\":[\"$u\",\"localhost\",\"pw-$u\"]}"
	reply_is 200 "{\"ok\":\"User $u@localhost successfully registered\"}" \
	    "$1: restful register by key"
	http POST "$A" "{\"key\":\"wrong\",\"command\":\"registered_vhosts\"}"
	reply_is 401 '{"error":"not_allowed"}' "$1: restful wrong key"
	http POST "$A" "{\"key\":\"$K\",\"command\":\"check_account\",\"args\":[\"$u\",\"localhost\"]}"
	reply_is 200 '"ok"' "$1: restful check_account"
	http -a "Bearer $K" POST "$A/set_nickname" \
	    "{\"user\":\"$u\",\"host\":\"localhost\",\"nickname\":\"N $1\"}"
	reply_is 200 0 "$1: http_api set_nickname by bearer key"
	is "$(header Access-Control-Allow-Origin)" '*' "$1: http_api CORS header"
	http -a "$(basic admin@localhost:adminpw)" GET \
	    "$A/registered_users?host=localhost"
	like "$BODY" "^\[\"admin\",.*\"$u\"" \
	    "$1: http_api GET with Basic admin (Authorization passed on)"
	http -a "$(basic admin@localhost:adminpw)" GET "$A/connected_users_number"
	reply_is 200 '{"num_sessions":1}' "$1: http_api connected_users_number"
	http -a "$(basic "$u@localhost:pw-$u")" GET "$A/registered_vhosts"
	reply_is 403 '{"status":"error","code":32,"message":"AccessRules: Account does not have the right to perform the operation."}' \
	    "$1: http_api non-admin refused"
	http -a "$(basic admin@localhost:nope)" GET "$A/registered_vhosts"
	reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
	    "$1: http_api wrong password"
	http -a "Bearer $K" POST "$A/register" "{\"user\":\"$u\",\"host\":\"localhost\"}"
	reply_is 400 '"Request have missing argument: password"' \
	    "$1: http_api missing argument"
	http -a "Bearer $K" POST "$A/ban_account" \
	    "{\"user\":\"$u\",\"host\":\"localhost\",\"reason\":\"e2e\"}"
	reply_is 200 0 "$1: http_api ban_account"
	http -a "$(basic "$u@localhost:pw-$u")" GET "$A/registered_vhosts"
	reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
	    "$1: a banned account cannot authenticate"
	http -a "Bearer $K" GET "$A/audit_log?count=1"
	like "$BODY" "^\[\{\"id\":[0-9]+,\"at\":\"[^\"]+\",\"actor\":\"key\",\"via\":\"http_api\",\"command\":\"ban_account\",\"args\":\{\"user\":\"$u\"" \
	    "$1: the audit trail"
	http -a "Bearer $K" POST "$A/unregister" "{\"user\":\"$u\",\"host\":\"localhost\"}"
	reply_is 200 '""' "$1: http_api unregister"
	http OPTIONS "$A/register"
	is "$STATUS" 200 "$1: OPTIONS"
	ok "$1: no password or key in the log" \
	    sh -c '! grep -qF -e "$1" -e adminpw -e "$2" "$3"' sh "pw-$u" "$K" \
	    "$E2E_LOG"
	like "$(cat "$E2E_LOG")" 'chatrest-admin\[[0-9]+\]: info: .*admin ban_account by key via http_api: ok' \
	    "$1: the executable logs where the server puts its stderr"
}

if [ -x "$lighttpd" ]; then
	e2e_setup lighttpd
	E2E_LOG=$TEST_TMP/server.out
	e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
	admin_flow lighttpd
	e2e_stop
else
	skip 'lighttpd' 'lighttpd is not installed'
fi

if [ -x "$apache2" ] && [ -f /usr/lib/apache2/modules/mod_fcgid.so ]; then
	e2e_setup apache-fcgid
	e2e_start "$apache2" -DFOREGROUND -f \
	    "$top_srcdir/tests/e2e/apache-fcgid.conf"
	admin_flow fcgid
	e2e_stop
else
	skip 'apache mod_fcgid' 'apache2 or mod_fcgid is not installed'
fi

if [ -x "$apache2" ]; then
	e2e_setup apache-cgi
	e2e_start "$apache2" -DFOREGROUND -f \
	    "$top_srcdir/tests/e2e/apache-cgi.conf"
	admin_flow cgi
	e2e_stop
else
	skip 'apache CGI' 'apache2 is not installed'
fi

done_testing
