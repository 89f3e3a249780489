#!/bin/sh
# chatrest-client as CGI: the roster (contacts) with its subscription and
# ask states on both sides, bulk removal, and bad input.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

for u in alice bob kate; do register $u; done

digest=$(client_digest)
unchanged() {
	is "$(client_digest)" "$digest" "$1: database unchanged"
}

as alice GET /api/contacts
reply_is 200 '[]' 'GET /contacts: [] at first'
as alice POST /api/contacts '{"jid":"bob@localhost"}'
empty_is 204 'POST /contacts: 204'
as alice GET /api/contacts
reply_is 200 '[{"jid":"bob@localhost","subscription":"none","ask":"none"}]' \
    'the new item is none/none'
as bob GET /api/contacts
reply_is 200 '[]' "adding bob does not touch bob's roster"
as alice POST /api/contacts '{"jid":"Bob@LocalHost"}'
empty_is 204 'adding again (any case): 204'
as alice GET /api/contacts/bob@localhost
empty_is 404 'GET /contacts/{jid}: always 404'

digest=$(client_digest)
as alice POST /api/contacts '{"jid":"not a jid"}'
empty_is 400 'POST an invalid JID: 400'
as alice POST /api/contacts '{"jid":1}'
empty_is 400 'POST a non-string JID: 400'
as alice POST /api/contacts '{}'
empty_is 400 'POST without jid: 400'
as alice POST /api/contacts '{"jid":'
empty_is 400 'POST invalid JSON: 400'
as alice -t text/plain POST /api/contacts '{"jid":"kate@localhost"}'
empty_is 415 'POST as text/plain: 415'
as alice PUT /api/contacts/bob@localhost '{"action":"befriend"}'
empty_is 501 'unknown action: 501'
as alice PUT /api/contacts/kate@localhost '{"action":"invite"}'
empty_is 404 'invite a JID not in the roster: 404'
as alice PUT /api/contacts/kate@localhost '{"action":"accept"}'
empty_is 404 'accept a JID not in the roster: 404'
as alice PUT /api/contacts/bob@localhost '{}'
empty_is 501 'PUT without action, contact in the roster: 501 (catch-all)'
as alice PUT /api/contacts/bob@localhost '{"action":5}'
empty_is 501 'PUT with a non-string action: 501'
as alice PUT /api/contacts/kate@localhost '{}'
empty_is 404 'PUT without action, not in the roster: 404'
as alice PUT /api/contacts/kate@localhost '{"action":"befriend"}'
empty_is 404 'unknown action, not in the roster: 404'
as alice PUT /api/contacts/bob@localhost '{"action":"invite","jid":5}'
empty_is 400 'PUT with a non-string jid: 400'
as alice PUT /api/contacts/bob@localhost '{"action":"invite","jid":"kate@localhost"}'
empty_is 404 'a jid in the body wins over the path'
as alice DELETE /api/contacts/kate@localhost
empty_is 404 'DELETE a JID not in the roster: 404'
unchanged 'refused contact changes'

# --- alice asks bob, bob accepts -----------------------------------------------------
as alice PUT /api/contacts/bob@localhost '{"action":"invite"}'
empty_is 204 'invite: 204'
as alice GET /api/contacts
reply_is 200 '[{"jid":"bob@localhost","subscription":"none","ask":"out"}]' \
    'invite: ask becomes out'
as bob GET /api/contacts
reply_is 200 '[{"jid":"alice@localhost","subscription":"none","ask":"in"}]' \
    'bob sees the pending request: ask in'
digest=$(client_digest)
as alice PUT /api/contacts/bob@localhost '{"action":"invite"}'
empty_is 204 'inviting again: 204'
unchanged 'a second invitation'
as bob PUT /api/contacts/alice@localhost '{"action":"accept"}'
empty_is 204 'accept: 204'
as alice GET /api/contacts
reply_is 200 '[{"jid":"bob@localhost","subscription":"to","ask":"none"}]' \
    'after approval alice has subscription to, ask none'
as bob GET /api/contacts
reply_is 200 '[{"jid":"alice@localhost","subscription":"from","ask":"none"}]' \
    'and bob has from'
as bob PUT /api/contacts/alice@localhost '{"action":"invite"}'
empty_is 204 'bob asks back'
as alice GET /api/contacts
reply_is 200 '[{"jid":"bob@localhost","subscription":"to","ask":"in"}]' \
    'alice: to, ask in'
as alice PUT /api/contacts/x '{"action":"accept","jid":"bob@localhost"}'
empty_is 204 'alice accepts (jid from the body)'
as alice GET /api/contacts
reply_is 200 '[{"jid":"bob@localhost","subscription":"both","ask":"none"}]' \
    'alice: both'
as bob GET /api/contacts
reply_is 200 '[{"jid":"alice@localhost","subscription":"both","ask":"none"}]' \
    'bob: both'
digest=$(client_digest)
as bob PUT /api/contacts/alice@localhost '{"action":"accept"}'
empty_is 204 'accept with nothing pending: 204'
unchanged 'accept with nothing pending'

# --- a contact elsewhere, and asks both ways ---------------------------------------------
as kate POST /api/contacts '{"jid":"friend@remote.example"}'
as kate PUT /api/contacts/friend@remote.example '{"action":"invite"}'
empty_is 204 'invite a contact elsewhere: 204'
as kate POST /api/contacts '{"jid":"alice@localhost"}'
as alice POST /api/contacts '{"jid":"kate@localhost"}'
as alice PUT /api/contacts/kate@localhost '{"action":"invite"}'
empty_is 204 'alice invites kate, who has her in the roster'
as kate PUT /api/contacts/alice@localhost '{"action":"invite"}'
as kate GET /api/contacts
reply_is 200 '[{"jid":"friend@remote.example","subscription":"none","ask":"out"},{"jid":"alice@localhost","subscription":"none","ask":"both"}]' \
    'pending both ways: ask both'

# --- removal ------------------------------------------------------------------------------
as alice DELETE /api/contacts/bob@localhost
empty_is 204 'DELETE /contacts/{jid}: 204'
as alice GET /api/contacts
reply_is 200 '[{"jid":"kate@localhost","subscription":"none","ask":"both"}]' \
    "bob is gone from alice's roster"
as bob GET /api/contacts
reply_is 200 '[{"jid":"alice@localhost","subscription":"none","ask":"none"}]' \
    "bob's item loses every subscription"
as alice DELETE /api/contacts/bob@localhost
empty_is 404 'DELETE again: 404'
as kate DELETE /api/contacts '{"to_delete":["alice@localhost","friend@remote.example"]}'
reply_is 200 '{"not_deleted":[]}' 'bulk DELETE: 200, nothing left behind'
as kate GET /api/contacts
reply_is 200 '[]' 'the roster is empty'
as alice GET /api/contacts
reply_is 200 '[{"jid":"kate@localhost","subscription":"none","ask":"none"}]' \
    "kate's removal cancelled alice's ask too"
as alice DELETE /api/contacts '{"to_delete":["kate@localhost","nobody@localhost","not a jid"]}'
reply_is 200 '{"not_deleted":["nobody@localhost","not a jid"]}' \
    'bulk DELETE lists what was not in the roster'
digest=$(client_digest)
as bob DELETE /api/contacts '{"to_delete":"alice@localhost"}'
empty_is 400 'to_delete not a list: 400'
as bob DELETE /api/contacts '{"to_delete":["alice@localhost",3]}'
empty_is 400 'a non-string in to_delete: 400'
as bob DELETE /api/contacts '{}'
empty_is 400 'no to_delete: 400'
as bob DELETE /api/contacts 'nope'
empty_is 400 'bulk DELETE with invalid JSON: 400'
unchanged 'refused bulk deletes'
as bob GET /api/contacts
reply_is 200 '[{"jid":"alice@localhost","subscription":"none","ask":"none"}]' \
    'the refused bulk deletes removed nothing'

# --- both sides at once ------------------------------------------------------------------
register carol
register dan
as carol POST /api/contacts '{"jid":"dan@localhost"}'
as dan POST /api/contacts '{"jid":"carol@localhost"}'
# par ACTION: carol and dan each send it to the other 4 times, all at once
par() {
	_i=0
	while [ $_i -lt 8 ]; do
		if [ $((_i % 2)) = 0 ]; then _w=carol _o=dan; else _w=dan _o=carol; fi
		( _req_n=$((3000 + _i)); as $_w PUT /api/contacts/$_o@localhost \
		    "{\"action\":\"$1\"}"; echo "$STATUS" >"$TEST_TMP/par.$1.$_i" ) &
		_i=$((_i + 1))
	done
	wait
	cat "$TEST_TMP"/par.$1.* | sort | uniq -c | tr -s ' '
}
is "$(par invite)" ' 8 204' 'concurrent invitations both ways: all 204, no deadlock'
as carol GET /api/contacts
reply_is 200 '[{"jid":"dan@localhost","subscription":"none","ask":"both"}]' \
    'carol: asked and asked (ask both)'
is "$(par accept)" ' 8 204' 'concurrent acceptances both ways: all 204'
as carol GET /api/contacts
reply_is 200 '[{"jid":"dan@localhost","subscription":"both","ask":"none"}]' 'carol: both'
as dan GET /api/contacts
reply_is 200 '[{"jid":"carol@localhost","subscription":"both","ask":"none"}]' 'dan: both'

done_testing
