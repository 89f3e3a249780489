#!/bin/sh
# Idempotency-Key: a retried write within the window gets the first answer
# and stores nothing new, also when the retries race each other in
# separate processes; a refused write takes no key; keys belong to their
# caller and to one request; admin send_message honours it too.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

for u in alice bob; do register $u; done

chats() {	# how many archived copies hold BODY
	psql_q "select count(*) from chat_archive where body = '$1'"
}
K1=3f1c2a9e-6b7d-4e1f-9a2b-0c4d5e6f7a8b

# --- POST /api/messages -------------------------------------------------------
as alice -e "HTTP_IDEMPOTENCY_KEY=$K1" POST /api/messages '{"to":"bob@localhost","body":"once"}'
is "$STATUS" 200 'a send with a key: 200'
first=$BODY
like "$first" '^\{"id":"[0-9a-f-]{36}"\}$' '... with its id'
is "$(header Idempotent-Replayed)" '' '... not a replay'
as alice -e "HTTP_IDEMPOTENCY_KEY=$K1" POST /api/messages '{"to":"bob@localhost","body":"once"}'
reply_is 200 "$first" 'the retry: the first answer, the same id'
is "$(header Idempotent-Replayed)" true '... marked as a replay'
is "$(chats once)" 2 'stored once (the sender'"'"'s and the recipient'"'"'s copy)'
as bob -e "HTTP_IDEMPOTENCY_KEY=$K1" POST /api/messages '{"to":"alice@localhost","body":"once"}'
is "$STATUS|$(header Idempotent-Replayed)" '200|' 'keys belong to their caller'
is "$(chats once)" 4 '... bob'"'"'s send is stored'
as alice -e "HTTP_IDEMPOTENCY_KEY=$K1" POST /api/rooms '{"name":"r","subject":"s"}'
is "$STATUS|$BODY_BYTES" '409|0' 'the key on another request: 409, empty (MongooseIM)'

# a refused write takes no key: its retry, corrected, is a new write
as alice -e HTTP_IDEMPOTENCY_KEY=k2 POST /api/messages '{"to":"bob@localhost"}'
is "$STATUS" 400 'a refused send with a key: 400'
as alice -e HTTP_IDEMPOTENCY_KEY=k2 POST /api/messages '{"to":"bob@localhost","body":"fixed"}'
is "$STATUS|$(header Idempotent-Replayed)" '200|' '... the corrected retry is written'
is "$(chats fixed)" 2 '... once'

for k in '' 'two words' "$(head -c 256 /dev/zero | tr '\0' k)" "$(printf 'tab\tkey')"; do
	as alice -e "HTTP_IDEMPOTENCY_KEY=$k" POST /api/messages '{"to":"bob@localhost","body":"bad key"}'
	is "$STATUS|$BODY_BYTES" '400|0' "a malformed key ('$(printf '%.12s' "$k")'): 400"
done
is "$(chats 'bad key')" 0 '... and nothing stored'

# the window: an older key is forgotten, the same key writes again
psql_q "update idempotency_keys set created_at = now() - interval '25 hours'" >/dev/null
as alice -e "HTTP_IDEMPOTENCY_KEY=$K1" POST /api/messages '{"to":"bob@localhost","body":"once"}'
is "$STATUS|$(header Idempotent-Replayed)" '200|' 'after [server] idempotency_window: a new write'
ok '... with a new id' [ "$BODY" != "$first" ]

# --- racing retries: one write, every answer the same ------------------------
# (uncached password checks in flight count against [auth] fail_limit)
{ cat "$CHATREST_CONFIG"; printf '[auth]\nfail_limit = 100\n'; } >"$TEST_TMP/many.conf"
chmod 644 "$TEST_TMP/many.conf"
K3=race-key-0001
i=0
while [ $i -lt 12 ]; do
	( REQ_PREFIX=race$i; as alice -c "$TEST_TMP/many.conf" \
	    -e "HTTP_IDEMPOTENCY_KEY=$K3" POST /api/messages \
	    '{"to":"bob@localhost","body":"raced"}'
	  echo "$STATUS $BODY" >"$TEST_TMP/raced.$i" ) &
	i=$((i + 1))
done
wait
is "$(cat "$TEST_TMP"/raced.* | sort -u | wc -l | tr -d ' ')" 1 \
    '12 concurrent sends with one key: one answer' ||
    diag "$(cat "$TEST_TMP"/raced.* | sort | uniq -c)"
like "$(cat "$TEST_TMP"/raced.0)" '^200 \{"id":' '... a 200 with the id'
is "$(chats raced)" 2 '... one message stored'

# --- rooms: creation and posting -------------------------------------------------
as alice -e HTTP_IDEMPOTENCY_KEY=room-1 POST /api/rooms '{"name":"r","subject":"s"}'
is "$STATUS" 200 'room creation with a key'
room=$BODY
as alice -e HTTP_IDEMPOTENCY_KEY=room-1 POST /api/rooms '{"name":"r","subject":"s"}'
reply_is 200 "$room" '... retried: the same room'
is "$(psql_q "select count(*) from rooms")" 1 '... created once'
rid=$(printf '%s' "$room" | sed 's/.*"id":"\([^"]*\)".*/\1/')
as alice -e HTTP_IDEMPOTENCY_KEY=post-1 POST "/api/rooms/$rid/messages" '{"body":"in room"}'
is "$STATUS" 200 'a room post with a key'
post=$BODY
as alice -e HTTP_IDEMPOTENCY_KEY=post-1 POST "/api/rooms/$rid/messages" '{"body":"in room"}'
reply_is 200 "$post" '... retried: the same id'
is "$(psql_q "select count(*) from room_archive where body = 'in room'")" 1 '... posted once'

# --- admin send_message (both encodings) ------------------------------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-admin CGI_MOUNT=/api/admin
SM='{"type":"chat","from":"alice@localhost","to":"bob@localhost","subject":"","body":"admin once"}'
for i in 1 2 3; do
	cgi -a "Bearer $ADMIN_KEY" -e HTTP_IDEMPOTENCY_KEY=adm-1 POST /api/admin/send_message "$SM"
done
reply_is 200 0 'admin send_message retried with a key: 0'
is "$(chats 'admin once')" 2 '... stored once'
is "$(psql_q "select count(*) from admin_audit where command = 'send_message'")" 1 \
    '... audited once'
RF="{\"key\":\"$ADMIN_KEY\",\"command\":\"send_message\",\"args\":[\"chat\",\"alice@localhost\",\"bob@localhost\",\"\",\"restful once\"]}"
cgi -e HTTP_IDEMPOTENCY_KEY=adm-2 POST /api/admin "$RF"
cgi -e HTTP_IDEMPOTENCY_KEY=adm-2 POST /api/admin "$RF"
reply_is 200 '"ok"' 'mod_restful send_message retried with a key: "ok"'
is "$(chats 'restful once')" 2 '... stored once'
cgi -a "Bearer $ADMIN_KEY" -e HTTP_IDEMPOTENCY_KEY=adm-1 POST /api/admin/create_room \
    '{"name":"other","service":"muclight.localhost","host":"localhost"}'
reply_is 409 '"Idempotency-Key used for another command"' \
    'an admin key reused for another command: 409'
cgi -a "Bearer $ADMIN_KEY" -e 'HTTP_IDEMPOTENCY_KEY=a b' POST /api/admin/send_message "$SM"
reply_is 400 '"malformed Idempotency-Key"' 'a malformed admin key: 400'
is "$(chats 'admin once')" 2 '... nothing stored'
done_testing
