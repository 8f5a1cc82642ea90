"""Continuous HTTPS requests through the cell's proxy, for reload tests:
run inside a client namespace, it asks `https://HOST/PATH` at ADDR over
fresh connections (one thread) and over one kept-alive connection
(another) until STOP_FILE exists, then prints a JSON report: requests
made, failures (anything but the expected status), and the first few
failure reasons.

    python3 https_load.py CA HOST ADDR PATH STATUS STOP_FILE
"""

import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time

ca, host, addr, path, want, stop_file = sys.argv[1:7]
want = int(want)
context = ssl.create_default_context(cafile=ca)
lock = threading.Lock()
report = {"requests": 0, "failures": 0, "fresh": 0, "kept_alive": 0, "reasons": []}


class Connection(http.client.HTTPSConnection):
    """HTTPS to ADDR, verifying the certificate for HOST."""

    def connect(self):
        raw = socket.create_connection((addr, 443), timeout=5)
        self.sock = context.wrap_socket(raw, server_hostname=host)


def record(kind, ok, reason=None):
    with lock:
        report["requests"] += 1
        report[kind] += 1
        if not ok:
            report["failures"] += 1
            if len(report["reasons"]) < 10:
                report["reasons"].append(f"{kind}: {reason}")


def ask(conn):
    conn.request("GET", path, headers={"Host": host})
    resp = conn.getresponse()
    resp.read()
    return resp.status, resp.getheader("Connection", "")


def fresh():
    while not os.path.exists(stop_file):
        conn = Connection(host, timeout=5)
        try:
            status, _ = ask(conn)
            record("fresh", status == want, f"status {status}")
        except Exception as e:  # every failure is counted, whatever it is
            record("fresh", False, repr(e))
        finally:
            conn.close()


def kept_alive():
    conn = Connection(host, timeout=5)
    while not os.path.exists(stop_file):
        try:
            status, connection = ask(conn)
            record("kept_alive", status == want, f"status {status}")
            if connection.lower() == "close":
                conn.close()
                conn = Connection(host, timeout=5)
        except Exception as e:
            record("kept_alive", False, repr(e))
            conn.close()
            conn = Connection(host, timeout=5)
        time.sleep(0.002)
    conn.close()


threads = [threading.Thread(target=fresh), threading.Thread(target=kept_alive)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(report))
