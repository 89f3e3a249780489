#!/bin/sh
# chatrest-admin as MongooseIM's REST API for backend services: the cases
# of upstream's rest_SUITE, muc_light_http_api_SUITE and muc_http_api_SUITE
# that need no XMPP client, the generic dispatch cases of its
# commands_backend_SUITE, refusals that change nothing, allowed_commands,
# one command through all four encodings, and GET /api/commands against
# the command table.  Requests are CGI, mounted under /api as on the
# loopback listener.
. "$top_srcdir/tests/lib.sh"

CGI_BIN=$top_builddir/cgi-bin/chatrest-admin
CGI_MOUNT=/api
K=$ADMIN_KEY
ME=$(id -un)
MUCL=muclight.localhost

# m [cgi options] METHOD PATH [BODY]: by the admin key.
m() {
	cgi -a "Bearer $K" "$@"
}

basic() {
	printf 'Basic %s' "$(printf '%s' "$1" | base64 | tr -d '\n')"
}

# mim_is STATUS BODY NAME: exact status and body; a body is
# application/json (as upstream sends even its texts), none has no type.
mim_is() {
	_ct=$(header Content-Type)
	if [ -n "$2" ]; then _want_ct=application/json; else _want_ct=; fi
	if [ "$STATUS" = "$1" ] && [ "$BODY" = "$2" ] && [ "$RC" = 0 ] &&
	    [ "$_ct" = "$_want_ct" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3" || :
		diag "     got: $STATUS '$BODY' (Content-Type '$_ct', exit $RC)" \
		    "    want: $1 '$2'"
		[ -z "${ERR:-}" ] || diag "  stderr: $ERR"
		return 1
	fi
}

sh_() {
	RC=0
	"$CGI_BIN" "$@" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err" || RC=$?
	OUT=$(cat "$TEST_TMP/sh.out")
	ERR=$(cat "$TEST_TMP/sh.err")
}

# every row a command can change
state() {
	psql_q "select md5(concat_ws('|',
	    (select string_agg(t::text, ',' order by id) from users t),
	    (select string_agg(t::text, ',' order by id) from rooms t),
	    (select string_agg(t::text, ',' order by room_id, user_id) from room_members t),
	    (select string_agg(t::text, ',' order by seq) from room_archive t),
	    (select string_agg(t::text, ',' order by seq) from chat_archive t),
	    (select string_agg(t::text, ',' order by user_id, seq) from roster t)))"
}

# served NAME: is the admin command NAME in this build's table?
served() {
	"$CGI_BIN" help 2>/dev/null | awk '{ print $1 }' | grep -qx -- "$1"
}

for u in admin alice bob kate; do
	sh_ register $u localhost pw-$u
	[ "$RC" = 0 ] || bail_out "cannot register $u"
done

# --- authentication ------------------------------------------------------------
cgi GET /api/commands
mim_is 401 '' 'no credentials: 401, empty'
is "$(header WWW-Authenticate)" 'Basic realm="mongooseim"' \
    '401: WWW-Authenticate as upstream'
cgi -a "$(basic admin@localhost:pw-admin)" GET /api/commands
is "$STATUS" 200 'auth_passes_correct_creds: Basic of an administrator'
cgi -a "$(basic admin@localhost:wrong)" GET /api/commands
mim_is 401 '' 'auth_fails_incorrect_creds: 401'
cgi -a "$(basic alice@localhost:pw-alice)" GET /api/commands
mim_is 401 '' 'an account that is no administrator: 401'
cgi -a "Bearer nope" GET /api/commands
mim_is 401 '' 'a wrong key: 401'
m GET /api/commands
is "$STATUS" 200 'the admin key as a Bearer token: 200'
sed -e '/^key = /d' -e '/^admins = /d' "$CHATREST_CONFIG" >"$TEST_TMP/open.conf"
cgi -c "$TEST_TMP/open.conf" GET /api/commands
mim_is 503 '' 'neither key nor admins configured: 503, never open'
cgi -c "$TEST_TMP/open.conf" -a "$(basic ola:mapsa)" GET /api/commands
mim_is 503 '' 'auth_always_passes_blank_creds does not hold: still 503'

# --- generic dispatch (commands_backend_SUITE, cowboy_rest) ------------------------
m GET /api/isitthereornot
mim_is 404 '' 'non_existent_command_returns404'
m GET /api/users/localhost/alice/extra
mim_is 404 '' 'get_wrong_arg_number: 404'
m HEAD /api/users/localhost
mim_is 405 '' 'HEAD: 405'
is "$(header Allow)" 'GET, POST, PUT, DELETE, OPTIONS' \
    '405: Allow lists the category'"'"'s methods'
m PATCH /api/users/localhost '{}'
mim_is 405 '' 'PATCH: 405'
m BREW /api/users/localhost
is "$STATUS" 501 'an unknown method: 501'
m GET /api/muc-lights/localhost
mim_is 405 '' 'no read command in muc-lights: 405'
is "$(header Allow)" 'POST, PUT, DELETE, OPTIONS' '... Allow without GET'
m OPTIONS /api/users/localhost
mim_is 200 '' 'OPTIONS: 200, empty'
is "$(header Access-Control-Allow-Methods)/$(header Access-Control-Allow-Origin)/$(header Access-Control-Allow-Headers)" \
    'GET, OPTIONS, PUT, POST, DELETE/*/Content-Type' 'OPTIONS: the three CORS headers'
cgi OPTIONS /api/users/localhost
mim_is 401 '' 'OPTIONS needs the credentials too'
m -e HTTP_ACCEPT=text/html GET /api/users/localhost
mim_is 406 '' 'Accept without application/json: 406'
m -e 'HTTP_ACCEPT=text/html, application/json;q=0.9' GET /api/users/localhost
is "$STATUS" 200 'Accept with application/json: 200'

d=$(state)
m -t text/plain POST /api/users/localhost '{"username":"x","password":"y"}'
mim_is 415 '' 'POST without application/json: 415'
m POST /api/users/localhost '{"username":"x","password":"y","z":"1"}'
mim_is 404 'Bad parameters length.' 'post_wrong_arg_number: 404 Bad parameters length.'
m POST /api/users/localhost '{"usernam":"x","password":"y"}'
mim_is 400 'The request body is malformed.' 'post_wrong_arg_name (unknown key)'
m POST /api/users/localhost '{"name":"x","password":"y"}'
mim_is 400 '' 'a key of another command, count matching: 400, empty'
m POST /api/users/localhost '{"username":10,"password":"y"}'
mim_is 400 '' 'post_wrong_arg_type: 400'
m POST /api/users/localhost '["x","y"]'
mim_is 400 'The request body is malformed.' 'a body that is no object: 400 (upstream: 500)'
m POST /api/users/localhost 'not json'
mim_is 400 'The request body is malformed.' 'a body that is no JSON: 400 (upstream: 500)'
m GET '/api/messages/alice@localhost?limit=abc'
mim_is 400 '' 'get_wrong_arg_type: a query integer that is no number'
m GET '/api/messages/alice@localhost?limit=1.5'
mim_is 400 '' '... 1.5 is no integer either'
m DELETE /api/contacts/alice@localhost/bob@localhost/multiple
mim_is 400 '' 'DELETE .../multiple: 400, as upstream (a list is never a path)'
is "$(state)" "$d" 'refused requests change nothing'

# --- users (rest_SUITE:user_can_be_registered_and_removed) -------------------------
m GET /api/users/localhost
mim_is 200 '["admin@localhost","alice@localhost","bob@localhost","kate@localhost"]' \
    'list_users: bare JIDs, sorted'
m GET /api/users/nowhere.example
mim_is 200 '[]' 'list_users of a host not served: []'
m -e HTTP_HOST=localhost:8088 POST /api/users/localhost '{"username":"Mike","password":"nicniema"}'
mim_is 201 'User mike@localhost successfully registered' 'register_user: 201, the text (normalised)'
is "$(header Location)" 'http://localhost:8088/api/users/localhost/User mike@localhost successfully registered' \
    'register_user: Location is the URI, /, the text'
m GET /api/users/localhost
like "$BODY" '"mike@localhost"' 'list_users: the new user, normalised'
d=$(state)
m POST /api/users/localhost '{"username":"mike","password":"other"}'
mim_is 500 'User mike@localhost already registered' \
    'register_user again: 500 as upstream, a readable text'
m POST /api/users/localhost '{"username":"nopw","password":""}'
mim_is 500 "Can't register user nopw@localhost: empty_password" 'empty password: 500'
m POST /api/users/localhost '{"username":"a b","password":"x"}'
like "$STATUS $BODY" "^500 Can't register user" 'an invalid username: 500'
m POST /api/users/nowhere.example '{"username":"x","password":"x"}'
mim_is 500 'Unknown virtual host' 'a host not served: 500'
is "$(state)" "$d" 'failed registrations change nothing'
m -e HTTP_HOST=127.0.0.1:8088 POST /api/users '{"host":"localhost","username":"nina","password":"x"}'
mim_is 201 'User nina@localhost successfully registered' 'POST /api/users with the host in the body'
is "$(header Location)" 'http://127.0.0.1:8088/api/users/User nina@localhost successfully registered' \
    '... Location under /api/users'
m DELETE /api/users/localhost/nina
mim_is 204 '' 'unregister_user: 204'
m DELETE /api/users/localhost/mike
mim_is 204 '' 'unregister_user mike: 204'
m DELETE /api/users/localhost/mike
mim_is 204 '' 'unregister_user of nobody: still 204'
m GET /api/users/localhost
mim_is 200 '["admin@localhost","alice@localhost","bob@localhost","kate@localhost"]' \
    'the list lacks mike'

# --- passwords (rest_SUITE:password_can_be_changed) ----------------------------------
m PUT /api/users/localhost/bob '{"newpass":"niemakrolika"}'
mim_is 204 '' 'change_password: 204'
sh_ check_password bob localhost niemakrolika
is "$RC" 0 'the new password logs in'
sh_ check_password bob localhost pw-bob
is "$RC" 1 'the old one does not'
m PUT /api/users/localhost/bob '{"newpass":"pw-bob"}'
mim_is 204 '' 'changed back: 204'
d=$(state)
m PUT /api/users/localhost/ghost '{"newpass":"x"}'
mim_is 404 'unknown_user' 'a missing user: 404, no account made (upstream creates it)'
m PUT /api/users/localhost/bob '{"newpass":""}'
mim_is 400 'invalid_password' 'an empty password: 400 (upstream: 204, nothing changes)'
m PUT /api/users/localhost/bob '{"password":"x"}'
mim_is 400 '' 'the swagger'"'"'s "password" key: 400, empty'
is "$(state)" "$d" 'refused changes change nothing'

# --- messages (rest_SUITE:messages_are_sent_and_received, _archived) ---------------
t0=$(date +%s)
m POST /api/messages '{"caller":"bob@localhost","to":"alice@localhost","body":"hello from Bob"}'
mim_is 204 '' 'send_message bob to alice: 204'
m POST /api/messages '{"caller":"alice@localhost","to":"bob@localhost","body":"hello from Alice"}'
mim_is 204 '' 'send_message alice to bob: 204'
norm() {
	printf '%s' "$BODY" | sed -E -e 's/"timestamp":[0-9]{10}/"timestamp":T/g' \
	    -e 's/"message_id":"[0-9a-f-]{36}"/"message_id":ID/g'
}
ARCH='[{"timestamp":T,"sender":"bob@localhost","message_id":ID,"body":"hello from Bob"},{"timestamp":T,"sender":"alice@localhost","message_id":ID,"body":"hello from Alice"}]'
m GET '/api/messages/alice@localhost/bob@localhost?limit=10'
is "$STATUS $(norm)" "200 $ARCH" 'messages_are_archived: with bob, limit=10'
m GET '/api/messages/alice@localhost/bob@localhost'
is "$STATUS $(norm)" "200 $ARCH" '... without limit'
m GET '/api/messages/alice@localhost'
is "$STATUS $(norm)" "200 $ARCH" '... with everybody'
t1=$(date +%s)
ts=$(printf '%s' "$BODY" | sed -E 's/^\[\{"timestamp":([0-9]+),.*/\1/')
ok 'timestamps are seconds (rounded)' test "$ts" -ge "$t0" -a "$ts" -le $((t1 + 1))
m GET '/api/messages/nobody@localhost'
mim_is 200 '[]' 'the archive of nobody: []'
d=$(state)
m GET '/api/messages/alice@localhost?limit=501'
mim_is 400 'limit must be between 0 and 500' 'limit over 500: 400 (upstream: 500)'
m POST /api/messages '{"caller":"ghost@localhost","to":"alice@localhost","body":"x"}'
mim_is 500 'unknown_user' 'a caller who is no user here: 500, nothing archived'
m POST /api/messages '{"caller":"bob@localhost","to":"alice@localhost"}'
mim_is 404 'Bad parameters length.' 'send_message without a body: 404'
is "$(state)" "$d" 'refused sends change nothing'

# rest_SUITE:messages_can_be_paginated: A, A / B, B / C, C at 10:00 three,
# two and one days ago, one each way.
psql_q "delete from chat_archive" >/dev/null
day0=$(date -u -d 'today 00:00' +%s)
for n in 3 2 1; do
	case $n in 3) b=A ;; 2) b=B ;; *) b=C ;; esac
	ts=$(( (day0 - n * 86400 + 36000) * 1000000 ))
	for who in alice bob; do
		psql_q "insert into chat_archive (owner_id, ts, mid, from_host,
		    from_local, to_host, to_local, peer_host, peer_local, body)
		    select u.id, $ts + $n, gen_random_uuid(), 'localhost', '$who',
		    'localhost', o.localpart, 'localhost',
		    case when u.localpart = 'alice' then 'bob' else 'alice' end,
		    '$b' from users u, users o where u.localpart in ('alice', 'bob')
		    and o.localpart = case '$who' when 'alice' then 'bob' else 'alice' end
		    and u.host = 'localhost' and o.host = 'localhost'" >/dev/null
	done
done
bodies() {
	printf '%s' "$BODY" | grep -o '"body":"[A-Z]"' | cut -d'"' -f4 | tr -d '\n'
}
m GET '/api/messages/alice@localhost/bob@localhost?limit=10'
is "$STATUS $(bodies)" '200 AABBCC' 'messages_can_be_paginated: limit=10: 6'
m GET '/api/messages/alice@localhost/bob@localhost?limit=3'
is "$STATUS $(bodies)" '200 BCC' 'limit=3: the newest 3, oldest first'
before=$((day0 - 86400 + 1))
m GET "/api/messages/alice@localhost/bob@localhost?before=$before&limit=10"
is "$STATUS $(bodies)" '200 AABB' 'before yesterday 00:00:01: 4, the first A'
m GET "/api/messages/alice@localhost/bob@localhost?before=$before&limit=2"
is "$STATUS $(bodies)" '200 BB' '... limit=2: 2, the first B'
m GET "/api/messages/alice@localhost?limit=2&before=$before&unknown=1"
is "$STATUS $(bodies)" '200 BB' 'with everybody; a query name of no argument is ignored'

# --- contacts (rest_SUITE:list_contacts, befriend_and_alienate[_auto]) ---------------
C=/api/contacts
roster() {	# USER: (subscription,ask) per contact, or "empty"
	m GET "$C/$1@localhost"
	_r=$(printf '%s' "$BODY" | sed -E 's/\{"subscription":"([a-z]+)","jid":"([^"]+)","ask":"([a-z]+)"\}/\2:\1,\3/g')
	[ "$_r" != '[]' ] || _r=empty
	printf '%s' "$_r"
}
is "$(roster alice)/$(roster bob)" 'empty/empty' 'befriend_and_alienate 1: both rosters empty'
m POST $C/alice@localhost '{"jid":"bob@localhost"}'
mim_is 204 '' '2: alice adds bob: 204'
m POST $C '{"caller":"bob@localhost","jid":"alice@localhost"}'
mim_is 204 '' '2: bob adds alice (POST /api/contacts, caller in the body): 204'
m GET $C/bob@localhost
mim_is 200 '[{"subscription":"none","jid":"alice@localhost","ask":"none"}]' \
    'list_contacts: exactly the contact, none/none'
is "$(roster alice)" '[bob@localhost:none,none]' '2: alice (none, none)'
m PUT $C/alice@localhost/bob@localhost '{"action":"subscribe"}'
mim_is 204 '' '3: alice subscribe bob: 204'
is "$(roster alice)/$(roster bob)" '[bob@localhost:none,out]/[alice@localhost:none,in]' \
    '3: alice (none, out); bob sees the request (none, in)'
m PUT $C/bob@localhost/alice@localhost '{"action":"subscribed"}'
mim_is 204 '' '4: bob subscribed alice: 204'
is "$(roster alice)/$(roster bob)" '[bob@localhost:to,none]/[alice@localhost:from,none]' \
    '4: alice (to, none); bob (from, none)'
m PUT $C/bob@localhost/alice@localhost '{"action":"subscribe"}'
is "$STATUS/$(roster bob)" '204/[alice@localhost:from,out]' '5: bob subscribe: bob (from, out)'
m PUT $C/alice@localhost/bob@localhost '{"action":"subscribed"}'
is "$STATUS/$(roster alice)/$(roster bob)" \
    '204/[bob@localhost:both,none]/[alice@localhost:both,none]' '6: both (both, none)'
d=$(state)
m PUT $C/alice@localhost/bob@localhost '{"action":"invite"}'
mim_is 400 'invalid action: subscribe or subscribed' \
    'the client API'"'"'s "invite": 400 (upstream: 500)'
m PUT $C/ghost@localhost/bob@localhost '{"action":"subscribe"}'
mim_is 404 'unknown_user' 'a caller who is no user here: 404'
is "$(state)" "$d" 'refused subscriptions change nothing'
m DELETE $C/alice@localhost/bob@localhost
is "$STATUS/$(roster alice)/$(roster bob)" '204/empty/[alice@localhost:none,none]' \
    '7: alice deletes bob: her roster empty, bob (none, none)'
m DELETE $C/bob@localhost/alice@localhost
is "$STATUS/$(roster bob)" '204/empty' '8: bob deletes alice: empty'
m DELETE $C/bob@localhost/alice@localhost
is "$STATUS/$(roster bob)" '204/empty' 'deleting a contact that is not there: 204'
m PUT $C/alice@localhost/bob@localhost/manage '{"action":"connect"}'
mim_is 204 '' 'befriend_and_alienate_auto: connect: 204'
is "$(roster alice)/$(roster bob)" '[bob@localhost:both,none]/[alice@localhost:both,none]' \
    'connect: both (both, none)'
m PUT $C/alice@localhost/bob@localhost/manage '{"action":"disconnect"}'
mim_is 204 '' 'disconnect: 204'
is "$(roster alice)/$(roster bob)" 'empty/empty' 'disconnect: both rosters empty'
m PUT $C/alice@localhost/bob@localhost/manage '{"action":"subscribe"}'
mim_is 400 'invalid action: connect or disconnect' 'manage with another action: 400'
m POST $C/alice@localhost '{"jid":"not a jid"}'
is "$STATUS/$(roster alice)" '204/empty' 'add_contact of no JID: 204, nothing added (as upstream)'

# --- MUC Light (muc_light_http_api_SUITE) ------------------------------------------------
ML=/api/muc-lights
m -e HTTP_HOST=localhost:8088 POST $ML/localhost '{"name":"wonderland","owner":"alice@localhost","subject":"chat"}'
like "$STATUS $BODY" "^201 [0-9a-f]{20}@$MUCL\$" 'create_unique_room: 201, the room JID'
is "$(header Location)" "http://localhost:8088$ML/localhost/$BODY" '... Location ends in the JID'
rid=${BODY%@*}
is "$(psql_q "select r.name || ' ' || r.subject || ' ' || u.localpart || ' ' || m.affiliation
    from rooms r join room_members m on m.room_id = r.id join users u on u.id = m.user_id
    where r.rid = '$rid'")" 'wonderland chat alice owner' 'the room: named, alice its owner'
m PUT $ML/localhost '{"id":"Just_Some_Id_4f2a","name":"other","owner":"alice@localhost","subject":"s"}'
mim_is 201 "just_some_id_4f2a@$MUCL" 'create_identifiable_room: 201, the id lower-cased, no Location'
is "$(header Location)" '' '... no Location on PUT'
d=$(state)
m PUT $ML/localhost '{"id":"just_some_id_4f2a","name":"again","owner":"bob@localhost","subject":"s"}'
mim_is 500 'Room already exists' 'the id again: 500, a readable text'
m POST $ML/localhost '{"name":"x","owner":"ghost@localhost","subject":"s"}'
mim_is 500 'unknown_user' 'an owner who is no user here: 500'
is "$(state)" "$d" 'refused creations change nothing'

m POST $ML/$MUCL/wonderland/participants '{"sender":"alice@localhost","recipient":"bob@localhost"}'
mim_is 204 '' 'invite_to_room: 204'
m POST $ML/$MUCL/wonderland/participants '{"sender":"alice@localhost","recipient":"kate@localhost"}'
is "$(psql_q "select string_agg(u.localpart || ':' || m.affiliation, ' ' order by m.seq)
    from room_members m join users u on u.id = m.user_id join rooms r on r.id = m.room_id
    where r.rid = '$rid'")" 'alice:owner bob:member kate:member' 'bob and kate are members'
d=$(state)
m POST $ML/$MUCL/wonderland/participants '{"sender":"bob@localhost","recipient":"admin@localhost"}'
mim_is 204 '' 'an invitation by a member: 204, nothing happens (only owners invite)'
m POST $ML/$MUCL/nosuchroom/participants '{"sender":"alice@localhost","recipient":"bob@localhost"}'
mim_is 500 'room_not_found' 'no room of that name: 500'
is "$(state)" "$d" '... neither changes anything'
m POST $ML/$MUCL/wonderland/messages '{"from":"alice@localhost","body":"Hello, Bob and Kate"}'
mim_is 204 '' 'send_message_to_room: 204'
is "$(psql_q "select user_local || ':' || body from room_archive a join rooms r on r.id = a.room_id
    where r.rid = '$rid' and kind = 'message'")" 'alice:Hello, Bob and Kate' \
    'the message is in the room archive, from alice'
m POST $ML/$MUCL/wonderland/messages '{"from":"admin@localhost","body":"x"}'
mim_is 500 'room_not_found' 'from someone not in a room of that name: 500'
m PUT $ML/localhost/config "{\"id\":\"$rid\",\"name\":\"wonderland\",\"user\":\"alice@localhost\",\"subject\":\"tea\"}"
mim_is 204 '' 'change_muc_light_room_configuration by the owner: 204'
is "$(psql_q "select name || '/' || subject from rooms where rid = '$rid'")" 'wonderland/tea' \
    '... the subject changed'
d=$(state)
m PUT $ML/localhost/config "{\"id\":\"$rid\",\"name\":\"x\",\"user\":\"bob@localhost\",\"subject\":\"y\"}"
mim_is 403 'Command not available for this user' '... by a member: 403'
m PUT $ML/localhost/config "{\"id\":\"$rid\",\"name\":\"x\",\"user\":\"admin@localhost\",\"subject\":\"y\"}"
mim_is 500 'room_not_found' '... by someone not in it: 500'
is "$(state)" "$d" '... neither changes anything'
d=$(state)
m DELETE $ML/$MUCL/wonderland/bob@localhost/management
mim_is 403 'Command not available for this user' 'delete_room_by_non_owner: 403'
m DELETE $ML/$MUCL/some_non_existent_room/alice@localhost/management
mim_is 500 'room_not_found' 'delete_non_existent_room: 500'
m DELETE $ML/$MUCL/wonderland/admin@localhost/management
mim_is 500 'room_not_found' 'delete_room_without_having_a_membership: 500'
is "$(state)" "$d" 'refused deletions change nothing'
m DELETE $ML/$MUCL/wonderland/alice@localhost/management
mim_is 204 '' 'delete_room_by_owner: 204'
is "$(psql_q "select count(*) from rooms where rid = '$rid'")" 0 'the room is gone'

# --- MUC (muc_http_api_SUITE) ------------------------------------------------------------
MU=/api/mucs
m -e HTTP_HOST=localhost:8088 POST $MU/localhost '{"name":"lobby","owner":"alice@localhost","nick":"ali"}'
mim_is 201 'lobby' 'create_room: 201, the body is the name'
is "$(header Location)" "http://localhost:8088$MU/localhost/lobby" '... Location'
sh_ get_room_occupants lobby $MUCL
is "$RC $OUT" "0 alice@localhost	alice	moderator" 'the room exists, alice its moderator'
if served send_direct_invitation; then
	m POST $MU/localhost/lobby/participants '{"sender":"alice@localhost","recipient":"bob@localhost","reason":"Join us"}'
	mim_is 204 '' 'invite_online_user_to_room: 204'
else
	m POST $MU/localhost/lobby/participants '{"sender":"alice@localhost","recipient":"bob@localhost","reason":"Join us"}'
	mim_is 404 '' 'invite_to_muc_room: 404 until send_direct_invitation is served'
fi
psql_q "insert into room_members (room_id, user_id, affiliation) select r.id, u.id, 'member'
    from rooms r, users u where r.rid = 'lobby' and u.localpart in ('bob', 'kate')
    on conflict do nothing" >/dev/null
m POST $MU/localhost/lobby/messages '{"from":"bob@localhost","body":"Greetings!"}'
mim_is 204 '' 'send_message_to_room: 204'
is "$(psql_q "select user_local || ':' || body from room_archive a join rooms r on r.id = a.room_id
    where r.rid = 'lobby' and kind = 'message'")" 'bob:Greetings!' 'archived in the room'
m DELETE $MU/localhost/lobby/bob
mim_is 204 '' 'kick_user_from_room: 204'
is "$(psql_q "select string_agg(u.localpart, ' ' order by m.seq) from room_members m
    join users u on u.id = m.user_id join rooms r on r.id = m.room_id where r.rid = 'lobby'")" \
    'alice kate' 'bob is out of the room'
m DELETE $MU/localhost/lobby/alice
is "$STATUS/$(psql_q "select count(*) from room_members m join rooms r on r.id = m.room_id where r.rid = 'lobby'")" \
    '204/2' 'kicking the owner: 204, no change (upstream refuses the IQ)'
m DELETE $MU/localhost/nowhere/bob
mim_is 500 'room_not_found' 'a room that does not exist: 500'
d=$(state)
m POST $MU/localhost '{"name":"lobby","owner":"bob@localhost","nick":"b"}'
mim_is 500 'Room already exists' 'create_room again: 500'
is "$(state)" "$d" '... nothing changes'

# --- sessions --------------------------------------------------------------------------
# Only the administrator has authenticated (Basic, above) within the
# presence window: chatrest's sessions (connected_users_vhost).
m GET /api/sessions/localhost
like "$STATUS $BODY" '^200 \["admin@localhost/[^"]+"\]$' 'sessions_are_listed: whom presence has seen on the host'
m GET /api/sessions/example.org
mim_is 200 '[]' '... nobody on another host'
if served kick_session; then
	m DELETE /api/sessions/localhost/admin/res1
	is "$STATUS" 204 'kick_user: 204'
else
	m DELETE /api/sessions/localhost/admin/res1
	mim_is 404 '' 'kick_user: 404 until kick_session is served'
fi

# --- allowed_commands ------------------------------------------------------------------
{ cat "$CHATREST_CONFIG"; } | sed 's/^admins = .*/&\nallowed_commands = registered_users get_last_messages/' \
    >"$TEST_TMP/allowed.conf"
m -c "$TEST_TMP/allowed.conf" GET /api/users/localhost
is "$STATUS" 200 'allowed_commands: an allowed command runs'
d=$(state)
m -c "$TEST_TMP/allowed.conf" POST /api/users/localhost '{"username":"zed","password":"x"}'
mim_is 403 'Command not available for this user' 'allowed_commands: another is 403'
is "$(state)" "$d" '... and changes nothing'
m -c "$TEST_TMP/allowed.conf" GET /api/commands
mim_is 200 '[{"name":"list_methods","desc":"List commands","category":"commands","action":"read"},{"name":"list_users","desc":"List registered users on this host","category":"users","action":"read"},{"name":"get_last_messages_with_everybody","desc":"Get n last messages from archive, optionally before a certain date (unixtime)","category":"messages","action":"read"},{"name":"get_last_messages","desc":"Get n last messages to/from given contact, with limit and date","category":"messages","action":"read"}]' \
    'GET /api/commands lists only what allowed_commands lets through'

# --- GET /api/commands against the command table ------------------------------------
# upstream's 3.7 list, each with the admin command it runs here
want=
while read -r name cmd; do
	if [ "$cmd" = - ] || served "$cmd"; then
		want="$want $name"
	fi
done <<'EOF'
list_methods -
list_users registered_users
register_user register
unregister_user unregister
change_password change_password
list_sessions connected_users_vhost
kick_user kick_session
list_contacts list_contacts
add_contact add_contact
subscription contact_subscription
set_subscription set_subscription
delete_contact delete_contact
send_message send_message
get_last_messages_with_everybody get_last_messages
get_last_messages get_last_messages
create_muc_room create_muc_room
invite_to_muc_room send_direct_invitation
send_message_to_room send_message
kick_user_from_room kick_from_room
create_muc_light_room create_muc_light_room
create_identifiable_muc_light_room create_muc_light_room
change_muc_light_room_configuration change_muc_light_room_configuration
invite_to_room invite_to_muc_light_room
send_message_to_muc_light_room send_message_to_muc_light_room
delete_room delete_muc_light_room
EOF
m GET /api/commands
got=$(printf '%s' "$BODY" | grep -o '"name":"[a-z_]*"' | cut -d'"' -f4 | tr '\n' ' ')
is " $got" "$want " 'commands_are_listed: every row whose command is in the table, none else'
like "$BODY" '^\[\{"name":"list_methods","desc":"List commands","category":"commands","action":"read"\},' \
    'list_methods: name, desc, category, action'

# --- one command, four encodings ---------------------------------------------------
# set_subscription connect alice bob: each time from empty rosters.
rosters() {
	psql_q "select string_agg(u.localpart || '>' || contact_local || ':' ||
	    sub_to::int || sub_from::int || ask_out::int || ask_in::int, ' '
	    order by u.localpart)
	    from roster r join users u on u.id = r.user_id"
}
enc_state=
for enc in mongoose http_api restful shell; do
	psql_q "delete from roster" >/dev/null
	case $enc in
	mongoose)
		m PUT $C/alice@localhost/bob@localhost/manage '{"action":"connect"}' ;;
	http_api)
		CGI_MOUNT=/api/admin
		cgi -a "Bearer $K" POST /api/admin/set_subscription \
		    '{"user":"alice","host":"localhost","contact":"bob@localhost","action":"connect"}'
		CGI_MOUNT=/api ;;
	restful)
		CGI_MOUNT=/api/admin
		cgi POST /api/admin "{\"key\":\"$K\",\"command\":\"set_subscription\",\"args\":[\"alice\",\"localhost\",\"bob@localhost\",\"connect\"]}"
		CGI_MOUNT=/api ;;
	shell)
		sh_ set_subscription alice localhost bob@localhost connect
		STATUS=$RC ;;
	esac
	enc_state="$enc_state|$STATUS $(rosters) $(psql_q "select via || ':' || command || ':' || outcome from admin_audit order by id desc limit 1")"
done
is "$enc_state" "|204 alice>bob:1100 bob>alice:1100 mongoose:set_subscription:ok|200 alice>bob:1100 bob>alice:1100 http_api:set_subscription:ok|200 alice>bob:1100 bob>alice:1100 restful:set_subscription:ok|0 alice>bob:1100 bob>alice:1100 shell:set_subscription:ok" \
    'set_subscription through all four encodings: the same rosters, each audited'
is "$(psql_q "select actor || '|' || args::text from admin_audit where via = 'mongoose' and command = 'set_subscription' order by id desc limit 1")" \
    'key|{"user":"alice","host":"localhost","contact":"bob@localhost","action":"connect"}' \
    'the mongoose audit row: the actor and the command'"'"'s arguments'
cgi -a "$(basic admin@localhost:pw-admin)" POST $ML/localhost '{"name":"x","owner":"kate@localhost","subject":""}'
is "$STATUS $(psql_q "select actor || ' ' || via from admin_audit order by id desc limit 1")" \
    '201 admin@localhost mongoose' 'Basic calls are audited as the administrator'

done_testing
