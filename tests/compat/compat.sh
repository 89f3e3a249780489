#!/bin/sh
# The differential harness: the same mod_http_api requests to a throw-away
# ejabberd 23.01 (Debian's package, loopback only, its own config and spool
# in a temp dir) and to chatrest-admin (CGI, a private PostgreSQL from
# tests/pgrun.sh), both as admin@localhost, then a side-by-side diff and
# "N same, N different".  Not part of make check: run it with
#
#	make compat
#
# (or tests/pgrun.sh sh tests/compat/compat.sh).  Times and uptimes are
# masked before comparing.  Every difference is listed under STANDARDS in
# chatrest-admin(8), or a bug.
. "$top_srcdir/tests/lib.sh"

CTL=/usr/sbin/ejabberdctl
# Debian 12's ejabberd is 23.01; as root the harness installs it (its own
# system service is never used: this instance has its own config).
if [ ! -x "$CTL" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y \
	    --no-install-recommends ejabberd >/dev/null 2>&1 || :
fi
[ -x "$CTL" ] || skip_all 'ejabberd is not installed (apt-get install ejabberd)'
command -v curl >/dev/null 2>&1 || skip_all 'curl is not installed'

ADM=$top_builddir/cgi-bin/chatrest-admin
REQS=$top_srcdir/tests/compat/requests.txt
PW=compat-admin-pw
EJ=$(mktemp -d /tmp/ejc.XXXXXX)
PORT=$((20000 + $$ % 20000))
NODE=compat$$@localhost
chmod 755 "$EJ"
mkdir "$EJ/spool" "$EJ/logs"
sed -e "s/@PORT@/$PORT/" -e "s/@C2SPORT@/$((PORT + 1))/" \
    "$top_srcdir/tests/compat/ejabberd.yml.in" >"$EJ/ejabberd.yml"
: >"$EJ/ctl.cfg"
# ejabberdctl runs as root or its install user only: a copy runs as the
# user it is given, with HOME (its Erlang cookie) in the temp dir.
sed 's/^INSTALLUSER=.*/INSTALLUSER=/' "$CTL" >"$EJ/ejabberdctl"
chmod 755 "$EJ/ejabberdctl"
as_ej() {
	if [ "$(id -u)" = 0 ]; then
		chown -R ejabberd "$EJ"
		su -s /bin/sh -c 'cd "$0" && HOME="$0" "$@"' ejabberd -- \
		    "$EJ" "$@"
	else
		(cd "$EJ" && HOME=$EJ "$@")
	fi
}
ctl() {
	as_ej "$EJ/ejabberdctl" -n "$NODE" -f "$EJ/ejabberd.yml" \
	    -c "$EJ/ctl.cfg" -s "$EJ/spool" -l "$EJ/logs" "$@"
}
cleanup() {
	ctl stop >/dev/null 2>&1 || :
	sleep 1
	rm -rf "$EJ"
}
trap cleanup EXIT
ctl start >/dev/null 2>&1 || bail_out "ejabberd did not start"
i=0
until ctl status >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 60 ] || bail_out "ejabberd did not come up: $(tail -5 "$EJ"/logs/*.log)"
	sleep 1
done
ctl register admin localhost "$PW" >/dev/null ||
    bail_out "cannot register admin in ejabberd"
"$ADM" register admin localhost "$PW" >/dev/null ||
    bail_out "cannot register admin in chatrest"

AUTH="Basic $(printf 'admin@localhost:%s' "$PW" | base64 | tr -d '\n')"
CGI_BIN=$ADM
CGI_MOUNT=/api/admin

# mask: times and other figures that differ between any two runs
mask() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/TIME/g' \
	    -e 's/"uptime":[0-9]+/"uptime":N/g'
}

same=0 diff=0
printf '%-52s | %-40s | %s\n' request ejabberd chatrest
while IFS= read -r line; do
	case $line in ''|'#'*) continue ;; esac
	cmd=${line%% *}
	body=${line#* }
	e=$(curl -s -o "$EJ/body" -w '%{http_code}' -u "admin@localhost:$PW" \
	    -H 'Content-Type: application/json' -X POST \
	    --data-binary "$body" "http://127.0.0.1:$PORT/api/$cmd")
	e="$e $(mask <"$EJ/body")"
	cgi -a "$AUTH" POST "/api/admin/$cmd" "$body"
	c="$STATUS $(printf '%s' "$BODY" | mask)"
	if [ "$e" = "$c" ]; then
		same=$((same + 1))
		printf '  %-50s | %s\n' "$cmd" "$e"
	else
		diff=$((diff + 1))
		printf '! %-50s | %-40s | %s\n' "$cmd $body" "$e" "$c"
	fi
done <"$REQS"
echo "$same same, $diff different"
echo "1..0 # SKIP comparison only"
