#!/bin/sh
# chatrest-client under real web servers: lighttpd (mod_fastcgi), Apache
# with mod_fcgid and Apache as plain CGI, each mounted by its generated
# snippet at /api/messages, /api/rooms and /api/contacts.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/client/common.sh"

for u in alice bob; do register $u; done
A=$(basic alice@localhost pw-alice)
B=$(basic bob@localhost pw-bob)

# client_flow: one conversation through the server at $BASE.
client_flow() {
	_t=$1
	http GET "$BASE/api/rooms"
	empty_is 401 "$_t: no credentials: 401"
	is "$(header WWW-Authenticate)" 'Basic realm="mongooseim"' \
	    "$_t: WWW-Authenticate reaches the client"
	http -a "$(basic alice@localhost wrong)" GET "$BASE/api/rooms"
	empty_is 401 "$_t: wrong password: 401"
	http -a "$A" POST "$BASE/api/messages" "{\"to\":\"bob@localhost\",\"body\":\"hi via $_t\"}"
	json_is 200 '{"id":"UUID"}' "$_t: POST /api/messages"
	_id=$(reply_id)
	http -a "$B" GET "$BASE/api/messages/alice%40localhost?limit=1"
	BODY=$(printf '%s' "$BODY" | sed "s/$_id/ID/")
	json_is 200 "[{\"from\":\"alice@localhost\",\"to\":\"bob@localhost\",\"id\":\"ID\",\"body\":\"hi via $_t\",\"timestamp\":TS}]" \
	    "$_t: bob reads it (an encoded @ in the path)"
	http -a "$A" PUT "$BASE/api/rooms/r-$_t" '{"name":"n","subject":"s"}'
	reply_is 201 "{\"id\":\"r-$_t\"}" "$_t: PUT /api/rooms/{id}"
	http -a "$A" POST "$BASE/api/rooms/r-$_t@muclight.localhost/users" '{"user":"bob@localhost"}'
	empty_is 204 "$_t: invite by room JID"
	http -a "$B" POST "$BASE/api/rooms/r-$_t/messages" '{"body":"hello room"}'
	json_is 200 '{"id":"UUID"}' "$_t: bob posts to the room"
	http -a "$A" GET "$BASE/api/rooms/r-$_t/messages"
	json_is 200 "[{\"type\":\"affiliation\",\"from\":\"r-$_t@muclight.localhost\",\"id\":\"UUID\",\"timestamp\":TS,\"user\":\"bob@localhost\",\"affiliation\":\"member\"},{\"type\":\"message\",\"from\":\"bob@localhost\",\"id\":\"UUID\",\"timestamp\":TS,\"body\":\"hello room\"}]" \
	    "$_t: the room archive"
	http -a "$A" PUT "$BASE/api/rooms/r-$_t/config" '{"name":"n2","subject":"s2"}'
	empty_is 204 "$_t: PUT config: 204"
	http -a "$B" DELETE "$BASE/api/rooms/r-$_t/users/bob@localhost"
	empty_is 204 "$_t: DELETE a user"
	http -a "$B" GET "$BASE/api/rooms/r-$_t/messages"
	empty_is 403 "$_t: bob left: 403"
	http -a "$A" POST "$BASE/api/contacts" '{"jid":"bob@localhost"}'
	empty_is 204 "$_t: POST /api/contacts"
	http -a "$A" GET "$BASE/api/contacts"
	reply_is 200 '[{"jid":"bob@localhost","subscription":"none","ask":"none"}]' \
	    "$_t: GET /api/contacts"
	http -a "$A" DELETE "$BASE/api/contacts" '{"to_delete":["bob@localhost"]}'
	reply_is 200 '{"not_deleted":[]}' "$_t: DELETE with a body"
	http -H 'Origin: https://evil.example' OPTIONS "$BASE/api/rooms"
	# Apache adds Content-Length to Vary for the snippet's <If>
	like "$STATUS|$(header Allow)|$(header Access-Control-Allow-Origin)|$(header Vary)" \
	    '^200\|GET, HEAD, POST, OPTIONS\|\|Origin(,Content-Length)?$' \
	    "$_t: OPTIONS without credentials; an unlisted Origin gets no CORS"
	http -a "$A" GET "$BASE/api/roomsx"
	is "$STATUS" 404 "$_t: /api/roomsx is not mounted"
	SECRETS="pw-alice pw-bob ${A#Basic } ${B#Basic }" no_secrets "$E2E_LOG"
}

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
if [ -x "$lighttpd" ]; then
	e2e_setup lighttpd
	E2E_LOG=$TEST_TMP/server.out
	e2e_start "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
	client_flow lighttpd
	e2e_stop
else
	skip 'lighttpd' 'lighttpd is not installed'
fi

apache2=$(command -v apache2 || echo /usr/sbin/apache2)
if [ -x "$apache2" ] && [ -f /usr/lib/apache2/modules/mod_fcgid.so ]; then
	e2e_setup apache-fcgid
	e2e_start "$apache2" -DFOREGROUND -f "$top_srcdir/tests/e2e/apache-fcgid.conf"
	client_flow fcgid
	e2e_stop
else
	skip 'apache-fcgid' 'apache2 or mod_fcgid is not installed'
fi

if [ -x "$apache2" ]; then
	e2e_setup apache-cgi
	e2e_start "$apache2" -DFOREGROUND -f "$top_srcdir/tests/e2e/apache-cgi.conf"
	client_flow cgi
	e2e_stop
else
	skip 'apache-cgi' 'apache2 is not installed'
fi

done_testing
