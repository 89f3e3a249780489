#!/bin/sh
# chatrest-admin: every command in its three encodings (mod_restful_admin
# POST /api/admin, mod_http_api /api/admin/<command>, the shell), the
# ways in and the ways refused, allowed_commands, and the audit trail.
. "$top_srcdir/tests/lib.sh"

CGI_BIN=$top_builddir/cgi-bin/chatrest-admin
CGI_MOUNT=/api/admin
A=/api/admin
K=$ADMIN_KEY
ME=$(id -un)

# sh CMD ARG...: the shell form; OUT, ERR and RC.
sh_() {
	RC=0
	"$CGI_BIN" "$@" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err" || RC=$?
	OUT=$(cat "$TEST_TMP/sh.out")
	ERR=$(cat "$TEST_TMP/sh.err")
}

# rf COMMAND ARGS-JSON-ARRAY: the mod_restful_admin form, by key.
rf() {
	cgi POST $A "{\"key\":\"$K\",\"command\":\"$1\",\"args\":$2}"
}

# ha COMMAND [JSON]: the mod_http_api form, by bearer key.
ha() {
	cgi -a "Bearer $K" POST "$A/$1" "${2-{\}}"
}

basic() {
	printf 'Basic %s' "$(printf '%s' "$1" | base64 | tr -d '\n')"
}

audit_last() {	# the newest audit row, as actor|via|command|args|outcome
	psql_q "select actor || '|' || via || '|' || command || '|' ||
	    args::text || '|' || outcome from admin_audit order by id desc
	    limit 1"
}

naudit() {
	psql_q "select count(*) from admin_audit"
}

digest() {
	printf '%s %s' "$(users_digest)" "$(naudit)"
}

# --- the shell -------------------------------------------------------------
sh_ register admin localhost adminpw
is "$RC/$OUT" "0/User admin@localhost successfully registered" \
    'shell register: the restuple text, exit 0'
sh_ register alice localhost pw-alice
sh_ register alice localhost other
is "$RC/$ERR" "1/chatrest-admin: register: User alice@localhost already registered" \
    'shell register again: message on stderr, exit 1'
is "$(audit_last)" \
    "shell:$ME|shell|register|{\"user\":\"alice\",\"host\":\"localhost\",\"password\":\"[redacted]\"}|exists" \
    'shell: failed register audited, password redacted'
sh_ register bad@name localhost pw
is "$RC" 1 'shell register malformed user: exit 1'
sh_ register bob nohost pw
like "$ERR" 'Unknown virtual host' 'shell register unknown host: message'
sh_ check_account alice localhost
is "$RC/$OUT" "0/" 'shell check_account: exit 0, no output'
sh_ check_account nobody localhost
is "$RC/$OUT" "1/" 'shell check_account unknown: exit 1'
sh_ check_password alice localhost pw-alice
is "$RC" 0 'shell check_password right: exit 0'
sh_ check_password alice localhost nope
is "$RC" 1 'shell check_password wrong: exit 1'
sh_ registered_users localhost
is "$RC/$OUT" "0/admin
alice" 'shell registered_users: one per line, sorted'
sh_ registered_vhosts
is "$OUT" "localhost
example.org" 'shell registered_vhosts'
sh_ connected_users
is "$RC/$OUT" "0/" 'shell connected_users: nobody'
sh_ connected_users_number
is "$OUT" 0 'shell connected_users_number: 0'
sh_ set_nickname alice localhost 'Alice A.'
is "$RC" 0 'shell set_nickname: exit 0'
is "$(psql_q "select display_name from users where localpart = 'alice'")" \
    'Alice A.' 'shell set_nickname: stored'
sh_ change_password alice localhost pw2
is "$RC" 0 'shell change_password: exit 0'
sh_ check_password alice localhost pw2
is "$RC" 0 'shell change_password: new password works'
sh_ ban_account alice localhost 'spam'
is "$RC" 0 'shell ban_account: exit 0'
is "$(psql_q "select disabled || ' ' || disabled_reason from users where localpart = 'alice'")" \
    'true spam' 'shell ban_account: disabled with its reason'
sh_ check_password alice localhost pw2
is "$RC" 1 'banned: check_password fails'
sh_ unban_account alice localhost
is "$(psql_q "select disabled || ' ' || coalesce(disabled_reason, '-') from users where localpart = 'alice'")" \
    'false -' 'shell unban_account: enabled, reason cleared'
sh_ ban_account nobody localhost x
is "$RC/$ERR" "1/chatrest-admin: ban_account: unknown_user" \
    'shell ban_account unknown user: exit 1'
sh_ register zed localhost pw
sh_ unregister zed localhost
is "$RC/$OUT" "0/" 'shell unregister: empty text, exit 0'
is "$(psql_q "select count(*) from users where localpart = 'zed'")" 0 \
    'shell unregister: row gone'
sh_ audit_log 1
is "$(printf '%s' "$OUT" | cut -f 3-8)" \
    "shell:$ME	shell	unregister	{\"user\":\"zed\",\"host\":\"localhost\"}	ok	" \
    'shell audit_log 1: the newest entry, tab-separated'
sh_ audit_log
is "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" 12 \
    'shell audit_log: every state change so far (12 of them)'

d=$(digest)
sh_ register carl localhost
is "$RC" 2 'shell: too few arguments, exit 2'
like "$ERR" 'usage: chatrest-admin register user host password' \
    'shell: too few arguments, usage'
sh_ register carl localhost pw extra
is "$RC" 2 'shell: too many arguments, exit 2'
sh_ audit_log many
is "$RC/$ERR" "2/chatrest-admin: Arg count is not in format integer" \
    'shell: integer argument not a number, exit 2'
sh_ frobnicate
is "$RC" 2 'shell: unknown command, exit 2'
sh_ check_account -dash localhost
is "$RC/$ERR" "1/" 'shell: a word starting with - after the command is an argument'
is "$(digest)" "$d" 'shell bad input: nothing changed'
sh_ help
like "$OUT" '^  register +create an account$' 'shell help: lists register'
for c in audit_log ban_account change_password check_account check_password \
    connected_users connected_users_number get_blocklist migrate register \
    registered_users registered_vhosts set_blocklist set_nickname \
    unban_account unregister; do
	printf '%s\n' "$OUT" | grep -q "^  $c " || diag "help lacks $c"
done
is "$(printf '%s\n' "$OUT" | grep -c '^  [a-z_]* ')" 31 'shell help: 31 commands'
sh_ help ban_account
is "$(printf '%s\n' "$OUT" | head -n 1)" \
    'usage: chatrest-admin ban_account user host reason' 'shell help COMMAND'
sh_ migrate
is "$RC/$OUT" "0/database is up to date" 'shell migrate: up to date'

# --- mod_restful_admin: POST /api/admin ----------------------------------------
rf register '["bob","localhost","pw-bob"]'
reply_is 200 '{"ok":"User bob@localhost successfully registered"}' \
    'restful register: restuple'
is "$(audit_last)" \
    'key|restful|register|{"user":"bob","host":"localhost","password":"[redacted]"}|ok' \
    'restful register: audited as the key'
rf register '["bob","localhost","pw-bob"]'
reply_is 200 '{"exists":"User bob@localhost already registered"}' \
    'restful register again: 200 exists restuple'
d=$(users_digest)
rf register '["bob","nohost","pw"]'
reply_is 200 '{"cannot_register":"Unknown virtual host"}' \
    'restful register unknown host: 200 cannot_register restuple (13.10)'
rf register '["bad user","localhost","pw"]'
reply_is 200 '{"cannot_register":"Can'"'"'t register user at localhost: Malformed username"}' \
    'restful register malformed user: 200 cannot_register restuple'
rf register '["carl","localhost",""]'
reply_is 200 '{"cannot_register":"Can'"'"'t register user carl@localhost: empty_password"}' \
    'restful register empty password: 200 cannot_register restuple'
is "$(users_digest)" "$d" 'restful register refused: no account created'
is "$(audit_last)" \
    'key|restful|register|{"user":"carl","host":"localhost","password":"[redacted]"}|cannot_register' \
    'restful register refused: audited, password redacted'
rf check_account '["bob","localhost"]'
reply_is 200 '"ok"' 'restful check_account: "ok"'
rf check_account '["nobody","localhost"]'
reply_is 200 '"error"' 'restful check_account unknown: "error"'
rf check_password '["bob","localhost","pw-bob"]'
reply_is 200 '"ok"' 'restful check_password'
rf check_password '["bob","localhost","nope"]'
reply_is 200 '"error"' 'restful check_password wrong'
rf change_password '["bob","localhost","pw-bob2"]'
reply_is 200 '"ok"' 'restful change_password'
rf change_password '["nobody","localhost","x"]'
reply_is 403 '{"error":"unknown_user"}' 'restful change_password unknown user'
rf registered_users '["localhost"]'
reply_is 200 '["admin","alice","bob"]' 'restful registered_users'
rf registered_users '["nohost"]'
reply_is 403 '{"error":"unknown_host"}' 'restful registered_users unknown host'
rf registered_vhosts '[]'
reply_is 200 '["localhost","example.org"]' 'restful registered_vhosts'
cgi POST $A "{\"key\":\"$K\",\"command\":\"registered_vhosts\"}"
reply_is 200 '["localhost","example.org"]' 'restful: args may be left out'
rf connected_users '[]'
reply_is 200 '[]' 'restful connected_users: nobody yet'
rf connected_users_number '[]'
reply_is 200 '0' 'restful connected_users_number: a JSON number'
rf set_nickname '["bob","localhost","Bobby"]'
reply_is 200 '"ok"' 'restful set_nickname'
rf ban_account '["bob","localhost","abuse"]'
reply_is 200 '"ok"' 'restful ban_account'
rf unban_account '["bob","localhost"]'
reply_is 200 '"ok"' 'restful unban_account'
rf unregister '["bob","localhost"]'
reply_is 200 '{"ok":""}' 'restful unregister'
rf unregister '["bob","localhost"]'
reply_is 200 '{"ok":""}' 'restful unregister again: still ok (as ejabberd)'
rf audit_log '[1]'
like "$BODY" '^\[\[[0-9]+,"[0-9T:.-]+Z","key","restful","unregister",\{"user":"bob","host":"localhost"\},"ok",""\]\]$' \
    'restful audit_log [1]: positional tuples'
rf audit_log '["1"]'
like "$BODY" '^\[\[' 'restful audit_log: an integer as a string'

d=$(digest)
rf frobnicate '[]'
reply_is 400 '{"error":"bad_request"}' 'restful unknown command: bad_request'
rf migrate '[]'
reply_is 400 '{"error":"bad_request"}' 'restful terminal-only command: unknown'
rf help '[]'
reply_is 400 '{"error":"bad_request"}' 'restful help: unknown'
rf register '["carl","localhost"]'
reply_is 400 '{"error":"bad_request"}' 'restful too few args'
rf register '["carl","localhost","pw","x"]'
reply_is 400 '{"error":"bad_request"}' 'restful too many args'
rf register '["carl","localhost",5]'
reply_is 400 '{"error":"bad_request"}' 'restful number for a string arg'
rf audit_log '["x"]'
reply_is 400 '{"error":"bad_request"}' 'restful non-integer string for an integer'
rf audit_log '[1.5]'
reply_is 400 '{"error":"bad_request"}' 'restful fraction for an integer'
cgi POST $A "{\"key\":\"$K\",\"command\":\"register\",\"args\":\"carl\"}"
reply_is 400 '{"error":"bad_request"}' 'restful args not an array'
cgi POST $A "{\"key\":\"$K\",\"args\":[]}"
reply_is 400 '{"error":"bad_request"}' 'restful no command'
cgi POST $A "{\"key\":\"$K\",\"command\":\"register\",\"args\":[\"carl\",\"localhost\",\"p\\u0000w\"]}"
reply_is 400 '{"error":"bad_request"}' 'restful NUL in a string arg'
cgi POST $A '{"key":'
reply_is 400 '{"error":"bad_request"}' 'restful invalid JSON'
cgi -t text/plain POST $A "{\"key\":\"$K\",\"command\":\"registered_vhosts\"}"
reply_is 400 '{"error":"bad_request"}' 'restful wrong Content-Type'
cgi GET $A
reply_is 404 '{"error":"not_found"}' 'restful GET /api/admin: not_found'
is "$(digest)" "$d" 'restful bad input: nothing changed, nothing audited'

# the ways in: with a key configured it must be in the body
cgi POST $A '{"key":"wrong-wrong-wrong-wrong-wrong-wrong","command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful wrong key: not_allowed'
cgi POST $A '{"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful no key: not_allowed'
cgi POST $A '{"key":7,"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful non-string key: not_allowed'
cgi -a "$(basic admin@localhost:adminpw)" POST $A '{"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful Basic ignored while a key is set'

# without a key: Basic of an account in admins
grep -v "^key = $K\$" "$CHATREST_CONFIG" >"$TEST_TMP/basic.conf"
cgi -c "$TEST_TMP/basic.conf" -a "$(basic admin@localhost:adminpw)" POST $A \
    '{"command":"register","args":["dora","localhost","pw"]}'
reply_is 200 '{"ok":"User dora@localhost successfully registered"}' \
    'restful Basic admin: register'
is "$(audit_last)" \
    'admin@localhost|restful|register|{"user":"dora","host":"localhost","password":"[redacted]"}|ok' \
    'restful Basic admin: audited as the admin JID'
cgi -c "$TEST_TMP/basic.conf" -a "$(basic dora@localhost:pw)" POST $A \
    '{"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful Basic non-admin: not_allowed'
cgi -c "$TEST_TMP/basic.conf" -a "$(basic admin@localhost:wrong)" POST $A \
    '{"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful Basic wrong password'
cgi -c "$TEST_TMP/basic.conf" POST $A '{"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful no credentials'
cgi -c "$TEST_TMP/basic.conf" -a "Bearer $K" POST $A '{"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful bearer is not a way in'

# neither key nor admins: every request refused
grep -v -e "^key = $K\$" -e '^admins' "$CHATREST_CONFIG" >"$TEST_TMP/none.conf"
cgi -c "$TEST_TMP/none.conf" -a "$(basic admin@localhost:adminpw)" POST $A \
    '{"command":"registered_vhosts"}'
reply_is 503 '{"error":"not_configured"}' 'restful, nothing configured: 503'

# allowed_commands
sed "s/^admins = .*/&\nallowed_commands = check_account registered_users/" \
    "$CHATREST_CONFIG" >"$TEST_TMP/allowed.conf"
cgi -c "$TEST_TMP/allowed.conf" POST $A \
    "{\"key\":\"$K\",\"command\":\"check_account\",\"args\":[\"admin\",\"localhost\"]}"
reply_is 200 '"ok"' 'restful allowed_commands: listed command runs'
d=$(digest)
cgi -c "$TEST_TMP/allowed.conf" POST $A \
    "{\"key\":\"$K\",\"command\":\"register\",\"args\":[\"eve\",\"localhost\",\"pw\"]}"
reply_is 401 '{"error":"not_allowed"}' 'restful allowed_commands: other command refused'
cgi -c "$TEST_TMP/allowed.conf" POST $A \
    "{\"key\":\"$K\",\"command\":\"frobnicate\",\"args\":[]}"
reply_is 401 '{"error":"not_allowed"}' 'restful allowed_commands: checked before the command exists'
is "$(digest)" "$d" 'restful refused: nothing changed'

# --- mod_http_api: /api/admin/<command> --------------------------------------
ha register '{"user":"fay","host":"localhost","password":"pw-fay"}'
reply_is 200 '"User fay@localhost successfully registered"' \
    'http_api register: bare string'
is "$(header Access-Control-Allow-Origin)" '*' 'http_api: CORS origin'
is "$(audit_last)" \
    'key|http_api|register|{"user":"fay","host":"localhost","password":"[redacted]"}|ok' \
    'http_api register: audited as the key'
ha register '{"user":"fay","host":"localhost","password":"pw-fay"}'
reply_is 409 '{"status":"error","code":10090,"message":"User fay@localhost already registered"}' \
    'http_api register again: 409'
ha register '{"user":"fay","host":"nohost","password":"pw"}'
reply_is 500 '{"status":"error","code":10001,"message":"Unknown virtual host"}' \
    'http_api register unknown host: 500 10001'
ha register '{"user":"bad user","host":"localhost","password":"pw"}'
reply_is 500 '{"status":"error","code":10001,"message":"Can'"'"'t register user at localhost: Malformed username"}' \
    'http_api register malformed user: 500 10001'
ha check_account '{"user":"fay","host":"localhost"}'
reply_is 200 0 'http_api check_account: 0'
ha check_account '{"user":"nobody","host":"localhost"}'
reply_is 200 1 'http_api check_account unknown: 1'
cgi -a "Bearer $K" GET "$A/check_account?user=fay&host=localhost"
reply_is 200 0 'http_api GET check_account'
ha check_password '{"user":"fay","host":"localhost","password":"pw-fay"}'
reply_is 200 0 'http_api check_password: 0'
ha check_password '{"user":"fay","host":"localhost","password":"no"}'
reply_is 200 1 'http_api check_password wrong: 1'
ha change_password '{"user":"fay","host":"localhost","newpass":"pw-fay2"}'
reply_is 200 0 'http_api change_password: 0'
ha change_password '{"user":"nobody","host":"localhost","newpass":"x"}'
reply_is 404 '"unknown_user"' 'http_api change_password unknown: 404'
ha registered_users '{"host":"localhost"}'
reply_is 200 '["admin","alice","dora","fay"]' 'http_api registered_users'
cgi -a "Bearer $K" GET "$A/registered_users?host=localhost"
reply_is 200 '["admin","alice","dora","fay"]' 'http_api GET registered_users'
ha registered_users '{"host":"nohost"}'
reply_is 400 '"Unknown virtual host"' 'http_api registered_users unknown host'
ha registered_vhosts
reply_is 200 '["localhost","example.org"]' 'http_api registered_vhosts'
cgi -a "Bearer $K" POST "$A/registered_vhosts" ''
reply_is 200 '["localhost","example.org"]' 'http_api empty body: no arguments'
ha set_nickname '{"user":"fay","host":"localhost","nickname":"Fay"}'
reply_is 200 0 'http_api set_nickname'
ha set_nickname '{"user":"nobody","host":"localhost","nickname":"x"}'
reply_is 404 '"unknown_user"' 'http_api set_nickname unknown user'
ha ban_account '{"user":"fay","host":"localhost","reason":"r"}'
reply_is 200 0 'http_api ban_account'
ha unban_account '{"user":"fay","host":"localhost"}'
reply_is 200 0 'http_api unban_account'
ha audit_log '{"count":2}'
like "$BODY" '^\[\{"id":[0-9]+,"at":"[^"]+","actor":"key","via":"http_api","command":"unban_account","args":\{"user":"fay","host":"localhost"\},"outcome":"ok","message":""\},\{[^}]*"command":"ban_account",' \
    'http_api audit_log: objects, newest first'
cgi -a "Bearer $K" GET "$A/audit_log?count=1"
like "$BODY" '^\[\{"id":' 'http_api GET audit_log?count=1'

# presence: Basic auth by any front door makes an account "connected"
cgi -a "$(basic admin@localhost:adminpw)" GET "$A/connected_users"
reply_is 200 '["admin@localhost"]' 'http_api connected_users: the admin just seen'
cgi -a "$(basic admin@localhost:adminpw)" GET "$A/connected_users_number"
reply_is 200 '{"num_sessions":1}' 'http_api connected_users_number: v0 object'
is "$(audit_last | cut -d'|' -f3)" unban_account 'read-only commands are not audited'

ha unregister '{"user":"fay","host":"localhost"}'
reply_is 200 '""' 'http_api unregister: ""'
ha unregister '{"user":"fay","host":"localhost"}'
reply_is 200 '""' 'http_api unregister unknown: "" (as ejabberd)'

d=$(digest)
ha register '{"user":"gus","host":"localhost"}'
reply_is 400 '"Request have missing argument: password"' 'http_api missing arg'
ha register '{"user":"gus","host":"localhost","password":"pw","extra":1,"more":2}'
reply_is 400 '"Request have unknown arguments: [extra,more]"' 'http_api extra args'
ha register '{"user":"gus","host":"localhost","password":5}'
reply_is 400 '"Arg password is not in format binary"' 'http_api wrong type'
ha audit_log '{"count":"2"}'
reply_is 400 '"Arg count is not in format integer"' 'http_api integer as a string'
ha audit_log '{"count":0}'
reply_is 400 '"count must be between 1 and 1000"' 'http_api integer out of range'
cgi -a "Bearer $K" GET "$A/audit_log?count=x"
reply_is 400 '"Arg count is not in format integer"' 'http_api GET bad integer'
cgi -a "Bearer $K" GET "$A/registered_users?host=localhost&host=x"
reply_is 400 '"Request have duplicate argument: host"' 'http_api GET duplicate'
ha register '{"user":"gus","host":"localhost","password":"pw","user":"admin"}'
reply_is 400 '"Request have duplicate argument: user"' 'http_api POST duplicate'
ha check_account '{"user":"nobody","host":"localhost","us\u0065r":"admin"}'
reply_is 400 '"Request have duplicate argument: user"' 'http_api POST duplicate, escaped'
ha check_account '{"user":"admin","host":"localhost","x":{"user":1,"user":2}}'
reply_is 400 '"Request have unknown arguments: [x]"' \
    'http_api POST: only top-level names are arguments'
cgi -a "Bearer $K" GET "$A/register?user=gus&host=localhost&password=pw"
reply_is 400 '{"status":"error","code":40,"message":"This command changes state: use POST."}' \
    'http_api GET of a state-changing command refused'
ha register '{"user":'
reply_is 400 '"400 Bad Request"' 'http_api invalid JSON'
ha register '["gus","localhost","pw"]'
reply_is 400 '"400 Bad Request"' 'http_api array body'
cgi -a "Bearer $K" -t text/plain POST "$A/register" \
    '{"user":"gus","host":"localhost","password":"pw"}'
reply_is 400 '"400 Bad Request"' 'http_api POST without application/json (CSRF guard)'
ha ok
reply_is 400 '"unknown_command"' 'http_api unknown command'
ha migrate
reply_is 400 '"unknown_command"' 'http_api terminal-only command: unknown'
ha Register
reply_is 404 '{"status":"error","code":40,"message":"Endpoint not found."}' \
    'http_api not a command name: 404'
cgi -a "Bearer $K" PUT "$A/register" '{}'
reply_is 400 '{"status":"error","code":40,"message":"Missing command name."}' \
    'http_api PUT: 400 code 40'
is "$(digest)" "$d" 'http_api bad input: nothing changed, nothing audited'

cgi OPTIONS "$A/register"
is "$STATUS $(header Content-Type) $(header Access-Control-Allow-Headers)" \
    '200 text/plain Content-Type, Authorization, X-Admin' \
    'http_api OPTIONS: CORS, no auth'

# the ways in
cgi -a "$(basic admin@localhost:adminpw)" POST "$A/register" \
    '{"user":"hal","host":"localhost","password":"pw-hal"}'
reply_is 200 '"User hal@localhost successfully registered"' 'http_api Basic admin'
is "$(audit_last | cut -d'|' -f1-3)" 'admin@localhost|http_api|register' \
    'http_api Basic admin: audited as the admin JID'
d=$(digest)
cgi -a "$(basic hal@localhost:pw-hal)" POST "$A/register" \
    '{"user":"ida","host":"localhost","password":"pw"}'
reply_is 403 '{"status":"error","code":32,"message":"AccessRules: Account does not have the right to perform the operation."}' \
    'http_api Basic non-admin: 403 code 32'
cgi -a "$(basic admin@localhost:wrong)" POST "$A/register" \
    '{"user":"ida","host":"localhost","password":"pw"}'
reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
    'http_api Basic wrong password: 401 code 10'
cgi -a "Bearer wrong-wrong-wrong-wrong-wrong-wrong-wrong" POST "$A/register" \
    '{"user":"ida","host":"localhost","password":"pw"}'
reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
    'http_api wrong bearer key: 401'
cgi -a "Basic !!!" POST "$A/register" '{"user":"ida","host":"localhost","password":"pw"}'
reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
    'http_api malformed Authorization: 401'
cgi POST "$A/register" '{"user":"ida","host":"localhost","password":"pw"}'
reply_is 403 '{"status":"error","code":32,"message":"AccessRules: Account does not have the right to perform the operation."}' \
    'http_api no credentials: 403'
cgi -c "$TEST_TMP/basic.conf" -a "Bearer $K" GET "$A/registered_vhosts"
reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
    'http_api bearer with no key configured: 401'
cgi -c "$TEST_TMP/none.conf" -a "$(basic admin@localhost:adminpw)" GET "$A/registered_vhosts"
reply_is 503 '"not_configured"' 'http_api, nothing configured: 503'
cgi -c "$TEST_TMP/allowed.conf" -a "Bearer $K" POST "$A/register" \
    '{"user":"ida","host":"localhost","password":"pw"}'
reply_is 403 '{"status":"error","code":32,"message":"AccessRules: Account does not have the right to perform the operation."}' \
    'http_api allowed_commands: other command 403'
cgi -c "$TEST_TMP/allowed.conf" -a "Bearer $K" GET "$A/registered_users?host=localhost"
reply_is 200 '["admin","alice","dora","hal"]' 'http_api allowed_commands: listed command runs'
is "$(digest)" "$d" 'http_api refused: nothing changed'

# a disabled administrator is refused everywhere
sh_ ban_account admin localhost 'lost laptop'
cgi -a "$(basic admin@localhost:adminpw)" GET "$A/registered_vhosts"
reply_is 401 '{"status":"error","code":10,"message":"You are not authorized to call this command."}' \
    'http_api banned admin: 401'
cgi -c "$TEST_TMP/basic.conf" -a "$(basic admin@localhost:adminpw)" POST $A \
    '{"command":"registered_vhosts"}'
reply_is 401 '{"error":"not_allowed"}' 'restful banned admin: 401'
cgi -a "$(basic admin@localhost:adminpw)" GET "$A/connected_users"
cgi -a "Bearer $K" GET "$A/connected_users"
reply_is 200 '[]' 'banned accounts are not connected'

# the trail, end to end
is "$(psql_q "select count(*) from admin_audit where args::text like '%pw%'
    and command <> 'set_nickname'")" 0 'no password in the audit trail'
is "$(psql_q "select string_agg(distinct via, ',' order by via) from admin_audit")" \
    'http_api,restful,shell' 'audit: all three encodings recorded'

done_testing
