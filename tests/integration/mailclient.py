"""A mail client for the tests, run by /usr/bin/python3 inside a client
namespace (`ip netns exec`): one command, its findings as JSON on stdout.

  imap HOST PORT(143|993) NAME PASSWORD CAFILE SERVERNAME
      logs in (STARTTLS on 143, TLS on 993, the certificate checked
      against CAFILE for SERVERNAME) and lists INBOX: subjects and bodies.
  dkim HOST NAME PASSWORD CAFILE SERVERNAME SUBJECT DNS_SERVER
      fetches the message with SUBJECT over IMAP (993) and verifies its
      DKIM signature (python3-dkim), the key looked up at DNS_SERVER.
  dkim-file FILE DNS_SERVER
      verifies the DKIM signature of the message in FILE the same way.
  sieve HOST NAME PASSWORD CAFILE SERVERNAME SCRIPT
      ManageSieve on 4190: STARTTLS, AUTHENTICATE PLAIN, PUTSCRIPT and
      SETACTIVE of SCRIPT's text as "pic-test".
"""

import base64
import email
import imaplib
import json
import socket
import ssl
import sys
import time


def tls_context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class NamedIMAP4_SSL(imaplib.IMAP4_SSL):
    """IMAP over TLS to an address, the certificate checked for a name."""

    def __init__(self, host, servername, ssl_context):
        self.servername = servername
        super().__init__(host, 993, ssl_context=ssl_context, timeout=10)

    def _create_socket(self, timeout):
        sock = socket.create_connection((self.host, self.port), timeout)
        return self.ssl_context.wrap_socket(sock, server_hostname=self.servername)


def imap(host, port, name, password, cafile, servername):
    ctx = tls_context(cafile)
    started = time.monotonic()
    try:
        if int(port) == 993:
            conn = NamedIMAP4_SSL(host, servername, ctx)
        else:
            conn = imaplib.IMAP4(host, 143, timeout=10)
            conn.host = servername  # what starttls checks the certificate for
            conn.starttls(ssl_context=ctx)
        conn.login(name, password)
    except (imaplib.IMAP4.error, OSError) as e:
        return {"ok": False, "error": str(e)}
    login_ms = (time.monotonic() - started) * 1000
    conn.select("INBOX")
    _, ids = conn.search(None, "ALL")
    messages = []
    for i in ids[0].split():
        _, data = conn.fetch(i, "(RFC822)")
        msg = email.message_from_bytes(data[0][1])
        body = msg.get_payload(decode=True) or b""
        messages.append({"subject": msg.get("Subject", ""), "from": msg.get("From", ""),
                         "to": msg.get("To", ""), "body": body.decode(errors="replace"),
                         "dkim": msg.get("DKIM-Signature") is not None})
    _, quota = conn.getquotaroot("INBOX")
    conn.logout()
    return {"ok": True, "messages": messages, "login_ms": login_ms,
            "quota": [q.decode() if isinstance(q, bytes) else str(q) for q in quota[1:]]}


def sieve_line(f):
    return f.readline().decode().rstrip("\r\n")


def sieve_read(f):
    """Lines up to a final OK/NO/BYE."""
    lines = []
    while True:
        line = sieve_line(f)
        lines.append(line)
        if line.split(" ")[0] in ("OK", "NO", "BYE") or not line:
            return lines


def sieve(host, name, password, cafile, servername, script):
    s = socket.create_connection((host, 4190), timeout=10)
    f = s.makefile("rb")
    greeting = sieve_read(f)
    s.sendall(b"STARTTLS\r\n")
    ok = sieve_read(f)
    if not ok[-1].startswith("OK"):
        return {"ok": False, "error": ok}
    t = tls_context(cafile).wrap_socket(s, server_hostname=servername)
    f = t.makefile("rb")
    sieve_read(f)  # capabilities again
    auth = base64.b64encode(f"\0{name}\0{password}".encode()).decode()
    t.sendall(f'AUTHENTICATE "PLAIN" "{auth}"\r\n'.encode())
    res = sieve_read(f)
    if not res[-1].startswith("OK"):
        return {"ok": False, "error": res}
    data = script.encode()
    t.sendall(b'PUTSCRIPT "pic-test" {%d+}\r\n' % len(data) + data + b"\r\n")
    put = sieve_read(f)
    t.sendall(b'SETACTIVE "pic-test"\r\n')
    active = sieve_read(f)
    t.sendall(b"LOGOUT\r\n")
    return {"ok": put[-1].startswith("OK") and active[-1].startswith("OK"), "put": put, "active": active,
            "greeting": greeting}


def dkim_verify(raw, dns_server):
    import dkim
    import dns.resolver
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [dns_server]

    def txt(qname, timeout=5):
        name = qname.decode() if isinstance(qname, bytes) else qname
        answer = resolver.resolve(name, "TXT", lifetime=timeout)
        return b"".join(b"".join(r.strings) for r in answer[:1])
    sig = email.message_from_bytes(raw).get("DKIM-Signature", "")
    try:
        valid = bool(sig) and dkim.verify(raw, dnsfunc=txt)
        error = None
    except Exception as e:  # the key not found (a domain the cell's DNS does not serve)
        valid, error = False, repr(e)
    return {"found": True, "signed": bool(sig), "valid": valid, "error": error, "signature": sig}


def dkim_file(path, dns_server):
    with open(path, "rb") as f:
        return dkim_verify(f.read(), dns_server)


def dkim_check(host, name, password, cafile, servername, subject, dns_server):
    conn = NamedIMAP4_SSL(host, servername, tls_context(cafile))
    conn.login(name, password)
    conn.select("INBOX")
    _, ids = conn.search(None, "SUBJECT", f'"{subject}"')
    if not ids[0]:
        return {"found": False}
    _, data = conn.fetch(ids[0].split()[-1], "(RFC822)")
    raw = data[0][1]
    conn.logout()
    return dkim_verify(raw, dns_server)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    out = {"imap": imap, "sieve": sieve, "dkim": dkim_check, "dkim-file": dkim_file}[cmd](*args)
    print(json.dumps(out))
