#!/bin/sh
# chatrest-client through lighttpd, as MongooseIM's own clients and test
# suite see it: a trailing slash on every prefix, content negotiation
# (406 after 401), invalid_room_id, the contacts catch-all 501, the Basic
# realm, and a lone surrogate refused.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/client/common.sh"

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$lighttpd" ] || skip_all 'lighttpd is not installed'

for u in alice bob; do register $u; done
A=$(basic alice@localhost pw-alice)
e2e_setup lighttpd
E2E_LOG=$TEST_TMP/server.out
e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"

http -a "$A" POST "$BASE/api/messages/" '{"to":"bob@localhost","body":"slash"}'
json_is 200 '{"id":"UUID"}' 'POST /api/messages/: served'
for p in messages rooms contacts; do
	http -a "$A" GET "$BASE/api/$p/"
	a=$(norm)
	http -a "$A" GET "$BASE/api/$p"
	is "$STATUS $a" "200 $(norm)" "GET /api/$p/ is GET /api/$p"
done
http -a "$A" GET "$BASE/api/messages/bob@localhost/"
json_is 200 '[{"from":"alice@localhost","to":"bob@localhost","id":"UUID","body":"slash","timestamp":TS}]' \
    'GET /api/messages/{with}/'

# Accept, as cowboy_rest negotiates it
for acc in '*/*' 'application/*' 'application/json' 'APPLICATION/JSON' \
    'text/html, application/json;q=0.5' 'text/html;q=0.9, */*;q=0.1' \
    'application/json; charset=utf-8'; do
	http -a "$A" -H "Accept: $acc" GET "$BASE/api/rooms"
	reply_is 200 '[]' "Accept: $acc: 200"
done
for acc in 'text/html' 'application/xml, text/plain' \
    'application/json;q=0' 'text/*' 'application/jsonx'; do
	http -a "$A" -H "Accept: $acc" GET "$BASE/api/rooms"
	empty_is 406 "Accept: $acc: 406"
done
d0=$(psql_q "select count(*) from chat_archive")
http -a "$A" -H 'Accept: text/html' POST "$BASE/api/messages" '{"to":"bob@localhost","body":"x"}'
empty_is 406 'a POST that accepts no JSON: 406'
is "$(psql_q "select count(*) from chat_archive")" "$d0" '... and nothing archived'
http -H 'Accept: text/html' GET "$BASE/api/rooms"
empty_is 401 'no credentials and no JSON accepted: 401 first'
is "$(header WWW-Authenticate)" 'Basic realm="mongooseim"' \
    "upstream's realm by default"

# rooms on a foreign domain
http -a "$A" PUT "$BASE/api/rooms/r1@muclight.example.org" '{"name":"n","subject":"s"}'
text_is 400 invalid_room_id 'PUT a room on another domain: 400 invalid_room_id'
http -a "$A" GET "$BASE/api/rooms/r1@localhost/messages"
text_is 400 invalid_room_id 'a room on the user domain: 400 invalid_room_id'
is "$(psql_q "select count(*) from rooms")" 0 '... no room created'

# contacts: no action for a contact in the roster
http -a "$A" POST "$BASE/api/contacts" '{"jid":"bob@localhost"}'
empty_is 204 'bob in the roster'
http -a "$A" PUT "$BASE/api/contacts/bob@localhost" '{}'
empty_is 501 'PUT without action: 501, as upstream'
http -a "$A" PUT "$BASE/api/contacts/carol@localhost" '{}'
empty_is 404 '... 404 for a contact not in the roster'

# a lone surrogate is refused, not stored as U+FFFD
http -a "$A" POST "$BASE/api/messages" '{"to":"bob@localhost","body":"a\udc00b"}'
empty_is 400 'a lone low surrogate: 400'
http -a "$A" POST "$BASE/api/messages" '{"to":"bob@localhost","body":"a\ud83d"}'
empty_is 400 'a high surrogate alone at the end: 400'
is "$(psql_q "select count(*) from chat_archive")" "$d0" '... nothing archived'
http -a "$A" POST "$BASE/api/messages" '{"to":"bob@localhost","body":"\ud83d\ude00"}'
json_is 200 '{"id":"UUID"}' 'a surrogate pair is fine'
http -a "$A" GET "$BASE/api/messages/bob@localhost?limit=1"
is "$(printf '%s' "$BODY" | sed 's/.*"body":"\([^"]*\)".*/\1/')" '😀' \
    '... and reads back as the character sent'
e2e_stop

# [client] realm
printf '[client]\nrealm = Chat Example\n' >>"$CHATREST_CONFIG"
cgi GET /api/rooms
is "$STATUS|$(header WWW-Authenticate)" '401|Basic realm="Chat Example"' \
    '[client] realm names the realm'
sed '/^realm = Chat/d' "$CHATREST_CONFIG" >"$TEST_TMP/r.conf"
printf 'realm = bad"realm\n' >>"$TEST_TMP/r.conf"
cgi -c "$TEST_TMP/r.conf" GET /api/rooms
is "$STATUS" 503 'a realm with a quote: a configuration error'
done_testing
