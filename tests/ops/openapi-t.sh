#!/bin/sh
# The OpenAPI 3.1 documents (man/openapi/*.yaml): each passes the
# structural lint (tests/ops/openapi.py: refs, operations, JSON Schema
# 2020-12), says exactly what its executable's route table serves (as
# printed by --routes), and the replies to a run of good and bad requests
# validate against the document's schemas.
. "$top_srcdir/tests/lib.sh"

python3 -c 'import jsonschema, yaml' 2>/dev/null ||
	skip_all 'needs python3-jsonschema and python3-yaml'
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

# valid DOC: the last reply (cgi) is to validate against DOC's schema for
# it; the replies are checked together at the end (one python3 start).
nvalid=0
: >"$TEST_TMP/replies"
valid() {
	nvalid=$((nvalid + 1))
	printf '%s' "$BODY" >"$TEST_TMP/body.$nvalid"
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$_method" "$_url" "$STATUS" \
	    "$TEST_TMP/body.$nvalid" >>"$TEST_TMP/replies"
}

# --- chatrest-register -------------------------------------------------------
D=$DOCS/chatrest-register.yaml
R=/api/register
CGI_BIN=$top_builddir/cgi-bin/chatrest-register
cgi POST $R/register "$(reg_body username=alice host=localhost password=pw)"
valid "$D"
cgi POST $R/register "$(reg_body username=bob host=localhost password=pw email=not-an-address)"
valid "$D"
cgi POST $R/register "$(reg_body username=alice host=localhost password=pw)"
valid "$D"
cgi POST $R/register '{"username":"x","host":"localhost","password":"pw"}'
valid "$D"
cgi POST $R/register "$(reg_body username=x host=localhost)"
valid "$D"
cgi POST $R/register "$(reg_body username='a b' host=localhost password=pw)"
valid "$D"
cgi GET "$R/is_registered?username=alice&host=localhost&key=$REGISTER_KEY"
valid "$D"
cgi GET "$R/is_registered?username=zed&host=localhost&key=$REGISTER_KEY"
valid "$D"
cgi POST $R/change_password "$(reg_body username=alice host=localhost old_password=pw new_password=pw2)"
valid "$D"
cgi POST $R/change_password "$(reg_body username=alice host=localhost old_password=wrong new_password=pw3)"
valid "$D"
cgi POST $R/force_change_password "$(reg_body username=alice host=localhost new_password=pw)"
valid "$D"
cgi POST $R/unregister "$(reg_body username=nobody host=localhost password=pw)"
valid "$D"
cgi POST $R/unregister "$(reg_body username=alice host=localhost password=pw)"
valid "$D"

# --- chatrest-web ------------------------------------------------------------
D=$DOCS/chatrest-web.yaml
CGI_BIN=$top_builddir/cgi-bin/chatrest-web
CGI_MOUNT=/api
K=web-api-key-0123456789abcdef0123456789
printf '[web]\napi_key = %s\njwt_secret = %s\n' "$K" \
    jwt-secret-0123456789abcdef0123456789 >>"$CHATREST_CONFIG"
cgi GET /api/statistics
valid "$D"
cgi POST /api/authenticate "{\"APIKey\":\"$K\",\"Claims\":{\"sub\":\"bob\",\"nick\":\"Bob\"}}"
valid "$D"
JWT=$(printf '%s' "$BODY" | sed -n 's/.*"JWT": *"\([^"]*\)".*/\1/p')
cgi POST /api/profile "{\"JWTToken\":\"$JWT\",\"Username\":\"bob\"}"
valid "$D"
cgi POST /api/profile "{\"JWTToken\":\"$JWT\",\"Username\":\"nobody\"}"
valid "$D"
cgi POST /api/profile '{"JWTToken":"x.y.z"}'
valid "$D"
cgi POST /api/message/history "{\"JWTToken\":\"$JWT\",\"Username\":\"alice\"}"
valid "$D"
cgi POST /api/message/history "{\"JWTToken\":\"$JWT\",\"BeforeID\":\"x\"}"
valid "$D"
cgi POST /api/message/usernames "{\"JWTToken\":\"$JWT\",\"Page\":1}"
valid "$D"
cgi POST /api/message/clear "{\"APIKey\":\"$K\",\"Username\":\"bob\"}"
valid "$D"
cgi POST /api/message/clear "{\"APIKey\":\"wrong\",\"JWTToken\":\"$JWT\"}"
valid "$D"
cgi POST /api/authentication "{\"APIKey\":\"wrong\"}"
valid "$D"
cgi POST /api/blocklist "{\"APIKey\":\"$K\",\"Username\":\"bob\",\"Blocklist\":[\"alice\"]}"
valid "$D"
cgi POST /api/blocklist "{\"APIKey\":\"$K\",\"Username\":\"nobody\",\"Blocklist\":[]}"
valid "$D"
cgi POST /api/block/now "{\"APIKey\":\"$K\",\"Usernames\":[\"bob\",\"carol\"]}"
valid "$D"
cgi POST /api/disconnect/now "{\"APIKey\":\"$K\",\"Usernames\":[\"bob\"]}"
valid "$D"
cgi POST /api/shutdown '{"APIKey":'
valid "$D"
cgi POST /api/shutdown "{\"APIKey\":\"$K\"}"
valid "$D"
cgi OPTIONS /api/statistics
valid "$D"

# --- chatrest-identity -------------------------------------------------------
D=$DOCS/chatrest-identity.yaml
CGI_BIN=$top_builddir/cgi-bin/chatrest-identity
CGI_MOUNT=/_ma1sd
V=/_ma1sd/backend/api/v1
"$top_builddir/cgi-bin/chatrest-admin" register carol localhost pw-carol >/dev/null
"$top_builddir/cgi-bin/chatrest-admin" add_threepid carol localhost email carol@example.org
"$top_builddir/cgi-bin/chatrest-admin" set_display_name carol localhost Carol
cgi POST $V/auth/login '{"auth":{"mxid":"@carol:localhost","localpart":"carol","domain":"localhost","password":"pw-carol"}}'
valid "$D"
cgi POST $V/auth/login '{"auth":{"localpart":"carol","domain":"localhost","password":"wrong"}}'
valid "$D"
cgi POST $V/auth/login '{"auth":'
valid "$D"
cgi POST $V/identity/single '{"lookup":{"medium":"email","address":"Carol@Example.org"}}'
valid "$D"
cgi POST $V/identity/lookup/single '{"lookup":{"medium":"email","address":"x@example.org"}}'
valid "$D"
cgi POST $V/identity/bulk '{"lookup":[{"medium":"email","address":"carol@example.org"},{"medium":"msisdn","address":"123"}]}'
valid "$D"
cgi POST $V/identity/lookup/bulk '{"lookup":7}'
valid "$D"
cgi POST $V/directory/user/search '{"by":"name","search_term":"car"}'
valid "$D"
cgi POST $V/profile/displayName '{"localpart":"carol","domain":"localhost","mxid":"@carol:localhost"}'
valid "$D"
cgi POST $V/profile/threepids '{"localpart":"carol","domain":"localhost","mxid":"@carol:localhost"}'
valid "$D"
cgi POST $V/profile/roles '{"localpart":"nobody","domain":"localhost","mxid":"@nobody:localhost"}'
valid "$D"
cgi GET $V/profile/roles
valid "$D"
C=/_matrix-internal/identity/v1/check_credentials
CGI_MOUNT=/_matrix-internal
cgi POST $C '{"user":{"id":"@carol:localhost:8448","password":"pw-carol"}}'
valid "$D"
cgi POST $C '{"user":{"id":"@carol:localhost","password":"wrong"}}'
valid "$D"
cgi POST $C '{"user":{"id":"@carol:localhost"}}'
valid "$D"
cgi POST $C '[]'
valid "$D"

# --- chatrest-client ---------------------------------------------------------
D=$DOCS/chatrest-client.yaml
. "$top_srcdir/tests/client/common.sh"
register dave
register erin
as dave POST /api/messages '{"to":"erin@localhost","body":"hi"}'
valid "$D"
as dave POST /api/messages '{"to":"erin@localhost","body":7}'
valid "$D"
as erin GET '/api/messages?limit=10'
valid "$D"
as erin GET /api/messages/dave@localhost
valid "$D"
cgi GET /api/messages
valid "$D"
as dave POST /api/rooms '{"name":"Team","subject":"Plans"}'
valid "$D"
as dave PUT /api/rooms/team '{"name":"Team","subject":"Plans"}'
valid "$D"
as dave PUT /api/rooms/team '{"name":"Team","subject":"Plans"}'
valid "$D"
as dave GET /api/rooms
valid "$D"
as dave POST /api/rooms/team/users '{"user":"erin@localhost"}'
valid "$D"
as dave GET /api/rooms/team
valid "$D"
as dave PUT /api/rooms/team/config '{"name":"T","subject":"S"}'
valid "$D"
as erin POST /api/rooms/team/messages '{"body":"hello","markable":true}'
valid "$D"
as erin POST /api/rooms/team/messages '{"chat_marker":{"type":"seen","id":"x"}}'
valid "$D"
as dave GET '/api/rooms/team/messages?limit=50'
valid "$D"
as dave DELETE /api/rooms/team/users/erin@localhost
valid "$D"
as erin GET /api/rooms/team/messages
valid "$D"
as dave POST /api/contacts '{"jid":"erin@localhost"}'
valid "$D"
as dave PUT /api/contacts/erin@localhost '{"action":"invite"}'
valid "$D"
as dave PUT /api/contacts/erin@localhost '{"action":"dance"}'
valid "$D"
as dave GET /api/contacts
valid "$D"
as dave GET /api/contacts/erin@localhost
valid "$D"
as dave DELETE /api/contacts '{"to_delete":["erin@localhost","zed@localhost"]}'
valid "$D"
as dave DELETE /api/contacts/erin@localhost
valid "$D"
as dave PATCH /api/contacts '{}'
valid "$D"

# --- chatrest-admin ----------------------------------------------------------
D=$DOCS/chatrest-admin.yaml
CGI_BIN=$top_builddir/cgi-bin/chatrest-admin
CGI_MOUNT=/api/admin
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"registered_users\",\"args\":[\"localhost\"]}"
valid "$D"
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"check_account\",\"args\":[\"dave\",\"localhost\"]}"
valid "$D"
cgi POST /api/admin '{"key":"wrong","command":"registered_users","args":["localhost"]}'
valid "$D"
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"nope\"}"
valid "$D"
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/ban_account '{"user":"dave","host":"localhost","reason":"spam"}'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" GET '/api/admin/connected_users_number'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" GET '/api/admin/audit_log?count=2'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/register '{"user":"dave","host":"localhost"}'
valid "$D"
cgi -a "Bearer wrong" GET /api/admin/registered_vhosts
valid "$D"
cgi GET /api/admin/registered_vhosts
valid "$D"
cgi OPTIONS /api/admin/registered_vhosts
valid "$D"
CGI_MOUNT=/api/mongoose
M=/api/mongoose
cgi -a "Bearer $ADMIN_KEY" GET $M/commands
valid "$D"
cgi -a "Bearer $ADMIN_KEY" POST $M/users/localhost '{"username":"frank","password":"pw"}'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" POST $M/users/localhost '{"username":"frank","password":"pw"}'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" GET $M/users/localhost
valid "$D"
cgi -a "Bearer $ADMIN_KEY" PUT $M/contacts/frank@localhost/erin@localhost/manage '{"action":"connect"}'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" GET $M/contacts/frank@localhost
valid "$D"
cgi -a "Bearer $ADMIN_KEY" GET '/api/mongoose/messages/frank@localhost?limit=5'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" PUT $M/users/localhost/frank '{}'
valid "$D"
cgi -a "Bearer $ADMIN_KEY" DELETE $M/users/localhost/frank
valid "$D"
cgi GET $M/users/localhost
valid "$D"

# --- chatrest-events (the replies before any stream starts) ------------------
D=$DOCS/chatrest-events.yaml
CGI_BIN=$top_builddir/cgi-bin/chatrest-events
CGI_MOUNT=/api/sse
cgi GET /api/sse
valid "$D"
cgi -a 'Basic ZGF2ZUBsb2NhbGhvc3Q6d3Jvbmc=' GET /api/sse
valid "$D"

python3 "$OA" batch "$TEST_TMP/replies" >"$TEST_TMP/problems"
is "$(wc -l <"$TEST_TMP/problems" | tr -d ' ')" "$nvalid" \
    "$nvalid replies checked"
exec 3<"$TEST_TMP/problems"
while IFS='	' read -r doc method url status body; do
	IFS= read -r problems <&3
	is "$problems" '' "$method $url $status: as documented"
done <"$TEST_TMP/replies"
exec 3<&-

done_testing
