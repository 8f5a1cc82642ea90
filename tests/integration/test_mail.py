"""Mail: postfix and dovecot in the cell's mail namespace, driven by the
cell's accounts. Real clients on hosts of the cell bridge: swaks for SMTP
(inbound on 25, submission on 587 with STARTTLS and 465 with TLS, AUTH
PLAIN), python's smtplib where a client must announce a size, imaplib
for IMAP (STARTTLS on 143, TLS on 993, the certificate checked against the
cell's CA), a ManageSieve client for filters. Accounts change live: no
daemon restarts (their pids are compared)."""

import json
import os
import re
import subprocess
import uuid

import requests

from conftest import wait_for

GOOD = "saffron-kettle-42"
HERE = os.path.dirname(os.path.abspath(__file__))


class Mail:
    def __init__(self, picd, tmp_path):
        self.picd = picd
        conf = picd.local("GET", "/api/config")[2]
        self.zone = f"{conf['cell_name']}.{conf['domain']}"
        self.addr = conf["addresses"]["mail"]
        self.ca = tmp_path / "ca.crt"
        self.ca.write_bytes(requests.get(picd.url + "/api/vault/ca.crt").content)
        self.offset = 200
        self.client = self.new_client()
        assert wait_for(self.running, 30), picd.local("GET", "/api/services")[2]

    def new_client(self):
        """Another host: dovecot delays a client address's logins after a
        failed one, so refusals come from hosts of their own."""
        self.offset += 1
        return self.picd.client(offset=self.offset)

    def services(self):
        return {s["name"]: s for s in self.picd.local("GET", "/api/services")[2]["services"]}

    def running(self):
        s = self.services()
        return all(s[n]["state"] == "running" and s[n]["healthy"] for n in ("imap", "smtp"))

    def pids(self):
        s = self.services()
        return s["imap"]["pid"], s["smtp"]["pid"]

    def user(self, name, **body):
        status, _, doc = self.picd.local("POST", "/api/users", {"name": name, "password": GOOD, **body})
        assert status == 201, doc
        return doc

    def swaks(self, port, to, sender, *extra, client=None, user=None, password=GOOD, body="hello"):
        argv = ["swaks", "--server", f"{self.addr}:{port}", "--to", to, "--from", sender, "--body", body,
                "--timeout", "20", *extra]
        if port == 587:
            argv.append("--tls")
        if port == 465:
            argv.append("--tlsc")
        if user:
            argv += ["--auth", "PLAIN", "--auth-user", user, "--auth-password", password]
        out = (client or self.client).run(*argv, check=False, timeout=60)
        return out.returncode, out.stdout + out.stderr

    def imap(self, name, password=GOOD, port=143, client=None):
        out = (client or self.client).run("/usr/bin/python3", os.path.join(HERE, "mailclient.py"), "imap",
                                          self.addr, str(port), name, password, str(self.ca),
                                          f"imap.{self.zone}", check=False, timeout=60)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def wait_message(self, name, subject, password=GOOD, timeout=15):
        def found():
            r = self.imap(name, password)
            return r["ok"] and next((m for m in r["messages"] if m["subject"] == subject), None)
        return wait_for(found, timeout, step=0.2)


def refused_with(output):
    """The first SMTP reply code a server refused with, from swaks' log."""
    m = re.search(r"^<(?:\*\*|~\*) (\d{3}) ", output, re.M)
    return int(m.group(1)) if m else None


def token():
    return "t-" + uuid.uuid4().hex[:10]


def test_mail_is_delivered_and_read_over_imap(picd, tmp_path):
    mail = Mail(picd, tmp_path)
    pids = mail.pids()
    mail.user("alice", aliases=["info"])
    mail.user("bob")
    z = mail.zone

    # Submission on 587 (STARTTLS, AUTH PLAIN) → alice's INBOX over IMAP.
    t1 = token()
    rc, out = mail.swaks(587, f"alice@{z}", f"bob@{z}", "--header", f"Subject: {t1}", user="bob",
                         body="body of " + t1)
    assert rc == 0, out
    m = mail.wait_message("alice", t1)
    assert m and "body of " + t1 in m["body"] and f"bob@{z}" in m["from"], m
    # Inbound on 25 from a stranger, to an alias; 465 with implicit TLS,
    # to an address with a +detail.
    t2, t3 = token(), token()
    rc, out = mail.swaks(25, f"info@{z}", "someone@example.org", "--header", f"Subject: {t2}")
    assert rc == 0, out
    rc, out = mail.swaks(465, f"alice+lists@{z}", f"bob@{z}", "--header", f"Subject: {t3}", user="bob")
    assert rc == 0, out
    assert mail.wait_message("alice", t2) and mail.wait_message("alice", t3)
    # IMAP over TLS on 993 too; the quota is the account's.
    r = mail.imap("alice", port=993)
    assert r["ok"] and {t1, t2, t3} <= {m["subject"] for m in r["messages"]}, r
    assert any("1048576" in q for q in r["quota"]), r["quota"]

    # A new account receives and logs in at once: nothing restarted.
    mail.user("carol")
    t4 = token()
    rc, out = mail.swaks(25, f"carol@{z}", "someone@example.org", "--header", f"Subject: {t4}")
    assert rc == 0, out
    assert mail.wait_message("carol", t4)
    assert mail.pids() == pids


def test_mail_refusals(picd, tmp_path):
    mail = Mail(picd, tmp_path)
    mail.user("alice", mail_quota_mb=1)
    mail.user("bob")
    z = mail.zone
    # No relay for strangers, none without logging in on submission.
    rc, out = mail.swaks(25, "someone@example.org", "x@example.net")
    assert refused_with(out) == 554, out
    rc, out = mail.swaks(587, "someone@example.org", f"bob@{z}")
    assert refused_with(out) == 554, out
    # Unknown recipients; sending as someone else's address.
    rc, out = mail.swaks(25, f"nobody@{z}", "x@example.net")
    assert refused_with(out) == 550, out
    rc, out = mail.swaks(587, f"alice@{z}", f"alice@{z}", user="bob")
    assert refused_with(out) == 553, out
    # A wrong password (from a host of its own: dovecot slows it down).
    rc, out = mail.swaks(587, f"alice@{z}", f"bob@{z}", user="bob", password="not-the-password",
                         client=mail.new_client())
    assert refused_with(out) == 535, out
    r = mail.imap("bob", "not-the-password", client=mail.new_client())
    assert not r["ok"] and "AUTHENTICATIONFAILED" in r["error"], r

    # Over quota: a client announcing a message bigger than what is left
    # is refused at once (552), not bounced later.
    code = mail.client.run("/usr/bin/python3", "-c", SIZED_SEND, mail.addr, f"alice@{z}", str(2 * 1024 * 1024),
                           check=False, timeout=60)
    assert code.returncode == 0, code.stderr
    assert json.loads(code.stdout)["code"] == 552, code.stdout

    # Disabled: no IMAP, no submission; mail still arrives for later.
    status, _, doc = picd.local("PUT", "/api/users/bob", {"disabled": True})
    assert status == 200, doc
    r = mail.imap("bob", client=mail.new_client())
    assert not r["ok"], r
    rc, out = mail.swaks(587, f"alice@{z}", f"bob@{z}", user="bob", client=mail.new_client())
    assert refused_with(out) == 535, out
    t = token()
    rc, out = mail.swaks(25, f"bob@{z}", "x@example.net", "--header", f"Subject: {t}")
    assert rc == 0, out
    assert picd.local("PUT", "/api/users/bob", {"disabled": False})[0] == 200
    assert mail.wait_message("bob", t)

    # Deleted: its address bounces.
    assert picd.local("DELETE", "/api/users/bob")[0] == 204
    rc, out = mail.swaks(25, f"bob@{z}", "x@example.net")
    assert refused_with(out) == 550, out
    # An account without mail has no address.
    mail.user("dora", services=["calendar"])
    rc, out = mail.swaks(25, f"dora@{z}", "x@example.net")
    assert refused_with(out) == 550, out


SIZED_SEND = r"""
import json, smtplib, sys
host, rcpt, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = smtplib.SMTP(host, 25, timeout=20)
s.ehlo("client.example.net")
s.mail("x@example.net", [f"SIZE={size}"])
code, msg = s.rcpt(rcpt)
print(json.dumps({"code": code, "message": msg.decode()}))
"""


def test_sieve_vacation_answers(picd, tmp_path):
    mail = Mail(picd, tmp_path)
    mail.user("alice")
    mail.user("bob")
    z = mail.zone
    script = ('require ["vacation"];\r\n'
              'vacation :days 1 :subject "away" :addresses ["alice@%s"] "I am away.";\r\n' % z)
    out = mail.client.run("/usr/bin/python3", os.path.join(HERE, "mailclient.py"), "sieve", mail.addr, "alice",
                          GOOD, str(mail.ca), f"imap.{z}", script, check=False, timeout=60)
    assert out.returncode == 0 and json.loads(out.stdout)["ok"], out.stdout + out.stderr
    t = token()
    rc, out = mail.swaks(587, f"alice@{z}", f"bob@{z}", "--header", f"Subject: {t}", user="bob")
    assert rc == 0, out
    assert mail.wait_message("alice", t)
    reply = mail.wait_message("bob", "away")
    assert reply and "I am away." in reply["body"], reply
