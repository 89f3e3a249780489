#!/bin/sh
# chatrest-identity as CGI: every vector of the mxisd/ma1sd REST backend
# reference under every path family, escaped characters, a 10,000-entry
# bulk lookup in one statement, malformed bodies, Matrix domain mapping,
# and the failure counters.
. "$top_srcdir/tests/lib.sh"

ID=$top_builddir/cgi-bin/chatrest-identity
REG=$top_builddir/cgi-bin/chatrest-register
CGI_BIN=$ID
CGI_MOUNT=/_mxisd

# conf NAME [identity lines...]: the test config plus an [identity] section.
conf() {
	_f=$TEST_TMP/$1.conf
	shift
	{ cat "$CHATREST_CONFIG"; echo '[identity]'; for _l; do echo "$_l"; done
	} >"$_f"
	chmod 644 "$_f"
	echo "$_f"
}
C_LP=$(conf lp 'fail_delay = 0' 'fail_limit = 1000')
C_MX=$(conf mx 'id_type = mxid' 'fail_delay = 0' 'fail_limit = 1000')

MX=/_mxisd/backend/api/v1
MA=/_ma1sd/backend/api/v1
OLD=/_mxisd/identity/api/v1
AUTH_PATHS="$MX/auth/login $MA/auth/login $OLD/auth"
SINGLE_PATHS="$MX/identity/single $MX/identity/lookup/single
    $MA/identity/single $MA/identity/lookup/single $OLD/lookup/single"
BULK_PATHS="$MX/identity/bulk $MX/identity/lookup/bulk
    $MA/identity/bulk $MA/identity/lookup/bulk $OLD/lookup/bulk"
DIR_PATHS="$MX/directory/user/search $MA/directory/user/search"
PROFILE_FAMILIES="$MX $MA"

# post CONF PATH BODY: one request with mxisd's Content-Type.
post() {
	cgi -c "$1" -t 'application/json; charset=UTF-8' POST "$2" "$3"
}

# --- fixtures ----------------------------------------------------------------
# john.doe's password is s3cr&t=<x>' (sent HTML-escaped, as Gson does).
PW='s3cr\u0026t\u003d\u003cx\u003e\u0027'
CGI_BIN=$REG CGI_MOUNT=/api/register cgi POST /api/register/register \
    "{\"key\":\"$REGISTER_KEY\",\"username\":\"john.doe\",\"host\":\"example.org\",\"password\":\"$PW\",\"email\":\"john.doe@example.org\"}"
reply_is 200 '"ok"' 'fixture: john.doe registered with an email 3PID'
CGI_BIN=$REG CGI_MOUNT=/api/register cgi POST /api/register/register \
    "{\"key\":\"$REGISTER_KEY\",\"username\":\"pat\",\"host\":\"example.org\",\"password\":\"pw-pat\"}"
reply_is 200 '"ok"' 'fixture: pat registered'
psql_q "
update users set display_name = 'John Doe', avatar_url = 'mxc://example.org/abc'
    where localpart = 'john.doe';
insert into threepids (medium, address, user_id)
    select 'msisdn', '14155552671', id from users where localpart = 'john.doe';
insert into user_roles (user_id, role)
    select id, 'DomainUsers' from users where localpart = 'john.doe';" >/dev/null

OK_PROFILE='"profile":{"display_name":"John Doe","three_pids":[{"medium":"email","address":"john.doe@example.org"},{"medium":"msisdn","address":"14155552671"}]}'
FAILED='{"auth":{"success":false}}'
JOHN_LP='"id":{"type":"localpart","value":"john.doe"}'
JOHN_MX='"id":{"type":"mxid","value":"@john.doe:example.org"}'

# --- 2. authentication (vectors 1-5) -------------------------------------------
for p in $AUTH_PATHS; do
	post "$C_LP" "$p" "{\"auth\":{\"mxid\":\"@john.doe:example.org\",\"localpart\":\"john.doe\",\"domain\":\"example.org\",\"password\":\"$PW\"}}"
	reply_is 200 "{\"auth\":{\"success\":true,$JOHN_LP,$OK_PROFILE}}" \
	    "1. auth ok, escaped password: $p"
	post "$C_LP" "$p" '{"auth":{"mxid":"@john.doe:example.org","localpart":"john.doe","domain":"example.org","password":"s3cr&t=<x>"}}'
	reply_is 200 "$FAILED" "2. wrong password: $p"
	post "$C_LP" "$p" '{"auth":{"mxid":"@nobody:example.org","localpart":"nobody","domain":"example.org","password":"x"}}'
	reply_is 200 "$FAILED" "3. unknown user: $p"
	post "$C_LP" "$p" "{\"auth\":{\"mxid\":\"@john.doe:example.org:8448\",\"localpart\":\"john.doe\",\"domain\":\"example.org:8448\",\"password\":\"$PW\"}}"
	reply_is 200 "{\"auth\":{\"success\":true,$JOHN_LP,$OK_PROFILE}}" \
	    "4. domain with a port: $p"
	post "$C_MX" "$p" "{\"auth\":{\"mxid\":\"@john.doe:example.org\",\"localpart\":\"john.doe\",\"domain\":\"example.org\",\"password\":\"$PW\"}}"
	reply_is 200 "{\"auth\":{\"success\":true,$JOHN_MX,$OK_PROFILE}}" \
	    "5. auth ok, mxid form: $p"
done
p=$MX/auth/login
post "$C_LP" $p "{\"auth\":{\"mxid\":\"@John.Doe:example.org\",\"password\":\"$PW\"}}"
reply_is 200 "{\"auth\":{\"success\":true,$JOHN_LP,$OK_PROFILE}}" \
    'auth: mxid only, not lower-cased: the localpart we authenticated'
post "$C_LP" $p "{\"auth\":{\"mxid\":\"@john.doe:elsewhere.org\",\"localpart\":\"john.doe\",\"domain\":\"elsewhere.org\",\"password\":\"$PW\"}}"
reply_is 200 "$FAILED" 'auth: a domain chatrest does not serve'
post "$C_LP" $p "{\"auth\":{\"mxid\":\"@jo hn:example.org\",\"localpart\":\"jo hn\",\"domain\":\"example.org\",\"password\":\"$PW\"}}"
reply_is 200 "$FAILED" 'auth: a localpart chatrest cannot hold'
post "$C_LP" $p '{"auth":{"mxid":"@pat:example.org","localpart":"pat","domain":"example.org","password":"pw-pat"}}'
reply_is 200 '{"auth":{"success":true,"id":{"type":"localpart","value":"pat"},"profile":{"three_pids":[]}}}' \
    'auth: no display name, no 3PIDs'
post "$C_LP" $p '{"auth":{"mxid":"@pat:example.org","localpart":"pat","domain":"example.org","password":"pw-pat\u0000"}}'
reply_is 400 "$FAILED" 'auth: a NUL in the password is refused as malformed'

# --- 3. single lookup (vectors 6-10) -------------------------------------------
for p in $SINGLE_PATHS; do
	post "$C_MX" "$p" '{"lookup":{"medium":"email","address":"john.doe@example.org"}}'
	reply_is 200 "{\"lookup\":{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_MX}}" \
	    "6. single found (mxid): $p"
	post "$C_LP" "$p" '{"lookup":{"medium":"email","address":"john.doe@example.org"}}'
	reply_is 200 "{\"lookup\":{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_LP}}" \
	    "6. single found (localpart): $p"
	post "$C_MX" "$p" '{"lookup":{"medium":"email","address":"nobody@example.org"}}'
	reply_is 200 '{}' "7. single not found: $p"
	post "$C_MX" "$p" '{"lookup":{"medium":"email","address":"John.Doe@EXAMPLE.org"}}'
	reply_is 200 "{\"lookup\":{\"medium\":\"email\",\"address\":\"John.Doe@EXAMPLE.org\",$JOHN_MX}}" \
	    "8. mixed case found, echoed verbatim: $p"
	post "$C_MX" "$p" '{"lookup":{"medium":"msisdn","address":"14155552671"}}'
	reply_is 200 "{\"lookup\":{\"medium\":\"msisdn\",\"address\":\"14155552671\",$JOHN_MX}}" \
	    "9. msisdn found: $p"
	post "$C_MX" "$p" '{"lookup":{"medium":"msisdn","address":"+14155552671"}}'
	reply_is 200 "{\"lookup\":{\"medium\":\"msisdn\",\"address\":\"+14155552671\",$JOHN_MX}}" \
	    "9. msisdn with +: found, echoed verbatim: $p"
	post "$C_MX" "$p" '{"lookup":{"medium":"foo","address":"john.doe@example.org"}}'
	reply_is 200 '{}' "10. unknown medium: $p"
	post "$C_MX" "$p" '{"lookup":{"medium":"email"}}'
	reply_is 200 '{}' "10. missing address: $p"
done

# --- 4. bulk lookup (vectors 11-12) --------------------------------------------
for p in $BULK_PATHS; do
	post "$C_LP" "$p" '{"lookup":[{"medium":"email","address":"John.Doe@Example.org"},{"medium":"email","address":"nobody@example.org"}]}'
	reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"John.Doe@Example.org\",$JOHN_LP}]}" \
	    "11. bulk partial, echoed verbatim: $p"
	post "$C_LP" "$p" '{"lookup":[{"medium":"email","address":"nobody@example.org"},{"medium":"msisdn","address":"1"}]}'
	reply_is 200 '{"lookup":[]}' "12. bulk none found: $p"
done
p=$MX/identity/bulk
post "$C_MX" $p '{"lookup":[{"medium":"msisdn","address":"14155552671"},{"medium":"foo","address":"x"},7,{"medium":"email"},{"medium":"email","address":"JOHN.DOE@example.org"}]}'
reply_is 200 "{\"lookup\":[{\"medium\":\"msisdn\",\"address\":\"14155552671\",$JOHN_MX},{\"medium\":\"email\",\"address\":\"JOHN.DOE@example.org\",$JOHN_MX}]}" \
    'bulk: unknown media and broken entries are misses, in request order'

# --- escaped characters in addresses -------------------------------------------
psql_q "insert into threepids (medium, address, user_id)
    select 'email', 'a&b=c''d<e>@example.org', id from users
    where localpart = 'pat'" >/dev/null
for p in $MX/identity/single $MA/identity/single $OLD/lookup/single; do
	post "$C_LP" "$p" '{"lookup":{"medium":"email","address":"A\u0026b\u003dc\u0027d\u003ce\u003e@example.org"}}'
	reply_is 200 "{\"lookup\":{\"medium\":\"email\",\"address\":\"A&b=c'd<e>@example.org\",\"id\":{\"type\":\"localpart\",\"value\":\"pat\"}}}" \
	    "escaped address decoded, matched and echoed: $p"
done
post "$C_LP" $MX/identity/bulk '{"lookup":[{"medium":"email","address":"a\u0026b\u003dc\u0027d\u003ce\u003e@EXAMPLE.org"}]}'
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"a&b=c'd<e>@EXAMPLE.org\",\"id\":{\"type\":\"localpart\",\"value\":\"pat\"}}]}" \
    'bulk: escaped address decoded and echoed'
post "$C_LP" $MX/identity/single '{"lookup":{"medium":"email","address":"a\"b\\\\c@example.org"}}'
reply_is 200 '{}' 'single: quote and backslash in an address: not found'
post "$C_LP" $MX/identity/bulk '{"lookup":[{"medium":"email","address":"a\"b\\\\c@example.org"},{"medium":"email","address":"{x,y}@example.org"},{"medium":"email","address":"NULL"}]}'
reply_is 200 '{"lookup":[]}' 'bulk: quote, backslash, braces and NULL: not found'

# --- bulk: read straight from the text, as json-c would have read it ------------
psql_q "insert into threepids (medium, address, user_id)
    select 'email', a, id from users, unnest(array['jöhn@example.org',
    '😀@example.org']) a where localpart = 'pat'" >/dev/null
PAT_LP='"id":{"type":"localpart","value":"pat"}'
p=$MX/identity/bulk
post "$C_LP" $p '{"look\u0075p":[{"medi\u0075m":"email","\u0061ddress":"\u006aohn.doe@example.org"}]}'
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_LP}]}" \
    'bulk: escaped member names and values decoded'
post "$C_LP" $p '{"lookup":[{"medium":"email","address":"j\u00f6hn@example.org"},{"medium":"email","address":"\ud83d\ude00@Example.org"},{"medium":"email","address":"jöhn@example.org"},{"medium":"email","address":"john.doe\/x@example.org"}]}'
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"jöhn@example.org\",$PAT_LP},{\"medium\":\"email\",\"address\":\"😀@Example.org\",$PAT_LP},{\"medium\":\"email\",\"address\":\"jöhn@example.org\",$PAT_LP}]}" \
    'bulk: \u escapes, a surrogate pair and raw UTF-8 decoded alike; \/ is /'
post "$C_LP" $p '{"lookup":[{"medium":"email","address":"nobody@example.org","address":"john.doe@example.org"},{"address":"john.doe@example.org","medium":"email","medium":"foo"},{"medium":"email","address":"john.doe@example.org","address":7}]}'
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_LP}]}" \
    'bulk: a repeated member: the last one counts'
post "$C_LP" $p '{"lookup":"x","x":{"lookup":[1]},"lookup":[{"medium":"email","address":"john.doe@example.org"}],"y":"]}"}'
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_LP}]}" \
    'bulk: the last "lookup" counts; nested ones and brackets in strings do not'
post "$C_LP" $p '{"lookup":[{"medium":"email","address":"john.doe@example.org"}],"lookup":7}'
reply_is 400 '{"lookup":[]}' 'bulk: a last "lookup" that is no array: 400'
post "$C_LP" $p '{"lookup":[{"medium":"email","address":7},{"medium":["email"],"address":"john.doe@example.org"},{"medium":"email","address":null},"john.doe@example.org",[],{},{"medium":"email","address":"john.doe@example.org\u0000"},{"x":{"address":"y","a":[1,{"b":"]}"}]},"medium":"email","address":"john.doe@example.org","z":[true,false,null,-1.5e3]}]}'
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_LP}]}" \
    'bulk: wrong types and NUL bytes are misses; other members skipped whole'
post "$C_LP" $p "$(printf ' {\n\t"lookup" :\r\n [ { "medium" : "email" , "address" : "john.doe@example.org" } ] } \n')"
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_LP}]}" \
    'bulk: white space anywhere'
deep=$(printf '%040d' 0 | tr 0 '[')$(printf '%040d' 0 | tr 0 ']')
for b in '{"lookup":[{"medium":'"'email'"'}]}' '{"lookup":[1,]}' \
    '{"lookup":[{"medium":"email","address":"\ud800@x"}]}' \
    "$(printf '{"lookup":[{"medium":"email","address":"\377@x"}]}')" \
    "{\"lookup\":[{\"x\":$deep}]}" '{"lookup":[]} x'; do
	post "$C_LP" $p "$b"
	reply_is 400 '{"lookup":[]}' "bulk, not strict JSON '$b': 400, empty"
done
cgi -c "$C_LP" -t text/plain POST $p '{"lookup":[]}'
reply_is 400 '{"lookup":[]}' 'bulk, not application/json: 400, empty'
C_THREE=$(conf three 'bulk_max = 3')
post "$C_THREE" $p '{"lookup":[1,"x",{"medium":"email","address":"john.doe@example.org"}]}'
reply_is 200 "{\"lookup\":[{\"medium\":\"email\",\"address\":\"john.doe@example.org\",$JOHN_LP}]}" \
    'bulk_max entries of any kind: answered'
post "$C_THREE" $p '{"lookup":[1,"x",{},[]]}'
reply_is 413 '{"lookup":[]}' 'one entry past bulk_max, of any kind: 413'

# --- 5. directory (vectors 13-15) ----------------------------------------------
JOHN_DIR='{"limited":false,"results":[{"avatar_url":"mxc://example.org/abc","display_name":"John Doe","user_id":"john.doe"}]}'
for p in $DIR_PATHS; do
	post "$C_MX" "$p" '{"by":"name","search_term":"doe"}'
	reply_is 200 "$JOHN_DIR" "13. directory by name: $p"
	post "$C_MX" "$p" '{"by":"threepid","search_term":"john.doe@"}'
	reply_is 200 "$JOHN_DIR" "14. directory by threepid: $p"
	post "$C_MX" "$p" '{"by":"name","search_term":"zzz"}'
	reply_is 200 '{"limited":false,"results":[]}' "15. directory, no hits: $p"
	post "$C_MX" "$p" '{"by":"name","search_term":"o\u0027brien"}'
	reply_is 200 '{"limited":false,"results":[]}' \
	    "15. directory, escaped search term: $p"
done
p=$MX/directory/user/search
post "$C_LP" $p '{"by":"threepid","search_term":"c\u0027d\u003c"}'
reply_is 200 '{"limited":false,"results":[{"user_id":"pat"}]}' \
    'directory: escaped threepid term decoded and matched'
post "$C_LP" $p '{"by":"name","search_term":"JOHN"}'
reply_is 200 "$JOHN_DIR" 'directory: search is case-insensitive'
post "$C_LP" $p '{"by":"email","search_term":"john"}'
reply_is 200 '{"limited":false,"results":[]}' 'directory: unknown "by"'
C_LIM=$(conf lim 'directory_limit = 1')
post "$C_LIM" $p '{"by":"threepid","search_term":"@example.org"}'
reply_is 200 '{"limited":true,"results":[{"avatar_url":"mxc://example.org/abc","display_name":"John Doe","user_id":"john.doe"}]}' \
    'directory: limited when directory_limit cuts the list'

# --- 6. profile (vectors 16-19) ------------------------------------------------
JOHN_REQ='{"localpart":"john.doe","domain":"example.org","mxid":"@john.doe:example.org"}'
NOBODY_REQ='{"localpart":"nobody","domain":"example.org","mxid":"@nobody:example.org"}'
for f in $PROFILE_FAMILIES; do
	post "$C_MX" "$f/profile/displayName" "$JOHN_REQ"
	reply_is 200 '{"profile":{"display_name":"John Doe"}}' \
	    "16. profile display name: $f"
	post "$C_MX" "$f/profile/threepids" "$JOHN_REQ"
	reply_is 200 '{"profile":{"threepids":[{"medium":"email","address":"john.doe@example.org"},{"medium":"msisdn","address":"14155552671"}]}}' \
	    "17. profile threepids: $f"
	post "$C_MX" "$f/profile/roles" "$JOHN_REQ"
	reply_is 200 '{"profile":{"roles":["DomainUsers"]}}' \
	    "18. profile roles: $f"
	for e in displayName threepids roles; do
		post "$C_MX" "$f/profile/$e" "$NOBODY_REQ"
		reply_is 200 '{"profile":{}}' "19. profile $e, unknown user: $f"
	done
done
p=$MX/profile/displayName
post "$C_MX" $p '{"localpart":"pat","domain":"example.org","mxid":"@pat:example.org"}'
reply_is 200 '{"profile":{}}' 'profile: no display name is an empty profile'
post "$C_MX" $MX/profile/roles '{"localpart":"pat","domain":"example.org","mxid":"@pat:example.org"}'
reply_is 200 '{"profile":{"roles":[]}}' 'profile: no roles'
post "$C_MX" $p '{"localpart":"john.doe","domain":"elsewhere.org","mxid":"@john.doe:elsewhere.org"}'
reply_is 200 '{"profile":{}}' 'profile: a domain chatrest does not serve'

# --- malformed bodies, in the shapes the callers handle -------------------------
digest=$(users_digest)
for b in 'not json' '[1,2]' '{"auth":null}' '{"auth":"x"}' \
    '{"auth":{"localpart":"john.doe","domain":"example.org"}}' \
    '{"auth":{"localpart":"john.doe","domain":"example.org","password":7}}' \
    '{"auth":{"password":"x",}}' ''; do
	post "$C_LP" $MX/auth/login "$b"
	reply_is 400 "$FAILED" "auth, malformed body '$b': 400 and a failure"
done
cgi -c "$C_LP" -t text/plain POST $MX/auth/login "{\"auth\":{\"localpart\":\"john.doe\",\"domain\":\"example.org\",\"password\":\"$PW\"}}"
reply_is 400 "$FAILED" 'auth, not application/json: 400 and a failure'
for b in 'not json' '[]' '{}' '{"lookup":null}' '{"lookup":[]}'; do
	post "$C_LP" $MX/identity/single "$b"
	reply_is 400 '{}' "single, malformed body '$b': 400 {} (not found)"
done
for b in 'not json' '{}' '{"lookup":null}' '{"lookup":{}}'; do
	post "$C_LP" $MX/identity/bulk "$b"
	reply_is 400 '{"lookup":[]}' "bulk, malformed body '$b': 400, empty"
done
for b in 'not json' '{}' '{"by":1,"search_term":"doe"}' '{"by":"name"}'; do
	post "$C_LP" $MX/directory/user/search "$b"
	reply_is 200 '{"limited":false,"results":[]}' \
	    "directory, malformed body '$b': 200 with no results"
done
for b in 'not json' '[1]'; do
	post "$C_LP" $MX/profile/roles "$b"
	reply_is 404 '{"profile":{}}' "profile, malformed body '$b': 404 (empty)"
done
post "$C_LP" $MX/profile/roles '{}'
reply_is 200 '{"profile":{}}' 'profile, nobody named: empty'
is "$(users_digest)" "$digest" 'malformed bodies changed nothing'

cgi -c "$C_LP" GET $MX/identity/single
reply_is 405 '{}' 'GET: 405 {}'
is "$(header Allow)" POST 'GET: Allow: POST'
post "$C_LP" $MX/identity/nothing '{}'
reply_is 404 '{}' 'unknown path: 404 {}'
post "$C_LP" /_ma1sd/identity/api/v1/auth '{}'
reply_is 404 '{}' 'no ma1sd variant of the 0.2 paths: 404 {}'
cgi -c "$C_LP" -l '' POST $MX/identity/single '{}'
reply_is 411 '{}' 'no Content-Length: 411 {}'

# --- Matrix domain mapping and hosts -------------------------------------------
C_MAP=$(conf map 'id_type = mxid' 'matrix_domains = example.org=matrix.example.com' 'fail_delay = 0')
post "$C_MAP" $MX/auth/login "{\"auth\":{\"mxid\":\"@john.doe:matrix.example.com\",\"localpart\":\"john.doe\",\"domain\":\"matrix.example.com\",\"password\":\"$PW\"}}"
reply_is 200 "{\"auth\":{\"success\":true,\"id\":{\"type\":\"mxid\",\"value\":\"@john.doe:matrix.example.com\"},$OK_PROFILE}}" \
    'mapped domain: auth answers the mapped MXID'
post "$C_MAP" $MX/auth/login "{\"auth\":{\"mxid\":\"@john.doe:example.org\",\"localpart\":\"john.doe\",\"domain\":\"example.org\",\"password\":\"$PW\"}}"
reply_is 200 "$FAILED" 'mapped domain: the host name itself is no Matrix domain'
post "$C_MAP" $MX/identity/single '{"lookup":{"medium":"email","address":"john.doe@example.org"}}'
reply_is 200 '{"lookup":{"medium":"email","address":"john.doe@example.org","id":{"type":"mxid","value":"@john.doe:matrix.example.com"}}}' \
    'mapped domain: lookups answer the mapped MXID'
post "$C_MAP" $MX/profile/roles '{"localpart":"john.doe","domain":"matrix.example.com","mxid":"@john.doe:matrix.example.com"}'
reply_is 200 '{"profile":{"roles":["DomainUsers"]}}' 'mapped domain: profile'
C_HOSTS=$(conf hosts 'hosts = localhost')
post "$C_HOSTS" $MX/identity/single '{"lookup":{"medium":"email","address":"john.doe@example.org"}}'
reply_is 200 '{}' '[identity] hosts: users of other hosts are not found'
post "$C_HOSTS" $MX/directory/user/search '{"by":"name","search_term":"doe"}'
reply_is 200 '{"limited":false,"results":[]}' '[identity] hosts: nor listed'
C_BAD=$(conf bad 'matrix_domains = other.org=x.org')
post "$C_BAD" $MX/identity/single '{}'
reply_is 503 '{}' 'a mapping for a host not served: config error, 503'
like "$ERR" 'other.org' 'the config error names the host'
C_BAD=$(conf bad2 'matrix_domains = localhost=example.org')
post "$C_BAD" $MX/identity/single '{}'
reply_is 503 '{}' 'two hosts on one Matrix domain: config error, 503'

# --- disabled accounts are invisible ---------------------------------------------
psql_q "update users set disabled = true where localpart = 'pat'" >/dev/null
post "$C_LP" $MX/auth/login '{"auth":{"mxid":"@pat:example.org","localpart":"pat","domain":"example.org","password":"pw-pat"}}'
reply_is 200 "$FAILED" 'disabled: login fails'
post "$C_LP" $MX/identity/single '{"lookup":{"medium":"email","address":"a&b=c'"'"'d<e>@example.org"}}'
reply_is 200 '{}' 'disabled: lookups do not find it'
post "$C_LP" $MX/profile/roles '{"localpart":"pat","domain":"example.org"}'
reply_is 200 '{"profile":{}}' 'disabled: no profile'
psql_q "update users set disabled = false where localpart = 'pat'" >/dev/null

# --- repeated failures: guessing limits shared through the database -----------
# The [identity] fail_* keys are aliases of [auth]'s: 3 failures of a pair
# (account, address) within 600 s, each draining in 200 s.
C_FAIL=$(conf fail 'fail_limit = 3' 'fail_window = 600' 'fail_delay = 0')
psql_q "delete from auth_throttle" >/dev/null
GOOD="{\"auth\":{\"mxid\":\"@john.doe:example.org\",\"localpart\":\"john.doe\",\"domain\":\"example.org\",\"password\":\"$PW\"}}"
BAD='{"auth":{"mxid":"@john.doe:example.org","localpart":"john.doe","domain":"example.org","password":"guess"}}'
level() {	# KIND SUBJECT: the stored level, rounded
	psql_q "select round(level) from auth_throttle where kind = '$1' and subject = '$2'"
}
for i in 1 2 3; do
	post "$C_FAIL" $MX/auth/login "$BAD"
done
reply_is 200 "$FAILED" 'three wrong passwords'
is "$(header Retry-After)" '' '... answered without Retry-After below the limit'
is "$(level pair 'john.doe@example.org 127.0.0.1')" 3 'the pair counts them'
is "$(level account john.doe@example.org)" 3 'so does the account'
is "$(level address 127.0.0.1)" 3 'and the address'
like "$ERR" 'warn: .*auth failure for john.doe@example.org from 127\.0\.0\.1$' \
    'a failure is logged in the fixed fail2ban form'
t0=$(date +%s%N)
post "$C_FAIL" $MX/auth/login "$GOOD"
t1=$(date +%s%N)
reply_is 200 "$FAILED" 'over the limit even the right password is refused'
ra=$(header Retry-After)
# counts drain while the test runs: a busy machine takes seconds
ok "... with Retry-After: one failure drains in 200 s ($ra)" \
    test "$ra" -ge 150 -a "$ra" -le 200
like "$ERR" 'auth failure for john.doe@example.org from 127\.0\.0\.1' \
    'the refusal is logged as a failure'
ms=$(( (t1 - t0) / 1000000 ))
ok "a refusal does not sleep (${ms} ms)" [ "$ms" -lt 900 ]
post "$C_FAIL" $MX/auth/login "$BAD"
ra=$(header Retry-After)
ok "refusals count: the wait grows ($ra of 400 s)" test "$ra" -ge 350 -a "$ra" -le 400
post "$C_FAIL" $MA/auth/login "$GOOD"
reply_is 200 "$FAILED" 'refused under every path family'
REMOTE_ADDR_2='-e REMOTE_ADDR=192.0.2.7'
cgi -c "$C_FAIL" $REMOTE_ADDR_2 -t 'application/json; charset=UTF-8' POST $MX/auth/login "$GOOD"
reply_is 200 "{\"auth\":{\"success\":true,$JOHN_LP,$OK_PROFILE}}" \
    'the right password from another address still works'
is "$(level pair 'john.doe@example.org 127.0.0.1')" 6 \
    '... and does not clear the guessing pair'
psql_q "update auth_throttle set at = at - interval '1201 seconds'" >/dev/null
post "$C_FAIL" $MX/auth/login "$GOOD"
reply_is 200 "{\"auth\":{\"success\":true,$JOHN_LP,$OK_PROFILE}}" \
    'as time passes the counts drain and the right password works'
is "$(level pair 'john.doe@example.org 127.0.0.1')" 0 'a success clears its pair'
post "$C_FAIL" $MX/auth/login '{"auth":{"localpart":"ghost","domain":"example.org","password":"x"}}'
is "$(level account ghost@example.org)" 1 \
    'unknown names are counted too (refusals reveal nothing)'
psql_q "update auth_throttle set at = now() - interval '1 hour' where subject like 'ghost%'" >/dev/null
post "$C_FAIL" $MX/auth/login "$BAD"
is "$(psql_q "select count(*) from auth_throttle where subject like 'ghost%'")" \
    0 'drained counters are deleted as new failures come in'

# The account slows while it is guessed at from many addresses: an address
# that failed on it waits, a clean one still gets its check.
C_ACCT=$(conf acct 'fail_limit = 100' 'fail_delay = 0')
printf '[auth]\naccount_limit = 3\n' >>"$C_ACCT"
psql_q "delete from auth_throttle" >/dev/null
for a in 1 2 3 4; do
	cgi -c "$C_ACCT" -e REMOTE_ADDR=198.51.100.$a -t application/json POST $MX/auth/login "$BAD"
done
reply_is 200 "$FAILED" 'four addresses guess once each'
cgi -c "$C_ACCT" -e REMOTE_ADDR=198.51.100.1 -t application/json POST $MX/auth/login "$BAD"
like "$(header Retry-After)" '^[0-9]+$' 'an address that failed waits while the account is hot'
cgi -c "$C_ACCT" -e REMOTE_ADDR=203.0.113.9 -t application/json POST $MX/auth/login "$GOOD"
reply_is 200 "{\"auth\":{\"success\":true,$JOHN_LP,$OK_PROFILE}}" \
    'a clean address logs in while the account is hot'

# Concurrent guesses cannot all pass a count read beforehand: the attempt
# is reserved first, so with a limit of 10 at most 10 passwords are checked.
psql_q "delete from auth_throttle" >/dev/null
C_RACE=$(conf race 'fail_limit = 10' 'fail_window = 900' 'fail_delay = 0')
for i in $(seq 1 30); do
	REQ_PREFIX=race$i post "$C_RACE" $MX/auth/login "$BAD" &
done
wait
refused=$(cat "$TEST_TMP"/race*.err | grep -c 'throttled: retry after') || :
is "$((30 - refused))" 10 '30 concurrent guesses: exactly 10 checked'
is "$(level pair 'john.doe@example.org 127.0.0.1')" 20 \
    '... the others refused and counted (the bucket holds twice the limit)'
psql_q "delete from auth_throttle" >/dev/null

# An over-long password costs a real check whether or not the account
# exists, so its answer time does not tell which accounts do.
LONG=$(head -c 1025 /dev/zero | tr '\0' a)
t0=$(date +%s%N)
post "$C_LP" $MX/auth/login "{\"auth\":{\"localpart\":\"john.doe\",\"domain\":\"example.org\",\"password\":\"$LONG\"}}"
t1=$(date +%s%N)
post "$C_LP" $MX/auth/login "{\"auth\":{\"localpart\":\"nobody.here\",\"domain\":\"example.org\",\"password\":\"$LONG\"}}"
t2=$(date +%s%N)
reply_is 200 "$FAILED" 'an over-long password fails'
known=$(( (t1 - t0) / 1000000 )) unknown=$(( (t2 - t1) / 1000000 ))
diag "1025-byte password: existing account $known ms, unknown $unknown ms"
ok "both pay for a check (existing $known ms >= half of unknown $unknown ms)" \
    [ $((known * 2)) -ge "$unknown" ]
psql_q "delete from auth_throttle" >/dev/null

# --- bulk: 10,000 entries, one statement ----------------------------------------
psql_q "insert into users (localpart, host, password_hash)
    select 'bulk' || i, 'example.org', 'x' from generate_series(0, 4999) i;
insert into threepids (medium, address, user_id)
    select 'email', localpart || '@bulk.example', id from users
    where localpart like 'bulk%'" >/dev/null
awk 'BEGIN { printf "{\"lookup\":["
	for (i = 0; i < 10000; i++)
		printf "%s{\"medium\":\"email\",\"address\":\"Bulk%d@Bulk.example\"}",
		    (i ? "," : ""), i * 2
	printf "]}" }' >"$TEST_TMP/bulk.json"
diag "bulk request: $(wc -c <"$TEST_TMP/bulk.json") bytes"
psql_q "alter system set log_statement = 'all'" >/dev/null
psql_q "select pg_reload_conf()" >/dev/null
sleep 0.3
before=$(wc -l <"$TEST_TMP/postgres.log")
t0=$(date +%s%N)
cgi -c "$C_LP" -t 'application/json; charset=UTF-8' -f "$TEST_TMP/bulk.json" \
    POST $MX/identity/bulk
t1=$(date +%s%N)
sleep 0.3
stmts=$(tail -n +"$((before + 1))" "$TEST_TMP/postgres.log" |
    grep -c 'LOG:  *\(execute\|statement\)') || :
psql_q "alter system reset log_statement" >/dev/null
psql_q "select pg_reload_conf()" >/dev/null
is "$STATUS" 200 'bulk of 10,000: 200'
is "$(printf '%s' "$BODY" | grep -o '"id":' | wc -l | tr -d ' ')" 2500 \
    'bulk of 10,000: the 2,500 matches'
like "$BODY" '^\{"lookup":\[\{"medium":"email","address":"Bulk0@Bulk.example","id":\{"type":"localpart","value":"bulk0"\}\},\{"medium":"email","address":"Bulk2@Bulk.example",' \
    'bulk of 10,000: echoed verbatim, in request order'
is "$stmts" 1 'bulk of 10,000: one database statement'
diag "bulk of 10,000 (2,500 found) as CGI: $(( (t1 - t0) / 1000000 )) ms"
C_SMALL=$(conf small 'bulk_max = 3')
post "$C_SMALL" $MX/identity/bulk '{"lookup":[{"medium":"email","address":"a@b.c"},{"medium":"email","address":"a@b.c"},{"medium":"email","address":"a@b.c"},{"medium":"email","address":"a@b.c"}]}'
reply_is 413 '{"lookup":[]}' 'over bulk_max: 413, empty (logged)'
like "$ERR" 'bulk_max' 'the refusal names bulk_max'

# --- unknown accounts cost what wrong passwords cost ------------------------------
# A scrypt slow enough to dominate a CGI run: without the dummy check an
# unknown name would answer in a fraction of a wrong password's time.
C_TIME=$TEST_TMP/time.conf
sed -e 's/^scrypt_n = .*/scrypt_n = 65536/' \
    -e 's/^log_level = .*/log_level = debug/' "$C_LP" >"$C_TIME"
CGI_BIN=$REG CGI_MOUNT=/api/register cgi -c "$C_TIME" POST /api/register/register \
    "{\"key\":\"$REGISTER_KEY\",\"username\":\"timed\",\"host\":\"example.org\",\"password\":\"right-pw\"}"
reply_is 200 '"ok"' 'fixture: timed registered with a slower scrypt'
# The fastest of three of each: a load spike on a shared machine slows
# one run, never all of them.
wrong= unknown=
for i in 1 2 3; do
	t0=$(date +%s%N)
	post "$C_TIME" $MX/auth/login '{"auth":{"mxid":"@timed:example.org","localpart":"timed","domain":"example.org","password":"wrong-pw"}}'
	t1=$(date +%s%N)
	is "$STATUS $BODY" "200 $FAILED" "timing $i: wrong password"
	post "$C_TIME" $MX/auth/login '{"auth":{"mxid":"@untimed:example.org","localpart":"untimed","domain":"example.org","password":"wrong-pw"}}'
	t2=$(date +%s%N)
	is "$STATUS $BODY" "200 $FAILED" "timing $i: unknown account"
	w=$(((t1 - t0) / 1000000)) u=$(((t2 - t1) / 1000000))
	[ -n "$wrong" ] && [ "$wrong" -le "$w" ] || wrong=$w
	[ -n "$unknown" ] && [ "$unknown" -le "$u" ] || unknown=$u
done
diag "fastest wrong password: $wrong ms; fastest unknown account: $unknown ms"
ok "an unknown account takes as long as a wrong password ($unknown ms vs $wrong ms)" \
    [ $((unknown * 2)) -ge "$wrong" -a $((wrong * 2)) -ge "$unknown" ]

# --- request bodies and passwords never reach a log -------------------------------
# Every request above kept its standard error (the log) in $TEST_TMP;
# the last ones ran at log_level = debug.
for secret in 's3cr&t' 's3cr\u0026t' 'pw-pat' 'guess' 'wrong-pw' 'right-pw' \
    '"password"' '"lookup":'; do
	ok "no log line holds $secret" \
	    eval '! cat "$TEST_TMP"/*.err | grep -qF -- "$secret"'
done
ok 'no password reached the database log' \
    eval '! grep -qE "s3cr|pw-pat|wrong-pw|right-pw" "$TEST_TMP/postgres.log"'

# --- the database down: every answer still one the callers take -------------------
$TEST_PG_CTL stop -m fast >/dev/null
post "$C_LP" $MX/auth/login "$GOOD"
reply_is 503 "$FAILED" 'store down: auth is a clean failure (non-2xx)'
post "$C_LP" $MX/identity/single '{"lookup":{"medium":"email","address":"john.doe@example.org"}}'
reply_is 503 '{}' 'store down: single lookup, not found (non-2xx)'
post "$C_LP" $MX/identity/bulk '{"lookup":[{"medium":"email","address":"john.doe@example.org"}]}'
reply_is 503 '{"lookup":[]}' 'store down: bulk lookup, empty (non-2xx)'
for p in $DIR_PATHS; do
	post "$C_LP" "$p" '{"by":"name","search_term":"doe"}'
	reply_is 200 '{"limited":false,"results":[]}' \
	    "store down: directory 200, no results (not a failed search): $p"
done
like "$ERR" 'warn: .*directory search answered empty' 'store down: logged'
for f in $PROFILE_FAMILIES; do
	for e in displayName threepids roles; do
		post "$C_LP" "$f/profile/$e" "$JOHN_REQ"
		reply_is 404 '{"profile":{}}' \
		    "store down: profile $e 404, empty (not a 500): $f"
	done
done
like "$ERR" 'warn: .*profile answered empty' 'store down: logged'
$TEST_PG_CTL start >/dev/null

done_testing
