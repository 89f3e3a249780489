# Helpers for the chatrest-events tests, sourced after tests/lib.sh and
# tests/client/common.sh: event streams held open by curl.

EV_BIN=$top_builddir/cgi-bin/chatrest-events

# sse_open NAME URL LOCAL [LAST-EVENT-ID]: LOCAL's stream into $TEST_TMP/NAME.
sse_open() {
	_h=
	[ -z "${4:-}" ] || _h="Last-Event-ID: $4"
	: >"$TEST_TMP/$1.sse"
	curl -sSN -i --max-time 60 -u "$3@localhost:pw-$3" ${_h:+-H "$_h"} \
	    "$2/api/sse" >"$TEST_TMP/$1.sse" 2>"$TEST_TMP/$1.err" &
	eval "SSE_$1=\$!"
	# open once the headers are in
	_i=0
	while [ $_i -lt 100 ] && ! grep -q '^Content-Type: text/event-stream' \
	    "$TEST_TMP/$1.sse" 2>/dev/null; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

sse_close() {
	eval "_p=\${SSE_$1:-}"
	[ -n "$_p" ] || return 0
	kill "$_p" 2>/dev/null || :
	wait "$_p" 2>/dev/null || :
	eval "SSE_$1="
}

# sse_wait NAME N: until the stream holds N events (at most 5 s).
sse_wait() {
	_i=0
	while [ $_i -lt 100 ] &&
	    [ "$(grep -c '^id: ' "$TEST_TMP/$1.sse")" -lt "$2" ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
}

# sse_ended NAME: whether curl saw the stream end (within 5 s).
sse_ended() {
	eval "_p=\${SSE_$1:-}"
	_i=0
	while [ $_i -lt 100 ] && kill -0 "$_p" 2>/dev/null; do
		sleep 0.05
		_i=$((_i + 1))
	done
	! kill -0 "$_p" 2>/dev/null
}

# sse_events NAME: the events so far, one "id|event|data" line each, with
# UUIDs as UUID and microsecond times as TS.
sse_events() {
	tr -d '\r' <"$TEST_TMP/$1.sse" | awk '
	    /^id: / { id = substr($0, 5) }
	    /^event: / { ev = substr($0, 8) }
	    /^data: / { print id "|" ev "|" substr($0, 7) }' | sed -E \
	    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/UUID/g' \
	    -e 's/"timestamp":[0-9]{16}/"timestamp":TS/g'
}

# sse_is NAME EXPECTED TEST: the events of NAME, exactly.
sse_is() {
	_got=$(sse_events "$1")
	if [ "$_got" = "$2" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3" || :
		diag "     got: $_got" "    want: $2"
	fi
}

# send FROM TO BODY URL: a one-to-one message through the client API.
send() {
	http -a "$(basic "$1@localhost" "pw-$1")" POST "$4/api/messages" \
	    "{\"to\":\"$2@localhost\",\"body\":\"$3\"}"
	[ "$STATUS" = 200 ] || diag "send $1 -> $2: $STATUS $BODY"
}
