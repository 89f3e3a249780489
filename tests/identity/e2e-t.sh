#!/bin/sh
# chatrest-identity end to end through the shipped web server snippets:
# lighttpd (mod_fastcgi), Apache with mod_fcgid and Apache as plain CGI.
# Reference vectors under both path families, a 10,000-entry bulk lookup
# (2 MiB body limit), and the loopback-only default: a request arriving on
# a non-loopback address is refused.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

command -v curl >/dev/null 2>&1 || skip_all 'curl not installed'
mods=/usr/lib/apache2/modules
apache=$(command -v apache2 || command -v httpd || :)

PW='s3cr\u0026t\u003d\u003cx\u003e\u0027'
CGI_BIN=$top_builddir/cgi-bin/chatrest-register CGI_MOUNT=/api/register \
    cgi POST /api/register/register \
    "{\"key\":\"$REGISTER_KEY\",\"username\":\"john.doe\",\"host\":\"example.org\",\"password\":\"$PW\",\"email\":\"john.doe@example.org\"}"
[ "$STATUS" = 200 ] || bail_out "fixture registration failed: $STATUS $BODY"
psql_q "update users set display_name = 'John Doe' where localpart = 'john.doe';
insert into user_roles (user_id, role)
    select id, 'DomainUsers' from users where localpart = 'john.doe';
insert into users (localpart, host, password_hash)
    select 'bulk' || i, 'example.org', 'x' from generate_series(0, 4999) i;
insert into threepids (medium, address, user_id)
    select 'email', localpart || '@bulk.example', id from users
    where localpart like 'bulk%'" >/dev/null
printf '[identity]\nfail_delay = 0\n' >>"$CHATREST_CONFIG"
awk 'BEGIN { printf "{\"lookup\":["
	for (i = 0; i < 10000; i++)
		printf "%s{\"medium\":\"email\",\"address\":\"bulk%d@bulk.example\"}",
		    (i ? "," : ""), i
	printf "]}" }' >"$TEST_TMP/bulk.json"

# A non-loopback address of this machine, to be refused from.
remote_ip=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 '^[0-9.]*$' || :)

# vectors NAME BASEURL: the reference vectors through one server.
vectors() {
	for fam in /_mxisd/backend/api/v1 /_ma1sd/backend/api/v1; do
		u=$2$fam
		http -t 'application/json; charset=UTF-8' POST "$u/auth/login" \
		    "{\"auth\":{\"mxid\":\"@john.doe:example.org\",\"localpart\":\"john.doe\",\"domain\":\"example.org\",\"password\":\"$PW\"}}"
		reply_is 200 '{"auth":{"success":true,"id":{"type":"localpart","value":"john.doe"},"profile":{"display_name":"John Doe","three_pids":[{"medium":"email","address":"john.doe@example.org"}]}}}' \
		    "$1: auth ok $fam"
		http POST "$u/auth/login" '{"auth":{"mxid":"@john.doe:example.org","localpart":"john.doe","domain":"example.org","password":"nope"}}'
		reply_is 200 '{"auth":{"success":false}}' "$1: wrong password $fam"
		http POST "$u/identity/single" '{"lookup":{"medium":"email","address":"John.Doe@Example.org"}}'
		reply_is 200 '{"lookup":{"medium":"email","address":"John.Doe@Example.org","id":{"type":"localpart","value":"john.doe"}}}' \
		    "$1: single $fam"
		http POST "$u/identity/lookup/bulk" '{"lookup":[{"medium":"email","address":"nobody@example.org"}]}'
		reply_is 200 '{"lookup":[]}' "$1: bulk none $fam"
		http POST "$u/directory/user/search" '{"by":"name","search_term":"doe"}'
		reply_is 200 '{"limited":false,"results":[{"display_name":"John Doe","user_id":"john.doe"}]}' \
		    "$1: directory $fam"
		http POST "$u/profile/roles" '{"localpart":"john.doe","domain":"example.org","mxid":"@john.doe:example.org"}'
		reply_is 200 '{"profile":{"roles":["DomainUsers"]}}' \
		    "$1: roles $fam"
		http -f "$TEST_TMP/bulk.json" POST "$u/identity/bulk"
		is "$STATUS $(printf '%s' "$BODY" | grep -o '"id":' | wc -l |
		    tr -d ' ')" '200 5000' "$1: bulk of 10,000 $fam"
	done
	http POST "$2/_mxisd/identity/api/v1/lookup/single" '{"lookup":{"medium":"email","address":"john.doe@example.org"}}'
	reply_is 200 '{"lookup":{"medium":"email","address":"john.doe@example.org","id":{"type":"localpart","value":"john.doe"}}}' \
	    "$1: oldest single path"
	http POST "$2/_matrix-internal/identity/v1/check_credentials" \
	    "{\"user\": {\"id\": \"@john.doe:example.org\", \"password\": \"$PW\"}}"
	reply_is 200 '{"auth":{"success":true,"id":{"type":"localpart","value":"john.doe"},"profile":{"display_name":"John Doe","three_pids":[{"medium":"email","address":"john.doe@example.org"}]}}}' \
	    "$1: Synapse's check_credentials"
	http GET "$2/_mxisd/backend/api/v1/identity/single"
	reply_is 405 '{}' "$1: GET is 405"
	if [ -n "$remote_ip" ]; then
		http POST "http://$remote_ip:${2##*:}/_mxisd/backend/api/v1/identity/single" \
		    '{"lookup":{"medium":"email","address":"john.doe@example.org"}}'
		ok "$1: refused from $remote_ip ($STATUS)" \
		    sh -c '[ "$1" = 403 ] || [ "$1" = 404 ]' _ "$STATUS"
		ok "$1: nothing answered to $remote_ip" \
		    eval '! printf "%s" "$BODY" | grep -q john'
		http POST "http://$remote_ip:${2##*:}/_matrix-internal/identity/v1/check_credentials" \
		    "{\"user\": {\"id\": \"@john.doe:example.org\", \"password\": \"$PW\"}}"
		ok "$1: check_credentials refused from $remote_ip ($STATUS)" \
		    sh -c '[ "$1" = 403 ] || [ "$1" = 404 ]' _ "$STATUS"
	else
		skip "$1: refused from a non-loopback address" 'none here'
		skip "$1: nothing answered" 'none here'
		skip "$1: check_credentials refused" 'none here'
	fi
}

wait_port() {
	_i=0
	while ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; do
		_i=$((_i + 1))
		[ $_i -lt 50 ] || return 1
		sleep 0.1
	done
}

# --- lighttpd ------------------------------------------------------------------
if command -v lighttpd >/dev/null 2>&1; then
	port=$(free_port)
	mkdir -p "$TEST_TMP/lt/www"
	cat >"$TEST_TMP/lt/lighttpd.conf" <<LT
server.document-root = "$TEST_TMP/lt/www"
server.bind = "0.0.0.0"
server.port = $port
server.errorlog = "$TEST_TMP/lt/error.log"
var.chatrest_rundir = "$TEST_TMP/lt"
include "$top_builddir/tests/conf/lighttpd.conf"
LT
	lighttpd -D -f "$TEST_TMP/lt/lighttpd.conf" >"$TEST_TMP/lt/out" 2>&1 &
	ltpid=$!
	if wait_port "$port"; then
		vectors lighttpd "http://127.0.0.1:$port"
	else
		bail_out "lighttpd did not start: $(cat "$TEST_TMP/lt/out" "$TEST_TMP/lt/error.log" 2>/dev/null)"
	fi
	kill "$ltpid" 2>/dev/null || :
	wait "$ltpid" 2>/dev/null || :
else
	skip 'lighttpd' 'not installed'
fi

# --- Apache (mod_fcgid, then plain CGI) -------------------------------------------
apache_run() {	# NAME SNIPPET MODULE-LINES...
	_name=$1 _snip=$2
	shift 2
	_d=$TEST_TMP/$_name
	mkdir -p "$_d/www" "$_d/fcgid"
	port=$(free_port)
	{
		echo "ServerName localhost"
		echo "Listen 0.0.0.0:$port"
		echo "PidFile $_d/httpd.pid"
		echo "ErrorLog $_d/error.log"
		echo "LogLevel warn"
		echo "DefaultRuntimeDir $_d"
		echo "DocumentRoot $_d/www"
		echo "LoadModule mpm_event_module $mods/mod_mpm_event.so"
		echo "LoadModule authz_core_module $mods/mod_authz_core.so"
		echo "LoadModule authz_host_module $mods/mod_authz_host.so"
		echo "LoadModule alias_module $mods/mod_alias.so"
		for _l; do echo "$_l"; done
		if [ "$(id -u)" = 0 ]; then
			chown -R www-data "$_d"
			echo "User www-data"
			echo "Group www-data"
		fi
		# the snippet, or a copy serving copies of the executables
		# where www-data cannot reach the build tree
		e2e_setup "${_snip%.conf}" >&2
		echo "Include $SNIPPET"
	} >"$_d/httpd.conf"
	"$apache" -f "$_d/httpd.conf" -k start >"$_d/out" 2>&1
	if wait_port "$port"; then
		vectors "$_name" "http://127.0.0.1:$port"
	else
		bail_out "$_name did not start: $(cat "$_d/out" "$_d/error.log" 2>/dev/null)"
	fi
	"$apache" -f "$_d/httpd.conf" -k stop >/dev/null 2>&1 || :
	_i=0
	while [ -f "$_d/httpd.pid" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

if [ -n "$apache" ] && [ -f "$mods/mod_fcgid.so" ]; then
	apache_run apache-fcgid apache-fcgid.conf \
	    "LoadModule fcgid_module $mods/mod_fcgid.so" \
	    "FcgidIPCDir $TEST_TMP/apache-fcgid/fcgid" \
	    "FcgidProcessTableFile $TEST_TMP/apache-fcgid/fcgid/shm" \
	    "FcgidInitialEnv CHATREST_CONFIG $CHATREST_CONFIG"
else
	skip 'apache-fcgid' 'apache2 or mod_fcgid not installed'
fi
if [ -n "$apache" ] && [ -f "$mods/mod_cgid.so" ]; then
	apache_run apache-cgi apache-cgi.conf \
	    "LoadModule cgid_module $mods/mod_cgid.so" \
	    "LoadModule env_module $mods/mod_env.so" \
	    "ScriptSock $TEST_TMP/apache-cgi/cgid.sock" \
	    "SetEnv CHATREST_CONFIG $CHATREST_CONFIG"
else
	skip 'apache-cgi' 'apache2 or mod_cgid not installed'
fi

done_testing
