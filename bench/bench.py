#!/usr/bin/python3
"""PIC benchmark: cold start, API throughput/latency, memory, NTP apply,
crash recovery, DNS record propagation, DNS at scale, DNS throughput,
the TLS proxy (HTTPS through caddy vs direct, caddy's RSS, leaf
issuance) of picd and its services, VPN peers at scale, and the web UI in
a real browser (JS shipped, dashboard and VPN page times).

Run by `make bench` (as root) as

    PIC_BUILD=<abs build dir> /usr/bin/python3 bench/bench.py

Standard library only, plus `wrk` for the HTTP load, `dnsperf` for the DNS
load, `ip` and `nsenter`; the webui section drives Debian's Chromium
through tests/e2e/driver.mjs (node, playwright-core from webui/node_modules)
against the UI built by `make ui` (build/ui, passed to every picd as
--ui-dir). picd builds the cell network when it starts
(bridge pic0, a namespace per service, veths, the nftables table
`inet pic`) and runs unbound (dns) and chronyd (ntp). None of
that may touch the machine's own network, so, like the integration tests
(tests/integration/conftest.py), the bench runs picd in a throw-away
network namespace `pbench<hex>`:

  * the bench binds a listening TCP socket on 127.0.0.1:0 in its own
    namespace and hands it to picd with --listen-fd, so wrk and the HTTP
    client reach the API at 127.0.0.1:PORT as before;
  * picd is started as `nsenter --net=/run/netns/pbench… picd --foreground
    --state-dir S --listen-fd FD --socket W/pic.sock --ui-dir build/ui`, in a session of its
    own (as when it daemonizes or runs as a service);
  * every picd start is preceded by `picd --teardown` (same nsenter line),
    so chronyd is started, never adopted, and the network is built anew;
  * DNS clients run in a second namespace `pbench<hex>-c` attached to the
    cell bridge by a veth (as tests/integration/conftest.py's Client):
    a small persistent DNS client (raw UDP, below) and dnsperf;
  * at the end, always: the DNS client is stopped, the client namespace
    deleted, SIGTERM picd, `picd --teardown --foreground` (stops unbound
    and chronyd, removes the network), `ip netns del pbench…`.

The script

  1. creates the namespace and initialises a throw-away state dir (first
     start creates the admin account with argon2id and installs chrony's
     config; not part of the figures);
  2. runs each section of SECTIONS in order; a section is a function
     taking the shared Context and returning a dict merged into
     results["picd"];
  3. compares the figures with TARGETS, prints a table and writes
     bench/results.json.

Targets are reported as met / not met, never asserted. The exit status is
non-zero only if the bench itself could not run: not root, picd failed to
start or died, wrk or dnsperf is missing, the load saw non-2xx responses
or socket errors, an NTP apply failed, the NTP service did not come back,
a DNS API call failed, a DNS change never showed in an answer, or the
web UI is not built, its browser driver did not start or a page did not
become usable within the driver's timeout.

Environment knobs (for quick trial runs; the defaults are the reference):
  PIC_BENCH_DURATION   seconds per wrk run (default 10)
  PIC_BENCH_COLD_RUNS  cold-start repetitions (default 5)
  PIC_BENCH_NTP_RUNS   NTP apply round trips (default 20)
  PIC_BENCH_KILL_RUNS  kill -9 recoveries (default 10)
  PIC_BENCH_DNS_RUNS   DNS adds, and deletes, timed (default 200)
  PIC_BENCH_DNS_RESTART_RUNS  unbound restarts timed (default 10)
  PIC_BENCH_DNS_RECORDS  records in the batch of dns_scale (default 10000)
  PIC_BENCH_DNS_BIG    records in the store for dns_scale_big (default 100000)
  PIC_BENCH_WRITERS_S  seconds each DNS writer run lasts in dns_scale (default 3)
  PIC_BENCH_LEAF_RUNS  POST /api/vault/certs timed in proxy (default 20)
  PIC_BENCH_ROUTE_RUNS PUT /api/proxy/routes/calendar timed in proxy (default 20)
  PIC_BENCH_LOOP_S     seconds per load in loop_latency (default 5)
  PIC_BENCH_WEBUI_RUNS page loads per figure in webui (default 10)
  PIC_BENCH_WEBUI_PEERS peers in the cell for webui's VPN page (default 10000)
  PIC_BENCH_SECTIONS   comma-separated section names to run (default: all),
                       e.g. "dns_propagation,dns_scale,dns_throughput"
                       (dns_throughput reads dns_scale's names)
"""

import base64
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
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS_PATH = os.path.join(HERE, "results.json")
UI_DIR = os.path.join(ROOT, "build", "ui")  # `make ui`; picd serves it at / (--ui-dir)

WRK_DURATION_S = int(os.environ.get("PIC_BENCH_DURATION", "10"))
COLD_START_RUNS = int(os.environ.get("PIC_BENCH_COLD_RUNS", "5"))
NTP_APPLY_RUNS = int(os.environ.get("PIC_BENCH_NTP_RUNS", "20"))
KILL_RUNS = int(os.environ.get("PIC_BENCH_KILL_RUNS", "10"))
DNS_RUNS = int(os.environ.get("PIC_BENCH_DNS_RUNS", "200"))
DNS_RESTART_RUNS = int(os.environ.get("PIC_BENCH_DNS_RESTART_RUNS", "10"))
DNS_SCALE_RECORDS = int(os.environ.get("PIC_BENCH_DNS_RECORDS", "10000"))
DNS_BIG_RECORDS = int(os.environ.get("PIC_BENCH_DNS_BIG", "100000"))
DNS_WRITERS_S = float(os.environ.get("PIC_BENCH_WRITERS_S", "3"))
ONLY_SECTIONS = [x.strip() for x in os.environ.get("PIC_BENCH_SECTIONS", "").split(",") if x.strip()]
CONNECTIONS = (1, 16, 64)
STARTUP_TIMEOUT_S = 10.0
SERVICES_TIMEOUT_S = 10.0
NTP_ANSWER_TIMEOUT_S = 10.0
IDLE_SETTLE_S = 0.5
POLL_S = 0.002            # /api/services and NTP polling interval
NTP_RECV_TIMEOUT_S = 0.020
NTP_LISTS = (["192.0.2.1"], ["192.0.2.2"])  # TEST-NET-1: never answers
# Kills in a row without a hand restart, to show the backoff (the 5th
# exit within 60 s would park the service as failed).
CONSECUTIVE_KILLS = 4
LISTEN_BACKLOG = 512      # as picd's own --listen
DNS_WARMUP_RUNS = 5       # untimed add/delete pairs before the timed ones
DNS_ANSWER_TIMEOUT_S = 10.0
DNS_TICK_S = 0.001        # the DNS client re-asks after this without an answer
DNS_KEEP_S = 0.050        # ... and takes answers to queries this recent
DNS_LIST_RUNS = 20        # GET /api/dns/records latency samples per query
DNS_SCALE_RESTART_RUNS = 3  # unbound restarts with the 10,000 records
DNS_SCALE_POST_RUNS = 100   # POST /api/dns/records timed at 10,000 and at DNS_BIG_RECORDS
DNS_BATCH_MAX = 10000       # the API's batch limit
DNSPERF_CLIENTS = 4       # dnsperf -c (2 cores: keep it modest)
DNSPERF_THREADS = 2       # dnsperf -T
CLIENT_OFFSET = 200       # the client's address: ip_range base + this
PROXY_CONNECTIONS = 16    # wrk -c for /health through caddy and direct
LEAF_RUNS = int(os.environ.get("PIC_BENCH_LEAF_RUNS", "20"))  # POST /api/vault/certs timed
ROUTE_RUNS = int(os.environ.get("PIC_BENCH_ROUTE_RUNS", "20"))  # PUT /api/proxy/routes timed
LOOP_PHASE_S = float(os.environ.get("PIC_BENCH_LOOP_S", "5"))  # seconds per load in loop_latency
LOOP_GET_INTERVAL_S = 0.005  # one GET /api/config every 5 ms under each load
LOOP_PASSWORD = "bench-login-password"

# (name, path into results["picd"], operator, value, unit)
TARGETS = [
    ("GET /api/config req/s @16 conns", ("get_config", "16", "rps"), ">=", 6000, "req/s"),
    ("GET /api/config p99 @16 conns", ("get_config", "16", "p99_ms"), "<=", 10, "ms"),
    ("idle RSS (picd)", ("rss_idle_mb",), "<=", 8, "MB"),
    ("cold start to first 200 (median)", ("cold_start_ms", "median"), "<=", 50, "ms"),
    ("cold start to all services healthy (median)",
     ("cold_start_all_healthy_ms", "median"), "<=", 1000, "ms"),
    ("kill -9 chronyd to NTP answer (median)",
     ("restart_after_kill9_ms", "median"), "<=", 1000, "ms"),
    ("picd kill -9, start in a new mount ns: DNS queries lost", ("sandboxed_restart", "dns_lost"), "<=", 0, ""),
    ("picd kill -9, start in a new mount ns: NTP queries lost", ("sandboxed_restart", "ntp_lost"), "<=", 0, ""),
    ("DNS add: API return to answer p50", ("dns_propagation_ms", "add", "p50_ms"), "<=", 5, "ms"),
    ("DNS add: API return to answer p99", ("dns_propagation_ms", "add", "p99_ms"), "<=", 20, "ms"),
    ("DNS delete: API return to NXDOMAIN p50",
     ("dns_propagation_ms", "delete", "p50_ms"), "<=", 5, "ms"),
    ("DNS delete: API return to NXDOMAIN p99",
     ("dns_propagation_ms", "delete", "p99_ms"), "<=", 20, "ms"),
    ("DNS POST one record at 10,000 p50", ("dns_scale", "post_one_ms", "p50_ms"), "<=", 5, "ms"),
    ("DNS POST one record at 100,000 p50", ("dns_scale_big", "post_one_ms", "p50_ms"), "<=", 5, "ms"),
    ("DNS writes/s, two writers over one", ("dns_scale", "writers", "two_over_one"), ">=", 1.0, "x"),
    ("VPN add one peer at 10,000 p50", ("vpn", "scales", "10000", "add_one_ms", "p50_ms"), "<=", 10, "ms"),
    ("VPN remove one peer at 10,000 p50", ("vpn", "scales", "10000", "remove_one_ms", "p50_ms"), "<=", 10, "ms"),
    ("VPN picd restart to VPN ready at 10,000", ("vpn", "scales", "10000", "picd_restart_to_vpn_ready_ms"),
     "<=", 1000, "ms"),
    ("GET /api/config p99 while 2 clients log in", ("loop_latency", "logins", "p99_ms"), "<=", 5, "ms"),
    ("GET /api/config p99 during route changes", ("loop_latency", "route_changes", "p99_ms"), "<=", 5, "ms"),
    ("GET /api/config p99 while 2 clients add DNS records",
     ("loop_latency", "dns_writers", "p99_ms"), "<=", 5, "ms"),
    ("GET /api/config p99 under all three", ("loop_latency", "all", "p99_ms"), "<=", 5, "ms"),
    ("VPN picd RSS at 10,000 peers", ("vpn", "scales", "10000", "rss_picd_mb"), "<=", 32, "MB"),
    ("mail: account created to first IMAP login p50", ("mail", "created_to_imap_login_ms", "p50_ms"), "<=", 100,
     "ms"),
    ("mail: submission on 587 to visible over IMAP p50", ("mail", "submit_to_imap_ms", "p50_ms"), "<=", 250, "ms"),
    ("mail: postfix + dovecot + opendkim memory (PSS), idle", ("mail", "pss_idle_mb"), "<=", 60, "MB"),
    ("web UI: JS for /login + dashboard, gzip", ("webui", "login_to_dashboard", "js_gzip_kb"), "<=", 150, "KB"),
    ("web UI: dashboard time to interactive p50", ("webui", "dashboard", "tti_ms", "p50_ms"), "<=", 500, "ms"),
    ("web UI: dashboard time to interactive p90", ("webui", "dashboard", "tti_ms", "p90_ms"), "<=", 500, "ms"),
    ("web UI: dashboard API requests on load", ("webui", "dashboard", "api_requests"), "<=", 6, ""),
    ("web UI: /vpn at 10,000 peers, rows + filter p50", ("webui", "vpn_page", "interactive_ms", "p50_ms"),
     "<=", 1000, "ms"),
]

# Figures shown in the table without a target: (name, path, unit).
INFO_ROWS = [
    ("mail: submission to IMAP p99", ("mail", "submit_to_imap_ms", "p99_ms"), "ms"),
    ("mail: messages/s accepted on 587, 8 senders", ("mail", "throughput_msgs_per_s"), "msg/s"),
    ("mail: memory (PSS) after the load", ("mail", "pss_after_load_mb"), "MB"),
    ("cold start min / max", ("cold_start_ms",), "ms"),
    ("cold start all healthy min / max", ("cold_start_all_healthy_ms",), "ms"),
    ("GET /api/config req/s @1 conn", ("get_config", "1", "rps"), "req/s"),
    ("GET /api/config p50 / p99 @1 conn", ("get_config", "1"), "ms"),
    ("GET /api/config p50 @16 conns", ("get_config", "16", "p50_ms"), "ms"),
    ("GET /api/config req/s @64 conns", ("get_config", "64", "rps"), "req/s"),
    ("GET /api/config p50 / p99 @64 conns", ("get_config", "64"), "ms"),
    ("idle RSS (chronyd)", ("rss_idle_chronyd_mb",), "MB"),
    ("idle RSS (unbound)", ("rss_idle_unbound_mb",), "MB"),
    ("RSS after load", ("rss_after_load_mb",), "MB"),
    ("peak RSS (VmHWM)", ("rss_peak_mb",), "MB"),
    ("PUT /api/ntp/config p50 / p99 / max", ("ntp_apply_round_trip_ms",), "ms"),
    ("kill -9 to NTP answer min / max", ("restart_after_kill9_ms",), "ms"),
    ("kill -9, 4 in a row (no reset)", ("restart_after_kill9_consecutive_ms", "runs"), "ms"),
    ("new mount ns restart: DNS / NTP queries sent", ("sandboxed_restart", "dns_sent"), ""),
    ("new mount ns restart: picd start to all healthy",
     ("sandboxed_restart", "picd_start_to_all_healthy_ms"), "ms"),
    ("chronyd SIGSTOP to /health degraded", ("health_restart", "stopped_to_degraded_ms"), "ms"),
    ("chronyd SIGSTOP to an NTP answer (restarted on health)",
     ("health_restart", "stopped_to_ntp_answer_ms"), "ms"),
    ("DNS add to answer p50 / p99 / max", ("dns_propagation_ms", "add"), "ms"),
    ("DNS delete to NXDOMAIN p50 / p99 / max", ("dns_propagation_ms", "delete"), "ms"),
    ("POST /api/dns/records p50 / p99 / max", ("dns_api_round_trip_ms", "add"), "ms"),
    ("DELETE /api/dns/records/{id} p50 / p99 / max", ("dns_api_round_trip_ms", "delete"), "ms"),
    ("restart unbound instead: to answer (p50)", ("dns_restart_instead_ms", "p50_ms"), "ms"),
    ("restart / live (p50 over p50)", ("dns_restart_instead_ms", "ratio_to_live"), "x"),
    ("restart / (POST + live), end to end", ("dns_restart_instead_ms", "ratio_to_live_end_to_end"), "x"),
    ("POST /api/dns/records/batch (10,000 A)", ("dns_scale", "batch_ms"), "ms"),
    ("GET /api/dns/records?limit=1000 p50", ("dns_scale", "list_limit_1000", "p50_ms"), "ms"),
    ("GET /api/dns/records?name=… p50", ("dns_scale", "list_by_name", "p50_ms"), "ms"),
    ("GET /api/dns/records?type=A&limit=100 p50", ("dns_scale", "list_type_a_100", "p50_ms"), "ms"),
    ("lookup of one of the 10,000 (correct)", ("dns_scale", "lookup", "ms"), "ms"),
    ("with 10,000: POST one record p50 / p99 / max",
     ("dns_scale", "single_change_ms", "add_api"), "ms"),
    ("with 10,000: add to answer p50 / p99 / max", ("dns_scale", "single_change_ms", "add"), "ms"),
    ("with 10,000: POST one (keep-alive) p50 / p99 / max", ("dns_scale", "post_one_ms"), "ms"),
    ("with 10,000: DNS writes/s, one writer", ("dns_scale", "writers", "one_rps"), "req/s"),
    ("with 10,000: DNS writes/s, two writers", ("dns_scale", "writers", "two_rps"), "req/s"),
    ("with 10,000: GET /api/config p50 / p99, one writer", ("dns_scale", "writers", "get_one"), "ms"),
    ("with 10,000: GET /api/config p50 / p99, two writers", ("dns_scale", "writers", "get_two"), "ms"),
    ("with 100,000: POST one (keep-alive) p50 / p99 / max", ("dns_scale_big", "post_one_ms"), "ms"),
    ("with 100,000: filling batches (10,000 each) p50", ("dns_scale_big", "batch_ms", "p50_ms"), "ms"),
    ("RSS unbound, 0 / 10,000 records", ("dns_scale", "rss_unbound_mb"), "MB"),
    ("RSS unbound after a restart (10,000 from file)", ("dns_scale", "rss_unbound_restarted_mb"), "MB"),
    ("RSS picd, before the batch / after it + 40 changes", ("dns_scale", "rss_picd_mb"), "MB"),
    ("restart unbound with 10,000 to answer (median)", ("dns_scale", "restart_to_answer_ms", "median"), "ms"),
    ("dnsperf queries/s (cell names)", ("dns_throughput", "qps"), "q/s"),
    ("dnsperf avg latency", ("dns_throughput", "avg_latency_ms"), "ms"),
    ("dnsperf lost queries", ("dns_throughput", "lost"), ""),
    ("picd CPU during dnsperf", ("dns_throughput", "picd_cpu_ms"), "ms"),
    ("GET /health via caddy (HTTPS) req/s @16", ("proxy", "via_proxy", "rps"), "req/s"),
    ("GET /health via caddy p50 / p99 @16", ("proxy", "via_proxy"), "ms"),
    ("GET /health direct (bridge) req/s @16", ("proxy", "direct", "rps"), "req/s"),
    ("GET /health direct p50 / p99 @16", ("proxy", "direct"), "ms"),
    ("via caddy / direct, req/s", ("proxy", "rps_ratio"), "x"),
    ("GET /api/config p50 / p99, no load (loop_latency)", ("loop_latency", "idle"), "ms"),
    ("... while 2 clients log in p50 / p99", ("loop_latency", "logins"), "ms"),
    ("... during route changes p50 / p99", ("loop_latency", "route_changes"), "ms"),
    ("... while 2 clients add DNS records p50 / p99", ("loop_latency", "dns_writers"), "ms"),
    ("... under all three p50 / p99", ("loop_latency", "all"), "ms"),
    ("RSS caddy, idle / after load / peak", ("proxy", "rss_caddy_mb"), "MB"),
    ("POST /api/vault/certs p50 / p99 / max", ("proxy", "leaf_issue_ms"), "ms"),
    ("route change -> live p50 / p99 / max", ("proxy", "route_change_ms"), "ms"),
    ("accounts: POST /api/users p50 / p99 / max", ("accounts", "create_ms"), "ms"),
    ("accounts: created -> first web login p50 / p99 / max", ("accounts", "create_to_first_login_ms"), "ms"),
    ("accounts: a login (bcrypt check) p50 / p99 / max", ("accounts", "login_ms"), "ms"),
    ("VPN: POST /api/peers (one peer)", ("vpn", "create_ms"), "ms"),
    ("VPN: create -> first handshake", ("vpn", "create_to_handshake_ms"), "ms"),
    ("VPN 1000: create all", ("vpn", "scales", "1000", "create_all_s"), "s"),
    ("VPN 1000: GET /api/peers p50", ("vpn", "scales", "1000", "get_peers_ms", "p50_ms"), "ms"),
    ("VPN 1000: add one p50 / p99", ("vpn", "scales", "1000", "add_one_ms"), "ms"),
    ("VPN 1000: remove one p50 / p99", ("vpn", "scales", "1000", "remove_one_ms"), "ms"),
    ("VPN 1000: grant / revoke one service p50 / p99", ("vpn", "scales", "1000", "grant_revoke_ms"), "ms"),
    ("VPN 1000: RSS picd / wireguard-go", ("vpn", "scales", "1000", "rss_mb"), "MB"),
    ("VPN 1000: picd restart to VPN ready", ("vpn", "scales", "1000", "picd_restart_to_vpn_ready_ms"), "ms"),
    ("VPN 1000: wireguard-go restart to all peers", ("vpn", "scales", "1000", "wireguard_go_restart_to_all_peers_ms"), "ms"),
    ("VPN 10000: create all", ("vpn", "scales", "10000", "create_all_s"), "s"),
    ("VPN 10000: GET /api/peers p50", ("vpn", "scales", "10000", "get_peers_ms", "p50_ms"), "ms"),
    ("VPN 10000: add one p50 / p99", ("vpn", "scales", "10000", "add_one_ms"), "ms"),
    ("VPN 10000: remove one p50 / p99", ("vpn", "scales", "10000", "remove_one_ms"), "ms"),
    ("VPN 10000: grant / revoke one service p50 / p99", ("vpn", "scales", "10000", "grant_revoke_ms"), "ms"),
    ("VPN 10000: RSS picd / wireguard-go", ("vpn", "scales", "10000", "rss_mb"), "MB"),
    ("VPN 10000: picd restart to VPN ready", ("vpn", "scales", "10000", "picd_restart_to_vpn_ready_ms"), "ms"),
    ("VPN 10000: wireguard-go restart to all peers", ("vpn", "scales", "10000", "wireguard_go_restart_to_all_peers_ms"), "ms"),
    ("web UI: JS for /login + dashboard, brotli", ("webui", "login_to_dashboard", "js_br_kb"), "KB"),
    ("web UI: JS for /login + dashboard, as built", ("webui", "login_to_dashboard", "js_raw_kb"), "KB"),
    ("web UI: CSS for /login + dashboard, gzip", ("webui", "login_to_dashboard", "css_gzip_kb"), "KB"),
    ("web UI: JS for the dashboard alone (logged in), gzip", ("webui", "dashboard", "js_gzip_kb"), "KB"),
    ("web UI: /login to dashboard usable, nothing cached", ("webui", "login_to_dashboard", "ms"), "ms"),
    ("web UI: ... of which /login shown", ("webui", "login_to_dashboard", "login_page_ms"), "ms"),
    ("web UI: ... of which 'Log in' clicked to dashboard usable",
     ("webui", "login_to_dashboard", "after_click_ms"), "ms"),
    ("web UI: peers in the cell for the dashboard figures", ("webui", "dashboard", "peers"), ""),
    ("web UI: dashboard TTI without the HTTP cache p50 / p90",
     ("webui", "dashboard", "tti_no_cache_ms"), "ms"),
    ("web UI: dashboard TTI at 10,000 peers p50 / p90", ("webui", "dashboard_at_peers", "tti_ms"), "ms"),
    ("web UI: /vpn at 10,000 peers, rows + filter p90", ("webui", "vpn_page", "interactive_ms", "p90_ms"), "ms"),
    ("web UI: /vpn at 10,000 peers, rows shown p50 / p90", ("webui", "vpn_page", "rows_shown_ms"), "ms"),
    ("web UI: /vpn filter typed to list narrowed p50 / p90",
     ("webui", "vpn_page", "filter_to_narrowed_ms"), "ms"),
]


class BenchError(Exception):
    """The bench could not run (as opposed to a target being missed)."""


# ---------------------------------------------------------------- helpers

def sh(*argv, check=True, timeout=60):
    """Runs a command (argv, no shell); returns the CompletedProcess."""
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise BenchError(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def proc_status_kb(pid, field):
    """A kB field (VmRSS, VmHWM, ...) of /proc/PID/status."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except FileNotFoundError:
        raise BenchError(f"process {pid} is gone") from None
    raise BenchError(f"{field} missing from /proc/{pid}/status")


def proc_state(pid):
    """(comm, state letter) of a process, or None if it does not exist."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    return comm, stat[stat.rindex(")") + 2]


def mb(kb):
    return round(kb / 1024, 2)


def ms(seconds):
    return round(seconds * 1000, 2)


def spread(samples):
    """median / min / max (and the runs) of a list of ms figures."""
    return {
        "median": round(statistics.median(samples), 2),
        "min": round(min(samples), 2),
        "max": round(max(samples), 2),
        "runs": [round(s, 2) for s in samples],
    }


def percentile(samples, p):
    """Nearest-rank percentile."""
    s = sorted(samples)
    k = max(0, min(len(s) - 1, -(-p * len(s) // 100) - 1))
    return s[int(k)]


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


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over an AF_UNIX socket (picd's control socket)."""

    def __init__(self, path, timeout=5.0):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def request(conn, method, path, body=None, headers=None):
    """One request on an http.client connection: (status, parsed JSON or None)."""
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        conn.close()
    try:
        doc = json.loads(raw) if raw else None
    except ValueError:
        doc = {"raw": raw[:200].decode(errors="replace")}
    return resp.status, doc


# ------------------------------------------------------------- the cell

class Netns:
    """The throw-away network namespace picd runs in (its "host"), and the
    loopback listening socket, in the bench's own namespace, it serves."""

    def __init__(self):
        self.name = f"pbench{uuid.uuid4().hex[:8]}"
        self.created = False
        self.listener = None
        sh("ip", "netns", "add", self.name)
        self.created = True
        try:
            sh("ip", "-n", self.name, "link", "set", "lo", "up")
            self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.listener.bind(("127.0.0.1", 0))
            self.listener.listen(LISTEN_BACKLOG)
        except BaseException:
            self.delete()
            raise
        self.port = self.listener.getsockname()[1]

    @property
    def path(self):
        return f"/run/netns/{self.name}"

    def delete(self):
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        if self.created:
            sh("ip", "netns", "del", self.name, check=False)
            self.created = False


# A small SNTP client run inside picd's namespace (`ip netns exec`), so that
# its start-up is not part of any figure. On "go T" it sends a 48-byte
# mode-3 request (LI 0, version 4, a random transmit stamp) every POLL_S
# without waiting for the previous one, and takes the first valid answer
# (mode 4, stratum != 0, origin = the stamp of a request sent at most
# NTP_RECV_TIMEOUT_S earlier). It prints the CLOCK_MONOTONIC time of that
# answer and the number of requests sent, or "timeout N" after T seconds.
# Port-unreachable errors (nothing listens yet) are ignored.
NTP_CLIENT = r"""
import os, select, socket, sys, time
POLL, RECV = float(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((sys.argv[1], 123))
print("ready", flush=True)
for line in sys.stdin:
    deadline = time.monotonic() + float(line.split()[1])
    sent, got = {}, None
    while True:  # drop answers and errors left from earlier rounds
        try:
            s.recv(512, socket.MSG_DONTWAIT)
        except (BlockingIOError, ConnectionRefusedError):
            break
    while got is None and time.monotonic() < deadline:
        stamp = os.urandom(8)
        for _ in range(3):
            try:
                s.send(b"\x23" + bytes(39) + stamp)
                break
            except ConnectionRefusedError:  # the error of an earlier request
                pass
        sent[stamp] = time.monotonic()
        tick = sent[stamp] + POLL
        while got is None:
            left = tick - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                break
            try:
                ans = s.recv(512)
            except ConnectionRefusedError:  # nothing listens (yet)
                continue
            now = time.monotonic()
            if (len(ans) >= 48 and ans[0] & 7 == 4 and ans[1] != 0
                    and now - sent.get(ans[24:32], -1e9) <= RECV):
                got = now
    print(f"{got if got is not None else 'timeout'} {len(sent)}", flush=True)
"""


class NtpClient:
    """The SNTP client above, running in `netns` against `addr`."""

    def __init__(self, netns, addr):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", netns.name, "/usr/bin/python3", "-c", NTP_CLIENT,
             addr, str(POLL_S), str(NTP_RECV_TIMEOUT_S)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        if self.proc.stdout.readline().strip() != "ready":
            self.close()
            raise BenchError("the NTP client did not start")

    def first_answer(self, timeout_s=NTP_ANSWER_TIMEOUT_S):
        """Polls until an answer: (CLOCK_MONOTONIC of it or None, requests sent)."""
        self.proc.stdin.write(f"go {timeout_s}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().split()
        if len(line) != 2:
            raise BenchError("the NTP client died")
        return (None if line[0] == "timeout" else float(line[0])), int(line[1])

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


class CellClient:
    """A host on the cell bridge (as Client in
    tests/integration/conftest.py): the namespace `<picd's>-c` with eth0,
    whose veth peer `pbc<hex>` is a port of pic0 in picd's namespace, and
    the address at `offset` in the cell's ip_range."""

    def __init__(self, netns, ip_range, offset):
        self.name = f"{netns.name}-c"
        self.created = False
        sh("ip", "netns", "add", self.name)
        self.created = True
        try:
            port = "pbc" + netns.name[len("pbench"):]
            sh("ip", "-n", self.name, "link", "set", "lo", "up")
            sh("ip", "-n", self.name, "link", "add", "eth0", "type", "veth",
               "peer", "name", port, "netns", netns.name)
            sh("ip", "-n", netns.name, "link", "set", port, "master", "pic0", "up")
            base, prefix = ip_range.split("/")
            a = socket.inet_aton(base)
            self.addr = socket.inet_ntoa((int.from_bytes(a, "big") + offset).to_bytes(4, "big"))
            sh("ip", "-n", self.name, "addr", "add", f"{self.addr}/{prefix}", "dev", "eth0")
            sh("ip", "-n", self.name, "link", "set", "eth0", "up")
        except BaseException:
            self.delete()
            raise

    def delete(self):
        """Deleting the namespace deletes the veth pair with it."""
        if self.created:
            sh("ip", "netns", "del", self.name, check=False)
            self.created = False


# A small DNS client (raw UDP, standard library) run in the client
# namespace, started once so that Python's start-up is not timed. Each
# command on stdin is
#     a NAME ADDR TIMEOUT   poll until an answer (NOERROR) has A ADDR
#     nx NAME TIMEOUT       poll until an answer is NXDOMAIN
# It drops answers left from earlier rounds, then sends an A query for
# NAME (a fresh random id, RD set) and waits for its answer; a matching
# but wrong answer makes it ask again at once, and no answer within TICK
# (lost, or nothing listens: unbound restarting) makes it ask again too,
# taking answers to any query of this round sent at most KEEP earlier.
# Answers must match an id of the round, have QR set and echo the
# question. It prints the CLOCK_MONOTONIC time of the first correct answer
# (or "timeout"), the number of queries sent, and the µs from reading the
# command to that answer.
DNS_CLIENT = r"""
import os, select, socket, struct, sys, time
TICK, KEEP = float(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((sys.argv[1], 53))

def skip_name(m, i):
    while True:
        n = m[i]
        if n & 0xC0 == 0xC0:
            return i + 2
        if n == 0:
            return i + 1
        i += n + 1

def parse(m, question):
    # (rcode, [IPv4 addresses of A answers]) or None
    if len(m) < 12:
        return None
    flags, qd, an = struct.unpack(">HHH", m[2:8])
    if not flags & 0x8000 or qd != 1 or m[12:12 + len(question)].lower() != question:
        return None
    i, addrs = 12 + len(question), []
    try:
        for _ in range(an):
            i = skip_name(m, i)
            rtype, _cls, _ttl, rdlen = struct.unpack(">HHIH", m[i:i + 10])
            i += 10
            if rtype == 1 and rdlen == 4:
                addrs.append(socket.inet_ntoa(m[i:i + 4]))
            i += rdlen
    except (IndexError, struct.error):
        return None
    return flags & 0xF, addrs

print("ready", flush=True)
for line in sys.stdin:
    t_cmd = time.monotonic()
    cmd = line.split()
    want = cmd[2] if cmd[0] == "a" else None
    deadline = t_cmd + float(cmd[-1])
    question = b"".join(bytes([len(l)]) + l.encode() for l in cmd[1].lower().rstrip(".").split("."))
    question += b"\0\0\1\0\1"  # root, type A, class IN
    while True:  # drop answers and errors left from earlier rounds
        try:
            s.recv(4096, socket.MSG_DONTWAIT)
        except (BlockingIOError, ConnectionRefusedError):
            break
    sent, got = {}, None
    while got is None and time.monotonic() < deadline:
        qid = int.from_bytes(os.urandom(2), "big")
        for _ in range(3):
            try:
                s.send(struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + question)
                break
            except ConnectionRefusedError:  # the error of an earlier query
                pass
        sent[qid] = time.monotonic()
        tick = sent[qid] + TICK
        while got is None:
            left = tick - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                break
            try:
                m = s.recv(4096)
            except ConnectionRefusedError:  # nothing listens (yet)
                continue
            now = time.monotonic()
            if len(m) < 2 or now - sent.get(m[0] << 8 | m[1], -1e9) > KEEP:
                continue
            a = parse(m, question)
            if a is None:
                continue
            if (a[0] == 0 and want in a[1]) if want else a[0] == 3:
                got = now
            else:
                break  # a wrong answer: ask again at once
    if got is None:
        print(f"timeout {len(sent)} -1", flush=True)
    else:
        print(f"{got} {len(sent)} {round((got - t_cmd) * 1e6)}", flush=True)
"""


class DnsClient:
    """The DNS client above, running in a CellClient's namespace against
    the resolver at `addr`."""

    def __init__(self, client, addr):
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", client.name, "/usr/bin/python3", "-c", DNS_CLIENT,
             addr, str(DNS_TICK_S), str(DNS_KEEP_S)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        if self.proc.stdout.readline().strip() != "ready":
            self.close()
            raise BenchError("the DNS client did not start")

    def wait(self, mode, name, addr=None, timeout_s=DNS_ANSWER_TIMEOUT_S):
        """Polls `name` until it answers `addr` (mode "a") or NXDOMAIN
        (mode "nx"): (CLOCK_MONOTONIC of that answer or None, queries
        sent, µs from the client reading the command to the answer)."""
        args = [mode, name] + ([addr] if mode == "a" else []) + [str(timeout_s)]
        self.proc.stdin.write(" ".join(args) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().split()
        if len(line) != 3:
            raise BenchError("the DNS client died")
        return (None if line[0] == "timeout" else float(line[0])), int(line[1]), int(line[2])

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


# ----------------------------------------------------------------- picd

class Picd:
    """picd on a given state dir and control socket, in `netns`, serving
    HTTP on the netns' listening socket."""

    def __init__(self, binary, netns, state_dir, sock_path, log_path):
        self.binary = binary
        self.netns = netns
        self.state_dir = state_dir
        self.sock_path = sock_path
        self.log_path = log_path
        self.proc = None
        # A prefix for picd's argv: NEW_MOUNT_NS starts it in a mount
        # namespace of its own, as systemd starts a sandboxed unit.
        self.wrapper = []
        # Every daemon pid seen in /api/services ({pid: "chronyd"|"unbound"|…}),
        # checked at the end.
        self.daemon_pids = {}

    @property
    def port(self):
        return self.netns.port

    def argv(self, *args):
        return [*self.wrapper, "nsenter", f"--net={self.netns.path}", self.binary,
                "--state-dir", self.state_dir,
                "--listen-fd", str(self.netns.listener.fileno()),
                "--socket", self.sock_path, "--ui-dir", UI_DIR, *args]

    def spawn(self, stdout=subprocess.DEVNULL):
        # nsenter enters the namespace and execs picd: proc.pid is picd's.
        # In a session of its own, as picd is when it daemonizes (make run)
        # or runs as a service: not in the bench's, whose autogroup would
        # make it share its CPU with the bench's sampling client.
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv("--foreground"), stdin=subprocess.DEVNULL, stdout=stdout,
                stderr=log, pass_fds=(self.netns.listener.fileno(),), start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def check_alive(self):
        if not self.alive():
            code = None if self.proc is None else self.proc.returncode
            raise BenchError(f"picd is not running (exit status {code}); "
                             f"its log ends:\n{self.log_tail()}")

    def log_tail(self, lines=10):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def log_time(self, pattern):
        """Wall-clock time (s) of the last log line matching `pattern`."""
        stamp = None
        try:
            with open(self.log_path, errors="replace") as f:
                for line in f:
                    if re.search(pattern, line):
                        stamp = line.split()[0]
        except OSError:
            return None
        if stamp is None:
            return None
        t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")
        return t.replace(tzinfo=datetime.timezone.utc).timestamp()

    def wait_health_200(self):
        """GET /health until a 200 (or picd dies / times out).

        The listening socket belongs to the bench, so the connection is
        accepted into its backlog at once and the request is answered as
        soon as picd's event loop runs: one request, no retry needed."""
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n"
                          b"Connection: close\r\n\r\n")
                s.settimeout(0.05)
                head = b""
                while b"\r\n" not in head and time.monotonic() < deadline:
                    try:
                        chunk = s.recv(256)
                    except socket.timeout:
                        self.check_alive()
                        continue
                    except ConnectionResetError:
                        break
                    if not chunk:
                        break
                    head += chunk
                if head.startswith(b"HTTP/1.1 200 "):
                    return
            self.check_alive()
            time.sleep(POLL_S)
        raise BenchError(f"picd: no 200 on /health after {STARTUP_TIMEOUT_S} s")

    def start(self):
        self.spawn()
        self.wait_health_200()

    def stop(self):
        """SIGTERM, then SIGKILL if it lingers; safe to call repeatedly.
        The services keep running (picd leaves the data plane up)."""
        if not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def teardown(self, check=True):
        """`picd --teardown`: stops chronyd, removes the cell network."""
        r = subprocess.run(self.argv("--teardown", "--foreground"),
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            msg = f"picd --teardown: exit {r.returncode}: {r.stderr.strip()}"
            if check:
                raise BenchError(msg)
            print(f"bench: WARNING: {msg}", file=sys.stderr)

    def rss_kb(self):
        self.check_alive()
        return proc_status_kb(self.pid, "VmRSS")

    def hwm_kb(self):
        self.check_alive()
        return proc_status_kb(self.pid, "VmHWM")

    def local(self, method, path, body=None, timeout=10.0):
        """A request over the control socket (as root: full access)."""
        return request(UnixHTTPConnection(self.sock_path, timeout=timeout), method, path, body)

    def services(self):
        status, doc = self.local("GET", "/api/services")
        if status != 200:
            raise BenchError(f"GET /api/services: HTTP {status}: {doc}")
        for s in doc["services"]:
            if s.get("daemon") and s.get("pid"):
                self.daemon_pids[s["pid"]] = s["daemon"]
        return doc["services"]

    def service(self, name):
        for s in self.services():
            if s["name"] == name:
                return s
        raise BenchError(f"no service '{name}' in GET /api/services")

    def wait_service(self, name, old_pid=None, timeout_s=SERVICES_TIMEOUT_S):
        """Polls until `name` is running and healthy (with a pid other
        than `old_pid`); returns its entry."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            s = self.service(name)
            if s["state"] == "running" and s["healthy"] and s["pid"] != old_pid:
                return s
            self.check_alive()
            time.sleep(POLL_S)
        raise BenchError(f"service {name} not running and healthy after {timeout_s} s: {s}")

    def create_token(self, name="bench"):
        status, doc = self.local("POST", "/api/auth/tokens", {"name": name})
        if status != 201:
            raise BenchError(f"token creation: HTTP {status}: {doc}")
        return doc["token"]


def all_healthy(services):
    """Every service that is not disabled (dhcp, until an interface is
    set) is running and healthy."""
    live = [s for s in services if s["state"] != "disabled"]
    return bool(live) and all(s["state"] == "running" and s["healthy"] for s in live)


class Context:
    """State shared by the sections: the namespace, work dir, running picd."""

    def __init__(self, binary, workdir):
        self.binary = binary
        self.workdir = workdir
        self.state_dir = os.path.join(workdir, "state")
        self.netns = Netns()
        self.picd = Picd(binary, self.netns, self.state_dir,
                         os.path.join(workdir, "pic.sock"),
                         os.path.join(workdir, "picd.log"))
        self.token = None
        self.ntp_client = None
        self.cell_client = None   # CellClient: a host on the cell bridge
        self.dns_client = None    # DnsClient running in it
        self.dns_names = None     # dns_scale's names, for dns_throughput

    def initialise_state(self):
        """First start (argon2id admin account, chrony.conf), then stop."""
        p = self.picd
        try:
            p.spawn(stdout=subprocess.PIPE)
            p.wait_health_200()
            p.stop()
            out = p.proc.stdout.read().decode(errors="replace")
        finally:
            p.stop()
            if p.proc and p.proc.stdout:
                p.proc.stdout.close()
        if "password:" not in out:
            raise BenchError("first start did not create the admin account")

    def fresh_start(self):
        """Stop picd, tear the cell down, start picd: chronyd is started
        (not adopted) on a new network. The clients on the old bridge
        go with it (made again when next needed)."""
        self.forget_clients()
        self.picd.stop()
        self.picd.teardown()
        self.picd.start()

    def forget_clients(self):
        if self.ntp_client is not None:
            self.ntp_client.close()
            self.ntp_client = None
        if self.dns_client is not None:
            self.dns_client.close()
            self.dns_client = None
        if self.cell_client is not None:
            self.cell_client.delete()
            self.cell_client = None

    def ensure_running(self):
        if not self.picd.alive():
            self.fresh_start()

    def ntp_service(self):
        return self.picd.wait_service("ntp")

    def config(self):
        status, conf = self.picd.local("GET", "/api/config")
        if status != 200:
            raise BenchError(f"GET /api/config: HTTP {status}: {conf}")
        return conf

    def client(self):
        """(the host on the cell bridge, made once, GET /api/config)."""
        self.ensure_running()
        conf = self.config()
        if self.cell_client is None:
            self.cell_client = CellClient(self.netns, conf["ip_range"], CLIENT_OFFSET)
        return self.cell_client, conf

    def dns(self):
        """(the DNS client on the cell bridge, the resolver's address, the
        cell zone); the client namespace and the client are made once."""
        self.ensure_running()
        self.picd.wait_service("dns")
        _client, conf = self.client()
        addr = conf["addresses"]["dns"]
        zone = f"{conf['cell_name']}.{conf['domain']}".lower()
        if self.dns_client is None:
            self.dns_client = DnsClient(self.cell_client, addr)
            # The path (ARP, bridge learning) before anything is timed.
            if self.dns_client.wait("a", f"dns.{zone}", addr)[0] is None:
                raise BenchError(f"the cell resolver {addr} does not answer dns.{zone}")
        return self.dns_client, addr, zone

    def close(self):
        """Always: clients, picd, teardown, namespaces. Then checks that no
        daemon of ours (unbound, chronyd) survived."""
        self.forget_clients()
        self.picd.stop()
        self.picd.teardown(check=False)
        self.netns.delete()
        left = []
        for pid, daemon in sorted(self.picd.daemon_pids.items()):
            st = proc_state(pid)
            # A zombie (Z) whose parent is PID 1 is gone but not reaped.
            if st and st[0] == daemon[:15] and st[1] != "Z":
                left.append(f"{daemon} {pid}")
        if left:
            print(f"bench: WARNING: still running after teardown: {', '.join(left)}",
                  file=sys.stderr)


# ------------------------------------------------------------- sections

def section_cold_start(ctx):
    """Spawn to first 200 on /health and to all services healthy."""
    p = ctx.picd
    health, healthy, spawned = [], [], {}
    for _ in range(COLD_START_RUNS):
        p.stop()
        p.teardown()
        wall0 = time.time()
        t0 = time.perf_counter()
        p.spawn()
        p.wait_health_200()
        health.append(ms(time.perf_counter() - t0))
        while not all_healthy(p.services()):
            p.check_alive()
            if time.perf_counter() - t0 > SERVICES_TIMEOUT_S:
                raise BenchError(f"services not all healthy after {SERVICES_TIMEOUT_S} s: "
                                 f"{p.services()}")
            time.sleep(POLL_S)
        healthy.append(ms(time.perf_counter() - t0))
        # From picd's log: when each daemon was forked (1 ms resolution).
        for svc in p.services():
            if svc["state"] != "running":
                continue
            t = p.log_time(rf"{svc['name']} started \({svc['daemon']}, pid {svc['pid']}\)")
            spawned.setdefault(f"{svc['daemon']}_spawned_ms", []).append(
                None if t is None else ms(t - wall0))
    p.stop()
    return {"cold_start_ms": spread(health),
            "cold_start_all_healthy_ms": dict(spread(healthy), **spawned)}


def section_rss_idle(ctx):
    """RSS of a fresh picd that has served only /health, and of its daemons."""
    ctx.ensure_running()
    ntp = ctx.ntp_service()
    dns = ctx.picd.wait_service("dns")
    time.sleep(IDLE_SETTLE_S)
    return {"rss_idle_mb": mb(ctx.picd.rss_kb()),
            "rss_idle_chronyd_mb": mb(proc_status_kb(ntp["pid"], "VmRSS")),
            "rss_idle_unbound_mb": mb(proc_status_kb(dns["pid"], "VmRSS"))}


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


def ensure_token(ctx):
    if ctx.token is None:
        ctx.token = ctx.picd.create_token()
    return ctx.token


def section_get_config(ctx):
    """wrk load on GET /api/config with a bearer token."""
    ctx.ensure_running()
    token = ensure_token(ctx)
    url = f"http://127.0.0.1:{ctx.picd.port}/api/config"
    out = {}
    for c in CONNECTIONS:
        r = run_wrk(url, token, c, WRK_DURATION_S)
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


def put_ntp(ctx, servers):
    """PUT /api/ntp/config over TCP with the bearer token: (status, doc)."""
    conn = http.client.HTTPConnection("127.0.0.1", ctx.picd.port, timeout=30)
    return request(conn, "PUT", "/api/ntp/config", {"servers": servers},
                   {"Authorization": f"Bearer {ensure_token(ctx)}"})


def section_ntp_apply(ctx):
    """PUT /api/ntp/config round trips (render, check, restart, verify)."""
    ctx.ensure_running()
    ctx.ntp_service()
    # Untimed: move off the default servers, so that every timed PUT
    # changes one list into the other.
    status, doc = put_ntp(ctx, NTP_LISTS[1])
    if status != 200:
        raise BenchError(f"PUT /api/ntp/config: HTTP {status}: {doc}")
    samples = []
    for i in range(NTP_APPLY_RUNS):
        servers = NTP_LISTS[i % 2]
        t0 = time.perf_counter()
        status, doc = put_ntp(ctx, servers)
        elapsed = time.perf_counter() - t0
        if status != 200 or doc.get("servers") != servers or doc.get("applied") is not True:
            raise BenchError(f"PUT /api/ntp/config {servers}: HTTP {status}: {doc}")
        samples.append(ms(elapsed))
    ctx.picd.check_alive()
    return {"ntp_apply_round_trip_ms": {
        "p50_ms": round(percentile(samples, 50), 2),
        "p99_ms": round(percentile(samples, 99), 2),
        "max_ms": round(max(samples), 2),
        "min_ms": round(min(samples), 2),
        "runs": samples,
    }}


def kill9_once(ctx, client):
    """SIGKILL the running chronyd; (ms to the first NTP answer, ms until
    picd forked the new chronyd (from its log), requests sent)."""
    p = ctx.picd
    old = p.wait_service("ntp")
    pid = old["pid"]
    st = proc_state(pid)
    if not st or st[0] != "chronyd":
        raise BenchError(f"pid {pid} from /api/services is not chronyd: {st}")
    wall0 = time.time()
    t0 = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    answered, sent = client.first_answer()
    if answered is None:
        raise BenchError(f"no NTP answer within {NTP_ANSWER_TIMEOUT_S} s of kill -9")
    elapsed = ms(answered - t0)
    new = p.wait_service("ntp", old_pid=pid)
    t = p.log_time(rf"ntp started \(chronyd, pid {new['pid']}\)")
    return elapsed, (None if t is None else ms(t - wall0)), sent


def hand_restart(ctx):
    status, doc = ctx.picd.local("POST", "/api/services/ntp/restart")
    if status != 200:
        raise BenchError(f"POST /api/services/ntp/restart: HTTP {status}: {doc}")
    ctx.picd.wait_service("ntp")


def section_restart_after_kill9(ctx):
    """kill -9 chronyd, time to the first NTP answer from the cell."""
    ctx.ensure_running()
    ntp = ctx.ntp_service()
    ctx.ntp_client = client = NtpClient(ctx.netns, ntp["address"])
    try:
        # A hand restart before every kill forgives earlier exits (the
        # crash-loop count and the backoff step), so each kill sees what
        # a first crash sees: a zero backoff.
        samples, respawn, sent = [], [], []
        for _ in range(KILL_RUNS):
            hand_restart(ctx)
            e, r, n = kill9_once(ctx, client)
            samples.append(e)
            respawn.append(r)
            sent.append(n)
        # Then kills in a row without the reset: the backoff grows.
        hand_restart(ctx)
        consecutive = [kill9_once(ctx, client)[0] for _ in range(CONSECUTIVE_KILLS)]
        hand_restart(ctx)
    finally:
        client.close()
        ctx.ntp_client = None
    return {"restart_after_kill9_ms": dict(spread(samples), respawned_ms=respawn,
                                           ntp_requests=sent),
            "restart_after_kill9_consecutive_ms": {"runs": consecutive}}


# ------------------------------------------------------------------ DNS

def api_timed(ctx, method, path, body=None, timeout=120.0):
    """A request over TCP with the bearer token, as an API user makes it:
    (status, parsed JSON or None, CLOCK_MONOTONIC before sending, and
    once the whole answer was read)."""
    conn = http.client.HTTPConnection("127.0.0.1", ctx.picd.port, timeout=timeout)
    hdrs = {"Authorization": f"Bearer {ensure_token(ctx)}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    try:
        conn.connect()
        t0 = time.monotonic()
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        t1 = time.monotonic()
    finally:
        conn.close()
    try:
        doc = json.loads(raw) if raw else None
    except ValueError:
        doc = {"raw": raw[:200].decode(errors="replace")}
    return resp.status, doc, t0, t1


def dist(samples, digits=3):
    """p50 / p99 (nearest rank) / max / min of ms figures."""
    return {
        "p50_ms": round(percentile(samples, 50), digits),
        "p99_ms": round(percentile(samples, 99), digits),
        "max_ms": round(max(samples), digits),
        "min_ms": round(min(samples), digits),
    }


def add_record(ctx, name, addr):
    """POST one A record: (id, CLOCK_MONOTONIC before sending, after the 201)."""
    status, doc, t0, t1 = api_timed(ctx, "POST", "/api/dns/records",
                                    {"name": name, "type": "A", "value": addr})
    if status != 201:
        raise BenchError(f"POST /api/dns/records {name}: HTTP {status}: {doc}")
    return doc["id"], t0, t1


def delete_record(ctx, rid):
    status, doc, t0, t1 = api_timed(ctx, "DELETE", f"/api/dns/records/{rid}")
    if status != 204:
        raise BenchError(f"DELETE /api/dns/records/{rid}: HTTP {status}: {doc}")
    return t0, t1


def await_answer(client, mode, fqdn, addr=None):
    """The DNS client's answer (see DnsClient.wait); a timeout is fatal."""
    got, sent, us = client.wait(mode, fqdn, addr)
    if got is None:
        want = f"A {addr}" if mode == "a" else "NXDOMAIN"
        raise BenchError(f"{fqdn}: no {want} within {DNS_ANSWER_TIMEOUT_S} s")
    return got, sent, us


def section_dns_propagation(ctx):
    """DNS record add/delete: API return to the first correct answer."""
    client, _addr, zone = ctx.dns()
    for i in range(DNS_WARMUP_RUNS):  # untimed: SQLite, unbound, the path
        name = f"warm{i}"
        rid, _, _ = add_record(ctx, name, f"10.76.0.{i + 1}")
        await_answer(client, "a", f"{name}.{zone}", f"10.76.0.{i + 1}")
        delete_record(ctx, rid)
        await_answer(client, "nx", f"{name}.{zone}")

    names = [(f"prop{i:04d}", f"10.77.{i >> 8}.{i & 255}") for i in range(DNS_RUNS)]
    add, add_api, add_e2e, add_queries, add_us, ids = [], [], [], [], [], []
    for name, addr in names:
        rid, t0, t1 = add_record(ctx, name, addr)
        got, sent, us = await_answer(client, "a", f"{name}.{zone}", addr)
        ids.append(rid)
        add.append((got - t1) * 1000)
        add_api.append((t1 - t0) * 1000)
        add_e2e.append((got - t0) * 1000)
        add_queries.append(sent)
        add_us.append(us)
    dele, del_api, del_queries, del_us = [], [], [], []
    for (name, _addr), rid in zip(names, ids):
        t0, t1 = delete_record(ctx, rid)
        got, sent, us = await_answer(client, "nx", f"{name}.{zone}")
        dele.append((got - t1) * 1000)
        del_api.append((t1 - t0) * 1000)
        del_queries.append(sent)
        del_us.append(us)
    ctx.picd.check_alive()

    # The old way: the record is in records.conf; restart unbound (stop,
    # wait for its exit, start) and time until the new daemon answers it.
    # The restart call returns once the old daemon has exited, so any
    # answer after it comes from the new one.
    restart, restart_call, restart_queries, restart_ids = [], [], [], []
    for i in range(DNS_RESTART_RUNS):
        name, addr = f"restart{i:02d}", f"10.78.0.{i + 1}"
        rid, _, _ = add_record(ctx, name, addr)
        restart_ids.append(rid)
        old = ctx.picd.wait_service("dns")
        t0 = time.monotonic()
        status, doc = ctx.picd.local("POST", "/api/services/dns/restart")
        t1 = time.monotonic()
        if status != 200:
            raise BenchError(f"POST /api/services/dns/restart: HTTP {status}: {doc}")
        got, sent, _us = await_answer(client, "a", f"{name}.{zone}", addr)
        restart.append((got - t0) * 1000)
        restart_call.append((t1 - t0) * 1000)
        restart_queries.append(sent)
        # Healthy again (the supervisor's first probe) before the next one.
        ctx.picd.wait_service("dns", old_pid=old["pid"])
    for rid in restart_ids:
        delete_record(ctx, rid)
    ctx.picd.check_alive()

    live_p50 = percentile(add, 50)
    e2e_p50 = percentile(add_e2e, 50)
    restart_p50 = percentile(restart, 50)
    return {
        "dns_propagation_ms": {
            "add": dict(dist(add), first_query_answered=sum(1 for n in add_queries if n == 1),
                        queries_max=max(add_queries),
                        client_only_p50_ms=round(percentile(add_us, 50) / 1000, 3)),
            "delete": dict(dist(dele), first_query_answered=sum(1 for n in del_queries if n == 1),
                           queries_max=max(del_queries),
                           client_only_p50_ms=round(percentile(del_us, 50) / 1000, 3)),
            "runs": DNS_RUNS,
        },
        "dns_api_round_trip_ms": {
            "add": dist(add_api),
            "delete": dist(del_api),
            "add_to_answer": dist(add_e2e),
        },
        "dns_restart_instead_ms": {
            "p50_ms": round(restart_p50, 2),
            "min_ms": round(min(restart), 2),
            "max_ms": round(max(restart), 2),
            "restart_call_p50_ms": round(percentile(restart_call, 50), 2),
            "runs": [round(x, 2) for x in restart],
            "queries": restart_queries,
            "ratio_to_live": round(restart_p50 / live_p50, 1),
            "ratio_to_live_end_to_end": round(restart_p50 / e2e_p50, 1),
        },
    }


def get_latency(ctx, path, runs=DNS_LIST_RUNS):
    """GET `path` `runs` times: p50 / p99 / max, and the last answer."""
    samples, doc = [], None
    for _ in range(runs):
        status, doc, t0, t1 = api_timed(ctx, "GET", path)
        if status != 200:
            raise BenchError(f"GET {path}: HTTP {status}: {doc}")
        samples.append((t1 - t0) * 1000)
    return dist(samples), doc


def unbound_pid(ctx):
    pid = ctx.picd.wait_service("dns")["pid"]
    st = proc_state(pid)
    if not st or st[0] != "unbound":
        raise BenchError(f"pid {pid} from /api/services is not unbound: {st}")
    return pid


class KeepAlive:
    """One keep-alive API connection (as a UI or a script holds one)."""

    def __init__(self, ctx):
        self.conn = http.client.HTTPConnection("127.0.0.1", ctx.picd.port, timeout=60)
        self.hdrs = {"Authorization": f"Bearer {ensure_token(ctx)}", "Content-Type": "application/json"}

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        t0 = time.monotonic()
        self.conn.request(method, path, body=data, headers=self.hdrs)
        resp = self.conn.getresponse()
        raw = resp.read()
        return resp.status, raw, (time.monotonic() - t0) * 1000

    def close(self):
        self.conn.close()


class Clients:
    """Runs each function in a forked process of its own, as separate
    clients are: threads would share Python's interpreter lock, and the
    figures would be of Python's scheduling, not of picd's. Each is also in
    a session of its own, as a separate client (another user's browser, a
    CLI in another terminal) is: the kernel's autogroups weigh sessions
    against each other, so the load clients do not share one group's CPU
    with the bench's own sampling client, which would then measure its
    wait behind them rather than picd's answer. results() waits for them
    and gives what each returned, in order."""

    def __init__(self, fns):
        import multiprocessing
        mp = multiprocessing.get_context("fork")
        self.queue = mp.Queue()

        def main(k, fn):
            os.setsid()
            try:
                self.queue.put((k, True, fn()))
            except BaseException as e:  # reported to the bench, not lost
                self.queue.put((k, False, f"{type(e).__name__}: {e}"))

        self.procs = [mp.Process(target=main, args=(k, fn), daemon=True) for k, fn in enumerate(fns)]
        for proc in self.procs:
            proc.start()

    def results(self, timeout_s=120):
        got = {}
        try:
            for _ in self.procs:
                k, ok, value = self.queue.get(timeout=timeout_s)
                if not ok:
                    raise BenchError(f"a load client failed: {value}")
                got[k] = value
        finally:
            for proc in self.procs:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
        return [got[k] for k in range(len(self.procs))]


def post_one_runs(ctx, prefix, runs=DNS_SCALE_POST_RUNS):
    """POST `runs` A records over one keep-alive connection, each timed;
    then deletes them (untimed)."""
    c = KeepAlive(ctx)
    samples, ids = [], []
    try:
        for i in range(runs):
            status, raw, t = c.call("POST", "/api/dns/records",
                                    {"name": f"{prefix}{i:03d}", "type": "A", "value": f"10.80.0.{i % 250 + 1}"})
            if status != 201:
                raise BenchError(f"POST /api/dns/records: HTTP {status}: {raw[:200]}")
            samples.append(t)
            ids.append(json.loads(raw)["id"])
        for rid in ids:
            status, raw, _t = c.call("DELETE", f"/api/dns/records/{rid}")
            if status != 204:
                raise BenchError(f"DELETE /api/dns/records/{rid}: HTTP {status}: {raw[:200]}")
    finally:
        c.close()
    return dist(samples)


def dns_writers(ctx, n_writers, tag, duration_s=DNS_WRITERS_S):
    """`n_writers` clients, each on its own keep-alive connection, POST
    records for `duration_s` while one more GETs /api/config: the total
    write rate and the GET latency. The records are deleted afterwards."""
    stop = time.monotonic() + duration_s

    def writer(k):
        c = KeepAlive(ctx)
        created = []
        try:
            i = 0
            while time.monotonic() < stop:
                status, raw, _t = c.call("POST", "/api/dns/records",
                                         {"name": f"w{tag}-{k}-{i}", "type": "A", "value": f"10.81.{k}.{i % 250 + 1}"})
                if status != 201:
                    return {"error": [status, raw[:200].decode(errors="replace")], "created": created}
                created.append(json.loads(raw)["id"])
                i += 1
        finally:
            c.close()
        return {"error": None, "created": created}

    def reader():
        c = KeepAlive(ctx)
        gets = []
        try:
            while time.monotonic() < stop:
                status, raw, t = c.call("GET", "/api/config")
                if status != 200:
                    return {"error": [status, raw[:200].decode(errors="replace")], "gets": gets}
                gets.append(t)
                time.sleep(0.005)
        finally:
            c.close()
        return {"error": None, "gets": gets}

    ubd = unbound_pid(ctx)
    cpu0 = (cpu_ms(ctx.picd.pid), cpu_ms(ubd))
    t0 = time.monotonic()
    clients = Clients([lambda k=k: writer(k) for k in range(n_writers)] + [reader])
    results = clients.results()
    elapsed = time.monotonic() - t0
    cpu1 = (cpu_ms(ctx.picd.pid), cpu_ms(ubd))
    created = [r["created"] for r in results[:-1]]
    gets = results[-1]["gets"]
    errors = [r["error"] for r in results if r["error"]]
    total = sum(len(c) for c in created)
    c = KeepAlive(ctx)
    try:
        for ids in created:
            for rid in ids:
                c.call("DELETE", f"/api/dns/records/{rid}")
    finally:
        c.close()
    if errors:
        raise BenchError(f"DNS writers: {errors[0]}")
    return {"rps": round(total / elapsed, 1), "get": dist(gets) if gets else None,
            "picd_cpu_per_write_ms": round((cpu1[0] - cpu0[0]) / max(total, 1), 3),
            "unbound_cpu_per_write_ms": round((cpu1[1] - cpu0[1]) / max(total, 1), 3),
            "picd_cpu_share": round((cpu1[0] - cpu0[0]) / (elapsed * 1000), 2)}


def section_dns_scale(ctx):
    """10,000 A records in one batch; listing, lookup, changes, RSS, restarts."""
    client, _addr, zone = ctx.dns()
    n = DNS_SCALE_RECORDS
    names = [(f"h{i:05d}", f"10.{100 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}") for i in range(n)]
    ubd = unbound_pid(ctx)
    rss_unbound_before = mb(proc_status_kb(ubd, "VmRSS"))
    rss_picd_before = mb(ctx.picd.rss_kb())

    body = {"records": [{"name": name, "type": "A", "value": addr} for name, addr in names]}
    status, doc, t0, t1 = api_timed(ctx, "POST", "/api/dns/records/batch", body)
    if status != 201 or doc.get("created") != n:
        raise BenchError(f"POST /api/dns/records/batch: HTTP {status}: {str(doc)[:300]}")
    batch_ms = (t1 - t0) * 1000
    ctx.picd.check_alive()

    # One of the 10,000, right after the batch returned: the client's
    # own time (command to answer) and the time since the batch returned.
    name, addr = names[n * 2 // 3]
    got, sent, us = await_answer(client, "a", f"{name}.{zone}", addr)
    lookup_ms, after_batch_ms = us / 1000, (got - t1) * 1000
    if unbound_pid(ctx) != ubd:
        raise BenchError("unbound was restarted by the batch")

    by_name = f"{names[n // 2][0]}.{zone}"
    list_1000, d1 = get_latency(ctx, "/api/dns/records?limit=1000")
    list_name, d2 = get_latency(ctx, f"/api/dns/records?name={by_name}")
    list_type, d3 = get_latency(ctx, "/api/dns/records?type=A&limit=100")
    if (len(d1["records"]) != min(1000, n) or d1["total"] != n or len(d2["records"]) != 1
            or len(d3["records"]) != min(100, n)):
        raise BenchError("GET /api/dns/records: unexpected answers "
                         f"({len(d1['records'])}/{d1['total']}, {len(d2['records'])}, "
                         f"{len(d3['records'])})")
    # Single changes with the 10,000 in the store.
    single = {"add_api": [], "add": [], "delete_api": [], "delete": []}
    for i in range(DNS_LIST_RUNS):
        one, one_addr = f"late{i:02d}", f"10.79.0.{i + 1}"
        rid, t0, t1 = add_record(ctx, one, one_addr)
        got, _sent, _us = await_answer(client, "a", f"{one}.{zone}", one_addr)
        single["add_api"].append((t1 - t0) * 1000)
        single["add"].append((got - t1) * 1000)
        t0, t1 = delete_record(ctx, rid)
        got, _sent, _us = await_answer(client, "nx", f"{one}.{zone}")
        single["delete_api"].append((t1 - t0) * 1000)
        single["delete"].append((got - t1) * 1000)

    # Keep-alive POSTs at this size, then one and two concurrent writers.
    post_one = post_one_runs(ctx, "ka")
    one = dns_writers(ctx, 1, "a")
    two = dns_writers(ctx, 2, "b")

    time.sleep(IDLE_SETTLE_S)
    rss_unbound_after = mb(proc_status_kb(ubd, "VmRSS"))
    rss_picd_after = mb(ctx.picd.rss_kb())
    try:
        parts = os.path.join(ctx.state_dir, "services", "dns", "records.d")
        records_kb = round(sum(os.path.getsize(os.path.join(parts, f)) for f in os.listdir(parts)) / 1024, 1)
    except OSError:
        records_kb = None

    # The old way at this size: restart unbound, which reads the 10,000
    # from records.conf, until the looked-up name answers again.
    restart = []
    for _ in range(DNS_SCALE_RESTART_RUNS):
        old = ctx.picd.wait_service("dns")
        t0 = time.monotonic()
        status, rdoc = ctx.picd.local("POST", "/api/services/dns/restart")
        if status != 200:
            raise BenchError(f"POST /api/services/dns/restart: HTTP {status}: {rdoc}")
        got, _sent, _us = await_answer(client, "a", f"{name}.{zone}", addr)
        restart.append((got - t0) * 1000)
        ctx.picd.wait_service("dns", old_pid=old["pid"])
    time.sleep(IDLE_SETTLE_S)
    rss_unbound_restarted = mb(proc_status_kb(unbound_pid(ctx), "VmRSS"))
    ctx.dns_names = [f"{name}.{zone}" for name, _ in names]
    return {"dns_scale": {
        "records": n,
        "batch_ms": round(batch_ms, 1),
        "batch_body_kb": round(len(json.dumps(body)) / 1024, 1),
        "records_conf_kb": records_kb,
        "lookup": {"name": f"{name}.{zone}", "answer": addr, "ms": round(lookup_ms, 3),
                   "after_batch_ms": round(after_batch_ms, 3), "queries": sent},
        "list_limit_1000": list_1000,
        "list_by_name": list_name,
        "list_type_a_100": list_type,
        "single_change_ms": {k: dist(v) for k, v in single.items()},
        "post_one_ms": post_one,
        "writers": {"seconds": DNS_WRITERS_S, "one_rps": one["rps"], "two_rps": two["rps"],
                    "two_over_one": round(two["rps"] / one["rps"], 2), "get_one": one["get"],
                    "get_two": two["get"], "one": one, "two": two},
        "rss_unbound_mb": [rss_unbound_before, rss_unbound_after],
        "rss_unbound_restarted_mb": rss_unbound_restarted,
        "rss_picd_mb": [rss_picd_before, rss_picd_after],
        "restart_to_answer_ms": {"median": round(statistics.median(restart), 2),
                                 "runs": [round(x, 2) for x in restart]},
    }}


def section_dns_scale_big(ctx):
    """Up to 100,000 records (batches of 10,000): POST one record, timed."""
    _client, _addr, _zone = ctx.dns()
    status, doc, _t0, _t1 = api_timed(ctx, "GET", "/api/dns/records?limit=1")
    if status != 200:
        raise BenchError(f"GET /api/dns/records: HTTP {status}: {doc}")
    have, batches, k = doc["total"], [], 0
    while have < DNS_BIG_RECORDS:
        n = min(DNS_BATCH_MAX, DNS_BIG_RECORDS - have)
        body = {"records": [{"name": f"big{k:02d}-{i:05d}", "type": "A",
                             "value": f"10.{120 + k}.{(i >> 8) & 255}.{i & 255}"} for i in range(n)]}
        status, doc, t0, t1 = api_timed(ctx, "POST", "/api/dns/records/batch", body)
        if status != 201:
            raise BenchError(f"POST /api/dns/records/batch: HTTP {status}: {str(doc)[:300]}")
        batches.append((t1 - t0) * 1000)
        have += n
        k += 1
    ctx.picd.check_alive()
    post_one = post_one_runs(ctx, "kb")
    return {"dns_scale_big": {
        "records": have,
        "batch_ms": dist(batches) if batches else None,
        "post_one_ms": post_one,
        "rss_picd_mb": mb(ctx.picd.rss_kb()),
    }}


def cpu_ms(pid):
    """utime + stime of a process, in ms."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def parse_dnsperf(out):
    def grab(pattern, conv=float):
        m = re.search(pattern, out, re.M)
        if m is None:
            raise BenchError(f"dnsperf output lacks {pattern!r}:\n{out}")
        return conv(m.group(1))

    codes = dict((c, int(k)) for c, k in re.findall(r"(\w+) (\d+) \([\d.]+%\)",
                 re.search(r"Response codes:(.*)$", out, re.M).group(1))) \
        if re.search(r"Response codes:", out) else {}
    lat = re.search(r"Average Latency \(s\):\s+([\d.]+) \(min ([\d.]+), max ([\d.]+)\)", out)
    if lat is None:
        raise BenchError(f"dnsperf output lacks the latency line:\n{out}")
    return {
        "qps": round(grab(r"Queries per second:\s+([\d.]+)"), 1),
        "sent": grab(r"Queries sent:\s+(\d+)", int),
        "completed": grab(r"Queries completed:\s+(\d+)", int),
        "lost": grab(r"Queries lost:\s+(\d+)", int),
        "response_codes": codes,
        "avg_latency_ms": round(float(lat.group(1)) * 1000, 3),
        "min_latency_ms": round(float(lat.group(2)) * 1000, 3),
        "max_latency_ms": round(float(lat.group(3)) * 1000, 3),
        "stddev_latency_ms": round(grab(r"Latency StdDev \(s\):\s+([\d.]+)") * 1000, 3),
    }


def section_dns_throughput(ctx):
    """dnsperf from the cell bridge: cell-zone names, A, the data plane."""
    if ctx.dns_names is None:
        raise BenchError("dns_throughput needs dns_scale's records (run it first)")
    _client, addr, _zone = ctx.dns()
    qfile = os.path.join(ctx.workdir, "dnsperf-queries")
    with open(qfile, "w") as f:
        f.writelines(f"{name} A\n" for name in ctx.dns_names)
    ubd = unbound_pid(ctx)
    picd0, ubd0 = cpu_ms(ctx.picd.pid), cpu_ms(ubd)
    cmd = ["ip", "netns", "exec", ctx.cell_client.name, "dnsperf", "-s", addr, "-d", qfile,
           "-l", str(WRK_DURATION_S), "-c", str(DNSPERF_CLIENTS), "-T", str(DNSPERF_THREADS)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=WRK_DURATION_S + 60)
    picd1, ubd1 = cpu_ms(ctx.picd.pid), cpu_ms(ubd)
    if res.returncode != 0:
        raise BenchError(f"dnsperf failed ({res.returncode}): {res.stderr.strip()}")
    ctx.picd.check_alive()
    r = parse_dnsperf(res.stdout)
    r.update({
        "duration_s": WRK_DURATION_S,
        "clients": DNSPERF_CLIENTS,
        "threads": DNSPERF_THREADS,
        "names": len(ctx.dns_names),
        "p99_latency_ms": None,  # dnsperf 2.10 reports average, min, max, stddev only
        "picd_cpu_ms": round(picd1 - picd0, 1),
        "unbound_cpu_ms": round(ubd1 - ubd0, 1),
    })
    return {"dns_throughput": r}


# ---------------------------------------------------------------- proxy

def run_wrk_in(netns, url, host, connections, duration_s):
    """wrk from a namespace with a Host header (no token); non-2xx
    responses or socket errors are fatal."""
    cmd = ["ip", "netns", "exec", netns, "wrk", f"-t{min(2, connections)}", f"-c{connections}",
           f"-d{duration_s}s", "--latency", "-H", f"Host: {host}", url]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60)
    if res.returncode != 0:
        raise BenchError(f"wrk {url} failed ({res.returncode}): {res.stderr.strip()}")
    r = parse_wrk(res.stdout)
    if r["non_2xx"] or r["socket_errors"] or not r["requests"]:
        raise BenchError(f"wrk {url}: {r['requests']} requests, {r['non_2xx']} non-2xx responses, "
                         f"{r['socket_errors']} socket errors")
    return r


def section_proxy(ctx):
    """The TLS proxy: /health via caddy vs direct, caddy's RSS, leaf issuance."""
    client, conf = ctx.client()
    zone = f"{conf['cell_name']}.{conf['domain']}".lower()
    vip, host = conf["virtual_ips"]["webui"], conf["addresses"]["host"]
    proxy = ctx.picd.wait_service("proxy")
    st = proc_state(proxy["pid"])
    if not st or st[0] != "caddy":
        raise BenchError(f"pid {proxy['pid']} from /api/services is not caddy: {st}")
    time.sleep(IDLE_SETTLE_S)
    rss_idle = mb(proc_status_kb(proxy["pid"], "VmRSS"))

    # Same wrk settings, same client, both over the bridge: through caddy
    # (TLS, then a second HTTP hop to picd's bridge listener), and straight
    # at that listener.
    # Beside each: the CPU time caddy and picd used during it.
    def load(url):
        c0, p0 = cpu_ms(proxy["pid"]), cpu_ms(ctx.picd.pid)
        r = run_wrk_in(client.name, url, zone, PROXY_CONNECTIONS, WRK_DURATION_S)
        r["caddy_cpu_ms"] = round(cpu_ms(proxy["pid"]) - c0, 1)
        r["picd_cpu_ms"] = round(cpu_ms(ctx.picd.pid) - p0, 1)
        ctx.picd.check_alive()
        return r

    via = load(f"https://{vip}/health")
    direct = load(f"http://{host}:3000/health")
    if ctx.picd.wait_service("proxy")["pid"] != proxy["pid"]:
        raise BenchError("caddy was restarted during the load")
    time.sleep(IDLE_SETTLE_S)
    rss_after = mb(proc_status_kb(proxy["pid"], "VmRSS"))
    hwm = mb(proc_status_kb(proxy["pid"], "VmHWM"))

    # Route change -> live: PUT /api/proxy/routes/calendar answers once
    # caddy serves the change (render, caddy validate, /load, verify), so
    # its round trip is the figure; after each, a client through the proxy
    # must see the new state.
    cal_host, cal_vip = f"calendar.{zone}", conf["virtual_ips"]["calendar"]
    samples = []
    for i in range(ROUTE_RUNS):
        enabled = i % 2 == 1
        status, doc, t0, t1 = api_timed(ctx, "PUT", "/api/proxy/routes/calendar", {"enabled": enabled})
        if status != 200 or doc.get("enabled") is not enabled:
            raise BenchError(f"PUT /api/proxy/routes/calendar: HTTP {status}: {str(doc)[:300]}")
        samples.append((t1 - t0) * 1000)
        seen = subprocess.run(["ip", "netns", "exec", client.name, "curl", "-sk", "--max-time", "5",
                               "--resolve", f"{cal_host}:443:{cal_vip}", f"https://{cal_host}/"],
                              capture_output=True, text=True, timeout=15).stdout
        want = "is not running yet" if enabled else "switched off"
        if want not in seen:
            raise BenchError(f"after the route change {i} the proxy answered {seen[:200]!r}")
    ctx.picd.check_alive()
    route = dist(samples, 2)
    route["runs"] = [round(x, 2) for x in samples]

    # Leaf issuance: the API call a user makes (key generation, signing,
    # the store), over TCP with the token.
    samples = []
    for i in range(LEAF_RUNS):
        name = f"bench-{i}.{zone}"
        status, doc, t0, t1 = api_timed(ctx, "POST", "/api/vault/certs", {"names": [name]})
        if status != 201 or "BEGIN CERTIFICATE" not in (doc or {}).get("cert", ""):
            raise BenchError(f"POST /api/vault/certs {name}: HTTP {status}: {str(doc)[:300]}")
        samples.append((t1 - t0) * 1000)
    ctx.picd.check_alive()
    leaf = dist(samples, 2)
    leaf["runs"] = [round(x, 2) for x in samples]
    return {"proxy": {
        "url": f"https://{vip}/health (Host: {zone})",
        "direct_url": f"http://{host}:3000/health",
        "connections": PROXY_CONNECTIONS,
        "duration_s": WRK_DURATION_S,
        "via_proxy": via,
        "direct": direct,
        "rps_ratio": round(via["rps"] / direct["rps"], 3),
        "p50_ratio": round(via["p50_ms"] / direct["p50_ms"], 2) if direct["p50_ms"] else None,
        "p99_ratio": round(via["p99_ms"] / direct["p99_ms"], 2) if direct["p99_ms"] else None,
        "rss_caddy_mb": [rss_idle, rss_after, hwm],  # idle, 0.5 s after the load, VmHWM
        "leaf_issue_ms": leaf,
        "route_change_ms": route,
    }}


# ---------------------------------------------------------------- vpn

VPN_LINK_HOST = "10.97.0.1"
VPN_SUBNET = "10.64.0.0/18"
VPN_SCALES = [int(x) for x in os.environ.get("PIC_BENCH_VPN_PEERS", "1000,10000").split(",") if x.strip()]
VPN_OP_RUNS = 20


class VpnDevice:
    """A WireGuard device on the internet side of the cell: a namespace
    joined to picd's by a veth, running wireguard-go."""

    def __init__(self, netns):
        self.name = f"pbv{uuid.uuid4().hex[:8]}"
        self.ifname = "wgb" + self.name[3:11]
        sh("ip", "netns", "add", self.name)
        self.created = True
        host_if = "vb" + self.name[3:11]
        sh("ip", "-n", netns.name, "link", "add", host_if, "type", "veth", "peer", "name", "eth0",
           "netns", self.name)
        sh("ip", "-n", netns.name, "addr", "add", f"{VPN_LINK_HOST}/24", "dev", host_if)
        sh("ip", "-n", netns.name, "link", "set", host_if, "up")
        sh("ip", "-n", self.name, "addr", "add", "10.97.0.2/24", "dev", "eth0")
        sh("ip", "-n", self.name, "link", "set", "eth0", "up")
        sh("ip", "-n", self.name, "link", "set", "lo", "up")
        sh("ip", "netns", "exec", self.name, "wireguard-go", self.ifname)

    def configure(self, conf):
        address = re.search(r"^Address = (\S+)$", conf, re.M).group(1)
        allowed = re.search(r"^AllowedIPs = (.+)$", conf, re.M).group(1).split(", ")
        plain = "\n".join(l for l in conf.splitlines() if not l.startswith(("Address", "DNS", "#")))
        path = f"/tmp/{self.ifname}.conf"
        with open(path, "w") as f:
            f.write(plain + "\n")
        os.chmod(path, 0o600)
        sh("ip", "netns", "exec", self.name, "wg", "setconf", self.ifname, path)
        os.unlink(path)
        sh("ip", "-n", self.name, "addr", "add", address, "dev", self.ifname)
        sh("ip", "-n", self.name, "link", "set", self.ifname, "up")
        for net in allowed:
            sh("ip", "-n", self.name, "route", "replace", net, "dev", self.ifname)

    def handshaken(self):
        out = subprocess.run(["ip", "netns", "exec", self.name, "wg", "show", self.ifname, "latest-handshakes"],
                             capture_output=True, text=True).stdout.split()
        return len(out) >= 2 and out[1] != "0"

    def ping(self, addr):
        return subprocess.run(["ip", "netns", "exec", self.name, "ping", "-c", "1", "-W", "2", addr],
                              capture_output=True).returncode == 0

    def delete(self):
        subprocess.run(["pkill", "-f", f"wireguard-go {self.ifname}"], capture_output=True)
        if self.created:
            sh("ip", "netns", "del", self.name, check=False)
            self.created = False


def timed_ms(ctx, method, path, body=None, want=200):
    status, doc, t0, t1 = api_timed(ctx, method, path, body)
    if status != want:
        raise BenchError(f"{method} {path}: HTTP {status}: {str(doc)[:300]}")
    return (t1 - t0) * 1000, doc


def make_room_for_peers(ctx):
    """The VPN endpoint set and a subnet that holds 10,000 peers (a /24
    holds 253), applied; returns once the VPN serves again."""
    status, doc = ctx.picd.local("PUT", "/api/config", {"endpoint": VPN_LINK_HOST, "vpn_subnet": VPN_SUBNET})
    if status != 200:
        raise BenchError(f"PUT /api/config endpoint, vpn_subnet: HTTP {status}: {doc}")
    if doc.get("pending"):
        status, doc = ctx.picd.local("POST", "/api/config/apply", timeout=60)
        if status != 200:
            raise BenchError(f"POST /api/config/apply: HTTP {status}: {doc}")
    ctx.picd.wait_service("vpn")


def section_vpn(ctx):
    """The VPN: create -> first handshake, and 1,000 / 10,000 peers."""
    ctx.ensure_running()
    ctx.picd.wait_service("vpn")
    conf = ctx.config()
    dns = conf["addresses"]["dns"]
    make_room_for_peers(ctx)
    dev = VpnDevice(ctx.netns)
    try:
        # Create -> handshake: the API call, fetching the config, setting
        # the device up as an app would, and its first handshake.
        t0 = time.monotonic()
        create_ms, _ = timed_ms(ctx, "POST", "/api/peers", {"name": "bench-phone"}, 201)
        _, cfg = timed_ms(ctx, "GET", "/api/peers/bench-phone/config")
        dev.configure(cfg["config"])
        dev.ping(dns)  # the first packet starts the handshake
        deadline = time.monotonic() + 10
        while not dev.handshaken():
            if time.monotonic() > deadline:
                raise BenchError("the bench device did not complete a handshake in 10 s")
            time.sleep(0.002)
        handshake_ms = (time.monotonic() - t0) * 1000
        if not dev.ping(dns):
            raise BenchError("no ping to the cell DNS over the VPN")
        result = {"create_ms": round(create_ms, 2), "create_to_handshake_ms": round(handshake_ms, 1), "scales": {}}
        made = 1
        vpn_pid = ctx.picd.service("vpn")["pid"]
        for n in VPN_SCALES:
            t0 = time.monotonic()
            while made < n:
                timed_ms(ctx, "POST", "/api/peers", {"name": f"b{made}"}, 201)
                made += 1
            create_all_s = time.monotonic() - t0
            get_list = [timed_ms(ctx, "GET", "/api/peers")[0] for _ in range(5)]
            add = [timed_ms(ctx, "POST", "/api/peers", {"name": f"x{i}"}, 201)[0] for i in range(VPN_OP_RUNS)]
            rm = [timed_ms(ctx, "DELETE", f"/api/peers/x{i}", want=204)[0] for i in range(VPN_OP_RUNS)]
            ctx.picd.check_alive()
            # After the previous scale's wireguard-go restart the device
            # holds a session the new daemon does not know: WireGuard takes
            # its ~5 s retries (and up to ~15 s) to handshake again.
            deadline = time.monotonic() + 30
            while not dev.ping(dns):
                if time.monotonic() > deadline:
                    raise BenchError(f"the first peer lost its way in at {n} peers")
            rss_picd = mb(ctx.picd.rss_kb())
            rss_wg = mb(proc_status_kb(vpn_pid, "VmRSS"))
            # A staying peer's grant given and taken back: its firewall
            # elements and DNS view change in place (a revoke deletes).
            regrant = [timed_ms(ctx, "PUT", "/api/peers/b1", {"services": ["webui"] if i % 2 == 0 else []})[0]
                       for i in range(VPN_OP_RUNS)]
            rss_picd_after_regrant = mb(ctx.picd.rss_kb())
            # Re-apply: picd restarted (wireguard-go adopted, nothing to
            # send), and wireguard-go restarted (every peer set again).
            ctx.picd.stop()
            t0 = time.monotonic()
            ctx.picd.start()
            ctx.picd.wait_service("vpn")
            restart_adopt_ms = (time.monotonic() - t0) * 1000
            status, _ = ctx.picd.local("POST", "/api/services/vpn/restart")
            t0 = time.monotonic()
            while True:
                st = ctx.picd.local("GET", "/api/wireguard/status")[1]
                if st.get("running") and st.get("peers") == made:
                    break
                if time.monotonic() - t0 > 60:
                    raise BenchError(f"after a restart of wireguard-go the device has {st.get('peers')} of {made}")
                time.sleep(0.01)
            reapply_ms = (time.monotonic() - t0) * 1000
            vpn_pid = ctx.picd.service("vpn")["pid"]
            result["scales"][str(n)] = {
                "create_all_s": round(create_all_s, 1),
                "get_peers_ms": dist(get_list, 1),
                "add_one_ms": dist(add, 2),
                "remove_one_ms": dist(rm, 2),
                "grant_revoke_ms": dist(regrant, 2),
                "rss_picd_mb": rss_picd,
                "rss_picd_after_grant_changes_mb": rss_picd_after_regrant,
                "rss_wireguard_go_mb": rss_wg,
                "rss_mb": [rss_picd, rss_wg],
                "picd_restart_to_vpn_ready_ms": round(restart_adopt_ms, 1),
                "wireguard_go_restart_to_all_peers_ms": round(reapply_ms, 1),
            }
        return {"vpn": result}
    finally:
        dev.delete()


# Order matters: the RSS sections bracket the load; the NTP sections
# restart chronyd and so come after the figures of a quiet cell; the DNS
# sections come last (they leave 10,000 records in the store, which a cold
# start would then load), and dns_throughput queries dns_scale's names;
# dns_scale_big, which fills the store up to 100,000, runs after all.
# webui comes before vpn: it measures the dashboard of a cell without
# peers, then adds 10,000 of its own and removes them (and starts picd
# afresh) before vpn counts its own.

# ------------------------------------------------- sandboxed restart

NEW_MOUNT_NS = ["unshare", "--mount", "--propagation", "private"]
HEALTH_RESTART_TIMEOUT_S = 30.0

# Asks DNS (A of `name`) and NTP (a client-mode packet) in turns, each
# with a 1 s timeout, until stdin closes; then prints
# "dns_sent dns_lost ntp_sent ntp_lost".
STEADY_QUERIER = r"""
import select, socket, struct, sys, threading
dns_server, name, ntp_server = sys.argv[1:4]
q = b"".join(bytes([len(l)]) + l.encode() for l in name.rstrip(".").split(".")) + b"\0\0\1\0\1"
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
n = [0, 0, 0, 0]
def ask(addr, port, packet, good):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.sendto(packet, (addr, port))
        if select.select([s], [], [], 1.0)[0]:
            return good(s.recv(4096))
        return False
    except OSError:
        return False
    finally:
        s.close()
qid = 0
print("ready", flush=True)
while not done.is_set():
    qid = (qid + 1) & 0xFFFF
    n[0] += 1
    if not ask(dns_server, 53, struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q,
               lambda m: len(m) > 12 and m[:2] == struct.pack(">H", qid) and m[3] & 0xF == 0 and m[7] > 0):
        n[1] += 1
    n[2] += 1
    if not ask(ntp_server, 123, b"\x23" + 47 * b"\0", lambda m: len(m) >= 48 and m[0] & 7 == 4):
        n[3] += 1
    done.wait(0.005)
print(*n, flush=True)
"""


def section_sandboxed_restart(ctx):
    """picd killed -9 and started again in a new mount namespace (queries lost), and a daemon that stops answering restarted on health."""
    p = ctx.picd
    p.stop()
    p.teardown()
    p.wrapper = NEW_MOUNT_NS
    try:
        p.start()
        for name in ("dns", "ntp", "proxy"):
            p.wait_service(name)
        client, conf = ctx.client()
        zone = f"{conf['cell_name']}.{conf['domain']}".lower()
        q = subprocess.Popen(["ip", "netns", "exec", client.name, "/usr/bin/python3", "-c", STEADY_QUERIER,
                              conf["addresses"]["dns"], f"ntp.{zone}", conf["addresses"]["ntp"]],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if q.stdout.readline().strip() != "ready":
            raise BenchError("the querier did not start")
        time.sleep(0.5)
        p.proc.kill()
        p.proc.wait()
        t0 = time.monotonic()
        p.start()
        to_health = ms(time.monotonic() - t0)
        while not all_healthy(p.services()):
            if time.monotonic() - t0 > SERVICES_TIMEOUT_S:
                raise BenchError("services not healthy after a restart in a new mount namespace")
            time.sleep(POLL_S)
        to_healthy = ms(time.monotonic() - t0)
        adopted = sorted(s["name"] for s in p.services() if s["adopted"])
        time.sleep(0.5)
        out, _ = q.communicate("", timeout=30)
        dns_sent, dns_lost, ntp_sent, ntp_lost = (int(x) for x in out.split())

        # chronyd stopped (SIGSTOP): alive, answering nothing.
        ntp = p.wait_service("ntp")
        ntp_client = NtpClient(ctx.netns, ntp["address"])
        try:
            t1 = time.monotonic()
            os.kill(ntp["pid"], signal.SIGSTOP)
            degraded = None
            while degraded is None and time.monotonic() - t1 < HEALTH_RESTART_TIMEOUT_S:
                status, doc = p.local("GET", "/health")
                if status == 200 and doc["status"] == "degraded":
                    degraded = ms(time.monotonic() - t1)
                time.sleep(0.01)
            answered, _sent = ntp_client.first_answer(timeout_s=HEALTH_RESTART_TIMEOUT_S)
            if answered is None:
                raise BenchError("a stopped chronyd was not replaced in time")
            back = ms(answered - t1)
        finally:
            ntp_client.close()
        p.wait_service("ntp", old_pid=ntp["pid"], timeout_s=HEALTH_RESTART_TIMEOUT_S)
    finally:
        p.stop()
        p.teardown(check=False)
        p.wrapper = []
    return {"sandboxed_restart": {"dns_sent": dns_sent, "dns_lost": dns_lost, "ntp_sent": ntp_sent,
                                  "ntp_lost": ntp_lost, "adopted": adopted, "picd_start_to_health_ms": to_health,
                                  "picd_start_to_all_healthy_ms": to_healthy},
            "health_restart": {"stopped_to_degraded_ms": degraded, "stopped_to_ntp_answer_ms": back}}


ACCOUNT_RUNS = 30
ACCOUNT_PASSWORD = "bench-account-pw-1"


def section_accounts(ctx):
    """Cell accounts: create (bcrypt in the hashing helper), first login."""
    ctx.ensure_running()
    port = ctx.picd.port

    def login(name):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", "/api/auth/login", body=json.dumps({"username": name, "password": ACCOUNT_PASSWORD}),
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            return resp.status
        finally:
            conn.close()

    create, to_login, logins = [], [], []
    for i in range(ACCOUNT_RUNS):
        name = f"bench{i}"
        t0 = time.monotonic()
        ms, _ = timed_ms(ctx, "POST", "/api/users", {"name": name, "password": ACCOUNT_PASSWORD}, 201)
        t1 = time.monotonic()
        if login(name) != 200:
            raise BenchError(f"the new account {name} could not log in")
        t2 = time.monotonic()
        create.append(ms)
        to_login.append((t2 - t0) * 1000)
        logins.append((t2 - t1) * 1000)
    for i in range(ACCOUNT_RUNS):
        timed_ms(ctx, "DELETE", f"/api/users/bench{i}", want=204)
    return {"accounts": {"create_ms": dist(create, 1), "create_to_first_login_ms": dist(to_login, 1),
                         "login_ms": dist(logins, 1), "runs": ACCOUNT_RUNS}}


MAIL_CREATE_RUNS = 20
MAIL_DELIVERY_RUNS = 200
MAIL_SENDERS = 8
MAIL_PER_SENDER = 50
MAIL_PASSWORD = "bench-mail-pw-1"

# Run by /usr/bin/python3 in the client namespace, so that no process
# start-up is timed: (1) accounts created over the control socket, each
# then logging in over IMAPS until it can; (2) messages submitted on 587
# (one logged-in connection) until each is in the INBOX (polled with
# NOOP/SEARCH on one logged-in IMAP connection); (3) MAIL_SENDERS
# connections submitting at once. Prints JSON.
MAIL_BENCH = r"""
import http.client, imaplib, json, smtplib, socket, ssl, sys, threading, time
sock_path, addr, zone, password, n_create, n_deliver, n_senders, per_sender = sys.argv[1:9]
n_create, n_deliver, n_senders, per_sender = int(n_create), int(n_deliver), int(n_senders), int(per_sender)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE

class Unix(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(sock_path)

def api(method, path, body=None):
    c = Unix("localhost", timeout=30)
    c.request(method, path, body=json.dumps(body) if body is not None else None,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data

def imap_login(name):
    i = imaplib.IMAP4_SSL(addr, 993, ssl_context=ctx, timeout=30)
    try:
        i.login(name, password)
        return i
    except imaplib.IMAP4.error:
        i.shutdown()
        return None

created = []
for k in range(n_create):
    name = f"mb{k}"
    t0 = time.monotonic()
    st, body = api("POST", "/api/users", {"name": name, "password": password, "services": ["mail"]})
    if st != 201:
        raise SystemExit(f"creating {name}: {st} {body[:200]}")
    tries = 0
    while True:
        i = imap_login(name)
        tries += 1
        if i:
            break
    created.append({"ms": (time.monotonic() - t0) * 1000, "tries": tries})
    i.logout()

api("POST", "/api/users", {"name": "mbsend", "password": password, "services": ["mail"]})
api("POST", "/api/users", {"name": "mbrecv", "password": password, "services": ["mail"]})
reader = imap_login("mbrecv")
reader.select("INBOX")
smtp = smtplib.SMTP(addr, 587, timeout=30)
smtp.starttls(context=ctx)
smtp.login("mbsend", password)
deliver = []
for k in range(n_deliver):
    subject = f"lat-{k}"
    t0 = time.monotonic()
    smtp.sendmail(f"mbsend@{zone}", [f"mbrecv@{zone}"], f"Subject: {subject}\r\n\r\nbody {k}\r\n")
    while True:
        reader.noop()
        _, ids = reader.search(None, "SUBJECT", subject)
        if ids[0]:
            break
        time.sleep(0.002)
    deliver.append((time.monotonic() - t0) * 1000)
smtp.quit()

def sender(j, out):
    s = smtplib.SMTP(addr, 587, timeout=60)
    s.starttls(context=ctx)
    s.login("mbsend", password)
    for k in range(per_sender):
        s.sendmail(f"mbsend@{zone}", [f"mbrecv@{zone}"], f"Subject: tp-{j}-{k}\r\n\r\nbody\r\n")
    s.quit()
    out[j] = True
done = {}
t0 = time.monotonic()
threads = [threading.Thread(target=sender, args=(j, done)) for j in range(n_senders)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.monotonic() - t0
print(json.dumps({"created": created, "deliver_ms": deliver, "accepted": len(done) * per_sender,
                  "throughput_s": elapsed}))
"""


def pss_kb(pid):
    """Proportional set size: shared pages split among their sharers, so
    a daemon's many processes add up to what they cost together."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(roots):
    """PSS of the `roots` and every process below them."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    total, todo, n = 0, list(roots), 0
    while todo:
        pid = todo.pop()
        total += pss_kb(pid)
        n += 1
        todo.extend(children.get(pid, []))
    return total, n


def section_mail(ctx):
    """Mail: account created to first IMAP login, submission to INBOX,
    submission throughput, the mail daemons' memory."""
    ctx.ensure_running()
    for name in ("smtp", "imap", "dkim"):
        ctx.picd.wait_service(name)
    client, conf = ctx.client()
    zone = f"{conf['cell_name']}.{conf['domain']}".lower()
    roots = [ctx.picd.service(name)["pid"] for name in ("smtp", "imap", "dkim")]
    idle_kb, idle_procs = tree_pss_kb(roots)
    out = sh("ip", "netns", "exec", client.name, "/usr/bin/python3", "-c", MAIL_BENCH, ctx.picd.sock_path,
             conf["addresses"]["mail"], zone, MAIL_PASSWORD, str(MAIL_CREATE_RUNS), str(MAIL_DELIVERY_RUNS),
             str(MAIL_SENDERS), str(MAIL_PER_SENDER), timeout=600)
    r = json.loads(out.stdout)
    loaded_kb, loaded_procs = tree_pss_kb(roots)
    for name in [f"mb{k}" for k in range(MAIL_CREATE_RUNS)] + ["mbsend", "mbrecv"]:
        ctx.picd.local("DELETE", f"/api/users/{name}?purge=true")
    return {"mail": {
        "created_to_imap_login_ms": dist([c["ms"] for c in r["created"]], 1),
        "created_login_tries_max": max(c["tries"] for c in r["created"]),
        "submit_to_imap_ms": dist(r["deliver_ms"], 1),
        "submit_runs": len(r["deliver_ms"]),
        "throughput_msgs_per_s": round(r["accepted"] / r["throughput_s"], 1),
        "throughput_senders": MAIL_SENDERS,
        "pss_idle_mb": mb(idle_kb),
        "processes_idle": idle_procs,
        "pss_after_load_mb": mb(loaded_kb),
        "processes_after_load": loaded_procs,
    }}


def section_loop_latency(ctx):
    """GET /api/config latency while slow requests run beside it."""

    ctx.ensure_running()
    ctx.picd.wait_service("proxy")
    ctx.picd.wait_service("dns")
    token = ensure_token(ctx)
    status, doc = ctx.picd.local("POST", "/api/auth/password", {"new_password": LOOP_PASSWORD})
    if status != 204:
        raise BenchError(f"setting the admin password: HTTP {status}: {doc}")
    port = ctx.picd.port
    auth = {"Authorization": f"Bearer {token}"}

    def one(method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        hdrs = dict(auth)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            resp.read()
            return resp.status
        finally:
            conn.close()

    def login(_i, _n):
        return one("POST", "/api/auth/login", {"username": "admin", "password": LOOP_PASSWORD}) == 200

    def route(_i, n):
        return one("PUT", "/api/proxy/routes/calendar", {"enabled": n % 2 == 1}) == 200

    def dns(i, n):
        body = {"name": f"lat{i}-{n}-{uuid.uuid4().hex[:6]}", "type": "A", "value": f"192.0.2.{n % 250 + 1}"}
        return one("POST", "/api/dns/records", body) == 201

    def phase(workers):
        end = time.monotonic() + 0.2 + LOOP_PHASE_S  # the load runs before and while it is sampled

        def work(k, fn):
            done = failed = 0
            while time.monotonic() < end:
                failed += 0 if fn(k, done) else 1
                done += 1
            return [done, failed]

        clients = Clients([lambda k=k, fn=fn: work(k, fn) for k, fn in enumerate(workers)])
        time.sleep(0.2)  # the load is running
        samples = []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        next_at = time.monotonic()
        while time.monotonic() < end:
            t0 = time.monotonic()
            conn.request("GET", "/api/config", headers=auth)
            resp = conn.getresponse()
            resp.read()
            t1 = time.monotonic()
            if resp.status != 200:
                raise BenchError(f"GET /api/config under load: HTTP {resp.status}")
            samples.append((t1 - t0) * 1000)
            next_at += LOOP_GET_INTERVAL_S
            time.sleep(max(0.0, next_at - time.monotonic()))
        conn.close()
        counts = clients.results()
        ctx.picd.check_alive()
        out = dist(samples)
        out["samples"] = len(samples)
        out["load_ops"] = [c[0] for c in counts]
        out["load_failed"] = [c[1] for c in counts]
        return out

    result = {
        "idle": phase([]),
        "logins": phase([login, login]),
        "route_changes": phase([route]),
        "dns_writers": phase([dns, dns]),
        "all": phase([login, login, route, dns, dns]),
    }
    # Leave the route on, as the other sections expect.
    one("PUT", "/api/proxy/routes/calendar", {"enabled": True})
    return {"loop_latency": result}


# ------------------------------------------------------------- web UI

WEBUI_RUNS = int(os.environ.get("PIC_BENCH_WEBUI_RUNS", "10"))
WEBUI_PEERS = int(os.environ.get("PIC_BENCH_WEBUI_PEERS", "10000"))
WEBUI_PASSWORD = "bench-webui-password"
WEBUI_SETTLE_MS = 1000    # after the page is usable, requests still counted as its load
PEERS_TABLE = '[role="table"][aria-label="VPN peers"]'
# The page's API requests as the browser timed them (Resource Timing, ms
# from the navigation's start; the event stream never ends: end 0).
API_TIMINGS_JS = """performance.getEntriesByType("resource")
  .filter((e) => new URL(e.name).pathname.startsWith("/api/"))
  .map((e) => ({ path: new URL(e.name).pathname, start_ms: Math.round(e.startTime),
                 end_ms: Math.round(e.responseEnd), body_kb: Math.round(e.encodedBodySize / 102.4) / 10 }))"""


def ui_assets(requests):
    """The .js and .css files among `requests` ("GET /assets/x.js", …), each
    with its sizes on disk: as built, and its .gz and .br siblings (what
    picd sends for Accept-Encoding gzip / br)."""
    out = {"js": [], "css": []}
    for r in dict.fromkeys(requests):  # a file loaded twice counts once
        method, path = r.split(" ", 1)
        kind = path.rsplit(".", 1)[-1]
        if method != "GET" or not path.startswith("/assets/") or kind not in out:
            continue
        f = os.path.join(UI_DIR, path.lstrip("/"))
        try:
            sizes = {"raw": os.path.getsize(f), "gzip": os.path.getsize(f + ".gz"),
                     "br": os.path.getsize(f + ".br")}
        except OSError as e:
            raise BenchError(f"the browser loaded {path}, not in {UI_DIR} with .gz and .br: {e}") from None
        out[kind].append({"path": path, **sizes})
    return out


def kib_of(files, key):
    return round(sum(f[key] for f in files) / 1024, 1)


def api_only(requests):
    return [r for r in requests if r.split(" ", 1)[1].startswith("/api/")]


def ui_dist(samples):
    """Median, nearest-rank p90, min, max and the runs of ms figures."""
    return {"p50_ms": round(statistics.median(samples), 1), "p90_ms": round(percentile(samples, 90), 1),
            "min_ms": round(min(samples), 1), "max_ms": round(max(samples), 1),
            "runs": [round(s, 1) for s in samples]}


class UiDriver:
    """tests/e2e/driver.mjs (Chromium through playwright-core) through
    tests/integration/browser.py; its failures are the bench's."""

    def __init__(self, url, out_dir):
        sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
        import browser
        self.error = browser.BrowserError
        try:
            self.b = browser.Browser(url, out_dir)
        except (self.error, OSError) as e:
            raise BenchError(f"the browser driver did not start: {e}") from None

    def do(self, cmd, **args):
        try:
            return self.b.do(cmd, **args)
        except self.error as e:
            raise BenchError(f"web UI: {e}") from None

    def measure(self, path, steps, **opts):
        """ms from the navigation to the end of the last step, the ms at
        the end of each (`marks`), the requests until then and, with
        settleMs, until that much later (`settled`)."""
        return self.do("measure", path=path, steps=steps, **opts)

    def api_timings(self):
        return self.do("evaluate", js=API_TIMINGS_JS)["value"]

    def close(self):
        self.b.close()


def loads(ui, path, steps, runs=WEBUI_RUNS, **opts):
    """`runs` measures of `path`, each with the API timings of its page
    (taken once it settled: the answers that came after it was usable
    are in them too)."""
    out = []
    for _ in range(runs):
        m = ui.measure(path, steps, settleMs=WEBUI_SETTLE_MS, **opts)
        m["api_timings"] = ui.api_timings()
        out.append(m)
    return out


def fastest_slowest(runs):
    """The API timings of the fastest and the slowest of `runs`."""
    by_ms = sorted(runs, key=lambda m: m["ms"])
    return {"fastest": {"ms": by_ms[0]["ms"], "api": by_ms[0]["api_timings"]},
            "slowest": {"ms": by_ms[-1]["ms"], "api": by_ms[-1]["api_timings"]}}


def dashboard_loads(ui, ready, runs=WEBUI_RUNS):
    """`runs` pairs of loads of / (logged in), one with the HTTP cache (the
    hashed assets are immutable, so it serves them) and one without,
    interleaved so that both see the same machine."""
    cached, uncached = [], []
    for _ in range(runs):
        cached += loads(ui, "/", ready, 1, noCache=False)
        uncached.append(ui.measure("/", ready, noCache=True))
    ui.measure("/", ready, noCache=False)
    apis = [api_only(m["settled"]) for m in cached]
    alone = ui_assets(uncached[0]["requests"])  # what a logged-in first page fetches
    return {"tti_ms": ui_dist([m["ms"] for m in cached]), "tti_no_cache_ms": ui_dist([m["ms"] for m in uncached]),
            "js_gzip_kb": kib_of(alone["js"], "gzip"), "js_files": [f["path"] for f in alone["js"]],
            "api_requests": len(apis[0]), "api_requests_max": max(len(a) for a in apis),
            "api_request_list": apis[0], "api_timings": fastest_slowest(cached)}


def vpn_peer_list(ctx):
    status, doc = ctx.picd.local("GET", "/api/peers", timeout=60)
    if status != 200:
        raise BenchError(f"GET /api/peers: HTTP {status}: {str(doc)[:300]}")
    return doc["peers"]


def add_ui_peers(ctx, first, n):
    """Peers ui<first>…ui<n-1>, each with a key of its own (32 random
    bytes: the cell makes no key pair) and no preshared key, over one
    keep-alive connection, in a subnet that holds them; returns seconds."""
    if ctx.config()["vpn_subnet"] != VPN_SUBNET:
        make_room_for_peers(ctx)
    conn = KeepAlive(ctx)
    t0 = time.monotonic()
    try:
        for i in range(first, n):
            body = {"name": f"ui{i}", "public_key": base64.b64encode(os.urandom(32)).decode(), "preshared_key": False}
            status, raw, _ = conn.call("POST", "/api/peers", body)
            if status != 201:
                raise BenchError(f"POST /api/peers ui{i}: HTTP {status}: {raw[:300]!r}")
    finally:
        conn.close()
    return time.monotonic() - t0


def remove_ui_peers(ctx, names):
    conn = KeepAlive(ctx)
    t0 = time.monotonic()
    try:
        for name in names:
            status, raw, _ = conn.call("DELETE", f"/api/peers/{name}")
            if status != 204:
                raise BenchError(f"DELETE /api/peers/{name}: HTTP {status}: {raw[:300]!r}")
    finally:
        conn.close()
    return time.monotonic() - t0


def section_webui(ctx):
    """The web UI in Chromium: JS shipped, dashboard and VPN page times."""
    if not os.path.exists(os.path.join(UI_DIR, "index.html")):
        raise BenchError(f"the web UI is not built in {UI_DIR}: make ui")
    ctx.ensure_running()
    ctx.picd.wait_service("vpn")
    status, doc = ctx.picd.local("POST", "/api/auth/password", {"new_password": WEBUI_PASSWORD})
    if status != 204:
        raise BenchError(f"setting the admin password: HTTP {status}: {doc}")
    conf = ctx.config()
    zone = f"{conf['cell_name']}.{conf['domain']}"
    # Usable: the Identity card shows the zone (GET /api/config answered)
    # and the VPN card its "N online of M" line (GET /api/wireguard/peers).
    ready = [{"css": 'section[aria-label="Identity"]', "text": zone},
             {"css": '[data-testid="vpn-online"]'}]
    login = [{"css": 'button[type="submit"]', "text": "Log in"},
             {"label": "User name", "value": "admin"},
             {"label": "Password", "value": WEBUI_PASSWORD},
             {"role": "button", "name": "Log in", "click": True}] + ready
    found = len(vpn_peer_list(ctx))
    ui = UiDriver(f"http://127.0.0.1:{ctx.picd.port}", os.path.join(ctx.workdir, "screens"))
    try:
        # 1. A browser with nothing cached: /login, log in, the dashboard.
        first = ui.measure("/login", login, settleMs=WEBUI_SETTLE_MS)
        first_timings = ui.api_timings()  # the login page's too: the dashboard is a client-side move
        shipped = ui_assets(first["settled"])
        # 2, 3. The dashboard of the cell as found (no peers in `make bench`).
        small = dict(dashboard_loads(ui, ready), peers=found)
        # 4. The VPN page with WEBUI_PEERS peers: rows shown, then a filter
        # typed that must leave exactly the peers the UI's rule keeps.
        create_s = add_ui_peers(ctx, found, WEBUI_PEERS)
        made = [f"ui{i}" for i in range(found, WEBUI_PEERS)]
        listed = vpn_peer_list(ctx)
        q = listed[len(listed) // 2]["name"].lower()
        expect = sum(1 for p in listed if q in (p.get("name") or "").lower() or q in (p.get("address") or ""))
        steps = [{"css": f'{PEERS_TABLE} [role="row"][aria-rowindex]'},
                 {"label": "Filter peers", "value": q},
                 {"css": f'{PEERS_TABLE}[aria-rowcount="{expect}"]'}]
        vpn_runs = loads(ui, "/vpn", steps)
        big = dict(dashboard_loads(ui, ready), peers=len(listed))
        ctx.picd.check_alive()
        console = ui.do("log")["console"]
    finally:
        ui.close()
    # Leave the cell as found: the vpn section counts its own peers, and
    # wireguard-go and picd keep the memory of 10,000 (a fresh start).
    remove_s = remove_ui_peers(ctx, made)
    ctx.fresh_start()
    return {"webui": {
        "login_to_dashboard": {
            "ms": first["ms"],
            "login_page_ms": first["marks"][0],
            "after_click_ms": round(first["ms"] - first["marks"][3], 1),
            "js_gzip_kb": kib_of(shipped["js"], "gzip"),
            "js_br_kb": kib_of(shipped["js"], "br"),
            "js_raw_kb": kib_of(shipped["js"], "raw"),
            "css_gzip_kb": kib_of(shipped["css"], "gzip"),
            "js_files": shipped["js"],
            "css_files": shipped["css"],
            "requests": first["settled"],
            "api_timings": first_timings,
        },
        "dashboard": small,
        "dashboard_at_peers": big,
        "vpn_page": {
            "peers": len(listed),
            "create_peers_s": round(create_s, 1),
            "remove_peers_s": round(remove_s, 1),
            "filter": q,
            "filter_rows": expect,
            "interactive_ms": ui_dist([m["ms"] for m in vpn_runs]),
            "rows_shown_ms": ui_dist([m["marks"][0] for m in vpn_runs]),
            "filter_to_narrowed_ms": ui_dist([m["marks"][2] - m["marks"][0] for m in vpn_runs]),
            "api_request_list": api_only(vpn_runs[0]["settled"]),
            "api_timings": fastest_slowest(vpn_runs),
        },
        "console_messages": console,
    }}


SECTIONS = [
    section_cold_start,
    section_rss_idle,
    section_get_config,
    section_rss_after_load,
    section_ntp_apply,
    section_restart_after_kill9,
    section_sandboxed_restart,
    section_dns_propagation,
    section_dns_scale,
    section_dns_throughput,
    section_proxy,
    section_loop_latency,
    section_accounts,
    section_mail,
    section_webui,  # before vpn, which counts the peers it makes
    section_vpn,
    section_dns_scale_big,  # last: leaves 100,000 records in the store
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
    if isinstance(v, list):
        return " / ".join(f"{x:g}" for x in v) + f" {unit}"
    if isinstance(v, dict):
        if "p90_ms" in v:
            return f"{v['p50_ms']:g} / {v['p90_ms']:g} {unit}"
        if "max_ms" in v:
            return f"{v['p50_ms']:g} / {v['p99_ms']:g} / {v['max_ms']:g} {unit}"
        if "min" in v:
            return f"{v['min']:g} / {v['max']:g} {unit}"
        return f"{v['p50_ms']:g} / {v['p99_ms']:g} {unit}"
    if unit in ("req/s", "q/s"):
        return f"{v:,.0f} {unit}"
    return f"{v:g} {unit}".rstrip()


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
          f"load {m['loadavg_at_start']} at start, {m['loadavg_at_end']} at end)")
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def write_results(results):
    """With PIC_BENCH_SECTIONS, the figures of the sections not run are
    kept from the previous results.json, and the targets are evaluated on
    the whole (the date says which run measured what: `sections_run`)."""
    if ONLY_SECTIONS and os.path.exists(RESULTS_PATH):
        with open(RESULTS_PATH) as f:
            previous = json.load(f)
        merged = dict(previous.get("picd", {}))
        merged.update(results["picd"])
        results["picd"] = merged
        results["targets"] = evaluate_targets(merged)
        results["sections_run"] = ONLY_SECTIONS
        results["previous_date"] = previous.get("date")
    with open(RESULTS_PATH, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print(f"\nwrote {RESULTS_PATH}")


# ---------------------------------------------------------------- main

def find_binary():
    if os.geteuid() != 0:
        raise BenchError("needs root (network namespaces): run `make bench` as root")
    build = os.environ.get("PIC_BUILD") or os.path.join(os.path.dirname(HERE), "build")
    binary = os.path.join(build, "picd")
    if not os.access(binary, os.X_OK):
        raise BenchError(f"{binary} not found or not executable (set PIC_BUILD)")
    for tool in ("wrk", "dnsperf", "ip", "nsenter"):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} not found")
    return binary


def run():
    binary = find_binary()
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "picd": {},
    }
    workdir = tempfile.mkdtemp(prefix="pic-bench-")
    ctx = None
    try:
        ctx = Context(binary, workdir)
        ctx.initialise_state()
        for section in SECTIONS:
            if ONLY_SECTIONS and section.__name__[len("section_"):] not in ONLY_SECTIONS:
                continue
            print(f"bench: {section.__doc__.splitlines()[0]}", flush=True)
            results["picd"].update(section(ctx))
    finally:
        if ctx is not None:
            ctx.close()
        if not os.environ.get("PIC_BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
    results["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
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
