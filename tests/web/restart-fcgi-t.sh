#!/bin/sh
# POST /api/shutdown with three chatrest-web processes and two
# chatrest-register processes each sharing one listen socket (cgi-fcgi
# -start, as spawn-fcgi does): all five leave, idle or not.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/web/common.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi not installed (Debian package libfcgi-bin)"
web_config
web_users

# procs: this test's FastCGI processes (they inherit our TEST_TMP).
procs() {
	for _p in /proc/[0-9]*; do
		case $(readlink "$_p/exe" 2>/dev/null) in
		*/chatrest-web|*/chatrest-register) ;;
		*) continue ;;
		esac
		tr '\0' '\n' 2>/dev/null <"$_p/environ" |
		    grep -qxF "TEST_TMP=$TEST_TMP" || continue
		echo "${_p#/proc/}"
	done
}
stop_procs() {
	_pids=$(procs)
	[ -z "$_pids" ] || kill -KILL $_pids 2>/dev/null || :
}
trap stop_procs EXIT

cgi-fcgi -start -connect "$TEST_TMP/web.sock" "$CGI_BIN" 3
cgi-fcgi -start -connect "$TEST_TMP/reg.sock" \
    "$top_builddir/cgi-bin/chatrest-register" 2
i=0
while [ "$(procs | wc -l)" -lt 5 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
is "$(procs | wc -l | tr -d ' ')" 5 'five FastCGI processes are running'

FCGI_SOCK=$TEST_TMP/web.sock
for n in 1 2 3 4; do
	fcgi GET /api/statistics
done
is "$STATUS" 200 'they answer'
# Let every process reach its poll() with the database connected.
sleep 0.5
fcgi POST /api/shutdown "{\"APIKey\":\"$KEY\"}"
reply_is 200 "$OK" 'shutdown: {"OK": true}'
i=0
while [ -n "$(procs)" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
is "$(procs | wc -l | tr -d ' ')" 0 \
    'all five left, including the idle ones sharing a socket'
done_testing
