#!/bin/sh
# chatrest-web through lighttpd: BareRTC's user endpoints over the
# one-to-one archive (history, usernames, clear), the profile from the
# store and from a profile webhook (a real HTTP server), tokens refused
# when expired, tampered or signed otherwise, and a lone surrogate.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/web/common.sh"

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$lighttpd" ] || skip_all 'lighttpd is not installed'
command -v openssl >/dev/null 2>&1 || skip_all 'openssl is not installed'
command -v python3 >/dev/null 2>&1 || skip_all 'python3 is not installed'

web_config
REG=$top_builddir/cgi-bin/chatrest-register
for u in alice bob dave erin frank gina; do
	"$REG" -d "{\"key\":\"$REGISTER_KEY\",\"username\":\"$u\",\"host\":\"localhost\",\"password\":\"pw-$u\"}" \
	    POST /api/register/register >/dev/null 2>&1 ||
	    bail_out "cannot register $u"
done

# client FROM TO BODY: a message through the client API.
client() {
	CGI_BIN=$top_builddir/cgi-bin/chatrest-client CGI_MOUNT=/api \
	    cgi -a "Basic $(printf '%s@localhost:pw-%s' "$1" "$1" | base64)" \
	    POST /api/messages "{\"to\":\"$2@localhost\",\"body\":\"$3\"}"
	[ "$STATUS" = 200 ] || bail_out "client: $STATUS $BODY"
}
# The thread alice-bob: two messages through the client API, 23 more
# (both copies, as messages_send writes them) straight into the archive;
# a copy's id is derived from i, as a volatile one may be drawn per row.
client alice bob 'm1 <b>'
client bob alice m2
psql_q "insert into chat_archive (owner_id, ts, mid, from_host, from_local,
    to_host, to_local, peer_host, peer_local, body)
    select o.id, (extract(epoch from now()) * 1000000)::bigint + i, m.mid,
    'localhost', m.f, 'localhost', m.t, 'localhost',
    case when o.localpart = m.f then m.t else m.f end, 'm' || i
    from generate_series(3, 25) i,
    lateral (select md5('m' || i)::uuid mid,
	case when i % 2 = 1 then 'alice' else 'bob' end f,
	case when i % 2 = 1 then 'bob' else 'alice' end t) m,
    users o where o.host = 'localhost' and o.localpart in (m.f, m.t)
    order by i, o.id" >/dev/null
client alice erin 'to erin'
client gina alice 'from gina'
# present: everyone but frank
psql_q "update users set last_seen = now() where localpart <> 'frank';
    update users set last_seen = null where localpart = 'frank'" >/dev/null

e2e_setup lighttpd
E2E_LOG=$TEST_TMP/server.out
e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
U=$BASE/api

token() {	# SUB: a token chatrest signs
	http POST "$U/authenticate" "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":\"$1\"}}"
	[ "$STATUS" = 200 ] || bail_out "authenticate: $STATUS $BODY"
	jwt_of_body
}
b64u() { base64 | tr -d '\n=' | tr '/+' '_-'; }
# mkjwt HEADER PAYLOAD [DIGEST]: a token signed with our secret.
mkjwt() {
	_h=$(printf '%s' "$1" | b64u)
	_p=$(printf '%s' "$2" | b64u)
	_s=$(printf '%s.%s' "$_h" "$_p" |
	    openssl dgst "-${3:-sha256}" -hmac "$SECRET" -binary | b64u)
	printf '%s.%s.%s' "$_h" "$_p" "$_s"
}
HS256='{"alg":"HS256","typ":"JWT"}'
now=$(date +%s)
TA=$(token alice) TB=$(token bob) TD=$(token dave) TE=$(token erin)
TF=$(token frank) TG=$(token gina)

# hist STATUS ERROR: history's error shape
hist_fail() {
	reply_is "$1" "$(printf '{\n  "OK": false,\n  "Error": "%s",\n  "Messages": null,\n  "Remaining": 0\n}' "$2")" "$3"
}
# page: the bodies of a history page, in order; ids: its msgIDs
page() { printf '%s\n' "$BODY" | sed -n 's/^      "message": "\(.*\)",$/\1/p' | tr '\n' ' '; }
ids() { printf '%s\n' "$BODY" | sed -n 's/^      "msgID": \([0-9]*\),$/\1/p'; }
remaining() { printf '%s\n' "$BODY" | sed -n 's/^  "Remaining": \([0-9]*\)$/\1/p'; }

# --- history -----------------------------------------------------------------
http POST "$U/message/history" "{\"JWTToken\":\"$TA\",\"Username\":\"bob\"}"
is "$STATUS|$(header Content-Type)|$(page)|$(remaining)" \
    "200|application/json|m25 m24 m23 m22 m21 m20 m19 m18 m17 m16 m15 m14 m13 m12 m11 m10 m9 m8 m7 m6 |5" \
    'history: 20 newest first, both directions, Remaining 5'
first=$(printf '%s\n' "$BODY" | sed -n '4,9p')
like "$first" '^    \{
      "username": "alice",
      "message": "m25",
      "msgID": [0-9]+,
      "timestamp": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
    \},$' 'an item: username, message, msgID, RFC 3339 timestamp'
is "$(ids | sort -rn | tr '\n' ' ')" "$(ids | tr '\n' ' ')" 'msgIDs decrease'
last=$(ids | tail -n 1)
http POST "$U/message/history" "{\"JWTToken\":\"$TA\",\"Username\":\"bob\",\"BeforeID\":$last}"
is "$STATUS|$(page)|$(remaining)" '200|m5 m4 m3 m2 m1 \u003cb\u003e |0' \
    'BeforeID: the older 5, the client API messages among them'
low=$(ids | tail -n 1)
http POST "$U/message/history" "{\"JWTToken\":\"$TA\",\"Username\":\"bob\",\"BeforeID\":$low}"
reply_is 200 '{
  "OK": true,
  "Messages": [],
  "Remaining": 0
}' 'below the first id: an empty page'
http POST "$U/message/history" "{\"JWTToken\":\"$TA\",\"Username\":\"bob\",\"BeforeID\":-1}"
reply_is 200 '{
  "OK": true,
  "Messages": [],
  "Remaining": 0
}' 'a negative BeforeID: an empty page'
http POST "$U/message/history" "{\"JWTToken\":\"$TB\",\"Username\":\"Alice\"}"
is "$STATUS|$(page | cut -d' ' -f1-3)|$(remaining)" '200|m25 m24 m23|5' \
    "bob sees the same conversation from his side"
http POST "$U/message/history" "{\"JWTToken\":\"$TA\",\"Username\":\"nobody here\"}"
reply_is 200 '{
  "OK": true,
  "Messages": [],
  "Remaining": 0
}' 'a name that is no account: an empty page'
http POST "$U/message/history" "{\"JWTToken\":\"$TA\",\"BeforeID\":\"5\"}"
hist_fail 400 'json: cannot unmarshal string into Go struct field request.BeforeID of type int64' \
    'BeforeID a string: Go type error, zero keys'
http POST "$U/message/history" "{\"JWTToken\":\"$TA\",\"BeforeID\":1.5}"
hist_fail 400 'json: cannot unmarshal number 1.5 into Go struct field request.BeforeID of type int64' \
    'BeforeID 1.5: Go type error'
http POST "$U/message/history" "{\"JWTToken\":\"$TF\",\"Username\":\"bob\"}"
hist_fail 400 'You are not logged into the chat room.' 'frank is not present: 400'
http POST "$U/message/history" '{"Username":"bob"}'
hist_fail 400 'JWT authentication is not available.' 'no token: 400'
http GET "$U/message/history"
hist_fail 400 'Only POST methods allowed' 'GET: 400 in the same shape'
http POST "$U/message/history/" "{\"JWTToken\":\"$TA\",\"BeforeID\":-1}"
is "$STATUS" 200 'a trailing slash reaches the same endpoint'

# --- tokens --------------------------------------------------------------------
T=$(mkjwt "$HS256" "{\"sub\":\"alice\",\"exp\":$((now - 10))}")
http POST "$U/message/history" "{\"JWTToken\":\"$T\"}"
hist_fail 400 'token is expired' 'an expired token: refused'
T=$(mkjwt "$HS256" "{\"sub\":\"alice\",\"exp\":$((now + 300))}")
http POST "$U/message/history" "{\"JWTToken\":\"$T\",\"BeforeID\":-1}"
is "$STATUS" 200 'a token made with the secret verifies'
T2=$(printf '%s' "$TA" | cut -d. -f1).$(printf '{"sub":"bob","exp":%s}' $((now + 300)) | b64u).$(printf '%s' "$TA" | cut -d. -f3)
http POST "$U/message/history" "{\"JWTToken\":\"$T2\"}"
hist_fail 400 'signature is invalid' 'a tampered payload: refused'
T=$(mkjwt '{"alg":"HS512","typ":"JWT"}' "{\"sub\":\"alice\",\"exp\":$((now + 300))}" sha512)
http POST "$U/message/history" "{\"JWTToken\":\"$T\"}"
hist_fail 400 'signing method is not HS256' 'HS512 with the same secret: refused'
T=$(mkjwt "$HS256" "{\"sub\":\"alice\",\"exp\":$((now + 300)).5}")
http POST "$U/message/history" "{\"JWTToken\":\"$T\"}"
hist_fail 400 'token is malformed' 'a fractional exp: refused'

# --- usernames -------------------------------------------------------------------
names_is() {	# STATUS USERNAMES-JSON COUNT PAGES NAME
	reply_is "$1" "$(printf '{\n  "OK": true,\n  "Usernames": %s,\n  "Count": %s,\n  "Pages": %s\n}' "$2" "$3" "$4")" "$5"
}
two='[
    "bob",
    "gina"
  ]'
owt='[
    "gina",
    "bob"
  ]'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TA\",\"Sort\":\"a-z\"}"
names_is 200 "$two" 3 1 'a-z: partners who wrote; Count is every thread'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TA\",\"Sort\":\"z-a\"}"
names_is 200 "$owt" 3 1 'z-a'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TA\"}"
names_is 200 "$owt" 3 1 'no Sort: newest thread first'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TA\",\"Sort\":\"oldest\"}"
names_is 200 "$two" 3 1 'oldest'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TA\",\"Page\":2}"
names_is 200 '[]' 3 1 'a page past the end: []'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TE\"}"
names_is 200 '[
    "alice"
  ]' 1 1 'erin: alice wrote to her'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TD\"}"
reply_is 500 '{
  "OK": false,
  "Error": "you have no direct messages stored on this chat server",
  "Usernames": null,
  "Count": 0,
  "Pages": 0
}' 'dave has none: BareRTC'"'"'s 500'
http POST "$U/message/usernames" "{\"JWTToken\":\"$TA\",\"Page\":\"2\"}"
reply_is 400 '{
  "OK": false,
  "Error": "json: cannot unmarshal string into Go struct field request.Page of type int",
  "Usernames": null,
  "Count": 0,
  "Pages": 0
}' 'Page a string: 400'

# --- clear -------------------------------------------------------------------------
clear_is() { reply_is "$1" "$(printf '{\n  "OK": true,\n  "MessagesErased": %s\n}' "$2")" "$3"; }
digest() { psql_q "select count(*) || '/' || md5(string_agg(mid::text || owner_id, ',' order by seq)) from chat_archive"; }
d0=$(digest)
http POST "$U/message/clear" "{\"APIKey\":\"wrong\",\"JWTToken\":\"$TA\"}"
reply_is 401 '{
  "OK": false,
  "Error": "Authentication denied.",
  "MessagesErased": 0
}' 'a wrong APIKey wins over a good token: 401'
http POST "$U/message/clear" '{"JWTToken":"x.y.z"}'
reply_is 400 '{
  "OK": false,
  "Error": "token is malformed",
  "MessagesErased": 0
}' 'a bad token: 400'
is "$(digest)" "$d0" 'refused clears erase nothing'
http POST "$U/message/clear" "{\"JWTToken\":\"$TE\",\"Username\":\"alice\"}"
clear_is 200 1 "erin clears hers (the body's Username ignored): 1 message"
http POST "$U/message/usernames" "{\"JWTToken\":\"$TA\",\"Sort\":\"a-z\"}"
names_is 200 "$two" 2 1 "... gone from alice's copy too"
http POST "$U/message/clear" "{\"APIKey\":\"$KEY\"}"
clear_is 200 0 'APIKey without Username: 0'
http POST "$U/message/clear" "{\"APIKey\":\"$KEY\",\"Username\":\"no one\"}"
clear_is 200 0 'APIKey, a name that is no account: 0'
http POST "$U/message/clear" "{\"APIKey\":\"$KEY\",\"Username\":\"Gina\"}"
clear_is 200 1 'APIKey and Username: gina, 1 message'
http POST "$U/message/clear" "{\"JWTToken\":\"$TF\"}"
clear_is 200 0 'clear needs no presence'
http POST "$U/message/clear" "{\"APIKey\":\"$KEY\",\"Username\":\"alice\"}"
clear_is 200 25 'alice: the 25 messages of her thread with bob'
http POST "$U/message/history" "{\"JWTToken\":\"$TB\",\"Username\":\"alice\"}"
reply_is 200 '{
  "OK": true,
  "Messages": [],
  "Remaining": 0
}' "bob's copies are gone as well"
is "$(psql_q "select count(*) from chat_archive")" 0 'the archive is empty'

# --- profile from the store -----------------------------------------------------
psql_q "update users set display_name = 'Alice A.', avatar_url = '/a.png'
    where localpart = 'alice';
    insert into user_roles (user_id, role) select id, 'op' from users
    where localpart = 'alice';
    insert into threepids (medium, address, user_id) select 'email',
    'alice@example.org', id from users where localpart = 'alice'" >/dev/null
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"alice\"}"
reply_is 200 '{
  "OK": true,
  "ProfileFields": [
    {
      "Name": "Name",
      "Value": "Alice A."
    },
    {
      "Name": "Avatar",
      "Value": "/a.png"
    },
    {
      "Name": "Roles",
      "Value": "op"
    },
    {
      "Name": "Email",
      "Value": "alice@example.org"
    }
  ]
}' 'profile: from the store; the caller need not be present'
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"bob\"}"
reply_is 200 '{
  "OK": true
}' 'profile with nothing to show'
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"zed\"}"
fail 404 'User not found.' 'profile of no account: 404'
http POST "$U/profile" '{"Username":"alice"}'
fail 400 'JWT authentication is not available.' 'profile without a token: 400'

# --- a lone surrogate ------------------------------------------------------------
http POST "$U/blocklist" "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"\\ud800\"]}"
fail 400 'invalid JSON' 'a lone surrogate: 400'
is "$(psql_q "select count(*) from web_blocklists")" 0 '... nothing stored'
e2e_stop

# --- profile from a webhook ---------------------------------------------------------
hport=$(free_port)
python3 "$top_srcdir/tests/web/hook.py" "$hport" "$TEST_TMP/hook.log" &
hpid=$!
trap 'kill $hpid 2>/dev/null; e2e_stop' EXIT
i=0
while ! curl -s -o /dev/null "http://127.0.0.1:$hport/" && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
: >"$TEST_TMP/hook.log"
{ cat "$CHATREST_CONFIG"; echo 'profile_webhook = file:///etc/passwd'; } \
    >"$TEST_TMP/file.conf"
CGI_BIN=$top_builddir/cgi-bin/chatrest-web CGI_MOUNT=/api \
    cgi -c "$TEST_TMP/file.conf" POST /api/profile "{\"JWTToken\":\"$TF\"}"
fail 503 'Service unavailable.' 'a profile_webhook that is no http URL: a config error'
like "$ERR" 'profile_webhook: not an http or https URL' '... logged as such'
echo "profile_webhook = http://127.0.0.1:$hport/profile" >>"$CHATREST_CONFIG"
e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
U=$BASE/api
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"bob\"}"
reply_is 200 '{
  "OK": true,
  "ProfileFields": [
    {
      "Name": "Age",
      "Value": "30"
    }
  ]
}' "webhook: its Data, whatever its HTTP status"
is "$(cat "$TEST_TMP/hook.log")" \
    "application/json {\"Action\":\"profile\",\"APIKey\":\"$KEY\",\"Username\":\"bob\"}" \
    'the webhook got the body BareRTC sends'
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"nobody\"}"
fail 500 'User not found' 'webhook StatusCode 404: 500 with its Error'
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"html\"}"
fail 500 "Didn't get expected response for profile data: invalid character '\\u003c' looking for beginning of value" \
    'webhook answers HTML: 500 (< escaped as Go escapes it)'
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"empty\"}"
fail 500 "Didn't get expected response for profile data: unexpected end of JSON input" \
    'webhook answers nothing: 500'
kill "$hpid" 2>/dev/null
wait "$hpid" 2>/dev/null
http POST "$U/profile" "{\"JWTToken\":\"$TF\",\"Username\":\"bob\"}"
fail 500 "Didn't get expected response for profile data: unexpected end of JSON input" \
    'webhook down: 500'
e2e_stop
ok 'no key, secret or token in the logs' sh -c '! grep -qF -e "$0" -e "$1" -e "$2" "$3"' \
    "$KEY" "$SECRET" "$TA" "$E2E_LOG"
done_testing
