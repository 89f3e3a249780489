#!/bin/sh
# How a FastCGI connection ends (lib/http/fastcgi.c, fastcgi_finish):
# once the request's stdin has been read to its closing record, the
# worker closes at once, without libfcgi's lingering read; a body it left
# unread (413) keeps the lingering close, so the reply is never lost to
# a reset.  A raw FastCGI client over the worker's socket tells the two
# apart: after a plain close a write fails, and unread data in a closed
# socket would end the reply with a reset instead of an EOF.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/client/common.sh"

command -v cgi-fcgi >/dev/null 2>&1 ||
	skip_all "cgi-fcgi not installed (Debian package libfcgi-bin)"
command -v python3 >/dev/null 2>&1 || skip_all "needs python3"

register alice
trap stop_apps EXIT

FCGI_SOCK=$TEST_TMP/close.sock
cgi-fcgi -start -connect "$FCGI_SOCK" "$CGI_BIN" 1
A=$(basic alice@localhost pw-alice)

# raw METHOD PATH BODY_BYTES [CONTENT_LENGTH]: one request over the
# socket; prints "<status line> | <how it ended> | <a write after it>".
raw() {
	python3 - "$FCGI_SOCK" "$A" "$@" <<'PY'
import socket, struct, sys, time

path, auth, method, uri, nbody = sys.argv[1:6]
nbody = int(nbody)
clen = sys.argv[6] if len(sys.argv) > 6 else str(nbody)

def rec(t, body):
    return struct.pack(">BBHHBB", 1, t, 1, len(body), 0, 0) + body

def pair(k, v):
    k, v = k.encode(), v.encode()
    ln = lambda n: bytes([n]) if n < 128 else struct.pack(">I", n | 1 << 31)
    return ln(len(k)) + ln(len(v)) + k + v

env = {"REQUEST_METHOD": method, "REQUEST_URI": uri,
       "SCRIPT_NAME": "", "PATH_INFO": uri.split("?")[0],
       "QUERY_STRING": uri.partition("?")[2], "HTTP_AUTHORIZATION": auth,
       "REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "localhost",
       "SERVER_PROTOCOL": "HTTP/1.1", "GATEWAY_INTERFACE": "CGI/1.1"}
if method == "POST":
    env["CONTENT_TYPE"] = "application/json"
    env["CONTENT_LENGTH"] = clen
s = socket.socket(socket.AF_UNIX)
s.connect(path)
out = rec(1, struct.pack(">HB5x", 1, 0))
out += rec(4, b"".join(pair(k, v) for k, v in env.items())) + rec(4, b"")
body = (b'{"to":"alice@localhost","body":"' + b"x" * nbody)[:nbody]
if nbody >= 33:
    body = body[:-2] + b'"}'
for i in range(0, len(body), 32768):
    out += rec(5, body[i:i + 32768])
out += rec(5, b"")
s.sendall(out)
data, end = b"", "eof"
while True:
    try:
        chunk = s.recv(65536)
    except ConnectionResetError:
        end = "reset"
        break
    if not chunk:
        break
    data += chunk
stdout, ended = b"", False
while len(data) >= 8:
    _, t, _, n, pad, _ = struct.unpack(">BBHHBB", data[:8])
    if t == 6:
        stdout += data[8:8 + n]
    if t == 3:
        ended = True
    data = data[8 + n + pad:]
status = stdout.split(b"\r\n", 1)[0].decode()
time.sleep(0.05)
try:
    s.send(b"\1")
    after = "accepted"
except (BrokenPipeError, ConnectionResetError):
    after = "refused"
print("%s | %s%s | %s" % (status, end, "" if ended else " (no END_REQUEST)",
      after))
PY
}

is "$(raw GET /api/rooms 0)" "Status: 200 OK | eof | refused" \
    'GET: the whole reply, then a plain close (a later write is refused)'
is "$(raw POST /api/messages 60)" "Status: 200 OK | eof | refused" \
    'POST with its body read: the same'
is "$(raw POST /api/messages 0 10)" "Status: 400 Bad Request | eof | refused" \
    'POST whose stdin ends before its length: read to the end, plain close'
is "$(raw POST /api/messages 100000)" \
    "Status: 413 Content Too Large | eof | accepted" \
    'a body refused unread: the whole 413, an EOF (no reset), lingering close'
is "$(raw GET /api/rooms 0)" "Status: 200 OK | eof | refused" \
    'the worker goes on serving after the lingering close'
done_testing
