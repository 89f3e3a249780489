# Several web servers (fronts) on one database, for the scale tests;
# sourced after tests/lib.sh, tests/e2e/common.sh and tests/web/common.sh,
# with LSNIPPET and ASNIPPET set (the lighttpd and Apache snippets).

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

