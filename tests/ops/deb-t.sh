#!/bin/sh
# The Debian package, as an admin meets it (make check-package; as root on
# Debian 12): build it with dpkg-buildpackage from a copy of the tree,
# lintian without errors, install it with apt-get, follow README.Debian
# (database, config, migrate, mount the installed lighttpd snippet),
# register and log a user in through it, then remove and purge it.
# Changes the system (a package install): not part of make check.
. "$top_srcdir/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip_all 'needs root (dpkg -i)'
command -v dpkg-buildpackage >/dev/null 2>&1 ||
	skip_all 'dpkg-dev not installed'
# One run at a time on a machine: the package and /etc/chatrest are shared.
lock=/run/lock
[ -d "$lock" ] || lock=/tmp
exec 9>"$lock/chatrest-check-package.lock"
flock -w 1200 9 || bail_out "another make check-package holds $lock/chatrest-check-package.lock"
! dpkg-query -W -f='${Status}' chatrest 2>/dev/null | grep -q installed ||
	skip_all 'a chatrest package is already installed here'
# an install from source, or an admin's files: not ours to replace or purge
[ ! -e /etc/chatrest ] || skip_all '/etc/chatrest exists (not from the package)'
id www-data >/dev/null 2>&1 || skip_all 'no www-data user'

apt="env DEBIAN_FRONTEND=noninteractive apt-get -q -y
    -o DPkg::Lock::Timeout=600 --no-install-recommends"
src=$TEST_TMP/src/chatrest-0.1.0
mkdir -p "$src"
# the tree as it is (committed or not), without build products
if [ -e "$top_srcdir/.git" ]; then
	(cd "$top_srcdir" && git ls-files -co --exclude-standard -z |
	    xargs -0 tar cf -) | tar xf - -C "$src"
else
	(cd "$top_srcdir" && tar cf - --exclude='*.o' .) | tar xf - -C "$src"
fi

ok_quiet 'dpkg-buildpackage -us -uc -b' \
    sh -c "cd '$src' && dpkg-buildpackage -us -uc -b -j2"
deb=$(ls "$TEST_TMP"/src/chatrest_*.deb 2>/dev/null | head -n 1)
ok 'a .deb was built' test -f "$deb"
[ -f "$deb" ] || { done_testing; exit 1; }

if command -v lintian >/dev/null 2>&1; then
	# exit 1: an error or warning tag, or lintian itself failed
	lrc=0
	lintian --fail-on error,warning --display-info "$deb" \
	    >"$TEST_TMP/lintian.out" 2>&1 || lrc=$?
	is "$lrc" 0 'lintian: no errors, no warnings'
	sed 's/^/# /' "$TEST_TMP/lintian.out"
else
	skip 'lintian' 'lintian not installed'
fi

files=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|')
for f in /usr/libexec/chatrest/cgi-bin/chatrest-admin \
    /usr/libexec/chatrest/cgi-bin/chatrest-client \
    /usr/libexec/chatrest/cgi-bin/chatrest-identity \
    /usr/libexec/chatrest/cgi-bin/chatrest-register \
    /usr/libexec/chatrest/cgi-bin/chatrest-web \
    /usr/libexec/chatrest/cgi-bin/chatrest-events \
    /usr/sbin/chatrest-admin \
    /usr/share/chatrest/sql/001-users.sql \
    /usr/share/chatrest/apache/lighttpd.conf \
    /usr/share/chatrest/apache/apache-fcgid.conf \
    /usr/share/chatrest/apache/apache-proxy-fcgi.conf \
    /usr/share/chatrest/apache/chatrest-fcgi@.service \
    /usr/share/chatrest/apache/lighttpd-tls.conf \
    /usr/share/chatrest/apache/apache-fcgid-tls.conf \
    /usr/share/chatrest/fail2ban/chatrest.conf \
    /usr/share/chatrest/openapi/chatrest-client.yaml \
    /usr/share/chatrest/chatrest.conf.example \
    /usr/share/man/man5/chatrest.conf.5.gz \
    /usr/share/man/man7/chatrest.7.gz \
    /usr/share/man/man8/chatrest-admin.8.gz \
    /usr/share/man/man8/chatrest-events.8.gz \
    /usr/share/doc/chatrest/README.Debian \
    /usr/share/doc/chatrest/copyright \
    /etc/chatrest/chatrest.conf; do
	like "$files" "^$f\$" "the package has $f"
done
is "$(dpkg-deb -f "$deb" Depends | grep -c libpq5)" 1 'Depends on libpq5'

ok_quiet "apt-get install ./${deb##*/}" $apt install "$deb"
trap '$apt purge chatrest >/dev/null 2>&1 || :' EXIT
is "$(stat -c '%U:%G %a' /etc/chatrest/chatrest.conf)" 'root:www-data 640' \
    'the config: root:www-data 640'
is "$(dpkg-query -W -f='${Conffiles}' chatrest | awk '{ print $1 }')" \
    /etc/chatrest/chatrest.conf 'the config is a conffile'
is "$(command -v chatrest-admin)" /usr/sbin/chatrest-admin \
    'chatrest-admin on the PATH'
is "$(chatrest-admin -V)" 'chatrest-admin 0.1.0' 'chatrest-admin -V'

# README.Debian: 1. the database (here the test's private cluster)
createdb pkg
# 2. the configuration
rkey=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
sed -e "s|^conninfo =\$|conninfo = host=$PGHOST dbname=pkg user=postgres|" \
    -e "s|^#key = <output of openssl rand -hex 32>|key = $rkey|" \
    /etc/chatrest/chatrest.conf >"$TEST_TMP/pkg.conf"
cat "$TEST_TMP/pkg.conf" >/etc/chatrest/chatrest.conf
out=$(env -u CHATREST_CONFIG runuser -u www-data -- chatrest-admin migrate 2>&1)
like "$out" '^applied 001-users.sql$' 'chatrest-admin migrate as www-data'
out=$(env -u CHATREST_CONFIG runuser -u www-data -- chatrest-admin status 2>&1)
like "$out" 'up to date$' 'chatrest-admin status: up to date'

# 3. the mount: lighttpd with the installed snippet, as www-data
port=$(free_port)
www=$TEST_TMP/www
mkdir -p "$www/run"
chown -R www-data "$www"
cat >"$www/lighttpd.conf" <<CONF
server.bind = "127.0.0.1"
server.port = $port
server.document-root = "$www"
server.errorlog = "$www/error.log"
server.username = "www-data"
server.groupname = "www-data"
var.chatrest_rundir = "$www/run"
include "/usr/share/chatrest/apache/lighttpd.conf"
CONF
env -u CHATREST_CONFIG lighttpd -D -f "$www/lighttpd.conf" \
    2>"$www/stderr.log" &
lpid=$!
trap 'kill $lpid 2>/dev/null; $apt purge chatrest >/dev/null 2>&1 || :' EXIT
B=http://127.0.0.1:$port
# Ready once chatrest-register answers; with the key, so that the probes
# are not failed authentications (which would throttle 127.0.0.1).
probe="$B/api/register/is_registered?username=alice&host=localhost&key=$rkey"
i=0
until [ "$(curl -s -o "$TEST_TMP/probe.out" -w '%{http_code}' "$probe")" = 200 ]
do
	i=$((i + 1))
	if [ $i -ge 300 ] || ! kill -0 $lpid 2>/dev/null; then
		diag 'lighttpd with the installed snippet did not answer:'
		sed 's/^/#   /' "$www/stderr.log" "$www/error.log" \
		    "$TEST_TMP/probe.out" 2>/dev/null
		break
	fi
	sleep 0.1
done
is "$(cat "$TEST_TMP/probe.out")" false 'is_registered: alice not yet'
out=$(curl -s -H 'Content-Type: application/json' -d '{"key":"'"$rkey"'",
    "username":"alice","host":"localhost","password":"pw-alice"}' \
    "$B/api/register/register")
is "$out" '"ok"' 'register alice through the installed package'
out=$(curl -s -H 'Content-Type: application/json' -d '{"auth":{
    "mxid":"@alice:localhost","localpart":"alice","domain":"localhost",
    "password":"pw-alice"}}' "$B/_ma1sd/backend/api/v1/auth/login")
is "$out" '{"auth":{"success":true,"id":{"type":"localpart","value":"alice"},"profile":{"three_pids":[]}}}' \
    'alice logs in through the identity backend'
if [ "$_tap_failed" != 0 ]; then
	diag "lighttpd's error log:"
	tail -n 40 "$www/error.log" 2>/dev/null | sed 's/^/#   /'
fi
kill "$lpid" 2>/dev/null
wait "$lpid" 2>/dev/null || :

ok_quiet 'apt-get remove chatrest' $apt remove chatrest
ok 'removed: no executables' test ! -e /usr/libexec/chatrest/cgi-bin/chatrest-admin
ok 'removed: no /usr/sbin/chatrest-admin' test ! -e /usr/sbin/chatrest-admin
ok 'removed: the config stays' test -f /etc/chatrest/chatrest.conf
ok_quiet 'apt-get purge chatrest' $apt purge chatrest
ok 'purged: no /etc/chatrest' test ! -e /etc/chatrest
is "$(dpkg-query -W -f='${Status}' chatrest 2>/dev/null)" '' \
    'purged: dpkg knows nothing of it'
trap - EXIT

done_testing
