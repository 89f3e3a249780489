#!/bin/sh
# chatrest-client as CGI: authentication, presence, CORS, OPTIONS, and the
# one-to-one archive (send, read, filter, paginate, blocklists, bad input).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

for u in alice bob kate; do register $u; done
register alice example.org

# --- authentication ------------------------------------------------------------
cgi GET /api/messages
empty_is 401 'no credentials: 401, empty body'
is "$(header WWW-Authenticate)" 'Basic realm="mongooseim"' '401 carries WWW-Authenticate'
is "$(header Vary)" Origin '401 carries Vary: Origin'
cgi -a "$(basic alice@localhost wrong)" GET /api/messages
empty_is 401 'wrong password: 401'
is "$(header WWW-Authenticate)" 'Basic realm="mongooseim"' 'wrong password: WWW-Authenticate'
cgi -a "$(basic nobody@localhost pw-nobody)" GET /api/messages
empty_is 401 'unknown user: 401'
cgi -a "$(basic alice@elsewhere.org pw-alice)" GET /api/messages
empty_is 401 'user on a host not served: 401'
cgi -a "$(basic alice pw-alice)" GET /api/messages
empty_is 401 'user id without a host: 401'
cgi -a "$(basic '' pw-alice)" GET /api/messages
empty_is 401 'empty user id: 401'
cgi -a "Bearer abc" GET /api/messages
empty_is 401 'other scheme: 401'
cgi -a "Basic !!!" GET /api/messages
empty_is 401 'malformed Basic: 401'
is "$(psql_q "select count(*) from users where last_seen is not null")" 0 \
    'failed logins record no presence'
cgi -a "$(basic ALICE@LocalHost pw-alice)" GET /api/messages
reply_is 200 '[]' 'JID in upper case: same account, empty archive'
is "$(psql_q "select localpart from users where last_seen is not null")" alice \
    'a successful login records last-seen'
as alice@example.org GET /api/messages
reply_is 200 '[]' 'same localpart on the other host is its own account'

# Each CGI request is a new process: only the database can hold the rate.
seen() {
	psql_q "select last_seen from users where localpart = 'kate'"
}
psql_q "update users set last_seen = now() - interval '50 seconds'
    where localpart = 'kate'" >/dev/null
t0=$(seen)
as kate GET /api/rooms
as kate GET /api/contacts
is "$STATUS $(seen)" "200 $t0" 'last-seen within [presence] interval (60 s): not written again'
psql_q "update users set last_seen = now() - interval '61 seconds'
    where localpart = 'kate'" >/dev/null
as kate GET /api/rooms
is "$STATUS $(psql_q "select last_seen > now() - interval '10 seconds'
    from users where localpart = 'kate'")" '200 t' 'older than the interval: written'
cp "$CHATREST_CONFIG" "$TEST_TMP/iv0.conf"
printf '[presence]\ninterval = 0\n' >>"$TEST_TMP/iv0.conf"
psql_q "update users set last_seen = now() - interval '5 seconds'
    where localpart = 'kate'" >/dev/null
as kate -c "$TEST_TMP/iv0.conf" GET /api/rooms
is "$STATUS $(psql_q "select last_seen > now() - interval '4 seconds'
    from users where localpart = 'kate'")" '200 t' 'interval = 0: written on every request'

# --- sending and reading ----------------------------------------------------------
as bob POST /api/messages '{"to":"alice@localhost","body":"Hello Alice!"}'
json_is 200 '{"id":"UUID"}' 'bob -> alice: 200 and a UUID'
id1=$(reply_id)
as alice POST /api/messages '{"to":"bob@localhost","body":"Hi Bob"}'
json_is 200 '{"id":"UUID"}' 'alice -> bob'
id2=$(reply_id)
as kate POST /api/messages '{"body":"Kate here","to":"Alice@LOCALHOST"}'
json_is 200 '{"id":"UUID"}' 'kate -> Alice@LOCALHOST (normalised)'
id3=$(reply_id)
as alice GET /api/messages
BODY=$(printf '%s' "$BODY" | sed -e "s/$id1/ID1/" -e "s/$id2/ID2/" -e "s/$id3/ID3/")
json_is 200 '[{"from":"bob@localhost","to":"alice@localhost","id":"ID1","body":"Hello Alice!","timestamp":TS},{"from":"alice@localhost","to":"bob@localhost","id":"ID2","body":"Hi Bob","timestamp":TS},{"from":"kate@localhost","to":"alice@localhost","id":"ID3","body":"Kate here","timestamp":TS}]' \
    "alice's archive: 3 messages in send order with the POST ids"
as alice GET /api/messages/kate@localhost
BODY=$(printf '%s' "$BODY" | sed -e "s/$id3/ID3/")
json_is 200 '[{"from":"kate@localhost","to":"alice@localhost","id":"ID3","body":"Kate here","timestamp":TS}]' \
    'GET /messages/kate: only the conversation with kate'
as bob GET /api/messages
json_is 200 '[{"from":"bob@localhost","to":"alice@localhost","id":"UUID","body":"Hello Alice!","timestamp":TS},{"from":"alice@localhost","to":"bob@localhost","id":"UUID","body":"Hi Bob","timestamp":TS}]' \
    "bob's archive: his own two, not kate's"
as alice GET /api/messages/kate@localhost/phone
empty_is 404 'a full JID (a path segment more): 404'
as alice GET '/api/messages/not a jid'
empty_is 404 'unparsable with: 404'
as alice@example.org GET /api/messages
reply_is 200 '[]' 'the other host has its own archive'

as alice POST /api/messages '{"to":"ghost@localhost","body":"anyone?"}'
json_is 200 '{"id":"UUID"}' 'to an unknown user: 200 (not checked upstream)'
as alice POST /api/messages '{"to":"friend@remote.example","body":"hi"}'
json_is 200 '{"id":"UUID"}' 'to a user elsewhere: 200'
is "$(psql_q "select count(*) from chat_archive where body in ('anyone?', 'hi')")" 2 \
    'only the sender keeps a copy when nobody here receives it'
as alice POST /api/messages '{"to":"bob@localhost","body":""}'
json_is 200 '{"id":"UUID"}' 'an empty body is a message'
as alice POST /api/messages '{"to":"bob@localhost","body":"caf\u00e9 \"q\" \\ /"}'
json_is 200 '{"id":"UUID"}' 'escapes and UTF-8'
as bob GET '/api/messages/alice@localhost?limit=1'
json_is 200 '[{"from":"alice@localhost","to":"bob@localhost","id":"UUID","body":"café \"q\" \\ /","timestamp":TS}]' \
    'escapes come back as sent'

# --- bad input changes nothing ---------------------------------------------------
digest=$(client_digest)
unchanged() {
	is "$(client_digest)" "$digest" "$1: database unchanged"
}
as alice POST /api/messages '{"to":"bob@localhost","body":'
empty_is 400 'invalid JSON: 400'
unchanged 'invalid JSON'
as alice POST /api/messages '["to","body"]'
empty_is 400 'not an object: 400'
as alice POST /api/messages '{"to":"bob@localhost"}'
empty_is 400 'no body: 400'
as alice POST /api/messages '{"body":"x"}'
empty_is 400 'no to: 400'
as alice POST /api/messages '{"to":"bob@localhost","body":{"a":1}}'
empty_is 400 'body not a string: 400'
as alice POST /api/messages '{"to":7,"body":"x"}'
empty_is 400 'to not a string: 400'
as alice POST /api/messages '{"to":"not a jid","body":"x"}'
empty_is 400 'invalid to: 400 (upstream crashes with 500)'
as alice POST /api/messages '{"to":"bob@localhost","body":"a\u0000b"}'
empty_is 400 'NUL in body: 400'
as alice -t text/plain POST /api/messages '{"to":"bob@localhost","body":"x"}'
empty_is 415 'text/plain: 415'
as alice -t '' POST /api/messages '{"to":"bob@localhost","body":"x"}'
empty_is 415 'no Content-Type: 415'
unchanged 'rejected sends'

# --- pagination over seeded times ----------------------------------------------------
# D = 2026-01-10 00:00 UTC; A three days before at 10:00, B two, C one.
D=1768003200000
uid=$(psql_q "select id from users where localpart = 'kate' and host = 'localhost'")
for s in A:3 A:3 B:2 B:2 C:1 C:1; do
	b=${s%%:*} days=${s#*:}
	ts=$(( (D - days * 86400000 + 36000000) * 1000 ))
	psql_q "insert into chat_archive (owner_id, ts, mid, from_host, from_local,
	    to_host, to_local, peer_host, peer_local, body) values ($uid, $ts,
	    gen_random_uuid(), 'localhost', 'carol', 'localhost', 'kate',
	    'localhost', 'carol', '$b')" >/dev/null
done
bodies() {
	printf '%s' "$BODY" | sed -E 's/"body":"([^"]*)"/\n\1\n/g' |
	    awk 'NR % 2 == 0' | tr -d '\n'
}
as kate GET '/api/messages/carol@localhost?limit=10'
is "$STATUS $(bodies)" '200 AABBCC' 'limit=10: all 6, oldest first'
as kate GET '/api/messages/carol@localhost?limit=3'
is "$STATUS $(bodies)" '200 BCC' 'limit=3: the newest 3, oldest first'
yday=$((D - 86400000 + 1000))
as kate GET "/api/messages/carol@localhost?before=$yday&limit=10"
is "$STATUS $(bodies)" '200 AABB' 'before=yesterday 00:00:01: 4, first A'
as kate GET "/api/messages/carol@localhost?before=$yday&limit=2"
is "$STATUS $(bodies)" '200 BB' 'before and limit=2: the newest 2 before, first B'
exact=$((D - 86400000 + 36000000))
as kate GET "/api/messages/carol@localhost?before=$exact&limit=1"
is "$STATUS $(bodies)" '200 C' 'before is inclusive'
as kate GET "/api/messages/carol@localhost?before=$((exact - 1))&limit=10"
is "$STATUS $(bodies)" '200 AABB' 'one millisecond earlier excludes it'
as kate GET "/api/messages/carol@localhost?before=$exact&limit=1"
like "$BODY" "\"timestamp\":$exact}" 'timestamps are integer milliseconds'
as kate GET '/api/messages/carol@localhost?limit=0'
reply_is 200 '[]' 'limit=0: []'
for q in limit=abc limit=-1 limit=1.5 limit= limit=99999999999 before=x \
    before=-5 before=1e3 before=12345678901234567; do
	as kate GET "/api/messages?$q"
	empty_is 400 "$q: 400"
done
cp "$CHATREST_CONFIG" "$TEST_TMP/max.conf"
printf '[client]\nmax_limit = 2\n' >>"$TEST_TMP/max.conf"
as kate -c "$TEST_TMP/max.conf" GET '/api/messages/carol@localhost?limit=10'
is "$STATUS $(bodies)" '200 CC' 'limit above [client] max_limit is capped'
as kate -c "$TEST_TMP/max.conf" GET '/api/messages/carol@localhost'
is "$STATUS $(bodies)" '200 CC' 'the default 50 is capped too'

# --- blocklists --------------------------------------------------------------------
as bob POST /api/messages '{"to":"kate@localhost","body":"from bob"}'
as kate POST /api/messages '{"to":"bob@localhost","body":"to bob"}'
psql_q "insert into blocks (user_id, blocked_host, blocked_local) values
    ($uid, 'localhost', 'bob'), ($uid, 'localhost', 'carol')" >/dev/null
as kate GET /api/messages
is "$STATUS $(bodies)" '200 Kate hereto bob' \
    "blocked senders' messages are not returned; kate's own are"
as kate GET /api/messages/bob@localhost
is "$STATUS $(bodies)" '200 to bob' 'nor in the conversation with them'
as bob GET /api/messages/kate@localhost
is "$STATUS $(bodies)" '200 from bobto bob' 'the blocked user still sees both'
psql_q "delete from blocks where user_id = $uid" >/dev/null
as kate GET /api/messages/bob@localhost
is "$STATUS $(bodies)" '200 from bobto bob' 'unblocking shows them again'

# --- routing, OPTIONS and CORS -----------------------------------------------------
as alice DELETE /api/messages
empty_is 405 'DELETE: 405'
is "$(header Allow)" 'GET, HEAD, POST' '405 lists the allowed methods'
as alice GET /api/nothing
empty_is 404 'unknown path: 404'
digest=$(client_digest)
cgi OPTIONS /api/messages
empty_is 200 'OPTIONS without credentials: 200'
is "$(header Allow)" 'GET, HEAD, POST, OPTIONS' 'OPTIONS: Allow'
cgi OPTIONS /api/rooms/r1/users/bob@localhost
is "$STATUS $(header Allow)" '200 DELETE, OPTIONS' 'OPTIONS on a user of a room'
cgi OPTIONS /api/nothing
empty_is 404 'OPTIONS on an unknown path: 404'
unchanged OPTIONS
cgi -e HTTP_ORIGIN=https://evil.example OPTIONS /api/messages
is "$(header Access-Control-Allow-Origin)|$(header Vary)" '|Origin' \
    'no allow-list: no CORS headers, Vary: Origin'
cp "$CHATREST_CONFIG" "$TEST_TMP/cors.conf"
printf '[client]\ncors_origins = https://app.example, http://localhost:8080\n' \
    >>"$TEST_TMP/cors.conf"
cgi -c "$TEST_TMP/cors.conf" -e HTTP_ORIGIN=https://app.example OPTIONS /api/messages
is "$(header Access-Control-Allow-Origin)|$(header Access-Control-Allow-Credentials)|$(header Access-Control-Allow-Methods)|$(header Access-Control-Allow-Headers)|$(header Vary)" \
    'https://app.example|true|GET, POST, PUT, DELETE, OPTIONS|authorization, content-type|Origin' \
    'a listed origin gets CORS headers'
as alice -c "$TEST_TMP/cors.conf" -e HTTP_ORIGIN=http://localhost:8080 GET /api/messages/kate@localhost
is "$STATUS $(header Access-Control-Allow-Origin)" '200 http://localhost:8080' \
    'CORS headers on an authenticated GET'
cgi -c "$TEST_TMP/cors.conf" -e HTTP_ORIGIN=https://app.example GET /api/messages
is "$STATUS $(header Access-Control-Allow-Origin)" '401 https://app.example' \
    'and on a 401, so the page can read it'
cgi -c "$TEST_TMP/cors.conf" -e HTTP_ORIGIN=https://APP.example GET /api/messages
is "$(header Access-Control-Allow-Origin)" '' 'origins match exactly'
cgi -c "$TEST_TMP/cors.conf" -e HTTP_ORIGIN=https://app.example.evil.org GET /api/messages
is "$(header Access-Control-Allow-Origin)" '' 'no prefix matches'

# --- from a terminal ---------------------------------------------------------------
term -u kate@localhost:pw-kate GET '/api/messages/carol@localhost?limit=1'
is "$STATUS $RC $(bodies)" '200 0 C' 'terminal mode: -u and a query'
term GET /api/rooms
is "$STATUS $RC" '401 1' 'terminal mode without -u: 401, exit 1'

done_testing
