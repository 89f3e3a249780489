#!/bin/sh
# The archives partitioned by month (sql/014-a): a populated database
# converted by chatrest-admin migrate (rows, seq, keys, triggers kept),
# retention through delete_old_mam_messages dropping whole months and
# deleting inside the one that straddles the cut-off (exact counts), rows
# with no month landing in the default partition, and the months ahead
# made by migrate and by retention.
. "$top_srcdir/tests/lib.sh"

ADM=$top_builddir/cgi-bin/chatrest-admin
A=/api/admin
CGI_BIN=$ADM CGI_MOUNT=$A

sh_() {
	RC=0
	"$ADM" "$@" >"$TEST_TMP/sh.out" 2>"$TEST_TMP/sh.err" || RC=$?
	OUT=$(cat "$TEST_TMP/sh.out")
	ERR=$(cat "$TEST_TMP/sh.err")
}
ha() {
	cgi -a "Bearer $ADMIN_KEY" POST "$A/$1" "$2"
}
q() {
	psql_q "$1"
}
# The partitions of an archive, oldest first, months as pYYYYMM.
parts() {
	q "select string_agg(regexp_replace(c.relname, '^$1_', ''), ' '
	    order by c.relname = '$1_default', c.relname)
	    from pg_inherits i join pg_class c on c.oid = i.inhrelid
	    where i.inhparent = '$1'::regclass"
}
# pYYYYMM of the month n months from this one (UTC).
month() {
	q "select to_char(date_trunc('month', now() at time zone 'UTC')
	    + ($1) * interval '1 month', '\"p\"YYYYMM')"
}
# µs of the start of the month n months from this one, plus days.
ts_of() {
	q "select chatrest_archive_us(date_trunc('month',
	    now() at time zone 'UTC') + ($1) * interval '1 month'
	    + ($2) * interval '1 day')"
}
chat_row() {	# OWNER TS: an archived copy, as chatrest-client writes it
	q "insert into chat_archive (owner_id, ts, mid, from_host, from_local,
	    to_host, to_local, peer_host, peer_local, body)
	    select id, $2, gen_random_uuid(), 'localhost', 'bob', 'localhost',
	    'alice', 'localhost', 'bob', 'hi' from users
	    where localpart = '$1' returning tableoid::regclass"
}
room_row() {	# KIND TS
	q "insert into room_archive (room_id, ts, mid, kind, user_host,
	    user_local, body, affiliation)
	    select id, $2, gen_random_uuid(), '$1', 'localhost', 'alice',
	    case '$1' when 'message' then 'hi' end,
	    case '$1' when 'affiliation' then 'member' end from rooms
	    returning tableoid::regclass"
}

M0=$(month 0)
M1=$(month 1)
M2=$(month 2)

# --- a populated database converted ----------------------------------------
createdb -T template0 pre || bail_out "createdb pre"
mkdir "$TEST_TMP/sql-old"
for f in "$top_srcdir"/sql/0*.sql; do
	case $f in
	*/014-*) ;;
	*) cp "$f" "$TEST_TMP/sql-old/" ;;
	esac
done
PRE_CONF=$TEST_TMP/pre.conf
sed -e "s|dbname=chatrest|dbname=pre|" \
    -e "s|^migrations = .*|migrations = $TEST_TMP/sql-old|" \
    "$CHATREST_CONFIG" >"$PRE_CONF"
sh_ -c "$PRE_CONF" migrate
is "$RC" 0 'migrate a database to the schema before partitions'
sh_ -c "$PRE_CONF" register alice localhost pw-alice
sh_ -c "$PRE_CONF" register bob localhost pw-bob
PGDATABASE=pre q "insert into rooms (host, rid, name, subject)
    values ('localhost', 'r1', 'R', 'S')" >/dev/null
# two old months, the far past and a far future; rows and gaps in seq
PGDATABASE=pre q "insert into chat_archive (owner_id, ts, mid, from_host,
    from_local, to_host, to_local, peer_host, peer_local, body)
    select u.id, t, gen_random_uuid(), 'localhost', 'bob', 'localhost',
    'alice', 'localhost', 'bob', 'm' || t from users u,
    unnest(array[1704067200000000, 1704067200000001, 1706745600000000,
    0, 4102444800000000]) t where u.localpart = 'alice' order by t" >/dev/null
PGDATABASE=pre q "delete from chat_archive where ts = 1704067200000001" \
    >/dev/null
PGDATABASE=pre q "insert into room_archive (room_id, ts, mid, kind,
    user_host, user_local, body, affiliation)
    select r.id, t, gen_random_uuid(), k, 'localhost', 'alice',
    case k when 'message' then 'hi' end,
    case k when 'affiliation' then 'owner' end from rooms r,
    (values (1704067200000000, 'affiliation'), (1704067300000000, 'message'))
    v(t, k)" >/dev/null
DIGEST="select (select md5(string_agg(a::text, ',' order by seq))
    from chat_archive a) || (select md5(string_agg(a::text, ',' order by seq))
    from room_archive a)"
before=$(PGDATABASE=pre q "$DIGEST")
nevents=$(PGDATABASE=pre q "select count(*) from events")
cp "$top_srcdir"/sql/014-a-*.sql "$TEST_TMP/sql-old/"
sh_ -c "$PRE_CONF" migrate
is "$RC/$OUT" "0/applied $(basename "$top_srcdir"/sql/014-a-*.sql)" \
    'migrate converts the populated archives'
is "$(PGDATABASE=pre q "$DIGEST")" "$before" 'every row kept, seq and all'
is "$(PGDATABASE=pre parts chat_archive)" \
    "p202401 p202402 $M0 $M1 $M2 default" \
    'chat_archive: a month for each month with rows, three ahead, default'
is "$(PGDATABASE=pre parts room_archive)" "p202401 $M0 $M1 $M2 default" \
    'room_archive: the same'
is "$(PGDATABASE=pre q "select string_agg(ts::text, ' ' order by ts)
    from chat_archive_default")" '0 4102444800000000' \
    'the far past and the far future in the default partition'
is "$(PGDATABASE=pre q "select count(*) from events")" "$nevents" \
    'the copy fired no event'
PGDATABASE=pre q "insert into chat_archive (owner_id, ts, mid, from_host,
    from_local, to_host, to_local, peer_host, peer_local, body)
    select id, 1704067200000005, gen_random_uuid(), 'localhost', 'bob',
    'localhost', 'alice', 'localhost', 'bob', 'new' from users
    where localpart = 'alice' returning seq" >"$TEST_TMP/seq"
is "$(cat "$TEST_TMP/seq")" 6 'seq goes on after the last value the old table gave'
is "$(PGDATABASE=pre q "select count(*) from events")" $((nevents + 1)) \
    'the event trigger fires again'
PGDATABASE=pre q "insert into room_archive (room_id, ts, mid, kind,
    user_host, user_local, body) select id, 1704067400000000,
    gen_random_uuid(), 'message', 'localhost', 'alice', 'x' from rooms
    returning seq" >"$TEST_TMP/seq"
is "$(cat "$TEST_TMP/seq")" 3 'room_archive seq goes on'
is "$(PGDATABASE=pre q "select string_agg(conname, ' ' order by conname)
    from pg_constraint where conrelid in ('chat_archive'::regclass,
    'room_archive'::regclass)")" \
    'chat_archive_owner_id_fkey chat_archive_pkey room_archive_affiliation_check room_archive_kind_check room_archive_marker_type_check room_archive_pkey room_archive_room_id_fkey' \
    'keys and checks as before, by the same names'
is "$(PGDATABASE=pre q "select string_agg(indexrelid::regclass::text, ' '
    order by indexrelid::regclass::text) from pg_index where indrelid = 'chat_archive'::regclass")" \
    'chat_archive_peer chat_archive_peer_any chat_archive_pkey' \
    'chat_archive indexes as before'
sh_ -c "$PRE_CONF" unregister alice localhost
is "$(PGDATABASE=pre q "select count(*) from chat_archive")" 0 \
    'an account deleted: its archive goes with it (foreign key)'
sh_ -c "$PRE_CONF" migrate
is "$RC/$OUT" '0/database is up to date' 'migrate again: up to date'

# --- retention -------------------------------------------------------------
# Month -6 is wholly older than the cut-off (month -3, day 15), month -3
# straddles it.  Month -6's rows arrived before its partition: they wait
# in the default partition until the month is made.
for u in alice bob; do
	sh_ register $u localhost pw-$u
done
q "insert into rooms (host, rid, name, subject) values ('localhost', 'r1',
    'R', 'S')" >/dev/null
OLD=$(ts_of -6 1)
is "$(chat_row alice "$OLD")" chat_archive_default \
    'a row with no month yet lands in the default partition'
chat_row alice $((OLD + 1)) >/dev/null
chat_row bob $((OLD + 2)) >/dev/null
q "select chatrest_archive_partition('chat_archive', date_trunc('month',
    now() at time zone 'UTC') - interval '6 months')" >/dev/null
is "$(q "select count(*) from chat_archive_$(month -6)")/$(q "select count(*)
    from chat_archive_default")" 3/0 \
    'making its month moves them out of the default partition'
q "select chatrest_archive_partition(t, date_trunc('month',
    now() at time zone 'UTC') - interval '3 months')
    from unnest(array['chat_archive', 'room_archive']) t" >/dev/null
q "select chatrest_archive_partition('room_archive', date_trunc('month',
    now() at time zone 'UTC') - interval '6 months')" >/dev/null
chat_row alice "$(ts_of -3 1)" >/dev/null
chat_row alice "$(ts_of -3 2)" >/dev/null
chat_row alice "$(ts_of -3 25)" >/dev/null
chat_row alice 1000 >/dev/null
is "$(chat_row alice 4102444800000000)" chat_archive_default \
    'a row far in the future lands in the default partition'
chat_row alice "$(ts_of 0 0)" >/dev/null
room_row affiliation "$(ts_of -6 1)" >/dev/null
room_row message "$(ts_of -6 2)" >/dev/null
room_row message "$(ts_of -6 3)" >/dev/null
room_row affiliation "$(ts_of -3 1)" >/dev/null
room_row message "$(ts_of -3 2)" >/dev/null
room_row message "$(ts_of -3 25)" >/dev/null
DAYS=$(q "select floor(extract(epoch from now() - (date_trunc('month',
    now() at time zone 'UTC') - interval '3 months' + interval '15 days')
    at time zone 'UTC') / 86400)::int")
is "$(parts chat_archive)" "$(month -6) $(month -3) $M0 $M1 $M2 default" \
    'chat_archive months before retention'

ha delete_old_mam_messages "{\"type\":\"chat\",\"days\":$DAYS}"
reply_is 200 0 'delete_old_mam_messages chat'
like "$ERR" 'archive retention: 1 months dropped, 3 rows deleted' \
    'one month dropped; the straddling month and the far past deleted from'
is "$(parts chat_archive)" "$(month -3) $M0 $M1 $M2 default" \
    'the month wholly older is gone'
is "$(q "select string_agg(tableoid::regclass || ':' || ts, ' ' order by ts)
    from chat_archive")" \
    "chat_archive_$(month -3):$(ts_of -3 25) chat_archive_$M0:$(ts_of 0 0) chat_archive_default:4102444800000000" \
    'what is left: the newer days of the straddling month, this month, the future'
is "$(q "select count(*) from room_archive")" 6 'room archive untouched by type chat'

ha delete_old_mam_messages "{\"type\":\"groupchat\",\"days\":$DAYS}"
reply_is 200 0 'delete_old_mam_messages groupchat'
is "$(q "select string_agg(tableoid::regclass || ':' || kind || ':' || ts, ' '
    order by ts) from room_archive")" \
    "room_archive_$(month -6):affiliation:$(ts_of -6 1) room_archive_$(month -3):affiliation:$(ts_of -3 1) room_archive_$(month -3):message:$(ts_of -3 25)" \
    'room messages older than the cut-off gone, affiliation changes kept'
is "$(parts room_archive)" "$(month -6) $(month -3) $M0 $M1 $M2 default" \
    'room_archive keeps the old month, with its affiliation changes only'
ha delete_old_mam_messages "{\"type\":\"all\",\"days\":$DAYS}"
like "$ERR" 'archive retention: 0 months dropped, 0 rows deleted' \
    'again: nothing left to drop or delete'
is "$(q "select count(*) from room_archive")/$(q "select count(*)
    from chat_archive")" 3/3 'again: the rows stay'

# --- months ahead -------------------------------------------------------------
q "drop table chat_archive_$M2, room_archive_$M2" >/dev/null
is "$(chat_row bob "$(ts_of 2 3)")" chat_archive_default \
    'a month not made: its row waits in the default partition'
sh_ migrate
is "$(parts chat_archive)/$(parts room_archive)" \
    "$(month -3) $M0 $M1 $M2 default/$(month -6) $(month -3) $M0 $M1 $M2 default" \
    'migrate makes the months ahead again'
is "$(q "select tableoid::regclass from chat_archive where ts = $(ts_of 2 3)")" \
    "chat_archive_$M2" '... and the waiting row moves into its month'
q "drop table chat_archive_$M1" >/dev/null
ha delete_old_messages '{"days":36500}'
reply_is 200 0 'delete_old_messages'
is "$(parts chat_archive)" "$(month -3) $M0 $M1 $M2 default" \
    'every retention command makes the months ahead'

done_testing
