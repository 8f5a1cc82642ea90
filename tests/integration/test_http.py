"""HTTP behaviour of the API: routing errors, limits, content types and the
error format, against the real picd."""

import json
import socket

import requests

from conftest import routes


def assert_error(r, status, code, field=None):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/json"
    err = r.json()["error"]
    assert err["code"] == code
    assert err["message"]
    if field is None:
        assert "field" not in err
    else:
        assert err["field"] == field


def test_health_needs_no_auth(picd):
    r = requests.get(picd.url + "/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["version"]
    assert isinstance(body["uptime_s"], int)


def test_unknown_path_is_404(picd):
    assert_error(requests.get(picd.url + "/api/nope"), 404, "not_found")
    assert_error(requests.get(picd.url + "/api/config/"), 404, "not_found")


def test_wrong_method_is_405_with_allow(picd):
    r = requests.delete(picd.url + "/api/config")
    assert_error(r, 405, "method_not_allowed")
    assert set(r.headers["Allow"].split(", ")) == {"GET", "PUT"}
    r = requests.post(picd.url + "/health")
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["Allow"] == "GET"


def test_body_over_route_limit_is_413(picd):
    s = picd.session()
    limits = {(m, p): limit for m, p, _, limit in routes()}
    big = json.dumps({"cell_name": "a" * limits[("PUT", "/api/config")]})
    r = s.put(picd.url + "/api/config", data=big, headers={"Content-Type": "application/json"})
    assert_error(r, 413, "payload_too_large")
    # A route that takes no body refuses one.
    r = s.post(picd.url + "/api/config/apply", data="{}", headers={"Content-Type": "application/json"})
    assert_error(r, 413, "payload_too_large")


def test_chunked_body_over_limit_is_413(picd):
    s = picd.session()

    def chunks():
        for _ in range(10):
            yield b" " * 1000
        yield b"{}"

    r = s.put(picd.url + "/api/config", data=chunks(), headers={"Content-Type": "application/json"})
    assert_error(r, 413, "payload_too_large")


def test_wrong_content_type_is_415(picd):
    s = picd.session()
    r = s.put(picd.url + "/api/config", data='{"cell_name":"x"}', headers={"Content-Type": "text/plain"})
    assert_error(r, 415, "unsupported_media_type")
    r = s.put(picd.url + "/api/config", data='{"cell_name":"x"}',
              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 415, "unsupported_media_type")
    assert s.get(picd.url + "/api/config").json()["cell_name"] == "mycell"


def test_malformed_json_reports_line_and_column(picd):
    s = picd.session()
    r = s.put(picd.url + "/api/config", data='{\n  "cell_name": "x",\n  oops\n}',
              headers={"Content-Type": "application/json"})
    assert_error(r, 400, "invalid_json")
    assert "line 3" in r.json()["error"]["message"]
    assert "column" in r.json()["error"]["message"]


def test_deep_json_is_refused(picd):
    s = picd.session()
    r = s.put(picd.url + "/api/config", data="[" * 50 + "]" * 50, headers={"Content-Type": "application/json"})
    assert_error(r, 400, "invalid_json")


def test_duplicate_keys_are_refused(picd):
    s = picd.session()
    r = s.put(picd.url + "/api/config", data='{"cell_name":"a","cell_name":"b"}',
              headers={"Content-Type": "application/json"})
    assert_error(r, 400, "invalid_json")


def test_head_is_answered_like_get_without_body(picd):
    r = requests.head(picd.url + "/health")
    assert r.status_code == 200
    assert r.content == b""


def test_openapi_document_lists_every_route(picd):
    doc = requests.get(picd.url + "/api/openapi.json", headers={"Authorization": "Bearer " + picd.token()}).json()
    assert doc["openapi"].startswith("3.1")
    for method, pattern, _, _ in routes():
        assert method.lower() in doc["paths"][pattern], (method, pattern)


def test_garbage_request_line_does_not_kill_picd(picd):
    with socket.create_connection(("127.0.0.1", picd.port)) as s:
        s.sendall(b"\x00\xffNOT HTTP\r\n\r\n")
        s.settimeout(5)
        try:
            s.recv(4096)
        except (ConnectionResetError, socket.timeout):
            pass
    assert requests.get(picd.url + "/health").status_code == 200
