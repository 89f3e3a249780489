#!/bin/sh
# A real browser against scripts/serve (make check-browser; needs chromium
# and npm): the rendered OpenAPI page at /openapi/ shows every operation
# of each document (a screenshot is kept as tests/ops/openapi.png), and
# CORS as the browser enforces it: a page from a listed origin reads
# /api/statistics, reads /api/rooms with credentials and sends a
# preflighted POST /api/messages; a page from an unlisted origin gets
# nothing, and its POST never reaches the database.
. "$top_srcdir/tests/lib.sh"

chromium=$(command -v chromium || command -v chromium-browser || :)
[ -n "$chromium" ] || skip_all 'chromium not installed'
command -v npm >/dev/null 2>&1 || skip_all 'npm not installed'
[ "$top_srcdir" -ef "$top_builddir" ] ||
	skip_all 'scripts/serve serves an in-tree build only'

state=$TEST_TMP/state
port=$(free_port)
"$top_srcdir/scripts/serve" --port "$port" --state "$state" \
    >"$TEST_TMP/serve.out" 2>&1 &
serve=$!
trap 'kill -TERM $serve 2>/dev/null; wait $serve 2>/dev/null' EXIT
i=0
until grep -q '^chatrest is serving' "$TEST_TMP/serve.out"; do
	i=$((i + 1))
	if [ $i -gt 1800 ] || ! kill -0 $serve 2>/dev/null; then
		echo "Bail out! scripts/serve did not start"
		sed 's/^/# /' "$TEST_TMP/serve.out"
		exit 1
	fi
	sleep 0.1
done
. "$state/env"
# scripts/serve installs swagger-ui-dist with npm (from the registry, once
# per state directory): without it the page renders nothing to check
if [ ! -f "$state/openapi/swagger-ui-bundle.js" ]; then
	echo "Bail out! no swagger-ui-dist: npm could not install it"
	sed 's/^/# /' "$TEST_TMP/serve.out"
	exit 1
fi

# browse URL: the DOM once the page's scripts are done
browse() {
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
	    --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$TEST_TMP/chrome.$$.$i" \
	    --host-resolver-rules='MAP listed.test 127.0.0.1, MAP unlisted.test 127.0.0.1' \
	    --virtual-time-budget=20000 "$@" 2>"$TEST_TMP/chrome.err"
	i=$((i + 1))
}
# browser_diag: after a failed check, what chromium and the server said
browser_diag() {
	diag 'chromium:'
	tail -n 20 "$TEST_TMP/chrome.err" | sed 's/^/#   /'
	diag "lighttpd's error log:"
	tail -n 20 "$state/lighttpd/error.log" 2>/dev/null | sed 's/^/#   /'
}

# --- the rendered documents --------------------------------------------------
# ops DOC: how many operations DOC has
ops() {
	python3 -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
n = 0
for item in d["paths"].values():
    if "$ref" in item:
        item = d["components"]["pathItems"][item["$ref"].split("/")[-1]]
    n += sum(1 for m in item if m in ("get", "put", "post", "delete",
                                      "options", "head", "patch"))
print(n)' "$1"
}
for doc in "$top_srcdir"/man/openapi/chatrest-*.yaml; do
	name=$(basename "$doc" .yaml)
	browse --dump-dom "$B/openapi/?doc=$name" >"$TEST_TMP/$name.html"
	got=$(grep -o 'class="opblock-summary-method">[A-Z]*' \
	    "$TEST_TMP/$name.html" | wc -l)
	n=$(ops "$doc")
	is "$got" "$n" "/openapi/?doc=$name renders its $n operations" ||
		browser_diag
	p=$(python3 -c 'import sys, yaml; print(next(iter(yaml.safe_load(open(sys.argv[1]))["paths"])))' "$doc")
	ok "... $p among them" grep -qF "data-path=\"$p\"" "$TEST_TMP/$name.html"
done
browse --window-size=1280,3000 --screenshot="$TEST_TMP/openapi.png" \
    "$B/openapi/?doc=chatrest-client" >/dev/null
ok 'a screenshot of /openapi/?doc=chatrest-client' test -s "$TEST_TMP/openapi.png"
cp "$TEST_TMP/openapi.png" "$top_builddir/tests/ops/openapi.png" 2>/dev/null || :

# --- CORS, as the browser enforces it ----------------------------------------
listed=http://listed.test:$port
printf '\n[client]\ncors_origins = %s\n[web]\ncors_origins = %s\n' \
    "$listed" "$listed" >>"$CHATREST_CONFIG"
chatrest-admin register alice localhost secret >/dev/null
chatrest-admin register bob localhost secret >/dev/null
# every process reads the configuration again
curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"APIKey\":\"$WKEY\"}" "$B/api/shutdown"
sleep 7
cp "$top_srcdir/tests/ops/cors.html" "$state/openapi/cors.html"
page="/openapi/cors.html?api=$B&user=alice@localhost:secret"

browse --dump-dom "$listed$page" >"$TEST_TMP/listed.html"
out=$(sed -n '/<pre id="out">/,/<\/pre>/p' "$TEST_TMP/listed.html" |
    sed -e 's/<[^>]*>//g')
like "$out" '^statistics: 200 [0-9]+$' 'listed origin: reads /api/statistics' ||
	browser_diag
like "$out" '^rooms: 200 \[\]$' 'listed origin: reads /api/rooms with credentials'
like "$out" '^send: 200 id$' 'listed origin: a preflighted POST /api/messages'

browse --dump-dom "http://unlisted.test:$port$page" >"$TEST_TMP/unlisted.html"
out=$(sed -n '/<pre id="out">/,/<\/pre>/p' "$TEST_TMP/unlisted.html" |
    sed -e 's/<[^>]*>//g')
is "$out" 'statistics: refused
rooms: refused
send: refused' 'unlisted origin: the browser refuses all three' ||
	browser_diag

n=$(curl -s -u bob@localhost:secret "$B/api/messages/alice@localhost" |
    grep -o '"body":"from [a-z.]*:[0-9]*"' | tr '\n' ' ')
is "$n" "\"body\":\"from listed.test:$port\" " \
    'only the listed origin'"'"'s message reached the database'

done_testing
