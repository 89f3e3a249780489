#!/bin/sh
# The README's shell examples, run in order as one session against a fresh
# scripts/serve, each compared with the output the README shows
# (tests/ops/doctest.py); then each manual page's EXAMPLES the same way.
# The README's own ". .state/env" is the environment of every session.
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all 'python3 not installed'
command -v lighttpd >/dev/null 2>&1 || [ -x /usr/sbin/lighttpd ] ||
	skip_all 'lighttpd not installed'
[ "$top_srcdir" -ef "$top_builddir" ] ||
	skip_all 'scripts/serve serves an in-tree build only'

state=$TEST_TMP/state
port=$(free_port)
"$top_srcdir/scripts/serve" --port "$port" --admin-port "$(free_port)" \
    --state "$state" \
    >"$TEST_TMP/serve.out" 2>&1 &
serve=$!
trap 'kill -TERM $serve 2>/dev/null; wait $serve 2>/dev/null' EXIT
i=0
until grep -q '^chatrest is serving' "$TEST_TMP/serve.out"; do
	i=$((i + 1))
	if [ $i -gt 1200 ] || ! kill -0 $serve 2>/dev/null; then
		echo "Bail out! scripts/serve did not start"
		sed 's/^/# /' "$TEST_TMP/serve.out"
		exit 1
	fi
	sleep 0.1
done

# The README's commands run in a checkout-like directory whose .state is
# this test's state directory.
mkdir -p "$TEST_TMP/session"
ln -s "$state" "$TEST_TMP/session/.state"
cd "$TEST_TMP/session" || exit 1
# Nothing of the test's own environment may help the examples along. The
# README's session starts from its own ". .state/env"; the manual pages'
# from the same environment, each after the tables are emptied.
reset="psql -XAtq -h '$state/run' -U postgres -d chatrest -f '$top_srcdir/tests/ops/reset.sql'"
[ "$(id -u)" != 0 ] || [ -S "$state/run/.s.PGSQL.5432" ] ||
	skip_all 'scripts/serve keeps its cluster outside the test directory'
set --
for p in "$top_srcdir"/man/*.[578]; do
	grep -q '^\.Sh EXAMPLES' "$p" && set -- "$@" mdoc "$p"
done
# not exec: the EXIT trap must still stop scripts/serve
rc=0
env -u CHATREST_CONFIG -u PGHOST -u PGUSER -u PGDATABASE \
    python3 "$top_srcdir/tests/ops/doctest.py" --env "$state/env" \
    --reset "$reset" markdown "$top_srcdir/README.md" "$@" || rc=$?
exit "$rc"
