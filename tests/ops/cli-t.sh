#!/bin/sh
# Every executable's -h/--help and -V/--version without a configuration
# or a database; chatrest-admin help and status; and a FastCGI process
# started with a bad configuration that serves once the file is fixed.
. "$top_srcdir/tests/lib.sh"

exes=$(sed -n '/^cgibin_PROGRAMS/,/^$/p' "$top_srcdir/Makefile.am" |
    grep -o 'cgi-bin/chatrest-[a-z]*' | sed 's|cgi-bin/||')
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")
[ -n "$version" ] || bail_out 'no PACKAGE_VERSION in Makefile'

nocfg=$TEST_TMP/missing.conf
for e in $exes; do
	bin=$top_builddir/cgi-bin/$e
	for v in -V --version; do
		out=$(CHATREST_CONFIG=$nocfg PGHOST=/nonexistent "$bin" $v 2>&1)
		is "$?:$out" "0:$e $version" "$e $v without a config"
	done
	for h in -h --help; do
		out=$(CHATREST_CONFIG=$nocfg "$bin" $h 2>&1)
		is "$?" 0 "$e $h: exit 0"
		like "$out" "^usage: $e " "$e $h: usage line first"
		for w in '-c file' '-h, --help' '-V, --version' FastCGI CGI \
		    terminal "$e\\(8\\)"; do
			like "$out" "$w" "$e $h describes $w"
		done
	done
done
out=$(CHATREST_CONFIG=$nocfg "$top_builddir/cgi-bin/chatrest-register" -h)
like "$out" '-d data' 'request executables describe -d'
like "$out" '-u user:pass' '... and -u'

ADM=$top_builddir/cgi-bin/chatrest-admin
# --- help and status ---------------------------------------------------------
out=$(CHATREST_CONFIG=$nocfg "$ADM" help 2>&1)
is "$?" 0 'chatrest-admin help without a config: exit 0'
like "$out" '^  status  +whether chatrest and its database are up; in the shell, version, config' 'help lists status'
like "$out" '^  migrate ' 'help lists migrate'
out=$(CHATREST_CONFIG=$nocfg "$ADM" help status 2>&1)
is "$?" 0 'help status without a config'

out=$(CHATREST_CONFIG=$nocfg "$ADM" registered_users localhost 2>&1)
is "$?:$out" "2:chatrest-admin: $nocfg: No such file or directory" \
    'other commands still need the config'

out=$(CHATREST_CONFIG=$nocfg "$ADM" status 2>&1)
is "$?" 1 'status without a config: exit 1'
is "$out" "version:   chatrest $version
config:    $nocfg
chatrest-admin: status: $nocfg: No such file or directory" \
    'status without a config says why'

last=$(ls "$top_srcdir"/sql/[0-9][0-9][0-9]-*.sql | tail -n 1)
last=${last##*/}
out=$("$ADM" status 2>&1)
is "$?" 0 'status, migrated: exit 0'
is "$out" "version:   chatrest $version
config:    $CHATREST_CONFIG
hosts:     localhost example.org
database:  reachable
schema:    $last, up to date" 'status, migrated'

out=$("$ADM" -c "$CHATREST_CONFIG" status 2>&1)
like "$out" "^config:    $CHATREST_CONFIG\$" 'status names the -c file'

psql_q "delete from schema_migrations where version = '$last'" >/dev/null
out=$("$ADM" status 2>&1)
is "$?" 1 'status, one migration pending: exit 1'
like "$out" "schema:    .*, 1 migration pending" 'status counts the pending one'
like "$out" 'chatrest-admin: status: run chatrest-admin migrate' \
    '... and says what to do'
psql_q "insert into schema_migrations (version) values ('$last')" >/dev/null

sed 's|^conninfo = .*|conninfo = host=/nonexistent dbname=chatrest connect_timeout=2|' \
    "$CHATREST_CONFIG" >"$TEST_TMP/nodb.conf"
out=$("$ADM" -c "$TEST_TMP/nodb.conf" status 2>/dev/null)
is "$?" 1 'status, database down: exit 1'
like "$out" '^database:  unreachable$' 'status, database down: unreachable'

# --- a bad config is loaded again once fixed (FastCGI) -----------------------
if command -v cgi-fcgi >/dev/null 2>&1; then
	good=$TEST_TMP/good.conf
	cp "$CHATREST_CONFIG" "$good"
	bad=$TEST_TMP/reload.conf
	printf '[server]\nhosts = localhost\nbogus = 1\n' >"$bad"
	FCGI_SOCK=$TEST_TMP/reload.sock
	CHATREST_CONFIG=$bad cgi-fcgi -start -connect "$FCGI_SOCK" \
	    "$top_builddir/cgi-bin/chatrest-register" 1
	exe=$(readlink -f "$top_builddir/cgi-bin/chatrest-register")
	pid=
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$exe" ] || continue
		tr '\0' '\n' <"$p/environ" 2>/dev/null |
		    grep -qxF "CHATREST_CONFIG=$bad" && pid=${p#/proc/}
	done
	trap '[ -z "$pid" ] || kill -TERM "$pid" 2>/dev/null || :' EXIT
	CHATREST_CONFIG=$bad fcgi GET "/api/register/is_registered?username=a&host=localhost&key=$REGISTER_KEY"
	is "$STATUS" 503 'bad config: 503'
	CHATREST_CONFIG=$bad fcgi GET "/api/register/is_registered?username=a&host=localhost&key=$REGISTER_KEY"
	is "$STATUS" 503 'still 503 while the file is unchanged'
	cp "$good" "$bad"
	CHATREST_CONFIG=$bad fcgi GET "/api/register/is_registered?username=a&host=localhost&key=$REGISTER_KEY"
	reply_is 200 false 'the file fixed: the same process answers'
	ok 'the same process' kill -0 "$pid"
else
	skip 'config reload' 'cgi-fcgi not installed (libfcgi-bin)'
fi

done_testing
