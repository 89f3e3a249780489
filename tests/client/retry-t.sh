#!/bin/sh
# chatrest-client after a deadlock or serialization failure: PostgreSQL
# rolls the transaction back, and the request runs once more before it
# gets 503.  Failures are injected by triggers that raise the SQLSTATE
# while a sequence (not rolled back with them) is below a count.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

for u in alice bob; do register $u; done

psql_q "create sequence inject_seq;
create table inject (state text, times int);
insert into inject values ('40P01', 0);
create function inject() returns trigger language plpgsql as \$\$
declare i inject;
begin
	select * into i from inject;
	if nextval('inject_seq') <= i.times then
		raise exception 'injected' using errcode = i.state;
	end if;
	return new;
end \$\$;
create trigger inject before insert on room_archive
	for each row execute function inject();
create trigger inject before insert on chat_archive
	for each row execute function inject();" >/dev/null

fail_next() {	# SQLSTATE TIMES: the next TIMES archive inserts fail
	psql_q "update inject set state = '$1', times = $2;
	    select setval('inject_seq', 1, false)" >/dev/null
}

as alice PUT /api/rooms/r '{"name":"n","subject":"s"}'
reply_is 201 '{"id":"r"}' 'a room'

fail_next 40P01 1
as alice POST /api/rooms/r/users '{"user":"bob@localhost"}'
empty_is 204 'invite (a transaction) meets a deadlock once: 204'
as alice GET /api/rooms/r/messages
json_is 200 '[{"type":"affiliation","from":"r@muclight.localhost","id":"UUID","timestamp":TS,"user":"bob@localhost","affiliation":"member"}]' \
    'one affiliation item, not two'
as alice GET /api/rooms/r
reply_is 200 '{"name":"n","subject":"s","participants":[{"user":"alice@localhost","role":"owner"},{"user":"bob@localhost","role":"member"}]}' \
    'bob is a member once'

fail_next 40001 1
as bob POST /api/rooms/r/messages '{"body":"again"}'
json_is 200 '{"id":"UUID"}' 'room post meets a serialization failure once: 200'
fail_next 40P01 1
as bob POST /api/messages '{"to":"alice@localhost","body":"hello"}'
json_is 200 '{"id":"UUID"}' 'one-to-one send meets a deadlock once: 200'
is "$(psql_q "select count(*) from room_archive where body = 'again'")|$(psql_q "select count(*) from chat_archive where body = 'hello'")" \
    '1|2' 'each message archived once (the chat one for both parties)'

digest=$(client_digest)
fail_next 40P01 2
as bob POST /api/rooms/r/messages '{"body":"twice"}'
empty_is 503 'a deadlock on the second run too: 503'
is "$(header Retry-After)" 5 '503 carries Retry-After'
fail_next 40P01 2
as alice DELETE /api/rooms/r/users/bob@localhost
empty_is 503 'removal deadlocks twice: 503'
is "$(client_digest)" "$digest" 'nothing written by the failed requests'
fail_next 40P01 0
as bob GET /api/rooms/r/messages
is "$STATUS $(printf '%s' "$BODY" | grep -o '"body":"[a-z]*"' | tr '\n' ' ')" \
    '200 "body":"again" ' 'bob is still a member and reads one message'

done_testing
