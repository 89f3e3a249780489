#!/bin/sh
# chatrest-web as CGI: every BareRTC reference vector that applies, the
# tokens checked by PyJWT, and bad input changing nothing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/web/common.sh"

web_config
web_users

STATS='{
  "UserCount": 2,
  "Usernames": [
    "alice",
    "bob"
  ],
  "Cameras": {
    "Blue": 0,
    "Red": 0
  }
}'
# 1
cgi GET /api/statistics
reply_is 200 "$STATS" 'statistics: users seen within the window, sorted'
is "$(header Vary)|$(header Access-Control-Allow-Origin)" 'Origin|' \
    'no Origin: Vary, no ACAO'
# 2
cgi -e HTTP_ORIGIN=https://www.example.com GET /api/statistics
reply_is 200 "$STATS" 'statistics with a configured Origin'
is "$(header Access-Control-Allow-Origin)" https://www.example.com \
    'the matching Origin is allowed'
# 3
for o in https://www.example.com/ https://WWW.example.com \
    http://www.example.com '*' 'null'; do
	cgi -e "HTTP_ORIGIN=$o" GET /api/statistics
	is "$STATUS|$(header Access-Control-Allow-Origin)|$(header Vary)" \
	    '200||Origin' "Origin '$o': no ACAO"
done
# 4: a real preflight
cgi -e HTTP_ORIGIN=http://localhost:8080 \
    -e HTTP_ACCESS_CONTROL_REQUEST_METHOD=GET OPTIONS /api/statistics
is "$STATUS|$BODY_BYTES|$(header Access-Control-Allow-Origin)|$(header Access-Control-Allow-Methods)|$(header Vary)" \
    '200|0|http://localhost:8080|GET, HEAD|Origin' 'OPTIONS: preflight answer'
cgi -e HTTP_ORIGIN=http://evil.example OPTIONS /api/statistics
is "$STATUS|$(header Access-Control-Allow-Origin)|$(header Access-Control-Allow-Methods)" \
    '200||' 'OPTIONS from another Origin: nothing allowed'
cgi POST /api/statistics '{}'
reply_is 200 "$STATS" 'statistics answers any method'

# 5
cgi GET /api/shutdown
fail 400 'Only POST methods allowed' 'GET /api/shutdown: POST only'
cgi OPTIONS /api/blocklist
fail 400 'Only POST methods allowed' 'OPTIONS on a POST endpoint: 400'
is "$(header Access-Control-Allow-Origin)" '' '... and no CORS headers'
# 6
cgi -t 'application/json; charset=utf-8' POST /api/authenticate '{}'
fail 400 'Only application/json content-types allowed' \
    'Content-Type with a charset: refused, as BareRTC does'
cgi -t '' POST /api/authenticate '{}'
fail 400 'Only application/json content-types allowed' 'no Content-Type'
# 7, 8: Go's decoder errors
d0=$(blocks)
cgi POST /api/blocklist ''
fail 400 EOF 'empty body: EOF'
cgi POST /api/blocklist '   '
fail 400 EOF 'white space only: EOF'
cgi POST /api/blocklist '{'
fail 400 'unexpected EOF' 'truncated: unexpected EOF'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"b\"],}"
fail 400 "invalid character '}' looking for beginning of object key string" \
    'trailing comma: Go syntax error text'
cgi POST /api/blocklist '{"APIKey" "x"}'
fail 400 "invalid character '\\\"' after object key" 'missing colon'
cgi POST /api/blocklist '{"a":[1,]}'
fail 400 "invalid character ']' looking for beginning of value" \
    'trailing comma in an array'
cgi POST /api/blocklist '{"a":tru}'
fail 400 "invalid character '}' in literal true (expecting 'e')" \
    'bad literal'
cgi POST /api/blocklist '{"a":1.}'
fail 400 "invalid character '}' after decimal point in numeric literal" \
    'bad number'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":5}"
fail 400 'json: cannot unmarshal number into Go struct field request.Username of type string' \
    'wrong type: Go type error'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"bob\",3]}"
fail 400 'json: cannot unmarshal number into Go struct field request.Blocklist of type string' \
    'wrong element type'
cgi POST /api/blocklist '[1]'
fail 400 'json: cannot unmarshal array into Go value of type barertc.request' \
    'not an object'
is "$(blocks)" "$d0" 'bad input changed nothing'
# 9
cgi POST /api/authenticate '{"APIKey":"bad","Claims":{"sub":"bot"}}'
fail 401 'Authentication denied.' 'wrong key: 401'
cgi POST /api/authenticate '{"Claims":{"sub":"bot"}}'
fail 401 'Authentication denied.' 'no key: 401'
cgi POST /api/authenticate 'null'
fail 401 'Authentication denied.' 'null body: zero request, 401'
cgi POST /api/authenticate "{\"APIKey\":\"$KEY\"} trailing"
is "$STATUS" 200 'only the first JSON value is read'
cgi -c "$TEST_TMP/nokeys.conf" POST /api/blocklist '{"APIKey":""}'
fail 503 'The API key is not configured.' 'no api_key configured: 503'
cgi -c "$TEST_TMP/nokeys.conf" POST /api/shutdown '{}'
fail 503 'The API key is not configured.' '... for every keyed endpoint'

# 10: signing
now=$(date +%s)
cgi POST /api/authenticate "{\"apikey\":\"$KEY\",\"claims\":{\"sub\":\"bot\",\"nick\":\"Bot <&>\",\"op\":true,\"vip\":false,\"exp\":1,\"foo\":2,\"aud\":\"chat\",\"rules\":[\"redcam\"]}}"
tok=$(jwt_of_body)
reply_is 200 "$(printf '{\n  "OK": true,\n  "JWT": "%s"\n}' "$tok")" \
    'authenticate: 200 {"OK": true, "JWT": …} (keys case-insensitive)'
payload=$(jwt_payload "$tok")
iat=$(printf '%s' "$payload" | sed -n 's/.*"iat":\([0-9]*\).*/\1/p')
is "$payload" "{\"op\":true,\"nick\":\"Bot \\u003c\\u0026\\u003e\",\"rules\":[\"redcam\"],\"sub\":\"bot\",\"aud\":[\"chat\"],\"exp\":$((iat + 300)),\"nbf\":$iat,\"iat\":$iat}" \
    'payload: struct order, unknown claims dropped, exp = iat + 300, Go escaping'
ok 'iat is now' test "$iat" -ge "$now" -a "$iat" -le $((now + 5))
is "$(printf '%s' "$tok" | cut -d. -f1)" eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 \
    'header {"alg":"HS256","typ":"JWT"}'
if [ -n "$PY" ]; then
	is "$(pyjwt "$tok")" "{\"alg\":\"HS256\",\"typ\":\"JWT\"}
{\"op\":true,\"nick\":\"Bot <&>\",\"rules\":[\"redcam\"],\"sub\":\"bot\",\"aud\":[\"chat\"],\"exp\":$((iat + 300)),\"nbf\":$iat,\"iat\":$iat}" \
	    'PyJWT verifies the token'
	is "$(pyjwt "$tok" -301)" 'rejected: ExpiredSignatureError' \
	    'PyJWT rejects it once expired'
	t2=$(printf '%s' "$tok" | sed 's/\.eyJ/.eyK/')
	is "$(pyjwt "$t2")" 'rejected: InvalidSignatureError' \
	    'PyJWT rejects a tampered payload'
	t3=${tok%?}
	case $tok in *A) t3=${t3}Q ;; *) t3=${t3}A ;; esac
	is "$(pyjwt "$t3")" 'rejected: InvalidSignatureError' \
	    'PyJWT rejects a tampered signature'
	is "$("$PY" "$top_srcdir/tests/web/jwtcheck.py" wrong-secret "$tok")" \
	    'rejected: InvalidSignatureError' 'PyJWT: another key does not verify'
else
	for n in 1 2 3 4 5; do
		skip "PyJWT check $n" 'python3-jwt is not installed'
	done
fi
cgi POST /api/authentication "{\"APIKey\":\"$KEY\",\"Claims\":{}}"
like "$BODY" '"JWT": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.' \
    '/api/authentication (the documented spelling) signs too'
cgi POST /api/authenticate "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":7}}"
fail 400 'json: cannot unmarshal number into Go struct field Claims.Claims.sub of type string' \
    'a claim of the wrong type: 400'
cgi POST /api/authenticate "{\"APIKey\":\"$KEY\",\"Claims\":{\"exp\":\"x\"}}"
fail 400 'json: cannot unmarshal string into Go value of type json.Number' \
    'a non-numeric exp: 400'
cgi -c "$TEST_TMP/nosecret.conf" POST /api/authenticate "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":\"bot\"}}"
fail 503 'JWT signing is not configured.' 'no jwt_secret: signing refused'
{ cat "$TEST_TMP/nosecret.conf"; echo 'jwt_secret = 0123456789abcdef0123456789abcde'; } \
    >"$TEST_TMP/shortsecret.conf"
cgi -c "$TEST_TMP/shortsecret.conf" POST /api/authenticate "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":\"bot\"}}"
fail 503 'Service unavailable.' 'a jwt_secret of 31 bytes: a config error, no token'
like "$(cat "$TEST_TMP"/req.$_req_n.err)" 'jwt_secret: secret shorter than 32 bytes' \
    '... logged as such'
cgi -c "$TEST_TMP/regonly.conf" POST /api/authenticate "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":\"bot\"}}"
fail 403 'Not a registered user.' 'jwt_registered_only: unknown sub refused'
cgi -c "$TEST_TMP/regonly.conf" POST /api/authenticate "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":\"carol\"}}"
fail 403 'Not a registered user.' 'jwt_registered_only: disabled user refused'
cgi -c "$TEST_TMP/regonly.conf" POST /api/authenticate "{\"APIKey\":\"$KEY\",\"Claims\":{\"sub\":\"Alice\"}}"
is "$STATUS" 200 'jwt_registered_only: a registered user gets a token'
payload=$(jwt_payload "$(jwt_of_body)")
like "$payload" '^\{"sub":"Alice","exp":' 'sub kept as sent'
e=$(printf '%s' "$payload" | sed 's/.*"exp":\([0-9]*\),"nbf":\([0-9]*\).*/\1 \2/')
is "$(( ${e% *} - ${e#* } ))" 60 'jwt_lifetime sets exp'

# 11: blocklist by BareRTC username, replace semantics, persisted
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"bob\"]}"
reply_is 200 "$OK" 'blocklist alice: [bob]'
is "$(blocks)" 'alice>bob@localhost' 'stored, and alice blocks bob'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"Alice\",\"Blocklist\":[\"carol\",\"Dave\",\"carol\",\"no one\"]}"
reply_is 200 "$OK" 'blocklist Alice: [carol, Dave, carol, no one]: 200'
is "$(blocks)" 'alice>carol@localhost alice>dave@localhost' \
    'replaced, not merged; account names only, folded, once'
is "$(psql_q "select string_agg(username || '=' || array_to_string(blocklist, '|'), ' ' order by username collate \"C\") from web_blocklists")" \
    'Alice=carol|Dave|carol|no one alice=bob' 'the lists are kept as sent'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"\",\"Blocklist\":[]}"
reply_is 200 "$OK" 'an empty Username: 200, as BareRTC'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"no one\",\"Blocklist\":[\"bob\"]}"
reply_is 200 "$OK" 'a name that cannot be an account: 200'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"newbie\",\"Blocklist\":[\"bob\",\"x y\"]}"
reply_is 200 "$OK" 'a user without an account yet: 200'
is "$(blocks)" 'alice>carol@localhost alice>dave@localhost' '... kept for later'
psql_q "insert into users (localpart, host, password_hash) values ('newbie', 'localhost', 'x')" >/dev/null
is "$(blocks)" 'alice>carol@localhost alice>dave@localhost newbie>bob@localhost' \
    'the account created later gets its list'
cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"bob\"}"
reply_is 200 "$OK" 'Blocklist omitted: an empty list'

# 12: block/now adds, persistently, between the named users
cgi POST /api/block/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"alice\",\"dave\"]}"
reply_is 200 "$OK" 'block/now [alice, dave]: OK'
is "$(blocks)" 'alice>carol@localhost alice>dave@localhost newbie>bob@localhost' \
    'alice already blocked dave; dave is no account'
cgi POST /api/block/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"alice\",\"bob\"]}"
reply_is 200 "$OK" 'block/now [alice, bob]'
is "$(blocks)" 'alice>bob@localhost alice>carol@localhost alice>dave@localhost bob>alice@localhost newbie>bob@localhost' \
    'each blocks the other; nothing removed'
cgi POST /api/block/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"bob\",\"no one\",\"erin\"]}"
reply_is 200 "$OK" 'block/now with a name that cannot be a user: 200'
is "$(blocks)" 'alice>bob@localhost alice>carol@localhost alice>dave@localhost bob>alice@localhost bob>erin@localhost newbie>bob@localhost' \
    '... the odd name skipped, the others blocked'

# 13, 14: disconnect/now
cgi POST /api/disconnect/now '{"APIKey":"x","Usernames":[]}'
reply_is 401 '{
  "OK": false,
  "Removed": 0,
  "Error": "Authentication denied."
}' 'disconnect/now, wrong key: 401 with Removed'
cgi GET /api/disconnect/now
reply_is 400 '{
  "OK": false,
  "Removed": 0,
  "Error": "Only POST methods allowed"
}' 'disconnect/now, GET: 400 with Removed'
long=$(printf '%4097s' '' | tr ' ' x)
cgi POST /api/disconnect/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"alice\"],\"Message\":\"$long\"}"
reply_is 400 '{
  "OK": false,
  "Removed": 0,
  "Error": "Invalid Message."
}' 'disconnect/now with a Message over 4096 bytes: 400'
is "$(psql_q "select count(*) from users where last_seen is null and localpart <> 'newbie'")||$(psql_q "select count(*) from server_notices")" \
    '0||0' '... and nothing changed'
cgi POST /api/disconnect/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"alice\",\"zed\",\"old\",\"no one\"],\"Message\":\"Bye\",\"Kick\":true}"
reply_is 200 '{
  "OK": true,
  "Removed": 1
}' 'disconnect/now [alice, zed, old]: Removed 1'
cgi GET /api/statistics
reply_is 200 '{
  "UserCount": 1,
  "Usernames": [
    "bob"
  ],
  "Cameras": {
    "Blue": 0,
    "Red": 0
  }
}' 'statistics: alice is gone'
is "$(psql_q "select string_agg(localpart, ' ' order by localpart) from users where last_seen is null and localpart <> 'newbie'")" \
    'alice old' 'presence cleared for the named users'
is "$(psql_q "select u.localpart || ' ' || n.kind || ' ' || n.message from server_notices n join users u on u.id = n.user_id")" \
    'alice kick Bye' 'the message is recorded for the present user only'

# 15: shutdown (the FastCGI restart itself: tests/web/restart-*-t.sh)
cgi POST /api/shutdown "{\"APIKey\":\"$KEY\"}"
reply_is 200 "$OK" 'shutdown: OK'
is "$(psql_q "select kind || ': ' || message from server_notices where user_id is null")" \
    'shutdown: The chat server is going down for a reboot NOW!' \
    'a server notice for everyone is recorded'
cgi POST /api/shutdown '{"APIKey":"x"}'
fail 401 'Authentication denied.' 'shutdown with a wrong key: 401'
is "$(psql_q "select count(*) from server_notices where user_id is null")" 1 \
    '... and no notice'

# 16: not a route
cgi POST /api/nothing '{}'
fail 404 'Not found.' 'an unknown path: 404'
cgi GET /api/statistics/
reply_is 200 '{
  "UserCount": 1,
  "Usernames": [
    "bob"
  ],
  "Cameras": {
    "Blue": 0,
    "Red": 0
  }
}' 'a trailing slash: the same statistics'

ok 'no key or secret in the logs' sh -c '! cat "$2"/req.*.err |
    grep -qF -e "$0" -e "$1"' "$KEY" "$SECRET" "$TEST_TMP"
done_testing
