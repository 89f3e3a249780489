#!/bin/sh
# chatrest-admin's commands over the client API's store (create_room,
# destroy_room, get_room_occupants, get_roster, send_message) in the three
# encodings, their failures, the audit trail, and what chatrest-client
# sees of what they did.
. "$top_srcdir/tests/lib.sh"

ADMIN_BIN=$top_builddir/cgi-bin/chatrest-admin
CLIENT_BIN=$top_builddir/cgi-bin/chatrest-client
A=/api/admin
K=$ADMIN_KEY
ME=$(id -un)
MUC=muclight.localhost

# sh CMD ARG...: the shell form; OUT, ERR and RC.
sh_() {
	RC=0
	"$ADMIN_BIN" "$@" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err" || RC=$?
	OUT=$(cat "$TEST_TMP/sh.out")
	ERR=$(cat "$TEST_TMP/sh.err")
}

# rf COMMAND ARGS-JSON-ARRAY: mod_restful_admin; ha COMMAND JSON: mod_http_api.
rf() {
	CGI_BIN=$ADMIN_BIN CGI_MOUNT=$A
	cgi POST $A "{\"key\":\"$K\",\"command\":\"$1\",\"args\":$2}"
}
ha() {
	CGI_BIN=$ADMIN_BIN CGI_MOUNT=$A
	cgi -a "Bearer $K" POST "$A/$1" "$2"
}

# as LOCAL cgi-arguments...: chatrest-client as LOCAL@localhost (pw-LOCAL).
as() {
	_who=$1
	shift
	CGI_BIN=$CLIENT_BIN CGI_MOUNT=/api
	cgi -a "Basic $(printf '%s@localhost:pw-%s' "$_who" "$_who" |
	    base64 | tr -d '\n')" "$@"
}

# norm: BODY with UUIDs as UUID and millisecond times as TS.
norm() {
	printf '%s' "$BODY" | sed -E \
	    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/UUID/g' \
	    -e 's/"timestamp":[0-9]{13}/"timestamp":TS/g'
}

audit_last() {	# the newest audit row: actor|via|command|args|outcome|message
	psql_q "select actor || '|' || via || '|' || command || '|' ||
	    args::text || '|' || outcome || '|' || message from admin_audit
	    order by id desc limit 1"
}

naudit() {
	psql_q "select count(*) from admin_audit"
}

# every row of the client's tables
client_digest() {
	psql_q "select md5(concat_ws('|',
	    (select string_agg(t::text, ',' order by id) from rooms t),
	    (select string_agg(t::text, ',' order by room_id, user_id) from room_members t),
	    (select string_agg(t::text, ',' order by seq) from room_archive t),
	    (select string_agg(t::text, ',' order by seq) from chat_archive t),
	    (select string_agg(t::text, ',' order by seq) from roster t)))"
}

for u in alice bob carol dave erin; do
	sh_ register $u localhost pw-$u
	[ "$RC" = 0 ] || bail_out "cannot register $u"
done

# --- create_room ---------------------------------------------------------------
sh_ create_room lobby $MUC localhost
is "$RC/$OUT/$ERR" "0//" 'shell create_room: exit 0, no output'
is "$(audit_last)" \
    "shell:$ME|shell|create_room|{\"name\":\"lobby\",\"service\":\"$MUC\",\"host\":\"localhost\"}|ok|" \
    'shell create_room: audited'
is "$(psql_q "select host || ' ' || rid || ' ' || name || ' [' || subject || '] '
    || (select count(*) from room_members m where m.room_id = r.id)
    from rooms r")" 'localhost lobby lobby [] 0' \
    'create_room: one room named by its id, no members'
rf create_room "[\"hall\",\"$MUC\",\"localhost\"]"
reply_is 200 '"ok"' 'restful create_room: "ok"'
ha create_room '{"name":"Den","service":"MUCLIGHT.example.org","host":"example.org"}'
reply_is 200 0 'http_api create_room: 0 (name and service in any case)'
is "$(psql_q "select string_agg(host || '/' || rid, ' ' order by id) from rooms")" \
    'localhost/lobby localhost/hall example.org/den' 'three rooms, one per encoding'
is "$(audit_last | cut -d'|' -f1-3,5)" 'key|http_api|create_room|ok' \
    'http_api create_room: audited as the key'

# the client API sees an empty room; nobody can act on it
as bob GET /api/rooms/lobby
reply_is 200 '{"name":"lobby","subject":"","participants":[]}' \
    'client: the created room, by id, with no participants'
as bob GET /api/rooms/lobby@$MUC
reply_is 200 '{"name":"lobby","subject":"","participants":[]}' \
    'client: the created room, by room JID'
as bob GET /api/rooms
reply_is 200 '[]' 'client: not in anyone'"'"'s room list (no members)'
d=$(client_digest)
as bob POST /api/rooms/lobby/users '{"user":"bob@localhost"}'
is "$STATUS" 403 'client: nobody owns it, so nobody may invite (403)'
as bob POST /api/rooms/lobby/messages '{"body":"hi"}'
is "$STATUS" 403 'client: nobody is a member, so nobody may post (403)'
as bob PUT /api/rooms/lobby '{"name":"x","subject":"y"}'
is "$STATUS" 400 'client: PUT of an existing id is still refused (400)'
is "$(client_digest)" "$d" 'client: the ownerless room is unchanged'

# refused: nothing changes; each failure is audited with its outcome
d=$(client_digest)
n=$(naudit)
sh_ create_room lobby $MUC localhost
is "$RC/$ERR" '1/chatrest-admin: create_room: Room already exists' \
    'shell create_room again: exit 1'
is "$(audit_last | cut -d'|' -f1,3,5,6)" \
    "shell:$ME|create_room|room_exists|Room already exists" \
    'shell create_room again: the failure audited'
rf create_room "[\"hall\",\"$MUC\",\"localhost\"]"
reply_is 403 '{"error":"room_exists"}' 'restful create_room again: room_exists'
ha create_room "{\"name\":\"hall\",\"service\":\"$MUC\",\"host\":\"localhost\"}"
reply_is 400 '"Room already exists"' 'http_api create_room again: 400'
ha create_room "{\"name\":\"bad name\",\"service\":\"$MUC\",\"host\":\"localhost\"}"
reply_is 400 "\"Invalid 'name'\"" 'http_api create_room malformed name'
ha create_room "{\"name\":\"new\",\"service\":\"$MUC\",\"host\":\"nohost\"}"
reply_is 400 '"Unknown virtual host"' 'http_api create_room unknown host'
ha create_room '{"name":"new","service":"muclight.example.org","host":"localhost"}'
reply_is 400 "\"Invalid 'service'\"" 'http_api create_room: service of another host'
ha create_room '{"name":"new","service":"conference.localhost","host":"localhost"}'
reply_is 400 "\"Invalid 'service'\"" 'http_api create_room: not a MUC domain'
rf create_room "[\"new\",\"$MUC\",\"nohost\"]"
reply_is 403 '{"error":"unknown_host"}' 'restful create_room unknown host'
ha create_room "{\"name\":\"new\",\"service\":\"$MUC\"}"
reply_is 400 '"Request have missing argument: host"' 'http_api create_room missing host'
rf create_room "[\"new\",\"$MUC\"]"
reply_is 400 '{"error":"bad_request"}' 'restful create_room too few args'
sh_ create_room new $MUC
is "$RC" 2 'shell create_room too few args: exit 2'
is "$(client_digest)" "$d" 'create_room refused: no room changed'
is "$(naudit)" $((n + 8)) 'create_room refused: 8 failures audited, decoding errors not'

# --- get_room_occupants ------------------------------------------------------
as alice POST /api/rooms '{"name":"Team","subject":"work"}'
rid=$(printf '%s' "$BODY" | sed -n 's/^{"id":"\([^"]*\)"}$/\1/p')
[ -n "$rid" ] || bail_out "no room id in $BODY"
as alice POST /api/rooms/$rid/users '{"user":"bob@localhost"}'
is "$STATUS" 204 'client: alice invites bob'
n=$(naudit)
sh_ get_room_occupants "$rid" $MUC
is "$RC/$OUT" "0/alice@localhost	alice	moderator
bob@localhost	bob	participant" 'shell get_room_occupants: one tab-separated line each'
rf get_room_occupants "[\"$rid\",\"$MUC\"]"
reply_is 200 '[["alice@localhost","alice","moderator"],["bob@localhost","bob","participant"]]' \
    'restful get_room_occupants: positional tuples'
ha get_room_occupants "{\"name\":\"$rid\",\"service\":\"$MUC\"}"
reply_is 200 '[{"jid":"alice@localhost","nick":"alice","role":"moderator"},{"jid":"bob@localhost","nick":"bob","role":"participant"}]' \
    'http_api get_room_occupants: objects'
occ=$(printf '%s' "$BODY" | sed -e 's/"jid"/"user"/g' -e 's/,"nick":"[^"]*"//g' \
    -e 's/moderator/owner/g' -e 's/participant/member/g')
as carol GET /api/rooms/$rid
is "$BODY" "{\"name\":\"Team\",\"subject\":\"work\",\"participants\":$occ}" \
    'occupants are the participants the client API shows'
CGI_BIN=$ADMIN_BIN CGI_MOUNT=$A
cgi -a "Bearer $K" GET "$A/get_room_occupants?name=lobby&service=$MUC"
reply_is 200 '[]' 'http_api GET get_room_occupants: the empty room'
ha get_room_occupants "{\"name\":\"nosuch\",\"service\":\"$MUC\"}"
reply_is 400 '"room_not_found"' 'http_api get_room_occupants unknown room'
ha get_room_occupants "{\"name\":\"$rid\",\"service\":\"muclight.example.org\"}"
reply_is 400 '"room_not_found"' 'http_api get_room_occupants: room of another host'
ha get_room_occupants "{\"name\":\"$rid\",\"service\":\"x..y\"}"
reply_is 400 '"room_not_found"' 'http_api get_room_occupants: malformed service'
rf get_room_occupants "[\"nosuch\",\"$MUC\"]"
reply_is 403 '{"error":"room_not_found"}' 'restful get_room_occupants unknown room'
sh_ get_room_occupants nosuch $MUC
is "$RC/$ERR" '1/chatrest-admin: get_room_occupants: room_not_found' \
    'shell get_room_occupants unknown room: exit 1'
is "$(naudit)" "$n" 'get_room_occupants: read-only, not audited'

# --- send_message ----------------------------------------------------------------
sh_ send_message chat alice@localhost bob@localhost '' 'hello bob'
is "$RC/$OUT" '0/' 'shell send_message chat: exit 0'
is "$(audit_last)" \
    "shell:$ME|shell|send_message|{\"type\":\"chat\",\"from\":\"alice@localhost\",\"to\":\"bob@localhost\",\"subject\":\"[redacted]\",\"body\":\"[redacted]\"}|ok|" \
    'send_message: audited, subject and body left out of the trail'
as bob GET /api/messages
is "$(norm)" '[{"from":"alice@localhost","to":"bob@localhost","id":"UUID","body":"hello bob","timestamp":TS}]' \
    'client: bob sees the message in GET /api/messages'
as alice GET /api/messages/bob@localhost
is "$(norm)" '[{"from":"alice@localhost","to":"bob@localhost","id":"UUID","body":"hello bob","timestamp":TS}]' \
    "client: and it is in alice's archive with bob"
rf send_message '["chat","bob@localhost/phone","Alice@LocalHost","subj","hi alice"]'
reply_is 200 '"ok"' 'restful send_message chat: "ok" (resource dropped)'
as alice GET /api/messages/bob@localhost
is "$(norm)" '[{"from":"alice@localhost","to":"bob@localhost","id":"UUID","body":"hello bob","timestamp":TS},{"from":"bob@localhost","to":"alice@localhost","id":"UUID","body":"hi alice","timestamp":TS}]' \
    'client: both messages, oldest first'
ha send_message '{"type":"chat","from":"carol@localhost","to":"zed@elsewhere.net","subject":"","body":"out"}'
reply_is 200 0 'http_api send_message chat to a remote JID: 0'
as carol GET /api/messages
is "$(norm)" '[{"from":"carol@localhost","to":"zed@elsewhere.net","id":"UUID","body":"out","timestamp":TS}]' \
    "client: a remote recipient: the sender's copy only"
ha send_message "{\"type\":\"groupchat\",\"from\":\"bob@localhost\",\"to\":\"$rid@$MUC\",\"subject\":\"\",\"body\":\"hi room\"}"
reply_is 200 0 'http_api send_message groupchat: 0'
as alice GET /api/rooms/$rid/messages
like "$(norm)" '^\[.*\{"type":"message","from":"bob@localhost","id":"UUID","timestamp":TS,"body":"hi room"\}\]$' \
    'client: the groupchat message is the newest room item'
is "$(psql_q "select count(*) from room_archive where kind = 'message'")" 1 \
    'one room message archived'

d=$(client_digest)
n=$(naudit)
ha send_message '{"type":"headline","from":"alice@localhost","to":"bob@localhost","subject":"","body":"x"}'
reply_is 400 '"Unsupported message type: only chat and groupchat"' \
    'http_api send_message headline: 400'
rf send_message '["normal","alice@localhost","bob@localhost","","x"]'
reply_is 400 '{"error":"bad_request"}' 'restful send_message normal: bad_request'
ha send_message '{"type":"chat","from":"nobody@localhost","to":"bob@localhost","subject":"","body":"x"}'
reply_is 404 '"unknown_user"' 'http_api send_message from an unknown account'
ha send_message '{"type":"chat","from":"alice@elsewhere.net","to":"bob@localhost","subject":"","body":"x"}'
reply_is 404 '"unknown_user"' 'http_api send_message from another server'
ha send_message '{"type":"chat","from":"alice@localhost","to":"bob","subject":"","body":"x"}'
reply_is 400 '"Invalid recipient"' 'http_api send_message to a non-JID'
ha send_message '{"type":"chat","from":"alice@localhost/","to":"bob@localhost","subject":"","body":"x"}'
reply_is 404 '"unknown_user"' 'http_api send_message from a JID with an empty resource'
ha send_message "{\"type\":\"groupchat\",\"from\":\"carol@localhost\",\"to\":\"$rid@$MUC\",\"subject\":\"\",\"body\":\"x\"}"
reply_is 400 '"The sender is not a member of the room"' \
    'http_api send_message groupchat from a non-member'
ha send_message "{\"type\":\"groupchat\",\"from\":\"alice@localhost\",\"to\":\"nosuch@$MUC\",\"subject\":\"\",\"body\":\"x\"}"
reply_is 400 '"room_not_found"' 'http_api send_message groupchat to no room'
ha send_message '{"type":"groupchat","from":"alice@localhost","to":"bob@localhost","subject":"","body":"x"}'
reply_is 400 '"room_not_found"' 'http_api send_message groupchat to a user'
ha send_message '{"type":"chat","from":"alice@localhost","to":"bob@localhost","subject":"","body":7}'
reply_is 400 '"Arg body is not in format binary"' 'http_api send_message numeric body'
sh_ send_message chat alice@localhost bob@localhost ''
is "$RC" 2 'shell send_message without a body: exit 2'
is "$(client_digest)" "$d" 'send_message refused: no archive changed'
is "$(naudit)" $((n + 9)) 'send_message refused: 9 failures audited'
is "$(audit_last | cut -d'|' -f3-6)" \
    'send_message|{"type":"groupchat","from":"alice@localhost","to":"bob@localhost","subject":"[redacted]","body":"[redacted]"}|room_not_found|room_not_found' \
    'a failed send_message: audited, its body still redacted'

# --- get_roster ----------------------------------------------------------------------
as alice POST /api/contacts '{"jid":"bob@localhost"}'
as alice POST /api/contacts '{"jid":"carol@localhost"}'
as alice PUT /api/contacts/carol@localhost '{"action":"invite"}'
as carol PUT /api/contacts/alice@localhost '{"action":"accept"}'
as dave POST /api/contacts '{"jid":"alice@localhost"}'
as dave PUT /api/contacts/alice@localhost '{"action":"invite"}'
as alice POST /api/contacts '{"jid":"erin@localhost"}'
as alice PUT /api/contacts/erin@localhost '{"action":"invite"}'
as alice GET /api/contacts
is "$BODY" '[{"jid":"bob@localhost","subscription":"none","ask":"none"},{"jid":"carol@localhost","subscription":"to","ask":"none"},{"jid":"dave@localhost","subscription":"none","ask":"in"},{"jid":"erin@localhost","subscription":"none","ask":"out"}]' \
    "client: alice's roster, with dave's request and one to erin pending"
n=$(naudit)
sh_ get_roster alice localhost
is "$RC/$OUT" '0/bob@localhost		none	undefined	
carol@localhost		to	undefined	
erin@localhost		none	subscribe	' \
    'shell get_roster: tab-separated; no inbound-only request; ask as 23.01'
rf get_roster '["alice","localhost"]'
reply_is 200 '[["bob@localhost","","none","undefined",""],["carol@localhost","","to","undefined",""],["erin@localhost","","none","subscribe",""]]' \
    'restful get_roster: positional tuples'
ha get_roster '{"user":"carol","host":"localhost"}'
reply_is 200 '[{"jid":"alice@localhost","nick":"","subscription":"from","ask":"undefined","group":""}]' \
    'http_api get_roster: what the client API shows carol'
as carol GET /api/contacts
is "$BODY" '[{"jid":"alice@localhost","subscription":"from","ask":"none"}]' \
    "client: carol's roster agrees"
ha get_roster '{"user":"bob","host":"localhost"}'
reply_is 200 '[]' 'http_api get_roster: an empty roster'
ha get_roster '{"user":"nobody","host":"localhost"}'
reply_is 404 '"unknown_user"' 'http_api get_roster unknown user'
ha get_roster '{"user":"alice","host":"nohost"}'
reply_is 400 '"Unknown virtual host"' 'http_api get_roster unknown host'
ha get_roster '{"user":"carol","server":"localhost"}'
reply_is 200 '[{"jid":"alice@localhost","nick":"","subscription":"from","ask":"undefined","group":""}]' \
    'http_api get_roster: the older name server, as 23.01 renames it'
ha get_roster '{"user":"carol","server":"localhost","host":"localhost"}'
reply_is 400 '"Request have duplicate argument: host"' \
    'http_api get_roster: server and host both: a duplicate'
rf get_roster '["nobody","localhost"]'
reply_is 403 '{"error":"unknown_user"}' 'restful get_roster unknown user'
sh_ get_roster nobody localhost
is "$RC/$ERR" '1/chatrest-admin: get_roster: unknown_user' \
    'shell get_roster unknown user: exit 1'
is "$(naudit)" "$n" 'get_roster: read-only, not audited'

# --- destroy_room ------------------------------------------------------------------
sh_ destroy_room lobby $MUC
is "$RC/$OUT" '0/' 'shell destroy_room: exit 0'
rf destroy_room '["den","muclight.example.org"]'
reply_is 200 '"ok"' 'restful destroy_room: "ok"'
as alice GET /api/rooms
is "$(printf '%s' "$BODY" | grep -c "\"$rid\"")" 1 'client: the team room is listed'
ha destroy_room "{\"name\":\"$rid\",\"service\":\"$MUC\"}"
reply_is 200 0 'http_api destroy_room: a room with members and messages'
is "$(audit_last)" \
    "key|http_api|destroy_room|{\"name\":\"$rid\",\"service\":\"$MUC\"}|ok|" \
    'http_api destroy_room: audited'
as alice GET /api/rooms
reply_is 200 '[]' 'client: the destroyed room is gone from the list'
as alice GET /api/rooms/$rid
is "$STATUS" 404 'client: the destroyed room is not found'
is "$(psql_q "select (select count(*) from rooms) || ' ' ||
    (select count(*) from room_members) || ' ' ||
    (select count(*) from room_archive)")" '1 0 0' \
    'destroy_room: its members and archive went with it; hall remains'

d=$(client_digest)
n=$(naudit)
ha destroy_room "{\"name\":\"$rid\",\"service\":\"$MUC\"}"
reply_is 400 "\"Room doesn't exists\"" 'http_api destroy_room again: 400'
ha destroy_room '{"name":"hall","service":"muclight.example.org"}'
reply_is 400 "\"Room doesn't exists\"" 'http_api destroy_room: wrong service'
ha destroy_room "{\"name\":\"bad name\",\"service\":\"$MUC\"}"
reply_is 400 "\"Invalid 'name'\"" 'http_api destroy_room: malformed name'
ha destroy_room '{"name":"hall","service":"conference.localhost"}'
reply_is 400 "\"Invalid 'service'\"" 'http_api destroy_room: not a MUC service'
rf destroy_room "[\"lobby\",\"$MUC\"]"
reply_is 403 '{"error":"room_not_found"}' 'restful destroy_room again: room_not_found'
sh_ destroy_room lobby $MUC
is "$RC/$ERR" "1/chatrest-admin: destroy_room: Room doesn't exists" \
    'shell destroy_room again: exit 1'
CGI_BIN=$ADMIN_BIN CGI_MOUNT=$A
cgi -a "Bearer $K" GET "$A/destroy_room?name=hall&service=$MUC"
reply_is 400 '{"status":"error","code":40,"message":"This command changes state: use POST."}' \
    'http_api GET destroy_room: refused'
is "$(client_digest)" "$d" 'destroy_room refused: nothing changed'
is "$(naudit)" $((n + 6)) 'destroy_room refused: 6 failures audited'

sh_ help
for c in create_room destroy_room get_room_occupants get_roster send_message; do
	like "$OUT" "^  $c " "shell help: lists $c"
done
sh_ help send_message
is "$(printf '%s\n' "$OUT" | head -n 1)" \
    'usage: chatrest-admin send_message type from to subject body' \
    'shell help send_message: ejabberd argument order'

done_testing
