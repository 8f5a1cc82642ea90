"""The `pic` commands for the managed services, against a real picd and its
real chronyd: services, restart/stop/start, logs (with -f following the
event stream), shell (inside the service's namespaces) and stop (the whole
cell). What pic reports is checked against /api/services over the control
socket. One test feeds `pic logs -f` a hand-made event stream, to cover
what picd never sends: lines cut across writes, CRLF, overlong lines."""

import json
import os
import queue
import signal
import socket
import subprocess
import threading
import time

import pytest

from conftest import pic_bin

NAME = "ntp"
LINE_MAX = 64 * 1024


def ok(p):
    assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
    return p


def service(picd, name=NAME):
    status, _, body = picd.local("GET", "/api/services")
    assert status == 200, body
    return next(s for s in body["services"] if s["name"] == name)


def wait_running(picd, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = service(picd)
        if s["state"] == "running" and s["pid"]:
            return s
        time.sleep(0.1)
    raise AssertionError(f"{NAME} is not running: {service(picd)}")


def popen_pic(socket_path, *args):
    return subprocess.Popen([pic_bin(), "--socket", socket_path, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def reader(stream):
    """The lines of `stream`, read by a thread into a queue; None at its end."""
    q = queue.Queue()

    def run():
        for line in stream:
            q.put(line.rstrip("\n"))
        q.put(None)

    threading.Thread(target=run, daemon=True).start()
    return q


def wait_for(q, pred, timeout, seen):
    """Takes lines from `q` into `seen` until one satisfies `pred`."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no matching line in time; got {seen}")
        try:
            line = q.get(timeout=left)
        except queue.Empty:
            continue
        if line is None:
            raise AssertionError(f"the stream ended; got {seen}")
        seen.append(line)
        if pred(line):
            return line


# --- services -------------------------------------------------------------

def test_services_lists_ntp(picd):
    svc = wait_running(picd)
    out = ok(picd.pic("services")).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "STATE", "PID", "UPTIME", "RESTARTS", "ADDRESS", "HEALTH"]
    row = next(line.split() for line in lines[1:] if line.split()[0] == NAME)
    assert row[1] == "running"
    assert row[2] == str(svc["pid"])
    assert svc["address"] and svc["address"] in row

    doc = json.loads(ok(picd.pic("--json", "services")).stdout)
    names = {s["name"]: s for s in doc["services"]}
    assert names[NAME]["state"] == "running"
    assert names[NAME]["address"] == svc["address"]


def test_status_shows_services(picd):
    wait_running(picd)
    assert f"service {NAME}: running" in ok(picd.pic("status")).stdout.splitlines()


# --- restart, stop, start ---------------------------------------------------

def test_restart_gives_new_pid(picd):
    before = wait_running(picd)["pid"]
    p = ok(picd.pic("restart", NAME))
    after = service(picd)
    assert after["state"] == "running"
    assert after["pid"] and after["pid"] != before
    assert p.stdout == f"{NAME}: running (pid {after['pid']})\n"


def test_stop_then_start(picd):
    wait_running(picd)
    p = ok(picd.pic("stop", NAME))
    assert p.stdout == f"{NAME}: stopped\n"
    s = service(picd)
    assert s["state"] == "stopped" and s["pid"] is None
    row = next(line.split() for line in ok(picd.pic("services")).stdout.splitlines()
               if line.split()[0] == NAME)
    assert row[1:3] == ["stopped", "-"]

    # A stopped service has no namespaces to enter.
    p = picd.pic("shell", NAME, "--", "true")
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert NAME in p.stderr and "stopped" in p.stderr

    doc = json.loads(ok(picd.pic("--json", "start", NAME)).stdout)
    assert doc["name"] == NAME and doc["state"] == "running" and doc["pid"]
    assert service(picd)["pid"] == doc["pid"]


def test_unknown_service_exit_2(picd):
    for args in (["restart", "nosuch"], ["stop", "nosuch"], ["start", "nosuch"],
                 ["logs", "nosuch"], ["logs", "nosuch", "-f"], ["shell", "nosuch"]):
        p = picd.pic(*args)
        assert p.returncode == 2, (args, p.returncode, p.stdout, p.stderr)
        assert "nosuch" in p.stderr, args
    p = picd.pic("--json", "restart", "nosuch")
    assert p.returncode == 2
    assert json.loads(p.stdout)["error"]["field"] == "name"


def test_bad_service_name_is_usage_error(picd):
    for args in (["restart", "a/b"], ["logs", "../x"], ["shell", "a?b"], ["start", ""]):
        p = picd.pic(*args)
        assert p.returncode == 1, (args, p.returncode, p.stdout, p.stderr)


# --- logs -------------------------------------------------------------------

def test_logs_tail(picd):
    wait_running(picd)
    p = ok(picd.pic("logs", NAME, "-n", "5"))
    lines = p.stdout.splitlines()
    assert 0 < len(lines) <= 5
    assert any("chronyd version" in line for line in lines), lines

    doc = json.loads(ok(picd.pic("--json", "logs", NAME, "-n", "2")).stdout)
    assert doc["service"] == NAME
    assert doc["lines"] == service_lines(picd, 2)
    assert ok(picd.pic("logs", NAME, "-n0")).stdout == ""


def service_lines(picd, n):
    status, _, body = picd.local("GET", f"/api/services/{NAME}/logs?tail={n}")
    assert status == 200, body
    return body["lines"]


def test_logs_bad_count_is_usage_error(picd):
    for args in (["-n", "abc"], ["-n", "-1"], ["-n", "10001"], ["-n"], ["-x"]):
        p = picd.pic("logs", NAME, *args)
        assert p.returncode == 1, (args, p.returncode, p.stdout, p.stderr)
        assert p.stderr.startswith("pic: "), args
    assert "abc" in picd.pic("logs", NAME, "-n", "abc").stderr


def test_logs_follow_sees_restart(picd):
    wait_running(picd)
    f = popen_pic(picd.socket, "logs", NAME, "-f")
    try:
        q, seen = reader(f.stdout), []
        wait_for(q, lambda line: "chronyd version" in line, 10, seen)
        started = len([line for line in seen if "chronyd version" in line])
        ok(picd.pic("restart", NAME))
        wait_for(q, lambda line: "chronyd exiting" in line, 10, seen)
        wait_for(q, lambda line: "chronyd version" in line, 10, seen)
        assert len([line for line in seen if "chronyd version" in line]) == started + 1
        assert not any(line.startswith(("data:", ":", "retry")) for line in seen), seen
    finally:
        f.send_signal(signal.SIGINT)
        rc = f.wait(timeout=10)
    assert rc == 0, f.stderr.read()


def test_logs_follow_json_ends_with_picd(picd):
    wait_running(picd)
    f = popen_pic(picd.socket, "--json", "logs", NAME, "-f", "-n", "1")
    q, seen = reader(f.stdout), []
    first = wait_for(q, lambda line: True, 10, seen)
    assert json.loads(first) == service_lines(picd, 1)[0]
    # picd going away ends the stream: that is the end, not a failure.
    picd.stop()
    assert f.wait(timeout=10) == 0, f.stderr.read()


def test_logs_follow_unreachable_exit_3(tmp_path):
    p = subprocess.run([pic_bin(), "--socket", str(tmp_path / "none.sock"), "logs", NAME, "-f"],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 3, (p.stdout, p.stderr)


@pytest.fixture
def fake_stream(tmp_path):
    """A unix socket answering one request with a hand-made event stream,
    written in the pieces given, then closed."""
    path = str(tmp_path / "fake.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    requests = []

    def serve(pieces):
        conn, _ = srv.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(4096)
            requests.append(data.decode())
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                         b"Connection: close\r\n\r\n")
            for piece in pieces:
                conn.sendall(piece)
                time.sleep(0.02)

    def start(pieces):
        t = threading.Thread(target=serve, args=(pieces,), daemon=True)
        t.start()
        return t

    yield path, start, requests
    srv.close()


def test_logs_follow_splits_lines(fake_stream):
    path, start, requests = fake_stream
    long_payload = "x" * (LINE_MAX + 1000)
    t = start([b"retry: 2000\n\n", b"da", b"ta: hello wor", b"ld\n", b"\n: ping\n\n",
               b"data: crlf\r\n\r\n", b"data:nospace\n\ndata: \n\n",
               ("data: " + long_payload + "\n\n").encode(), b"data: after\n\n", b"data: unterminated"])
    p = subprocess.run([pic_bin(), "--socket", path, "logs", NAME, "-n", "7", "-f"],
                       capture_output=True, text=True, timeout=30)
    t.join(timeout=5)
    assert p.returncode == 0, p.stderr
    assert requests[0].startswith(f"GET /api/services/{NAME}/logs?tail=7&follow=1 HTTP/1.1\r\n")
    lines = p.stdout.split("\n")
    assert lines[:4] == ["hello world", "crlf", "nospace", ""]
    # The line is cut at 64 KiB, "data: " included; the rest is dropped.
    assert lines[4] == "x" * (LINE_MAX - len("data: "))
    assert lines[5:] == ["after", "unterminated", ""]


# --- shell ------------------------------------------------------------------

def test_shell_runs_in_service_namespaces(picd):
    svc = wait_running(picd)
    out = ok(picd.pic("shell", NAME, "--", "ip", "-4", "-o", "addr", "show")).stdout
    assert any(line.split()[1] == "eth0" and f" {svc['address']}/" in line
               for line in out.splitlines()), out
    # Not the namespace picd itself runs in: that one has the bridge.
    assert "pic0" not in out

    mounts = ok(picd.pic("shell", NAME, "--", "cat", "/proc/self/mountinfo")).stdout
    assert any(line.split()[4] == "/run" and line.split(" - ")[1].startswith("tmpfs ")
               for line in mounts.splitlines()), mounts
    with open("/proc/self/mountinfo") as f:
        assert mounts != f.read()

    # The very namespaces of the service's process, not lookalikes.
    out = ok(picd.pic("shell", NAME, "--", "readlink", "/proc/self/ns/net", "/proc/self/ns/mnt"))
    theirs = [os.readlink(f"/proc/{svc['pid']}/ns/{ns}") for ns in ("net", "mnt")]
    assert out.stdout.split() == theirs
    assert theirs[1] != os.readlink("/proc/self/ns/mnt")


def test_shell_without_command_reads_stdin(picd):
    svc = wait_running(picd)
    p = ok(picd.pic("shell", NAME, input="pwd\nip -4 -o addr show dev eth0\n"))
    assert p.stdout.splitlines()[0] == "/"
    assert f" {svc['address']}/" in p.stdout
    # The note goes to stderr, and only when no command was given.
    assert f"entering {NAME} (chronyd, pid {svc['pid']}); exit to leave" in p.stderr
    assert "entering" not in ok(picd.pic("shell", NAME, "--", "true")).stderr
    # pic became the shell: its exit status is the shell's.
    assert picd.pic("shell", NAME, input="exit 7\n").returncode == 7
    assert picd.pic("shell", NAME, "--", "sh", "-c", "exit 9").returncode == 9


# --- stop (the cell) --------------------------------------------------------

def test_stop_cell(picd):
    wait_running(picd)
    p = ok(picd.pic("stop"))
    assert f"{NAME}: stopped" in p.stdout.splitlines()
    assert "picd: stopping" in p.stdout
    # pic returns once the socket is dead: nothing accepts a connection.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with pytest.raises(OSError):
        s.connect(picd.socket)
    s.close()
    assert picd.proc.wait(timeout=15) == 0
    p = picd.pic("status")
    assert p.returncode == 3, (p.stdout, p.stderr)
