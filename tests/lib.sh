# Shell TAP helpers, sourced by the tests under tests/pgrun.sh:
#
#   . "$top_srcdir/tests/lib.sh"
#
# POSIX sh (the tests run under $(SHELL), which is dash on Debian).

_tap_n=0
_tap_failed=0
_tap_planned=
RC=0
RC_WANT=

CR=$(printf '\r')

plan() {
	_tap_planned=$1
	# one more: done_testing's openapi_check
	[ -z "${OPENAPI_RECORD:-}" ] || _tap_planned=$(($1 + 1))
	echo "1..$_tap_planned"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

_tap_result() {	# STATUS(0=pass) NAME
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
	return "$1"
}

# ok NAME COMMAND [ARGS...]: passes when COMMAND succeeds.
ok() {
	_name=$1
	shift
	if "$@"; then
		_tap_result 0 "$_name"
	else
		_tap_result 1 "$_name" || :
		diag "  failed: $*"
		return 1
	fi
}

# ok_quiet NAME COMMAND [ARGS...]: as ok, with the command's output shown
# only when it fails.
ok_quiet() {
	_name=$1
	shift
	if "$@" >"$TEST_TMP/ok_quiet.out" 2>&1; then
		_tap_result 0 "$_name"
	else
		_tap_result 1 "$_name" || :
		diag "  failed: $*"
		sed 's/^/#   /' "$TEST_TMP/ok_quiet.out"
		return 1
	fi
}

# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3" || :
		diag "     got: '$1'" "    want: '$2'"
		return 1
	fi
}

# like GOT EXTENDED-REGEX NAME
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3" || :
		diag "     got: '$1'" "    want: /$2/"
		return 1
	fi
}

skip() {	# NAME REASON
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

done_testing() {
	openapi_check
	[ -n "$_tap_planned" ] || echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ] || diag "$_tap_failed of $_tap_n failed"
	exit 0
}

# ok, is, like and reply_is return non-zero on failure, so that
# "is ... || exit 1" can stop a test whose later steps would make no sense.

# --- replies ---------------------------------------------------------------
#
# cgi, fcgi, term and http leave the reply in
#   STATUS      3-digit status code (000 if the reply had no header block)
#   STATUS_LINE e.g. "200 OK"
#   HEADERS     header lines without CR (the Status: line removed)
#   BODY        the body (a trailing newline would be lost: see BODY_BYTES)
#   BODY_BYTES  the body's exact length in bytes
#   RC          the exit status of the program (cgi, term) or of curl (http)
#   RC_WANT     what reply_is expects of RC (0, or empty for term)
#   ERR         its standard error

_reply_split() {	# RAWFILE: CGI/HTTP header block, blank line, body
	_off=$(grep -abm1 "^$CR\$" "$1" | cut -d: -f1) || :
	if [ -z "$_off" ]; then
		STATUS=000 STATUS_LINE= HEADERS=
		BODY=$(cat "$1") BODY_BYTES=$(wc -c <"$1")
		return
	fi
	HEADERS=$(head -c "$_off" "$1" | tr -d '\r')
	tail -c +"$((_off + 3))" "$1" >"$1.body"
	BODY=$(cat "$1.body")
	BODY_BYTES=$(wc -c <"$1.body" | tr -d ' ')
	case $HEADERS in
	HTTP/*)
		STATUS_LINE=$(printf '%s\n' "$HEADERS" | head -n 1 |
		    sed 's|^HTTP/[0-9.]* ||')
		HEADERS=$(printf '%s\n' "$HEADERS" | sed 1d)
		;;
	*)
		STATUS_LINE=$(printf '%s\n' "$HEADERS" |
		    sed -n 's/^[Ss][Tt][Aa][Tt][Uu][Ss]: *//p' | head -n 1)
		HEADERS=$(printf '%s\n' "$HEADERS" | grep -iv '^status:') || :
		# CGI without a Status header means 200
		[ -n "$STATUS_LINE" ] || STATUS_LINE="200 OK"
		;;
	esac
	STATUS=${STATUS_LINE%% *}
}

# header NAME: the value of the first header NAME in HEADERS (any case).
header() {
	printf '%s\n' "$HEADERS" | awk -v n="$1" '
	    { i = index($0, ":") }
	    i && tolower(substr($0, 1, i - 1)) == tolower(n) {
		v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v; exit }'
}

# reply_is STATUS BODY NAME: the exact status and JSON body, with
# Content-Type: application/json and a Content-Length that matches.
reply_is() {
	_ct=$(header Content-Type)
	_cl=$(header Content-Length)
	if [ "$STATUS" = "$1" ] && [ "$BODY" = "$2" ] &&
	    [ "$_ct" = application/json ] &&
	    { [ -z "$_cl" ] || [ "$_cl" = "$BODY_BYTES" ]; } &&
	    { [ -z "$RC_WANT" ] || [ "$RC" = "$RC_WANT" ]; }; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3" || :
		diag "     got: $STATUS '$BODY' (Content-Type '$_ct'," \
		    "Content-Length '$_cl', $BODY_BYTES bytes, exit $RC)" \
		    "    want: $1 '$2' (Content-Type 'application/json')"
		[ -z "${ERR:-}" ] || diag "  stderr: $ERR"
		return 1
	fi
}

# --- the OpenAPI documents ---------------------------------------------------
#
# cgi, fcgi and http append each reply to $OPENAPI_RECORD (set below to a
# file in TEST_TMP; set it empty beforehand to turn recording off, or
# OPENAPI_PAUSE non-empty for replies that are not chatrest's), and
# done_testing checks them all against man/openapi/*.yaml in one extra test:
# tests/ops/openapi.py says which document and operation each belongs to.

[ -z "${TEST_TMP:-}" ] ||
	OPENAPI_RECORD=${OPENAPI_RECORD-$TEST_TMP/openapi.replies}

_openapi_record() {	# EXECUTABLE ("-": find it by path): the reply in $_raw
	[ -n "${OPENAPI_RECORD:-}" ] && [ -z "${OPENAPI_PAUSE:-}" ] ||
	    return 0
	# one append per reply, so that replies from concurrent requests do
	# not interleave
	{
		printf '%s\t%s\t%s\t%s\n' "$1" "$_method" "$_url" \
		    "$(($(wc -c <"$_raw")))"
		cat "$_raw"
	} >"$_raw.rec"
	cat "$_raw.rec" >>"$OPENAPI_RECORD"
}

# openapi_check: the test "every reply matched the OpenAPI document", with
# the replies that did not listed.
openapi_check() {
	[ -n "${OPENAPI_RECORD:-}" ] || return 0
	# OPENAPI_KEEP=DIR: a copy of the replies there, to check again with
	# tests/ops/openapi.py replies after the test has gone
	[ -z "${OPENAPI_KEEP:-}" ] || [ ! -s "$OPENAPI_RECORD" ] ||
		cp "$OPENAPI_RECORD" "$OPENAPI_KEEP/${0##*/}.$$"
	_name='every reply matched the OpenAPI document'
	if [ ! -s "$OPENAPI_RECORD" ]; then
		[ -z "$_tap_planned" ] || skip "$_name" 'no replies'
		return 0
	fi
	if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
		skip "$_name" 'needs python3-jsonschema and python3-yaml'
		return 0
	fi
	python3 "$top_srcdir/tests/ops/openapi.py" replies \
	    "$top_srcdir/man/openapi" "$OPENAPI_RECORD" \
	    >"$TEST_TMP/openapi.out" 2>&1 || :
	if [ -s "$TEST_TMP/openapi.out" ]; then
		_tap_result 1 "$_name" || :
		sed 's/^/#   /' "$TEST_TMP/openapi.out"
	else
		_tap_result 0 "$_name"
	fi
}

# --- running the executables -----------------------------------------------
#
# cgi [options] METHOD PATH[?QUERY] [BODY]
#   Runs $CGI_BIN (default chatrest-register) as a CGI program with a clean
#   environment. PATH is split like a web server mounted at $CGI_MOUNT
#   (default /api/register): SCRIPT_NAME=/api/register, PATH_INFO=/rest.
#   With a BODY, CONTENT_LENGTH is its length and CONTENT_TYPE is
#   application/json unless overridden:
#     -t TYPE     CONTENT_TYPE ("" leaves it unset)
#     -l LEN      CONTENT_LENGTH as given ("" leaves it unset)
#     -f FILE     body from FILE instead of BODY
#     -a VALUE    HTTP_AUTHORIZATION
#     -c FILE     CHATREST_CONFIG (default $CHATREST_CONFIG)
#     -e VAR=VAL  any other variable
# fcgi takes the same arguments and sends the request with cgi-fcgi to the
# FastCGI server listening on $FCGI_SOCK.

CGI_BIN=${CGI_BIN:-$top_builddir/cgi-bin/chatrest-register}
CGI_MOUNT=${CGI_MOUNT:-/api/register}
_req_n=0

_request() {	# RUNNER... -- cgi arguments
	_ct=application/json _cl=- _file= _cfg=$CHATREST_CONFIG
	_runner=$1
	shift
	set -- "$@" ""	# sentinel keeps an empty BODY distinct from none
	_env=
	while :; do
		case $1 in
		-t) _ct=$2; shift 2 ;;
		-l) _cl=$2; shift 2 ;;
		-f) _file=$2; shift 2 ;;
		-a) _env="$_env HTTP_AUTHORIZATION"
		    _v_HTTP_AUTHORIZATION=$2; shift 2 ;;
		-c) _cfg=$2; shift 2 ;;
		-e) _k=${2%%=*}
		    _env="$_env $_k"
		    eval "_v_$_k=\${2#*=}"
		    shift 2 ;;
		*) break ;;
		esac
	done
	_method=$1 _url=$2
	_req_n=$((_req_n + 1))
	_raw=$TEST_TMP/${REQ_PREFIX:-req}.$_req_n
	if [ $# -ge 4 ]; then
		printf '%s' "$3" >"$_raw.in"
		_hasbody=1
	elif [ -n "$_file" ]; then
		cp "$_file" "$_raw.in"
		_hasbody=1
	else
		: >"$_raw.in"
		_hasbody=0
	fi
	_path=${_url%%\?*}
	_query=
	case $_url in *\?*) _query=${_url#*\?} ;; esac
	case $_path in
	"$CGI_MOUNT"|"$CGI_MOUNT"/*)
		_sn=$CGI_MOUNT _pi=${_path#"$CGI_MOUNT"} ;;
	*)
		_sn=$_path _pi= ;;
	esac
	if [ "$_cl" = - ]; then
		if [ "$_hasbody" = 1 ]; then
			_cl=$(wc -c <"$_raw.in" | tr -d ' ')
		else
			_cl=
		fi
	fi
	[ "$_hasbody" = 1 ] || [ "$_ct" != application/json ] || _ct=
	set -- env -i \
	    "CHATREST_CONFIG=$_cfg" \
	    "GATEWAY_INTERFACE=CGI/1.1" \
	    "SERVER_PROTOCOL=HTTP/1.1" \
	    "SERVER_NAME=localhost" \
	    "SERVER_PORT=80" \
	    "REMOTE_ADDR=127.0.0.1" \
	    "REQUEST_METHOD=$_method" \
	    "REQUEST_URI=$_url" \
	    "SCRIPT_NAME=$_sn" \
	    "QUERY_STRING=$_query"
	[ -z "$_pi" ] || set -- "$@" "PATH_INFO=$_pi"
	[ -z "$_ct" ] || set -- "$@" "CONTENT_TYPE=$_ct"
	[ -z "$_cl" ] || set -- "$@" "CONTENT_LENGTH=$_cl"
	for _k in $_env; do
		eval "set -- \"\$@\" \"$_k=\$_v_$_k\""
		unset "_v_$_k"
	done
	# sanitizer builds report through these
	for _k in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
		eval "[ -z \"\${$_k:-}\" ] || set -- \"\$@\" \"$_k=\$$_k\""
	done
	RC=0 RC_WANT=0
	"$@" $_runner <"$_raw.in" >"$_raw" 2>"$_raw.err" || RC=$?
	ERR=$(cat "$_raw.err")
	_reply_split "$_raw"
	_openapi_record "${CGI_BIN##*/}"
}

cgi() {
	_request "$CGI_BIN" "$@"
}

fcgi() {
	_request "cgi-fcgi -bind -connect $FCGI_SOCK" "$@"
}

# term ARGS...: runs $CGI_BIN from a terminal's point of view (arguments,
# no CGI environment; stdin from $TERM_IN or /dev/null) and splits its
# HTTP/1.1 reply, less the newline it prints after the body for the
# terminal's sake. reply_is does not check RC here: the exit status is the
# test's business (0 below 400, 1 from 400, 2 for usage).
term() {
	_req_n=$((_req_n + 1))
	_raw=$TEST_TMP/${REQ_PREFIX:-req}.$_req_n
	RC=0 RC_WANT=
	env -u REQUEST_METHOD -u GATEWAY_INTERFACE "$CGI_BIN" "$@" \
	    >"$_raw" 2>"$_raw.err" <"${TERM_IN:-/dev/null}" || RC=$?
	ERR=$(cat "$_raw.err")
	_reply_split "$_raw"
	# the newline printed after the body for the terminal's sake
	if [ "$STATUS" != 000 ] && [ "$(tail -c 1 "$_raw.body" | od -An -c |
	    tr -d ' ')" = '\n' ]; then
		BODY_BYTES=$((BODY_BYTES - 1))
	fi
}

# http [options] METHOD URL [BODY]: one request with curl.
#   -t TYPE  Content-Type (default application/json when there is a body)
#   -f FILE  body from FILE
#   -a VALUE Authorization header
#   -H 'Name: value'  any other header
http() {
	_req_n=$((_req_n + 1))
	_raw=$TEST_TMP/${REQ_PREFIX:-req}.$_req_n
	_ct=- _file=
	: >"$_raw.in"
	set -- "$@" ""	# sentinel, as in _request
	_hdrs=$_raw.hdrs
	: >"$_hdrs"
	while :; do
		case $1 in
		-t) _ct=$2; shift 2 ;;
		-f) _file=$2; shift 2 ;;
		-a) printf 'Authorization: %s\n' "$2" >>"$_hdrs"; shift 2 ;;
		-H) printf '%s\n' "$2" >>"$_hdrs"; shift 2 ;;
		*) break ;;
		esac
	done
	_method=$1 _url=$2
	_hasbody=0
	if [ $# -ge 4 ]; then
		printf '%s' "$3" >"$_raw.in"
		_hasbody=1
	elif [ -n "$_file" ]; then
		cp "$_file" "$_raw.in"
		_hasbody=1
	fi
	if [ "$_ct" = - ]; then
		[ "$_hasbody" = 1 ] && _ct=application/json || _ct=
	fi
	[ -z "$_ct" ] || printf 'Content-Type: %s\n' "$_ct" >>"$_hdrs"
	# no 100-continue round trip: servers answer the request directly
	echo 'Expect:' >>"$_hdrs"
	set -- curl -sS -g -X "$_method" -H @"$_hdrs" -o "$_raw.body" \
	    -D "$_raw.head" --max-time 20
	[ "$_hasbody" = 0 ] || set -- "$@" --data-binary @"$_raw.in"
	RC=0 RC_WANT=0
	"$@" "$_url" 2>"$_raw.err" || RC=$?
	ERR=$(cat "$_raw.err")
	if [ -s "$_raw.head" ]; then
		{ cat "$_raw.head"; cat "$_raw.body"; } >"$_raw"
	else
		: >"$_raw"
	fi
	_reply_split "$_raw"
	# MongooseIM's backend listener (tests/admin/mongoose-e2e-t.sh) is
	# chatrest-admin's alone; elsewhere the path says whose reply it is
	case $_url in
	*://127.0.0.1:"${MIM_PORT:-0}"/*) _exe=chatrest-admin ;;
	*) _exe=- ;;
	esac
	[ "$RC" != 0 ] || _openapi_record "$_exe"
}

# app_pids: live processes of $CGI_BIN started by this test. cgi-fcgi
# -start does not say which PIDs it started; they inherit our TEST_TMP.
app_pids() {
	_exe=$(readlink -f "$CGI_BIN")
	for _p in /proc/[0-9]*; do
		# a zombie has no exe link
		[ "$(readlink "$_p/exe" 2>/dev/null)" = "$_exe" ] || continue
		tr '\0' '\n' <"$_p/environ" 2>/dev/null |
		    grep -qxF "TEST_TMP=$TEST_TMP" || continue
		echo "${_p#/proc/}"
	done
}

# stop_apps: TERM, then KILL, the processes app_pids finds.
stop_apps() {
	_pids=$(app_pids)
	[ -n "$_pids" ] || return 0
	kill -TERM $_pids 2>/dev/null || :
	sleep 1
	kill -KILL $(app_pids) 2>/dev/null || :
}

# free_port: a TCP port on 127.0.0.1 nothing listens on right now.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
		return
	fi
	while :; do
		_p=$(( $(od -An -tu2 -N2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
		# curl exit 7: connection refused, so nothing listens there
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$_p/"
		[ $? != 7 ] || { echo "$_p"; return; }
	done
}

# reg_body NAME=VALUE...: a registration API body of string fields, with
# "key":$K (default $REGISTER_KEY) first.
reg_body() {
	_j="{\"key\":\"${K:-$REGISTER_KEY}\""
	for _a; do
		_j="$_j,\"${_a%%=*}\":\"${_a#*=}\""
	done
	printf '%s}' "$_j"
}

# no_secrets FILE...: neither key nor any word of $SECRETS (passwords,
# credentials the test used) appears in the logs FILE...
no_secrets() {
	_pat=$TEST_TMP/secrets
	printf '%s\n' "$REGISTER_KEY" "$ADMIN_KEY" ${SECRETS:-} >"$_pat"
	ok 'the logs show no key, password or credentials' \
	    sh -c '! grep -qFf "$0" -- "$@"' "$_pat" "$@"
}

# --- the database ----------------------------------------------------------

psql_q() {	# SQL: one value, unaligned
	psql -XAtq -v ON_ERROR_STOP=1 -c "$1"
}

# users_digest: changes whenever any row of users or threepids does.
users_digest() {
	psql_q "select md5(coalesce((select string_agg(u::text, ',' order by id)
	    from users u), '') || coalesce((select string_agg(t::text, ','
	    order by medium, address) from threepids t), ''))"
}
