"""Slow work runs off picd's loop: argon2id in a worker thread, the
answer deferred over a suspended connection. Another request is answered
while logins are still being checked; throttling counts attempts in
flight; a client leaving mid-check and SIGTERM with checks in flight are
handled."""

import json
import socket
import threading
import time

import requests


def raw_login(picd, password):
    """A login sent whole on a socket of its own; the answer is not read."""
    body = json.dumps({"username": "admin", "password": password}).encode()
    s = socket.create_connection(("127.0.0.1", picd.port), timeout=30)
    s.sendall(b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    return s


def status_of(sock):
    """Reads the whole answer; its status code (0 if none came)."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0


def parallel(n, fn):
    results = [None] * n
    done_at = [None] * n

    def run(i):
        results[i] = fn(i)
        done_at[i] = time.monotonic()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    return threads, results, done_at


def test_get_is_answered_while_logins_are_checked(picd):
    token = picd.token()
    # Four logins (one address may have at most five in flight), each
    # ~60 ms of argon2id, checked one at a time in the worker.
    socks = [raw_login(picd, picd.admin_password) for _ in range(4)]
    threads, results, done_at = parallel(4, lambda i: status_of(socks[i]))
    time.sleep(0.03)
    t0 = time.monotonic()
    r = requests.get(picd.url + "/api/config", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    get_done = time.monotonic()
    assert r.status_code == 200
    for t in threads:
        t.join()
    assert results == [200] * 4, results
    # In the loop, the checks would hold the GET until all four were done
    # (its answer then leaves together with theirs); off it, the GET
    # needs one pass of the loop and is answered before the second check
    # (at least two argon2id runs after the first login) has ended.
    assert get_done < sorted(done_at)[1], (get_done - t0, [d - t0 for d in done_at])


def test_parallel_wrong_passwords_cannot_pass_the_limit(picd):
    socks = [raw_login(picd, "wrong-password") for _ in range(12)]
    codes = [status_of(s) for s in socks]
    # Attempts in flight count as failures to come: five are checked,
    # the others refused at once.
    assert codes.count(401) == 5, codes
    assert codes.count(429) == 7, codes
    r = picd.login("wrong-password")
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 1
    assert picd.login().status_code == 429


def test_a_client_leaving_mid_check_is_still_counted(picd):
    for _ in range(5):
        raw_login(picd, "wrong-password").close()
    # Each check finishes in the worker with nobody waiting; picd lives on
    # and the failures count.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        r = picd.login("wrong-password")
        if r.status_code == 429:
            break
        time.sleep(0.1)
    assert r.status_code == 429
    assert requests.get(picd.url + "/health", timeout=5).status_code == 200
    assert picd.proc.poll() is None


def test_password_change_is_checked_off_the_loop(picd):
    s = picd.session()
    r = s.post(picd.url + "/api/auth/password",
               json={"current_password": "wrong-password", "new_password": "another-password"})
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "current_password"
    r = s.post(picd.url + "/api/auth/password",
               json={"current_password": picd.admin_password, "new_password": "another-password"})
    assert r.status_code == 204, r.text
    assert picd.login("another-password").status_code == 200
    assert picd.login(picd.admin_password).status_code == 401


def test_sigterm_with_logins_in_flight(picd):
    socks = [raw_login(picd, picd.admin_password) for _ in range(4)]
    time.sleep(0.02)
    threads, results, _ = parallel(4, lambda i: status_of(socks[i]))
    picd.stop(check=True)
    for t in threads:
        t.join()
    # Each waiting client got an answer: its login, or a 503 if cut off.
    assert all(c in (200, 503) for c in results), results
