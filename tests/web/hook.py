# A profile webhook for tests/web/users-t.sh: answers by the Username it
# is asked about, and appends each request (Content-Type, body) to a log.
import http.server
import json
import sys

ANSWERS = {
    # the HTTP status is ignored by BareRTC: the body decides
    "bob": (500, b'{"StatusCode":200,"Data":{"OK":true,'
                 b'"ProfileFields":[{"Name":"Age","Value":"30"}]}}'),
    "nobody": (200, b'{"StatusCode":404,"Data":{"OK":false,'
                    b'"Error":"User not found"}}'),
    "html": (200, b"<html>oops</html>"),
    "empty": (200, b""),
}


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "a") as log:
            log.write("%s %s\n" % (self.headers.get("Content-Type"),
                                   body.decode()))
        name = json.loads(body).get("Username", "")
        status, reply = ANSWERS.get(name, (200, b"{}"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
