#!/bin/sh
# Concurrent writers: replacements of a blocklist (BareRTC POST
# /api/blocklist and admin set_blocklist) end in one of the submitted
# lists, never a mix; so do vCard fields; room configs end in one
# submitted config; a member
# removed, or a room destroyed, while posts race in gets no post in after
# the removal and never a 5xx.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

WEBKEY=web-api-key-0123456789abcdef0123456789
{ cat "$CHATREST_CONFIG"
  printf '[web]\napi_key = %s\n' "$WEBKEY"
  # uncached password checks in flight count against the limit
  printf '[auth]\nfail_limit = 1000\n'; } >"$TEST_TMP/race.conf"
chmod 644 "$TEST_TMP/race.conf"
export CHATREST_CONFIG="$TEST_TMP/race.conf"
for u in alice bob carol; do register $u; done
N=12

blocklist() {	# alice's blocklist, sorted, space-separated
	psql_q "select coalesce(string_agg(b.blocked_local || '@' ||
	    b.blocked_host, ' ' order by b.blocked_host, b.blocked_local), '')
	    from blocks b join users u on u.id = b.user_id
	    where u.localpart = 'alice'"
}
# list I: writer I's list, three names of its own plus one shared
list() {
	echo "w$1a w$1b w$1c shared"
}
sorted() {	# the localhost JIDs of list I as blocklist prints them
	for n in $(list "$1"); do echo "$n@localhost"; done | sort | tr '\n' ' ' |
	    sed 's/ $//'
}
one_of() {	# STATE: 0 when it is one writer's list
	_i=0
	while [ $_i -lt $N ]; do
		[ "$1" = "$(sorted $_i)" ] && return 0
		_i=$((_i + 1))
	done
	return 1
}

# --- BareRTC POST /api/blocklist ------------------------------------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-web CGI_MOUNT=/api
for round in 1 2; do
	i=0
	while [ $i -lt $N ]; do
		names=$(list $i | sed 's/\([^ ]*\)/"\1"/g; s/ /,/g')
		( REQ_PREFIX=web$round.$i; cgi POST /api/blocklist \
		    "{\"APIKey\":\"$WEBKEY\",\"Username\":\"alice\",\"Blocklist\":[$names]}"
		  echo "$STATUS" >"$TEST_TMP/st.web$round.$i" ) &
		i=$((i + 1))
	done
	wait
	is "$(cat "$TEST_TMP"/st.web$round.* | sort -u)" 200 \
	    "web round $round: $N concurrent replacements, all 200"
	state=$(blocklist)
	ok "web round $round: the end state is one submitted list" one_of "$state" ||
	    diag "end state: $state"
done

# --- admin set_blocklist ---------------------------------------------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-admin CGI_MOUNT=/api/admin
for round in 1 2; do
	i=0
	while [ $i -lt $N ]; do
		( REQ_PREFIX=adm$round.$i; cgi -a "Bearer $ADMIN_KEY" \
		    POST /api/admin/set_blocklist \
		    "{\"user\":\"alice\",\"host\":\"localhost\",\"blocklist\":\"$(list $i)\"}"
		  echo "$STATUS" >"$TEST_TMP/st.adm$round.$i" ) &
		i=$((i + 1))
	done
	wait
	is "$(cat "$TEST_TMP"/st.adm$round.* | sort -u)" 200 \
	    "admin round $round: $N concurrent set_blocklist, all 200"
	state=$(blocklist)
	ok "admin round $round: the end state is one submitted list" one_of "$state" ||
	    diag "end state: $state"
done

# --- admin set_vcard2_multi: a multi-valued vCard field -----------------------------
telset() {	# alice's TEL/NUMBER values, in order, space-separated
	psql_q "select coalesce(string_agg(f.value, ' ' order by f.idx), '')
	    from vcard_fields f join users u on u.id = f.user_id
	    where u.localpart = 'alice' and f.name = 'TEL'
	    and f.subname = 'NUMBER'"
}
tel_one_of() {	# STATE: 0 when it is one writer's values
	_i=0
	while [ $_i -lt $N ]; do
		[ "$1" = "$(list $_i)" ] && return 0
		_i=$((_i + 1))
	done
	return 1
}
i=0
while [ $i -lt $N ]; do
	vals=$(list $i | sed 's/\([^ ]*\)/"\1"/g; s/ /,/g')
	( REQ_PREFIX=vc$i; cgi -a "Bearer $ADMIN_KEY" \
	    POST /api/admin/set_vcard2_multi \
	    "{\"user\":\"alice\",\"host\":\"localhost\",\"name\":\"TEL\",\"subname\":\"NUMBER\",\"contents\":[$vals]}"
	  echo "$STATUS" >"$TEST_TMP/st.vc.$i" ) &
	i=$((i + 1))
done
wait
is "$(cat "$TEST_TMP"/st.vc.* | sort -u)" 200 \
    "$N concurrent set_vcard2_multi, all 200"
state=$(telset)
ok 'vCard: the end state is one submitted set of values' tel_one_of "$state" ||
    diag "end state: $state"

# --- room config: name and subject replaced together ----------------------------------
CGI_BIN=$top_builddir/cgi-bin/chatrest-client CGI_MOUNT=/api
as alice PUT /api/rooms/cfg '{"name":"n","subject":"s"}'
i=0
while [ $i -lt $N ]; do
	( REQ_PREFIX=cfg$i; as alice PUT /api/rooms/cfg/config \
	    "{\"name\":\"name$i\",\"subject\":\"subject$i\"}"
	  echo "$STATUS" >"$TEST_TMP/st.cfg.$i" ) &
	i=$((i + 1))
done
wait
is "$(cat "$TEST_TMP"/st.cfg.* | sort -u)" 204 "$N concurrent room configs: all 204"
like "$(psql_q "select name || '|' || subject from rooms where rid = 'cfg'")" \
    '^name([0-9]+)\|subject\1$' '... the end state is one submitted config'

# --- posting while removed, posting while the room is destroyed ---------------------------
for round in 1 2; do
	as alice PUT /api/rooms/busy$round '{"name":"b","subject":"s"}'
	as alice POST /api/rooms/busy$round/users '{"user":"bob@localhost"}'
	i=0
	while [ $i -lt $N ]; do
		( REQ_PREFIX=post$round.$i; as bob POST /api/rooms/busy$round/messages \
		    "{\"body\":\"p$i\"}"
		  echo "$STATUS" >"$TEST_TMP/st.post$round.$i" ) &
		[ $i = $((N / 2)) ] && if [ $round = 1 ]; then
			( REQ_PREFIX=rm$round; as alice DELETE \
			    /api/rooms/busy$round/users/bob@localhost ) &
		else
			( "$top_builddir/cgi-bin/chatrest-admin" destroy_room \
			    busy$round muclight.localhost >"$TEST_TMP/destroy.out" 2>&1
			  echo $? >"$TEST_TMP/destroy.rc" ) &
		fi
		i=$((i + 1))
	done
	wait
	ok "round $round: every post answered 200, 403 or 404, never 5xx" \
	    sh -c '! grep -qv "^\(200\|403\|404\)$" "$@"' sh "$TEST_TMP"/st.post$round.* ||
	    diag "answers: $(cat "$TEST_TMP"/st.post$round.* | sort | uniq -c | tr '\n' ' ')"
	n200=$(cat "$TEST_TMP"/st.post$round.* | grep -c '^200$') || :
	stored=$(psql_q "select count(*) from room_archive a join rooms r
	    on r.id = a.room_id where r.rid = 'busy$round' and a.kind = 'message'")
	if [ $round = 1 ]; then
		is "$stored" "$n200" 'removed mid-stream: every 200 is archived, nothing else'
		is "$(psql_q "select count(*) from room_archive a join rooms r
		    on r.id = a.room_id where r.rid = 'busy1' and a.kind = 'message'
		    and a.seq > (select max(seq) from room_archive b where
		    b.room_id = a.room_id and b.kind = 'affiliation'
		    and b.affiliation = 'none')")" 0 \
		    '... and no post lands after the removal'
	else
		is "$(cat "$TEST_TMP/destroy.rc")|$stored" '0|0' \
		    'destroyed mid-stream: the room and its posts are gone'
	fi
	diag "round $round: $n200 of $N posts accepted"
done
done_testing
