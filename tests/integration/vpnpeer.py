"""A VPN peer device for the tests: a namespace on a stand-in internet
link to picd's namespace, running wireguard-go, configured from a config
the cell gave (text or a decoded QR code)."""

import re
import subprocess
import uuid

from conftest import Netns, sh

LINK_HOST, LINK_PEER_BASE = "10.98.0.1", "10.98.0."


class VpnPeer(Netns):
    """A device on the internet side: a namespace joined to picd's by a
    veth (10.98.0.1 there), running wireguard-go on an interface of a
    unique name (wireguard-go's UAPI socket path is global)."""

    count = 0

    def __init__(self, picd):
        super().__init__("pvp")
        VpnPeer.count += 1
        picd.extras.append(self)
        self.ifname = "wgp" + uuid.uuid4().hex[:8]
        self.addr = f"{LINK_PEER_BASE}{1 + VpnPeer.count}"
        host_if = "vl" + self.name[3:11]
        exists = subprocess.run(["ip", "-n", picd.netns.name, "link", "show", "dev", "vpnlink"],
                                capture_output=True).returncode == 0
        if not exists:
            sh("ip", "-n", picd.netns.name, "link", "add", "vpnlink", "type", "bridge")
            sh("ip", "-n", picd.netns.name, "addr", "add", f"{LINK_HOST}/24", "dev", "vpnlink")
            sh("ip", "-n", picd.netns.name, "link", "set", "vpnlink", "up")
        sh("ip", "-n", picd.netns.name, "link", "add", host_if, "type", "veth", "peer", "name", "eth0", "netns",
           self.name)
        sh("ip", "-n", picd.netns.name, "link", "set", host_if, "master", "vpnlink", "up")
        sh("ip", "-n", self.name, "addr", "add", f"{self.addr}/24", "dev", "eth0")
        sh("ip", "-n", self.name, "link", "set", "eth0", "up")
        self.run("wireguard-go", self.ifname)

    def configure(self, conf):
        """wg-quick's work by hand: the [Interface] Address and DNS are not
        `wg setconf` keys."""
        address = re.search(r"^Address = (\S+)$", conf, re.M).group(1)
        allowed = re.search(r"^AllowedIPs = (.+)$", conf, re.M).group(1).split(", ")
        plain = "\n".join(l for l in conf.splitlines() if not l.startswith(("Address", "DNS", "#")))
        self.run("wg", "setconf", self.ifname, "/dev/stdin", input=plain)
        self.run("ip", "addr", "flush", "dev", self.ifname)
        self.run("ip", "addr", "add", address, "dev", self.ifname)
        self.run("ip", "link", "set", self.ifname, "up")
        for net in allowed:
            self.run("ip", "route", "replace", net, "dev", self.ifname)

    def run(self, *argv, check=True, timeout=30, input=None):
        return subprocess.run(["ip", "netns", "exec", self.name, *argv], capture_output=True, text=True,
                              timeout=timeout, check=check, input=input)

    def delete(self):
        subprocess.run(["pkill", "-f", f"wireguard-go {self.ifname}"], capture_output=True)
        super().delete()


# Run in a peer's namespace: one HTTPS request on a kept-alive connection,
# "open" printed, then on a line from stdin a second request on the same
# connection: "open" if it is answered within 3 s, "cut" if not.
HOLD_CONNECTION = r"""
import socket, ssl, sys
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection((sys.argv[1], 443), timeout=5))
req = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
s.sendall(req); s.recv(4096); print("open", flush=True)
sys.stdin.readline()
s.settimeout(3)
try:
    s.sendall(req); data = s.recv(4096); print("open" if data else "cut")
except (socket.timeout, OSError):
    print("cut")
"""
