#!/bin/sh
# The admin commands get_blocklist and set_blocklist, in the shell and
# both HTTP encodings, over the same rows as chatrest-web's blocklists.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/web/common.sh"

ADM=$top_builddir/cgi-bin/chatrest-admin
web_config
web_users

sh_() {
	RC=0
	"$ADM" "$@" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err" || RC=$?
	OUT=$(cat "$TEST_TMP/sh.out")
	ERR=$(cat "$TEST_TMP/sh.err")
}

cgi POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"bob\"]}"
reply_is 200 "$OK" 'blocklist through chatrest-web'
sh_ get_blocklist alice localhost
is "$RC|$OUT" '0|bob@localhost' 'get_blocklist shows it'

sh_ set_blocklist alice localhost 'carol, erin@example.org Dave'
is "$RC|$ERR" '0|' 'set_blocklist: JIDs and own-host localparts'
sh_ get_blocklist alice localhost
is "$OUT" 'erin@example.org
carol@localhost
dave@localhost' 'replaced; sorted by host, then localpart'
is "$(blocks)" 'alice>carol@localhost alice>dave@localhost alice>erin@example.org' \
    'the rows chatrest-web reads'

d0=$(blocks)
sh_ set_blocklist alice localhost 'bob x@y@z'
is "$RC|$ERR" '1|chatrest-admin: set_blocklist: not a localpart or bare JID: x@y@z' \
    'a bad entry: refused'
sh_ set_blocklist nobody localhost 'bob'
is "$RC|$ERR" '1|chatrest-admin: set_blocklist: unknown_user' 'unknown user'
sh_ get_blocklist nobody localhost
is "$RC|$ERR" '1|chatrest-admin: get_blocklist: unknown_user' \
    'get_blocklist: unknown user'
is "$(blocks)" "$d0" '... nothing changed'

CGI_BIN=$ADM
CGI_MOUNT=/api/admin
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"set_blocklist\",\"args\":[\"alice\",\"localhost\",\"\"]}"
reply_is 200 '"ok"' 'mod_restful_admin set_blocklist "": ok'
is "$(blocks)" '' 'an empty list clears'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/set_blocklist \
    '{"user":"alice","host":"localhost","blocklist":"bob"}'
reply_is 200 0 'mod_http_api set_blocklist: 0'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/get_blocklist \
    '{"user":"alice","host":"localhost"}'
reply_is 200 '["bob@localhost"]' 'mod_http_api get_blocklist'
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"get_blocklist\",\"args\":[\"alice\",\"localhost\"]}"
reply_is 200 '["bob@localhost"]' 'mod_restful_admin get_blocklist'
cgi POST /api/admin "{\"key\":\"$ADMIN_KEY\",\"command\":\"get_blocklist\",\"args\":[\"nobody\",\"localhost\"]}"
reply_is 403 '{"error":"unknown_user"}' 'mod_restful_admin get_blocklist: unknown user'
cgi -a "Bearer $ADMIN_KEY" GET '/api/admin/get_blocklist?user=nobody&host=localhost'
reply_is 404 '"unknown_user"' 'mod_http_api GET get_blocklist: unknown user'
cgi -a "Bearer $ADMIN_KEY" POST /api/admin/set_blocklist \
    '{"user":"alice","host":"localhost","blocklist":"x@y@z"}'
reply_is 400 '"not a localpart or bare JID: x@y@z"' \
    'mod_http_api set_blocklist, a bad entry: 400'
is "$(blocks)" 'alice>bob@localhost' '... nothing changed'
is "$(psql_q "select command || ' ' || outcome from admin_audit
    where command = 'set_blocklist' order by id")" 'set_blocklist ok
set_blocklist bad_request
set_blocklist unknown_user
set_blocklist ok
set_blocklist ok
set_blocklist bad_request' 'set_blocklist is audited, get_blocklist is not'
done_testing
