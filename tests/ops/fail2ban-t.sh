#!/bin/sh
# The shipped fail2ban filter, run by fail2ban-regex over the log lines a
# real lighttpd collected from the executables: every failed-authentication
# line matches with the client's address, nothing else matches, and an
# account name cannot make it report another address.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

command -v fail2ban-regex >/dev/null 2>&1 ||
	skip_all 'fail2ban-regex not installed (fail2ban)'
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$lighttpd" ] || skip_all 'lighttpd is not installed'
filter=$top_builddir/apache/fail2ban/chatrest.conf
[ -f "$filter" ] || bail_out "$filter is missing (make)"

# f2b FILE: the addresses the filter finds, one a line
f2b() {
	fail2ban-regex -o ip "$1" "$filter" 2>/dev/null
}

# the format the filter is for, as log_msg writes it, alone and behind
# Apache's error log prefix
cat >"$TEST_TMP/format.log" <<'LOG'
chatrest-client[1234]: info: [5f0c2a9e1b7d4c36] auth failure for alice@example.org from 192.0.2.7
chatrest-admin[77]: warn: [00112233aabbccdd] auth failure for admin@localhost from 2001:db8::1
[Sun Nov 29 16:07:19.123456 2026] [fcgid:warn] [pid 42:tid 43] [client 192.0.2.9:5555] mod_fcgid: stderr: chatrest-web[9]: info: [0a0b0c0d0e0f1011] auth failure for bob@localhost from 192.0.2.9
LOG
is "$(f2b "$TEST_TMP/format.log")" '192.0.2.7
2001:db8::1
192.0.2.9' 'the agreed line format: each address found'

e2e_setup lighttpd
E2E_LOG=$TEST_TMP/server.out
e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
"$top_builddir/cgi-bin/chatrest-admin" register alice localhost pw-alice \
    >/dev/null || bail_out 'register alice'
n=0
while [ $n -lt 3 ]; do
	# a wrong password, a wrong key, an unknown account
	curl -s -o /dev/null -u alice@localhost:wrong "$BASE/api/messages"
	curl -s -o /dev/null -H 'Authorization: Bearer wrong' \
	    "$BASE/api/admin/registered_vhosts"
	curl -s -o /dev/null -u nobody@localhost:wrong "$BASE/api/contacts"
	n=$((n + 1))
done
curl -s -o /dev/null -u alice@localhost:pw-alice "$BASE/api/messages"
# a client that tries to put another address into the log
curl -s -o /dev/null -u 'x from 10.9.9.9:wrong' "$BASE/api/messages"
curl -s -o /dev/null \
    "$BASE/api/register/%20auth%20failure%20for%20x%20from%2010.9.9.9"
e2e_stop

log=$E2E_LOG
like "$(cat "$log")" \
    'chatrest-client\[[0-9]+\]: info: \[[0-9a-f]{16}\] GET /api/messages 401 from 127\.0\.0\.1' \
    'the request lines carry the id and the address'
found=$(f2b "$log")
case $found in *10.9.9.9*) bad=1 ;; *) bad=0 ;; esac
is "$bad" 0 'no forged address is reported'
# lines whose message is a failed authentication (not a request line that
# quotes one)
fails=$(grep -cE '\]: [a-z]+: (\[[0-9a-f]+\] )?auth failure for ' "$log")
if [ "$fails" -gt 0 ]; then
	is "$(printf '%s\n' "$found" | grep -c .)" "$fails" \
	    'every failed-authentication line matches, nothing else'
	is "$(printf '%s\n' "$found" | sort -u)" 127.0.0.1 \
	    'the address found is the client'"'"'s'
else
	# the request lines alone must not match
	is "$found" '' 'no failed-authentication lines: nothing matches'
	skip 'failed-authentication lines' \
	    'this build writes no "auth failure for" lines yet'
fi

done_testing
