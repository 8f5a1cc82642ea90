"""A change is answered once it is on disk. With every sync of the store
failing, as on a disk that refuses writes (picd --test-faults
store-sync-fail), a request that wrote — answered at once or deferred —
gets 500 not_durable, and a read is answered as ever, not held for it."""

from conftest import Picd


def test_a_write_is_answered_only_once_on_disk(tmp_path):
    d = Picd(tmp_path, extra_args=["--test-faults", "store-sync-fail"])
    d.start()
    try:
        status, _, doc = d.local("GET", "/api/config")
        assert status == 200, doc
        # Answered at once by its handler: held for the sync, which fails.
        status, _, doc = d.local("PUT", "/api/config", {"cell_name": "home"})
        assert status == 500, doc
        assert doc["error"]["code"] == "not_durable"
        assert "could not be written to disk" in doc["error"]["message"]
        # Deferred (the DNS pusher tells unbound first): the same.
        status, _, doc = d.local("POST", "/api/dns/records", {"name": "nas", "type": "A", "value": "192.0.2.7"})
        assert status == 500, doc
        assert doc["error"]["code"] == "not_durable"
        # Reads are answered, and say what the running cell holds.
        status, _, doc = d.local("GET", "/api/config")
        assert status == 200 and doc["cell_name"] == "home", doc
        status, _, doc = d.local("GET", "/api/dns/records")
        assert status == 200, doc
        assert [r["value"] for r in doc["records"] if r["name"].startswith("nas.")] == ["192.0.2.7"]
        # A request that wrote nothing is not held either.
        status, _, doc = d.local("PUT", "/api/config", {"cell_name": "no such name!"})
        assert status == 400 and doc["error"]["field"] == "cell_name", doc
    finally:
        d.stop()
