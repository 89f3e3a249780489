#!/bin/sh
# Three web servers on one database, as an admin grows chatrest: two
# lighttpd fronts and one Apache mod_fcgid front, each with its own
# [server] front name.  PostgreSQL restarts, then POST /api/shutdown on
# one front restarts every chatrest process of every front: those that
# listened have lost their connection, and catch up from the stored
# notice when they reconnect (or, behind PgBouncer, find it themselves).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/web/common.sh"

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

PIDS=
# start_front NAME lighttpd|apache: a server whose processes read
# front-NAME.conf ([server] front = NAME); BASE_NAME is its URL.
start_front() {
	_w=$TEST_TMP/www-$1
	mkdir -p "$_w/run"
	[ "$(id -u)" != 0 ] || chown -R "$WWW_USER:$WWW_GROUP" "$_w"
	sed "/^\[server\]/a front = $1" "$CHATREST_CONFIG" \
	    >"$TEST_TMP/front-$1.conf"
	chmod 644 "$TEST_TMP/front-$1.conf"
	_port=$(free_port)
	if [ "$2" = lighttpd ]; then
		env WWW="$_w" PORT="$_port" SNIPPET="$LSNIPPET" \
		    CHATREST_CONFIG="$TEST_TMP/front-$1.conf" \
		    "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf" \
		    >>"$_w/server.out" 2>&1 &
	else
		env WWW="$_w" PORT="$_port" SNIPPET="$ASNIPPET" \
		    CHATREST_CONFIG="$TEST_TMP/front-$1.conf" \
		    "$apache2" -DFOREGROUND \
		    -f "$top_srcdir/tests/e2e/apache-fcgid.conf" \
		    >>"$_w/server.out" 2>&1 &
	fi
	PIDS="$PIDS $!"
	eval "BASE_$1=http://127.0.0.1:$_port"
	BASE=http://127.0.0.1:$_port
	e2e_ready
}
stop_fronts() {
	for _p in $PIDS; do
		kill -TERM "$_p" 2>/dev/null || :
	done
	sleep 1
	for _p in $PIDS; do
		kill -KILL "$_p" 2>/dev/null || :
	done
}
trap stop_fronts EXIT

# snapshot: "FRONT PID" for every chatrest process of this test, in
# $TEST_TMP/procs (one pass over /proc: there are some hundred of them).
snapshot() {
	ls -l /proc/[0-9]*/exe 2>/dev/null |
	    sed -n 's|.* /proc/\([0-9]*\)/exe -> .*/chatrest-[a-z]*$|\1|p' |
	    while read -r _p; do
		_c=$(tr '\0' '\n' 2>/dev/null <"/proc/$_p/environ" |
		    sed -n "s|^CHATREST_CONFIG=$TEST_TMP/front-\\(.*\\)\\.conf$|\\1|p")
		[ -z "$_c" ] || echo "$_c $_p"
	    done >"$TEST_TMP/procs"
}

# procs NAME: the chatrest processes of front NAME in the snapshot.
procs() {
	sed -n "s/^$1 //p" "$TEST_TMP/procs"
}

alive() {
	[ -n "$(readlink "/proc/$1/exe" 2>/dev/null)" ]
}

# wait_gone SECONDS PID...: all of them exit in time.
wait_gone() {
	_n=$(($1 * 10))
	shift
	_i=0
	while [ $_i -lt $_n ]; do
		_left=
		for _p in "$@"; do
			alive "$_p" && _left="$_left $_p"
		done
		[ -n "$_left" ] || return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	diag "still running:$_left"
	return 1
}

# serve NAME: statistics and is_registered through front NAME.
serve() {
	eval "_b=\$BASE_$1"
	http GET "$_b/api/statistics"
	_s1=$STATUS
	http GET "$_b/api/register/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
	[ "$_s1 $STATUS $BODY" = "200 200 true" ]
}

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
