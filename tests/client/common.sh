# Helpers for the chatrest-client tests, sourced after tests/lib.sh.

CGI_BIN=$top_builddir/cgi-bin/chatrest-client
CGI_MOUNT=/api
REG=$top_builddir/cgi-bin/chatrest-register

# register LOCAL [HOST]: an account with the password pw-LOCAL.
register() {
	"$REG" -d "{\"key\":\"$REGISTER_KEY\",\"username\":\"$1\",\"host\":\"${2:-localhost}\",\"password\":\"pw-$1\"}" \
	    POST /api/register/register >/dev/null 2>&1 ||
	    bail_out "cannot register $1"
}

basic() {	# USER PASSWORD
	printf 'Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 | tr -d '\n')"
}

# as LOCAL[@HOST] cgi-arguments...: a request with LOCAL's credentials.
as() {
	_who=$1
	shift
	case $_who in *@*) ;; *) _who=$_who@localhost ;; esac
	cgi -a "$(basic "$_who" "pw-${_who%%@*}")" "$@"
}

# norm: BODY with UUIDs as UUID and 13-digit millisecond times as TS.
norm() {
	printf '%s' "$BODY" | sed -E \
	    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/UUID/g' \
	    -e 's/"timestamp":[0-9]{13}/"timestamp":TS/g'
}

# json_is STATUS BODY NAME: like reply_is, with UUIDs and times normalised.
json_is() {
	_save=$BODY
	BODY=$(norm)
	reply_is "$@" || :
	BODY=$_save
}

# empty_is STATUS NAME: the status, no body and no Content-Type.
empty_is() {
	if [ "$STATUS" = "$1" ] && [ "$BODY_BYTES" = 0 ] &&
	    [ -z "$(header Content-Type)" ]; then
		_tap_result 0 "$2"
	else
		_tap_result 1 "$2" || :
		diag "     got: $STATUS '$BODY' (Content-Type" \
		    "'$(header Content-Type)')" "    want: $1 and no body"
		[ -z "${ERR:-}" ] || diag "  stderr: $ERR"
	fi
}

# text_is STATUS TEXT NAME: a text/plain body.
text_is() {
	if [ "$STATUS" = "$1" ] && [ "$BODY" = "$2" ] &&
	    [ "$(header Content-Type)" = "text/plain; charset=utf-8" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3" || :
		diag "     got: $STATUS '$BODY' ('$(header Content-Type)')" \
		    "    want: $1 '$2' (text/plain)"
	fi
}

# the id of a {"id":"..."} reply
reply_id() {
	printf '%s' "$BODY" | sed -n 's/^{"id":"\([^"]*\)"}$/\1/p'
}

# client_digest: changes whenever any row of the client's tables does.
client_digest() {
	psql_q "select md5(concat_ws('|',
	    (select string_agg(t::text, ',' order by id) from rooms t),
	    (select string_agg(t::text, ',' order by room_id, user_id) from room_members t),
	    (select string_agg(t::text, ',' order by seq) from room_archive t),
	    (select string_agg(t::text, ',' order by seq) from chat_archive t),
	    (select string_agg(t::text, ',' order by seq) from roster t)))"
}
