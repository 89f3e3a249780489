#!/usr/bin/env python3
"""Faults under load: senders post messages through two chatrest-client
FastCGI workers while PostgreSQL restarts and workers are SIGKILLed.

Each message has its own Idempotency-Key; a sender that gets no answer,
or a 5xx, sends the same request with the same key again, as a client
should.  Writes OUT/acked: "body id" for every message acknowledged, and
prints a summary line.

usage: fault.py BUILDDIR OUTDIR SENDERS SECONDS   (PG_CTL names the
cluster's pg_ctl command, as tests/pgrun.sh gives it).  Each sender starts
messages for SECONDS, and sees each one it started through.
"""

import base64
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fcgiclient import fcgi, spawn  # noqa: E402

BUILD, OUT = sys.argv[1], sys.argv[2]
SENDERS, SECONDS = int(sys.argv[3]), float(sys.argv[4])
AUTH = "Basic " + base64.b64encode(b"alice@localhost:pw-alice").decode()

lock = threading.Lock()
workers = [None, None]          # (Popen, socket) per slot
stats = {"replayed": 0, "started": 0, "sent": 0, "retries": 0, "no_answer": 0, "5xx": 0, "kills": 0,
         "restarts": 0}
acked = []


def start(slot):
    workers[slot] = spawn(BUILD, OUT, "chatrest-client",
                          "worker%d" % slot)


def send(n, body, key):
    params = {
        "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1",
        "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/api/messages",
        "QUERY_STRING": "", "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)), "HTTP_AUTHORIZATION": AUTH,
        "HTTP_IDEMPOTENCY_KEY": key,
    }
    with lock:
        sock = workers[n % 2][1]
    raw = fcgi(sock, {k.encode(): v.encode() for k, v in params.items()},
               body)
    if raw is None:
        return None, b""
    head, _, rbody = raw.partition(b"\r\n\r\n")
    status = 200
    for ln in head.split(b"\r\n"):
        if ln.lower().startswith(b"status:"):
            status = int(ln.split()[1])
        if ln.lower().startswith(b"idempotent-replayed:"):
            with lock:
                stats["replayed"] += 1
    return status, rbody


def sender(t, until):
    i = -1
    while time.time() < until:
        i += 1
        text = "fault-%d-%d" % (t, i)
        body = ('{"to":"bob@localhost","body":"%s"}' % text).encode()
        key = "fault-key-%d-%d" % (t, i)
        with lock:
            stats["started"] += 1
        deadline = time.time() + 120
        tries = 0
        while True:
            status, rbody = send(t + tries, body, key)
            with lock:
                stats["sent"] += 1
            if status == 200:
                with lock:
                    acked.append((text, rbody.decode()))
                break
            with lock:
                stats["retries"] += 1
                if status is None:
                    stats["no_answer"] += 1
                elif status >= 500:
                    stats["5xx"] += 1
            if status is not None and status < 500:
                print("# %s refused: %s %r" % (text, status, rbody[:80]))
                break
            if time.time() > deadline:
                print("# %s: gave up" % text)
                break
            tries += 1
            time.sleep(0.05)


def chaos(stop):
    pg = os.environ["PG_CTL"].split()
    step = 0
    while not stop.is_set():
        time.sleep(0.7)
        step += 1
        if step % 3 == 0:
            subprocess.run(pg + ["restart", "-m", "fast"],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            with lock:
                stats["restarts"] += 1
        else:
            slot = step % 2
            with lock:
                p = workers[slot][0]
            p.send_signal(signal.SIGKILL)
            p.wait()
            with lock:
                start(slot)
                stats["kills"] += 1


def main():
    start(0)
    start(1)
    time.sleep(0.3)
    stop = threading.Event()
    c = threading.Thread(target=chaos, args=(stop,))
    until = time.time() + SECONDS
    ts = [threading.Thread(target=sender, args=(t, until))
          for t in range(SENDERS)]
    c.start()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    stop.set()
    c.join()
    for p, _ in workers:
        p.terminate()
        p.wait()
    with open(os.path.join(OUT, "acked"), "w") as f:
        for text, rbody in acked:
            f.write("%s %s\n" % (text, rbody))
    print("# %(started)d messages in %(sent)d requests, %(retries)d retried (%(no_answer)d without "
          "an answer, %(5xx)d 5xx, %(replayed)d answered from a first "
          "answer); %(kills)d workers killed, "
          "%(restarts)d PostgreSQL restarts" % stats)
    with open(os.path.join(OUT, "fault.stats"), "w") as f:
        f.write("%(kills)d %(restarts)d %(retries)d %(started)d\n" % stats)


if __name__ == "__main__":
    main()
