#!/bin/sh
# chatrest-client as CGI: MUC Light rooms, the owner/member/non-member
# table cell by cell, room messages with chat markers, the room archive
# with pagination and blocklists, and concurrent posts.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

for u in alice bob kate dave; do register $u; done
register erin example.org

digest=$(client_digest)
unchanged() {
	is "$(client_digest)" "$digest" "$1: database unchanged"
}

# --- creating rooms --------------------------------------------------------------
as alice GET /api/rooms
reply_is 200 '[]' 'GET /rooms: [] at first'
as alice POST /api/rooms '{"name":"Important room","subject":"Only important things"}'
is "$STATUS $(header Content-Type)" '200 application/json' 'POST /rooms: 200'
like "$BODY" '^\{"id":"[0-9a-f]{20}"\}$' 'POST /rooms: a generated opaque id'
r1=$(reply_id)
as alice GET "/api/rooms/$r1"
reply_is 200 '{"name":"Important room","subject":"Only important things","participants":[{"user":"alice@localhost","role":"owner"}]}' \
    'GET /rooms/{id}: name, subject, the creator as owner'
as alice GET "/api/rooms/$r1@muclight.localhost"
reply_is 200 '{"name":"Important room","subject":"Only important things","participants":[{"user":"alice@localhost","role":"owner"}]}' \
    'GET /rooms/{room JID}: the same'
as alice GET "/api/rooms/$r1@MUCLIGHT.localhost"
is "$STATUS" 200 'the MUC domain is case-insensitive'

as alice PUT /api/rooms/just_an_id '{"name":"n","subject":"s"}'
reply_is 201 '{"id":"just_an_id"}' 'PUT /rooms/just_an_id: 201'
as alice PUT /api/rooms/some_id@muclight.localhost '{"name":"n","subject":"s"}'
reply_is 201 '{"id":"some_id"}' 'PUT with the room JID: 201, id is the localpart'
as alice PUT /api/rooms/Mixed.Case '{"name":"n","subject":"s"}'
reply_is 201 '{"id":"mixed.case"}' 'room ids are lower-cased'
digest=$(client_digest)
as alice PUT /api/rooms/other_id@muclight.wrongdomain '{"name":"n","subject":"s"}'
text_is 400 invalid_room_id 'PUT on another MUC domain: 400'
as alice PUT /api/rooms/other_id@localhost '{"name":"n","subject":"s"}'
text_is 400 invalid_room_id 'PUT on the user domain: 400'
as alice PUT /api/rooms/just_an_id '{"name":"n2","subject":"s2"}'
empty_is 400 'PUT on an existing room: 400'
as alice PUT '/api/rooms/bad id' '{"name":"n","subject":"s"}'
text_is 400 invalid_room_id 'PUT with an invalid id: 400'
as alice PUT /api/rooms/x@ '{"name":"n","subject":"s"}'
text_is 400 invalid_room_id 'PUT with an empty domain: 400'
as alice PUT /api/rooms/new1 '{"name":"n"}'
empty_is 400 'PUT without subject: 400'
as alice POST /api/rooms '{"name":1,"subject":"s"}'
empty_is 400 'POST with a non-string name: 400'
as alice POST /api/rooms '{"subject":"s"}'
empty_is 400 'POST without name: 400'
as alice POST /api/rooms 'name=x'
empty_is 400 'POST with a non-JSON body: 400'
as alice -t text/plain POST /api/rooms '{"name":"n","subject":"s"}'
empty_is 415 'POST as text/plain: 415'
unchanged 'rejected creations'
as erin@example.org GET /api/rooms/just_an_id
empty_is 404 "another host's MUC domain holds other rooms"

# --- invitations and the room list ---------------------------------------------------
as alice POST "/api/rooms/$r1/users" '{"user":"bob@localhost"}'
empty_is 204 'owner invites bob: 204'
as alice GET /api/rooms
r1_entry="{\"id\":\"$r1\",\"name\":\"Important room\",\"subject\":\"Only important things\"}"
alice_rooms=$BODY
like "$alice_rooms" "$r1_entry" "alice's list has the room"
as bob GET /api/rooms
reply_is 200 "[$r1_entry]" 'bob sees the same single entry'
as alice GET "/api/rooms/$r1"
reply_is 200 '{"name":"Important room","subject":"Only important things","participants":[{"user":"alice@localhost","role":"owner"},{"user":"bob@localhost","role":"member"}]}' \
    'bob is a member'
digest=$(client_digest)
as alice POST "/api/rooms/$r1/users" '{"user":"bob@localhost"}'
empty_is 204 'inviting a member again: 204'
unchanged 'a second invitation'
as kate POST "/api/rooms/$r1/users" '{"user":"dave@localhost"}'
empty_is 403 'non-member invites: 403'
as bob POST "/api/rooms/$r1/users" '{"user":"dave@localhost"}'
empty_is 403 'member invites: 403'
as alice POST "/api/rooms/$r1/users" '{"user":"ghost@localhost"}'
empty_is 204 'inviting a JID with no account: 204, as upstream'
as alice POST "/api/rooms/$r1/users" '{"user":"x@remote.example"}'
empty_is 204 'inviting a user elsewhere: 204 (no federation: nothing happens)'
as alice POST "/api/rooms/$r1/users" '{"user":"bob@localhost/phone"}'
empty_is 400 'inviting a full JID: 400'
as alice POST "/api/rooms/$r1/users" '{"user":"not a jid"}'
empty_is 400 'inviting an invalid JID: 400'
as alice POST "/api/rooms/$r1/users" '{"usr":"bob@localhost"}'
empty_is 400 'no user: 400'
as alice POST "/api/rooms/$r1/users" '{"user":["bob@localhost"]}'
empty_is 400 'user not a string: 400'
as alice POST /api/rooms/nosuchroom/users '{"user":"bob@localhost"}'
empty_is 404 'invite into an unknown room: 404'
unchanged 'refused invitations'

# --- room messages ---------------------------------------------------------------------
as alice POST "/api/rooms/$r1/messages" '{"body":"Hi all!"}'
json_is 200 '{"id":"UUID"}' 'owner posts: 200 and an id'
m1=$(reply_id)
as bob POST "/api/rooms/$r1@muclight.localhost/messages" '{"body":"Hi Alice"}'
json_is 200 '{"id":"UUID"}' 'member posts (room JID): 200'
m2=$(reply_id)
as alice GET "/api/rooms/$r1/messages"
BODY=$(printf '%s' "$BODY" | sed -e "s/$m1/M1/" -e "s/$m2/M2/")
json_is 200 "[{\"type\":\"affiliation\",\"from\":\"$r1@muclight.localhost\",\"id\":\"UUID\",\"timestamp\":TS,\"user\":\"bob@localhost\",\"affiliation\":\"member\"},{\"type\":\"message\",\"from\":\"alice@localhost\",\"id\":\"M1\",\"timestamp\":TS,\"body\":\"Hi all!\"},{\"type\":\"message\",\"from\":\"bob@localhost\",\"id\":\"M2\",\"timestamp\":TS,\"body\":\"Hi Alice\"}]" \
    'invite and 2 posts: 3 items, the affiliation first'
as bob GET "/api/rooms/$r1@muclight.localhost/messages"
is "$(norm)" "$(BODY=$(printf '%s' "$BODY"); norm)" 'the member reads the same archive'

digest=$(client_digest)
as kate POST "/api/rooms/$r1/messages" '{"body":"let me in"}'
empty_is 403 'non-member posts: 403'
as kate GET "/api/rooms/$r1/messages"
empty_is 403 'non-member reads messages: 403'
as kate POST /api/rooms/nosuchroom/messages '{"body":"x"}'
empty_is 404 'post to an unknown room: 404'
as kate GET /api/rooms/nosuchroom/messages
empty_is 404 'read an unknown room: 404'
as alice GET /api/rooms/nosuchroom
empty_is 404 'details of an unknown room: 404'
as alice GET '/api/rooms/bad room'
text_is 400 invalid_room_id 'details with an invalid id: 400'
as alice GET /api/rooms/x@muclight.elsewhere/messages
text_is 400 invalid_room_id 'messages on another MUC domain: 400'

as bob POST "/api/rooms/$r1/messages" '{"body":{"text":"x"}}'
text_is 400 'Invalid body, it must be a string' 'body object: 400 text'
as bob POST "/api/rooms/$r1/messages" '{"no_body":"x"}'
text_is 400 'No valid message elements' 'no body: 400 text'
as bob POST "/api/rooms/$r1/messages" '{"markable":true}'
text_is 400 'No valid message elements' 'only markable: 400 text'
as bob POST "/api/rooms/$r1/messages" '"just a string"'
text_is 400 'Request body is not a valid JSON' 'a JSON string: 400 text'
as bob POST "/api/rooms/$r1/messages" 'Hello!'
text_is 400 'Request body is not a valid JSON' 'not JSON: 400 text'
as bob POST "/api/rooms/$r1/messages" '{"chat_marker":{"type":"read","id":"x"}}'
text_is 400 "Invalid marker, it must be 'received', 'displayed' or 'acknowledged'" \
    'unknown marker: 400 text'
as bob POST "/api/rooms/$r1/messages" '{"chat_marker":{"type":"received"}}'
text_is 400 "Invalid marker, it must be 'received', 'displayed' or 'acknowledged'" \
    'marker without id: 400 text'
as bob POST "/api/rooms/$r1/messages" '{"chat_marker":"received","body":"x"}'
text_is 400 "Invalid marker, it must be 'received', 'displayed' or 'acknowledged'" \
    'marker not an object: 400 text, even with a body'
as bob POST "/api/rooms/$r1/messages" '{"chat_marker":{"type":"bad","id":"x"},"body":7}'
text_is 400 "Invalid marker, it must be 'received', 'displayed' or 'acknowledged'" \
    'the marker is checked before the body'
as bob -t text/plain POST "/api/rooms/$r1/messages" '{"body":"x"}'
empty_is 415 'text/plain: 415'
unchanged 'refused posts'

# --- chat markers (a room of its own) ---------------------------------------------------
as alice PUT /api/rooms/markers '{"name":"m","subject":"s"}'
as alice POST /api/rooms/markers/users '{"user":"bob@localhost"}'
as alice POST /api/rooms/markers/messages '{"body":"mark me","markable":true}'
json_is 200 '{"id":"UUID"}' 'markable message: 200'
mk=$(reply_id)
for t in received displayed acknowledged; do
	as bob POST /api/rooms/markers/messages "{\"chat_marker\":{\"type\":\"$t\",\"id\":\"$mk\"}}"
	json_is 200 '{"id":"UUID"}' "marker $t: 200"
done
as bob POST /api/rooms/markers/messages '{"body":"plain","markable":false}'
as bob POST /api/rooms/markers/messages '{"body":"odd","markable":"yes"}'
as alice GET /api/rooms/markers/messages
BODY=$(printf '%s' "$BODY" | sed -e "s/$mk/MK/g")
json_is 200 '[{"type":"affiliation","from":"markers@muclight.localhost","id":"UUID","timestamp":TS,"user":"bob@localhost","affiliation":"member"},{"type":"message","from":"alice@localhost","id":"MK","timestamp":TS,"body":"mark me","markable":true},{"type":"message","from":"bob@localhost","id":"UUID","timestamp":TS,"chat_marker":{"type":"received","id":"MK"}},{"type":"message","from":"bob@localhost","id":"UUID","timestamp":TS,"chat_marker":{"type":"displayed","id":"MK"}},{"type":"message","from":"bob@localhost","id":"UUID","timestamp":TS,"chat_marker":{"type":"acknowledged","id":"MK"}},{"type":"message","from":"bob@localhost","id":"UUID","timestamp":TS,"body":"plain"},{"type":"message","from":"bob@localhost","id":"UUID","timestamp":TS,"body":"odd"}]' \
    'markable and the three markers come back in order; markable only when true'

# --- a room with no invitees -------------------------------------------------------------
as alice PUT /api/rooms/solo@muclight.localhost '{"name":"solo","subject":"s"}'
as alice POST /api/rooms/solo@muclight.localhost/messages '{"body":"alone"}'
as alice GET /api/rooms/solo@muclight.localhost/messages
json_is 200 '[{"type":"message","from":"alice@localhost","id":"UUID","timestamp":TS,"body":"alone"}]' \
    'creation is not archived: exactly 1 item'

# --- configuration ------------------------------------------------------------------------
as alice PUT "/api/rooms/$r1/config" '{"name":"New name","subject":"New subject"}'
empty_is 204 'owner changes the config: 204, no body'
as bob GET "/api/rooms/$r1"
like "$BODY" '^\{"name":"New name","subject":"New subject",' 'GET shows the new name and subject'
digest=$(client_digest)
as bob PUT "/api/rooms/$r1/config" '{"name":"Bob was here","subject":"s"}'
empty_is 403 'member changes the config: 403'
as kate PUT "/api/rooms/$r1/config" '{"name":"Kate was here","subject":"s"}'
empty_is 400 'non-member changes the config: 400 (as upstream)'
as alice PUT /api/rooms/nosuchroom/config '{"name":"n","subject":"s"}'
empty_is 400 'config of an unknown room: 400 (as upstream)'
as alice PUT "/api/rooms/$r1/config" '{"name":"only a name"}'
empty_is 400 'config without subject: 400'
as alice PUT "/api/rooms/$r1/config" '{"name":"n","subject":null}'
empty_is 400 'config with a null subject: 400'
unchanged 'refused config changes'
cp "$CHATREST_CONFIG" "$TEST_TMP/acc.conf"
printf '[client]\nall_can_configure = 1\n' >>"$TEST_TMP/acc.conf"
as bob -c "$TEST_TMP/acc.conf" PUT "/api/rooms/$r1/config" '{"name":"Bob was here","subject":"s"}'
empty_is 204 'member with all_can_configure: 204'
as kate -c "$TEST_TMP/acc.conf" PUT "/api/rooms/$r1/config" '{"name":"Kate was here","subject":"s"}'
empty_is 400 'non-member with all_can_configure: still 400'
as kate GET "/api/rooms/$r1"
reply_is 200 '{"name":"Bob was here","subject":"s","participants":[{"user":"alice@localhost","role":"owner"},{"user":"bob@localhost","role":"member"}]}' \
    'non-member reads room details (unchecked upstream in 3.x)'
as kate GET "/api/rooms/$r1@muclight.localhost"
reply_is 200 '{"name":"Bob was here","subject":"s","participants":[{"user":"alice@localhost","role":"owner"},{"user":"bob@localhost","role":"member"}]}' \
    'non-member reads room details by room JID'

# --- leaving and removing ------------------------------------------------------------------
as alice POST "/api/rooms/$r1/users" '{"user":"kate@localhost"}'
digest=$(client_digest)
as bob DELETE "/api/rooms/$r1/users/kate@localhost"
empty_is 403 'member removes another: 403'
as dave DELETE "/api/rooms/$r1/users/kate@localhost"
empty_is 403 'non-member removes another: 403'
as dave DELETE "/api/rooms/$r1/users/dave@localhost"
empty_is 403 'non-member removes themself: 403'
as bob DELETE "/api/rooms/$r1/users/not-a-jid"
empty_is 403 'member removes an invalid JID: 403'
as alice DELETE "/api/rooms/$r1/users/not-a-jid"
empty_is 400 'owner removes an invalid JID: 400'
as alice DELETE /api/rooms/nosuchroom/users/bob@localhost
empty_is 404 'remove from an unknown room: 404'
unchanged 'refused removals'
as alice DELETE "/api/rooms/$r1/users/dave@localhost"
empty_is 204 'owner removes a non-member: 204'
unchanged 'removing a non-member'
as alice DELETE "/api/rooms/$r1@muclight.localhost/users/kate@localhost"
empty_is 204 'owner removes kate (room JID): 204'
as kate GET "/api/rooms/$r1/messages"
empty_is 403 'kate is out'
as alice DELETE "/api/rooms/$r1/users/alice@localhost"
empty_is 204 'owner removes herself: 204'
as bob GET "/api/rooms/$r1"
like "$BODY" '"participants":\[\{"user":"bob@localhost","role":"owner"\}\]\}$' \
    'ownership passes on to bob'
as bob GET "/api/rooms/$r1/messages?limit=3"
json_is 200 "[{\"type\":\"affiliation\",\"from\":\"$r1@muclight.localhost\",\"id\":\"UUID\",\"timestamp\":TS,\"user\":\"kate@localhost\",\"affiliation\":\"none\"},{\"type\":\"affiliation\",\"from\":\"$r1@muclight.localhost\",\"id\":\"UUID\",\"timestamp\":TS,\"user\":\"alice@localhost\",\"affiliation\":\"none\"},{\"type\":\"affiliation\",\"from\":\"$r1@muclight.localhost\",\"id\":\"UUID\",\"timestamp\":TS,\"user\":\"bob@localhost\",\"affiliation\":\"owner\"}]" \
    'removals are archived as affiliation none, ownership passing as owner'
as alice GET /api/rooms
is "$(printf '%s' "$BODY" | grep -c "$r1")" 0 "the room left alice's list"
as bob POST "/api/rooms/$r1/users" '{"user":"kate@localhost"}'
empty_is 204 'the new owner invites'
as kate DELETE "/api/rooms/$r1/users/kate@localhost"
empty_is 204 'member removes himself: 204'
as kate DELETE "/api/rooms/$r1/users/KATE@localhost"
empty_is 403 'and is then a non-member'
as bob DELETE "/api/rooms/$r1/users/bob@localhost"
empty_is 204 'the last one leaves: 204'
as bob GET "/api/rooms/$r1"
empty_is 404 'a room nobody is in is gone'
is "$(psql_q "select count(*) from room_archive a join rooms r on r.id = a.room_id where r.rid = '$r1'")" 0 \
    'and its archive with it'

# --- pagination over seeded times -----------------------------------------------------------
as alice PUT /api/rooms/paged '{"name":"p","subject":"s"}'
as alice POST /api/rooms/paged/users '{"user":"bob@localhost"}'
rid=$(psql_q "select id from rooms where rid = 'paged'")
D=1768003200000
for s in A:3 B:2 C:1; do
	b=${s%%:*} days=${s#*:}
	ts=$(( (D - days * 86400000 + 36000000) * 1000 ))
	psql_q "insert into room_archive (room_id, ts, mid, kind, user_host,
	    user_local, body) values ($rid, $ts, gen_random_uuid(), 'message',
	    'localhost', 'bob', '$b')" >/dev/null
done
psql_q "delete from room_archive where room_id = $rid and kind = 'affiliation'" >/dev/null
as alice POST /api/rooms/paged/messages '{"body":"D"}'
bodies() {
	printf '%s' "$BODY" | sed -E 's/"body":"([^"]*)"/\n\1\n/g' |
	    awk 'NR % 2 == 0' | tr -d '\n'
}
as alice GET '/api/rooms/paged/messages?limit=10'
is "$STATUS $(bodies)" '200 ABCD' 'limit=10: everything, oldest first'
as alice GET '/api/rooms/paged/messages?limit=3'
is "$STATUS $(bodies)" '200 BCD' 'limit=3: the newest 3'
before=$((D - 86400000 - 10000))
as alice GET "/api/rooms/paged/messages?before=$before&limit=4"
is "$STATUS $(bodies)" '200 AB' 'before=yesterday-10s, limit=4: starts with the oldest day'
as alice GET "/api/rooms/paged/messages?before=$before&limit=1"
is "$STATUS $(bodies)" '200 B' 'limit=1: starts with the next day'
# As upstream's seed: two messages a day, so limit=2 starts a day later.
as alice PUT /api/rooms/paged2 '{"name":"p","subject":"s"}'
rid2=$(psql_q "select id from rooms where rid = 'paged2'")
for s in A:3:1 A:3:2 B:2:1 B:2:2 C:1:1 C:1:2; do
	b=${s%%:*} rest=${s#*:}
	days=${rest%%:*} sec=${rest#*:}
	ts=$(( (D - days * 86400000 + 36000000 + sec * 1000) * 1000 ))
	psql_q "insert into room_archive (room_id, ts, mid, kind, user_host,
	    user_local, body) values ($rid2, $ts, gen_random_uuid(), 'message',
	    'localhost', 'alice', '$b')" >/dev/null
done
as alice GET "/api/rooms/paged2/messages?before=$before&limit=4"
is "$STATUS $(bodies)" '200 AABB' 'two a day, limit=4: starts with the oldest day'
as alice GET "/api/rooms/paged2/messages?before=$before&limit=2"
is "$STATUS $(bodies)" '200 BB' 'two a day, limit=2: starts with the next day'
as alice GET '/api/rooms/paged2/messages?limit=3'
is "$STATUS $(bodies)" '200 BCC' 'limit=3: the newest 3, oldest first'
as alice GET "/api/rooms/paged2/messages?before=$((D - 86400000 + 36000000 + 1000))&limit=1"
is "$STATUS $(bodies)" '200 C' 'room before is inclusive'
as alice GET "/api/rooms/paged2/messages?before=$((D - 86400000 + 36000000 + 999))&limit=1"
is "$STATUS $(bodies)" '200 B' 'one millisecond earlier excludes it'
as alice GET '/api/rooms/paged/messages?limit=x'
empty_is 400 'limit=x: 400'
as alice GET '/api/rooms/paged/messages?before=soon'
empty_is 400 'before=soon: 400'

# --- a configured MUC domain -------------------------------------------------------------
cp "$CHATREST_CONFIG" "$TEST_TMP/muc.conf"
printf '[client]\nmuc_domain = conference.@HOST@\n' >>"$TEST_TMP/muc.conf"
as alice -c "$TEST_TMP/muc.conf" GET /api/rooms/paged@conference.localhost
is "$STATUS" 200 'muc_domain = conference.@HOST@: the room by its JID there'
as alice -c "$TEST_TMP/muc.conf" GET /api/rooms/paged@muclight.localhost
text_is 400 invalid_room_id 'and no longer on muclight.localhost'
as alice -c "$TEST_TMP/muc.conf" POST /api/rooms/paged/users '{"user":"kate@localhost"}'
as alice -c "$TEST_TMP/muc.conf" GET '/api/rooms/paged/messages?limit=1'
json_is 200 '[{"type":"affiliation","from":"paged@conference.localhost","id":"UUID","timestamp":TS,"user":"kate@localhost","affiliation":"member"}]' \
    'affiliation items come from the room JID on that domain'
as alice -c "$TEST_TMP/muc.conf" DELETE /api/rooms/paged@conference.localhost/users/kate@localhost
empty_is 204 'kate removed by the room JID on that domain'
psql_q "delete from room_archive where room_id = $rid and kind = 'affiliation'" >/dev/null

# --- blocklists in rooms ------------------------------------------------------------------
auid=$(psql_q "select id from users where localpart = 'alice' and host = 'localhost'")
psql_q "insert into blocks (user_id, blocked_host, blocked_local) values
    ($auid, 'localhost', 'bob')" >/dev/null
as alice GET '/api/rooms/paged/messages?limit=10'
is "$STATUS $(bodies)" '200 D' "alice does not get the messages of bob, whom she blocked"
as alice GET /api/rooms/markers/messages
json_is 200 '[{"type":"affiliation","from":"markers@muclight.localhost","id":"UUID","timestamp":TS,"user":"bob@localhost","affiliation":"member"},{"type":"message","from":"alice@localhost","id":"UUID","timestamp":TS,"body":"mark me","markable":true}]' \
    "affiliation items about bob stay; his messages and markers go"
as bob GET '/api/rooms/paged/messages?limit=10'
is "$STATUS $(bodies)" '200 ABCD' 'bob still reads everything'
psql_q "delete from blocks" >/dev/null

# --- concurrency ------------------------------------------------------------------------------
# Each CGI process checks its password afresh, and a check in flight counts
# against [auth] fail_limit until it succeeds: more than 10 at once from one
# account and address would be refused.  These tests are about posting.
{ cat "$CHATREST_CONFIG"; printf '[auth]\nfail_limit = 100\n'; } >"$TEST_TMP/many.conf"
chmod 644 "$TEST_TMP/many.conf"
CHATREST_CONFIG=$TEST_TMP/many.conf
as alice PUT /api/rooms/busy '{"name":"b","subject":"s"}'
as alice POST /api/rooms/busy/users '{"user":"bob@localhost"}'
i=0
while [ $i -lt 24 ]; do
	who=alice
	[ $((i % 2)) = 0 ] || who=bob
	( _req_n=$((1000 + i)); as $who POST /api/rooms/busy/messages \
	    "{\"body\":\"m$i\"}"; echo "$STATUS" >"$TEST_TMP/busy.$i" ) &
	i=$((i + 1))
done
wait
is "$(cat "$TEST_TMP"/busy.* | sort | uniq -c | tr -s ' ')" ' 24 200' '24 concurrent posts: all 200'
is "$(psql_q "select count(*), count(distinct mid) from room_archive a join rooms r on r.id = a.room_id where r.rid = 'busy' and kind = 'message'")" \
    '24|24' 'every concurrent message is archived once, with its own id'
i=0
while [ $i -lt 12 ]; do
	( _req_n=$((2000 + i)); as dave POST /api/rooms '{"name":"c","subject":"s"}'
	  echo "$(reply_id)" >"$TEST_TMP/made.$i" ) &
	i=$((i + 1))
done
wait
is "$(cat "$TEST_TMP"/made.* | grep -c .)|$(cat "$TEST_TMP"/made.* | sort -u | grep -c .)" \
    '12|12' '12 concurrent creations: 12 distinct room ids'

done_testing
