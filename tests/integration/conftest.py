"""Integration harness: starts the real picd with a throwaway state
directory and control socket inside a throwaway network namespace (its
"host"), so the cell network it builds — bridge, service namespaces, nft
table — never touches the machine. The HTTP listener is a loopback socket
the test opens and hands to picd (--listen-fd), so tests reach the API at
127.0.0.1 while picd lives in its namespace. Clients of the cell's
services run in further namespaces attached to the cell bridge. Nothing
is mocked: real picd, real daemons, real clients."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time
import uuid

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


def sh(*argv, check=True):
    """Runs a command (argv, no shell); returns its stdout."""
    r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(argv)}: {r.returncode}: {r.stderr.strip()}")
    return r.stdout


LIVE = []  # every Picd made by a test, destroyed after it


class Netns:
    """A named network namespace with loopback up."""

    def __init__(self, prefix):
        self.name = f"{prefix}{uuid.uuid4().hex[:8]}"
        sh("ip", "netns", "add", self.name)
        sh("ip", "-n", self.name, "link", "set", "lo", "up")

    @property
    def path(self):
        return f"/run/netns/{self.name}"

    def run(self, *argv, check=True, timeout=30):
        return subprocess.run(["ip", "netns", "exec", self.name, *argv], capture_output=True, text=True,
                              timeout=timeout, check=check)

    def delete(self):
        sh("ip", "netns", "del", self.name, check=False)


class Client(Netns):
    """A host on the cell bridge: a namespace with a veth whose other end
    is a port of picd's bridge."""

    def __init__(self, picd, offset):
        super().__init__("pcl")
        self.picd = picd
        self.port = "pc" + self.name[3:11]
        sh("ip", "link", "add", self.port, "type", "veth", "peer", "name", "eth0", "netns", self.name)
        sh("ip", "link", "set", self.port, "netns", picd.netns.name)
        sh("ip", "-n", picd.netns.name, "link", "set", self.port, "master", "pic0", "up")
        sh("ip", "-n", self.name, "link", "set", "eth0", "up")
        self.offset = offset
        self.readdress()

    def readdress(self):
        """Takes the address at `offset` in the cell's current ip_range."""
        net = self.picd.local("GET", "/api/config")[2]["ip_range"]
        base, prefix = net.split("/")
        parts = [int(p) for p in base.split(".")]
        value = (parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]) + self.offset
        addr = ".".join(str(value >> s & 255) for s in (24, 16, 8, 0))
        sh("ip", "-n", self.name, "addr", "flush", "dev", "eth0")
        sh("ip", "-n", self.name, "addr", "add", f"{addr}/{prefix}", "dev", "eth0")


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
    def __init__(self, tmp_path, extra_args=(), wrapper=()):
        self.dir = tmp_path
        self.wrapper = list(wrapper)
        self.state_dir = str(tmp_path / "state")
        self.socket = str(tmp_path / "run" / "pic.sock")
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.proc = None
        self.admin_password = None
        self.starts = 0
        self.netns = Netns("pict")
        self.clients = []
        LIVE.append(self)

    def argv(self, *args):
        """picd inside its namespace, serving HTTP on the test's socket."""
        return [*self.wrapper, "nsenter", f"--net={self.netns.path}", picd_bin(), "--state-dir", self.state_dir,
                "--listen-fd", str(self.listener.fileno()), "--socket", self.socket, *args]

    def client(self, offset=200):
        c = Client(self, offset)
        self.clients.append(c)
        return c

    def destroy(self):
        """Stops picd, tears the cell down, removes the namespaces."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        subprocess.run(self.argv("--teardown", "--foreground"), capture_output=True, timeout=60)
        for c in self.clients:
            c.delete()
        self.netns.delete()
        self.listener.close()

    # --- lifecycle -------------------------------------------------------
    def start(self, expect_ok=True):
        self.starts += 1
        self.stdout_path = self.dir / f"picd-{self.starts}.out"
        self.stderr_path = self.dir / f"picd-{self.starts}.err"
        argv = self.argv("--foreground", "--log-level", "debug", *self.extra_args)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         pass_fds=(self.listener.fileno(),))
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


@pytest.fixture(autouse=True)
def destroy_cells():
    """Whatever a test started is torn down after it, pass or fail."""
    yield
    while LIVE:
        LIVE.pop().destroy()


@pytest.fixture
def picd(tmp_path):
    d = Picd(tmp_path)
    d.start()
    yield d
    d.stop(check=True)
