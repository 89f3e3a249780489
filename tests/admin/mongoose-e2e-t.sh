#!/bin/sh
# MongooseIM's backend API end to end: chatrest-admin on the loopback
# listener of the shipped lighttpd-mongoose.conf and apache-mongoose.conf
# (under lighttpd's mod_fastcgi, Apache's mod_fcgid and plain CGI), the
# /api/mongoose prefix mount of the main snippets, and the curl examples
# of chatrest-admin(8), run as they are written.
. "$top_srcdir/tests/lib.sh"
[ -f "$top_srcdir/tests/e2e/common.sh" ] ||
	skip_all "the e2e helpers (tests/e2e/common.sh) are not here"
. "$top_srcdir/tests/e2e/common.sh"

CGI_BIN=$top_builddir/cgi-bin/chatrest-admin
K=$ADMIN_KEY
PW=s3cret
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
apache2=$(command -v apache2 || echo /usr/sbin/apache2)

basic() {
	printf 'Basic %s' "$(printf '%s' "$1" | base64 | tr -d '\n')"
}
ADM=$(basic "admin@localhost:$PW")

"$CGI_BIN" register admin localhost "$PW" >/dev/null ||
	bail_out "could not register the administrator"

# mim_setup NAME: e2e_setup, and the listener snippet beside the main one.
mim_setup() {
	e2e_setup "$1"
	case $1 in lighttpd) _m=lighttpd-mongoose ;; *) _m=apache-mongoose ;; esac
	MIM_SNIPPET=$top_builddir/tests/conf/$_m.conf
	[ -f "$MIM_SNIPPET" ] || bail_out "$MIM_SNIPPET is missing"
	if [ "$SNIPPET" != "$GENERATED" ]; then
		sed "s|$top_builddir/cgi-bin|$TEST_TMP/bin|g" "$MIM_SNIPPET" \
		    >"$TEST_TMP/$_m.copies.conf"
		MIM_SNIPPET=$TEST_TMP/$_m.copies.conf
	fi
	MIM_PORT=$(free_port)
	export MIM_SNIPPET MIM_PORT
}

# mim_is STATUS BODY NAME: exact status and body, JSON type on a body.
mim_is() {
	_ct=$(header Content-Type)
	if [ -n "$2" ]; then _want_ct=application/json; else _want_ct=; fi
	if [ "$STATUS" = "$1" ] && [ "$BODY" = "$2" ] && [ "$_ct" = "$_want_ct" ]
	then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3" || :
		diag "     got: $STATUS '$BODY' (Content-Type '$_ct')" \
		    "    want: $1 '$2'"
		return 1
	fi
}

# mim_flow TAG: the API on its listener, and the prefix mount.
mim_flow() {
	M=http://127.0.0.1:$MIM_PORT/api
	u=u$1
	http GET "$M/commands"
	mim_is 401 '' "$1: no credentials: 401"
	is "$(header WWW-Authenticate)" 'Basic realm="mongooseim"' \
	    "$1: WWW-Authenticate"
	http -a "$ADM" GET "$M/commands"
	like "$STATUS $BODY" '^200 \[\{"name":"list_methods","desc":"List commands","category":"commands","action":"read"\},' \
	    "$1: commands_are_listed, Authorization passed on"
	http -a "Bearer $K" GET "$M/isitthereornot"
	mim_is 404 '' "$1: non_existent_command_returns404"
	http -a "Bearer $K" POST "$M/users/localhost" "{\"username\":\"$u\",\"password\":\"pw-$u\"}"
	mim_is 201 "User $u@localhost successfully registered" "$1: register_user: 201"
	is "$(header Location)" "$M/users/localhost/User $u@localhost successfully registered" \
	    "$1: Location from the Host the client used"
	http -a "Bearer $K" POST "$M/users/localhost" "{\"username\":\"$u\",\"password\":\"x\"}"
	mim_is 500 "User $u@localhost already registered" "$1: again: 500"
	http -a "Bearer $K" POST "$M/messages" \
	    "{\"caller\":\"$u@localhost\",\"to\":\"admin@localhost\",\"body\":\"hi from $1\"}"
	mim_is 204 '' "$1: /api/messages on this listener is the backend API's"
	http -a "$ADM" GET "$M/messages/admin@localhost/$u@localhost?limit=1"
	like "$STATUS $BODY" "^200 \[\{\"timestamp\":[0-9]+,\"sender\":\"$u@localhost\",\"message_id\":\"[0-9a-f-]{36}\",\"body\":\"hi from $1\"\}\]\$" \
	    "$1: the archive, with a query string"
	http -a "Bearer $K" PUT "$M/contacts/$u@localhost/admin@localhost/manage" '{"action":"connect"}'
	mim_is 204 '' "$1: PUT manage connect: 204"
	http -a "Bearer $K" GET "$M/contacts/$u@localhost"
	mim_is 200 '[{"subscription":"both","jid":"admin@localhost","ask":"none"}]' \
	    "$1: list_contacts"
	http -a "Bearer $K" POST "$M/muc-lights/localhost" \
	    "{\"name\":\"room-$1\",\"owner\":\"$u@localhost\",\"subject\":\"s\"}"
	like "$STATUS $BODY" '^201 [0-9a-f]{20}@muclight\.localhost$' "$1: a MUC Light room: 201"
	http -a "Bearer $K" DELETE "$M/muc-lights/muclight.localhost/room-$1/admin@localhost/management"
	mim_is 500 'room_not_found' "$1: delete by someone not in it: 500"
	http -a "Bearer $K" DELETE "$M/muc-lights/muclight.localhost/room-$1/$u@localhost/management"
	mim_is 204 '' "$1: delete_room_by_owner: 204"
	http -a "Bearer $K" HEAD "$M/users/localhost"
	is "$STATUS $(header Allow)" '405 GET, POST, PUT, DELETE, OPTIONS' "$1: HEAD: 405 with Allow"
	printf '{"username":"big","password":"%71680s"}' '' >"$TEST_TMP/big.json"
	http -a "Bearer $K" -f "$TEST_TMP/big.json" POST "$M/users/localhost"
	is "$STATUS/$BODY" '413/' "$1: a body over 64 KiB: 413, empty as upstream's errors"
	http -a "Bearer $K" -f "$TEST_TMP/big.json" POST "$BASE/api/mongoose/users/localhost"
	is "$STATUS/$BODY" '413/' "$1: ... under the prefix mount too"
	http -a "$ADM" GET "$BASE/api/mongoose/users/localhost"
	mim_is 200 "[\"admin@localhost\",\"$u@localhost\"]" \
	    "$1: the /api/mongoose prefix mount on the main listener"
	http -a "$ADM" GET "$BASE/api/users/localhost"
	is "$STATUS" 404 "$1: the main listener's /api/users is not the backend API"
	http -a "Bearer $K" DELETE "$M/users/localhost/$u"
	mim_is 204 '' "$1: unregister_user: 204"
	http -a "$ADM" GET "$M/users/localhost"
	mim_is 200 '["admin@localhost"]' "$1: the list lacks it"
	SECRETS="$PW pw-$u $ADM" no_secrets "$E2E_LOG" "$TEST_TMP/server.out"
}

# man_examples: chatrest-admin(8)'s MongooseIM examples, against this server.
man_examples() {
	awk '/^\.\\" mongoose-examples begin/ { on = 1; next }
	    /^\.\\" mongoose-examples end/ { on = 0 }
	    on && !/^\./' "$top_srcdir/man/chatrest-admin.8" |
	    sed -e 's/\\e$/\\/' -e 's/\\en/\\n/g' -e 's/\\(dq/"/g' \
	    >"$TEST_TMP/examples"
	# the accounts the page's first examples made before these
	"$CGI_BIN" register bob localhost pw >/dev/null
	n=0
	: >"$TEST_TMP/cmd"
	: >"$TEST_TMP/want"
	run_one() {
		[ -s "$TEST_TMP/cmd" ] || return 0
		n=$((n + 1))
		got=$(MB=http://127.0.0.1:$MIM_PORT B=$BASE ADMIN_KEY=$K \
		    sh "$TEST_TMP/cmd" 2>&1)
		is "$got" "$(cat "$TEST_TMP/want")" "chatrest-admin(8) MongooseIM example $n"
		: >"$TEST_TMP/cmd"
		: >"$TEST_TMP/want"
	}
	cont=0
	while IFS= read -r line; do
		case $line in
		'$ '*)
			run_one
			printf '%s\n' "${line#\$ }" >>"$TEST_TMP/cmd"
			case $line in *\\|*'|') cont=1 ;; *) cont=0 ;; esac ;;
		*)
			if [ $cont = 1 ]; then
				printf '%s\n' "$line" >>"$TEST_TMP/cmd"
				case $line in *\\|*'|') ;; *) cont=0 ;; esac
			else
				printf '%s\n' "$line" >>"$TEST_TMP/want"
			fi ;;
		esac
	done <"$TEST_TMP/examples"
	run_one
	"$CGI_BIN" unregister bob localhost >/dev/null
	ok 'the manual has MongooseIM examples' [ $n -ge 5 ]
}

if [ -x "$lighttpd" ]; then
	mim_setup lighttpd
	E2E_LOG=$TEST_TMP/server.out
	e2e_start "$lighttpd" -D -f "$top_srcdir/tests/admin/mongoose-lighttpd.conf"
	mim_flow lighttpd
	man_examples
	e2e_stop
else
	skip 'lighttpd' 'lighttpd is not installed'
fi

if [ -x "$apache2" ] && [ -f /usr/lib/apache2/modules/mod_fcgid.so ]; then
	mim_setup apache-fcgid
	e2e_start "$apache2" -DFOREGROUND -f \
	    "$top_srcdir/tests/admin/mongoose-apache-fcgid.conf"
	mim_flow fcgid
	e2e_stop
else
	skip 'apache mod_fcgid' 'apache2 or mod_fcgid is not installed'
fi

if [ -x "$apache2" ]; then
	mim_setup apache-cgi
	e2e_start "$apache2" -DFOREGROUND -f \
	    "$top_srcdir/tests/admin/mongoose-apache-cgi.conf"
	mim_flow cgi
	e2e_stop
else
	skip 'apache CGI' 'apache2 is not installed'
fi

done_testing
