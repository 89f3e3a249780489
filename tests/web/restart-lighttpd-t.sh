#!/bin/sh
# chatrest-web under lighttpd (mod_fastcgi): the BareRTC API through the
# server, and POST /api/shutdown restarting every FastCGI process.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/web/common.sh"
. "$top_srcdir/tests/web/restart.sh"

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$lighttpd" ] || skip_all "lighttpd is not installed"

e2e_setup lighttpd
restart_flow "$lighttpd" -D -f "$top_srcdir/tests/e2e/lighttpd.conf"
done_testing
