#!/bin/sh
# Faults under load (tests/hardening/fault.py): senders post through two
# chatrest-client FastCGI workers while PostgreSQL restarts and workers
# are SIGKILLed, retrying with the same Idempotency-Key when an answer is
# lost or a 5xx.  Afterwards every message is acknowledged, and present
# exactly once (one copy for the sender, one for the recipient) with the
# id it was acknowledged with.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

command -v python3 >/dev/null 2>&1 || skip_all 'no python3'
export PYTHONDONTWRITEBYTECODE=1
SENDERS=4 SECONDS=6
{ cat "$CHATREST_CONFIG"
  # uncached password checks in flight count against the limit
  printf '[auth]\nfail_limit = 1000\n'; } >"$TEST_TMP/fault.conf"
chmod 640 "$TEST_TMP/fault.conf"
export CHATREST_CONFIG="$TEST_TMP/fault.conf"
for u in alice bob; do register $u; done

PG_CTL=$TEST_PG_CTL python3 "$top_srcdir/tests/hardening/fault.py" \
    "$top_builddir" "$TEST_TMP" $SENDERS $SECONDS >"$TEST_TMP/fault.out" \
    2>&1 || { cat "$TEST_TMP/fault.out"; bail_out 'fault.py failed'; }
sed 's/^/# /; s/^# # /# /' "$TEST_TMP/fault.out"
read -r kills restarts retries total <"$TEST_TMP/fault.stats"
ok "faults happened under load ($kills kills, $restarts restarts, $retries retries)" \
    test "$kills" -ge 2 -a "$restarts" -ge 1
is "$(wc -l <"$TEST_TMP/acked" | tr -d ' ')" $total \
    "all $total messages started were acknowledged"
# body, owner, mid of every copy, against what was acknowledged
psql_q "select c.body || ' ' || u.localpart || ' ' || c.mid from chat_archive c
    join users u on u.id = c.owner_id where c.body like 'fault-%'
    order by 1" >"$TEST_TMP/stored"
is "$(grep -c ' alice ' "$TEST_TMP/stored")" $total \
    'the sender has exactly one copy of each'
is "$(grep -c ' bob ' "$TEST_TMP/stored")" $total \
    'so has the recipient'
sed 's/ {"id":"\(.*\)"}$/ \1/' "$TEST_TMP/acked" | sort >"$TEST_TMP/acked.ids"
sed -n 's/^\([^ ]*\) alice \(.*\)$/\1 \2/p' "$TEST_TMP/stored" | sort \
    >"$TEST_TMP/stored.ids"
ok 'each stored with the id it was acknowledged with' \
    cmp -s "$TEST_TMP/acked.ids" "$TEST_TMP/stored.ids"
is "$(awk '{print $1}' "$TEST_TMP/stored.ids" | sort | uniq -d | wc -l | tr -d ' ')" 0 \
    'no message stored twice'
done_testing
