#!/usr/bin/python3
"""PIC benchmark: cold start, API throughput/latency and memory of picd.

Run by `make bench` as

    PIC_BUILD=<abs build dir> /usr/bin/python3 bench/bench.py

Standard library only, plus `wrk` for the HTTP load. The script

  1. initialises a throw-away state dir (first start creates the admin
     account with argon2id, which is not part of the figures);
  2. runs each section of SECTIONS in order; a section is a function
     taking the shared Context and returning a dict merged into
     results["picd"];
  3. compares the figures with TARGETS, prints a table and writes
     bench/results.json.

Targets are reported as met / not met, never asserted. The exit status is
non-zero only if the bench itself could not run: picd failed to start or
died, wrk is missing, or the load saw non-2xx responses or socket errors.

Environment knobs (for quick trial runs; the defaults are the reference):
  PIC_BENCH_DURATION   seconds per wrk run (default 10)
  PIC_BENCH_COLD_RUNS  cold-start repetitions (default 5)
"""

import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS_PATH = os.path.join(HERE, "results.json")

WRK_DURATION_S = int(os.environ.get("PIC_BENCH_DURATION", "10"))
COLD_START_RUNS = int(os.environ.get("PIC_BENCH_COLD_RUNS", "5"))
CONNECTIONS = (1, 16, 64)
STARTUP_TIMEOUT_S = 10.0
IDLE_SETTLE_S = 0.5

# (name, path into results["picd"], operator, value, unit)
TARGETS = [
    ("GET /api/config req/s @16 conns", ("get_config", "16", "rps"), ">=", 6000, "req/s"),
    ("GET /api/config p99 @16 conns", ("get_config", "16", "p99_ms"), "<=", 10, "ms"),
    ("idle RSS", ("rss_idle_mb",), "<=", 8, "MB"),
    ("cold start to first 200 (median)", ("cold_start_ms", "median"), "<=", 50, "ms"),
]

# Figures shown in the table without a target: (name, path, unit).
INFO_ROWS = [
    ("cold start min / max", ("cold_start_ms",), "ms"),
    ("GET /api/config req/s @1 conn", ("get_config", "1", "rps"), "req/s"),
    ("GET /api/config p50 / p99 @1 conn", ("get_config", "1"), "ms"),
    ("GET /api/config p50 @16 conns", ("get_config", "16", "p50_ms"), "ms"),
    ("GET /api/config req/s @64 conns", ("get_config", "64", "rps"), "req/s"),
    ("GET /api/config p50 / p99 @64 conns", ("get_config", "64"), "ms"),
    ("RSS after load", ("rss_after_load_mb",), "MB"),
    ("peak RSS (VmHWM)", ("rss_peak_mb",), "MB"),
]


class BenchError(Exception):
    """The bench could not run (as opposed to a target being missed)."""


# ---------------------------------------------------------------- helpers

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status_kb(pid, field):
    """A kB field (VmRSS, VmHWM, ...) of /proc/PID/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise BenchError(f"{field} missing from /proc/{pid}/status")


def mb(kb):
    return round(kb / 1024, 2)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_info():
    return {
        "cores": os.cpu_count(),
        "model": cpu_model(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def health_200(port, timeout=2.0):
    """One raw GET /health; True on a 200, False if nothing listens yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n"
                      b"Connection: close\r\n\r\n")
            head = b""
            while b"\r\n" not in head:
                chunk = s.recv(256)
                if not chunk:
                    break
                head += chunk
            return head.startswith(b"HTTP/1.1 200 ")
    except (ConnectionRefusedError, ConnectionResetError):
        return False


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over an AF_UNIX socket (picd's control socket)."""

    def __init__(self, path, timeout=5.0):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


# ----------------------------------------------------------------- picd

class Picd:
    """One picd process on a given state dir, port and control socket."""

    def __init__(self, binary, state_dir, port, sock_path, log_path):
        self.binary = binary
        self.state_dir = state_dir
        self.port = port
        self.sock_path = sock_path
        self.log_path = log_path
        self.proc = None

    def spawn(self, stdout=subprocess.DEVNULL):
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [self.binary, "--foreground",
                 "--state-dir", self.state_dir,
                 "--listen", f"127.0.0.1:{self.port}",
                 "--socket", self.sock_path],
                stdin=subprocess.DEVNULL, stdout=stdout, stderr=log)

    @property
    def pid(self):
        return self.proc.pid

    def check_alive(self):
        if self.proc is None or self.proc.poll() is not None:
            code = None if self.proc is None else self.proc.returncode
            raise BenchError(f"picd is not running (exit status {code}); "
                             f"its log ends:\n{self.log_tail()}")

    def log_tail(self, lines=10):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def wait_healthy(self, poll_sleep_s=0.0005):
        """Poll GET /health until it answers 200 (or picd dies / times out)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if health_200(self.port):
                return
            self.check_alive()
            time.sleep(poll_sleep_s)
        raise BenchError(f"picd not healthy after {STARTUP_TIMEOUT_S} s")

    def start(self):
        self.spawn()
        self.wait_healthy()

    def stop(self):
        """SIGTERM, then SIGKILL if it lingers; safe to call repeatedly."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def rss_kb(self):
        self.check_alive()
        return proc_status_kb(self.pid, "VmRSS")

    def hwm_kb(self):
        self.check_alive()
        return proc_status_kb(self.pid, "VmHWM")

    def create_token(self, name="bench"):
        conn = UnixHTTPConnection(self.sock_path)
        try:
            conn.request("POST", "/api/auth/tokens", body=json.dumps({"name": name}),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        if resp.status != 201:
            raise BenchError(f"token creation: HTTP {resp.status}: {body[:200]!r}")
        return json.loads(body)["token"]


class Context:
    """State shared by the sections: the work dir and the running picd."""

    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.state_dir = os.path.join(workdir, "state")
        self.port = free_port()
        self.picd = self.new_picd()
        self.token = None

    def new_picd(self):
        return Picd(self.binary, self.state_dir, self.port,
                    os.path.join(self.workdir, "pic.sock"),
                    os.path.join(self.workdir, "picd.log"))

    def initialise_state(self):
        """First start (argon2id admin account), then stop."""
        p = self.new_picd()
        try:
            p.spawn(stdout=subprocess.PIPE)
            p.wait_healthy()
            p.stop()
            out = p.proc.stdout.read().decode(errors="replace")
        finally:
            p.stop()
            if p.proc.stdout:
                p.proc.stdout.close()
        if "password:" not in out:
            raise BenchError("first start did not create the admin account")

    def ensure_running(self):
        if self.picd.proc is None or self.picd.proc.poll() is not None:
            self.picd.start()

    def close(self):
        self.picd.stop()


# ------------------------------------------------------------- sections

def section_cold_start(ctx):
    """Spawn to first 200 on GET /health, with an initialised state dir."""
    samples = []
    for _ in range(COLD_START_RUNS):
        p = ctx.new_picd()
        try:
            t0 = time.perf_counter()
            p.spawn()
            p.wait_healthy()
            samples.append((time.perf_counter() - t0) * 1000)
        finally:
            p.stop()
    return {"cold_start_ms": {
        "median": round(statistics.median(samples), 2),
        "min": round(min(samples), 2),
        "max": round(max(samples), 2),
        "runs": [round(s, 2) for s in samples],
    }}


def section_rss_idle(ctx):
    """RSS of a freshly started picd that has served only /health."""
    ctx.ensure_running()
    time.sleep(IDLE_SETTLE_S)
    return {"rss_idle_mb": mb(ctx.picd.rss_kb())}


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not m:
        raise BenchError(f"cannot parse wrk latency {text!r}")
    return round(float(m.group(1)) * _UNIT_MS[m.group(2)], 3)


def parse_wrk(out):
    """requests/sec, p50/p99 (ms), request count and error counts."""
    def grab(pattern, conv=float, default=None):
        m = re.search(pattern, out, re.M)
        if m is None:
            if default is not None:
                return default
            raise BenchError(f"wrk output lacks {pattern!r}:\n{out}")
        return conv(m.group(1))

    errs = re.search(r"Socket errors: connect (\d+), read (\d+), "
                     r"write (\d+), timeout (\d+)", out)
    return {
        "rps": round(grab(r"^Requests/sec:\s+([\d.]+)"), 1),
        "p50_ms": grab(r"^\s+50%\s+(\S+)", to_ms),
        "p99_ms": grab(r"^\s+99%\s+(\S+)", to_ms),
        "requests": grab(r"^\s*(\d+) requests in", int),
        "non_2xx": grab(r"Non-2xx or 3xx responses: (\d+)", int, default=0),
        "socket_errors": sum(int(x) for x in errs.groups()) if errs else 0,
    }


def run_wrk(url, token, connections, duration_s):
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s}s",
           "--latency", "-H", f"Authorization: Bearer {token}", url]
    res = subprocess.run(cmd, capture_output=True, text=True,
                         timeout=duration_s + 60)
    if res.returncode != 0:
        raise BenchError(f"wrk failed ({res.returncode}): {res.stderr.strip()}")
    return parse_wrk(res.stdout)


def section_get_config(ctx):
    """wrk load on GET /api/config with a bearer token."""
    ctx.ensure_running()
    if ctx.token is None:
        ctx.token = ctx.picd.create_token()
    url = f"http://127.0.0.1:{ctx.port}/api/config"
    out = {}
    for c in CONNECTIONS:
        r = run_wrk(url, ctx.token, c, WRK_DURATION_S)
        ctx.picd.check_alive()
        if r["non_2xx"] or r["socket_errors"]:
            raise BenchError(f"{c} connections: {r['non_2xx']} non-2xx responses, "
                             f"{r['socket_errors']} socket errors")
        out[str(c)] = r
    return {"get_config": out}


def section_rss_after_load(ctx):
    """RSS once the load is over, plus the peak seen during it."""
    ctx.ensure_running()
    time.sleep(IDLE_SETTLE_S)
    return {"rss_after_load_mb": mb(ctx.picd.rss_kb()),
            "rss_peak_mb": mb(ctx.picd.hwm_kb())}


# Order matters: the RSS sections bracket the load. Later issues append
# their own sections (each returns a dict merged into results["picd"]).
SECTIONS = [
    section_cold_start,
    section_rss_idle,
    section_get_config,
    section_rss_after_load,
]


# -------------------------------------------------------------- report

def lookup(d, path):
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def evaluate_targets(picd):
    out = {}
    for name, path, op, value, unit in TARGETS:
        got = lookup(picd, path)
        met = None if got is None else (got >= value if op == ">=" else got <= value)
        out[".".join(path)] = {"name": name, "target": f"{op} {value} {unit}",
                               "value": got, "met": met}
    return out


def fmt_value(v, unit):
    if v is None:
        return "n/a"
    if isinstance(v, dict):
        if "min" in v:
            return f"{v['min']:g} / {v['max']:g} {unit}"
        return f"{v['p50_ms']:g} / {v['p99_ms']:g} {unit}"
    if unit == "req/s":
        return f"{v:,.0f} {unit}"
    return f"{v:g} {unit}"


def print_table(results):
    picd = results["picd"]
    rows = [("metric", "value", "target", "met?")]
    for (name, _path, _op, _value, unit), t in zip(TARGETS, results["targets"].values()):
        met = {True: "yes", False: "NO", None: "n/a"}[t["met"]]
        rows.append((name, fmt_value(t["value"], unit), t["target"], met))
    for name, path, unit in INFO_ROWS:
        rows.append((name, fmt_value(lookup(picd, path), unit), "-", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    m = results["machine"]
    print(f"\nPIC bench {results['date']}  ({m['cores']} cores, {m['model']}, "
          f"load {m['loadavg_at_start']})")
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def write_results(results):
    with open(RESULTS_PATH, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print(f"\nwrote {RESULTS_PATH}")


# ---------------------------------------------------------------- main

def find_binary():
    build = os.environ.get("PIC_BUILD") or os.path.join(os.path.dirname(HERE), "build")
    binary = os.path.join(build, "picd")
    if not os.access(binary, os.X_OK):
        raise BenchError(f"{binary} not found or not executable (set PIC_BUILD)")
    if shutil.which("wrk") is None:
        raise BenchError("wrk not found (apt-get install wrk)")
    return binary


def run():
    binary = find_binary()
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "picd": {},
    }
    workdir = tempfile.mkdtemp(prefix="pic-bench-")
    ctx = Context(binary, workdir)
    try:
        ctx.initialise_state()
        for section in SECTIONS:
            print(f"bench: {section.__doc__.splitlines()[0]}", flush=True)
            results["picd"].update(section(ctx))
    finally:
        ctx.close()
        shutil.rmtree(workdir, ignore_errors=True)
    results["targets"] = evaluate_targets(results["picd"])
    print_table(results)
    write_results(results)


def _terminated(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through run()'s cleanup


def main():
    signal.signal(signal.SIGTERM, _terminated)
    try:
        run()
    except BenchError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
