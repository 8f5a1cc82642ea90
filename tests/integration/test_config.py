"""GET/PUT /api/config: defaults, the derived address plan, validation
(each failure a 400 naming the field, nothing stored), ETag/If-Match,
pending network changes and apply, persistence."""

import pytest
import requests

DEFAULTS = {"cell_name": "mycell", "domain": "cell", "ip_range": "172.20.0.0/16",
            "vpn_subnet": "10.0.0.0/24", "wireguard_port": 51820, "endpoint": None}


def test_defaults_and_address_plan(picd):
    s = picd.session()
    r = s.get(picd.url + "/api/config")
    assert r.status_code == 200
    doc = r.json()
    for k, v in DEFAULTS.items():
        assert doc[k] == v
    assert doc["addresses"]["host"] == "172.20.0.1"
    assert set(doc["addresses"]) == {"host", "dns", "dhcp", "ntp", "vpn", "proxy", "mail", "dav", "files", "webui"}
    assert set(doc["virtual_ips"]) == {"calendar", "files", "mail", "webui"}
    every = list(doc["addresses"].values()) + list(doc["virtual_ips"].values())
    assert len(set(every)) == len(every)
    assert all(ip.startswith("172.20.0.") for ip in every)
    assert doc["vpn"]["server"] == "10.0.0.1"
    assert doc["pending"] == []
    assert r.headers["ETag"].startswith('"')


def test_partial_update(picd):
    s = picd.session()
    r = s.put(picd.url + "/api/config", json={"cell_name": "home", "endpoint": "vpn.example.org:51821",
                                               "wireguard_port": 51821})
    assert r.status_code == 200, r.text
    doc = s.get(picd.url + "/api/config").json()
    assert (doc["cell_name"], doc["domain"], doc["endpoint"], doc["wireguard_port"]) == \
        ("home", "cell", "vpn.example.org:51821", 51821)
    assert s.put(picd.url + "/api/config", json={"endpoint": None}).json()["endpoint"] is None


BAD = [
    ({"cell_name": ""}, "cell_name"),
    ({"cell_name": "a" * 64}, "cell_name"),
    ({"cell_name": "-home"}, "cell_name"),
    ({"cell_name": "home-"}, "cell_name"),
    ({"cell_name": "ho me"}, "cell_name"),
    ({"cell_name": 5}, "cell_name"),
    ({"cell_name": None}, "cell_name"),
    ({"domain": ".".join(["a" * 63] * 4) + "x"}, "domain"),
    ({"domain": "a..b"}, "domain"),
    ({"ip_range": "172.20.0.0"}, "ip_range"),
    ({"ip_range": "172.20.0.1/16"}, "ip_range"),
    ({"ip_range": "8.8.0.0/16"}, "ip_range"),
    ({"ip_range": "172.16.0.0/15"}, "ip_range"),
    ({"ip_range": "172.20.0.0/29"}, "ip_range"),
    ({"ip_range": "fd00::/64"}, "ip_range"),
    ({"ip_range": "10.0.0.0/16"}, "ip_range"),  # overlaps vpn_subnet 10.0.0.0/24
    ({"vpn_subnet": "172.20.5.0/24"}, "vpn_subnet"),  # overlaps ip_range
    ({"vpn_subnet": "10.0.0.0/31"}, "vpn_subnet"),
    ({"wireguard_port": 0}, "wireguard_port"),
    ({"wireguard_port": 65536}, "wireguard_port"),
    ({"wireguard_port": "51820"}, "wireguard_port"),
    ({"wireguard_port": 1.5}, "wireguard_port"),
    ({"endpoint": "bad_host"}, "endpoint"),
    ({"endpoint": "host:0"}, "endpoint"),
    ({"colour": "blue"}, "colour"),
    # One bad field spoils the whole change: the good one is not stored.
    ({"cell_name": "fine", "wireguard_port": -1}, "wireguard_port"),
]


@pytest.mark.parametrize("patch,field", BAD)
def test_invalid_input_names_the_field_and_changes_nothing(picd, patch, field):
    s = picd.session()
    before = s.get(picd.url + "/api/config")
    r = s.put(picd.url + "/api/config", json=patch)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["field"] == field
    assert err["message"]
    after = s.get(picd.url + "/api/config")
    assert after.json() == before.json()
    assert after.headers["ETag"] == before.headers["ETag"]
    assert s.get(picd.url + "/api/config/pending").json()["pending"] == []


def test_non_object_bodies(picd):
    s = picd.session()
    for body in ("[]", '"x"', "{}", "null"):
        r = s.put(picd.url + "/api/config", data=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, body
    r = s.put(picd.url + "/api/config")
    assert r.status_code == 400


def test_etag_and_if_match(picd):
    s = picd.session()
    first = s.get(picd.url + "/api/config")
    etag = first.headers["ETag"]
    assert s.get(picd.url + "/api/config", headers={"If-None-Match": etag}).status_code == 304
    # Tab A writes with the ETag it read.
    r = s.put(picd.url + "/api/config", json={"cell_name": "taba"}, headers={"If-Match": etag})
    assert r.status_code == 200
    new_etag = r.headers["ETag"]
    assert new_etag != etag
    # Tab B, still holding the old ETag, is refused and changes nothing.
    r = s.put(picd.url + "/api/config", json={"cell_name": "tabb"}, headers={"If-Match": etag})
    assert r.status_code == 412
    assert r.json()["error"]["code"] == "precondition_failed"
    assert s.get(picd.url + "/api/config").json()["cell_name"] == "taba"
    assert s.put(picd.url + "/api/config", json={"cell_name": "tabb"},
                 headers={"If-Match": "*"}).status_code == 200
    # A write that changes nothing keeps the ETag.
    etag = s.get(picd.url + "/api/config").headers["ETag"]
    assert s.put(picd.url + "/api/config", json={"cell_name": "tabb"}).headers["ETag"] == etag


def test_network_changes_are_pending_until_applied(picd):
    s = picd.session()
    r = s.put(picd.url + "/api/config", json={"ip_range": "10.20.0.0/16", "cell_name": "home"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["cell_name"] == "home"  # applied at once
    assert doc["ip_range"] == "172.20.0.0/16"  # still the old network
    assert doc["addresses"]["dns"] == "172.20.0.2"
    pending = s.get(picd.url + "/api/config/pending").json()["pending"]
    assert [(p["field"], p["value"], p["current"]) for p in pending] == \
        [("ip_range", "10.20.0.0/16", "172.20.0.0/16")]
    # A vpn_subnet that would overlap the *pending* ip_range is refused.
    r = s.put(picd.url + "/api/config", json={"vpn_subnet": "10.20.1.0/24"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "vpn_subnet"

    r = s.post(picd.url + "/api/config/apply")
    assert r.status_code == 200
    assert r.json()["applied"] == [{"field": "ip_range", "value": "10.20.0.0/16"}]
    doc = s.get(picd.url + "/api/config").json()
    assert doc["ip_range"] == "10.20.0.0/16"
    assert doc["addresses"]["dns"] == "10.20.0.2"
    assert doc["pending"] == []
    r = s.post(picd.url + "/api/config/apply")
    assert r.status_code == 200 and r.json()["applied"] == []


def test_setting_a_network_back_cancels_the_pending_change(picd):
    s = picd.session()
    s.put(picd.url + "/api/config", json={"vpn_subnet": "10.9.0.0/24"})
    assert len(s.get(picd.url + "/api/config/pending").json()["pending"]) == 1
    s.put(picd.url + "/api/config", json={"vpn_subnet": "10.0.0.0/24"})
    assert s.get(picd.url + "/api/config/pending").json()["pending"] == []


def test_config_persists_across_restart(picd):
    s = picd.session()
    s.put(picd.url + "/api/config", json={"cell_name": "persist", "ip_range": "192.168.100.0/24"})
    etag = s.get(picd.url + "/api/config").headers["ETag"]
    picd.restart()
    r = s.get(picd.url + "/api/config")
    assert r.json()["cell_name"] == "persist"
    assert r.headers["ETag"] == etag
    assert r.json()["pending"][0]["value"] == "192.168.100.0/24"


def test_local_socket_speaks_the_same_api(picd):
    status, headers, doc = picd.local("GET", "/api/config")
    assert status == 200 and doc["cell_name"] == "mycell"
    status, _, doc = picd.local("PUT", "/api/config", {"cell_name": "viasocket"})
    assert status == 200 and doc["cell_name"] == "viasocket"
    status, _, doc = picd.local("PUT", "/api/config", {"cell_name": "-bad"})
    assert status == 400 and doc["error"]["field"] == "cell_name"
    status, _, doc = picd.local("GET", "/api/auth/session")
    assert doc == {"username": "admin", "role": "admin", "auth": "local"}
    assert requests.get(picd.url + "/api/config",
                        headers={"Authorization": "Bearer " + picd.token()}).json()["cell_name"] == "viasocket"
