#!/bin/sh
# chatrest-client as one FastCGI process (cgi-fcgi): nothing of one
# request's caller leaks into the next, and a changed password takes
# effect at once despite the auth cache (whose speed tests/bench shows).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi not installed (Debian package libfcgi-bin)"

for u in alice bob; do register $u; done
exe=$(readlink -f "$CGI_BIN")
app_pids() {
	for _p in /proc/[0-9]*; do
		[ "$(readlink "$_p/exe" 2>/dev/null)" = "$exe" ] || continue
		tr '\0' '\n' <"$_p/environ" 2>/dev/null |
		    grep -qxF "TEST_TMP=$TEST_TMP" || continue
		echo "${_p#/proc/}"
	done
}
stop_apps() {
	_pids=$(app_pids)
	[ -n "$_pids" ] || return 0
	kill -TERM $_pids 2>/dev/null || :
	sleep 1
	kill -KILL $(app_pids) 2>/dev/null || :
}
trap stop_apps EXIT

FCGI_SOCK=$TEST_TMP/client.sock
cgi-fcgi -start -connect "$FCGI_SOCK" "$CGI_BIN" 1
pid=$(app_pids)
is "$(echo "$pid" | wc -w | tr -d ' ')" 1 'one FastCGI process'
A=$(basic alice@localhost pw-alice)

fcgi -a "$A" PUT /api/rooms/kept '{"name":"n","subject":"s"}'
reply_is 201 '{"id":"kept"}' 'alice creates a room'
fcgi GET /api/rooms
empty_is 401 'the next request without credentials: 401, not alice'
fcgi -a "$(basic alice@localhost wrong)" GET /api/rooms
empty_is 401 'a wrong password after a right one: 401'
fcgi -a "$(basic bob@localhost pw-bob)" GET /api/rooms
reply_is 200 '[]' "bob does not see alice's rooms"
fcgi -a "$(basic bob@localhost pw-bob)" POST /api/rooms/kept/messages '{"body":"x"}'
empty_is 403 'nor act as her'

"$top_builddir/cgi-bin/chatrest-register" -d "{\"key\":\"$REGISTER_KEY\",\"username\":\"alice\",\"host\":\"localhost\",\"new_password\":\"changed\"}" \
    POST /api/register/force_change_password >/dev/null 2>&1
fcgi -a "$A" GET /api/rooms
empty_is 401 'the old password stops working at once'
fcgi -a "$(basic alice@localhost changed)" GET /api/rooms
reply_is 200 '[{"id":"kept","name":"n","subject":"s"}]' 'the new one works'
is "$(app_pids)" "$pid" 'the same process answered everything'

done_testing
