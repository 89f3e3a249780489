# Sourced by scripts/test and scripts/serve: install the Debian 12 packages
# that building, testing and serving need, when any is missing.

# gcc only recommends libc6-dev, and recommends are not installed here.
DEPS="autoconf automake pkg-config make gcc libc6-dev
libfcgi-dev libfcgi-bin libjson-c-dev libpq-dev libscrypt-dev libssl-dev
postgresql lighttpd apache2 libapache2-mod-fcgid curl mandoc python3-jwt
libcurl4-openssl-dev pgbouncer
lighttpd-mod-deflate lighttpd-mod-openssl openssl fail2ban groff-base
python3-jsonschema python3-yaml wrk"
# libFuzzer targets (tests/fuzz, make fuzz): clang and its runtime.
DEPS="$DEPS clang libclang-rt-14-dev"
# The package test (make check-package): dpkg-buildpackage, debhelper, lintian.
DEPS="$DEPS dpkg-dev debhelper lintian"
# The browser test (make check-browser) and swagger-ui for scripts/serve.
# npm only without an npm command: a Node.js from elsewhere (e.g.
# nodesource) brings its own, and conflicts with Debian's npm.
DEPS="$DEPS chromium"
command -v npm >/dev/null 2>&1 || DEPS="$DEPS npm"

deps_install() {
	_missing=
	for _p in $DEPS; do
		dpkg-query -W -f='${Status}\n' "$_p" 2>/dev/null |
		    grep -q ' installed$' || _missing="$_missing $_p"
	done
	[ -n "$_missing" ] || return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "missing packages:$_missing (and no apt-get to install them)" >&2
		return 1
	fi
	_sudo=
	[ "$(id -u)" = 0 ] || _sudo=sudo
	echo "installing:$_missing"
	# Keep the packages' services from starting: our tests and scripts/serve
	# run their own PostgreSQL and web servers on private sockets and ports,
	# and a system apache2 or lighttpd would only hold port 80.
	_policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' |
		    $_sudo sh -c 'cat >/usr/sbin/policy-rc.d &&
		    chmod 755 /usr/sbin/policy-rc.d'
		_policy=1
	fi
	_rc=0
	$_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
	    $_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $_missing || _rc=$?
	[ -z "$_policy" ] || $_sudo rm -f /usr/sbin/policy-rc.d
	[ "$_rc" = 0 ] || return "$_rc"
	# ... nor start at the next boot, if we are the ones who installed them.
	for _s in postgresql apache2 lighttpd pgbouncer; do
		case " $_missing " in *" $_s "*) ;; *) continue ;; esac
		if [ -d /run/systemd/system ]; then
			$_sudo systemctl disable --now "$_s" >/dev/null 2>&1 || :
		elif command -v update-rc.d >/dev/null 2>&1; then
			$_sudo service "$_s" stop >/dev/null 2>&1 || :
			$_sudo update-rc.d "$_s" disable >/dev/null 2>&1 || :
		fi
	done
}
