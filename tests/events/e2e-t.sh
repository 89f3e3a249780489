#!/bin/sh
# chatrest-events (GET /api/sse) as shipped: under lighttpd (bin-path)
# and under Apache (mod_proxy_fcgi to the events daemon), the rest of the
# API beside it.  One-to-one and room events, affiliation changes,
# Last-Event-ID resume, kicks, restarts, a database outage, an event
# posted through one web server reaching a stream held on another, and a
# reader that never reads.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/client/common.sh"
. "$top_srcdir/tests/events/common.sh"

CGI_BIN=$EV_BIN
for u in alice bob kate; do register $u; done
cat >>"$CHATREST_CONFIG" <<EOF2

[events]
keepalive = 1
queue_max = 65536
sweep = 0
EOF2
ADM=$top_builddir/cgi-bin/chatrest-admin
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
apache2=$(command -v apache2 || echo /usr/sbin/apache2)

head_of() {	# LOCAL: the user's newest event id
	psql_q "select coalesce(chatrest_event_head(u.id), 0) from users u
	    where u.localpart = '$1'"
}

# events_flow NAME BASE: the events a client sees, through one server.
events_flow() {
	_t=$1 B=$2 R=r-$1
	http GET "$B/api/sse"
	empty_is 401 "$_t: no credentials: 401, no stream"
	is "$(header WWW-Authenticate)" 'Basic realm="chatrest"' \
	    "$_t: 401 carries WWW-Authenticate"
	http -a "$(basic alice@localhost wrong)" GET "$B/api/sse"
	empty_is 401 "$_t: wrong password: 401, no stream"

	a=$(head_of alice) b=$(head_of bob)
	sse_open a_$_t "$B" alice
	sse_open b_$_t "$B" bob
	is "$(tr -d '\r' <"$TEST_TMP/a_$_t.sse" | sed -n '1p
	    /^Content-Type:/p
	    /^Cache-Control:/p
	    /^Content-Length:/p' | sort | tr '\n' '|')" \
	    'Cache-Control: no-cache|Content-Type: text/event-stream|HTTP/1.1 200 OK|' \
	    "$_t: 200, text/event-stream, no-cache, no Content-Length"

	send bob alice "hi alice" "$B"
	mid=$(reply_id)
	http -a "$(basic alice@localhost pw-alice)" PUT "$B/api/rooms/$R" \
	    '{"name":"n","subject":"s"}'
	ALICE=$(basic alice@localhost pw-alice)
	BOB=$(basic bob@localhost pw-bob)
	http -a "$ALICE" POST "$B/api/rooms/$R/users" '{"user":"bob@localhost"}'
	http -a "$BOB" POST "$B/api/rooms/$R/messages" '{"body":"hello room"}'
	rmid=$(reply_id)
	http -a "$ALICE" POST "$B/api/rooms/$R/users" '{"user":"kate@localhost"}'
	http -a "$ALICE" DELETE "$B/api/rooms/$R/users/kate@localhost"
	http -a "$ALICE" DELETE "$B/api/rooms/$R/users/alice@localhost"
	sse_wait a_$_t 6
	sse_wait b_$_t 6
	F="\"from\":\"$R@muclight.localhost\""
	aff() {	# ID USER AFFILIATION
		printf '%s|room.message|{"user":"%s@localhost","type":"affiliation","timestamp":TS,"room":"%s","id":"UUID","affiliation":"%s",%s}' \
		    "$1" "$2" "$R" "$3" "$F"
	}
	msg() {	# ID
		printf '%s|room.message|{"type":"message","timestamp":TS,"room":"%s","id":"UUID","from":"bob@localhost","body":"hello room"}' \
		    "$1" "$R"
	}
	sse_is a_$_t "$((a + 1))|message|{\"to\":\"alice@localhost\",\"timestamp\":TS,\"id\":\"UUID\",\"from\":\"bob@localhost\",\"body\":\"hi alice\"}
$(aff $((a + 2)) bob member)
$(msg $((a + 3)))
$(aff $((a + 4)) kate member)
$(aff $((a + 5)) kate none)
$(aff $((a + 6)) alice none)" \
	    "$_t: alice: message, invitation, room message, removals, her leaving"
	sse_is b_$_t "$(aff $((b + 1)) bob member)
$(msg $((b + 2)))
$(aff $((b + 3)) kate member)
$(aff $((b + 4)) kate none)
$(aff $((b + 5)) alice none)
$(aff $((b + 6)) bob owner)" \
	    "$_t: bob: invited, his own room message, removals, ownership passing to him"
	is "$(grep -c "\"id\":\"$mid\"" "$TEST_TMP/a_$_t.sse")|$(grep -c "\"id\":\"$rmid\"" "$TEST_TMP/b_$_t.sse")" \
	    '1|1' "$_t: event ids are the ids the POSTs returned"
	like "$(cat "$TEST_TMP/a_$_t.sse")" ': keep-alive' \
	    "$_t: idle streams get keep-alive comments"

	# Resume: what was sent while alice was away, then live ones.
	sse_close a_$_t
	send bob alice "while away 1" "$B"
	send bob alice "while away 2" "$B"
	sse_open r_$_t "$B" alice $((a + 6))
	send bob alice "live again" "$B"
	sse_wait r_$_t 3
	m() {
		printf '%s|message|{"to":"alice@localhost","timestamp":TS,"id":"UUID","from":"bob@localhost","body":"%s"}' "$1" "$2"
	}
	sse_is r_$_t "$(m $((a + 7)) 'while away 1')
$(m $((a + 8)) 'while away 2')
$(m $((a + 9)) 'live again')" \
	    "$_t: Last-Event-ID: the missed events, then live ones, no gap, no duplicate"
	sse_open n_$_t "$B" alice 'x1'
	send bob alice "fresh" "$B"
	sse_wait n_$_t 1
	sse_is n_$_t "$(m $((a + 10)) fresh)" \
	    "$_t: a malformed Last-Event-ID means from now"
	sse_close r_$_t
	sse_close n_$_t

	# Kicks: a banned account's streams end, and it cannot reconnect.
	"$ADM" ban_account bob localhost spam >/dev/null 2>&1
	ok "$_t: ban_account ends bob's stream" sse_ended b_$_t
	http -a "$BOB" GET "$B/api/sse"
	empty_is 401 "$_t: a banned account gets 401"
	"$ADM" unban_account bob localhost >/dev/null 2>&1
	# The admin kick commands end the streams too; the client may resume.
	sse_open k_$_t "$B" kate
	"$ADM" kick_user kate localhost >/dev/null 2>&1
	ok "$_t: kick_user ends kate's stream" sse_ended k_$_t
	sse_open k2_$_t "$B" kate
	"$ADM" kick_session kate localhost any "maintenance" >/dev/null 2>&1
	ok "$_t: kick_session ends kate's stream" sse_ended k2_$_t

	# /api/shutdown's NOTIFY: streams end, clients come back at once.
	sse_open s_$_t "$B" kate
	psql_q "notify chatrest_restart" >/dev/null
	ok "$_t: a restart ends the streams" sse_ended s_$_t
	k=$(head_of kate)
	sse_open s2_$_t "$B" kate
	send bob kate "after the restart" "$B"
	sse_wait s2_$_t 1
	sse_is s2_$_t "$((k + 1))|message|{\"to\":\"kate@localhost\",\"timestamp\":TS,\"id\":\"UUID\",\"from\":\"bob@localhost\",\"body\":\"after the restart\"}" \
	    "$_t: the restarted process serves new streams"
	sse_close s2_$_t
}

# by_hand LOCAL BODY: bob's message to LOCAL stored by plain SQL, which
# announces nothing (only the archive trigger writes the event).
by_hand() {
	psql_q "insert into chat_archive (owner_id, ts, mid, from_host,
	    from_local, to_host, to_local, peer_host, peer_local, body)
	    select id, (extract(epoch from clock_timestamp()) * 1000000)::bigint,
	    gen_random_uuid(), 'localhost', 'bob', 'localhost', '$1',
	    'localhost', 'bob', '$2' from users where localpart = '$1'" >/dev/null
}
kate_msg() {	# ID BODY: an event line of bob's message to kate
	printf '%s|message|{"to":"kate@localhost","timestamp":TS,"id":"UUID","from":"bob@localhost","body":"%s"}' "$1" "$2"
}

# across NAME STREAM-BASE POST-BASE: posted through one server, pushed
# through the other.
across() {
	k=$(head_of kate)
	sse_open x_$1 "$2" kate
	send bob kate "across $1" "$3"
	sse_wait x_$1 1
	sse_is x_$1 "$((k + 1))|message|{\"to\":\"kate@localhost\",\"timestamp\":TS,\"id\":\"UUID\",\"from\":\"bob@localhost\",\"body\":\"across $1\"}" \
	    "$1: posted through one web server, delivered on another"
	sse_close x_$1
}

# A second lighttpd with its own events process: front B.
L2_PID=
start_l2() {
	_www=$WWW
	WWW=$TEST_TMP/www2 PORT=$(free_port)
	mkdir -p "$WWW/run"
	[ "$(id -u)" != 0 ] || chown -R "$WWW_USER:$WWW_GROUP" "$WWW"
	BASE2=http://127.0.0.1:$PORT
	WWW=$WWW PORT=$PORT "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf" \
	    >>"$TEST_TMP/server2.out" 2>&1 &
	L2_PID=$!
	WWW=$_www
	_i=0
	while [ $_i -lt 100 ] && ! curl -s -o /dev/null --max-time 2 "$BASE2/"; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
stop_all() {
	e2e_stop
	[ -z "$L2_PID" ] || { kill "$L2_PID" 2>/dev/null; wait "$L2_PID" 2>/dev/null; }
	[ -z "${EV_PID:-}" ] || { kill "$EV_PID" 2>/dev/null; wait "$EV_PID" 2>/dev/null; }
	L2_PID= EV_PID=
}
trap stop_all EXIT

if [ -x "$lighttpd" ]; then
	e2e_setup lighttpd
	e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
	start_l2
	events_flow lighttpd "$BASE"
	across lighttpd "$BASE2" "$BASE"

	# sweep = 0: only announcements wake the streams (everything above
	# came through them); an unannounced event waits for the next one.
	k=$(head_of kate)
	sse_open q "$BASE" kate
	by_hand kate "by hand"
	sleep 2
	is "$(sse_events q)" '' \
	    'lighttpd: sweep = 0: an event stored by plain SQL is not announced'
	send bob kate "announced" "$BASE"
	sse_wait q 2
	sse_is q "$(kate_msg $((k + 1)) 'by hand')
$(kate_msg $((k + 2)) announced)" \
	    'lighttpd: ... and arrives, in order, with the next announced one'
	sse_close q

	# A database outage ends the streams; new ones get 503 until it is back.
	sse_open o "$BASE" kate
	$TEST_PG_CTL stop -m fast >/dev/null 2>&1
	ok 'lighttpd: a database outage ends the stream' sse_ended o
	http -a "$(basic kate@localhost pw-kate)" GET "$BASE/api/sse"
	is "$STATUS|$(header Retry-After)" '503|5' \
	    'lighttpd: while the database is down: 503 with Retry-After'
	$TEST_PG_CTL start >/dev/null 2>&1
	_i=0
	while [ $_i -lt 100 ]; do
		_st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 \
		    -u kate@localhost:pw-kate "$BASE/api/sse") || :
		[ "$_st" = 200 ] && break
		sleep 0.1
		_i=$((_i + 1))
	done
	is "$_st" 200 'lighttpd: streams open again once the database is back'
	SECRETS="pw-alice pw-bob pw-kate" no_secrets "$E2E_LOG"
	e2e_stop
else
	skip 'lighttpd' 'lighttpd is not installed'
fi

if [ -x "$apache2" ] && [ -f /usr/lib/apache2/modules/mod_proxy_fcgi.so ] &&
    [ -f /usr/lib/apache2/modules/mod_fcgid.so ]; then
	e2e_setup apache-fcgid
	sed -i 's/^sweep = 0$/sweep = 1/' "$CHATREST_CONFIG"
	EVENTS_SOCKET=$WWW/run/events.sock
	EVENTS_SNIPPET=$top_builddir/tests/conf/apache-events.conf
	export EVENTS_SOCKET EVENTS_SNIPPET
	"$EV_BIN" -l "$EVENTS_SOCKET" 2>>"$TEST_TMP/events.err" &
	EV_PID=$!
	_i=0
	while [ $_i -lt 100 ] && [ ! -S "$EVENTS_SOCKET" ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	chmod 666 "$EVENTS_SOCKET"
	e2e_start "$apache2" -DFOREGROUND -f "$top_srcdir/tests/events/apache.conf"
	events_flow apache "$BASE"
	[ -z "$L2_PID" ] || across apache "$BASE" "$BASE2"

	# sweep = 1: an event stored by plain SQL arrives on its own.
	k=$(head_of kate)
	sse_open q "$BASE" kate
	by_hand kate "swept"
	sse_wait q 1
	sse_is q "$(kate_msg $((k + 1)) swept)" \
	    'apache: sweep = 1: an event stored by plain SQL arrives within a second'
	sse_close q

	# A reader that never reads: dropped at [events] queue_max, and the
	# daemon's memory does not grow with what it was sent.
	python3 "$top_srcdir/tests/events/stall.py" "$EVENTS_SOCKET" \
	    kate@localhost:pw-kate >"$TEST_TMP/stall.out" 2>&1 &
	ST_PID=$!
	sleep 0.5
	rss0=$(awk '/^VmRSS/ { print $2 }' /proc/$EV_PID/status)
	big=$(head -c 60000 /dev/zero | tr '\0' x)
	_i=0
	while [ $_i -lt 60 ] && ! grep -q 'stream of user .* dropped' \
	    "$TEST_TMP/events.err"; do
		send bob kate "$big" "$BASE"
		_i=$((_i + 1))
	done
	like "$(cat "$TEST_TMP/events.err")" 'stream of user [0-9]+ dropped: [0-9]+ bytes unread' \
	    'apache: a reader that never reads is dropped past queue_max'
	rss1=$(awk '/^VmRSS/ { print $2 }' /proc/$EV_PID/status)
	ok "apache: the daemon's memory stays bounded ($rss0 -> $rss1 KiB)" \
	    test "$((rss1 - rss0))" -lt 2048
	kill "$ST_PID" 2>/dev/null; wait "$ST_PID" 2>/dev/null
	SECRETS="pw-alice pw-bob pw-kate" no_secrets "$TEST_TMP/events.err"
	stop_all
else
	skip 'apache' 'apache2, mod_proxy_fcgi or mod_fcgid is not installed'
fi

# Plain CGI: one process per stream, started by Apache's mod_cgid.
if [ -x "$apache2" ] && [ -f /usr/lib/apache2/modules/mod_cgid.so ]; then
	e2e_setup apache-cgi
	e2e_start "$apache2" -DFOREGROUND -f "$top_srcdir/tests/e2e/apache-cgi.conf"
	http GET "$BASE/api/sse"
	empty_is 401 'cgi: no credentials: 401, no stream'
	k=$(head_of kate)
	sse_open c "$BASE" kate
	send bob kate "by cgi" "$BASE"
	sse_wait c 1
	sse_is c "$((k + 1))|message|{\"to\":\"kate@localhost\",\"timestamp\":TS,\"id\":\"UUID\",\"from\":\"bob@localhost\",\"body\":\"by cgi\"}" \
	    'cgi: the stream is served by a CGI process of its own'
	sse_close c
	e2e_stop
else
	skip 'apache-cgi' 'apache2 or mod_cgid is not installed'
fi

done_testing
