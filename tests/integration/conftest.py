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


class Lan(Netns):
    """A LAN segment of picd's host: a namespace joined by a veth to picd's
    namespace. picd's end is `ifname` with `host_cidr`, up; the LAN host's
    end is eth0, up and unaddressed (give it an address with address(), or
    let it ask DHCP with udhcpc()). Removed with the Picd."""

    def __init__(self, picd, ifname="lan0", host_cidr="192.168.77.1/24"):
        super().__init__("plan")
        picd.extras.append(self)
        self.picd = picd
        self.ifname = ifname
        self.host_addr = host_cidr.split("/")[0]
        sh("ip", "-n", picd.netns.name, "link", "add", ifname, "type", "veth", "peer", "name", "eth0",
           "netns", self.name)
        sh("ip", "-n", picd.netns.name, "addr", "add", host_cidr, "dev", ifname)
        sh("ip", "-n", picd.netns.name, "link", "set", ifname, "up")
        sh("ip", "-n", self.name, "link", "set", "eth0", "up")

    @property
    def mac(self):
        return json.loads(sh("ip", "-n", self.name, "-j", "link", "show", "eth0"))[0]["address"]

    def addresses(self):
        info = json.loads(sh("ip", "-n", self.name, "-j", "addr", "show", "eth0"))[0]["addr_info"]
        return [a["local"] for a in info if a["family"] == "inet"]

    def address(self, cidr="192.168.77.10/24"):
        sh("ip", "-n", self.name, "addr", "flush", "dev", "eth0")
        sh("ip", "-n", self.name, "addr", "add", cidr, "dev", "eth0")

    UDHCPC_SCRIPT = """#!/bin/sh
# udhcpc's event script: records what the server handed out (one file per
# event) and takes the address.
env > "{dir}/udhcpc.$1.new" && mv "{dir}/udhcpc.$1.new" "{dir}/udhcpc.$1"
case "$1" in
deconfig)
	ip addr flush dev "$interface"
	;;
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/$mask" dev "$interface"
	;;
esac
exit 0
"""

    def udhcpc(self, workdir, hostname=None, tries=5, check=True):
        """Runs `busybox udhcpc` once on eth0 (until it holds a lease);
        returns the environment of its "bound" event: ip, mask, router,
        dns, ntpsrv, domain, lease, serverid... — or None when it got no
        lease and `check` is false."""
        d = os.path.join(str(workdir), f"udhcpc-{self.name}")
        os.makedirs(d, exist_ok=True)
        script = os.path.join(d, "event.sh")
        with open(script, "w") as f:
            f.write(self.UDHCPC_SCRIPT.format(dir=d))
        os.chmod(script, 0o755)
        bound = os.path.join(d, "udhcpc.bound")
        if os.path.exists(bound):
            os.unlink(bound)
        argv = ["busybox", "udhcpc", "-f", "-q", "-n", "-i", "eth0", "-T", "1", "-t", str(tries), "-s", script]
        if hostname:
            argv += ["-x", f"hostname:{hostname}"]
        r = self.run(*argv, check=False, timeout=tries * 2 + 20)
        if not os.path.exists(bound):
            if check:
                raise AssertionError(f"udhcpc got no lease: {r.returncode}: {r.stdout} {r.stderr}")
            return None
        env = {}
        for line in open(bound).read().splitlines():
            key, sep, value = line.partition("=")
            if sep:
                env[key] = value
        return env


class Upstream(Netns):
    """A stand-in for the internet's DNS: a namespace joined by a veth to
    picd's namespace (`ifname` with 10.99.0.1/24 there, 10.99.0.2 here)
    running its own unbound, which the cell reaches through the host (the
    cell's default route, masqueraded). It serves www.example.org
    (198.51.100.7) and the zone other.test (host.other.test,
    198.51.100.8); anything else is REFUSED or SERVFAIL. Killed and removed
    with the Picd."""

    ADDR = "10.99.0.2"
    DATA = {
        "www.example.org": "198.51.100.7",
        "host.other.test": "198.51.100.8",
    }

    def __init__(self, picd, ifname="up0"):
        super().__init__("pup")
        picd.extras.append(self)
        self.proc = None
        self.dir = picd.dir / f"upstream-{self.name}"
        self.dir.mkdir()
        sh("ip", "-n", picd.netns.name, "link", "add", ifname, "type", "veth", "peer", "name", "eth0",
           "netns", self.name)
        sh("ip", "-n", picd.netns.name, "addr", "add", "10.99.0.1/24", "dev", ifname)
        sh("ip", "-n", picd.netns.name, "link", "set", ifname, "up")
        sh("ip", "-n", self.name, "addr", "add", f"{self.ADDR}/24", "dev", "eth0")
        sh("ip", "-n", self.name, "link", "set", "eth0", "up")
        conf = self.dir / "unbound.conf"
        conf.write_text(f"""server:
	interface: {self.ADDR}
	port: 53
	do-ip6: no
	access-control: 0.0.0.0/0 allow
	username: ""
	chroot: ""
	directory: "{self.dir}"
	pidfile: ""
	do-daemonize: no
	use-syslog: no
	logfile: ""
	verbosity: 1
	module-config: "iterator"
	local-zone: "example.org." static
	local-data: "www.example.org. 300 IN A 198.51.100.7"
	local-zone: "other.test." static
	local-data: "host.other.test. 300 IN A 198.51.100.8"
remote-control:
	control-enable: no
""")
        with open(self.dir / "unbound.log", "wb") as log:
            self.proc = subprocess.Popen(["ip", "netns", "exec", self.name, "unbound", "-d", "-c", str(conf)],
                                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while dig(self, self.ADDR, "www.example.org", timeout=1).addresses() != ["198.51.100.7"]:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("upstream unbound does not answer: " +
                                     (self.dir / "unbound.log").read_text(errors="replace"))
            time.sleep(0.05)

    def delete(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        super().delete()


class DigResult:
    """What `dig` got: status ("NOERROR", "NXDOMAIN", ..., or "TIMEOUT"),
    the flags of the header, and the answer section as (name, ttl, type,
    rdata) tuples, names without the trailing dot."""

    def __init__(self, status, flags, answers, text):
        self.status, self.flags, self.answers, self.text = status, flags, answers, text

    def data(self, rtype=None):
        """The rdata of the answers (of `rtype`), sorted."""
        return sorted(a[3] for a in self.answers if rtype is None or a[2] == rtype)

    def addresses(self):
        return self.data("A") + self.data("AAAA")

    def __repr__(self):
        return f"DigResult({self.status}, {self.answers})"


def parse_dig(text):
    """Parses dig's default output (one or more queries) into DigResults."""
    results = []
    for block in re.split(r"(?m)^(?=; <<>> DiG)", text):
        m = re.search(r"status: (\w+)", block)
        if not m:
            if "; <<>> DiG" in block:
                results.append(DigResult("TIMEOUT", set(), [], block))
            continue
        flags = set(re.search(r";; flags: ([^;]*);", block).group(1).split())
        answers = []
        section = re.search(r";; ANSWER SECTION:\n(.*?)(?:\n\n|\Z)", block, re.S)
        for line in (section.group(1).splitlines() if section else []):
            name, ttl, _cls, rtype, rdata = line.split(None, 4)
            answers.append((name.rstrip("."), int(ttl), rtype, rdata))
        results.append(DigResult(m.group(1), flags, answers, block))
    return results


def dig(ns, server, name, rtype="A", *opts, timeout=2, tcp=False):
    """One query from namespace `ns` (a Netns) to `server`; a DigResult."""
    argv = ["dig", f"@{server}", name, rtype, "+tries=1", f"+time={timeout}", "+nocookie", *opts]
    if tcp:
        argv.append("+tcp")
    r = ns.run(*argv, check=False, timeout=timeout + 10)
    parsed = parse_dig(r.stdout)
    if not parsed:
        return DigResult("TIMEOUT", set(), [], r.stdout + r.stderr)
    return parsed[0]


def reverse_name(ip):
    """4.0.20.172.in-addr.arpa for 172.20.0.4."""
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa"


def dig_many(ns, server, queries, timeout=2):
    """Many queries in one `dig -f` run: [(name, type)] → [DigResult]."""
    batch = "\n".join(f"{name} {rtype}" for name, rtype in queries) + "\n"
    r = subprocess.run(["ip", "netns", "exec", ns.name, "dig", f"@{server}", "+tries=1", f"+time={timeout}",
                        "+nocookie", "-f", "-"], input=batch, capture_output=True, text=True,
                       timeout=60 + len(queries) * timeout)
    results = parse_dig(r.stdout)
    assert len(results) == len(queries), (len(results), len(queries), r.stderr[-2000:])
    return results


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
        self.extras = []  # LANs, upstreams: torn down in destroy()
        LIVE.append(self)

    def argv(self, *args):
        """picd inside its namespace, serving HTTP on the test's socket."""
        return [*self.wrapper, "nsenter", f"--net={self.netns.path}", picd_bin(), "--state-dir", self.state_dir,
                "--listen-fd", str(self.listener.fileno()), "--socket", self.socket, *args]

    def client(self, offset=200):
        c = Client(self, offset)
        self.clients.append(c)
        return c

    def lan(self, **kwargs):
        """A LAN segment on the host (see Lan)."""
        return Lan(self, **kwargs)

    def upstream(self, **kwargs):
        """A stand-in for the internet's DNS (see Upstream)."""
        return Upstream(self, **kwargs)

    def destroy(self):
        """Stops picd, tears the cell down, removes the namespaces."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        subprocess.run(self.argv("--teardown", "--foreground"), capture_output=True, timeout=60)
        while self.extras:
            self.extras.pop().delete()
        for c in self.clients:
            c.delete()
        self.netns.delete()
        self.listener.close()

    # --- lifecycle -------------------------------------------------------
    def spawn(self, pass_fds=()):
        """picd started in the foreground, its output in picd-N.out/.err."""
        self.starts += 1
        self.stdout_path = self.dir / f"picd-{self.starts}.out"
        self.stderr_path = self.dir / f"picd-{self.starts}.err"
        argv = self.argv("--foreground", "--log-level", "debug", *self.extra_args)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         pass_fds=pass_fds)

    def start(self, expect_ok=True):
        self.spawn(pass_fds=(self.listener.fileno(),))
        if not expect_ok:
            return self.proc.wait(timeout=START_TIMEOUT_S)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"picd exited {self.proc.returncode}: {self.stderr()}")
            # The listening socket is ours, so a connection succeeds at
            # once and the answer comes when picd's loop runs: first-start
            # work (admin password hash, CA keys) can hold it past a second
            # under sanitizers on a loaded machine.
            try:
                wait = max(1.0, deadline - time.monotonic())
                if requests.get(self.url + "/health", timeout=(1, wait)).status_code == 200:
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
    def pic_argv(self):
        return [pic_bin(), "--socket", self.socket]

    def pic(self, *args, input=None, env=None):
        return subprocess.run([*self.pic_argv(), *args], input=input,
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


class OwnListenerPicd(Picd):
    """picd opening its own TCP listener (--listen, or the default) in its
    namespace, instead of the test's --listen-fd; reached over its control
    socket and from hosts on its networks."""

    def argv(self, *args):
        argv = super().argv(*args)
        i = argv.index("--listen-fd")
        del argv[i:i + 2]
        return argv

    def start(self, expect_ok=True):
        self.spawn()

        def up():
            if self.proc.poll() is not None:
                raise AssertionError(f"picd exited {self.proc.returncode}: {self.stderr()}")
            try:
                return self.local("GET", "/health")[0] == 200
            except OSError:
                return False
        assert wait_for(up, START_TIMEOUT_S, 0.05), "picd did not answer on its control socket"
        return 0


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


UI_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "ui")


@pytest.fixture
def ui_cell(tmp_path):
    """A cell serving the built web UI (make build)."""
    assert os.path.exists(os.path.join(UI_DIR, "index.html")), "the web UI is not built: make build"
    d = Picd(tmp_path, extra_args=["--ui-dir", UI_DIR])
    d.start()
    yield d
    d.stop(check=True)


def wait_for(predicate, timeout, step=0.02):
    """predicate()'s first true value within `timeout` seconds, else its last."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


class NetnsScript:
    """A Python script run by /usr/bin/python3 in a namespace for the
    duration of a with block. It is called as `script ARGS... STOP`: it
    creates STOP.ready once it runs, works until STOP exists, and prints
    its findings as JSON, which end up in `result`."""

    def __init__(self, tmp_path, netns, source, *args):
        script = tmp_path / f"script-{uuid.uuid4().hex[:8]}.py"
        script.write_text(source)
        self.stop = tmp_path / f"stop-{uuid.uuid4().hex[:8]}"
        self.argv = ["ip", "netns", "exec", netns.name, "/usr/bin/python3", str(script), *map(str, args),
                     str(self.stop)]
        self.result = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: os.path.exists(str(self.stop) + ".ready") or self.proc.poll() is not None, 10)
        assert self.proc.poll() is None, self.proc.communicate()
        return self

    def __exit__(self, *exc):
        self.stop.touch()
        out, err = self.proc.communicate(timeout=30)
        assert self.proc.returncode == 0, err
        self.result = json.loads(out)
        return False
