#!/bin/sh
# The OpenAPI 3.1 documents (man/openapi/*.yaml): each passes the
# structural lint (tests/ops/openapi.py: refs, operations, JSON Schema
# 2020-12) and Redocly CLI's, says exactly what its executable's route
# table serves (as printed by --routes), and the replies to a run of good
# and bad requests to every executable validate against the documents
# (done_testing's check, as in every test).
. "$top_srcdir/tests/lib.sh"

python3 -c 'import jsonschema, yaml' 2>/dev/null ||
	skip_all 'needs python3-jsonschema and python3-yaml'
# done_testing checks the replies here even where recording is off
[ -n "${OPENAPI_RECORD:-}" ] || OPENAPI_RECORD=$TEST_TMP/openapi.replies
OPENAPI_PAUSE=
OA=$top_srcdir/tests/ops/openapi.py
DOCS=$top_srcdir/man/openapi

out=$(python3 "$OA" lint "$DOCS"/*.yaml)
is "$out" '' 'every document passes the lint'

# A linter not ours: Redocly CLI's recommended rules, errors and warnings
# alike; tests/ops/redocly.yaml lists the documents and turns off, where
# and why, the rules that do not fit. Installed from npm once into the
# build tree; its telemetry and update check off.
REDOCLY=1.34.20	# the last that runs on Debian 12's Node.js 18
npmdir=$top_builddir/tests/ops/npm
redocly=$npmdir/node_modules/.bin/redocly
if ! grep -qs "\"version\": \"$REDOCLY\"" \
    "$npmdir/node_modules/@redocly/cli/package.json"; then
	if command -v npm >/dev/null 2>&1; then
		npm install --no-audit --no-fund --prefix "$npmdir" \
		    "@redocly/cli@$REDOCLY" >"$TEST_TMP/npm.out" 2>&1 ||
		    sed 's/^/# /' "$TEST_TMP/npm.out"
	fi
fi
if ! command -v npm >/dev/null 2>&1; then
	skip 'redocly lint: no error, no warning' 'npm not installed'
elif [ ! -x "$redocly" ]; then
	skip 'redocly lint: no error, no warning' \
	    "npm could not install @redocly/cli@$REDOCLY"
else
	rc=0
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	    "$redocly" lint --format=stylish --max-problems 1000 \
	    --config "$top_srcdir/tests/ops/redocly.yaml" \
	    >"$TEST_TMP/redocly.out" 2>&1 || rc=$?
	# "file:" then "  line:col  severity  rule  message" per problem
	problems=$(grep -E '^ +[0-9]+:[0-9]+ +(error|warning) ' \
	    "$TEST_TMP/redocly.out") || :
	is "$rc:$problems" 0: 'redocly lint: no error, no warning' ||
	    sed 's/^/#   /' "$TEST_TMP/redocly.out"
	linted=$(sed -n 's|^validating .*/\(chatrest-[a-z]*\.yaml\)\.\.\.$|\1|p' \
	    "$TEST_TMP/redocly.out" | sort | tr '\n' ' ')
	is "$linted" "$(cd "$DOCS" && echo chatrest-*.yaml) " \
	    'redocly lint: every document'
fi

for doc in "$DOCS"/chatrest-*.yaml; do
	e=$(basename "$doc" .yaml)
	if [ "$e" = chatrest-events ]; then
		# its own event loop, not app_main: no --routes; its table's
		# rows ("{ M_GET, "/api/sse", ...") read from the source
		sed -n 's/^	{ M_\([A-Z]*\), "\([^"]*\)".*/\2	\1/p' \
		    "$top_srcdir/cgi-bin/$e.c" >"$TEST_TMP/$e.routes"
	else
		"$top_builddir/cgi-bin/$e" --routes >"$TEST_TMP/$e.routes"
	fi
	# MongooseIM's routes follow from its command table, as upstream's
	[ "$e" != chatrest-admin ] ||
		python3 "$OA" mimroutes "$top_srcdir/cgi-bin/admin-mongoose.c" \
		    /api/mongoose >>"$TEST_TMP/$e.routes"
	out=$(python3 "$OA" routes "$doc" "$TEST_TMP/$e.routes")
	is "$out" '' "$e: the document and the route table agree"
done


# The check itself finds what does not match: replies no document has.
bad_reply() {	# EXECUTABLE METHOD URL REPLY
	printf '%s\t%s\t%s\t%s\n%s' "$1" "$2" "$3" \
	    "$(printf '%s' "$4" | wc -c)" "$4" >>"$TEST_TMP/bad.replies"
}
: >"$TEST_TMP/bad.replies"
bad_reply chatrest-register POST /api/register/register \
    "Status: 200 OK${CR}
Content-Type: application/json${CR}
${CR}
{\"error\":\"ok\"}"
bad_reply chatrest-register POST /api/register/register \
    "Status: 418 I'm a teapot${CR}
${CR}
"
bad_reply chatrest-web POST /api/statistics \
    "Status: 404 Not Found${CR}
Content-Type: text/plain${CR}
${CR}
Not found."
bad_reply - GET http://127.0.0.1:1/api/rooms/r/messages \
    "HTTP/1.1 200 OK${CR}
Content-Type: application/json${CR}
${CR}
[{\"type\":\"message\"}]"
bad_reply chatrest-client DELETE /api/contacts/x@localhost \
    "Status: 204 No Content${CR}
Content-Type: application/json${CR}
${CR}
{}"
python3 "$OA" replies "$DOCS" "$TEST_TMP/bad.replies" >"$TEST_TMP/bad.out"
is "$(sed 's/: .*//' "$TEST_TMP/bad.out")" \
"chatrest-register POST /api/register/register
chatrest-register POST /api/register/register
chatrest-web POST /api/statistics
- GET http://127.0.0.1:1/api/rooms/r/messages
chatrest-client DELETE /api/contacts/x@localhost" \
    'the check reports a wrong body, status, type, schema, a body too much' ||
    sed 's/^/#   /' "$TEST_TMP/bad.out"

# --- chatrest-register -------------------------------------------------------
R=/api/register
CGI_BIN=$top_builddir/cgi-bin/chatrest-register
cgi POST $R/register "$(reg_body username=alice host=localhost password=pw)"
cgi POST $R/register "$(reg_body username=bob host=localhost password=pw email=not-an-address)"
cgi POST $R/register "$(reg_body username=alice host=localhost password=pw)"
cgi POST $R/register '{"username":"x","host":"localhost","password":"pw"}'
cgi POST $R/register "$(reg_body username=x host=localhost)"
cgi POST $R/register "$(reg_body username='a b' host=localhost password=pw)"
cgi GET "$R/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
cgi GET "$R/is_registered?username=zed&host=localhost&key=$REGISTER_KEY"
cgi POST $R/change_password "$(reg_body username=alice host=localhost old_password=pw new_password=pw2)"
cgi POST $R/change_password "$(reg_body username=alice host=localhost old_password=wrong new_password=pw3)"
cgi POST $R/force_change_password "$(reg_body username=alice host=localhost new_password=pw)"
cgi POST $R/unregister "$(reg_body username=nobody host=localhost password=pw)"
cgi POST $R/unregister "$(reg_body username=alice host=localhost password=pw)"

# --- chatrest-web ------------------------------------------------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-web
CGI_MOUNT=/api
K=web-api-key-0123456789abcdef0123456789
printf '[web]\napi_key = %s\njwt_secret = %s\n' "$K" \
    jwt-secret-0123456789abcdef0123456789 >>"$CHATREST_CONFIG"
cgi GET /api/statistics
cgi POST /api/authenticate "{\"APIKey\":\"$K\",\"Claims\":{\"sub\":\"bob\",\"nick\":\"Bob\"}}"
JWT=$(printf '%s' "$BODY" | sed -n 's/.*"JWT": *"\([^"]*\)".*/\1/p')
cgi POST /api/profile "{\"JWTToken\":\"$JWT\",\"Username\":\"bob\"}"
cgi POST /api/profile "{\"JWTToken\":\"$JWT\",\"Username\":\"nobody\"}"
cgi POST /api/profile '{"JWTToken":"x.y.z"}'
cgi POST /api/message/history "{\"JWTToken\":\"$JWT\",\"Username\":\"alice\"}"
cgi POST /api/message/history "{\"JWTToken\":\"$JWT\",\"BeforeID\":\"x\"}"
cgi POST /api/message/usernames "{\"JWTToken\":\"$JWT\",\"Page\":1}"
cgi POST /api/message/clear "{\"APIKey\":\"$K\",\"Username\":\"bob\"}"
cgi POST /api/message/clear "{\"APIKey\":\"wrong\",\"JWTToken\":\"$JWT\"}"
cgi POST /api/authentication "{\"APIKey\":\"wrong\"}"
cgi POST /api/blocklist "{\"APIKey\":\"$K\",\"Username\":\"bob\",\"Blocklist\":[\"alice\"]}"
cgi POST /api/blocklist "{\"APIKey\":\"$K\",\"Username\":\"nobody\",\"Blocklist\":[]}"
cgi POST /api/block/now "{\"APIKey\":\"$K\",\"Usernames\":[\"bob\",\"carol\"]}"
cgi POST /api/disconnect/now "{\"APIKey\":\"$K\",\"Usernames\":[\"bob\"]}"
cgi POST /api/shutdown '{"APIKey":'
cgi POST /api/shutdown "{\"APIKey\":\"$K\"}"
cgi OPTIONS /api/statistics

# --- chatrest-identity -------------------------------------------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-identity
CGI_MOUNT=/_ma1sd
V=/_ma1sd/backend/api/v1
"$top_builddir/cgi-bin/chatrest-admin" register carol localhost pw-carol >/dev/null
"$top_builddir/cgi-bin/chatrest-admin" add_threepid carol localhost email carol@example.org
"$top_builddir/cgi-bin/chatrest-admin" set_display_name carol localhost Carol
cgi POST $V/auth/login '{"auth":{"mxid":"@carol:localhost","localpart":"carol","domain":"localhost","password":"pw-carol"}}'
cgi POST $V/auth/login '{"auth":{"localpart":"carol","domain":"localhost","password":"wrong"}}'
cgi POST $V/auth/login '{"auth":'
cgi POST $V/identity/single '{"lookup":{"medium":"email","address":"Carol@Example.org"}}'
cgi POST $V/identity/lookup/single '{"lookup":{"medium":"email","address":"x@example.org"}}'
cgi POST $V/identity/bulk '{"lookup":[{"medium":"email","address":"carol@example.org"},{"medium":"msisdn","address":"123"}]}'
cgi POST $V/identity/lookup/bulk '{"lookup":7}'
cgi POST $V/directory/user/search '{"by":"name","search_term":"car"}'
cgi POST $V/profile/displayName '{"localpart":"carol","domain":"localhost","mxid":"@carol:localhost"}'
cgi POST $V/profile/threepids '{"localpart":"carol","domain":"localhost","mxid":"@carol:localhost"}'
cgi POST $V/profile/roles '{"localpart":"nobody","domain":"localhost","mxid":"@nobody:localhost"}'
cgi GET $V/profile/roles
C=/_matrix-internal/identity/v1/check_credentials
CGI_MOUNT=/_matrix-internal
cgi POST $C '{"user":{"id":"@carol:localhost:8448","password":"pw-carol"}}'
cgi POST $C '{"user":{"id":"@carol:localhost","password":"wrong"}}'
cgi POST $C '{"user":{"id":"@carol:localhost"}}'
cgi POST $C '[]'

# --- chatrest-client ---------------------------------------------------------
. "$top_srcdir/tests/client/common.sh"
register dave
register erin
as dave POST /api/messages '{"to":"erin@localhost","body":"hi"}'
as dave POST /api/messages '{"to":"erin@localhost","body":7}'
as erin GET '/api/messages?limit=10'
as erin GET /api/messages/dave@localhost
cgi GET /api/messages
as dave POST /api/rooms '{"name":"Team","subject":"Plans"}'
as dave PUT /api/rooms/team '{"name":"Team","subject":"Plans"}'
as dave PUT /api/rooms/team '{"name":"Team","subject":"Plans"}'
as dave GET /api/rooms
as dave POST /api/rooms/team/users '{"user":"erin@localhost"}'
as dave GET /api/rooms/team
as dave PUT /api/rooms/team/config '{"name":"T","subject":"S"}'
as erin POST /api/rooms/team/messages '{"body":"hello","markable":true}'
as erin POST /api/rooms/team/messages '{"chat_marker":{"type":"seen","id":"x"}}'
as dave GET '/api/rooms/team/messages?limit=50'
as dave DELETE /api/rooms/team/users/erin@localhost
as erin GET /api/rooms/team/messages
as dave POST /api/contacts '{"jid":"erin@localhost"}'
as dave PUT /api/contacts/erin@localhost '{"action":"invite"}'
as dave PUT /api/contacts/erin@localhost '{"action":"dance"}'
as dave GET /api/contacts
as dave GET /api/contacts/erin@localhost
as dave DELETE /api/contacts '{"to_delete":["erin@localhost","zed@localhost"]}'
as dave DELETE /api/contacts/erin@localhost
as dave PATCH /api/contacts '{}'

# --- chatrest-admin ----------------------------------------------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-admin
CGI_MOUNT=/api/admin
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"registered_users\",\"args\":[\"localhost\"]}"
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"check_account\",\"args\":[\"dave\",\"localhost\"]}"
cgi POST /api/admin '{"key":"wrong","command":"registered_users","args":["localhost"]}'
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"nope\"}"
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/ban_account '{"user":"dave","host":"localhost","reason":"spam"}'
cgi -a "Bearer $ADMIN_KEY" GET '/api/admin/connected_users_number'
cgi -a "Bearer $ADMIN_KEY" GET '/api/admin/audit_log?count=2'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/register '{"user":"dave","host":"localhost"}'
cgi -a "Bearer wrong" GET /api/admin/registered_vhosts
cgi GET /api/admin/registered_vhosts
cgi OPTIONS /api/admin/registered_vhosts
CGI_MOUNT=/api/mongoose
M=/api/mongoose
cgi -a "Bearer $ADMIN_KEY" GET $M/commands
cgi -a "Bearer $ADMIN_KEY" POST $M/users/localhost '{"username":"frank","password":"pw"}'
cgi -a "Bearer $ADMIN_KEY" POST $M/users/localhost '{"username":"frank","password":"pw"}'
cgi -a "Bearer $ADMIN_KEY" GET $M/users/localhost
cgi -a "Bearer $ADMIN_KEY" PUT $M/contacts/frank@localhost/erin@localhost/manage '{"action":"connect"}'
cgi -a "Bearer $ADMIN_KEY" GET $M/contacts/frank@localhost
cgi -a "Bearer $ADMIN_KEY" GET '/api/mongoose/messages/frank@localhost?limit=5'
cgi -a "Bearer $ADMIN_KEY" PUT $M/users/localhost/frank '{}'
cgi -a "Bearer $ADMIN_KEY" DELETE $M/users/localhost/frank
cgi GET $M/users/localhost

# --- chatrest-events (the replies before any stream starts) ------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-events
CGI_MOUNT=/api/sse
cgi GET /api/sse
cgi -a 'Basic ZGF2ZUBsb2NhbGhvc3Q6d3Jvbmc=' GET /api/sse

done_testing
