#!/bin/sh
# The live-event log as the archive triggers write it (sql/008, 015):
# who gets a room message (not a member blocking the sender), who gets an
# affiliation change (the removed user too, blocks or not), the rows and
# the notifications, one-to-one copies, ids per recipient consecutive
# after concurrent posts to overlapping rooms, and a deleted user's events
# going with the account.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

plan 24

for u in alice bob carol dave erin frank; do register $u; done
uid() { psql_q "select id from users where localpart = '$1'"; }
A=$(uid alice) B=$(uid bob) C=$(uid carol) D=$(uid dave) E=$(uid erin)
F=$(uid frank)

# events LOCAL: the user's events, "eid|name|room_host|data" a line, in
# id order, UUIDs and times normalised.
events() {
	psql_q "select string_agg(e.eid || '|' || e.name || '|' ||
	    coalesce(e.room_host, '-') || '|' || e.data::text, '
' order by e.eid) from events e where e.user_id = $(uid "$1")" | sed -E \
	    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/UUID/g' \
	    -e 's/("timestamp" ?: ?)[0-9]{16}/\1TS/g'
}
head_of() { psql_q "select coalesce(chatrest_event_head($(uid "$1")), 0)"; }
# id_gaps: "<ids that do not follow the one before> <heads not at the
# newest id>", over every user; "0 0" when each runs 1, 2, 3 ... to its head.
id_gaps() {
	echo "$(psql_q "select count(*) from (select user_id, eid, lag(eid)
	    over (partition by user_id order by eid) prev from events) t
	    where eid <> coalesce(prev, 0) + 1") $(psql_q "select count(*)
	    from event_heads h where chatrest_event_head(h.user_id) <>
	    coalesce((select max(eid) from events e
	    where e.user_id = h.user_id), 0)")"
}

# listening LOCAL ROOM BODY: post BODY to ROOM as LOCAL while a session
# LISTENs; the payloads it was told of, sorted, space-separated.
cat >"$TEST_TMP/post.sh" <<'EOF'
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"
REQ_PREFIX=post-$$
as "$1" POST "/api/rooms/$2/messages" "{\"body\":\"$3\"}"
[ "$STATUS" = 200 ] || echo "post: $STATUS $BODY" >&2
EOF
listening() {
	printf 'LISTEN chatrest_events;\n\\! sh %s %s %s "%s"\nSELECT 1;\n' \
	    "$TEST_TMP/post.sh" "$1" "$2" "$3" | psql -XAtq 2>&1 |
	    sed -n 's/^Asynchronous notification "chatrest_events" with payload "\([^"]*\)".*/\1/p' |
	    sort -n | tr '\n' ' ' | sed 's/ $//'
}

# room ra: alice (owner), bob, carol, dave, erin; carol blocks bob, erin
# blocks dave.  room rb: bob, carol, erin, frank.
as alice PUT /api/rooms/ra '{"name":"a","subject":"s"}'
for u in bob carol dave erin; do
	as alice POST /api/rooms/ra/users "{\"user\":\"$u@localhost\"}"
done
as bob PUT /api/rooms/rb '{"name":"b","subject":"s"}'
for u in carol erin frank; do
	as bob POST /api/rooms/rb/users "{\"user\":\"$u@localhost\"}"
done
psql_q "insert into blocks (user_id, blocked_host, blocked_local) values
    ($C, 'localhost', 'bob'), ($E, 'localhost', 'dave')"
is "$(head_of alice) $(head_of bob) $(head_of carol) $(head_of dave) $(head_of erin) $(head_of frank)" \
    "4 7 6 2 3 1" "setup: each member change is an event to the members after it"

# --- a room message: every member but the one blocking the sender ----------
h_a=$(head_of alice) h_b=$(head_of bob) h_c=$(head_of carol)
h_d=$(head_of dave) h_e=$(head_of erin)
is "$(listening bob ra 'hello room')" \
    "$(printf '%s %s\n' $A $((h_a + 1)) $B $((h_b + 1)) $C $h_c \
    $D $((h_d + 1)) $E $((h_e + 1)) | sort -n | tr '\n' ' ' |
    sed 's/ $//')" \
    "room message: each member's newest id announced after the commit (carol, who blocks bob, unchanged)"
MSG='room.message|-|{"type":"message","timestamp":TS,"room":"ra","id":"UUID","from":"bob@localhost","body":"hello room"}'
is "$(events alice | tail -n 1)" "$((h_a + 1))|$MSG" \
    "room message: alice's row (no room_host, nulls stripped)"
is "$(events bob | tail -n 1)" "$((h_b + 1))|$MSG" \
    "room message: the sender's own copy"
is "$(head_of carol) $(psql_q "select count(*) from events
    where user_id = $C and data::text like '%hello room%'")" "$h_c 0" \
    "room message: carol, who blocks bob, gets nothing and keeps her head"
is "$(events dave | tail -n 1)|$(events erin | tail -n 1)" \
    "$((h_d + 1))|$MSG|$((h_e + 1))|$MSG" \
    "room message: dave and erin"

# --- an affiliation change: the members after it, and the removed user -----
h_a=$(head_of alice) h_b=$(head_of bob) h_c=$(head_of carol)
h_d=$(head_of dave) h_e=$(head_of erin) h_f=$(head_of frank)
as alice DELETE /api/rooms/ra/users/dave@localhost
is "$STATUS" 204 "removing dave: 204"
AFF='room.message|localhost|{"user" : "dave@localhost", "type" : "affiliation", "timestamp" : TS, "room" : "ra", "id" : "UUID", "affiliation" : "none"}'
is "$(events alice | tail -n 1)
$(events bob | tail -n 1)
$(events carol | tail -n 1)
$(events erin | tail -n 1)" "$((h_a + 1))|$AFF
$((h_b + 1))|$AFF
$((h_c + 1))|$AFF
$((h_e + 1))|$AFF" \
    "affiliation: every remaining member, erin too though she blocks dave"
is "$(events dave | tail -n 1)" "$((h_d + 1))|$AFF" \
    "affiliation: the removed user gets it"
is "$(head_of frank)" "$h_f" "affiliation: nobody outside the room"

# --- one-to-one: the recipient's copy only, and a note to self once -------
h_a=$(head_of alice) h_b=$(head_of bob) h_c=$(head_of carol)
as alice POST /api/messages '{"to":"bob@localhost","body":"hi bob"}'
as alice POST /api/messages '{"to":"alice@localhost","body":"note"}'
as bob POST /api/messages '{"to":"carol@localhost","body":"blocked"}'
is "$(events bob | tail -n 1)" \
    "$((h_b + 1))|message|-|{\"to\" : \"bob@localhost\", \"timestamp\" : TS, \"id\" : \"UUID\", \"from\" : \"alice@localhost\", \"body\" : \"hi bob\"}" \
    "one-to-one: the recipient's event"
is "$(events alice | tail -n 1)" \
    "$((h_a + 1))|message|-|{\"to\" : \"alice@localhost\", \"timestamp\" : TS, \"id\" : \"UUID\", \"from\" : \"alice@localhost\", \"body\" : \"note\"}" \
    "one-to-one: the sender gets no copy of hi bob, and one of a note to self"
is "$(head_of carol)" "$h_c" "one-to-one: a blocked sender's message makes no event"

# --- concurrent posters to overlapping rooms --------------------------------
# Four posters at once, 5 posts each: bob and carol to ra, erin and
# frank to rb (carol, erin and bob are in both).
for p in bob:ra carol:ra erin:rb frank:rb; do
	(
		REQ_PREFIX=c-${p%%:*}
		n=0 bad=0
		while [ $n -lt 5 ]; do
			as "${p%%:*}" POST "/api/rooms/${p#*:}/messages" \
			    "{\"body\":\"c$n\"}"
			[ "$STATUS" = 200 ] || bad=$((bad + 1))
			n=$((n + 1))
		done
		echo $bad >"$TEST_TMP/bad.${p%%:*}"
	) &
done
wait
is "$(cat "$TEST_TMP/bad.bob" "$TEST_TMP/bad.carol" "$TEST_TMP/bad.erin" \
    "$TEST_TMP/bad.frank" | tr '\n' ' ')" "0 0 0 0 " \
    "concurrent posts: all 20 answered 200 (no deadlock, no error)"
# From ra (alice bob carol erin; carol blocks bob): alice 10, bob 10,
# carol 5, erin 10; from rb (bob carol erin frank): 10 each.
is "$(psql_q "select string_agg(u.localpart || ':' || n, ' ' order by u.id)
    from (select user_id, count(*) n from events
    where data->>'body' ~ '^c[0-9]$' group by user_id) e
    join users u on u.id = e.user_id")" \
    "alice:10 bob:20 carol:15 erin:20 frank:10" \
    "concurrent posts: each recipient got each post it should"
is "$(id_gaps)" "0 0" \
    "concurrent posts: every user's ids run 1, 2, 3 ... up to its head"

# Harder: 8 connections, 400 posts to both rooms from four senders at
# once, straight into the archive (the triggers are what is under test).
ra=$(psql_q "select id from rooms where rid = 'ra'")
rb=$(psql_q "select id from rooms where rid = 'rb'")
for p in bob:$ra carol:$ra carol:$rb erin:$rb; do
	printf "INSERT INTO room_archive (room_id, ts, mid, kind, user_host, user_local, body) VALUES (%s, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint, gen_random_uuid(), 'message', 'localhost', '%s', 'p');\n" \
	    "${p#*:}" "${p%%:*}" >"$TEST_TMP/pgb-${p%%:*}-${p#*:}.sql"
done
"$TEST_PGBIN/pgbench" -n -c 8 -j 2 -t 50 $(for f in "$TEST_TMP"/pgb-*.sql; do
    printf ' -f %s' "$f"; done) >"$TEST_TMP/pgbench.out" 2>&1
is "$?:$(sed -n 's/^number of transactions actually processed: //p' \
    "$TEST_TMP/pgbench.out")" "0:400/400" \
    "8 connections: 400 posts, none failed (no deadlock)"
is "$(psql_q "select count(*) from events where data->>'body' = 'p'")" \
    "$(psql_q "select count(*) from room_archive a
    join room_members m on m.room_id = a.room_id
    where a.body = 'p' and not exists (select 1 from blocks b
    where b.user_id = m.user_id and b.blocked_host = a.user_host
    and b.blocked_local = a.user_local)")" \
    "8 connections: one event per post and member not blocking its sender"
is "$(id_gaps)" "0 0" \
    "8 connections: every user's ids still run 1, 2, 3 ... up to its head"

# --- pruning keeps ids counting ----------------------------------------------
# dave's events, and all but bob's newest, an hour and a half old.
h_d=$(head_of dave) h_b=$(head_of bob)
psql_q "update events set ts = ts - 5400000000 where user_id = $D
    or (user_id = $B and eid < $h_b)" >/dev/null
n=$(psql_q "select count(*) from events where ts < (extract(epoch from now())
    - 3600) * 1000000")
is "$(psql_q "select chatrest_events_prune(3600)") $(psql_q "select count(*)
    from events where user_id in ($D, $B)")" "$n 1" \
    "pruning: the old events go (how many is the answer), bob's newest stays"
is "$(head_of dave) $(head_of bob)" "$h_d $h_b" \
    "pruning: the newest ids stay, events or not"
as alice POST /api/messages '{"to":"dave@localhost","body":"after"}'
as alice POST /api/messages '{"to":"bob@localhost","body":"after"}'
is "$(psql_q "select string_agg(eid::text, ' ' order by user_id) from events
    where data->>'body' = 'after'")" "$((h_b + 1)) $((h_d + 1))" \
    "pruning: the next events count on from there"

# --- a user without a head (made behind the triggers' back) ----------------
psql_q "set session_replication_role = replica;
    insert into users (localpart, host, password_hash)
    select 'gina', 'localhost', password_hash from users
    where localpart = 'alice'" >/dev/null
as alice POST /api/messages '{"to":"gina@localhost","body":"hi gina"}'
is "$STATUS $(psql_q "select string_agg(eid::text, ' ') from events
    where user_id = $(uid gina)") $(head_of gina)" "200 1 1" \
    "no head yet: the first event makes it, id 1"

# --- a deleted account takes its events with it ------------------------------
psql_q "delete from users where localpart = 'frank'" >/dev/null
is "$(psql_q "select count(*) from events where user_id = $F")/$(psql_q \
    "select count(*) from event_heads where user_id = $F")" "0/0" \
    "deleting a user removes its head and its events"

done_testing
