# Shared by the chatrest-web tests; sourced after tests/lib.sh.

CGI_BIN=$top_builddir/cgi-bin/chatrest-web
CGI_MOUNT=/api
KEY=web-api-key-0123456789abcdef0123456789
SECRET=jwt-secret-0123456789abcdef0123456789
OK='{
  "OK": true
}'

# web_config: [web] keys in $CHATREST_CONFIG, and variants beside it.
web_config() {
	cp "$CHATREST_CONFIG" "$TEST_TMP/nokeys.conf"
	{
		echo '[web]'
		echo "api_key = $KEY"
		echo "jwt_secret = $SECRET"
		echo 'cors_hosts = https://www.example.com http://localhost:8080'
	} >>"$CHATREST_CONFIG"
	{ cat "$TEST_TMP/nokeys.conf"; echo '[web]'; echo "api_key = $KEY"; } \
	    >"$TEST_TMP/nosecret.conf"
	{ cat "$CHATREST_CONFIG"; echo 'jwt_registered_only = 1'
	    echo 'jwt_lifetime = 60'; } >"$TEST_TMP/regonly.conf"
	chmod 644 "$TEST_TMP"/*.conf
}

# web_users: alice and bob present, carol present but disabled (not
# listed), old seen an hour ago, erin present on another host.
web_users() {
	psql_q "insert into users (localpart, host, password_hash, last_seen,
	    disabled) values
	    ('alice', 'localhost', 'x', now(), false),
	    ('bob', 'localhost', 'x', now(), false),
	    ('carol', 'localhost', 'x', now(), true),
	    ('old', 'localhost', 'x', now() - interval '1 hour', false),
	    ('erin', 'example.org', 'x', now(), false)" >/dev/null
}

# fail STATUS ERROR NAME: the reply is {"OK": false, "Error": ERROR}.
fail() {
	reply_is "$1" "$(printf '{\n  "OK": false,\n  "Error": "%s"\n}' "$2")" \
	    "$3"
}

# blocks: every blocklist entry, "user>blocked@host", sorted.
blocks() {
	psql_q "select string_agg(u.localpart || '>' || b.blocked_local || '@' ||
	    b.blocked_host, ' ' order by u.localpart, b.blocked_local)
	    from blocks b join users u
	    on u.id = b.user_id"
}

jwt_of_body() {
	printf '%s\n' "$BODY" | sed -n 's/^  "JWT": "\(.*\)"$/\1/p'
}

# jwt_payload TOKEN: its payload as sent.
jwt_payload() {
	_p=$(printf '%s' "$1" | cut -d. -f2 | tr '_-' '/+')
	while [ $(( ${#_p} % 4 )) != 0 ]; do _p=$_p=; done
	printf '%s' "$_p" | base64 -d
}

# A Python with PyJWT (Debian: python3-jwt), an implementation not ours;
# installed if we may, else its checks are skipped.
PY=
_find_py() {
	for _p in /usr/bin/python3 python3; do
		if command -v "$_p" >/dev/null 2>&1 &&
		    "$_p" -c 'import jwt' 2>/dev/null; then
			PY=$_p
			return 0
		fi
	done
	return 1
}
if ! _find_py && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	apt-get install -y -qq python3-jwt >/dev/null 2>&1 || :
	_find_py || :
fi

pyjwt() {	# TOKEN [LEEWAY]
	"$PY" "$top_srcdir/tests/web/jwtcheck.py" "$SECRET" "$@"
}
