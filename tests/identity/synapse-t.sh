#!/bin/sh
# chatrest-identity as Synapse's REST password provider sees it, through
# lighttpd: POST /_matrix-internal/identity/v1/check_credentials with the
# bytes the provider sends (requests.post(json=...): json.dumps with its
# default separators and ensure_ascii, Content-Type application/json),
# every field the provider reads checked in the type it reads it; bad
# requests in mxisd's error shape; an empty directory search term.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$lighttpd" ] || skip_all 'lighttpd is not installed'
command -v python3 >/dev/null 2>&1 || skip_all 'python3 is not installed'

REG=$top_builddir/cgi-bin/chatrest-register
reg() {	# JSON-PASSWORD USER [EMAIL]
	_e=
	[ -z "${3:-}" ] || _e=",\"email\":\"$3\""
	"$REG" -d "{\"key\":\"$REGISTER_KEY\",\"username\":\"$2\",\"host\":\"example.org\",\"password\":\"$1\"$_e}" \
	    POST /api/register/register >/dev/null 2>&1 ||
	    bail_out "cannot register $2"
}
reg "s3cr&t=<x>'" john.doe John.Doe@Example.org
reg 'p\u00e4ssw\ud83d\ude00rd' uni
reg plain bare
psql_q "update users set display_name = 'John Doe' where localpart = 'john.doe'" >/dev/null
printf '[identity]\nfail_delay = 0\n' >>"$CHATREST_CONFIG"

e2e_setup lighttpd
E2E_LOG=$TEST_TMP/server.out
e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
CC=$BASE/_matrix-internal/identity/v1/check_credentials

# provider ID PASSWORD: what the provider posts, byte for byte.
provider() {
	python3 -c 'import json, sys
sys.stdout.write(json.dumps({"user": {"id": sys.argv[1], "password": sys.argv[2]}}))' \
	    "$1" "$2" >"$TEST_TMP/cc.json"
	http -H 'User-Agent: python-requests/2.28.1' \
	    -H 'Accept-Encoding: gzip, deflate' -H 'Accept: */*' \
	    -f "$TEST_TMP/cc.json" POST "${3:-$CC}"
}
# reads: the provider's reading of the answer, in its types; prints
# "False", or "True <display_name or -> <medium:address,...>", or an error.
reads() {
	printf '%s' "$BODY" | python3 -c 'import json, sys
r = json.loads(sys.stdin.read())
auth = r["auth"]
if not auth:
    sys.exit("falsy auth")
if not auth["success"]:
    print("False"); sys.exit(0)
assert auth["success"] is True
p = auth["profile"]
assert isinstance(p, dict)
name = p["display_name"] if "display_name" in p else "-"
assert isinstance(name, str)
out = []
for t in p.get("three_pids", []):
    assert isinstance(t["medium"], str) and isinstance(t["address"], str)
    assert t["medium"] == t["medium"].lower()
    assert t["address"] == t["address"].lower()
    out.append(t["medium"] + ":" + t["address"])
print("True", name, ",".join(out))'
}

provider @john.doe:example.org "s3cr&t=<x>'"
reply_is 200 '{"auth":{"success":true,"id":{"type":"localpart","value":"john.doe"},"profile":{"display_name":"John Doe","three_pids":[{"medium":"email","address":"john.doe@example.org"}]}}}' \
    'C1: good credentials: success, profile with name and 3PIDs'
is "$(reads)" 'True John Doe email:john.doe@example.org' \
    'C1: every field the provider reads, in its type'
like "$(head -c 60 "$TEST_TMP/cc.json")" '^\{"user": \{"id": "@john\.doe:example\.org", "password": ' \
    'C1: the request was json.dumps with its default separators'
provider @john.doe:example.org wrong
reply_is 200 '{"auth":{"success":false}}' 'C2: wrong password: success false'
is "$(reads)" False 'C2: a clean failure to the provider'
provider @nobody:example.org x
reply_is 200 '{"auth":{"success":false}}' 'C3: unknown user'
provider @John.Doe:example.org "s3cr&t=<x>'"
is "$STATUS|$(reads)" '200|True John Doe email:john.doe@example.org' \
    'C4: the id in another case is the same account'
provider @john.doe:example.org:8448 "s3cr&t=<x>'"
is "$STATUS|$(reads)" '200|True John Doe email:john.doe@example.org' \
    'C5: a port after the domain'
provider @uni:example.org 'pässw😀rd'
like "$(cat "$TEST_TMP/cc.json")" 'p\\u00e4ssw\\ud83d\\ude00rd' \
    'C6: sent as ensure_ascii escapes, a surrogate pair'
is "$STATUS|$(reads)" '200|True - ' 'C6: ... compares equal to the stored UTF-8'
provider @bare:example.org plain
reply_is 200 '{"auth":{"success":true,"id":{"type":"localpart","value":"bare"},"profile":{"three_pids":[]}}}' \
    'C8: no name, no 3PIDs: profile still there'
provider @bare:elsewhere.example plain
reply_is 200 '{"auth":{"success":false}}' 'a domain not served: failure'
provider 'not-an-mxid' plain
reply_is 200 '{"auth":{"success":false}}' 'an id that is no Matrix ID: failure, not 5xx'
provider @john@gmail.com:example.org x
reply_is 200 '{"auth":{"success":false}}' 'the e-mail form of the modules fork: failure, not 5xx'
provider @bare:example.org plain "$CC/"
is "$STATUS|$(reads)" '200|True - ' 'an endpoint with a trailing slash'

# C7: malformed requests, mxisd's error body
http POST "$CC" '{"nouser":{}}'
reply_is 400 '{"errcode":"M_BAD_JSON","error":"No object for member user","success":false}' \
    'C7: no user'
http POST "$CC" '{"user":{"id":"@bare:example.org"}}'
reply_is 400 '{"errcode":"M_JSON_MISSING_KEYS","error":"Missing id or password keys","success":false}' \
    'C7: no password'
http POST "$CC" 'user=bare'
reply_is 400 '{"errcode":"M_BAD_JSON","error":"Not an object","success":false}' \
    'C7: not JSON'
http POST "$CC" '{"user":{"id":"@bare:example.org","password":"\ud800"}}'
reply_is 400 '{"errcode":"M_BAD_JSON","error":"Not an object","success":false}' \
    'a lone surrogate in the password: 400'
http GET "$CC"
reply_is 405 '{}' 'GET: 405'

# the directory: an empty term finds nobody
D=$BASE/_mxisd/backend/api/v1/directory/user/search
http POST "$D" '{"by":"name","search_term":""}'
reply_is 200 '{"limited":false,"results":[]}' 'directory: an empty term, no results'
http POST "$D" '{"by":"threepid","search_term":""}'
reply_is 200 '{"limited":false,"results":[]}' '... by threepid too'
http POST "$D" '{"by":"name","search_term":"doe"}'
reply_is 200 '{"limited":false,"results":[{"display_name":"John Doe","user_id":"john.doe"}]}' \
    '... while a term still finds'
e2e_stop
SECRETS="s3cr&t=<x>' plain" no_secrets "$E2E_LOG"
done_testing
