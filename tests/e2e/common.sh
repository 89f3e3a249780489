# Shared by the e2e tests: start a real web server on a free loopback port
# from a wrapper config in tests/e2e/ that includes one generated snippet,
# then talk to it with curl. Sourced after tests/lib.sh.

# e2e_setup NAME: NAME is lighttpd, apache-fcgid or apache-cgi.
e2e_setup() {
	E2E=$1
	SNIPPET=$top_builddir/tests/conf/$1.conf
	[ -f "$SNIPPET" ] || bail_out "$SNIPPET is missing (built by make check)"
	GENERATED=$SNIPPET
	WWW=$TEST_TMP/www
	mkdir -p "$WWW/run"
	if [ "$(id -u)" = 0 ]; then
		# the servers drop root; www-data must write its logs and sockets
		WWW_USER=www-data WWW_GROUP=www-data
		id www-data >/dev/null 2>&1 || WWW_USER=nobody WWW_GROUP=nogroup
		chown -R "$WWW_USER:$WWW_GROUP" "$WWW"
	else
		WWW_USER=$(id -un) WWW_GROUP=$(id -gn)
	fi
	export WWW WWW_USER WWW_GROUP SNIPPET CHATREST_CONFIG
	# where the executables' stderr ends up
	E2E_LOG=$WWW/error.log
	# the executables the server user runs (pools_start)
	E2E_BIN=$top_builddir/cgi-bin
	# pgrun.sh keeps TEST_TMP and the config world-readable, but the build
	# tree may sit where the server user cannot go (a home directory).
	if [ "$(id -u)" = 0 ] && ! runuser -u "$WWW_USER" -- \
	    sh -c 'test -x "$1" && test -r "$2"' sh "$CGI_BIN" \
	    "$CHATREST_CONFIG"; then
		diag "$WWW_USER cannot reach $top_builddir/cgi-bin: serving copies"
		mkdir -p "$TEST_TMP/bin"
		for _f in "$top_builddir"/cgi-bin/chatrest-*; do
			case $_f in *.c|*.o) continue ;; esac
			[ -x "$_f" ] && cp "$_f" "$TEST_TMP/bin/"
		done
		chmod -R a+rX "$TEST_TMP/bin"
		SNIPPET=$(snippet_at "$TEST_TMP/bin" copies)
		E2E_BIN=$TEST_TMP/bin
	fi
}

# snippet_at DIR TAG: a copy of the generated snippet with the executables
# in DIR.
snippet_at() {
	if [ -d "$top_builddir/tests/conf/apache/errors" ] &&
	    [ ! -d "$1/errors" ]; then
		cp -R "$top_builddir/tests/conf/apache/errors" "$1/errors"
		chmod -R a+rX "$1/errors"
	fi
	sed -e "s|$top_builddir/cgi-bin|$1|g" \
	    -e "s|$top_builddir/tests/conf/apache/errors|$1/errors|g" \
	    "$GENERATED" >"$TEST_TMP/$E2E.$2.conf"
	echo "$TEST_TMP/$E2E.$2.conf"
}

# echo_snippet: a copy of the snippet that mounts tests/e2e/fcgi-echo in
# place of every executable (as www-data can reach it).
echo_snippet() {
	mkdir -p "$TEST_TMP/echo-bin"
	for _f in "$top_builddir"/cgi-bin/chatrest-*; do
		case $_f in *.c|*.o) continue ;; esac
		cp "$top_builddir/tests/e2e/fcgi-echo" \
		    "$TEST_TMP/echo-bin/${_f##*/}"
	done
	chmod -R a+rX "$TEST_TMP/echo-bin"
	snippet_at "$TEST_TMP/echo-bin" echo
}

# e2e_ready: the listener answering is not enough under load: Apache's
# cgid daemon or a FastCGI spawner may still be starting and answer 503.
# Wait (up to 10 s) until a mounted executable answers for itself.
e2e_ready() {
	_j=0
	while [ $_j -lt 100 ]; do
		_st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
		    "$BASE/api/register/is_registered") || :
		case $_st in
		503|000|"") ;;
		*) return 0 ;;
		esac
		sleep 0.1
		_j=$((_j + 1))
	done
}

# e2e_start COMMAND...: runs the server in the foreground (in the
# background of this shell) on a free port; BASE is its URL.
SERVER_PID=
e2e_start() {
	# fcgi-echo's replies are not chatrest's: not checked against the
	# OpenAPI documents
	case $SNIPPET in *.echo.conf) OPENAPI_PAUSE=1 ;; *) OPENAPI_PAUSE= ;; esac
	for _try in 1 2 3; do
		PORT=$(free_port)
		export PORT
		BASE=http://127.0.0.1:$PORT
		"$@" >>"$TEST_TMP/server.out" 2>&1 &
		SERVER_PID=$!
		_i=0
		while [ $_i -lt 100 ] && kill -0 "$SERVER_PID" 2>/dev/null; do
			if curl -s -o /dev/null --max-time 2 "$BASE/"; then
				e2e_ready
				return 0
			fi
			sleep 0.1
			_i=$((_i + 1))
		done
		e2e_stop
	done
	echo "Bail out! $1 did not start"
	sed 's/^/# /' "$TEST_TMP/server.out" "$WWW/error.log" 2>/dev/null
	exit 1
}

e2e_stop() {
	[ -n "$SERVER_PID" ] || return 0
	kill -TERM "$SERVER_PID" 2>/dev/null || :
	_i=0
	while [ $_i -lt 50 ] && kill -0 "$SERVER_PID" 2>/dev/null &&
	    [ "$(cut -d' ' -f3 "/proc/$SERVER_PID/stat" 2>/dev/null)" != Z ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -KILL "$SERVER_PID" 2>/dev/null || :
	wait "$SERVER_PID" 2>/dev/null || :
	SERVER_PID=
}
trap 'e2e_stop; pools_stop' EXIT

# body_has LINE NAME: the echo responder's BODY has exactly this line.
body_has() {
	if printf '%s\n' "$BODY" | grep -qxF -- "$1"; then
		_tap_result 0 "$2"
	else
		_tap_result 1 "$2" || :
		diag "  no line '$1' in:" "$BODY"
		return 1
	fi
}

# e2e_flow: the registration API through the server, as a client sees it.
e2e_flow() {
	R=$BASE/api/register
	http POST "$R/register" "$(reg_body username=erin host=localhost password=pw-erin)"
	reply_is 200 '"ok"' 'register erin: ok'
	http GET "$R/is_registered?username=Erin&host=localhost&key=$REGISTER_KEY"
	reply_is 200 true 'is_registered Erin: true'
	http POST "$R/change_password" "$(reg_body username=erin host=localhost \
	    old_password=pw-erin new_password=pw2-erin)"
	reply_is 200 '"ok"' 'change_password: ok'
	http POST "$R/unregister" "$(reg_body username=erin host=localhost password=pw-erin)"
	reply_is 401 '{"error":"not_allowed"}' 'unregister with the old password: not_allowed'
	http POST "$R/unregister" "$(reg_body username=erin host=localhost password=pw2-erin)"
	reply_is 200 '"ok"' 'unregister with the new password: ok'
	http GET "$R/is_registered?username=erin&host=localhost&key=$REGISTER_KEY"
	reply_is 200 false 'is_registered after unregister: false'
	http POST "$R/register" '{"username":"fred","host":"localhost","password":"pw"}'
	reply_is 401 '{"error":"not_allowed"}' 'register without the key: not_allowed'
	http GET "$R/register?key=$REGISTER_KEY"
	reply_is 404 '{"error":"not_found"}' 'wrong method (GET register): not_found'
	http POST "$R/nope" "$(reg_body username=fred host=localhost password=pw)"
	reply_is 404 '{"error":"not_found"}' 'unknown path under the mount: not_found'
	# chatrest-admin: wrong Basic credentials are 401 code 10, where no
	# Authorization header at all would be 403 code 32, so this JSON proves
	# /api/admin reaches it, Authorization and all.
	http -a 'Basic YWRtaW5AbG9jYWxob3N0OnB3' GET "$BASE/api/admin/registered_vhosts"
	reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
	    '/api/admin/registered_vhosts reaches chatrest-admin'
	http -a 'Basic YWRtaW5AbG9jYWxob3N0OnB3' POST "$BASE/api/admin" '{}'
	reply_is 401 '{"error":"not_allowed"}' '/api/admin itself reaches chatrest-admin'

	# A body of exactly 64 KiB passes the server and the executable.
	reg_body username=gus host=localhost password=pw >"$TEST_TMP/max.json"
	printf '%65536s' '' >>"$TEST_TMP/max.json"
	head -c 65536 "$TEST_TMP/max.json" >"$TEST_TMP/max64k.json"
	http -f "$TEST_TMP/max64k.json" POST "$R/register"
	reply_is 200 '"ok"' 'a body of exactly 65536 bytes: ok'
	digest=$(users_digest)

	like "$(cat "$E2E_LOG")" \
	    'chatrest-register\[[0-9]+\]: info: .*POST /api/register/register 200' \
	    "the executables log where the server puts their stderr"
	SECRETS="pw-erin pw2-erin YWRtaW5AbG9jYWxob3N0OnB3" no_secrets "$E2E_LOG"
}

# big_body: 70 KiB, a valid registration padded with spaces.
big_body() {
	{ reg_body username=hal host=localhost password=pw; printf '%71680s' ''; } |
	    head -c 71680 >"$TEST_TMP/70k.json"
	echo "$TEST_TMP/70k.json"
}

# e2e_too_large WHO: a 70 KiB body to each executable gets that
# executable's own 413 answer, which the snippet has the server serve.
e2e_too_large() {
	http -f "$TEST_TMP/70k.json" POST "$BASE/api/admin/register"
	reply_is 413 '{"error":"request_too_large"}' "admin: 413 in its shape ($1)"
	http -a "Bearer x" -f "$TEST_TMP/70k.json" POST "$BASE/api/blocklist"
	reply_is 413 "$(printf '{\n  "OK": false,\n  "Error": "Request body too large."\n}')" \
	    "web: 413 in BareRTC's shape ($1)"
	http -f "$TEST_TMP/70k.json" POST "$BASE/api/rooms"
	is "$STATUS/$(header Content-Type)/$BODY" 413// \
	    "client: 413 with no body, as the executable answers ($1)"
}

# server_page STATUS NAME: the server's own HTML error page, not ours.
server_page() {
	_ct=$(header Content-Type)
	if [ "$STATUS" = "$1" ] && case $_ct in text/html*) true ;; *) false ;; esac
	then
		_tap_result 0 "$2"
	else
		_tap_result 1 "$2" || :
		diag "     got: $STATUS ($_ct) '$BODY'" "    want: $1 (text/html)"
		return 1
	fi
}

# e2e_echo: what the server hands the executables, seen by fcgi-echo.
e2e_echo() {
	http -a 'Basic ZXJpbkBsb2NhbGhvc3Q6cHc=' GET "$BASE/api/register/register?a=1&b=%20"
	is "$STATUS $(header Content-Type)" '200 text/plain' 'echo: answers'
	body_has 'HTTP_AUTHORIZATION=Basic ZXJpbkBsb2NhbGhvc3Q6cHc=' \
	    'the Authorization header reaches the executable'
	body_has "CHATREST_CONFIG=$CHATREST_CONFIG" \
	    'CHATREST_CONFIG reaches the process environment'
	body_has 'GNUTLS_NO_IMPLICIT_INIT=1' \
	    'the snippet turns off GnuTLS set-up at load'
	body_has 'SCRIPT_NAME=/api/register' 'SCRIPT_NAME is the mount point'
	body_has 'PATH_INFO=/register' 'PATH_INFO is the rest of the path'
	body_has 'QUERY_STRING=a=1&b=%20' 'QUERY_STRING is passed undecoded'
	http -a 'Basic YWRtaW5AbG9jYWxob3N0OnB3' POST "$BASE/api/admin/x/y" '{"a":1}'
	body_has 'SCRIPT_NAME=/api/admin' '/api/admin: SCRIPT_NAME'
	body_has 'PATH_INFO=/x/y' '/api/admin: PATH_INFO'
	body_has 'HTTP_AUTHORIZATION=Basic YWRtaW5AbG9jYWxob3N0OnB3' \
	    '/api/admin: the Authorization header'
	body_has 'CONTENT_LENGTH=7' '/api/admin: CONTENT_LENGTH'
	body_has 'CONTENT_TYPE=application/json' '/api/admin: CONTENT_TYPE'
	body_has 'body=7' '/api/admin: the body'
}

# pools_start [DIR]: the executables of DIR (default: E2E_BIN) as FastCGI
# pools (-l, POOL_PROCS processes each, default 2) on sockets in
# PROXY_SOCKETS ($WWW/run), run as the server user as the shipped systemd
# unit runs them; apache-proxy-fcgi.conf connects to them.
POOL_PIDS= POOL_SOCKS=
POOL_EXES="chatrest-register chatrest-admin chatrest-identity chatrest-client chatrest-web"
pools_start() {
	for _e in $POOL_EXES; do
		pool_start "${1:-$E2E_BIN}/$_e"
	done
	pools_wait
}

# pool_start EXE: one more pool, on PROXY_SOCKETS/NAME.sock (pools_wait
# waits for the sockets).
pool_start() {
	PROXY_SOCKETS=$WWW/run
	export PROXY_SOCKETS
	_as=
	[ "$(id -u)" != 0 ] ||
	    _as="setpriv --reuid=$WWW_USER --regid=$WWW_GROUP --init-groups"
	rm -f "$PROXY_SOCKETS/${1##*/}.sock"
	$_as env CHATREST_CONFIG="$CHATREST_CONFIG" "$1" \
	    -l "$PROXY_SOCKETS/${1##*/}.sock" -n "${POOL_PROCS:-2}" \
	    2>>"$E2E_LOG" &
	POOL_PIDS="$POOL_PIDS $!"
	POOL_SOCKS="$POOL_SOCKS $PROXY_SOCKETS/${1##*/}.sock"
}

pools_wait() {
	for _s in $POOL_SOCKS; do
		_i=0
		while [ ! -S "$_s" ]; do
			_i=$((_i + 1))
			[ $_i -lt 200 ] || bail_out "no pool on $_s"
			sleep 0.05
		done
	done
}

# pools_stop: SIGTERM to each pool; it stops its processes and removes
# its socket.
pools_stop() {
	for _p in $POOL_PIDS; do
		kill -TERM "$_p" 2>/dev/null || :
	done
	for _p in $POOL_PIDS; do
		wait "$_p" 2>/dev/null || :
	done
	POOL_PIDS= POOL_SOCKS=
}
