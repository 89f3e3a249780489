#!/bin/sh
# chatrest-client as one FastCGI process (cgi-fcgi): nothing of one
# request's caller leaks into the next, and a changed password takes
# effect at once despite the auth cache (whose speed tests/bench shows).
# A cached caller is not read first: the answering statement checks the
# row, so the fallbacks (stale hash, deleted or disabled account, a
# request refused before any statement) are tested route by route.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi not installed (Debian package libfcgi-bin)"

for u in alice bob carol dave erin; do register $u; done
trap stop_apps EXIT

FCGI_SOCK=$TEST_TMP/client.sock
cgi-fcgi -start -connect "$FCGI_SOCK" "$CGI_BIN" 1
pid=$(app_pids)
is "$(echo "$pid" | wc -w | tr -d ' ')" 1 'one FastCGI process'
A=$(basic alice@localhost pw-alice)

fcgi -a "$A" PUT /api/rooms/kept '{"name":"n","subject":"s"}'
reply_is 201 '{"id":"kept"}' 'alice creates a room'
fcgi GET /api/rooms
empty_is 401 'the next request without credentials: 401, not alice'
fcgi -a "$(basic alice@localhost wrong)" GET /api/rooms
empty_is 401 'a wrong password after a right one: 401'
fcgi -a "$(basic bob@localhost pw-bob)" GET /api/rooms
reply_is 200 '[]' "bob does not see alice's rooms"
fcgi -a "$(basic bob@localhost pw-bob)" POST /api/rooms/kept/messages '{"body":"x"}'
empty_is 403 'nor act as her'

"$top_builddir/cgi-bin/chatrest-register" -d "{\"key\":\"$REGISTER_KEY\",\"username\":\"alice\",\"host\":\"localhost\",\"new_password\":\"changed\"}" \
    POST /api/register/force_change_password >/dev/null 2>&1
fcgi -a "$A" GET /api/rooms
empty_is 401 'the old password stops working at once'
fcgi -a "$(basic alice@localhost changed)" GET /api/rooms
reply_is 200 '[{"id":"kept","name":"n","subject":"s"}]' 'the new one works'
is "$(app_pids)" "$pid" 'the same process answered everything'

# force_pw LOCAL PASSWORD: a new hash, as an admin sets it.
force_pw() {
	"$REG" -d "{\"key\":\"$REGISTER_KEY\",\"username\":\"$1\",\"host\":\"localhost\",\"new_password\":\"$2\"}" \
	    POST /api/register/force_change_password >/dev/null 2>&1
}
C=$(basic carol@localhost pw-carol)
fcgi -a "$C" PUT /api/rooms/carols '{"name":"c","subject":"s"}'
reply_is 201 '{"id":"carols"}' 'carol creates a room'
fcgi -a "$C" POST /api/messages '{"to":"bob@localhost","body":"one"}'
is "$STATUS" 200 'carol writes with a warm cache'
fcgi -a "$C" GET /api/messages
is "$STATUS" 200 'carol reads with a warm cache'
fcgi -a "$C" POST /api/rooms/carols/messages '{"body":"r1"}'
is "$STATUS" 200 'carol posts to her room with a warm cache'
fcgi -a "$C" GET /api/rooms/carols/messages
is "$STATUS" 200 'and reads its history'

force_pw carol other
d=$(client_digest)
fcgi -a "$C" POST /api/messages '{"to":"bob@localhost","body":"two"}'
empty_is 401 'password changed: a send with the old one: 401'
fcgi -a "$C" POST /api/rooms/carols/messages '{"body":"r2"}'
empty_is 401 'a room post with the old one: 401'
is "$(client_digest)" "$d" 'the stale writes wrote nothing'
for path in /api/messages /api/messages/bob@localhost /api/rooms \
    /api/rooms/carols /api/rooms/carols/messages; do
	fcgi -a "$C" GET "$path"
	empty_is 401 "GET $path with the old one: 401"
done
fcgi -a "$C" GET '/api/messages?limit=abc'
empty_is 401 'a request refused before any statement: 401, not 400'

# The same password under a new hash (a new salt): still good.
force_pw carol pw-carol
fcgi -a "$C" POST /api/messages '{"to":"bob@localhost","body":"three"}'
is "$STATUS" 200 'same password, new hash: the send goes through'
is "$(psql_q "select count(*) from chat_archive where body = 'three'")" 2 \
    '... archived once for each party'
fcgi -a "$C" GET '/api/messages?limit=1'
json_is 200 '[{"from":"carol@localhost","to":"bob@localhost","id":"UUID","body":"three","timestamp":TS}]' \
    'and the history reads it'

D=$(basic dave@localhost pw-dave)
fcgi -a "$D" GET /api/rooms
reply_is 200 '[]' 'dave is cached'
psql_q "delete from users where localpart = 'dave'" >/dev/null
fcgi -a "$D" GET /api/messages
empty_is 401 'a deleted account: 401 at once'
d=$(client_digest)
fcgi -a "$D" POST /api/messages '{"to":"bob@localhost","body":"ghost"}'
empty_is 401 'and it cannot write'
is "$(client_digest)" "$d" '... nothing written'

E=$(basic erin@localhost pw-erin)
fcgi -a "$E" POST /api/messages '{"to":"bob@localhost","body":"hi"}'
is "$STATUS" 200 'erin is cached'
psql_q "update users set disabled = true where localpart = 'erin'" >/dev/null
fcgi -a "$E" GET /api/rooms
empty_is 401 'a disabled account: 401 at once'
psql_q "update users set disabled = false, last_seen = null where localpart = 'erin'" >/dev/null
fcgi -a "$E" GET /api/rooms
reply_is 200 '[]' 'enabled again: 200'
is "$(psql_q "select last_seen is not null from users where localpart = 'erin'")" t \
    'a cached caller is seen again once its last-seen was cleared'

done_testing
