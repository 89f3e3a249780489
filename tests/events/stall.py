#!/usr/bin/env python3
# A FastCGI client that opens GET /api/sse on a unix socket and never
# reads: tests/events/e2e-t.sh checks that the events process drops it.
import base64, socket, sys, time

def rec(t, rid, body):
    return bytes([1, t, rid >> 8, rid & 255, len(body) >> 8,
                  len(body) & 255, 0, 0]) + body

def nv(k, v):
    k, v = k.encode(), v.encode()
    return bytes([len(k), len(v)]) + k + v

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(sys.argv[1])
auth = 'Basic ' + base64.b64encode(sys.argv[2].encode()).decode()
params = b''.join(nv(k, v) for k, v in [
    ('REQUEST_METHOD', 'GET'), ('SCRIPT_NAME', '/api/sse'),
    ('PATH_INFO', ''), ('REMOTE_ADDR', '127.0.0.1'),
    ('SERVER_PROTOCOL', 'HTTP/1.1'), ('HTTP_AUTHORIZATION', auth)])
s.sendall(rec(1, 1, bytes([0, 1, 0, 0, 0, 0, 0, 0])) + rec(4, 1, params) +
          rec(4, 1, b'') + rec(5, 1, b''))
time.sleep(120)
