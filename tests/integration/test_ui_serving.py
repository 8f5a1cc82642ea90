"""picd serves the built web UI at / from --ui-dir: content types, cache
policy (immutable /assets/, no-cache for the rest), ETag and 304,
precompressed .br/.gz siblings chosen by Accept-Encoding (q=0 refuses),
HEAD, the SPA fallback to index.html (not under /assets/, not for /api/),
path traversal, dot-files and symlinks refused, the security headers on
every answer of the TCP listeners (UI and API), the same page through the
cell's TLS proxy (headers passed through, nothing compressed twice), the
helpful 404 when no UI is built, and the default listener: plain HTTP on
loopback only, the proxy still reaching picd on the bridge."""

import gzip
import http.client
import os
import shutil
import subprocess
import uuid

import pytest
import requests

from conftest import OwnListenerPicd, Picd, picd_bin, sh, wait_for

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"

INDEX = (b'<!doctype html><html><head><meta charset="utf-8"><title>PIC</title>'
         b'<link rel="stylesheet" href="/assets/style-0123abcd.css">'
         b'<script type="module" src="/assets/app-0123abcd.js"></script></head>'
         b'<body><div id="root"></div></body></html>\n' * 4)
JS = b"".join(b"export const value%d = 'the cell app, line %d';\n" % (i, i) for i in range(2000))
CSS = b"".join(b".c%d { margin: %dpx; }\n" % (i, i % 7) for i in range(500))
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>\n'
SECRET = "the secret outside the UI directory\n"


def build_ui(root):
    """A Vite-like build in root/ui, .gz and .br siblings made by the real
    tools; root/outside holds what must never be served."""
    assert shutil.which("brotli"), "the brotli command is needed (apt-get install brotli)"
    ui = root / "ui"
    (ui / "assets").mkdir(parents=True)
    files = {"index.html": INDEX, "assets/app-0123abcd.js": JS, "assets/style-0123abcd.css": CSS,
             "favicon.svg": SVG, "manifest.webmanifest": b'{"name": "PIC"}\n', "robots.txt": b"User-agent: *\n"}
    for name, data in files.items():
        (ui / name).write_bytes(data)
    for name in ("index.html", "assets/app-0123abcd.js", "assets/style-0123abcd.css"):
        sh("gzip", "-k", "-9", "-n", str(ui / name))
        sh("brotli", "-k", "-q", "11", str(ui / name))
    (ui / ".env").write_text("SECRET=1\n")
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    os.symlink("../outside/secret.txt", ui / "leak.txt")
    os.symlink(str(outside / "secret.txt"), ui / "assets" / "leak-0123abcd.js")
    os.symlink("../outside", ui / "linkdir")
    return ui


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def all(self, name):
        return [v for k, v in self.headers if k.lower() == name]

    def one(self, name):
        """The value of header `name`, which must be there once; None if absent."""
        values = self.all(name)
        assert len(values) <= 1, (name, values)
        return values[0] if values else None

    def __repr__(self):
        return f"Answer({self.status}, {self.headers}, {self.body[:200]!r})"


def get(picd, path, method="GET", headers=None):
    """One request with exactly these headers (no Accept-Encoding unless
    given) and the path as written (no normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", picd.port, timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return Answer(r.status, r.getheaders(), body)


def assert_secure(a):
    for name, value in SECURITY.items():
        assert a.one(name) == value, (name, a)


def assert_file(a, body, ctype, cache, encoding=None):
    assert a.status == 200, a
    assert a.body == body
    assert a.one("content-type") == ctype, a
    assert a.one("cache-control") == cache, a
    assert a.one("content-encoding") == encoding, a
    assert a.one("content-length") == str(len(body)), a
    assert a.one("vary") == "Accept-Encoding", a
    assert a.one("etag"), a
    assert_secure(a)


def assert_not_installed(a):
    assert a.status == 404, a
    assert a.one("content-type") == "text/plain; charset=utf-8", a
    text = a.body.decode()
    assert "web UI is not installed" in text and "make build" in text, text
    assert_secure(a)


@pytest.fixture
def ui_picd():
    """Starts a picd serving `ui_dir`; each is stopped after the test and
    must exit cleanly (a sanitizer build's leaks fail it)."""
    started = []

    def start(tmp_path, ui_dir, cls=Picd, extra_args=()):
        d = cls(tmp_path, extra_args=["--ui-dir", str(ui_dir), *extra_args])
        started.append(d)
        d.start()
        return d
    yield start
    for d in started:
        d.stop(check=True)


def test_files_with_their_types_and_cache_policy(tmp_path, ui_picd):
    ui = build_ui(tmp_path)
    picd = ui_picd(tmp_path, ui)
    assert f"web UI from {ui}" in picd.stderr()
    assert_file(get(picd, "/"), INDEX, "text/html; charset=utf-8", "no-cache")
    assert_file(get(picd, "/index.html"), INDEX, "text/html; charset=utf-8", "no-cache")
    assert_file(get(picd, "/assets/app-0123abcd.js"), JS, "text/javascript; charset=utf-8", IMMUTABLE)
    assert_file(get(picd, "/assets/style-0123abcd.css"), CSS, "text/css; charset=utf-8", IMMUTABLE)
    assert_file(get(picd, "/favicon.svg"), SVG, "image/svg+xml", "no-cache")
    assert_file(get(picd, "/manifest.webmanifest"), b'{"name": "PIC"}\n', "application/manifest+json", "no-cache")
    assert_file(get(picd, "/robots.txt"), b"User-agent: *\n", "text/plain; charset=utf-8", "no-cache")
    # HEAD: the headers of the GET, Content-Length of what would be sent, no body.
    for path, headers, size, encoding in (("/", {}, len(INDEX), None),
                                          ("/assets/app-0123abcd.js", {"Accept-Encoding": "br"},
                                           (ui / "assets/app-0123abcd.js.br").stat().st_size, "br"),
                                          ("/dns/records", {"Accept-Encoding": "gzip"},
                                           (ui / "index.html.gz").stat().st_size, "gzip")):
        head, full = get(picd, path, "HEAD", headers), get(picd, path, "GET", headers)
        assert head.status == 200 and head.body == b"", head
        assert head.one("content-length") == str(size) == str(len(full.body)), (head, size)
        assert head.one("content-encoding") == encoding
        for name in ("content-type", "cache-control", "etag", "vary", *SECURITY):
            assert head.one(name) == full.one(name), name
    # A real browser-like client: curl decompresses what it asked for.
    r = subprocess.run(["curl", "-sS", "--compressed", "-o", "-", "-w", "\n%{content_type}",
                        picd.url + "/assets/app-0123abcd.js"], capture_output=True, timeout=20)
    body, _, ctype = r.stdout.rpartition(b"\n")
    assert r.returncode == 0 and body == JS and ctype == b"text/javascript; charset=utf-8", r.stderr


def test_precompressed_siblings_and_not_modified(tmp_path, ui_picd):
    ui = build_ui(tmp_path)
    picd = ui_picd(tmp_path, ui)
    js = "/assets/app-0123abcd.js"
    br, gz = (ui / (js[1:] + ".br")).read_bytes(), (ui / (js[1:] + ".gz")).read_bytes()
    assert gzip.decompress(gz) == JS
    assert subprocess.run(["brotli", "-d", "-c"], input=br, capture_output=True, check=True).stdout == JS
    cases = [
        ("gzip, deflate, br", br, "br"),
        ("br", br, "br"),
        ("gzip", gz, "gzip"),
        ("x-gzip", gz, "gzip"),
        ("br;q=0, gzip", gz, "gzip"),
        ("gzip;q=1, br;q=0.5", gz, "gzip"),
        ("*", br, "br"),
        ("*;q=0.1, br;q=0", gz, "gzip"),
        ("br;q=0, gzip;q=0", JS, None),
        ("br;q=0, gzip;q=0.000, *;q=0", JS, None),
        ("identity", JS, None),
        ("deflate, zstd", JS, None),
        (None, JS, None),
    ]
    etags = {}
    for ae, body, encoding in cases:
        a = get(picd, js, headers={"Accept-Encoding": ae} if ae is not None else {})
        assert_file(a, body, "text/javascript; charset=utf-8", IMMUTABLE, encoding)
        etags[encoding] = a.one("etag")
    assert len(set(etags.values())) == 3, etags  # each sibling its own tag

    # If-None-Match: 304 with the tag, cache headers and Content-Length of
    # the variant, no body, no type.
    first = get(picd, "/")
    etag = first.one("etag")
    for inm in (etag, f'"other", {etag}', f"W/{etag}", "*"):
        a = get(picd, "/", headers={"If-None-Match": inm})
        assert a.status == 304 and a.body == b"", (inm, a)
        assert a.one("etag") == etag and a.one("cache-control") == "no-cache" and a.one("vary") == "Accept-Encoding"
        assert a.one("content-length") in (None, str(len(INDEX))), a
        assert a.one("content-type") is None
        assert_secure(a)
    assert get(picd, "/", headers={"If-None-Match": '"other"'}).status == 200
    # The SPA fallback is index.html, with its tag.
    assert get(picd, "/dns/records", headers={"If-None-Match": etag}).status == 304
    # The br sibling's tag is not the plain file's.
    a = get(picd, js, headers={"Accept-Encoding": "br", "If-None-Match": etags["br"]})
    assert a.status == 304 and a.one("content-encoding") is None, a
    assert get(picd, js, headers={"If-None-Match": etags["br"]}).status == 200
    # A rebuilt index.html gets a new tag: the browser's copy is stale.
    # Its siblings were left by the build before (a minute older).
    before = (ui / "index.html").stat().st_mtime - 60
    for suffix in (".br", ".gz"):
        os.utime(ui / f"index.html{suffix}", (before, before))
    (ui / "index.html").write_bytes(INDEX + b"<!-- rebuilt -->\n")
    a = get(picd, "/", headers={"If-None-Match": etag})
    assert a.status == 200 and a.body.endswith(b"<!-- rebuilt -->\n") and a.one("etag") != etag
    # Its siblings are older than it: not sent.
    a = get(picd, "/", headers={"Accept-Encoding": "br, gzip"})
    assert a.one("content-encoding") is None and a.body.endswith(b"<!-- rebuilt -->\n"), a


def test_spa_fallback_api_404_and_headers_on_api_answers(tmp_path, ui_picd):
    ui = build_ui(tmp_path)
    picd = ui_picd(tmp_path, ui)
    for path in ("/dns/records", "/peers/laptop/", "/settings?tab=vpn", "/healthz", "/assetsx/y.js",
                 "/index.html/x", "/caf%C3%A9"):
        assert_file(get(picd, path), INDEX, "text/html; charset=utf-8", "no-cache")
    for path in ("/assets/missing.js", "/assets/", "/assets", "/assets/sub/x.css"):
        a = get(picd, path)
        assert a.status == 404 and a.one("content-type") == "text/plain; charset=utf-8", (path, a)
        assert a.body != INDEX and a.one("cache-control") == "no-store"
        assert_secure(a)
    # The API keeps its JSON answers, with the same security headers.
    for method, path, status in (("GET", "/api/nope", 404), ("GET", "/api", 404), ("GET", "/api/config/", 404),
                                 ("GET", "/health/", 404), ("POST", "/dns/records", 404),
                                 ("DELETE", "/api/config", 405), ("GET", "/api/config", 401)):
        a = get(picd, path, method)
        assert a.status == status, (method, path, a)
        assert a.one("content-type") == "application/json", a
        assert a.one("cache-control") == "no-store"
        assert_secure(a)
    a = get(picd, "/health")
    assert a.status == 200 and a.one("content-type") == "application/json"
    assert_secure(a)
    r = requests.post(picd.url + "/api/auth/login", json={"username": "admin", "password": picd.admin_password})
    assert r.status_code == 200
    for name, value in SECURITY.items():
        assert r.headers[name] == value
    # The event stream too.
    events = requests.get(picd.url + "/api/events", stream=True, timeout=10,
                          headers={"Authorization": "Bearer " + picd.token()})
    assert events.status_code == 200
    for name, value in SECURITY.items():
        assert events.headers[name] == value
    events.close()
    # The control socket is not a browser's: no UI there.
    status, _, doc = picd.local("GET", "/")
    assert status == 404 and doc["error"]["code"] == "not_found"


def test_traversal_dot_files_and_symlinks_are_refused(tmp_path, ui_picd):
    ui = build_ui(tmp_path)
    picd = ui_picd(tmp_path, ui)
    refused = {
        400: ["/../etc/passwd", "/../outside/secret.txt", "/assets/../index.html", "/%2e%2e/%2e%2e/etc/passwd",
              "/%2E%2E/outside/secret.txt", "/assets/%2e%2e/%2e%2e/outside/secret.txt",
              "/..%2f..%2foutside%2fsecret.txt", "/assets/..%5c..%5cindex.html", "/a\\b", "/%5C",
              "/index.html%00.js", "/assets/app-0123abcd.js%00", "//etc/passwd", "/./index.html",
              "http://127.0.0.1/../outside/secret.txt"],
        404: ["/.env", "/%2eenv", "/assets/.hidden", "/leak.txt", "/assets/leak-0123abcd.js",
              "/linkdir/secret.txt", "/linkdir/"],
    }
    for status, paths in refused.items():
        for path in paths:
            a = get(picd, path)
            assert a.status == status, (path, a)
            assert SECRET.encode() not in a.body and b"root:" not in a.body and a.body != INDEX, (path, a)
            assert a.one("content-type") == "text/plain; charset=utf-8"
            assert_secure(a)
    # curl as an attacker would use it.
    r = subprocess.run(["curl", "-sS", "--path-as-is", "-o", "-", "-w", "\n%{http_code}",
                        picd.url + "/assets/../../outside/secret.txt"], capture_output=True, text=True, timeout=20)
    assert r.stdout.endswith("\n400") and SECRET not in r.stdout, r
    # The symlinks' targets are fine files: it is the link that is refused.
    assert (ui / "leak.txt").read_text() == SECRET
    assert picd.proc.poll() is None
    assert get(picd, "/").status == 200


def curl_via_proxy(client, ca, zone, vip, tmp_path, path, *headers, args=()):
    """GET https://<zone><path> from `client` through caddy: an Answer."""
    tag = uuid.uuid4().hex[:8]
    head, body = tmp_path / f"proxy-{tag}.head", tmp_path / f"proxy-{tag}.body"
    argv = ["curl", "-sS", "--max-time", "10", "--cacert", str(ca), "--resolve", f"{zone}:443:{vip}",
            "-D", str(head), "-o", str(body), "-w", "%{http_code}", *args]
    for h in headers:
        argv += ["-H", h]
    r = client.run(*argv, f"https://{zone}{path}", check=False, timeout=20)
    assert r.returncode == 0, r
    fields = []
    for line in head.read_text().splitlines()[1:]:
        name, sep, value = line.partition(":")
        if sep:
            fields.append((name.strip().lower(), value.strip()))
    return Answer(int(r.stdout), fields, body.read_bytes() if body.exists() else b"")  # none for an empty body


def test_through_the_cells_tls_proxy(tmp_path, ui_picd):
    ui = build_ui(tmp_path)
    picd = ui_picd(tmp_path, ui)
    client = picd.client()
    cfg = picd.local("GET", "/api/config")[2]
    ca = tmp_path / "ca.crt"
    ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)
    zone, vip = f"{cfg['cell_name']}.{cfg['domain']}", cfg["virtual_ips"]["webui"]

    def via(path, *headers, args=()):
        return curl_via_proxy(client, ca, zone, vip, tmp_path, path, *headers, args=args)

    assert wait_for(lambda: via("/health").status == 200, 10)
    a = via("/")
    assert a.status == 200 and a.body == INDEX, a
    # picd's headers arrive as picd sent them, once each (caddy sets HSTS,
    # nosniff and the referrer policy to the same values, and leaves
    # picd's CSP alone).
    assert_secure(a)
    assert a.one("content-type") == "text/html; charset=utf-8"
    assert a.one("cache-control") == "no-cache" and a.one("vary") == "Accept-Encoding"
    assert a.one("strict-transport-security") == "max-age=31536000"
    # curl sent no Accept-Encoding: caddy's transport may then ask picd for
    # gzip itself and decode it, so the tag can be the .gz sibling's.
    etag = a.one("etag")
    assert etag in {get(picd, "/").one("etag"), get(picd, "/", headers={"Accept-Encoding": "gzip"}).one("etag")}
    a = via("/", f"If-None-Match: {etag}")
    assert a.status == 304 and a.body == b"" and a.one("etag") == etag, a
    assert_secure(a)
    # Precompressed bytes pass through untouched: caddy compresses nothing
    # (no encode handler) and decodes nothing the client asked for.
    js = "/assets/app-0123abcd.js"
    for ae, suffix, encoding in (("br", ".br", "br"), ("gzip", ".gz", "gzip"), ("gzip, br", ".br", "br"),
                                 ("br;q=0, gzip", ".gz", "gzip")):
        a = via(js, f"Accept-Encoding: {ae}")
        assert a.status == 200 and a.one("content-encoding") == encoding, (ae, a)
        assert a.body == (ui / (js[1:] + suffix)).read_bytes(), ae
        assert a.one("content-length") in (None, str(len(a.body)))
        assert a.one("cache-control") == IMMUTABLE and a.one("vary") == "Accept-Encoding"
        assert_secure(a)
    # A client that asks for no encoding gets the plain file (caddy may ask
    # picd for gzip itself and decode it, never passing it on encoded).
    for headers in ((), ("Accept-Encoding: identity",)):
        a = via(js, *headers)
        assert a.status == 200 and a.one("content-encoding") is None and a.body == JS, (headers, a)
    a = via("/dns/records")
    assert a.status == 200 and a.body == INDEX
    a = via("/api/nope")
    assert a.status == 404 and a.one("content-type") == "application/json"
    assert_secure(a)
    for path in ("/../outside/secret.txt", "/assets/%2e%2e/%2e%2e/outside/secret.txt", "/index.html%00.js"):
        a = via(path, args=("--path-as-is",))
        assert a.status in (400, 404), (path, a)
        assert SECRET.encode() not in a.body and a.body != INDEX
    a = via("/leak.txt")
    assert a.status == 404 and SECRET.encode() not in a.body


def test_without_a_built_ui_the_answer_says_how_to_build_it(tmp_path, ui_picd):
    picd = ui_picd(tmp_path, tmp_path / "nowhere")
    assert "no web UI" in picd.stderr() and "make build" in picd.stderr()
    for path in ("/", "/dns/records", "/assets/app-0123abcd.js", "/favicon.svg"):
        assert_not_installed(get(picd, path))
        head = get(picd, path, "HEAD")
        assert head.status == 404 and head.body == b""
    a = get(picd, "/api/nope")
    assert a.status == 404 and a.one("content-type") == "application/json"
    assert get(picd, "/health").status == 200
    picd.stop()
    # A directory with a build's assets but no index.html: the same.
    partial = tmp_path / "partial"
    (partial / "assets").mkdir(parents=True)
    (partial / "assets" / "app-0123abcd.js").write_bytes(JS)
    (tmp_path / "second").mkdir()
    d = ui_picd(tmp_path / "second", partial)
    assert_not_installed(get(d, "/"))
    assert_not_installed(get(d, "/peers"))
    assert get(d, "/assets/app-0123abcd.js").body == JS


def listening(picd):
    out = picd.netns.run("ss", "-ltnH").stdout
    return {line.split()[3] for line in out.splitlines() if line.strip()}


def test_default_listener_is_loopback_and_the_proxy_still_reaches_picd(tmp_path, ui_picd):
    help_text = subprocess.run([picd_bin(), "--help"], capture_output=True, text=True, check=True).stdout
    assert "--ui-dir DIR" in help_text and "127.0.0.1:3000" in help_text and "0.0.0.0:3000" in help_text

    ui = build_ui(tmp_path)
    for listen, lan_reaches in ((None, False), ("0.0.0.0:3000", True)):
        workdir = tmp_path / ("default" if listen is None else "any")
        workdir.mkdir()
        picd = ui_picd(workdir, ui, OwnListenerPicd, ["--listen", listen] if listen else [])
        host = picd.local("GET", "/api/config")[2]["addresses"]["host"]
        addrs = listening(picd)
        if listen is None:
            # Loopback, plus the bridge listener for the proxy.
            assert "127.0.0.1:3000" in addrs and f"{host}:3000" in addrs, addrs
            assert not {"0.0.0.0:3000", "*:3000", "[::]:3000"} & addrs, addrs
        else:
            assert "0.0.0.0:3000" in addrs, addrs
            assert "the main listener serves" in picd.stderr()
        r = picd.netns.run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:3000/",
                           check=False)
        assert r.stdout == "200", r
        # A host on the LAN: plain HTTP only when --listen opens it.
        lan = picd.lan()
        lan.address()
        r = lan.run("curl", "-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                    f"http://{lan.host_addr}:3000/health", check=False)
        if lan_reaches:
            assert r.stdout == "200", r
        else:
            assert r.returncode == 7 and r.stdout == "000", r  # connection refused
        # The proxy reaches picd on the bridge either way.
        # (The certificate is test_through_the_cells_tls_proxy's concern.)
        client = picd.client()
        cfg = picd.local("GET", "/api/config")[2]
        zone, vip = f"{cfg['cell_name']}.{cfg['domain']}", cfg["virtual_ips"]["webui"]
        r = client.run("curl", "-sS", "-k", "--max-time", "10", "--resolve", f"{zone}:443:{vip}",
                       "-o", "/dev/null", "-w", "%{http_code}", f"https://{zone}/", check=False, timeout=20)
        assert r.stdout == "200", r
        picd.stop()
