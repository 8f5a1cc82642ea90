"""Cell accounts through the API: created, listed, changed, disabled,
deleted; every rule of their input refused with the field named and
nothing changed; a cell account logs in and may use only its own page —
every admin route in the table answers it 403."""

import json
import re

import requests

from conftest import routes

GOOD = "saffron-kettle-42"


def login(picd, name, password):
    s = requests.Session()
    r = s.post(picd.url + "/api/auth/login", json={"username": name, "password": password})
    if r.status_code == 200:
        s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return s, r


def create(picd, **body):
    status, _, doc = picd.local("POST", "/api/users", {"password": GOOD, **body})
    assert status == 201, doc
    return doc


def zone_of(picd):
    conf = picd.local("GET", "/api/config")[2]
    return f"{conf['cell_name']}.{conf['domain']}"


def test_account_lifecycle(picd):
    zone = zone_of(picd)
    assert picd.local("GET", "/api/users")[2] == {"users": []}
    doc = create(picd, name="alice", display_name="Alice Liddell", aliases=["al", "postmaster"])
    assert doc["name"] == "alice" and doc["display_name"] == "Alice Liddell"
    assert doc["services"] == ["mail", "calendar", "files"] and doc["mail_quota_mb"] == 1024
    assert doc["aliases"] == ["al", "postmaster"] and doc["disabled"] is False
    assert doc["addresses"] == [f"alice@{zone}", f"al@{zone}", f"postmaster@{zone}"]
    assert "password" not in str(doc) and "$2b$" not in str(doc)
    create(picd, name="bob", services=["calendar"], mail_quota_mb=0)
    listed = picd.local("GET", "/api/users")[2]["users"]
    assert [u["name"] for u in listed] == ["alice", "bob"]
    assert picd.local("GET", "/api/users/bob")[2]["services"] == ["calendar"]

    status, _, doc = picd.local("PUT", "/api/users/bob", {"services": ["mail", "files"], "aliases": ["robert"],
                                                           "display_name": "Bob", "mail_quota_mb": 50})
    assert status == 200, doc
    assert doc["services"] == ["mail", "files"] and doc["aliases"] == ["robert"] and doc["mail_quota_mb"] == 50
    assert picd.local("GET", "/api/users/bob")[2] == doc

    # A cell account logs in with its own password (bcrypt), sees its page.
    s, r = login(picd, "alice", GOOD)
    assert r.status_code == 200 and r.json()["role"] == "user", r.text
    assert s.get(picd.url + "/api/auth/session").json()["role"] == "user"
    me = s.get(picd.url + "/api/me").json()
    assert me["name"] == "alice" and me["addresses"][0] == f"alice@{zone}"
    assert picd.session().get(picd.url + "/api/me").status_code == 404  # the admin has none

    # Disabling ends its sessions and refuses its logins; enabling lets it in.
    assert picd.local("PUT", "/api/users/alice", {"disabled": True})[2]["disabled"] is True
    assert s.get(picd.url + "/api/me").status_code == 401
    assert login(picd, "alice", GOOD)[1].status_code == 401
    assert picd.local("PUT", "/api/users/alice", {"disabled": False})[0] == 200
    s, r = login(picd, "alice", GOOD)
    assert r.status_code == 200

    # An admin's reset: the new password works, the old does not, sessions end.
    assert picd.local("PUT", "/api/users/alice", {"password": "quiet-lantern-77"})[0] == 200
    assert s.get(picd.url + "/api/me").status_code == 401
    assert login(picd, "alice", GOOD)[1].status_code == 401
    s, r = login(picd, "alice", "quiet-lantern-77")
    assert r.status_code == 200

    # The account changes its own password under the account rules.
    r = s.post(picd.url + "/api/auth/password", json={"current_password": "quiet-lantern-77",
                                                        "new_password": "alice-rules-1"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "new_password", r.text
    r = s.post(picd.url + "/api/auth/password", json={"current_password": "quiet-lantern-77",
                                                        "new_password": "velvet-harbour-9"})
    assert r.status_code == 204, r.text
    assert login(picd, "alice", "velvet-harbour-9")[1].status_code == 200

    # Deleted: gone from the list, its login refused, its name free again.
    assert picd.local("DELETE", "/api/users/alice?purge=true")[0] == 204
    assert picd.local("GET", "/api/users/alice")[0] == 404
    assert login(picd, "alice", "velvet-harbour-9")[1].status_code == 401
    assert s.get(picd.url + "/api/me").status_code == 401
    create(picd, name="alice", aliases=["al"])
    assert picd.local("DELETE", "/api/users/alice")[0] == 204
    assert picd.local("DELETE", "/api/users/alice")[0] == 404


def test_accounts_survive_a_restart(picd):
    create(picd, name="carol", aliases=["caz"], services=["mail"])
    before = picd.local("GET", "/api/users")[2]
    picd.restart()
    assert picd.local("GET", "/api/users")[2] == before
    assert login(picd, "carol", GOOD)[1].status_code == 200


BAD_CREATE = [
    ({"name": "Alice"}, "name"),
    ({"name": "9lives"}, "name"),
    ({"name": "bad_name"}, "name"),
    ({"name": "trailing-"}, "name"),
    ({"name": "a" * 33}, "name"),
    ({"name": ""}, "name"),
    ({"name": "postmaster"}, "name"),
    ({"name": "admin"}, "name"),
    ({"name": "root"}, "name"),
    ({"name": "abuse"}, "name"),
    ({"name": "hostmaster"}, "name"),
    ({"name": "dave", "password": "short1"}, "password"),
    ({"name": "dave", "password": "dave-is-great"}, "password"),
    ({"name": "dave", "password": "aaaaaaaaaaaa"}, "password"),
    ({"name": "dave", "password": "Password123"}, "password"),
    ({"name": "dave", "password": "line\nbreak-here"}, "password"),
    ({"name": "dave", "display_name": "x" * 129}, "display_name"),
    ({"name": "dave", "display_name": 7}, "display_name"),
    ({"name": "dave", "services": ["mail", "chat"]}, "services[1]"),
    ({"name": "dave", "services": ["mail", "mail"]}, "services[1]"),
    ({"name": "dave", "services": "mail"}, "services"),
    ({"name": "dave", "mail_quota_mb": -1}, "mail_quota_mb"),
    ({"name": "dave", "mail_quota_mb": 1.5}, "mail_quota_mb"),
    ({"name": "dave", "mail_quota_mb": 1048577}, "mail_quota_mb"),
    ({"name": "dave", "aliases": ["ok", "Bad"]}, "aliases[1]"),
    ({"name": "dave", "aliases": ["dave"]}, "aliases[0]"),
    ({"name": "dave", "aliases": ["x1", "x1"]}, "aliases[1]"),
    ({"name": "dave", "aliases": [f"a{i}" for i in range(33)]}, "aliases"),
    ({"name": "dave", "disabled": True}, "disabled"),
    ({"name": "dave", "colour": "blue"}, "colour"),
]


def test_invalid_account_input_is_refused_and_changes_nothing(picd):
    create(picd, name="erin", aliases=["taken"])
    before = picd.local("GET", "/api/users")[2]
    for body, field in BAD_CREATE:
        status, _, doc = picd.local("POST", "/api/users", {"password": GOOD, **body})
        assert status == 400 and doc["error"]["field"] == field, (body, doc)
        assert doc["error"]["message"], doc
    assert picd.local("GET", "/api/users")[2] == before


def test_taken_names_and_aliases_are_409(picd):
    create(picd, name="erin", aliases=["taken"])
    create(picd, name="frank")
    before = picd.local("GET", "/api/users")[2]
    for body, field in (({"name": "erin"}, "name"), ({"name": "taken"}, "name"),
                        ({"name": "gina", "aliases": ["ok", "erin"]}, "aliases[1]"),
                        ({"name": "gina", "aliases": ["taken"]}, "aliases[0]")):
        status, _, doc = picd.local("POST", "/api/users", {"password": GOOD, **body})
        assert status == 409 and doc["error"]["field"] == field, (body, doc)
    status, _, doc = picd.local("PUT", "/api/users/frank", {"aliases": ["taken"]})
    assert status == 409 and doc["error"]["field"] == "aliases[0]", doc
    # Its own alias again is no conflict.
    assert picd.local("PUT", "/api/users/erin", {"aliases": ["taken", "more"]})[0] == 200
    assert picd.local("PUT", "/api/users/erin", {"aliases": ["taken"]})[0] == 200
    # As before but for when erin was last written (those two PUTs).
    def unstamped(doc):
        return [{k: v for k, v in u.items() if k != "updated_at"} for u in doc["users"]]
    assert unstamped(picd.local("GET", "/api/users")[2]) == unstamped(before)
    for path, body, code, field in (("/api/users/frank", {"password": "frank-frank-1"}, 400, "password"),
                                    ("/api/users/frank", {"disabled": "yes"}, 400, "disabled"),
                                    ("/api/users/frank", {"name": "frankie"}, 400, "name"),
                                    ("/api/users/nobody-here", {"disabled": True}, 404, None)):
        status, _, doc = picd.local("PUT", path, body)
        assert status == code and doc["error"].get("field") == field, (path, body, doc)
    assert picd.local("DELETE", "/api/users/frank?purge=maybe")[2]["error"]["field"] == "purge"
    assert picd.local("GET", "/api/users")[2] == before


def concrete(pattern):
    return re.sub(r"\{[^}]+\}", "x1", pattern)


def test_a_cell_account_may_use_only_its_own_routes(picd):
    """Every route of the table: an admin route answers a cell account's
    session 403 admin_required and changes nothing; its own routes work."""
    create(picd, name="hana")
    s, r = login(picd, "hana", GOOD)
    assert r.status_code == 200
    admin = picd.session()
    before = (admin.get(picd.url + "/api/config").json(), admin.get(picd.url + "/api/users").json())
    table = routes()
    own = {(m, p) for m, p, a, _ in table if a == "self"}
    assert own == {("POST", "/api/auth/logout"), ("GET", "/api/auth/session"), ("POST", "/api/auth/password"),
                   ("GET", "/api/me")}
    checked = 0
    for method, pattern, access, limit in table:
        if access != "auth":
            continue
        r = s.request(method, picd.url + concrete(pattern), json={} if limit else None, timeout=10)
        assert r.status_code == 403, (method, pattern, r.status_code, r.text)
        assert r.json()["error"]["code"] == "admin_required"
        checked += 1
    assert checked >= 60
    assert (admin.get(picd.url + "/api/config").json(), admin.get(picd.url + "/api/users").json()) == before
    assert s.get(picd.url + "/api/me").status_code == 200
    assert s.post(picd.url + "/api/auth/logout").status_code == 204


def test_cli(picd):
    def ok(p):
        assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
        return p.stdout

    def refused(p, field):
        assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
        assert f"(field: {field})" in p.stderr, p.stderr

    zone = zone_of(picd)
    out = ok(picd.pic("user", "add", "ivan", "--display-name", "Ivan", "--services", "mail,files",
                      "--quota", "200", "--aliases", "iv,sales", input=GOOD + "\n"))
    assert "ivan" in out and "mail,files" in out and "200 MiB" in out and f"sales@{zone}" in out, out
    assert login(picd, "ivan", GOOD)[1].status_code == 200
    doc = json.loads(ok(picd.pic("--json", "user", "show", "ivan")))
    assert doc["services"] == ["mail", "files"] and doc["aliases"] == ["iv", "sales"]
    assert "ivan" in ok(picd.pic("user", "list"))
    ok(picd.pic("user", "set", "ivan", "--services", "calendar", "--aliases", "none", "--quota", "0"))
    doc = picd.local("GET", "/api/users/ivan")[2]
    assert doc["services"] == ["calendar"] and doc["aliases"] == [] and doc["mail_quota_mb"] == 0
    ok(picd.pic("user", "passwd", "ivan", input="marble-orchard-5\n"))
    assert login(picd, "ivan", "marble-orchard-5")[1].status_code == 200
    ok(picd.pic("user", "disable", "ivan"))
    assert login(picd, "ivan", "marble-orchard-5")[1].status_code == 401
    ok(picd.pic("user", "enable", "ivan"))
    assert login(picd, "ivan", "marble-orchard-5")[1].status_code == 200

    # Refused input: exit 2 naming the field, nothing changed.
    before = picd.local("GET", "/api/users")[2]
    refused(picd.pic("user", "add", "Ivan2", input=GOOD + "\n"), "name")
    refused(picd.pic("user", "add", "postmaster", input=GOOD + "\n"), "name")
    refused(picd.pic("user", "add", "jo", input="short\n"), "password")
    refused(picd.pic("user", "add", "jo", "--services", "mail,chat", input=GOOD + "\n"), "services[1]")
    refused(picd.pic("user", "add", "ivan", input=GOOD + "\n"), "name")
    refused(picd.pic("user", "passwd", "ivan", input="ivan-ivan-ivan\n"), "password")
    refused(picd.pic("user", "set", "ivan", "--aliases", "Bad"), "aliases[0]")
    refused(picd.pic("user", "set", "ivan", "--quota", "2000000"), "mail_quota_mb")
    assert picd.local("GET", "/api/users")[2] == before
    p = picd.pic("user", "add", "jo", "--quota", "lots", input=GOOD + "\n")
    assert p.returncode == 1 and "--quota" in p.stderr, p
    p = picd.pic("user", "show", "nobody")
    assert p.returncode == 2 and "no account" in p.stderr, p
    assert picd.local("GET", "/api/users")[2] == before

    out = ok(picd.pic("user", "rm", "ivan"))
    assert "kept" in out
    assert ok(picd.pic("user", "list")).strip() == "no accounts"


def test_the_same_name_at_once_is_made_once(picd):
    """Ten creates of one name race through the hashing helper: the name
    is checked again when the hash is back, so one wins, the rest 409."""
    import concurrent.futures
    admin = picd.session()

    def make(i):
        return admin.post(picd.url + "/api/users", json={"name": "zed", "password": GOOD,
                                                          "display_name": f"Zed {i}"}).status_code

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        codes = sorted(pool.map(make, range(10)))
    assert codes == [201] + [409] * 9, codes
    users = picd.local("GET", "/api/users")[2]["users"]
    assert [u["name"] for u in users] == ["zed"]
    assert login(picd, "zed", GOOD)[1].status_code == 200


def test_a_change_made_while_a_password_is_hashed_stands(picd):
    """A reset takes a bcrypt hash (~50 ms) before it is written; the
    account disabled meanwhile stays disabled."""
    import threading
    create(picd, name="yuri")
    for _ in range(3):
        done = []
        t = threading.Thread(target=lambda: done.append(
            picd.local("PUT", "/api/users/yuri", {"password": "quiet-lantern-77", "display_name": "Yuri"})))
        t.start()
        assert picd.local("PUT", "/api/users/yuri", {"disabled": True})[0] == 200
        t.join(30)
        assert done and done[0][0] == 200, done
        doc = picd.local("GET", "/api/users/yuri")[2]
        assert doc["disabled"] is True and doc["display_name"] == "Yuri", doc
        assert login(picd, "yuri", "quiet-lantern-77")[1].status_code == 401
        assert picd.local("PUT", "/api/users/yuri", {"disabled": False, "display_name": ""})[0] == 200
    assert login(picd, "yuri", "quiet-lantern-77")[1].status_code == 200
