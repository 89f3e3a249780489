#!/bin/sh
# chatrest-web under Apache httpd with mod_fcgid: the BareRTC API through
# the server, and POST /api/shutdown restarting every FastCGI process.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/web/common.sh"
. "$top_srcdir/tests/web/restart.sh"

apache2=$(command -v apache2 || echo /usr/sbin/apache2)
[ -x "$apache2" ] || skip_all "apache2 is not installed"
[ -f /usr/lib/apache2/modules/mod_fcgid.so ] ||
	skip_all "mod_fcgid is not installed (libapache2-mod-fcgid)"

e2e_setup apache-fcgid
restart_flow "$apache2" -DFOREGROUND -f "$top_srcdir/tests/e2e/apache-fcgid.conf"
done_testing
