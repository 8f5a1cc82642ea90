"""Authentication and authorisation: every route but the public ones
refuses anonymous access, CSRF on cookie sessions, login throttling,
sessions, passwords and API tokens."""

import os
import re
import signal
import sqlite3
import time

import requests

from conftest import routes


def concrete(pattern):
    return re.sub(r"\{[^}]+\}", "1", pattern)


def test_every_protected_route_refuses_anonymous_access(picd):
    table = routes()
    protected = [r for r in table if r[2] in ("auth", "self")]
    public = {(m, p) for m, p, a, _ in table if a == "public"}
    assert public == {("GET", "/health"), ("GET", "/api/access"), ("POST", "/api/auth/login"),
                      ("GET", "/api/vault/ca.crt"), ("GET", "/api/vault/crl"),
                      ("GET", "/mail/config-v1.1.xml"), ("GET", "/.well-known/autoconfig/mail/config-v1.1.xml")}
    assert len(protected) >= 10
    before = picd.session().get(picd.url + "/api/config").json()
    for method, pattern, _, limit in protected:
        url = picd.url + concrete(pattern)
        for headers in ({}, {"Authorization": "Bearer pic_notavalidtoken"},
                        {"Authorization": "Basic YWRtaW46YWRtaW4="},
                        {"Cookie": "pic_session=forged"}):
            r = requests.request(method, url, headers={**headers, "Content-Type": "application/json"},
                                 data="{}" if limit else None)
            assert r.status_code == 401, (method, pattern, headers, r.status_code, r.text)
            assert r.json()["error"]["code"] == "unauthorized"
    assert picd.session().get(picd.url + "/api/config").json() == before


def test_cookie_session_needs_csrf_for_changes(picd):
    s = picd.session()
    csrf = s.headers.pop("X-CSRF-Token")
    assert s.get(picd.url + "/api/config").status_code == 200
    r = s.put(picd.url + "/api/config", json={"cell_name": "home"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_required"
    r = s.put(picd.url + "/api/config", json={"cell_name": "home"}, headers={"X-CSRF-Token": "wrong" + csrf})
    assert r.status_code == 403
    assert s.get(picd.url + "/api/config").json()["cell_name"] == "mycell"
    r = s.put(picd.url + "/api/config", json={"cell_name": "home"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    # Every mutating protected route enforces it, not just this one.
    for method, pattern, access, _ in routes():
        if access in ("auth", "self") and method not in ("GET", "HEAD"):
            r = s.request(method, picd.url + re.sub(r"\{[^}]+\}", "1", pattern))
            assert r.status_code == 403, (method, pattern, r.status_code)


def test_login_cookie_attributes_and_session(picd):
    r = picd.login()
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("pic_session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP here
    s = requests.Session()
    s.cookies.update(r.cookies)
    info = s.get(picd.url + "/api/auth/session").json()
    assert info["username"] == "admin" and info["auth"] == "session"
    assert info["csrf_token"] == r.json()["csrf_token"]
    assert info["expires_at"] > time.time()


def test_wrong_password_and_unknown_user(picd):
    r = picd.login("wrong-password")
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_credentials"
    r = requests.post(picd.url + "/api/auth/login", json={"username": "root", "password": picd.admin_password})
    assert r.status_code == 401
    r = requests.post(picd.url + "/api/auth/login", json={"username": "admin"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "password"
    r = requests.post(picd.url + "/api/auth/login", json={"username": "admin", "password": "x", "otp": "1"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "otp"


def hashers(picd_pid):
    """pid -> peak RSS in kB of picd's argon2id helpers (picd --hasher)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            with open(f"/proc/{entry}/status") as f:
                hwm = [int(line.split()[1]) for line in f if line.startswith("VmHWM:")]
        except (OSError, ValueError, IndexError):
            continue
        if ppid == picd_pid and argv[1:2] == [b"--hasher"]:
            found[int(entry)] = hwm[0] if hwm else 0
    return found


def test_passwords_are_hashed_in_a_helper_that_survives_being_killed(picd):
    assert picd.login().status_code == 200
    first = hashers(picd.proc.pid)
    assert len(first) == 1, first
    # argon2id's 64 MiB were the helper's, not picd's.
    assert list(first.values())[0] >= 64 * 1024
    os.kill(list(first)[0], signal.SIGKILL)
    # The next login finds it gone, starts another and still answers right.
    assert picd.login().status_code == 200
    assert picd.login("wrong-password").status_code == 401
    second = hashers(picd.proc.pid)
    assert len(second) == 1 and set(second) != set(first), (first, second)
    # A password change goes through it too.
    s = picd.session()
    r = s.post(picd.url + "/api/auth/password", json={"current_password": picd.admin_password,
                                                     "new_password": "a-new-long-password"})
    assert r.status_code == 204, r.text
    assert picd.login("a-new-long-password").status_code == 200
    assert picd.login().status_code == 401


def test_login_throttling(picd):
    for _ in range(5):
        assert picd.login("wrong-password").status_code == 401
    r = picd.login("wrong-password")
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "too_many_attempts"
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # Even the right password is refused while throttled.
    assert picd.login().status_code == 429
    # The control socket is not throttled.
    assert picd.local("GET", "/api/config")[0] == 200


def test_logout_ends_the_session(picd):
    s = picd.session()
    r = s.post(picd.url + "/api/auth/logout")
    assert r.status_code == 204
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    s.cookies.clear()
    assert s.get(picd.url + "/api/config").status_code == 401


def test_logout_needs_a_session(picd):
    r = requests.post(picd.url + "/api/auth/logout", headers={"Authorization": "Bearer " + picd.token()})
    assert r.status_code == 400 and r.json()["error"]["code"] == "no_session"


def test_expired_session_is_refused(picd):
    s = picd.session()
    assert s.get(picd.url + "/api/config").status_code == 200
    db = sqlite3.connect(picd.state_dir + "/pic.db")
    db.execute("UPDATE sessions SET expires_at = 1")
    db.commit()
    db.close()
    assert s.get(picd.url + "/api/config").status_code == 401


def test_sessions_survive_restart(picd):
    s = picd.session()
    picd.restart()
    assert s.get(picd.url + "/api/config").status_code == 200
    assert s.put(picd.url + "/api/config", json={"domain": "example.org"}).status_code == 200


def test_password_change(picd):
    other = picd.session()
    s = picd.session()
    r = s.post(picd.url + "/api/auth/password", json={"current_password": "nope", "new_password": "a-new-password"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "current_password"
    r = s.post(picd.url + "/api/auth/password", json={"current_password": picd.admin_password, "new_password": "short"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "new_password"
    r = s.post(picd.url + "/api/auth/password", json={"new_password": "a-new-password"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "current_password"
    assert picd.login().status_code == 200  # unchanged so far
    r = s.post(picd.url + "/api/auth/password",
               json={"current_password": picd.admin_password, "new_password": "a-new-password"})
    assert r.status_code == 204
    assert s.get(picd.url + "/api/config").status_code == 200  # this session stays
    assert other.get(picd.url + "/api/config").status_code == 401  # others end
    assert picd.login().status_code == 401
    assert picd.login("a-new-password").status_code == 200


def test_api_tokens(picd):
    s = picd.session()
    r = s.post(picd.url + "/api/auth/tokens", json={"name": "backup script"})
    assert r.status_code == 201
    created = r.json()
    token = created["token"]
    assert token.startswith("pic_") and len(token) > 40
    assert r.headers["Location"] == f"/api/auth/tokens/{created['id']}"
    bearer = {"Authorization": "Bearer " + token}
    assert requests.get(picd.url + "/api/config", headers=bearer).status_code == 200
    # Bearer requests need no CSRF token.
    assert requests.put(picd.url + "/api/config", json={"cell_name": "scripted"}, headers=bearer).status_code == 200
    listed = s.get(picd.url + "/api/auth/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["backup script"]
    assert "token" not in listed[0] and token not in str(listed)
    assert listed[0]["last_used_at"] is not None
    assert s.delete(picd.url + f"/api/auth/tokens/{created['id']}").status_code == 204
    assert requests.get(picd.url + "/api/config", headers=bearer).status_code == 401
    r = s.delete(picd.url + f"/api/auth/tokens/{created['id']}")
    assert r.status_code == 404
    r = s.delete(picd.url + "/api/auth/tokens/abc")
    assert r.status_code == 400 and r.json()["error"]["field"] == "id"


def test_token_name_validation(picd):
    s = picd.session()
    for body, field in (({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 65}, "name"),
                        ({"name": "bad/name"}, "name"), ({"name": 5}, "name"), ({"name": "a", "x": 1}, "x")):
        r = s.post(picd.url + "/api/auth/tokens", json=body)
        assert r.status_code == 400, body
        assert r.json()["error"]["field"] == field, body
    assert s.get(picd.url + "/api/auth/tokens").json()["tokens"] == []


def test_token_limit(picd):
    s = picd.session()
    for i in range(100):
        assert s.post(picd.url + "/api/auth/tokens", json={"name": f"t{i}"}).status_code == 201
    r = s.post(picd.url + "/api/auth/tokens", json={"name": "one-too-many"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "limit_reached"


def test_secrets_never_reach_the_log(picd):
    token = picd.token()
    picd.login("a-wrong-password")
    s = picd.session()
    s.post(picd.url + "/api/auth/password", json={"current_password": picd.admin_password,
                                                   "new_password": "another-secret-pw"})
    log = picd.stderr()
    for secret in (picd.admin_password, token, "a-wrong-password", "another-secret-pw",
                   s.cookies.get("pic_session")):
        assert secret not in log
    assert "failed login for 'admin'" in log
