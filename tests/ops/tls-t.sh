#!/bin/sh
# The shipped TLS snippets (lighttpd-tls.conf, apache-fcgid-tls.conf with
# mod_fcgid and with the pools behind mod_proxy_fcgi) with a
# throw-away self-signed certificate: the registration flow over https://
# with curl verifying against that certificate, HSTS, plain HTTP redirected
# off loopback; and compression: a large archive read arrives gzipped and
# decodes to the same JSON, a small reply and the event stream do not.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"

command -v openssl >/dev/null 2>&1 || skip_all 'openssl not installed'

TLS_DIR=$TEST_TMP/tls
mkdir -p "$TLS_DIR"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
    -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" 2>/dev/null ||
	bail_out 'openssl req failed'
chmod -R a+rX "$TLS_DIR"
export TLS_DIR

# Messages alice sent bob, enough for an archive read of several KiB.
ADM=$top_builddir/cgi-bin/chatrest-admin
for u in alice bob; do
	"$ADM" register $u localhost pw-$u >/dev/null || bail_out "register $u"
done
i=0
while [ $i -lt 40 ]; do
	"$ADM" send_message chat alice@localhost bob@localhost '' \
	    "message $i: the quick brown fox jumps over the lazy dog" ||
		bail_out 'send_message'
	i=$((i + 1))
done

# tls_flow NAME: the checks, with the server up.
tls_flow() {
	H=https://localhost:$TLS_PORT
	# curl verifies every https:// request against the throw-away CA
	CURL_CA_BUNDLE=$TLS_DIR/cert.pem
	export CURL_CA_BUNDLE
	PLAIN=$BASE
	BASE=$H
	E2E_LOG=$TEST_TMP/server.out
	[ "$1" = lighttpd ] || E2E_LOG=$WWW/error.log
	# (e2e_flow leaves gus registered)
	psql_q "delete from users where localpart = 'gus'" >/dev/null
	e2e_flow
	http GET "$H/api/register/is_registered?username=bob&host=localhost&key=$REGISTER_KEY"
	reply_is 200 true "$1: https: is_registered"
	is "$(header Strict-Transport-Security)" max-age=31536000 "$1: HSTS"

	out=$(env -u CURL_CA_BUNDLE curl -s "$H/api/statistics" 2>&1; echo "rc=$?")
	like "$out" 'rc=60$' "$1: an unknown certificate is refused (curl 60)"

	# plain HTTP from another address than loopback: redirected
	http GET "$PLAIN/api/register/is_registered?username=bob&host=localhost&key=$REGISTER_KEY"
	reply_is 200 true "$1: plain HTTP from 127.0.0.1 is served (identity backend)"
	out=$(curl -s --interface 127.0.0.2 -o /dev/null \
	    -w '%{http_code} %{redirect_url}' \
	    "$PLAIN/api/register/is_registered?username=bob&host=localhost")
	is "$out" "308 $H/api/register/is_registered?username=bob&host=localhost" \
	    "$1: plain HTTP from elsewhere: 308 to https"

	# compression
	A="$H/api/messages/bob@localhost?limit=100"
	curl -s -u alice@localhost:pw-alice -o "$TEST_TMP/plain.json" \
	    -D "$TEST_TMP/plain.head" "$A"
	curl -s -u alice@localhost:pw-alice -H 'Accept-Encoding: gzip' \
	    -o "$TEST_TMP/gz.body" -D "$TEST_TMP/gz.head" "$A"
	ok "$1: the archive is over 1 KiB" \
	    test "$(wc -c <"$TEST_TMP/plain.json")" -gt 4096
	is "$(grep -ci '^content-encoding:' "$TEST_TMP/plain.head")" 0 \
	    "$1: no Accept-Encoding: not compressed"
	# (HTTP/2 over TLS: header names in lower case)
	is "$(tr -d '\r' <"$TEST_TMP/gz.head" | grep -ic '^content-encoding: gzip$')" 1 \
	    "$1: Accept-Encoding: gzip: Content-Encoding: gzip"
	is "$(tr -d '\r' <"$TEST_TMP/gz.head" | grep -ic '^vary: .*accept-encoding')" 1 \
	    "$1: Vary: Accept-Encoding"
	ok "$1: smaller on the wire" test "$(wc -c <"$TEST_TMP/gz.body")" -lt \
	    "$(wc -c <"$TEST_TMP/plain.json")"
	ok "$1: decodes to the same JSON" sh -c \
	    "gzip -dc '$TEST_TMP/gz.body' | cmp -s - '$TEST_TMP/plain.json'"
	curl -s -H 'Accept-Encoding: gzip' -D "$TEST_TMP/small.head" -o /dev/null \
	    "$H/api/register/is_registered?username=bob&host=localhost&key=$REGISTER_KEY"
	# (mod_proxy_fcgi streams replies: their size is not known in time)
	_small=0
	[ "$1" != apache-proxy-fcgi ] || _small=1
	is "$(grep -ci '^content-encoding:' "$TEST_TMP/small.head")" $_small \
	    "$1: a small reply is compressed only under mod_proxy_fcgi"
	# the live-event stream (mounted by the lighttpd snippet only)
	if [ "$1" = lighttpd ]; then
		curl -s -N --max-time 3 -u alice@localhost:pw-alice \
		    -H 'Accept-Encoding: gzip' -D "$TEST_TMP/sse.head" \
		    -o "$TEST_TMP/sse.body" "$H/api/sse" || :
		is "$(tr -d '\r' <"$TEST_TMP/sse.head" | grep -ic '^content-type: text/event-stream')" 1 \
		    "$1: GET /api/sse: an event stream"
		is "$(grep -ci '^content-encoding:' "$TEST_TMP/sse.head")" 0 \
		    "$1: the event stream is not compressed"
	fi
	unset CURL_CA_BUNDLE
}

lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
if [ -x "$lighttpd" ] && [ -f /usr/lib/lighttpd/mod_openssl.so ] &&
    [ -f /usr/lib/lighttpd/mod_deflate.so ]; then
	e2e_setup lighttpd-tls
	TLS_PORT=$(free_port)
	export TLS_PORT
	conf=$top_srcdir/tests/ops/lighttpd-tls.conf
	ok_quiet 'lighttpd: the TLS snippet passes lighttpd -tt' \
	    env PORT=8089 "$lighttpd" -tt -f "$conf"
	e2e_start "$lighttpd" -D -f "$conf"
	tls_flow lighttpd
	e2e_stop
else
	skip 'lighttpd over TLS' \
	    'needs lighttpd, lighttpd-mod-openssl and lighttpd-mod-deflate'
fi

apache2=$(command -v apache2 || echo /usr/sbin/apache2)
if [ -x "$apache2" ] && [ -f /usr/lib/apache2/modules/mod_fcgid.so ]; then
	e2e_setup apache-fcgid-tls
	TLS_PORT=$(free_port)
	export TLS_PORT
	conf=$top_srcdir/tests/ops/apache-tls.conf
	ok_quiet 'Apache: the TLS snippet passes apache2 -t' \
	    env PORT=8089 "$apache2" -t -f "$conf"
	e2e_start "$apache2" -DFOREGROUND -f "$conf"
	tls_flow apache
	e2e_stop
	# the same snippet with CHATREST_SOCKETS: the pools behind mod_proxy_fcgi
	pools_start
	e2e_start "$apache2" -DFOREGROUND -DTLS_PROXY -f "$conf"
	tls_flow apache-proxy-fcgi
	e2e_stop
	pools_stop
else
	skip 'Apache over TLS' 'needs apache2 and libapache2-mod-fcgid'
fi

done_testing
