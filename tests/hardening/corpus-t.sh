#!/bin/sh
# The bad-input corpus (tests/hardening/corpus.py): at least 1,500 hostile
# requests over every route of every executable, run as FastCGI servers.
# Every answer a 4xx in the API's shape, no 5xx, no injected header, no
# sanitizer report, and the database unchanged (but for the counters that
# failures are meant to change: guessing limits, the admin audit trail and
# last-seen times).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

command -v python3 >/dev/null 2>&1 || skip_all 'no python3'
export PYTHONDONTWRITEBYTECODE=1
WEB_KEY=web-api-key-0123456789abcdef0123456789
export WEB_KEY REGISTER_KEY ADMIN_KEY
{ cat "$CHATREST_CONFIG"; printf '[web]\napi_key = %s\n' "$WEB_KEY"
  printf 'jwt_secret = %s\n' "jwt-secret-0123456789abcdef0123456789"; } \
    >"$TEST_TMP/corpus.conf"
chmod 640 "$TEST_TMP/corpus.conf"
export CHATREST_CONFIG="$TEST_TMP/corpus.conf"

for u in alice bob admin; do register $u; done
as alice PUT /api/rooms/r1 '{"name":"r","subject":"s"}' >/dev/null
as alice POST /api/messages '{"to":"bob@localhost","body":"before"}' >/dev/null

# digest: every table's rows, less what failures are meant to change
digest() {
	_q=$(psql_q "select string_agg(format('select %L || md5(coalesce(string_agg(x, %L order by x), %L)) from (select (to_jsonb(t) - %L)::text x from %I t) s', c.relname, ',', '', 'last_seen', c.relname), ' union all ' order by c.relname)
	    from pg_class c join pg_namespace n on n.oid = c.relnamespace
	    where n.nspname = 'public' and c.relkind = 'r'
	    and c.relname not in ('auth_throttle', 'admin_audit')")
	psql_q "$_q" | sort
}
before=$(digest)
t0=$(date +%s)
python3 "$top_srcdir/tests/hardening/corpus.py" "$top_builddir" "$TEST_TMP" \
    >"$TEST_TMP/corpus.tap" 2>"$TEST_TMP/corpus.stderr" ||
    { cat "$TEST_TMP/corpus.stderr"; bail_out 'corpus.py failed'; }
t1=$(date +%s)
# renumber corpus.py's two results after ours
sed -n 's/^\(not ok\|ok\) [0-9]* - \(.*\)$/\1|\2/p' "$TEST_TMP/corpus.tap" |
while IFS='|' read -r res name; do
	echo "$res|$name"
done >"$TEST_TMP/corpus.res"
while IFS='|' read -r res name; do
	if [ "$res" = ok ]; then _tap_result 0 "$name"
	else _tap_result 1 "$name" || :; fi
done <"$TEST_TMP/corpus.res"
grep '^#' "$TEST_TMP/corpus.tap" || :
diag "$(cut -d' ' -f1 "$TEST_TMP/corpus.count") requests in $((t1 - t0)) s"
is "$(digest)" "$before" 'the database is unchanged'
ok 'no sanitizer report, no crash in any executable' \
    sh -c '! grep -l "AddressSanitizer\|runtime error\|LeakSanitizer\|Segmentation" "$@"' \
    sh "$TEST_TMP"/chatrest-*.err
ok 'no log line holds a key or password' \
    sh -c 'a=$0 r=$1; shift; ! grep -l -e "$a" -e "$r" -e pw-alice "$@"' \
    "$ADMIN_KEY" "$REGISTER_KEY" "$TEST_TMP"/chatrest-*.err
done_testing
