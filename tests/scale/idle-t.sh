#!/bin/sh
# The connection budget of one FastCGI process: with [database]
# idle_timeout it connects only for its first request and closes the
# connection when idle; a restart sent meanwhile is obeyed after its next
# request.  And the presence filter: POST /api/disconnect/now (another
# process) counts at once in a process that has just touched the user.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"
. "$top_srcdir/tests/web/common.sh"
command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi not installed (Debian package libfcgi-bin)"
plan 13

web_config
sed -i "/^migrations =/a idle_timeout = 1" "$CHATREST_CONFIG"

app_pids() {	# EXE: its live processes started by this test
	ls -l /proc/[0-9]*/exe 2>/dev/null |
	    sed -n "s|.* /proc/\\([0-9]*\\)/exe -> $1\$|\\1|p" |
	    while read -r _p; do
		tr '\0' '\n' <"/proc/$_p/environ" 2>/dev/null |
		    grep -qxF "TEST_TMP=$TEST_TMP" && echo "$_p"
	    done
}
REGEXE=$(readlink -f "$REG")
CLEXE=$(readlink -f "$top_builddir/cgi-bin/chatrest-client")
trap 'kill $(app_pids "$REGEXE") $(app_pids "$CLEXE") 2>/dev/null || :' EXIT
conns() {	# APPNAME: its connections to the cluster
	psql_q "select count(*) from pg_stat_activity
	    where application_name = '$1'"
}
# wait_is SQL WANT: up to 5 s.
wait_is() {
	_i=0
	while [ "$(psql_q "$1")" != "$2" ]; do
		[ $_i -lt 50 ] || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

register alice
CGI_BIN=$REG CGI_MOUNT=/api/register
FCGI_SOCK=$TEST_TMP/reg.sock
cgi-fcgi -start -connect "$FCGI_SOCK" "$REG" 1
pid=$(app_pids "$REGEXE")
sleep 0.5
is "$(conns chatrest-register)" 0 "started: no connection before a request"
fcgi GET "/api/register/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
reply_is 200 true "the first request connects"
ok "idle for 1 s: the connection is closed" wait_is \
    "select count(*) from pg_stat_activity
    where application_name = 'chatrest-register'" 0
fcgi GET "/api/register/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
reply_is 200 true "the next request connects again"
ok "and closes again when idle" wait_is \
    "select count(*) from pg_stat_activity
    where application_name = 'chatrest-register'" 0

# A restart while the process holds no connection.
psql_q "with n as (insert into server_notices (kind, message)
    values ('shutdown', 'test') returning id)
    select pg_notify('chatrest_restart', id::text) from n" >/dev/null
sleep 1
is "$(app_pids "$REGEXE")" "$pid" "without a connection it has not heard it yet"
fcgi GET "/api/register/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
reply_is 200 true "its next request is answered"
i=0
while [ $i -lt 50 ] && [ -n "$(readlink "/proc/$pid/exe" 2>/dev/null)" ]; do
	sleep 0.1
	i=$((i + 1))
done
is "$(readlink "/proc/$pid/exe" 2>/dev/null)" "" \
    "then it leaves: it learnt of the restart"

# Presence: a client process touches alice, another process disconnects
# her; her next request through the first process marks her present.
CGI_BIN=$top_builddir/cgi-bin/chatrest-client CGI_MOUNT=/api
FCGI_SOCK=$TEST_TMP/client.sock
cgi-fcgi -start -connect "$FCGI_SOCK" "$CGI_BIN" 1
A=$(basic alice@localhost pw-alice)
fcgi -a "$A" GET /api/rooms
reply_is 200 '[]' "alice's request through the client process"
is "$(psql_q "select last_seen is not null from users where localpart = 'alice'")" \
    t "alice is present"
CGI_BIN=$top_builddir/cgi-bin/chatrest-web
cgi POST /api/disconnect/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"alice\"]}"
reply_is 200 '{
  "OK": true,
  "Removed": 1
}' "disconnect/now through another process"
CGI_BIN=$top_builddir/cgi-bin/chatrest-client
fcgi -a "$A" GET /api/rooms
reply_is 200 '[]' "alice's next request through the same client process"
is "$(psql_q "select last_seen is not null from users where localpart = 'alice'")" \
    t "alice is present again at once (no per-process filter)"
done_testing
