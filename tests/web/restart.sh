# POST /api/shutdown under a real web server: every chatrest FastCGI
# process (chatrest-web and chatrest-register) leaves, the server starts
# fresh ones, and no request fails: not one made before or after, nor one
# in flight when the notification arrives, nor any of a steady stream of
# requests running through the restart. Sourced by restart-*-t.sh after
# tests/lib.sh, tests/e2e/common.sh and tests/web/common.sh, with BASE set.

# logs: what the executables wrote to stderr, which is the server's error
# log (Apache) or the server's own stderr (lighttpd -D).
logs() {
	cat "$WWW/error.log" "$TEST_TMP/server.out" 2>/dev/null
}

# pids_of EXE: the PIDs that logged a request for EXE, once each.
pids_of() {
	logs | sed -n "s/.*$1\[\([0-9]*\)\]: info: .*/\1/p" |
	    awk '!seen[$0]++'
}

# last_pid EXE: the PID of the last request EXE logged.
last_pid() {
	logs | sed -n "s/.*$1\[\([0-9]*\)\]: info: .*GET \/.* 200$/\1/p" |
	    tail -n 1
}

# procs: every running chatrest executable of this test's server (they
# carry this test's CHATREST_CONFIG in their environment).
procs() {
	for _p in /proc/[0-9]*; do
		case $(readlink "$_p/exe" 2>/dev/null) in
		*/chatrest-*) ;;
		*) continue ;;
		esac
		tr '\0' '\n' 2>/dev/null <"$_p/environ" |
		    grep -qxF "CHATREST_CONFIG=$CHATREST_CONFIG" || continue
		echo "${_p#/proc/}"
	done
}

# alive PID: a running (not zombie) process.
alive() {
	[ -n "$(readlink "/proc/$1/exe" 2>/dev/null)" ]
}

# wait_gone PID...: up to 10 s for all of them to exit.
wait_gone() {
	_i=0
	while [ $_i -lt 100 ]; do
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

# some_requests TAG: statistics, a token, a registration check; all 200.
failed=0
some_requests() {
	for _n in 1 2 3; do
		http GET "$BASE/api/statistics"
		[ "$STATUS" = 200 ] || { failed=$((failed + 1)); diag "$1: $STATUS $BODY"; }
		http POST "$BASE/api/authenticate" \
		    "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":\"alice\"}}"
		[ "$STATUS" = 200 ] || { failed=$((failed + 1)); diag "$1: $STATUS $BODY"; }
		http GET "$BASE/api/register/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
		[ "$STATUS" = 200 ] || { failed=$((failed + 1)); diag "$1: $STATUS $BODY"; }
	done
}

# wait_for SQL: up to 10 s for the query to answer 1.
wait_for() {
	_i=0
	while [ "$(psql_q "$1")" != 1 ]; do
		[ $_i -lt 100 ] || return 1
		sleep 0.1
		_i=$((_i + 1))
	done
}

# slow_start: a request in flight when the restart is stored. A session
# holds the blocks table locked (until $TEST_TMP/unlock exists); POST
# /api/blocklist then waits on the lock inside chatrest-web while the
# shutdown notice is written and the other processes find it.
slow_start() {
	rm -f "$TEST_TMP/unlock"
	{
		echo 'BEGIN;'
		echo 'LOCK TABLE blocks IN EXCLUSIVE MODE;'
		# one line: a meta-command ends at the newline
		printf '\\! i=0; while [ ! -e %s ] && [ $i -lt 300 ]; %s\n' \
		    "$TEST_TMP/unlock" 'do sleep 0.1; i=$((i + 1)); done'
		echo 'COMMIT;'
	} | psql -XAtq -v ON_ERROR_STOP=1 >/dev/null &
	LOCK_PID=$!
	ok 'a session locks the blocks table' wait_for "select count(*)
	    from pg_locks where relation = 'blocks'::regclass
	    and mode = 'ExclusiveLock' and granted"
	(
		REQ_PREFIX=slow
		http POST "$BASE/api/blocklist" \
		    "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"carol\"]}"
		printf '%s\n%s\n' "$STATUS" "$BODY" >"$TEST_TMP/slow.out"
	) &
	SLOW_PID=$!
	ok 'POST /api/blocklist waits on the lock' wait_for "select count(*)
	    from pg_stat_activity where wait_event_type = 'Lock'
	    and query like '%DELETE FROM blocks%'"
}

# slow_finish: release the lock; the request in flight still succeeds.
slow_finish() {
	ok 'the request in flight is still running after the shutdown reply' \
	    test ! -e "$TEST_TMP/slow.out"
	: >"$TEST_TMP/unlock"
	wait "$SLOW_PID" "$LOCK_PID" || :
	is "$(cat "$TEST_TMP/slow.out" 2>/dev/null)" "200
$OK" 'the request in flight is answered: 200 {"OK": true}'
}

# load_start, load_stop: requests to chatrest-web and chatrest-register,
# one after another, all through the restart; none may fail.
# STREAM_LOAD=0 turns this off.  Under lighttpd it passes only because
# processes leave in waves (a backend that refused a connection is disabled
# for a second; with every process of an executable gone at once lighttpd
# would answer 503 itself).
load_start() {
	[ "${STREAM_LOAD:-1}" = 1 ] || return 0
	rm -f "$TEST_TMP/stopload" "$TEST_TMP/load.out" "$TEST_TMP/load.bad"
	(
		n=0 bad=0
		while [ ! -e "$TEST_TMP/stopload" ]; do
			for u in "$BASE/api/statistics" \
			    "$BASE/api/register/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"; do
				c=$(curl -s -o /dev/null -w '%{http_code}' \
				    --max-time 20 "$u") || :
				n=$((n + 1))
				[ "$c" = 200 ] || {
					bad=$((bad + 1))
					echo "$c $u" >>"$TEST_TMP/load.bad"
				}
			done
		done
		echo "$n $bad" >"$TEST_TMP/load.out"
	) &
	LOAD_PID=$!
}

load_stop() {
	if [ "${STREAM_LOAD:-1}" != 1 ]; then
		skip 'no request failed during the restart' \
		    'lighttpd answers 503 while every backend is disabled'
		return 0
	fi
	: >"$TEST_TMP/stopload"
	wait "$LOAD_PID" || :
	_r=$(cat "$TEST_TMP/load.out" 2>/dev/null)
	diag "requests during the restart: ${_r% *}"
	[ ! -s "$TEST_TMP/load.bad" ] || diag "$(sed 's/key=[^&]*/key=.../' \
	    "$TEST_TMP/load.bad")"
	is "${_r#* }" 0 'no request failed during the restart'
}

restart_flow() {
	web_config
	web_users
	e2e_start "$@"

	http POST "$BASE/api/blocklist" \
	    "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"bob\"]}"
	reply_is 200 "$OK" 'blocklist through the server'
	http -H 'Origin: https://www.example.com' GET "$BASE/api/statistics"
	reply_is 200 '{
  "UserCount": 2,
  "Usernames": [
    "alice",
    "bob"
  ],
  "Cameras": {
    "Blue": 0,
    "Red": 0
  }
}' 'statistics through the server'
	# (Apache appends its own entries to Vary)
	like "$(header Access-Control-Allow-Origin)|$(header Vary)" \
	    '^https://www\.example\.com\|Origin(,.*)?$' '... with CORS headers'
	some_requests before
	old_web=$(pids_of chatrest-web)
	old_reg=$(pids_of chatrest-register)
	ok 'FastCGI processes served the requests' \
	    test -n "$old_web" -a -n "$old_reg"
	all=$(procs)
	diag "before: chatrest-web" $old_web "chatrest-register" $old_reg \
	    "all:" $all
	ok 'they are among the running processes' sh -c \
	    'for p in $0; do echo " $1 " | grep -q " $p " || exit 1; done' \
	    "$old_web $old_reg" "$(echo $all)"

	load_start
	slow_start
	http POST "$BASE/api/shutdown" "{\"APIKey\":\"$KEY\"}"
	reply_is 200 "$OK" 'shutdown: {"OK": true}'
	slow_finish
	ok "every chatrest process exits ($(echo $all | wc -w) of them)" \
	    wait_gone $all
	like "$(logs)" \
	    'chatrest-register\[[0-9]+\]: info: restart requested through the database' \
	    'chatrest-register logs why it leaves'

	some_requests after
	is "$failed" 0 'no request failed, before or after the restart'
	load_stop
	new_web=$(last_pid chatrest-web)
	new_reg=$(last_pid chatrest-register)
	ok "chatrest-web is served by a new process ($new_web)" \
	    sh -c 'for p in $1; do [ "$p" != "$0" ] || exit 1; done' \
	    "$new_web" "$old_web"
	ok "chatrest-register is served by a new process ($new_reg)" \
	    sh -c 'for p in $1; do [ "$p" != "$0" ] || exit 1; done' \
	    "$new_reg" "$old_reg"
	is "$(blocks)" 'alice>carol@localhost' \
	    'the blocklist (written in flight) survived the restart'
	is "$(psql_q "select kind from server_notices where user_id is null")" \
	    shutdown 'the shutdown notice is recorded'
	logs >"$TEST_TMP/all.log"
	no_web_secrets "$TEST_TMP/all.log"
	e2e_stop
}

no_web_secrets() {
	ok 'the log shows no key, secret or token' \
	    sh -c '! grep -qF -e "$0" -e "$1" -e "$2" -e eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 -- "$3"' \
	    "$KEY" "$SECRET" "$REGISTER_KEY" "$1"
}
