#!/bin/sh
# chatrest-register as CGI and from a terminal: every reply of the
# registration API (status, exact body, Content-Type), and that bad input
# leaves the users table alone.
. "$top_srcdir/tests/lib.sh"

K=$REGISTER_KEY
R=/api/register

body() {
	reg_body "$@"
}

count() {
	psql_q "select count(*) from users where localpart = '$1'"
}

# --- register ----------------------------------------------------------------
cgi POST $R/register "$(body username=alice host=localhost password=pw-alice)"
reply_is 200 '"ok"' 'register: ok'
is "$(printf '%s\n' "$HEADERS" | grep -v '^X-Request-Id: ')" \
    "Content-Type: application/json
Content-Length: 4" 'register: exactly Content-Type and Content-Length'
like "$(header X-Request-Id)" '^[0-9a-f]{16}$' 'register: X-Request-Id'
like "$ERR" \
    "\\[$(header X-Request-Id)\\] POST /api/register/register 200 from 127\\.0\\.0\\.1" \
    'the request line: the same id, REMOTE_ADDR'

is "$(count alice)" 1 'register: one row'

cgi POST $R/register "$(body username=alice host=localhost password=other)"
reply_is 403 '{"error":"exists"}' 'register again: exists'
cgi POST $R/register "$(body username=ALICE host=localhost password=other)"
reply_is 403 '{"error":"exists"}' 'register ALICE: exists (case-insensitive)'
cgi POST $R/register "$(body username=Bob host=LocalHost password=pw-bob)"
reply_is 200 '"ok"' 'register Bob@LocalHost: ok'
is "$(psql_q "select localpart || '@' || host from users where localpart ilike 'bob'")" \
    bob@localhost 'username and host are stored lower-cased'
cgi POST $R/register "$(body username=alice host=example.org password=pw)"
reply_is 200 '"ok"' 'same localpart on the other served host: ok'
cgi POST $R/register \
    "{\"username\":\"carol\",\"key\":\"$K\",\"password\":\"pw-carol\",\"host\":\"localhost\"}"
reply_is 200 '"ok"' 'fields in any order'

digest=$(users_digest)
# unchanged NAME: the reply just checked changed nothing in the database.
unchanged() {
	is "$(users_digest)" "$digest" "$1: database unchanged"
}

cgi POST $R/register "$(body username='al ice' host=localhost password=pw)"
reply_is 403 '{"error":"stringprep"}' 'username with a space: stringprep'
unchanged stringprep
cgi POST $R/register "$(body username=a@b host=localhost password=pw)"
reply_is 403 '{"error":"stringprep"}' 'username with @: stringprep'
cgi POST $R/register "$(body username='caf\u00e9' host=localhost password=pw)"
reply_is 403 '{"error":"stringprep"}' 'non-ASCII username: stringprep'
cgi POST $R/register "$(body username= host=localhost password=pw)"
reply_is 403 '{"error":"stringprep"}' 'empty username: stringprep'
long=$(printf '%065d' 0)
cgi POST $R/register "$(body username="$long" host=localhost password=pw)"
reply_is 403 '{"error":"stringprep"}' '65-character username: stringprep'
cgi POST $R/register "$(body username="${long#0}" host=localhost password=pw)"
reply_is 200 '"ok"' '64-character username: ok'
digest=$(users_digest)

cgi POST $R/register "$(body username=dan host=localhost)"
reply_is 403 '{"error":"missing_parameters"}' 'no password: missing_parameters'
unchanged missing_parameters
cgi POST $R/register "$(body username=dan password=pw)"
reply_is 403 '{"error":"missing_parameters"}' 'no host: missing_parameters'
cgi POST $R/register "$(body host=localhost password=pw)"
reply_is 403 '{"error":"missing_parameters"}' 'no username: missing_parameters'
cgi POST $R/register \
    "{\"key\":\"$K\",\"username\":\"dan\",\"host\":\"localhost\",\"password\":123}"
reply_is 400 '{"error":"bad_request"}' 'numeric password: bad_request'
unchanged 'non-string field'
cgi POST $R/register \
    "{\"key\":\"$K\",\"username\":[\"dan\"],\"host\":\"localhost\",\"password\":\"pw\"}"
reply_is 400 '{"error":"bad_request"}' 'array username: bad_request'
cgi POST $R/register \
    "{\"key\":\"$K\",\"username\":\"dan\",\"host\":null,\"password\":\"pw\"}"
reply_is 400 '{"error":"bad_request"}' 'null host: bad_request'
cgi POST $R/register "$(body username=dan host=other.org password=pw)"
reply_is 401 '{"error":"not_allowed"}' 'host not served: not_allowed'
unchanged 'host not served'
cgi POST $R/register "$(body username=dan host=localhost password=)"
reply_is 401 '{"error":"not_allowed"}' 'empty password: not_allowed'
unchanged 'empty password'
cgi POST $R/register "$(body username=dan host=localhost password=$(printf '%01025d' 0))"
reply_is 400 '{"error":"bad_request"}' 'a 1025-byte password: bad_request'
unchanged 'password over 1024 bytes'
cgi POST $R/register "$(body username=dan1024 host=localhost password=$(printf '%01024d' 0))"
reply_is 200 '"ok"' 'a 1024-byte password: ok'
digest=$(users_digest)

# --- the key -------------------------------------------------------------------
K=wrong-key-of-sufficient-length-0123456789
cgi POST $R/register "$(body username=dan host=localhost password=pw)"
reply_is 401 '{"error":"not_allowed"}' 'wrong key: not_allowed'
unchanged 'wrong key'
K=${REGISTER_KEY}x
cgi POST $R/register "$(body username=dan host=localhost password=pw)"
reply_is 401 '{"error":"not_allowed"}' 'key with a byte appended: not_allowed'
K=$REGISTER_KEY
cgi POST $R/register '{"username":"dan","host":"localhost","password":"pw"}'
reply_is 401 '{"error":"not_allowed"}' 'no key: not_allowed'
unchanged 'no key'
cgi POST $R/register '{"key":12,"username":"dan","host":"localhost","password":"pw"}'
reply_is 401 '{"error":"not_allowed"}' 'numeric key: not_allowed'
cgi POST "$R/register?key=$K" '{"username":"dan","host":"localhost","password":"pw"}'
reply_is 401 '{"error":"not_allowed"}' 'POST with the key only in the query: not_allowed'
unchanged 'key in query for POST'
cgi POST $R/nope '{"username":"dan"}'
reply_is 401 '{"error":"not_allowed"}' 'unknown path without key: not_allowed (key first)'
cgi GET "$R/is_registered?username=alice&host=localhost"
reply_is 401 '{"error":"not_allowed"}' 'is_registered without key: not_allowed'
cgi GET "$R/is_registered?username=alice&host=localhost&key=nope"
reply_is 401 '{"error":"not_allowed"}' 'is_registered with a wrong key: not_allowed'

# --- body and content type ---------------------------------------------------
cgi POST $R/register '{"key":'
reply_is 400 '{"error":"bad_request"}' 'truncated JSON: bad_request'
unchanged 'bad JSON'
cgi POST $R/register "[\"$K\"]"
reply_is 400 '{"error":"bad_request"}' 'JSON array body: bad_request'
cgi POST $R/register '"text"'
reply_is 400 '{"error":"bad_request"}' 'JSON string body: bad_request'
cgi POST $R/register "$(body username=dan host=localhost password=pw) x"
reply_is 400 '{"error":"bad_request"}' 'trailing garbage after the object: bad_request'
printf '{"key":"%s","username":"d\377n","host":"localhost","password":"pw"}' "$K" \
    >"$TEST_TMP/utf8.json"
cgi -f "$TEST_TMP/utf8.json" POST $R/register
reply_is 400 '{"error":"bad_request"}' 'invalid UTF-8: bad_request'
# Overlong forms and encoded surrogates pass json-c's UTF-8 check but not
# PostgreSQL's: they must be a 400 here, not a database error.
for bad in '\300\257' '\355\240\200' '\364\220\200\200'; do
	printf '{"key":"%s","username":"dave","host":"localhost","password":"pw","email":"d%b@example.org"}' \
	    "$K" "$bad" >"$TEST_TMP/utf8.json"
	cgi -f "$TEST_TMP/utf8.json" POST $R/register
	reply_is 400 '{"error":"bad_request"}' "ill-formed UTF-8 ($bad) in the email: bad_request"
done
deep=$(printf '%0200d' 0 | sed 's/0/[/g')
cgi POST $R/register "{\"key\":\"$K\",\"x\":$deep"
reply_is 400 '{"error":"bad_request"}' 'nesting 200 deep: bad_request'
unchanged 'bad bodies'
cgi -t text/plain POST $R/register "$(body username=dan host=localhost password=pw)"
reply_is 400 '{"error":"bad_request"}' 'Content-Type text/plain: bad_request'
unchanged 'wrong content type'
cgi -t '' POST $R/register "$(body username=dan host=localhost password=pw)"
reply_is 400 '{"error":"bad_request"}' 'no Content-Type: bad_request'
cgi -t application/jsonx POST $R/register "$(body username=dan host=localhost password=pw)"
reply_is 400 '{"error":"bad_request"}' 'Content-Type application/jsonx: bad_request'
unchanged 'wrong content types'
cgi -t 'application/json; charset=utf-8' POST $R/register \
    "$(body username=dan host=localhost password=pw-dan)"
reply_is 200 '"ok"' 'Content-Type with charset: ok'
cgi -t 'Application/JSON' POST $R/register \
    "$(body username=erin host=localhost password=pw-erin)"
reply_is 200 '"ok"' 'Content-Type in upper case: ok'
digest=$(users_digest)

# --- routing -------------------------------------------------------------------
cgi POST $R/nope "$(body username=dan host=localhost password=pw)"
reply_is 404 '{"error":"not_found"}' 'unknown path: not_found'
cgi POST $R "$(body username=dan host=localhost password=pw)"
reply_is 404 '{"error":"not_found"}' 'the mount point itself: not_found'
cgi POST $R/register/x "$(body username=dan host=localhost password=pw)"
reply_is 404 '{"error":"not_found"}' 'path below register: not_found'
cgi GET "$R/register?key=$K&username=dan&host=localhost&password=pw"
reply_is 404 '{"error":"not_found"}' 'GET register: not_found'
cgi POST $R/is_registered "$(body username=alice host=localhost)"
reply_is 404 '{"error":"not_found"}' 'POST is_registered: not_found'
# The key comes from a POST body or a GET query only, and is checked first.
cgi PUT $R/register "$(body username=dan host=localhost password=pw)"
reply_is 401 '{"error":"not_allowed"}' 'PUT register: not_allowed (no key for PUT)'
unchanged 'wrong paths and methods'

# --- is_registered -----------------------------------------------------------
cgi GET "$R/is_registered?username=alice&host=localhost&key=$K"
reply_is 200 true 'is_registered alice: true'
cgi GET "$R/is_registered?key=$K&host=localhost&username=Alice"
reply_is 200 true 'is_registered Alice: true'
cgi GET "$R/is_registered?username=zed&host=localhost&key=$K"
reply_is 200 false 'is_registered zed: false'
cgi GET "$R/is_registered?username=alice&host=localhost&key=${K%?}"
reply_is 401 '{"error":"not_allowed"}' 'is_registered with the key less its last byte: not_allowed'
cgi GET "$R/is_registered?username=alice&key=$K"
reply_is 403 '{"error":"missing_parameters"}' 'is_registered without host: missing_parameters'
cgi GET "$R/is_registered?username=al%20ice&host=localhost&key=$K"
reply_is 403 '{"error":"stringprep"}' 'is_registered "al ice": stringprep'
cgi GET "$R/is_registered?username=alice&host=other.org&key=$K"
reply_is 401 '{"error":"not_allowed"}' 'is_registered on a host not served: not_allowed'

# --- unregister ----------------------------------------------------------------
cgi POST $R/unregister "$(body username=zed host=localhost password=pw)"
reply_is 403 '{"error":"not_exists"}' 'unregister unknown user: not_exists'
cgi POST $R/unregister "$(body username=dan host=localhost password=wrong)"
reply_is 401 '{"error":"not_allowed"}' 'unregister with a wrong password: not_allowed'
unchanged 'unregister refused'
cgi POST $R/unregister "$(body username=dan host=localhost)"
reply_is 403 '{"error":"missing_parameters"}' 'unregister without password: missing_parameters'
cgi POST $R/unregister "$(body username=DAN host=localhost password=pw-dan)"
reply_is 200 '"ok"' 'unregister DAN: ok'
is "$(count dan)" 0 'unregister: row gone'
cgi GET "$R/is_registered?username=dan&host=localhost&key=$K"
reply_is 200 false 'is_registered after unregister: false'
digest=$(users_digest)

# --- change_password -------------------------------------------------------------
cgi POST $R/change_password \
    "$(body username=alice host=localhost old_password=wrong new_password=pw2)"
reply_is 401 '{"error":"not_allowed"}' 'change_password with a wrong old password: not_allowed'
cgi POST $R/change_password \
    "$(body username=zed host=localhost old_password=pw new_password=pw2)"
reply_is 401 '{"error":"not_allowed"}' 'change_password of an unknown user: not_allowed'
cgi POST $R/change_password "$(body username=alice host=localhost old_password=pw-alice)"
reply_is 403 '{"error":"missing_parameters"}' 'change_password without new_password: missing_parameters'
unchanged 'change_password refused'
cgi POST $R/change_password \
    "$(body username=alice host=localhost old_password=pw-alice new_password=pw2-alice)"
reply_is 200 '"ok"' 'change_password: ok'
cgi POST $R/change_password \
    "$(body username=alice host=localhost old_password=pw-alice new_password=pw3)"
reply_is 401 '{"error":"not_allowed"}' 'change_password: the old password no longer works'
cgi POST $R/unregister "$(body username=alice host=localhost password=pw-alice)"
reply_is 401 '{"error":"not_allowed"}' 'unregister with the old password: not_allowed'
cgi POST $R/change_password \
    "$(body username=alice host=localhost old_password=pw2-alice new_password=pw3-alice)"
reply_is 200 '"ok"' 'change_password with the new password: ok'
digest=$(users_digest)
cgi POST $R/change_password \
    "$(body username=alice host=localhost old_password=pw3-alice new_password=)"
reply_is 403 '{"error":"error"}' 'change_password to an empty password: error'
pw1025=$(printf '%01025d' 0)
cgi POST $R/change_password \
    "$(body username=alice host=localhost old_password=pw3-alice new_password=$pw1025)"
reply_is 403 '{"error":"error"}' 'change_password to a 1025-byte password: error'
unchanged 'change_password refused'

# --- force_change_password -------------------------------------------------
cgi POST $R/force_change_password "$(body username=zed host=localhost new_password=pw)"
reply_is 403 '{"error":"not_exists"}' 'force_change_password of an unknown user: not_exists'
cgi POST $R/force_change_password "$(body username=carol host=localhost)"
reply_is 403 '{"error":"missing_parameters"}' 'force_change_password without new_password: missing_parameters'
cgi POST $R/force_change_password "$(body username=carol host=other.org new_password=x)"
reply_is 401 '{"error":"not_allowed"}' 'force_change_password on a host not served: not_allowed'
cgi POST $R/force_change_password "$(body username=carol host=localhost new_password=pw2-carol)"
reply_is 200 '"ok"' 'force_change_password: ok'
digest=$(users_digest)
cgi POST $R/force_change_password "$(body username=carol host=localhost new_password=)"
reply_is 403 '{"error":"error"}' 'force_change_password to an empty password: error'
cgi POST $R/force_change_password "$(body username=carol host=localhost new_password=$pw1025)"
reply_is 403 '{"error":"error"}' 'force_change_password to a 1025-byte password: error'
unchanged 'force_change_password refused'
cgi POST $R/unregister "$(body username=carol host=localhost password=pw-carol)"
reply_is 401 '{"error":"not_allowed"}' 'after force_change_password the old password fails'
cgi POST $R/unregister "$(body username=carol host=localhost password=pw2-carol)"
reply_is 200 '"ok"' 'after force_change_password the new password works'

# --- email ---------------------------------------------------------------------
email_of() {
	psql_q "select t.address from threepids t join users u on u.id = t.user_id
	    where t.medium = 'email' and u.localpart = '$1'"
}
cgi POST $R/register "$(body username=frank host=localhost password=pw email=Frank@Example.ORG)"
reply_is 200 '"ok"' 'register with a valid email: ok'
is "$(email_of frank)" frank@example.org 'the email is stored lower-cased'
cgi POST $R/register "$(body username=gina host=localhost password=pw email=not-an-email)"
reply_is 200 '{"private_email":"not_set"}' 'register with an invalid email: private_email not_set'
is "$(count gina)" 1 'invalid email: the account exists'
is "$(email_of gina)" '' 'invalid email: no email stored'
cgi POST $R/register "$(body username=hank host=localhost password=pw email=FRANK@example.org)"
reply_is 200 '{"private_email":"not_set"}' 'register with a taken email: private_email not_set'
is "$(count hank)" 1 'taken email: the account exists'
is "$(email_of frank)" frank@example.org 'taken email: it still belongs to frank'
digest=$(users_digest)

# --- CONTENT_LENGTH ----------------------------------------------------------
reg=$(body username=ivan host=localhost password=pw)
for cl in abc -1 +5 0x10 ' 5' 65537 99999999999999999999999; do
	cgi -l "$cl" POST $R/register "$reg"
	reply_is 413 '{"error":"request_too_large"}' "CONTENT_LENGTH '$cl': request_too_large"
done
unchanged 'CONTENT_LENGTH refused'
cgi -l '' POST $R/register "$reg"
reply_is 411 '{"error":"length_required"}' 'POST without CONTENT_LENGTH: length_required'
cgi -l 200 POST $R/register "$reg"
reply_is 400 '{"error":"bad_request"}' 'body shorter than CONTENT_LENGTH: bad_request'
cgi -l 0 POST $R/register ''
reply_is 400 '{"error":"bad_request"}' 'CONTENT_LENGTH 0: bad_request'
unchanged 'short bodies'
# A body of exactly max_body bytes is accepted: the JSON padded with spaces.
{ printf '%s' "$reg"; printf '%65536s' ''; } | head -c 65536 >"$TEST_TMP/max.json"
cgi -f "$TEST_TMP/max.json" POST $R/register
reply_is 200 '"ok"' 'a body of exactly 65536 bytes: ok'
digest=$(users_digest)
{ cat "$TEST_TMP/max.json"; echo; } >"$TEST_TMP/over.json"
cgi -f "$TEST_TMP/over.json" POST $R/register
reply_is 413 '{"error":"request_too_large"}' 'a body of 65537 bytes: request_too_large'

# --- configuration ----------------------------------------------------------
sed '/^\[register\]/,/^key/d' "$CHATREST_CONFIG" >"$TEST_TMP/nokey.conf"
cgi -c "$TEST_TMP/nokey.conf" POST $R/register "$(body username=jan host=localhost password=pw)"
reply_is 503 '{"error":"not_configured"}' 'no [register] key: not_configured'
cgi -c "$TEST_TMP/nokey.conf" GET "$R/is_registered?username=alice&host=localhost&key=$K"
reply_is 503 '{"error":"not_configured"}' 'no key, is_registered: not_configured'
cgi -c "$TEST_TMP/nokey.conf" GET $R/nope
reply_is 503 '{"error":"not_configured"}' 'no key, unknown path: not_configured'
like "$(header Retry-After)" '^[0-9]+$' 'no key: Retry-After'
sed '/^\[server\]/a bogus = 1' "$CHATREST_CONFIG" >"$TEST_TMP/bad.conf"
badline=$(grep -n '^bogus' "$TEST_TMP/bad.conf" | cut -d: -f1)
cgi -c "$TEST_TMP/bad.conf" POST $R/register "$(body username=jan host=localhost password=pw)"
is "$STATUS $(header Content-Type)" '503 application/json' 'unknown config key: 503'
like "$BODY" '^\{"error":"[a-z_]+"\}$' 'unknown config key: an error object'
is "$BODY" '{"error":"unavailable"}' 'unknown config key: unavailable'
like "$(header Retry-After)" '^[0-9]+$' 'unknown config key: Retry-After'
like "$ERR" "bad\\.conf.*$badline" 'unknown config key: the log names file and line'
cgi -c "$TEST_TMP/bad.conf" GET "$R/is_registered?username=alice&host=localhost&key=$K"
is "$STATUS" 503 'unknown config key, is_registered: 503'
sed "s/^key = $K\$/key = short-key/" "$CHATREST_CONFIG" >"$TEST_TMP/short.conf"
cgi -c "$TEST_TMP/short.conf" GET "$R/is_registered?username=alice&host=localhost&key=short-key"
is "$STATUS $(header Content-Type)" '503 application/json' 'a key under 32 bytes: 503'
cgi -c "$TEST_TMP/missing.conf" GET "$R/is_registered?username=alice&host=localhost&key=$K"
is "$STATUS $(header Content-Type)" '503 application/json' 'a missing config file: 503'
unchanged 'bad configurations'

# --- the database is unreachable -------------------------------------------
sed "s|^conninfo = .*|conninfo = host=$TEST_TMP/nowhere dbname=chatrest|" \
    "$CHATREST_CONFIG" >"$TEST_TMP/nodb.conf"
cgi -c "$TEST_TMP/nodb.conf" POST $R/register "$(body username=jan host=localhost password=pw)"
reply_is 503 '{"error":"unavailable"}' 'no database, register: unavailable'
like "$(header Retry-After)" '^[0-9]+$' 'no database: Retry-After'
cgi -c "$TEST_TMP/nodb.conf" GET "$R/is_registered?username=alice&host=localhost&key=$K"
reply_is 503 '{"error":"unavailable"}' 'no database, is_registered: unavailable'
like "$(header Retry-After)" '^[0-9]+$' 'no database, is_registered: Retry-After'

# --- terminal mode -----------------------------------------------------------
term -c "$CHATREST_CONFIG" -d "$(body username=kim host=localhost password=pw)" \
    POST $R/register
is "$(head -n 1 "$TEST_TMP/req.$_req_n")" "HTTP/1.1 200 OK$CR" 'terminal: status line'
reply_is 200 '"ok"' 'terminal: register ok'
is "$RC" 0 'terminal: exit 0 on 200'
term -c "$CHATREST_CONFIG" -d "$(body username=kim host=localhost password=pw)" \
    POST $R/register
is "$(head -n 1 "$TEST_TMP/req.$_req_n")" "HTTP/1.1 403 Forbidden$CR" 'terminal: 403 status line'
reply_is 403 '{"error":"exists"}' 'terminal: register again: exists'
is "$RC" 1 'terminal: exit 1 on 403'
term GET "$R/is_registered?username=kim&host=localhost&key=$K"
reply_is 200 true 'terminal: GET with a query, config from CHATREST_CONFIG'
body username=lea host=localhost password=pw >"$TEST_TMP/lea.json"
term -d @"$TEST_TMP/lea.json" POST $R/register
reply_is 200 '"ok"' 'terminal: -d @FILE'
body username=max host=localhost password=pw >"$TEST_TMP/max-in.json"
TERM_IN=$TEST_TMP/max-in.json term -d @- POST $R/register
reply_is 200 '"ok"' 'terminal: -d @- reads stdin'
term -H 'Content-Type: text/plain' -d "$(body username=ned host=localhost password=pw)" \
    POST $R/register
reply_is 400 '{"error":"bad_request"}' 'terminal: -H sets the Content-Type'
is "$(count ned)" 0 'terminal: no row for the refused request'
term -h
is "$RC" 0 'terminal: -h exits 0'
like "$(cat "$TEST_TMP/req.$_req_n")" '^[Uu]sage' 'terminal: -h prints usage'
term -Z GET $R/is_registered
is "$RC" 2 'terminal: unknown option exits 2'
like "$ERR" '[Uu]sage' 'terminal: unknown option prints usage'
term POST
is "$RC" 2 'terminal: missing path exits 2'
term -c "$TEST_TMP/bad.conf" GET "$R/is_registered?username=kim&host=localhost&key=$K"
is "$RC" 2 'terminal: bad config exits 2'
like "$ERR" "bad\\.conf.*$badline" 'terminal: bad config error names file and line'

SECRETS="pw-alice pw2-alice pw3-alice pw-bob pw-carol pw2-carol pw-dan pw-erin" \
    no_secrets "$TEST_TMP"/req.*.err

done_testing
