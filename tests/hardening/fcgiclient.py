"""A small FastCGI client for the hardening tests (corpus.py, fault.py)."""

import os
import socket
import struct
import subprocess


def record(kind, rid, content=b""):
    return struct.pack("!BBHHBx", 1, kind, rid, len(content), 0) + content


def nv(name, value):
    def ln(n):
        return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)
    return ln(len(name)) + ln(len(value)) + name + value


def fcgi(path, params, body):
    """One request: (stdout bytes) or None if the server hung up."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    try:
        s.connect(path)
    except OSError:
        s.close()
        return None
    out = record(1, 1, struct.pack("!HB5x", 1, 0))
    pv = b"".join(nv(k, v) for k, v in params.items())
    for i in range(0, len(pv), 65535):
        out += record(4, 1, pv[i:i + 65535])
    out += record(4, 1)
    for i in range(0, len(body), 65535):
        out += record(5, 1, body[i:i + 65535])
    out += record(5, 1)
    try:
        s.sendall(out)
    except OSError:
        pass
    data, buf = b"", b""
    while True:
        try:
            chunk = s.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
        while len(buf) >= 8:
            _, kind, _, clen, plen = struct.unpack("!BBHHB", buf[:7])
            if len(buf) < 8 + clen + plen:
                break
            if kind == 6:
                data += buf[8:8 + clen]
            if kind == 3:
                s.close()
                return data
            buf = buf[8 + clen + plen:]
    s.close()
    return None


def spawn(build, out, name, sockname=None):
    """NAME as a FastCGI server on a new socket in OUT, as a web server
    spawns it: (Popen, socket path); its stderr goes to OUT/NAME.err."""
    sock = os.path.join(out, (sockname or name) + ".sock")
    if os.path.exists(sock):
        os.unlink(sock)
    ls = socket.socket(socket.AF_UNIX)
    ls.bind(sock)
    ls.listen(64)
    err = open(os.path.join(out, name + ".err"), "ab")
    p = subprocess.Popen([os.path.join(build, "cgi-bin", name)],
                         stdin=ls.fileno(), stdout=subprocess.DEVNULL,
                         stderr=err, close_fds=True)
    ls.close()
    return p, sock
