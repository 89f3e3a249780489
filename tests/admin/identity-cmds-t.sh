#!/bin/sh
# chatrest-admin's identity commands (add_threepid, remove_threepid,
# list_threepids, set_display_name, set_avatar, add_role, remove_role,
# list_roles) in the three encodings, bad input changing nothing, the
# audit trail, and the identity backend seeing what they set.
. "$top_srcdir/tests/lib.sh"

ADM=$top_builddir/cgi-bin/chatrest-admin
ID=$top_builddir/cgi-bin/chatrest-identity
CGI_BIN=$ADM
CGI_MOUNT=/api/admin
A=/api/admin
K=$ADMIN_KEY
ME=$(id -un)
MA=/_ma1sd/backend/api/v1
MX=/_mxisd/backend/api/v1

C_ID=$TEST_TMP/identity.conf
{ cat "$CHATREST_CONFIG"; printf '[identity]\nfail_delay = 0\n'; } >"$C_ID"
chmod 644 "$C_ID"

# sh_ CMD ARG...: the shell form; OUT, ERR and RC.
sh_() {
	RC=0
	"$ADM" "$@" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err" || RC=$?
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

# id_ PATH BODY: one request to the identity backend, as ma1sd sends it.
id_() {
	CGI_BIN=$ID CGI_MOUNT=${1%%/backend/*}
	cgi -c "$C_ID" -t 'application/json; charset=UTF-8' POST "$1" "$2"
	CGI_BIN=$ADM CGI_MOUNT=/api/admin
}

audit_last() {	# the newest audit row, as actor|via|command|args|outcome
	psql_q "select actor || '|' || via || '|' || command || '|' ||
	    args::text || '|' || outcome from admin_audit order by id desc
	    limit 1"
}

naudit() {
	psql_q "select count(*) from admin_audit"
}

# state: users, 3PIDs and roles (not the audit trail).
state() {
	printf '%s %s' "$(users_digest)" "$(psql_q "select md5(coalesce(
	    (select string_agg(r::text, ',' order by user_id, role)
	    from user_roles r), ''))")"
}

ANN='"localpart":"ann","domain":"example.org","mxid":"@ann:example.org"'
BEN='"localpart":"ben","domain":"example.org","mxid":"@ben:example.org"'
ANN_ID='"id":{"type":"localpart","value":"ann"}'

sh_ register ann example.org pw-ann
sh_ register ben example.org pw-ben
is "$RC" 0 'fixture: ann and ben registered'

# --- the shell -------------------------------------------------------------
sh_ add_threepid ann example.org email Ann@Example.ORG
is "$RC/$OUT/$ERR" "0//" 'shell add_threepid email: exit 0, no output'
is "$(audit_last)" \
    "shell:$ME|shell|add_threepid|{\"user\":\"ann\",\"host\":\"example.org\",\"medium\":\"email\",\"address\":\"Ann@Example.ORG\"}|ok" \
    'shell add_threepid: audited'
is "$(psql_q "select t.medium || ' ' || t.address from threepids t join users u
    on u.id = t.user_id where u.localpart = 'ann'")" 'email ann@example.org' \
    'shell add_threepid: email stored lower-cased'
sh_ add_threepid ann example.org msisdn +14155550100
is "$RC" 0 'shell add_threepid msisdn: exit 0'
n=$(naudit)
s=$(state)
sh_ add_threepid ann example.org email ANN@example.org
is "$RC/$(state)" "0/$s" \
    'shell add_threepid of an address the account has: ok, no change'
is "$(naudit)" $((n + 1)) 'shell add_threepid again: still audited'
sh_ list_threepids ann example.org
is "$RC/$OUT" "0/email	ann@example.org
msisdn	14155550100" 'shell list_threepids: medium TAB address, msisdn as digits'
sh_ set_display_name ann example.org 'Ann Example'
is "$RC" 0 'shell set_display_name: exit 0'
sh_ set_avatar ann example.org mxc://example.org/ann
is "$RC" 0 'shell set_avatar: exit 0'
is "$(psql_q "select display_name || ' ' || avatar_url from users
    where localpart = 'ann'")" 'Ann Example mxc://example.org/ann' \
    'shell set_display_name, set_avatar: stored'
sh_ add_role ann example.org DomainUsers
is "$RC" 0 'shell add_role: exit 0'
sh_ add_role ann example.org 'Domain Admins'
sh_ add_role ann example.org DomainUsers
is "$RC" 0 'shell add_role the account has: ok'
sh_ list_roles ann example.org
is "$RC/$OUT" "0/Domain Admins
DomainUsers" 'shell list_roles: one a line, sorted'
sh_ remove_role ann example.org 'Domain Admins'
is "$RC" 0 'shell remove_role: exit 0'
sh_ list_roles ann example.org
is "$OUT" DomainUsers 'shell remove_role: gone'
is "$(audit_last)" \
    "shell:$ME|shell|remove_role|{\"user\":\"ann\",\"host\":\"example.org\",\"role\":\"Domain Admins\"}|ok" \
    'shell remove_role: audited; list_roles is not'
sh_ list_threepids ben example.org
is "$RC/$OUT" "0/" 'shell list_threepids, none: no output'
sh_ list_roles nobody example.org
is "$RC/$ERR" "1/chatrest-admin: list_roles: unknown_user" \
    'shell list_roles unknown user: exit 1'

# bad input: nothing changes, the failure is audited
s=$(state)
sh_ add_threepid ann example.org fax 12345
is "$RC/$ERR" \
    "1/chatrest-admin: add_threepid: unknown medium (email or msisdn)" \
    'shell add_threepid unknown medium'
is "$(audit_last | cut -d'|' -f3,5)" 'add_threepid|bad_request' \
    'shell add_threepid unknown medium: audited as bad_request'
sh_ add_threepid ann example.org email not-an-email
is "$RC/$ERR" "1/chatrest-admin: add_threepid: invalid email address" \
    'shell add_threepid bad email'
sh_ add_threepid ann example.org email 'a b@example.org'
is "$RC" 1 'shell add_threepid email with a space'
sh_ add_threepid ann example.org msisdn 1415-555
is "$RC/$ERR" \
    "1/chatrest-admin: add_threepid: invalid msisdn: 1 to 15 digits, optionally after +" \
    'shell add_threepid bad msisdn'
sh_ add_threepid ann example.org msisdn 1234567890123456
is "$RC" 1 'shell add_threepid msisdn of 16 digits'
sh_ add_threepid nobody example.org email nobody@example.org
is "$RC/$ERR" "1/chatrest-admin: add_threepid: unknown_user" \
    'shell add_threepid unknown user'
sh_ add_threepid ann nohost email x@example.org
is "$RC/$ERR" "1/chatrest-admin: add_threepid: Unknown virtual host" \
    'shell add_threepid host not served: Unknown virtual host'
sh_ add_threepid ben example.org email ANN@example.org
is "$RC/$ERR" \
    "1/chatrest-admin: add_threepid: email ANN@example.org belongs to another account" \
    'shell add_threepid taken address: exit 1, clear message'
is "$(audit_last | cut -d'|' -f3,5)" 'add_threepid|conflict' \
    'shell add_threepid taken: audited as conflict'
sh_ add_threepid ben example.org msisdn +14155550100
is "$RC" 1 'shell add_threepid taken msisdn (given with +)'
sh_ remove_threepid ben example.org email ann@example.org
is "$RC/$ERR" \
    "1/chatrest-admin: remove_threepid: ben@example.org has no such email" \
    'shell remove_threepid of another account'"'"'s address: not_found'
sh_ remove_role ann example.org Nope
is "$RC/$ERR" "1/chatrest-admin: remove_role: ann@example.org has no such role" \
    'shell remove_role the account lacks: not_found'
sh_ add_role ann example.org ''
is "$RC" 1 'shell add_role empty'
sh_ add_role ann example.org "$(printf 'a\tb')"
is "$RC" 1 'shell add_role with a control character'
sh_ set_avatar ann example.org 'not a url'
like "$ERR" 'an avatar is a URL' 'shell set_avatar not a URL'
sh_ set_avatar ann example.org 'mxc://example.org/a b'
is "$RC" 1 'shell set_avatar URL with a space'
sh_ set_display_name ann example.org "$(printf 'two\nlines')"
is "$RC" 1 'shell set_display_name with a newline'
sh_ set_display_name ann example.org "$(printf '%0257d' 0)"
is "$RC" 1 'shell set_display_name over 256 bytes'
sh_ set_display_name nobody example.org x
is "$RC/$ERR" "1/chatrest-admin: set_display_name: unknown_user" \
    'shell set_display_name unknown user'
sh_ add_threepid ann example.org email
is "$RC" 2 'shell add_threepid too few arguments: usage'
is "$(state)" "$s" 'shell bad input: nothing changed'

# --- mod_restful_admin: POST /api/admin ----------------------------------------
rf add_threepid '["ben","example.org","email","Ben@Example.org"]'
reply_is 200 '"ok"' 'restful add_threepid'
is "$(audit_last)" \
    'key|restful|add_threepid|{"user":"ben","host":"example.org","medium":"email","address":"Ben@Example.org"}|ok' \
    'restful add_threepid: audited as the key'
rf add_threepid '["ben","example.org","msisdn","4915112345678"]'
reply_is 200 '"ok"' 'restful add_threepid msisdn'
rf list_threepids '["ben","example.org"]'
reply_is 200 '[["email","ben@example.org"],["msisdn","4915112345678"]]' \
    'restful list_threepids: positional tuples'
rf set_display_name '["ben","example.org","Ben B."]'
reply_is 200 '"ok"' 'restful set_display_name'
rf set_avatar '["ben","example.org","https://example.org/ben.png"]'
reply_is 200 '"ok"' 'restful set_avatar'
rf add_role '["ben","example.org","Staff"]'
reply_is 200 '"ok"' 'restful add_role'
rf list_roles '["ben","example.org"]'
reply_is 200 '["Staff"]' 'restful list_roles'
rf remove_role '["ben","example.org","Staff"]'
reply_is 200 '"ok"' 'restful remove_role'
rf list_roles '["ben","example.org"]'
reply_is 200 '[]' 'restful list_roles, none'
rf remove_threepid '["ben","example.org","msisdn","+4915112345678"]'
reply_is 200 '"ok"' 'restful remove_threepid, msisdn given with +'
rf list_threepids '["ben","example.org"]'
reply_is 200 '[["email","ben@example.org"]]' 'restful remove_threepid: gone'

s=$(state)
rf add_threepid '["ben","example.org","email","ann@EXAMPLE.org"]'
reply_is 403 '{"error":"conflict"}' 'restful add_threepid taken: conflict'
rf add_threepid '["ben","example.org","fax","1"]'
reply_is 400 '{"error":"bad_request"}' 'restful add_threepid unknown medium'
rf add_threepid '["ben","example.org","email","ben@"]'
reply_is 400 '{"error":"bad_request"}' 'restful add_threepid bad email'
rf add_threepid '["nobody","example.org","email","n@example.org"]'
reply_is 403 '{"error":"unknown_user"}' 'restful add_threepid unknown user'
rf add_threepid '["ben","example.org","email"]'
reply_is 400 '{"error":"bad_request"}' 'restful add_threepid too few args'
rf remove_threepid '["ben","example.org","email","nobody@example.org"]'
reply_is 404 '{"error":"not_found"}' 'restful remove_threepid absent'
rf remove_role '["ben","example.org","Staff"]'
reply_is 404 '{"error":"not_found"}' 'restful remove_role absent'
rf set_avatar '["ben","example.org","javascript"]'
reply_is 400 '{"error":"bad_request"}' 'restful set_avatar not a URL'
rf list_threepids '["nobody","example.org"]'
reply_is 403 '{"error":"unknown_user"}' 'restful list_threepids unknown user'
rf list_roles '["ben","nohost"]'
reply_is 403 '{"error":"unknown_host"}' 'restful list_roles host not served'
is "$(state)" "$s" 'restful bad input: nothing changed'

# --- mod_http_api: /api/admin/<command> --------------------------------------
ha add_threepid '{"user":"ben","host":"example.org","medium":"msisdn","address":"+4915112345678"}'
reply_is 200 0 'http_api add_threepid'
is "$(audit_last)" \
    'key|http_api|add_threepid|{"user":"ben","host":"example.org","medium":"msisdn","address":"+4915112345678"}|ok' \
    'http_api add_threepid: audited'
ha list_threepids '{"user":"ben","host":"example.org"}'
reply_is 200 '[{"medium":"email","address":"ben@example.org"},{"medium":"msisdn","address":"4915112345678"}]' \
    'http_api list_threepids: objects'
cgi -a "Bearer $K" GET "$A/list_threepids?user=ben&host=example.org"
reply_is 200 '[{"medium":"email","address":"ben@example.org"},{"medium":"msisdn","address":"4915112345678"}]' \
    'http_api GET list_threepids'
ha set_display_name '{"user":"ben","host":"example.org","name":"Benjamin"}'
reply_is 200 0 'http_api set_display_name'
ha set_avatar '{"user":"ben","host":"example.org","url":"mxc://example.org/ben"}'
reply_is 200 0 'http_api set_avatar'
ha add_role '{"user":"ben","host":"example.org","role":"Ops"}'
reply_is 200 0 'http_api add_role'
ha add_role '{"user":"ben","host":"example.org","role":"Dev"}'
reply_is 200 0 'http_api add_role, a second'
cgi -a "Bearer $K" GET "$A/list_roles?user=ben&host=example.org"
reply_is 200 '["Dev","Ops"]' 'http_api GET list_roles: sorted'
ha remove_role '{"user":"ben","host":"example.org","role":"Dev"}'
reply_is 200 0 'http_api remove_role'
ha list_roles '{"user":"ben","host":"example.org"}'
reply_is 200 '["Ops"]' 'http_api list_roles'
ha remove_threepid '{"user":"ben","host":"example.org","medium":"email","address":"BEN@example.org"}'
reply_is 200 0 'http_api remove_threepid, any case'
ha list_threepids '{"user":"ben","host":"example.org"}'
reply_is 200 '[{"medium":"msisdn","address":"4915112345678"}]' \
    'http_api remove_threepid: gone'

s=$(state)
n=$(naudit)
ha add_threepid '{"user":"ben","host":"example.org","medium":"email","address":"Ann@example.org"}'
reply_is 409 '"email Ann@example.org belongs to another account"' \
    'http_api add_threepid taken: 409'
ha add_threepid '{"user":"ben","host":"example.org","medium":"fax","address":"1"}'
reply_is 400 '"unknown medium (email or msisdn)"' 'http_api add_threepid unknown medium'
ha add_threepid '{"user":"ben","host":"example.org","medium":"email","address":"@example.org"}'
reply_is 400 '"invalid email address"' 'http_api add_threepid bad email'
ha add_threepid '{"user":"nobody","host":"example.org","medium":"email","address":"n@example.org"}'
reply_is 404 '"unknown_user"' 'http_api add_threepid unknown user'
ha remove_threepid '{"user":"ben","host":"example.org","medium":"email","address":"ann@example.org"}'
reply_is 404 '"ben@example.org has no such email"' 'http_api remove_threepid not its own'
ha remove_role '{"user":"ben","host":"example.org","role":"Dev"}'
reply_is 404 '"ben@example.org has no such role"' 'http_api remove_role absent'
ha set_avatar '{"user":"ben","host":"example.org","url":"x:"}'
reply_is 400 '"an avatar is a URL such as mxc://server/id (at most 1024 bytes), or empty"' \
    'http_api set_avatar: a scheme alone is not a URL'
ha set_display_name '{"user":"ben","host":"example.org"}'
reply_is 400 '"Request have missing argument: name"' 'http_api set_display_name missing arg'
ha list_roles '{"user":"nobody","host":"example.org"}'
reply_is 404 '"unknown_user"' 'http_api list_roles unknown user'
is "$(naudit)" $((n + 7)) 'http_api: the 7 failed state changes audited, not the rest'
cgi -a "Bearer $K" GET "$A/add_threepid?user=ben&host=example.org&medium=email&address=b@example.org"
reply_is 400 '{"status":"error","code":40,"message":"This command changes state: use POST."}' \
    'http_api GET add_threepid refused'
is "$(state)" "$s" 'http_api bad input: nothing changed'

# --- the audit trail ------------------------------------------------------------
is "$(psql_q "select string_agg(distinct via, ',' order by via) from admin_audit
    where command in ('add_threepid', 'remove_threepid', 'set_display_name',
    'set_avatar', 'add_role', 'remove_role') and outcome = 'ok'")" \
    'http_api,restful,shell' 'audit: every set command succeeded in all encodings'
is "$(psql_q "select count(*) from admin_audit
    where command in ('list_threepids', 'list_roles')")" 0 \
    'audit: list_threepids and list_roles are read-only, not recorded'
is "$(psql_q "select count(*) from admin_audit where outcome = 'conflict'")" 4 \
    'audit: the four taken addresses recorded as conflict'

# --- what the identity backend sees --------------------------------------------
for p in $MA/identity/single $MX/identity/single; do
	id_ "$p" '{"lookup":{"medium":"email","address":"ANN@example.org"}}'
	reply_is 200 "{\"lookup\":{\"medium\":\"email\",\"address\":\"ANN@example.org\",$ANN_ID}}" \
	    "identity single: the email add_threepid set: $p"
done
id_ $MA/identity/single '{"lookup":{"medium":"msisdn","address":"14155550100"}}'
reply_is 200 "{\"lookup\":{\"medium\":\"msisdn\",\"address\":\"14155550100\",$ANN_ID}}" \
    'identity single: the msisdn add_threepid set'
id_ $MA/identity/single '{"lookup":{"medium":"email","address":"ben@example.org"}}'
reply_is 200 '{}' 'identity single: the email remove_threepid took away'
id_ $MA/identity/bulk '{"lookup":[{"medium":"msisdn","address":"+4915112345678"},{"medium":"email","address":"ann@example.org"}]}'
reply_is 200 '{"lookup":[{"medium":"msisdn","address":"+4915112345678","id":{"type":"localpart","value":"ben"}},{"medium":"email","address":"ann@example.org","id":{"type":"localpart","value":"ann"}}]}' \
    'identity bulk: both accounts'"'"' 3PIDs'
id_ $MA/profile/displayName "{$ANN}"
reply_is 200 '{"profile":{"display_name":"Ann Example"}}' \
    'identity profile displayName: set_display_name'
id_ $MA/profile/threepids "{$ANN}"
reply_is 200 '{"profile":{"threepids":[{"medium":"email","address":"ann@example.org"},{"medium":"msisdn","address":"14155550100"}]}}' \
    'identity profile threepids: add_threepid'
id_ $MA/profile/roles "{$ANN}"
reply_is 200 '{"profile":{"roles":["DomainUsers"]}}' \
    'identity profile roles: add_role and remove_role'
id_ $MX/profile/roles "{$BEN}"
reply_is 200 '{"profile":{"roles":["Ops"]}}' 'identity profile roles: ben'
id_ $MA/directory/user/search '{"by":"name","search_term":"benjamin"}'
reply_is 200 '{"limited":false,"results":[{"avatar_url":"mxc://example.org/ben","display_name":"Benjamin","user_id":"ben"}]}' \
    'identity directory: set_display_name and set_avatar'
id_ $MA/auth/login '{"auth":{"mxid":"@ann:example.org","localpart":"ann","domain":"example.org","password":"pw-ann"}}'
reply_is 200 "{\"auth\":{\"success\":true,$ANN_ID,\"profile\":{\"display_name\":\"Ann Example\",\"three_pids\":[{\"medium\":\"email\",\"address\":\"ann@example.org\"},{\"medium\":\"msisdn\",\"address\":\"14155550100\"}]}}}" \
    'identity auth/login: the profile the admin commands set'

# clearing
sh_ set_display_name ann example.org ''
sh_ set_avatar ben example.org ''
is "$(psql_q "select count(*) from users where display_name is null and
    localpart = 'ann' or avatar_url is null and localpart = 'ben'")" 2 \
    'set_display_name and set_avatar with an empty value clear the field'
id_ $MA/profile/displayName "{$ANN}"
reply_is 200 '{"profile":{}}' 'identity profile displayName: cleared'
sh_ remove_threepid ann example.org msisdn 14155550100
id_ $MA/identity/single '{"lookup":{"medium":"msisdn","address":"14155550100"}}'
reply_is 200 '{}' 'identity single: the msisdn removed'
sh_ unregister ann example.org
id_ $MA/identity/single '{"lookup":{"medium":"email","address":"ann@example.org"}}'
reply_is 200 '{}' 'identity single: unregister takes the 3PIDs with it'
sh_ add_threepid ben example.org email ann@example.org
is "$RC" 0 'an address freed by unregister can be added to another account'

sh_ help
for c in add_role add_threepid list_roles list_threepids remove_role \
    remove_threepid set_avatar set_display_name; do
	like "$OUT" "^  $c " "shell help lists $c"
done
sh_ help add_threepid
is "$(printf '%s\n' "$OUT" | head -n 1)" \
    'usage: chatrest-admin add_threepid user host medium address' \
    'shell help add_threepid: user, host first'

done_testing
