"""Integration harness: starts the real picd on a free loopback port with a
throwaway state directory and control socket, and drives it over HTTP, the
control socket and the real `pic` CLI. Nothing is mocked."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time

import pytest
import requests

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("PIC_BUILD", os.path.join(REPO, "build"))
# Sanitizer builds start more slowly and must exit cleanly (leaks fail).
START_TIMEOUT_S = 20


def picd_bin():
    return os.path.join(BUILD, "picd")


def pic_bin():
    return os.path.join(BUILD, "pic")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def routes():
    """The route table, as picd itself lists it: (method, pattern, access, limit)."""
    out = subprocess.run([picd_bin(), "--list-routes"], check=True, capture_output=True, text=True).stdout
    table = []
    for line in out.splitlines():
        method, pattern, access, limit = line.split()[:4]
        table.append((method, pattern, access, int(limit)))
    assert table, "picd --list-routes printed nothing"
    return table


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over the control socket."""

    def __init__(self, path, timeout=10):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Picd:
    def __init__(self, tmp_path, extra_args=()):
        self.dir = tmp_path
        self.state_dir = str(tmp_path / "state")
        self.socket = str(tmp_path / "run" / "pic.sock")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.proc = None
        self.admin_password = None
        self.starts = 0

    # --- lifecycle -------------------------------------------------------
    def start(self, expect_ok=True):
        self.starts += 1
        self.stdout_path = self.dir / f"picd-{self.starts}.out"
        self.stderr_path = self.dir / f"picd-{self.starts}.err"
        argv = [picd_bin(), "--foreground", "--state-dir", self.state_dir,
                "--listen", f"127.0.0.1:{self.port}", "--socket", self.socket,
                "--log-level", "debug", *self.extra_args]
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        if not expect_ok:
            return self.proc.wait(timeout=START_TIMEOUT_S)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"picd exited {self.proc.returncode}: {self.stderr()}")
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.02)
        else:
            raise AssertionError("picd did not answer /health in time")
        m = re.search(r"password: (\S+)", self.stdout_path.read_text())
        if m:
            self.admin_password = m.group(1)
        return 0

    def stop(self, check=True):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("picd did not stop on SIGTERM")
        if check and self.proc:
            assert self.proc.returncode == 0, f"picd exited {self.proc.returncode}: {self.stderr()}"

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def restart(self):
        self.stop()
        self.start()

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def stdout(self):
        return self.stdout_path.read_text(errors="replace")

    # --- clients ---------------------------------------------------------
    def pic(self, *args, input=None, env=None):
        return subprocess.run([pic_bin(), "--socket", self.socket, *args], input=input,
                              capture_output=True, text=True, timeout=30, env=env)

    def login(self, password=None):
        return requests.post(self.url + "/api/auth/login",
                             json={"username": "admin", "password": password or self.admin_password})

    def session(self, password=None):
        """A requests.Session logged in as admin, sending its CSRF token."""
        s = requests.Session()
        r = s.post(self.url + "/api/auth/login",
                   json={"username": "admin", "password": password or self.admin_password})
        assert r.status_code == 200, r.text
        s.headers["X-CSRF-Token"] = r.json()["csrf_token"]
        return s

    def token(self, name="test"):
        r = self.session().post(self.url + "/api/auth/tokens", json={"name": name})
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def local(self, method, path, body=None, headers=None):
        """A request over the control socket: (status, headers, parsed JSON or None)."""
        conn = UnixHTTPConnection(self.socket)
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        conn.close()
        return resp.status, dict(resp.getheaders()), (json.loads(raw) if raw else None)


@pytest.fixture
def picd(tmp_path):
    d = Picd(tmp_path)
    d.start()
    yield d
    d.stop(check=True)
