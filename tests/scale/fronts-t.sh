#!/bin/sh
# Three web servers on one database, as an admin grows chatrest: two
# lighttpd fronts and one Apache mod_fcgid front, each with its own
# [server] front name.  PostgreSQL restarts, then POST /api/shutdown on
# one front restarts every chatrest process of every front: they have
# lost their connection, and find the stored notice when they reconnect
# (or within [database] restart_check seconds).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/web/common.sh"
. "$top_srcdir/tests/scale/fronts.sh"

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
apache2=$(command -v apache2 || echo /usr/sbin/apache2)
[ -x "$lighttpd" ] || skip_all "lighttpd is not installed"
[ -x "$apache2" ] || skip_all "apache2 is not installed"
[ -f /usr/lib/apache2/modules/mod_fcgid.so ] ||
	skip_all "mod_fcgid is not installed (libapache2-mod-fcgid)"
plan 13

e2e_setup lighttpd
LSNIPPET=$SNIPPET
e2e_setup apache-fcgid
ASNIPPET=$SNIPPET
web_config
web_users

start_front a lighttpd
start_front b lighttpd
start_front c apache
for f in a b c; do
	ok "front $f answers" serve $f
done
snapshot
all=$(cut -d' ' -f2 "$TEST_TMP/procs")
diag "processes: a $(procs a | wc -l), b $(procs b | wc -l), c $(procs c | wc -l)"
ok "every front runs chatrest processes" \
    sh -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ]' sh \
    "$(procs a)" "$(procs b)" "$(procs c)"

$TEST_PG_CTL -m fast restart >/dev/null
http POST "$BASE_b/api/shutdown" "{\"APIKey\":\"$KEY\"}"
# PgBouncer fails a query for server_login_retry (1 s) after a failed
# login: a client is told 503 and Retry-After, and tries again.
i=0
while [ -n "${TEST_PGBOUNCER:-}" ] && [ "$STATUS" = 503 ] && [ $i -lt 5 ] &&
    [ -n "$(header Retry-After)" ]; do
	sleep 1
	http POST "$BASE_b/api/shutdown" "{\"APIKey\":\"$KEY\"}"
	i=$((i + 1))
done
reply_is 200 "$OK" "right after a PostgreSQL restart: shutdown through front b"
ok "every process of every front leaves ($(echo $all | wc -w))" \
    wait_gone 20 $all
for f in a b c; do
	ok "front $f answers with new processes" serve $f
done
is "$(psql_q "select string_agg(distinct front, ' ' order by front)
    from restart_waves")" "a b c" "each front counted its own waves"
is "$(psql_q "select count(*) from server_notices where kind = 'shutdown'")" \
    1 "one shutdown notice"

# And once more with the database up all along.
snapshot
all=$(cut -d' ' -f2 "$TEST_TMP/procs")
http POST "$BASE_c/api/shutdown" "{\"APIKey\":\"$KEY\"}"
reply_is 200 "$OK" "shutdown through front c"
ok "every process of every front leaves again ($(echo $all | wc -w))" \
    wait_gone 20 $all
done_testing
