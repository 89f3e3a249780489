#!/bin/sh
# chatrest-admin's ejabberd commands beyond the first thirty: accounts,
# sessions (on presence), server, rooms, rosters and shared roster groups,
# vCards and archive retention.  Each: its answer in mod_http_api (and
# the other encodings where they differ), its errors, and the state in
# the database -- and what the client API sees of it.
. "$top_srcdir/tests/lib.sh"

ADM=$top_builddir/cgi-bin/chatrest-admin
CLIENT_BIN=$top_builddir/cgi-bin/chatrest-client
A=/api/admin
K=$ADMIN_KEY
MUC=muclight.localhost
U='"user":"alice","host":"localhost"'
NOHOST='"user":"alice","host":"nohost"'
NOUSER='"user":"nobody","host":"localhost"'

sh_() {
	RC=0
	"$ADM" "$@" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err" || RC=$?
	OUT=$(cat "$TEST_TMP/sh.out")
	ERR=$(cat "$TEST_TMP/sh.err")
}
rf() {
	CGI_BIN=$ADM CGI_MOUNT=$A
	cgi POST $A "{\"key\":\"$K\",\"command\":\"$1\",\"args\":$2}"
}
ha() {
	CGI_BIN=$ADM CGI_MOUNT=$A
	cgi -a "Bearer $K" POST "$A/$1" "$2"
}
as() {
	_who=$1
	shift
	CGI_BIN=$CLIENT_BIN CGI_MOUNT=/api
	cgi -a "Basic $(printf '%s@localhost:pw-%s' "$_who" "$_who" |
	    base64 | tr -d '\n')" "$@"
}
q() {
	psql_q "$1"
}
naudit() {
	q "select count(*) from admin_audit"
}

for u in alice bob carol dave; do
	sh_ register $u localhost pw-$u
	[ "$RC" = 0 ] || bail_out "cannot register $u"
done
sh_ register erin example.org pw-erin

# --- accounts ---------------------------------------------------------------
ha get_last "{$U}"
like "$BODY" '^{"timestamp":"20[0-9-]*T[0-9:]*Z","status":"Registered but didn'"'"'t login"}$' \
    'get_last, never seen: the registration time, as ejabberd words it'
as alice GET /api/contacts
ha get_last "{$U}"
like "$BODY" '^{"timestamp":"[0-9T:-]*Z","status":"ONLINE"}$' 'get_last, present: ONLINE'
ha set_last "{$U,\"timestamp\":1700000000,\"status\":\"gone fishing\"}"
reply_is 200 0 'set_last: 0'
is "$(q "select extract(epoch from last_activity)::bigint || ' ' || last_status
    from users where localpart = 'alice'")" '1700000000 gone fishing' 'set_last: stored'
ha set_last "{$U,\"timestamp\":\"1\",\"status\":\"x\"}"
reply_is 400 '"Arg timestamp is not in format integer"' 'set_last: a string timestamp'
ha set_last "{$U,\"timestamp\":-1,\"status\":\"x\"}"
reply_is 400 '"timestamp must be seconds since 1970, before 10000"' 'set_last: negative'
ha get_last "{$NOUSER}"
reply_is 404 '"unknown_user"' 'get_last unknown user'
ha get_last "{$NOHOST}"
reply_is 400 '"Unknown virtual host"' 'get_last host not served'
rf get_last '["alice","localhost"]'
like "$BODY" '^\["[0-9T:-]*Z","ONLINE"\]$' 'restful get_last: a positional tuple'

ha get_ban_details "{$U}"
reply_is 200 '[]' 'get_ban_details, not banned: nothing'
sh_ ban_account bob localhost 'spam'
ha get_ban_details '{"user":"bob","host":"localhost"}'
like "$BODY" '^\[{"name":"reason","value":"spam"},{"name":"bandate","value":"[0-9T:-]*Z"}\]$' \
    'get_ban_details: reason and date'
sh_ unban_account bob localhost
ha get_ban_details "{$NOUSER}"
reply_is 404 '"unknown_user"' 'get_ban_details unknown user'

h=$(q "select password_hash from users where localpart = 'bob'")
ha check_password_hash "{\"user\":\"bob\",\"host\":\"localhost\",\"passwordhash\":\"$h\",\"hashmethod\":\"scrypt\"}"
reply_is 200 0 'check_password_hash: the stored scrypt string'
ha check_password_hash "{\"user\":\"bob\",\"host\":\"localhost\",\"passwordhash\":\"x$h\",\"hashmethod\":\"scrypt\"}"
reply_is 200 1 'check_password_hash: another string'
ha check_password_hash "{$NOUSER,\"passwordhash\":\"$h\",\"hashmethod\":\"scrypt\"}"
reply_is 200 1 'check_password_hash: unknown user'
ha check_password_hash "{$U,\"passwordhash\":\"5f4dcc3b5aa765d61d8327deb882cf99\",\"hashmethod\":\"md5\"}"
reply_is 400 '"passwords are kept as scrypt: hashmethod must be scrypt"' \
    'check_password_hash md5: refused, passwords are scrypt'

ha num_active_users '{"host":"localhost","days":1}'
reply_is 200 '{"users":1}' 'num_active_users: alice, seen'
ha num_active_users '{"host":"localhost","days":0}'
reply_is 400 '"days must be between 1 and 36500"' 'num_active_users: 0 days'
ha num_active_users '{"host":"nohost","days":1}'
reply_is 400 '"Unknown virtual host"' 'num_active_users: host not served'

# delete_old_users: never seen for days counts from the registration
q "update users set created_at = now() - interval '40 days' where localpart in ('dave', 'erin')" >/dev/null
n=$(naudit)
ha delete_old_users_vhost '{"host":"localhost","days":30}'
reply_is 200 '"Deleted 1 users: [dave@localhost]"' 'delete_old_users_vhost: the inactive one'
rf delete_old_users '[30]'
reply_is 200 '{"ok":"Deleted 1 users: [erin@example.org]"}' 'restful delete_old_users: every host'
is "$(q "select string_agg(localpart, ' ' order by localpart) from users")" \
    'alice bob carol' 'delete_old_users: the others remain'
ha delete_old_users '{"days":0}'
reply_is 400 '"days must be between 1 and 36500"' 'delete_old_users: 0 days refused'
is "$(naudit)" $((n + 3)) 'delete_old_users: audited'
sh_ register dave localhost pw-dave

# --- sessions ------------------------------------------------------------------
ha connected_users_info '{}'
like "$BODY" '^\[{"jid":"alice@localhost/chatrest","connection":"http","ip":"","port":0,"priority":0,"node":"chatrest","uptime":[0-9]*,"status":"available","resource":"chatrest","statustext":"gone fishing"}\]$' \
    'connected_users_info: alice, by presence'
ha set_presence "{$U,\"resource\":\"phone\",\"type\":\"available\",\"show\":\"away\",\"status\":\"busy\",\"priority\":\"5\"}"
reply_is 200 0 'set_presence available'
ha set_presence '{"user":"bob","host":"localhost","resource":"desk","type":"available","show":"","status":"","priority":"0"}'
reply_is 200 0 'set_presence: bob becomes present'
ha get_presence "{$U}"
reply_is 200 '{"jid":"alice@localhost/phone","show":"away","status":"busy"}' 'get_presence'
ha get_presence '{"user":"carol","server":"localhost"}'
reply_is 200 '{"jid":"carol@localhost","show":"unavailable","status":""}' \
    'get_presence absent (older name server)'
ha user_resources "{$U}"
reply_is 200 '["phone"]' 'user_resources'
ha num_resources "{$U}"
reply_is 200 '{"resources":1}' 'num_resources'
ha resource_num "{$U,\"num\":1}"
reply_is 200 '{"resource":"phone"}' 'resource_num 1'
ha resource_num/v1 "{$U,\"num\":1}"
reply_is 200 '"phone"' 'resource_num /v1: the string bare'
ha resource_num "{$U,\"num\":2}"
reply_is 400 '"Wrong resource number: 2"' 'resource_num out of range'
ha connected_users_vhost '{"host":"localhost"}'
reply_is 200 '["alice@localhost/phone","bob@localhost/desk"]' 'connected_users_vhost'
ha connected_users_vhost '{"host":"example.org"}'
reply_is 200 '[]' 'connected_users_vhost: nobody there'
ha user_sessions_info "{$U}"
like "$BODY" '^\[{"connection":"http","ip":"","port":0,"priority":5,"node":"chatrest","uptime":[0-9]*,"status":"away","resource":"phone","statustext":"busy"}\]$' \
    'user_sessions_info'
sh_ connected_users_vhost localhost
is "$RC/$OUT" '0/alice@localhost/phone
bob@localhost/desk' 'shell connected_users_vhost'
for bad in '"show":"sleepy","priority":"0"' '"show":"","priority":"x"' '"show":"","priority":"200"'; do
	ha set_presence "{$U,\"resource\":\"phone\",\"type\":\"available\",\"status\":\"\",$bad}"
	is "$STATUS" 400 "set_presence refused: $bad"
done
ha set_presence "{$U,\"resource\":\"a/b\",\"type\":\"available\",\"show\":\"\",\"status\":\"\",\"priority\":\"0\"}"
reply_is 400 '"a resource is 1 to 1023 bytes of printable text"' 'set_presence: a resource with /'
ha set_presence "{$U,\"resource\":\"x\",\"type\":\"probe\",\"show\":\"\",\"status\":\"\",\"priority\":\"0\"}"
reply_is 400 '"type is available or unavailable"' 'set_presence: unknown type'
ha get_presence "{$U}"
reply_is 200 '{"jid":"alice@localhost/phone","show":"away","status":"busy"}' 'refused set_presence changed nothing'

ha kick_session "{$U,\"resource\":\"laptop\",\"reason\":\"bye\"}"
reply_is 200 0 'kick_session of another resource: 0'
ha num_resources "{$U}"
reply_is 200 '{"resources":1}' 'kick_session of another resource: still there'
ha kick_session "{$U,\"resource\":\"phone\",\"reason\":\"maintenance\"}"
reply_is 200 0 'kick_session'
ha num_resources "{$U}"
reply_is 200 '{"resources":0}' 'kick_session: the session ended'
ha kick_user '{"user":"bob","host":"localhost"}'
reply_is 200 '{"num_resources":1}' 'kick_user: one session'
ha kick_user '{"user":"bob","host":"localhost"}'
reply_is 200 '{"num_resources":0}' 'kick_user again: none'
ha kick_user "{$NOUSER}"
reply_is 200 '{"num_resources":0}' 'kick_user unknown account: none'
ha kick_user "{$NOHOST}"
reply_is 400 '"Unknown virtual host"' 'kick_user host not served'
is "$(q "select u.localpart || ' ' || n.kind || ' ' || n.message from server_notices n
    join users u on u.id = n.user_id order by n.id")" 'alice kick maintenance
bob kick Kicked by administrator' 'kicks recorded as notices for the live-event streams'
is "$(q "select count(*) from users where last_seen is not null")" 0 \
    'kicked: no presence left'
ha set_presence "{$U,\"resource\":\"phone\",\"type\":\"available\",\"show\":\"\",\"status\":\"\",\"priority\":\"0\"}"
ha set_presence "{$U,\"resource\":\"phone\",\"type\":\"unavailable\",\"show\":\"\",\"status\":\"off\",\"priority\":\"0\"}"
reply_is 200 0 'set_presence unavailable'
ha get_last "{$U}"
like "$BODY" '^{"timestamp":"[0-9T:-]*Z","status":"off"}$' 'get_last after unavailable: its status'
is "$(q "select count(*) from server_notices")" 2 'unavailable is no kick'

# --- server -------------------------------------------------------------------
ha status '{}'
like "$BODY" '^"The node chatrest@[^ ]* is started. Status: startedchatrest [0-9.]* is running in that node"$' \
    'status: the restuple text'
rf status '[]'
like "$BODY" '^{"ok":"The node chatrest@' 'restful status'
ha stats '{"name":"registeredusers"}'
reply_is 200 '{"stat":4}' 'stats registeredusers'
ha stats_host '{"name":"registeredusers","host":"example.org"}'
reply_is 200 '{"stat":0}' 'stats_host registeredusers'
ha set_presence '{"user":"carol","host":"localhost","resource":"r","type":"available","show":"","status":"","priority":"0"}'
ha stats '{"name":"onlineusers"}'
reply_is 200 '{"stat":1}' 'stats onlineusers'
ha stats '{"name":"onlineusersnode"}'
reply_is 200 '{"stat":1}' 'stats onlineusersnode'
ha stats_host '{"name":"onlineusers","host":"localhost"}'
reply_is 200 '{"stat":1}' 'stats_host onlineusers'
ha stats '{"name":"uptimeseconds"}'
up=$(printf '%s' "$BODY" | sed -n 's/^{"stat":\([0-9]*\)}$/\1/p')
is "$(q "select abs(extract(epoch from now() - pg_postmaster_start_time())::bigint
    - ${up:-0}) <= 2")" t 'stats uptimeseconds: the database server'"'"'s'
ha stats '{"name":"processes"}'
reply_is 200 '{"stat":1}' 'stats processes: chatrest processes on the store (this one)'
ha stats '{"name":"bogus"}'
reply_is 400 '"Unknown statistic: bogus"' 'stats unknown name'
ha stats_host '{"name":"uptimeseconds","host":"localhost"}'
reply_is 400 '"Unknown statistic: uptimeseconds"' 'stats_host: per-host names only'
ha get_loglevel '{}'
reply_is 200 '{"levelatom":"info"}' 'get_loglevel'
ha set_loglevel '{"loglevel":"info"}'
reply_is 200 0 'set_loglevel: the configured level'
ha set_loglevel '{"loglevel":"debug"}'
reply_is 400 '"the log level is [log] level in chatrest.conf: change it there, then reload_config"' \
    'set_loglevel: another level is the file'"'"'s to set'
ha set_loglevel '{"loglevel":"loud"}'
reply_is 400 '"Invalid log level"' 'set_loglevel: no such level'
ha incoming_s2s_number '{}'
reply_is 200 '{"s2s_incoming":0}' 'incoming_s2s_number'
ha outgoing_s2s_number/v1 '{}'
reply_is 200 '0' 'outgoing_s2s_number /v1'
ha reload_config '{}'
reply_is 200 0 'reload_config'
is "$(q "select kind || ' ' || message from server_notices where user_id is null")" \
    'shutdown reload_config' 'reload_config: the restart broadcast'

# --- rooms ----------------------------------------------------------------------
n=$(naudit)
ha create_room_with_opts "{\"name\":\"hall\",\"service\":\"$MUC\",\"host\":\"localhost\",\"options\":{\"title\":\"The Hall\",\"subject\":\"hello\",\"persistent\":\"true\"}}"
reply_is 200 0 'create_room_with_opts: options as an object'
ha create_room_with_opts "{\"name\":\"den\",\"service\":\"$MUC\",\"host\":\"localhost\",\"options\":[{\"name\":\"title\",\"value\":\"Den\"}]}"
reply_is 200 0 'create_room_with_opts: options as name/value objects'
sh_ create_room_with_opts attic $MUC localhost 'title:Attic,members_only:true'
is "$RC" 0 'shell create_room_with_opts: name:value pairs'
is "$(q "select string_agg(rid || '=' || name || '/' || subject, ' ' order by id) from rooms")" \
    'hall=The Hall/hello den=Den/ attic=Attic/' 'three rooms with their options'
d=$(q "select count(*) from rooms")
ha create_room_with_opts "{\"name\":\"pub\",\"service\":\"$MUC\",\"host\":\"localhost\",\"options\":{\"public\":\"true\"}}"
reply_is 400 '"public is always false here"' 'create_room_with_opts: a fixed option'
ha create_room_with_opts "{\"name\":\"pub\",\"service\":\"$MUC\",\"host\":\"localhost\",\"options\":{\"colour\":\"red\"}}"
reply_is 400 '"Unknown option: colour"' 'create_room_with_opts: unknown option'
ha create_room_with_opts "{\"name\":\"pub\",\"service\":\"$MUC\",\"host\":\"localhost\",\"options\":{\"title\":5}}"
reply_is 400 '"Arg options is not in format list"' 'create_room_with_opts: a number'
ha create_room_with_opts "{\"name\":\"hall\",\"service\":\"$MUC\",\"host\":\"localhost\",\"options\":{}}"
reply_is 400 '"Room already exists"' 'create_room_with_opts: exists'
is "$(q "select count(*) from rooms")" "$d" 'refused: no room created'

ha get_room_options "{\"name\":\"hall\",\"service\":\"$MUC\"}"
like "$BODY" '^\[{"name":"title","value":"The Hall"},{"name":"subject","value":"hello"},{"name":"allow_change_subj","value":"true"},' \
    'get_room_options: title and subject, then the fixed ones'
ha change_room_option "{\"name\":\"hall\",\"service\":\"$MUC\",\"option\":\"subject\",\"value\":\"news\"}"
reply_is 200 0 'change_room_option subject'
ha change_room_option "{\"name\":\"nope\",\"service\":\"$MUC\",\"option\":\"subject\",\"value\":\"x\"}"
reply_is 400 '"Room not found"' 'change_room_option unknown room'
ha change_room_option "{\"name\":\"hall\",\"service\":\"$MUC\",\"option\":\"title\",\"value\":\"a\\u0001b\"}"
reply_is 400 '"title is at most 1024 bytes of printable text"' 'change_room_option: a control character'
is "$(q "select name || '/' || subject from rooms where rid = 'hall'")" 'The Hall/news' \
    'change_room_option: stored'

# the owner an admin-created room lacked
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"alice@localhost\",\"affiliation\":\"owner\"}"
reply_is 200 0 'set_room_affiliation owner'
as alice POST /api/rooms/hall/messages '{"body":"first"}'
is "$STATUS" 200 'client: the new owner can post in the admin-created room'
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"bob@localhost/desk\",\"affiliation\":\"member\"}"
reply_is 200 0 'set_room_affiliation member (a full JID)'
ha send_direct_invitation "{\"name\":\"hall\",\"service\":\"$MUC\",\"password\":\"none\",\"reason\":\"join us\",\"users\":\"carol@localhost:bob@localhost\"}"
reply_is 200 0 'send_direct_invitation: carol joins, bob already in'
ha get_room_affiliations "{\"name\":\"hall\",\"service\":\"$MUC\"}"
reply_is 200 '[{"username":"alice","domain":"localhost","affiliation":"owner","reason":""},{"username":"bob","domain":"localhost","affiliation":"member","reason":""},{"username":"carol","domain":"localhost","affiliation":"member","reason":""}]' \
    'get_room_affiliations'
as bob GET /api/rooms/hall
reply_is 200 '{"name":"The Hall","subject":"news","participants":[{"user":"alice@localhost","role":"owner"},{"user":"bob@localhost","role":"member"},{"user":"carol@localhost","role":"member"}]}' \
    'client: the room as the affiliations say'
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"bob@localhost\",\"affiliation\":\"owner\"}"
reply_is 200 0 'set_room_affiliation: a second owner'
ha get_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"alice@localhost\"}"
reply_is 200 '{"affiliation":"member"}' 'one owner: the previous one is a member now'
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"bob@localhost\",\"affiliation\":\"none\"}"
reply_is 200 0 'set_room_affiliation none: the owner leaves'
ha get_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"alice@localhost\"}"
reply_is 200 '{"affiliation":"owner"}' 'the longest-standing member is promoted'
ha change_room_option "{\"name\":\"hall\",\"service\":\"$MUC\",\"option\":\"title\",\"value\":\"Great Hall\"}"
reply_is 200 0 'change_room_option of a room with members'
ha get_room_options "{\"name\":\"hall\",\"service\":\"$MUC\"}"
like "$BODY" '^\[{"name":"title","value":"Great Hall"},{"name":"subject","value":"news"},' \
    'get_room_options of a room with members'
ha get_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"zed@elsewhere.net\"}"
reply_is 200 '{"affiliation":"none"}' 'get_room_affiliation: a stranger'
is "$(q "select string_agg(user_local || ':' || affiliation, ' ' order by seq) from room_archive
    where kind = 'affiliation'")" \
    'alice:owner bob:member carol:member alice:member bob:owner bob:none alice:owner' \
    'every change in the room archive'
d=$(q "select count(*) from room_members")
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"bob@localhost\",\"affiliation\":\"admin\"}"
reply_is 400 '"Unsupported affiliation: MUC Light rooms have owner, member and none"' \
    'set_room_affiliation admin: MUC Light has none'
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"bob@localhost\",\"affiliation\":\"king\"}"
reply_is 400 '"Invalid affiliation"' 'set_room_affiliation: not an affiliation'
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"$MUC\",\"jid\":\"nobody@localhost\",\"affiliation\":\"member\"}"
reply_is 404 '"unknown_user"' 'set_room_affiliation: unknown user'
ha set_room_affiliation "{\"name\":\"nope\",\"service\":\"$MUC\",\"jid\":\"bob@localhost\",\"affiliation\":\"member\"}"
reply_is 400 "\"Room doesn't exists\"" 'set_room_affiliation: unknown room'
ha set_room_affiliation "{\"name\":\"hall\",\"service\":\"conference.localhost\",\"jid\":\"bob@localhost\",\"affiliation\":\"member\"}"
reply_is 400 "\"Invalid 'service'\"" 'set_room_affiliation: not a MUC service'
ha send_direct_invitation "{\"name\":\"hall\",\"service\":\"$MUC\",\"password\":\"\",\"reason\":\"\",\"users\":\"dave@localhost:nobody@localhost\"}"
reply_is 404 '"unknown_user"' 'send_direct_invitation: an unknown user spoils all'
is "$(q "select count(*) from room_members")" "$d" 'refused: no member changed'

ha get_room_occupants_number "{\"name\":\"hall\",\"service\":\"$MUC\"}"
reply_is 200 '{"occupants":2}' 'get_room_occupants_number'
ha get_room_occupants_number "{\"name\":\"nope\",\"service\":\"$MUC\"}"
reply_is 400 '"room_not_found"' 'get_room_occupants_number: unknown room'
ha get_user_rooms "{$U}"
reply_is 200 '["hall@muclight.localhost"]' 'get_user_rooms'
ha get_user_rooms "{$NOUSER}"
reply_is 404 '"unknown_user"' 'get_user_rooms unknown user'
ha muc_online_rooms '{"service":"global"}'
reply_is 200 '["attic@muclight.localhost","den@muclight.localhost","hall@muclight.localhost"]' \
    'muc_online_rooms global'
ha muc_online_rooms '{"host":"muclight.example.org"}'
reply_is 200 '[]' 'muc_online_rooms: another service (older name host)'
ha muc_online_rooms '{"service":"localhost"}'
reply_is 400 "\"Invalid 'service'\"" 'muc_online_rooms: not a MUC service'
ha muc_online_rooms_by_regex "{\"service\":\"$MUC\",\"regex\":\"^(hall|den)@\"}"
reply_is 200 '[{"jid":"den@muclight.localhost","public":"false","participants":0},{"jid":"hall@muclight.localhost","public":"false","participants":2}]' \
    'muc_online_rooms_by_regex'
ha muc_online_rooms_by_regex "{\"service\":\"$MUC\",\"regex\":\"(\"}"
reply_is 400 '"Invalid regex"' 'muc_online_rooms_by_regex: a bad regex'
ha rooms_empty_list "{\"service\":\"$MUC\"}"
reply_is 200 '["attic@muclight.localhost","den@muclight.localhost"]' 'rooms_empty_list'
ha rooms_unused_list "{\"service\":\"$MUC\",\"days\":1}"
reply_is 200 '[]' 'rooms_unused_list: all new'
q "update rooms set created_at = now() - interval '10 days' where rid = 'attic'" >/dev/null
ha rooms_unused_list "{\"service\":\"$MUC\",\"days\":5}"
reply_is 200 '["attic@muclight.localhost"]' 'rooms_unused_list: unused for days'
ha rooms_unused_destroy "{\"service\":\"$MUC\",\"days\":5}"
reply_is 200 '["attic@muclight.localhost"]' 'rooms_unused_destroy'
ha rooms_empty_destroy "{\"service\":\"$MUC\"}"
reply_is 200 '["den@muclight.localhost"]' 'rooms_empty_destroy'
is "$(q "select string_agg(rid, ' ') from rooms")" 'hall' 'the used room remains'
cgi -a "Bearer $K" GET "$A/rooms_empty_destroy?service=$MUC"
is "$STATUS" 400 'rooms_empty_destroy over GET: refused'

# --- rosters and shared roster groups -------------------------------------------
ha add_rosteritem '{"localuser":"alice","localhost":"localhost","user":"bob","host":"localhost","nick":"Bobby","group":"Friends","subs":"both"}'
reply_is 200 0 'add_rosteritem'
ha add_rosteritem '{"localuser":"alice","localserver":"localhost","user":"zed","server":"elsewhere.net","nick":"","group":"","subs":"to"}'
reply_is 200 0 'add_rosteritem: a remote contact, older names'
ha get_roster "{$U}"
reply_is 200 '[{"jid":"bob@localhost","nick":"Bobby","subscription":"both","ask":"undefined","group":"Friends"},{"jid":"zed@elsewhere.net","nick":"","subscription":"to","ask":"undefined","group":""}]' \
    'get_roster: nick and group'
as alice GET /api/contacts
reply_is 200 '[{"jid":"bob@localhost","subscription":"both","ask":"none"},{"jid":"zed@elsewhere.net","subscription":"to","ask":"none"}]' \
    'client: the contacts added'
d=$(q "select count(*) from roster")
ha add_rosteritem '{"localuser":"alice","localhost":"localhost","user":"bob","host":"localhost","nick":"","group":"","subs":"maybe"}'
reply_is 400 '"subs is none, from, to or both"' 'add_rosteritem: bad subs'
ha add_rosteritem '{"localuser":"alice","localhost":"localhost","user":"alice","host":"localhost","nick":"","group":"","subs":"both"}'
reply_is 400 '"an account is not its own contact"' 'add_rosteritem: itself'
ha add_rosteritem '{"localuser":"nobody","localhost":"localhost","user":"bob","host":"localhost","nick":"","group":"","subs":"both"}'
reply_is 404 '"unknown_user"' 'add_rosteritem: unknown account'
ha add_rosteritem '{"localuser":"alice","localhost":"localhost","user":"b b","host":"localhost","nick":"","group":"","subs":"both"}'
reply_is 400 "\"Invalid 'user'/'host'\"" 'add_rosteritem: malformed contact'
is "$(q "select count(*) from roster")" "$d" 'refused: roster unchanged'
ha delete_rosteritem '{"localuser":"alice","localhost":"localhost","user":"zed","host":"elsewhere.net"}'
reply_is 200 0 'delete_rosteritem'
ha delete_rosteritem '{"localuser":"alice","localhost":"localhost","user":"zed","host":"elsewhere.net"}'
reply_is 200 0 'delete_rosteritem again: 0, as ejabberd'
is "$(q "select count(*) from roster")" $((d - 1)) 'delete_rosteritem: one item fewer'

ha srg_create '{"group":"team","host":"localhost","label":"Team","description":"The team","display":"team"}'
reply_is 200 0 'srg_create'
ha srg_create '{"group":"ops","host":"localhost","name":"Ops","description":"","display":"team\\nops"}'
reply_is 200 0 'srg_create: older name, displays two groups'
ha srg_user_add '{"user":"carol","host":"localhost","group":"team","grouphost":"localhost"}'
reply_is 200 0 'srg_user_add'
ha srg_user_add '{"user":"dave","host":"localhost","group":"team","grouphost":"localhost"}'
ha srg_user_add '{"user":"bob","host":"localhost","group":"ops","grouphost":"localhost"}'
ha srg_user_add '{"user":"bob","host":"localhost","group":"nope","grouphost":"localhost"}'
reply_is 404 '"group_not_found"' 'srg_user_add: no such group'
ha srg_user_add '{"user":"nobody","host":"localhost","group":"team","grouphost":"localhost"}'
reply_is 404 '"unknown_user"' 'srg_user_add: unknown account'
ha srg_list '{"host":"localhost"}'
reply_is 200 '["ops","team"]' 'srg_list'
ha srg_get_info '{"group":"ops","host":"localhost"}'
reply_is 200 '[{"key":"label","value":"Ops"},{"key":"displayed_groups","value":"team\nops"},{"key":"description","value":""}]' \
    'srg_get_info'
ha srg_get_info '{"group":"nope","host":"localhost"}'
reply_is 404 '"group_not_found"' 'srg_get_info: no such group'
ha srg_get_members '{"group":"team","host":"localhost"}'
reply_is 200 '["carol@localhost","dave@localhost"]' 'srg_get_members'
ha get_roster '{"user":"carol","host":"localhost"}'
reply_is 200 '[{"jid":"dave@localhost","nick":"","subscription":"both","ask":"undefined","group":"Team"}]' \
    'get_roster: the group members'
ha get_roster '{"user":"bob","host":"localhost"}'
reply_is 200 '[{"jid":"carol@localhost","nick":"","subscription":"both","ask":"undefined","group":"Team"},{"jid":"dave@localhost","nick":"","subscription":"both","ask":"undefined","group":"Team"}]' \
    'get_roster: ops displays team'
as carol GET /api/contacts
reply_is 200 '[{"jid":"dave@localhost","subscription":"both","ask":"none"}]' \
    'client: carol sees her group in her contacts'
ha srg_user_del '{"user":"dave","host":"localhost","group":"team","grouphost":"localhost"}'
reply_is 200 0 'srg_user_del'
as carol GET /api/contacts
reply_is 200 '[]' 'client: gone with the membership'
ha srg_user_add '{"user":"@all@","host":"localhost","group":"team","grouphost":"localhost"}'
reply_is 200 0 'srg_user_add @all@'
ha get_roster '{"user":"dave","host":"localhost"}'
reply_is 200 '[{"jid":"alice@localhost","nick":"","subscription":"both","ask":"undefined","group":"Team"},{"jid":"bob@localhost","nick":"","subscription":"both","ask":"undefined","group":"Team"},{"jid":"carol@localhost","nick":"","subscription":"both","ask":"undefined","group":"Team"}]' \
    'get_roster: @all@ is every account of the host'
ha srg_delete '{"group":"team","host":"localhost"}'
reply_is 200 0 'srg_delete'
ha srg_delete '{"group":"team","host":"localhost"}'
reply_is 404 '"group_not_found"' 'srg_delete again'
ha srg_create '{"group":"a b","host":"localhost","label":"","description":"","display":""}'
reply_is 400 '"a group is 1 to 255 bytes of printable text without spaces"' 'srg_create: a space'
ha srg_list '{"host":"nohost"}'
reply_is 400 '"Unknown virtual host"' 'srg_list: host not served'
is "$(q "select count(*) || ' ' || (select count(*) from srg_members) from srg")" '1 1' \
    'one group and its member left'

ha push_alltoall '{"host":"localhost","group":"All"}'
reply_is 200 0 'push_alltoall'
ha get_roster '{"user":"dave","host":"localhost"}'
reply_is 200 '[{"jid":"alice@localhost","nick":"","subscription":"both","ask":"undefined","group":"All"},{"jid":"bob@localhost","nick":"","subscription":"both","ask":"undefined","group":"All"},{"jid":"carol@localhost","nick":"","subscription":"both","ask":"undefined","group":"All"}]' \
    'push_alltoall: everyone else, both'

# --- vCard ------------------------------------------------------------------------
ha get_vcard '{"user":"carol","host":"localhost","name":"FN"}'
reply_is 400 '"error_no_vcard_found"' 'get_vcard: no vCard yet'
ha set_vcard '{"user":"carol","host":"localhost","name":"FN","content":"Carol C"}'
reply_is 200 0 'set_vcard FN'
ha get_vcard '{"user":"carol","host":"localhost","name":"NICKNAME"}'
reply_is 200 '{"content":"Carol C"}' 'NICKNAME: the same display name'
is "$(q "select display_name from users where localpart = 'carol'")" 'Carol C' \
    'FN is the profile'"'"'s display name'
sh_ set_display_name carol localhost 'Caroline'
ha get_vcard '{"user":"carol","host":"localhost","name":"FN"}'
reply_is 200 '{"content":"Caroline"}' 'get_vcard FN follows set_display_name'
ha get_vcard '{"user":"carol","host":"localhost","name":"ORG"}'
reply_is 400 '"error_no_value_found_in_vcard"' 'get_vcard: a field not set'
ha set_vcard2 '{"user":"carol","host":"localhost","name":"PHOTO","subname":"EXTVAL","content":"mxc://localhost/abc"}'
reply_is 200 0 'set_vcard2 PHOTO EXTVAL'
is "$(q "select avatar_url from users where localpart = 'carol'")" 'mxc://localhost/abc' \
    'PHOTO is the avatar'
ha set_vcard2 '{"user":"carol","host":"localhost","name":"PHOTO","subname":"EXTVAL","content":"not a url"}'
reply_is 400 '"PHOTO is the avatar: a URL such as mxc://server/id"' 'PHOTO: not a URL'
ha set_vcard2 '{"user":"carol","host":"localhost","name":"N","subname":"FAMILY","content":"Smith"}'
ha get_vcard2 '{"user":"carol","host":"localhost","name":"N","subname":"FAMILY"}'
reply_is 200 '{"content":"Smith"}' 'get_vcard2'
ha set_vcard2_multi '{"user":"carol","host":"localhost","name":"TEL","subname":"NUMBER","contents":["123","456"]}'
reply_is 200 0 'set_vcard2_multi'
ha get_vcard2_multi '{"user":"carol","host":"localhost","name":"TEL","subname":"NUMBER"}'
reply_is 200 '["123","456"]' 'get_vcard2_multi: every value, in order'
sh_ set_vcard2_multi carol localhost TEL NUMBER '789'
is "$RC/$OUT" 0/ 'shell set_vcard2_multi: exit 0'
ha get_vcard2_multi '{"user":"carol","host":"localhost","name":"TEL","subname":"NUMBER"}'
reply_is 200 '["789"]' 'shell set_vcard2_multi replaces the values'
ha set_vcard2_multi '{"user":"carol","host":"localhost","name":"TEL","subname":"NUMBER","contents":[1]}'
reply_is 400 '"Arg contents is not in format list"' 'set_vcard2_multi: a number'
ha set_vcard '{"user":"carol","host":"localhost","name":"fn","content":"x"}'
reply_is 400 '"vCard names are upper-case letters, digits and -"' 'set_vcard: a lower-case name'
ha set_vcard "{$NOUSER,\"name\":\"FN\",\"content\":\"x\"}"
reply_is 404 '"unknown_user"' 'set_vcard: unknown user (ejabberd creates one)'
is "$(q "select string_agg(name || '/' || subname || '/' || value, ' ' order by name, idx) from vcard_fields")" \
    'N/FAMILY/Smith TEL/NUMBER/789' 'vcard_fields: the fields not in the profile'

# --- archive --------------------------------------------------------------------
sh_ kick_user dave localhost
as bob POST /api/messages '{"to":"dave@localhost","body":"one"}'
as bob POST /api/messages '{"to":"dave@localhost","body":"two"}'
ha get_offline_count '{"user":"dave","host":"localhost"}'
reply_is 200 '{"value":2}' 'get_offline_count: received since last seen'
ha get_offline_count '{"user":"bob","server":"localhost"}'
reply_is 200 '{"value":0}' 'get_offline_count: the sender has none'
q "update chat_archive set ts = ts - 3 * 86400000000" >/dev/null
n=$(q "select count(*) from chat_archive")
ha delete_old_messages '{"days":2}'
reply_is 200 0 'delete_old_messages'
is "$(q "select count(*) || ' ' || count(*) filter (where owner_id = (select id from users where localpart = 'dave')) from chat_archive")" \
    "$((n - 2)) 0" "delete_old_messages: dave's unread copies went, bob's stayed"
ha delete_old_mam_messages '{"type":"chat","days":2}'
reply_is 200 0 'delete_old_mam_messages chat'
is "$(q "select count(*) from chat_archive")" 0 'delete_old_mam_messages chat: gone'
is "$(q "select count(*) from room_archive where kind = 'message'")" 1 'room messages kept'
ha delete_old_mam_messages '{"type":"all","days":0}'
reply_is 400 '"days must be between 1 and 36500"' 'delete_old_mam_messages: 0 days'
ha delete_old_mam_messages '{"type":"headline","days":1}'
reply_is 400 '"type is all, chat or groupchat"' 'delete_old_mam_messages: bad type'
q "update room_archive set ts = ts - 3 * 86400000000" >/dev/null
rf delete_old_mam_messages '["groupchat","2"]'
reply_is 200 '"ok"' 'restful delete_old_mam_messages groupchat'
is "$(q "select count(*) from room_archive where kind = 'message'")" 0 'room messages gone'

done_testing
