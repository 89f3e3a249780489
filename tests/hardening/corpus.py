#!/usr/bin/env python3
"""Bad-input corpus for every route of every chatrest executable.

Generates hostile requests (JSON that is too deep, duplicated, mistyped,
huge or invalid UTF-8, NUL bytes and lone surrogates, naughty strings in
every field, lying CONTENT_LENGTH, malformed Authorization headers, odd
methods and paths), sends each to the executable running as a FastCGI
server, and checks every answer: a 4xx, never a 5xx, in that API's error
shape, with no header a client put there.

usage: corpus.py BUILDDIR OUTDIR   (prints TAP; CHATREST_CONFIG is used)
Each executable's standard error goes to OUTDIR/NAME.err.
"""

import json
import os
import subprocess
import sys
import time

BUILD, OUT = sys.argv[1], sys.argv[2]
REGKEY = os.environ["REGISTER_KEY"]
ADMKEY = os.environ["ADMIN_KEY"]
WEBKEY = os.environ["WEB_KEY"]
MARK = "x-corpus-injected"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fcgiclient import fcgi, spawn  # noqa: E402


def start(name):
    return spawn(BUILD, OUT, name)


# --- the corpus ----------------------------------------------------------------

def b64(s):
    import base64
    return base64.b64encode(s.encode()).decode()


GOOD_BASIC = "Basic " + b64("alice@localhost:pw-alice")
ADMIN_BASIC = "Basic " + b64("admin@localhost:pw-admin")
BAD_AUTH = [
    None, "", "Basic", "Basic ", "Basic !!!!", "Basic " + b64("alice"),
    "Basic " + b64(":pw"), "Basic " + b64("alice@localhost:"),
    "Basic " + b64("alice@localhost:wrong"),
    "Basic " + b64("nobody@localhost:pw"),
    "Basic " + b64("alice@nothere.example:pw-alice"),
    "Basic " + b64("alice@localhost\0:pw-alice"),
    "Basic " + b64("alice@localhost:pw\0alice"),
    "Basic " + "A" * 5000, "basic" + b64("a:b"), "Digest username=alice",
    "Bearer ", "Bearer " + "k" * 40, "Basic " + b64("x" * 2000 + ":y"),
    "Basic " + b64("alice@localhost:pw-alice") + "\r\n" + MARK + ": 1",
]
NAUGHTY = [
    "", " ", "\t", "undefined", "null", "0", "-1", "1e999", "NaN",
    "' OR '1'='1", "'; DROP TABLE users; --", "\\", "\\\\'",
    "<script>alert(1)</script>", "../../../../etc/passwd", "%00", "%2e%2e%2f",
    "\u0000", "a\u0000b", "\ud800", "\udfff\ud800", "\u202e\u0041",
    "\ufeff", "\uffff", "Ω≈ç√", "田中さん", "👾 🙇 💁", "\u0301\u0301\u0301",
    "a" * 70, "b" * 300, "c" * 5000, "alice@@localhost", "@localhost",
    "alice@", "alice/res@localhost", "ALICE@LOCALHOST\r\n" + MARK + ": 1",
    "\r\n" + MARK + ": 1", "${jndi:ldap://x}", "{{7*7}}", "$(id)",
    "%s%s%s%n", "\x7f\x1b[31m",
]
TYPES = [1, -1, 1.5, 1e300, True, False, None, [], [1, 2], {}, {"a": 1}]


def js(o):
    return json.dumps(o, ensure_ascii=False).encode("utf-8", "surrogatepass")


HOSTILE_BODIES = [
    b"", b" ", b"{", b"}", b"[", b"{}x", b"{,}", b'{"a":}', b"nul",
    b"\x00", b'{"a":"\x00"}', b"\xff\xfe{}", b'{"a":"\xc0\x80"}',
    b'{"a":"\xed\xa0\x80"}', b'{"a":"\\ud800"}', b'{"a":"\\udc00x"}',
    b"[" * 40 + b"]" * 40, b'{"a":' * 40 + b"1" + b"}" * 40,
    b'{"a":1e999}', b'{"a":-1e999}', b"9" * 400, b'{"a":' + b"9" * 100 + b"}",
    b"\"just a string\"", b"123", b"true", b"null", b"[1,2,3]",
    b"{'a':1}", b'{"a":1,}', b'{"a" 1}', b"\xef\xbb\xbf{}",
    b'{"a":"\\x41"}', b'{"a":"\\u00"}', b"{\"a\":\"" + b"\xf4\x90\x80\x80" + b"\"}",
]

PARAMS_BASE = {
    "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1",
    "SERVER_NAME": "localhost", "SERVER_PORT": "80",
}
_addr = [0]


def req(name, method, path, body=None, auth=None, ctype="application/json",
        cl=None, query="", headers=None, why=""):
    """One corpus entry; the client address changes every time, so the
    guessing limits never turn a later request's answer into a 401."""
    _addr[0] += 1
    a = _addr[0]
    p = dict(PARAMS_BASE)
    p["REMOTE_ADDR"] = "10.%d.%d.%d" % (a >> 16 & 255, a >> 8 & 255, a & 255)
    p["REQUEST_METHOD"] = method
    p["SCRIPT_NAME"] = path
    p["REQUEST_URI"] = path + ("?" + query if query else "")
    p["QUERY_STRING"] = query
    if body is not None:
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        if ctype is not None:
            p["CONTENT_TYPE"] = ctype
        p["CONTENT_LENGTH"] = str(len(body)) if cl is None else cl
    elif cl is not None:
        p["CONTENT_LENGTH"] = cl
    if auth is not None:
        p["HTTP_AUTHORIZATION"] = auth
    for k, v in (headers or {}).items():
        p[k] = v
    return (name, method, path, why,
            {k.encode(): v.encode("utf-8", "surrogatepass")
             for k, v in p.items()}, body or b"")


def corpus():
    C = []
    # chatrest-client: every route, credentials refused, bodies hostile
    client_routes = [
        ("POST", "/api/messages"), ("GET", "/api/messages"),
        ("GET", "/api/messages/bob@localhost"), ("GET", "/api/rooms"),
        ("POST", "/api/rooms"), ("GET", "/api/rooms/r1"),
        ("PUT", "/api/rooms/r1"), ("PUT", "/api/rooms/r1/config"),
        ("POST", "/api/rooms/r1/users"),
        ("DELETE", "/api/rooms/r1/users/bob@localhost"),
        ("POST", "/api/rooms/r1/messages"), ("GET", "/api/rooms/r1/messages"),
        ("GET", "/api/contacts"), ("POST", "/api/contacts"),
        ("DELETE", "/api/contacts"), ("GET", "/api/contacts/bob@localhost"),
        ("PUT", "/api/contacts/bob@localhost"),
        ("DELETE", "/api/contacts/bob@localhost"),
    ]
    for i, (m, path) in enumerate(client_routes):
        for a in BAD_AUTH if i % 2 == 0 else BAD_AUTH[::4]:
            C.append(req("chatrest-client", m, path,
                         body="{}" if m in ("POST", "PUT") else None,
                         auth=a, why="credentials refused"))
    writes = [r for r in client_routes if r[0] in ("POST", "PUT")]
    for i, (m, path) in enumerate(writes):
        for b in HOSTILE_BODIES[i % 2::2]:
            C.append(req("chatrest-client", m, path, body=b, auth=GOOD_BASIC,
                         why="hostile body"))
    # naughty strings where a JID, a room or a body must be
    for n in NAUGHTY:
        C.append(req("chatrest-client", "POST", "/api/messages",
                     body=js({"to": n, "body": "hi"}), auth=GOOD_BASIC,
                     why="naughty recipient"))
        C.append(req("chatrest-client", "POST", "/api/contacts",
                     body=js({"jid": n}), auth=GOOD_BASIC,
                     why="naughty contact"))
        C.append(req("chatrest-client", "POST", "/api/rooms/nosuchroom/users",
                     body=js({"user": n}), auth=GOOD_BASIC,
                     why="naughty invitee, no such room"))
        C.append(req("chatrest-client", "GET", "/api/messages",
                     query="limit=" + n, auth=GOOD_BASIC,
                     why="naughty limit") if n.strip() and n not in ("0",)
                 else req("chatrest-client", "GET", "/api/messages",
                          query="before=x" + n, auth=GOOD_BASIC,
                          why="naughty before"))
    for t in TYPES:
        C.append(req("chatrest-client", "POST", "/api/messages",
                     body=js({"to": t, "body": t}), auth=GOOD_BASIC,
                     why="mistyped fields"))
        C.append(req("chatrest-client", "POST", "/api/rooms",
                     body=js({"name": t, "subject": t}), auth=GOOD_BASIC,
                     why="mistyped room fields"))
    # chatrest-admin: both encodings, every command
    cmds = ["add_role", "add_threepid", "audit_log", "auth_failures",
            "ban_account", "change_password", "check_account",
            "check_password", "clear_auth_failures", "connected_users",
            "connected_users_number", "create_room", "destroy_room",
            "get_blocklist", "get_room_occupants", "get_roster",
            "list_roles", "list_threepids", "register", "registered_users",
            "registered_vhosts", "remove_role", "remove_threepid",
            "send_message", "set_avatar", "set_blocklist",
            "set_display_name", "set_nickname", "unban_account",
            "unregister"]
    for c in cmds:
        for a in BAD_AUTH[c.__len__() % 4::4]:
            C.append(req("chatrest-admin", "POST", "/api/admin/" + c,
                         body="{}", auth=a, why="credentials refused"))
        C.append(req("chatrest-admin", "POST", "/api/admin",
                     body=js({"key": "wrong", "command": c, "args": []}),
                     why="wrong key"))
        C.append(req("chatrest-admin", "POST", "/api/admin",
                     body=js({"command": c, "args": []}), why="no key"))
        # an empty body is {} here, as upstream
        for b in HOSTILE_BODIES[2 + len(c) % 5::5]:
            C.append(req("chatrest-admin", "POST", "/api/admin/" + c,
                         body=b, auth="Bearer " + ADMKEY,
                         why="hostile body"))
        C.append(req("chatrest-admin", "POST", "/api/admin/" + c,
                     body=js({"nosuchargument": 1}),
                     auth="Bearer " + ADMKEY, why="unknown argument"))
        C.append(req("chatrest-admin", "POST", "/api/admin",
                     body=js({"key": ADMKEY, "command": c,
                              "args": [[], {}, None, 1e300, True, "x"]}),
                     why="mistyped arguments"))
    for n in NAUGHTY:
        C.append(req("chatrest-admin", "POST", "/api/admin",
                     body=js({"key": ADMKEY, "command": n, "args": []}),
                     why="naughty command"))
        C.append(req("chatrest-admin", "GET", "/api/admin/get_roster",
                     query="user=nobody" + n.replace("&", "") + "&host=localhost",
                     auth="Bearer " + ADMKEY, why="naughty user"))
        C.append(req("chatrest-admin", "POST", "/api/admin/list_roles",
                     body=js({"user": "alice", "host": n}),
                     auth="Bearer " + ADMKEY, why="naughty host"))
    # chatrest-register: every route, key and fields
    reg = ["register", "unregister", "change_password",
           "force_change_password"]
    for ri, r in enumerate(reg):
        for k in ["", "wrong", "k" * 5000, None]:
            o = {"username": "x", "host": "localhost", "password": "p",
                 "old_password": "p", "new_password": "q"}
            if k is not None:
                o["key"] = k
            C.append(req("chatrest-register", "POST", "/api/register/" + r,
                         body=js(o), why="key refused"))
        for b in HOSTILE_BODIES:
            C.append(req("chatrest-register", "POST", "/api/register/" + r,
                         body=b, why="hostile body"))
        for n in NAUGHTY[ri % 2::2]:
            o = {"key": REGKEY, "username": n, "host": "localhost",
                 "password": "", "old_password": "wrong",
                 "new_password": ""}
            C.append(req("chatrest-register", "POST", "/api/register/" + r,
                         body=js(o), why="naughty username, empty password"))
            if r not in ("register", "unregister"):
                continue
            o = {"key": REGKEY, "username": "alice", "host": n,
                 "password": "", "old_password": "wrong",
                 "new_password": ""}
            C.append(req("chatrest-register", "POST", "/api/register/" + r,
                         body=js(o), why="naughty host"))
        for t in TYPES:
            o = {"key": REGKEY, "username": t, "host": t, "password": t}
            C.append(req("chatrest-register", "POST", "/api/register/" + r,
                         body=js(o), why="mistyped fields"))
    for k in ["", "wrong", "%00", "k" * 3000]:
        C.append(req("chatrest-register", "GET",
                     "/api/register/is_registered",
                     query="username=alice&host=localhost&key=" + k,
                     why="key refused"))
    for q in ["", "key=" + REGKEY, "key=" + REGKEY + "&username=alice",
              "key=" + REGKEY + "&username=%zz&host=localhost",
              "key=" + REGKEY + "&username=%00&host=localhost",
              "key=" + REGKEY + "&username=alice&host=nothere.example"]:
        C.append(req("chatrest-register", "GET",
                     "/api/register/is_registered", query=q,
                     why="bad query"))
    # chatrest-identity: malformed requests on every path
    id_paths = []
    for pre in ("/_mxisd/backend/api/v1", "/_ma1sd/backend/api/v1"):
        for s in ("/auth/login", "/identity/single", "/identity/bulk",
                  "/identity/lookup/single", "/identity/lookup/bulk",
                  "/directory/user/search", "/profile/displayName",
                  "/profile/threepids", "/profile/roles"):
            id_paths.append(pre + s)
    id_paths += ["/_mxisd/identity/api/v1/auth",
                 "/_mxisd/identity/api/v1/lookup/single",
                 "/_mxisd/identity/api/v1/lookup/bulk"]
    for i, path in enumerate(id_paths):
        for b in HOSTILE_BODIES[i % 4::4]:
            C.append(req("chatrest-identity", "POST", path, body=b,
                         why="hostile body"))
        for t in TYPES[i % 2:8:2]:
            C.append(req("chatrest-identity", "POST", path,
                         body=js({"auth": t, "lookup": t, "search_term": t,
                                  "localpart": t, "mxid": t}),
                         why="mistyped members"))
    # chatrest-web: every route, key and fields
    web = ["/api/shutdown", "/api/blocklist", "/api/block/now",
           "/api/disconnect/now", "/api/authenticate", "/api/authentication"]
    # with the right key, the one field each route needs is mistyped
    mistyped = {"/api/blocklist": "Blocklist", "/api/block/now": "Usernames",
                "/api/disconnect/now": "Usernames",
                "/api/authenticate": "Claims", "/api/authentication": "Claims"}
    for path in web:
        for k in ["", "wrong", None, 1, [], "k" * 5000]:
            o = {"Username": "alice", "Blocklist": [], "Usernames": [],
                 "Password": "pw-alice", "Message": "m", "Kick": False}
            if k is not None:
                o["APIKey"] = k
            C.append(req("chatrest-web", "POST", path, body=js(o),
                         why="key refused"))
        for b in HOSTILE_BODIES:
            C.append(req("chatrest-web", "POST", path, body=b,
                         why="hostile body"))
        if path not in mistyped:
            continue	# a right key shuts every process down
        for n in NAUGHTY[:20]:
            o = {"APIKey": WEBKEY, "Username": n, "Blocklist": [n],
                 "Usernames": [n], "Claims": {"username": n}}
            o[mistyped[path]] = [5] if n == "" else 5
            C.append(req("chatrest-web", "POST", path, body=js(o),
                         why="naughty names, one field mistyped"))
    # every executable: odd methods and paths, lying lengths
    mounts = [("chatrest-client", "/api/messages", GOOD_BASIC),
              ("chatrest-admin", "/api/admin/registered_vhosts",
               "Bearer " + ADMKEY),
              ("chatrest-register", "/api/register/register", None),
              ("chatrest-identity", "/_mxisd/backend/api/v1/auth/login",
               None),
              ("chatrest-web", "/api/blocklist", None)]
    for name, path, a in mounts:
        for m in ["BREW", "CONNECT", "TRACE", "get", "", "G E T", "PROPFIND",
                  "X" * 300, "GET\r\n" + MARK + ": 1"]:
            C.append(req(name, m, path, auth=a, query="key=" + ADMKEY,
                         why="odd method"))
        for p in [path + "/..", path + "/../../etc/passwd", path + "//",
                  path + "%00", path + "/" + "z" * 4000, "/", "",
                  "/nosuch", path.upper(), path + "\r\n" + MARK + ": 1",
                  path + "/\u00e9", path + "?x=1"]:
            C.append(req(name, "PATCH", p, auth=a, why="odd path"))
        for cl in ["abc", "-1", "+5", "0x10", " 5", "99999999999999999999",
                   "1e3", "5 ", "", "70000"]:
            C.append(req(name, "POST", path, body="{}", cl=cl, auth=a,
                         why="lying CONTENT_LENGTH"))
        C.append(req(name, "POST", path, body="{" * 10, cl="200", auth=a,
                     why="body shorter than CONTENT_LENGTH"))
        C.append(req(name, "POST", path, body=None, auth=a,
                     why="no CONTENT_LENGTH"))
        C.append(req(name, "POST", path, body=b"x" * 70000, auth=a,
                     why="body over max_body"))
        for ct in [None, "text/plain", "application/jsonx",
                   "application/x-www-form-urlencoded", "multipart/form-data"]:
            C.append(req(name, "POST", path, body="{", ctype=ct, auth=a,
                         why="content type"))
        C.append(req(name, "POST", path, body="{", auth=a,
                     headers={"HTTP_X_EVIL": "1\r\n" + MARK + ": 1",
                              "HTTP_ORIGIN": "https://evil.example\r\n"
                              + MARK + ": 1"},
                     why="header injection attempt"))
    return C

# --- checking the answers -----------------------------------------------------

def split(raw):
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return None, [], raw
    lines = head.split(b"\r\n")
    status = None
    hdrs = []
    for ln in lines:
        k, _, v = ln.partition(b":")
        if k.lower() == b"status":
            status = int(v.strip().split()[0])
        else:
            hdrs.append((k.decode("latin-1"), v.strip().decode("latin-1")))
    return status, hdrs, body


# mxisd reads these as "no" (and any other status as a failed request):
# the identity backend answers them, with 200 where the protocol wants it.
IDENTITY_FAILURES = [
    {"auth": {"success": False}}, {}, {"lookup": []},
    {"limited": False, "results": []}, {"profile": {}},
]


def shape_ok(name, path, status, hdrs, body):
    ct = dict((k.lower(), v) for k, v in hdrs).get("content-type", "")
    if name == "chatrest-client":
        # MongooseIM: an empty body, or the text of a 400
        return body == b"" or (status == 400 and ct.startswith("text/plain"))
    if not ct.startswith("application/json"):
        return False
    try:
        o = json.loads(body.decode("utf-8"))
    except ValueError:
        return False
    if name == "chatrest-register":
        return isinstance(o, dict) and list(o) == ["error"]
    if name == "chatrest-web":
        return isinstance(o, dict) and o.get("OK") is False and \
            isinstance(o.get("Error"), str)
    if name == "chatrest-admin":
        # mod_restful's {"error":atom} (also the executable's own errors,
        # before a route is chosen), mod_http_api's error or bare string
        return isinstance(o, str) or (isinstance(o, dict) and (
            list(o) == ["error"] or set(o) == {"status", "code", "message"}))
    if name == "chatrest-identity":
        return o in IDENTITY_FAILURES
    return False


def main():
    C = corpus()
    names = sorted(set(c[0] for c in C))
    procs = {n: start(n) for n in names}
    time.sleep(0.2)
    n_ok = 0
    failures = []
    last = {}
    allowed = {"content-type", "content-length", "www-authenticate",
               "vary", "allow", "retry-after", "access-control-allow-origin",
               "access-control-allow-methods", "access-control-allow-headers",
               "access-control-max-age", "cache-control", "x-request-id"}
    for (name, method, path, why, params, body) in C:
        if procs[name][0].poll() is not None:
            failures.append("%s exited (%s) before: %s" %
                            (name, procs[name][0].returncode, last.get(name)))
            procs[name] = start(name)
            time.sleep(0.2)
        raw = fcgi(procs[name][1], params, body)
        what = "%s %s %s (%s)" % (name, method[:20], path[:60], why)
        last[name] = what
        if raw is None:
            failures.append(what + ": no answer")
            # the process died: start another, go on
            procs[name] = start(name)
            time.sleep(0.2)
            continue
        status, hdrs, rbody = split(raw)
        problems = []
        if status is None or not (400 <= status <= 499 or (
                status == 200 and name == "chatrest-identity")):
            problems.append("status %s" % status)
        for k, v in hdrs:
            if k.lower() not in allowed or MARK in k.lower() or \
                    MARK in v.lower():
                problems.append("header %r: %r" % (k, v[:60]))
        if status is not None and not shape_ok(name, path, status, hdrs,
                                                rbody):
            problems.append("body not in the API's shape: %r" % rbody[:80])
        if problems:
            failures.append(what + ": " + "; ".join(problems))
        else:
            n_ok += 1
    for n, (p, sock) in procs.items():
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    print("1..2")
    print("%s 1 - %d bad requests over %d executables: every answer a 4xx "
          "in its API's shape, no injected header" %
          ("ok" if not failures else "not ok", len(C), len(names)))
    for f in failures[:60]:
        print("#   " + f.encode("ascii", "backslashreplace").decode())
    if len(failures) > 60:
        print("#   ... and %d more" % (len(failures) - 60))
    print("%s 2 - at least 1500 requests (%d)" %
          ("ok" if len(C) >= 1500 else "not ok", len(C)))
    with open(os.path.join(OUT, "corpus.count"), "w") as f:
        f.write("%d %d\n" % (len(C), len(failures)))
    with open(os.path.join(OUT, "corpus.failures"), "w") as f:
        for x in failures:
            f.write(x.encode("ascii", "backslashreplace").decode() + "\n")


if __name__ == "__main__":
    main()
