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


# --- proxy changes off the loop --------------------------------------------

def put_route(picd, token, vip, enabled):
    return requests.put(picd.url + f"/api/proxy/routes/{vip}", json={"enabled": enabled},
                        headers={"Authorization": f"Bearer {token}"}, timeout=30)


def get_answered_during(picd, token, change, undo=None, wait=0.01):
    """A GET sent while `change(i)` (a slow PUT, in a thread) is under way
    is answered before it, in one of three tries. `undo()` after a try
    that lost the race."""
    auth = {"Authorization": f"Bearer {token}"}
    done = {}

    def run(i):
        status = change(i)
        done["put"] = (time.monotonic(), status)

    for i in range(3):
        t = threading.Thread(target=run, args=(i,))
        t.start()
        time.sleep(wait)
        r = requests.get(picd.url + "/api/config", headers=auth, timeout=10)
        got = time.monotonic()
        t.join()
        assert r.status_code == 200 and done["put"][1] == 200, done
        if got < done["put"][0]:
            return i
        if undo:
            undo()
    raise AssertionError("the GET waited for the change three times in a row")


def test_get_is_answered_during_a_route_change(picd):
    token = picd.token()
    # The change (caddy validate, /load, the HTTPS check: ~100 ms) is under
    # way in the proxy's worker thread; the loop answers meanwhile.
    get_answered_during(picd, token, lambda i: put_route(picd, token, "calendar", False).status_code,
                        undo=lambda: put_route(picd, token, "calendar", True))


def test_changes_to_the_proxy_are_serialised(picd):
    token = picd.token()
    results = {}

    def change(vip):
        results[vip] = put_route(picd, token, vip, False).status_code

    threads = [threading.Thread(target=change, args=(vip,)) for vip in ("calendar", "files", "mail")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"calendar": 200, "files": 200, "mail": 200}, results
    # Each rendered from what the one before committed: all three are off
    # in the store and in what caddy runs.
    status, _, doc = picd.local("GET", "/api/proxy/routes")
    assert {r["vip"]: r["state"] for r in doc["routes"]} == {
        "webui": "serving", "calendar": "off", "files": "off", "mail": "off"}
    live = open(f"{picd.state_dir}/services/proxy/caddy.json").read()
    assert live.count("switched off") >= 3, live[:2000]
    # One change at a time: each began after the one before was done.
    log = [l for l in picd.stderr().splitlines()
           if "proxy: applying the new configuration in its worker" in l
           or "proxy: new configuration applied and verified" in l]
    kinds = ["start" if "applying" in l else "end" for l in log]
    assert kinds[-6:] == ["start", "end"] * 3, log


def test_a_route_change_caddy_refuses_answers_422_and_changes_nothing(tmp_path):
    from conftest import Picd
    d = Picd(tmp_path, extra_args=["--test-faults", "proxy-reject-off=files"])
    d.start()
    live_path = f"{d.state_dir}/services/proxy/caddy.json"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        svc = {s["name"]: s for s in d.local("GET", "/api/services")[2]["services"]}["proxy"]
        if svc["state"] == "running" and svc["healthy"]:
            break
        time.sleep(0.1)
    before = open(live_path).read()
    pid = svc["pid"]
    status, _, doc = d.local("PUT", "/api/proxy/routes/files", {"enabled": False})
    assert status == 422, doc
    assert doc["error"]["code"] == "rejected_by_daemon" and doc["error"]["field"] == "enabled"
    assert open(live_path).read() == before
    routes = {r["vip"]: r for r in d.local("GET", "/api/proxy/routes")[2]["routes"]}
    assert routes["files"]["enabled"] is True
    svc = {s["name"]: s for s in d.local("GET", "/api/services")[2]["services"]}["proxy"]
    assert svc["pid"] == pid
    # Another change still goes through.
    status, _, doc = d.local("PUT", "/api/proxy/routes/calendar", {"enabled": False})
    assert status == 200, doc
    d.stop()


# --- changes to daemons without a live API ---------------------------------

def test_get_is_answered_during_an_ntp_change(picd):
    """chronyd -p, the install, chronyd's restart and the probe of a PUT
    /api/ntp/config run in the service's worker: a GET sent meanwhile is
    answered before the PUT."""
    token = picd.token()
    auth = {"Authorization": f"Bearer {token}"}

    def change(i):
        return requests.put(picd.url + "/api/ntp/config", json={"servers": [f"192.0.2.{20 + i}"]}, headers=auth,
                            timeout=30).status_code

    i = get_answered_during(picd, token, change, wait=0.005)
    assert "ntp: rendering and applying the configuration in its worker" in picd.stderr()
    status, _, doc = picd.local("GET", "/api/ntp/config")
    assert status == 200 and doc["servers"] == [f"192.0.2.{20 + i}"]


def test_ntp_changes_wait_for_each_other(picd):
    token = picd.token()
    auth = {"Authorization": f"Bearer {token}"}
    results = {}

    def change(k):
        results[k] = requests.put(picd.url + "/api/ntp/config", json={"servers": [f"192.0.2.{30 + k}"]},
                                  headers=auth, timeout=30).status_code

    threads = [threading.Thread(target=change, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {0: 200, 1: 200, 2: 200}, results
    # Whichever committed last is both stored and what chronyd runs.
    status, _, doc = picd.local("GET", "/api/ntp/config")
    conf = open(f"{picd.state_dir}/services/ntp/chrony.conf").read()
    assert status == 200 and len(doc["servers"]) == 1
    assert f"server {doc['servers'][0]} iburst" in conf and conf.count("server 192.0.2.") == 1, conf
