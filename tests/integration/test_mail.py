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
import time
import uuid

import requests

from conftest import dig, wait_for

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

    # Disabled: no IMAP, no submission; mail still arrives for later. An
    # IMAP session already open is ended too.
    from conftest import NetnsScript
    holder_ns = mail.new_client()
    with NetnsScript(tmp_path, holder_ns, HOLDER, mail.addr, "bob", GOOD, str(mail.ca), f"imap.{z}") as held:
        status, _, doc = picd.local("PUT", "/api/users/bob", {"disabled": True})
        assert status == 200, doc
        time.sleep(2)
    assert held.result["logged_in"] and held.result["dropped"], held.result
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


HOLDER = r"""
import imaplib, json, os, ssl, sys, time
host, name, password, cafile, servername, stop = sys.argv[1:7]
ctx = ssl.create_default_context(cafile=cafile)
class Named(imaplib.IMAP4_SSL):
    def _create_socket(self, timeout):
        import socket
        return self.ssl_context.wrap_socket(socket.create_connection((self.host, self.port), timeout),
                                            server_hostname=servername)
conn = Named(host, 993, ssl_context=ctx, timeout=10)
conn.login(name, password)
conn.select("INBOX")
open(stop + ".ready", "w").close()
dropped = False
while not os.path.exists(stop):
    try:
        conn.noop()
    except (imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError):
        dropped = True
        break
    time.sleep(0.1)
while not os.path.exists(stop):
    time.sleep(0.05)
print(json.dumps({"logged_in": True, "dropped": dropped}))
"""


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


def test_deleted_accounts_mail_is_kept_apart_until_removed(picd, tmp_path):
    mail = Mail(picd, tmp_path)
    mail.user("erin")
    z = mail.zone
    t = token()
    rc, out = mail.swaks(25, f"erin@{z}", "x@example.net", "--header", f"Subject: {t}")
    assert rc == 0, out
    assert mail.wait_message("erin", t)
    used = picd.local("GET", "/api/users/erin")[2]["mail_used_bytes"]
    assert used > 0

    # Deleted without purge: the mailbox is kept, listed as an orphan,
    # and a new account of the same name starts empty.
    assert picd.local("DELETE", "/api/users/erin")[0] == 204
    orphans = picd.local("GET", "/api/users/orphans")[2]["orphans"]
    assert [(o["name"], o["mail"]["bytes"]) for o in orphans] == [("erin", used)], orphans
    mail.user("erin")
    r = mail.imap("erin")
    assert r["ok"] and r["messages"] == [], r
    assert picd.local("GET", "/api/users/erin")[2]["mail_used_bytes"] == 0

    # The CLI lists it; a wrong id is refused (exit 2) and changes nothing.
    oid = orphans[0]["id"]
    p = picd.pic("user", "orphans")
    assert p.returncode == 0 and oid in p.stdout and "erin" in p.stdout, p
    p = picd.pic("user", "orphan-rm", "erin.1")
    assert p.returncode == 2 and "no orphaned data" in p.stderr, p
    assert picd.local("GET", "/api/users/orphans")[2]["orphans"] == orphans

    # The orphan deleted: gone from the list and from the disk.
    p = picd.pic("user", "orphan-rm", oid)
    assert p.returncode == 0, p
    assert picd.local("GET", "/api/users/orphans")[2] == {"orphans": []}
    assert picd.local("DELETE", f"/api/users/orphans/{oid}")[0] == 404
    maildir = os.path.join(picd.state_dir, "services", "imap", "mail")
    assert wait_for(lambda: sorted(os.listdir(maildir)) == ["erin"], 10), os.listdir(maildir)

    # Deleted with purge: nothing is kept.
    t = token()
    rc, out = mail.swaks(25, f"erin@{z}", "x@example.net", "--header", f"Subject: {t}")
    assert rc == 0 and mail.wait_message("erin", t)
    assert picd.local("DELETE", "/api/users/erin?purge=true")[0] == 204
    assert picd.local("GET", "/api/users/orphans")[2] == {"orphans": []}
    assert wait_for(lambda: os.listdir(maildir) == [], 10), os.listdir(maildir)


def test_queue_status_and_counts(picd, tmp_path):
    mail = Mail(picd, tmp_path)
    mail.user("fred")
    z = mail.zone
    status, _, st = picd.local("GET", "/api/email/status")
    assert status == 200, st
    assert st["domain"] == z and st["hosts"] == {"imap": f"imap.{z}", "smtp": f"smtp.{z}"}
    assert st["services"] == {"smtp": "running", "imap": "running"}
    before = st["counts"]

    # Delivered, refused: counted from postfix's log.
    t = token()
    rc, out = mail.swaks(25, f"fred@{z}", "x@example.net", "--header", f"Subject: {t}")
    assert rc == 0 and mail.wait_message("fred", t), out
    rc, out = mail.swaks(25, "someone@example.org", "x@example.net")
    assert refused_with(out) == 554

    def counted():
        c = picd.local("GET", "/api/email/status")[2]["counts"]
        return c if c["delivered"] > before["delivered"] and c["rejected"] > before["rejected"] else None
    assert wait_for(counted, 10), picd.local("GET", "/api/email/status")[2]

    # Mail for the world waits in the queue (no route out of here).
    rc, out = mail.swaks(587, "someone@example.org", f"fred@{z}", "--header", "Subject: out", user="fred")
    assert rc == 0, out

    def queued():
        q = picd.local("GET", "/api/email/queue")[2]
        return q if q["total"] >= 1 else None
    q = wait_for(queued, 15)
    assert q, picd.local("GET", "/api/email/queue")[2]
    m = q["messages"][0]
    assert m["sender"] == f"fred@{z}" and m["recipients"][0]["address"] == "someone@example.org", m
    assert picd.local("GET", "/api/email/status")[2]["queue"]["total"] >= 1
    assert picd.local("POST", "/api/email/queue/flush")[0] == 204

    # The CLI shows the same; a malformed id is refused (exit 2, the field
    # named) and changes nothing.
    p = picd.pic("mail", "status")
    assert p.returncode == 0 and f"imap.{z}" in p.stdout and "queue:      1" in p.stdout, p
    p = picd.pic("mail", "queue")
    assert p.returncode == 0 and m["id"] in p.stdout and "someone@example.org" in p.stdout, p
    p = picd.pic("mail", "rm", "not-an-id")
    assert p.returncode == 2 and "id" in p.stderr, p
    assert picd.local("GET", "/api/email/queue")[2]["total"] == 1
    p = picd.pic("mail", "flush")
    assert p.returncode == 0, p

    # Deleted from the queue; a wrong id is 404, a malformed one 400.
    p = picd.pic("mail", "rm", m["id"])
    assert p.returncode == 0 and "deleted" in p.stdout, p
    assert wait_for(lambda: picd.local("GET", "/api/email/queue")[2]["total"] == 0, 10)
    status, _, doc = picd.local("DELETE", f"/api/email/queue/{m['id']}")
    assert status == 404, doc
    status, _, doc = picd.local("DELETE", "/api/email/queue/not-an-id")
    assert status == 400 and doc["error"]["field"] == "id", doc


SENDER = r"""
import json, os, smtplib, sys, time
host, rcpt, n, stop = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
open(stop + ".ready", "w").close()
accepted, retries = [], 0
for i in range(n):
    subject = f"flow-{i}"
    while True:
        try:
            s = smtplib.SMTP(host, 25, timeout=20)
            s.sendmail("x@example.net", [rcpt], f"Subject: {subject}\r\n\r\nmessage {i}\r\n")
            s.quit()
            accepted.append(subject)
            break
        except (smtplib.SMTPException, OSError):
            retries += 1  # a 4xx while picd restarts: try again, as MTAs do
            time.sleep(0.1)
    time.sleep(0.02)
while not os.path.exists(stop):
    time.sleep(0.05)
print(json.dumps({"accepted": accepted, "retries": retries}))
"""


def test_mail_flows_while_picd_restarts(picd, tmp_path):
    from conftest import NetnsScript
    mail = Mail(picd, tmp_path)
    mail.user("gina")
    z = mail.zone
    pids = mail.pids()
    with NetnsScript(tmp_path, mail.client, SENDER, mail.addr, f"gina@{z}", 60) as sender:
        time.sleep(0.5)
        picd.kill9()
        time.sleep(0.3)
        picd.start()
        time.sleep(0.5)
        picd.stop()
        picd.start()
        assert wait_for(mail.running, 20)
    accepted = sender.result["accepted"]
    assert len(accepted) == 60, sender.result
    # Anything postfix had to defer while picd was away goes now.
    assert picd.local("POST", "/api/email/queue/flush")[0] == 204

    def all_there():
        r = mail.imap("gina")
        return r["ok"] and sorted(m["subject"] for m in r["messages"]) == sorted(accepted)
    assert wait_for(all_there, 30, step=0.5), mail.imap("gina")
    assert mail.pids() == pids  # the daemons kept serving throughout


def test_sent_mail_is_dkim_signed_and_verifies(picd, tmp_path):
    mail = Mail(picd, tmp_path)
    mail.user("hana")
    mail.user("ivan")
    z = mail.zone
    dns = picd.local("GET", "/api/config")[2]["addresses"]["dns"]
    t = token()
    rc, out = mail.swaks(587, f"ivan@{z}", f"hana@{z}", "--header", f"Subject: {t}", user="hana")
    assert rc == 0, out
    assert mail.wait_message("ivan", t)
    out = mail.client.run("/usr/bin/python3", os.path.join(HERE, "mailclient.py"), "dkim", mail.addr, "ivan", GOOD,
                          str(mail.ca), f"imap.{z}", t, dns, check=False, timeout=60)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["found"] and r["signed"] and f"d={z}" in r["signature"].replace(" ", ""), r
    assert r["valid"], r
    # A stranger's mail claiming the cell's domain is not signed for it.
    t2 = token()
    rc, out = mail.swaks(25, f"ivan@{z}", f"hana@{z}", "--header", f"Subject: {t2}")
    assert rc == 0 and mail.wait_message("ivan", t2), out
    out = mail.client.run("/usr/bin/python3", os.path.join(HERE, "mailclient.py"), "dkim", mail.addr, "ivan", GOOD,
                          str(mail.ca), f"imap.{z}", t2, dns, check=False, timeout=60)
    assert json.loads(out.stdout)["signed"] is False, out.stdout


RELAY = r"""
import json, os, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
addr, cert, key, outdir, stop = sys.argv[1:6]

class Saver:
    async def handle_DATA(self, server, session, envelope):
        n = len([x for x in os.listdir(outdir) if x.endswith(".eml")])
        with open(os.path.join(outdir, f"{n}.eml"), "wb") as f:
            f.write(envelope.original_content)
        with open(os.path.join(outdir, f"{n}.tmp"), "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                       "login": session.authenticated and session.auth_data.login.decode(),
                       "tls": session.ssl is not None}, f)
        os.replace(os.path.join(outdir, f"{n}.tmp"), os.path.join(outdir, f"{n}.json"))
        return "250 OK"

def check(server, session, envelope, mechanism, data):
    ok = isinstance(data, LoginPassword) and data.login == b"cellrelay" and data.password == b"relay-secret-1"
    return AuthResult(success=ok, auth_data=data if ok else None)

ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)
c = Controller(Saver(), hostname=addr, port=587, tls_context=ctx, require_starttls=True, authenticator=check,
               auth_required=True, auth_require_tls=True)
c.start()
open(stop + ".ready", "w").close()
while not os.path.exists(stop):
    time.sleep(0.05)
c.stop()
print(json.dumps({}))
"""


class RelayHost:
    """A stand-in for a provider's relay host: a namespace joined by a veth
    to picd's (10.98.0.1 there, 10.98.0.2 here) with python3-aiosmtpd on
    587, STARTTLS required, AUTH (cellrelay / relay-secret-1) required; it
    saves each message and what the session was."""

    ADDR = "10.98.0.2"

    def __init__(self, picd, tmp_path):
        from conftest import Netns, sh
        self.ns = Netns("prl")
        picd.extras.append(self.ns)
        sh("ip", "-n", picd.netns.name, "link", "add", "rl0", "type", "veth", "peer", "name", "eth0", "netns",
           self.ns.name)
        sh("ip", "-n", picd.netns.name, "addr", "add", "10.98.0.1/24", "dev", "rl0")
        sh("ip", "-n", picd.netns.name, "link", "set", "rl0", "up")
        sh("ip", "-n", self.ns.name, "addr", "add", f"{self.ADDR}/24", "dev", "eth0")
        sh("ip", "-n", self.ns.name, "link", "set", "eth0", "up")
        self.dir = tmp_path / "relay"
        self.dir.mkdir()
        self.cert, self.key = tmp_path / "relay.crt", tmp_path / "relay.key"
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days",
           "1", "-subj", "/CN=relay.example.net", "-keyout", str(self.key), "-out", str(self.cert))

    def messages(self):
        out = []
        for f in sorted(self.dir.glob("*.json")):
            meta = json.loads(f.read_text())
            meta["file"] = str(f.with_suffix(".eml"))
            out.append(meta)
        return out


def test_mail_for_the_world_goes_through_a_relay_host(picd, tmp_path):
    from conftest import NetnsScript
    mail = Mail(picd, tmp_path)
    mail.user("jack")
    z = mail.zone
    relay = RelayHost(picd, tmp_path)
    assert picd.local("GET", "/api/email/config")[2] == {"relay": None}

    # Bad input names the field and changes nothing.
    for body, field in [({"relay": {"host": "bad host!"}}, "relay.host"),
                        ({"relay": {"host": "10.98.0.2", "port": 0}}, "relay.port"),
                        ({"relay": {"host": "10.98.0.2", "username": "cellrelay"}}, "relay.password"),
                        ({"relay": {"host": "10.98.0.2", "username": "a:b", "password": "x"}}, "relay.username"),
                        ({"relay": {"host": "10.98.0.2", "extra": 1}}, "relay.extra"),
                        ({}, "relay")]:
        status, _, doc = picd.local("PUT", "/api/email/config", body)
        assert status == 400 and doc["error"]["field"] == field, (body, doc)
    assert picd.local("GET", "/api/email/config")[2] == {"relay": None}
    # The CLI: a port out of range is its own usage error (1); a host picd
    # refuses comes back with the field (2).
    p = picd.pic("mail", "relay", "10.98.0.2:99999", "--user", "cellrelay", input="x\n")
    assert p.returncode == 1 and "port" in p.stderr, p
    p = picd.pic("mail", "relay", "bad_host!")
    assert p.returncode == 2 and "relay.host" in p.stderr, p

    # Set with the CLI (the password read from stdin); never shown again.
    p = picd.pic("mail", "relay", "10.98.0.2:587", "--user", "cellrelay", input="relay-secret-1\n")
    assert p.returncode == 0, p
    conf = picd.local("GET", "/api/email/config")[2]
    assert conf == {"relay": {"host": "10.98.0.2", "port": 587, "username": "cellrelay", "has_password": True}}
    assert "relay-secret-1" not in picd.pic("--json", "mail", "relay").stdout

    with NetnsScript(tmp_path, relay.ns, RELAY, relay.ADDR, relay.cert, relay.key, relay.dir):
        t = token()
        rc, out = mail.swaks(587, "someone@example.org", f"jack@{z}", "--header", f"Subject: {t}", user="jack")
        assert rc == 0, out
        got = wait_for(relay.messages, 20)
    assert got, (picd.local("GET", "/api/email/queue")[2], open(
        os.path.join(picd.state_dir, "services", "smtp", "output.log")).read()[-2000:])
    m = got[0]
    assert m["login"] == "cellrelay" and m["tls"] and m["from"] == f"jack@{z}", m
    assert m["to"] == ["someone@example.org"], m
    # DKIM-signed for the cell's domain, the key from the cell's DNS.
    dns = picd.local("GET", "/api/config")[2]["addresses"]["dns"]
    out = mail.client.run("/usr/bin/python3", os.path.join(HERE, "mailclient.py"), "dkim-file", m["file"], dns,
                          check=False, timeout=60)
    r = json.loads(out.stdout)
    assert r["signed"] and r["valid"], (r, out.stderr)

    # Back to direct delivery.
    status, _, doc = picd.local("PUT", "/api/email/config", {"relay": None})
    assert status == 200 and doc == {"relay": None}, doc


def test_mail_clients_configure_themselves(picd, tmp_path):
    """Thunderbird's autoconfiguration: autoconfig.<zone> resolves to the
    web interface's address, which serves the document over HTTPS with a
    certificate for that name; it names the servers and ports the cell
    really answers on."""
    import xml.etree.ElementTree as ET
    from conftest import dig
    mail = Mail(picd, tmp_path)
    z = mail.zone
    conf = picd.local("GET", "/api/config")[2]
    vip = conf["virtual_ips"]["webui"]
    assert dig(mail.client, conf["addresses"]["dns"], f"autoconfig.{z}").addresses() == [vip]
    assert dig(mail.client, conf["addresses"]["dns"], f"imap.{z}").addresses() == [mail.addr]

    def fetch():
        out = mail.client.run("curl", "-sS", "--fail", "--cacert", str(mail.ca), "--resolve",
                              f"autoconfig.{z}:443:{vip}",
                              f"https://autoconfig.{z}/mail/config-v1.1.xml?emailaddress=kim%40{z}", check=False)
        return out.stdout if out.returncode == 0 else None
    text = wait_for(fetch, 20, step=0.5)
    assert text, "the proxy did not serve the autoconfig document"
    doc = ET.fromstring(text)
    assert doc.find("emailProvider/domain").text == z
    servers = [(s.get("type"), s.findtext("hostname"), s.findtext("port"), s.findtext("socketType"),
                s.findtext("username")) for s in doc.iter() if s.tag in ("incomingServer", "outgoingServer")]
    assert ("imap", f"imap.{z}", "993", "SSL", "%EMAILLOCALPART%") in servers, servers
    assert ("smtp", f"smtp.{z}", "587", "STARTTLS", "%EMAILLOCALPART%") in servers, servers
    # The .well-known form, straight from picd.
    r = requests.get(picd.url + "/.well-known/autoconfig/mail/config-v1.1.xml")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/xml") and r.text == text
    # What it says works: a new account logs in with exactly that.
    mail.user("kim")
    assert mail.imap("kim", port=993)["ok"]


def test_extra_mail_domains(picd, tmp_path):
    mail = Mail(picd, tmp_path)
    mail.user("lena", aliases=["sales"])
    z = mail.zone
    domains = picd.local("GET", "/api/email/domains")[2]["domains"]
    assert [(d["domain"], d["cell_zone"]) for d in domains] == [(z, True)]
    published = {(r["name"], r["type"]): r["published"] for r in domains[0]["records"]}
    sel = picd.local("GET", "/api/email/domains")[2]["domains"][0]["records"][2]["name"].split(".")[0]
    assert published[(f"{sel}._domainkey.{z}", "TXT")] and published[(f"_dmarc.{z}", "TXT")], published
    assert published[(z, "MX")] and published[(z, "TXT")], published
    # The cell's DNS answers them: the zone's MX names the mail service,
    # its SPF policy the MX.
    dns = picd.local("GET", "/api/config")[2]["addresses"]["dns"]
    mx = dig(mail.client, dns, z, "MX")
    assert mx.status == "NOERROR" and mx.data("MX") == [f"10 smtp.{z}."], mx.text
    assert dig(mail.client, dns, f"smtp.{z}").addresses() == [mail.addr]
    assert dig(mail.client, dns, z, "TXT").data("TXT") == ['"v=spf1 mx ~all"']
    # They are the cell's: a user record cannot take them (nor change the DNS).
    for body in ({"name": "@", "type": "MX", "value": "elsewhere.example.net", "priority": 5},
                 {"name": "@", "type": "TXT", "value": "v=spf1 -all"}):
        st, _, doc = picd.local("POST", "/api/dns/records", body)
        assert st == 400 and doc["error"]["field"] == "name", doc
    assert dig(mail.client, dns, z, "MX").data("MX") == [f"10 smtp.{z}."]

    # Bad input, each refused naming the field; nothing changes.
    for body, status, field in [({"domain": z}, 400, "domain"), ({"domain": f"sub.{z}"}, 400, "domain"),
                                ({"domain": "localhost"}, 400, "domain"), ({"domain": "bad_name.org"}, 400, "domain"),
                                ({}, 400, "domain")]:
        st, _, doc = picd.local("POST", "/api/email/domains", body)
        assert st == status and doc["error"]["field"] == field, (body, doc)
    assert len(picd.local("GET", "/api/email/domains")[2]["domains"]) == 1

    p = picd.pic("mail", "domain-add", "bad_name.org")
    assert p.returncode == 2 and "domain" in p.stderr, p
    status, _, doc = picd.local("POST", "/api/email/domains", {"domain": "Example.ORG"})
    assert status == 201 and doc["domain"] == "example.org" and not doc["cell_zone"], doc
    p = picd.pic("mail", "domains")
    assert p.returncode == 0 and "example.org MX" in p.stdout and f"_dmarc.{z} TXT" in p.stdout, p
    assert {r["type"] for r in doc["records"]} == {"MX", "TXT"} and not any(r["published"] for r in doc["records"])
    status, _, doc = picd.local("POST", "/api/email/domains", {"domain": "example.org"})
    assert status == 409, doc

    # Its addresses reach the same accounts; an account sends as them,
    # signed for that domain.
    t = token()
    rc, out = mail.swaks(25, "sales@example.org", "x@example.net", "--header", f"Subject: {t}")
    assert rc == 0 and mail.wait_message("lena", t), out
    t2 = token()
    rc, out = mail.swaks(587, f"lena@{z}", "lena@example.org", "--header", f"Subject: {t2}", user="lena")
    assert rc == 0 and mail.wait_message("lena", t2), out
    dns = picd.local("GET", "/api/config")[2]["addresses"]["dns"]
    out = mail.client.run("/usr/bin/python3", os.path.join(HERE, "mailclient.py"), "dkim", mail.addr, "lena", GOOD,
                          str(mail.ca), f"imap.{z}", t2, dns, check=False, timeout=60)
    r = json.loads(out.stdout)
    assert r["signed"] and "d=example.org" in r["signature"].replace(" ", ""), r

    # Removed: the domain is not the cell's any more (mail for it would be
    # relaying: 554).
    assert picd.local("DELETE", "/api/email/domains/example.org")[0] == 204
    assert picd.local("DELETE", "/api/email/domains/example.org")[0] == 404
    assert picd.local("DELETE", f"/api/email/domains/{z}")[0] == 404
    rc, out = mail.swaks(25, "lena@example.org", "x@example.net")
    assert refused_with(out) == 554, out


def test_aliases_are_given_and_taken_live(picd, tmp_path):
    """POST /api/email/aliases gives an account one more address and the
    next message to it arrives; DELETE takes it away and the next one is
    refused; bad input is refused naming the field and changes nothing;
    `pic mail alias-add|aliases|alias-rm` do the same."""
    mail = Mail(picd, tmp_path)
    mail.user("mia", aliases=["hello"])
    mail.user("noah")
    z = mail.zone
    smtp_pid = mail.pids()[1]
    aliases = lambda: picd.local("GET", "/api/email/aliases")[2]["aliases"]
    assert aliases() == [{"alias": "hello", "user": "mia", "address": f"hello@{z}"}]

    status, _, doc = picd.local("POST", "/api/email/aliases", {"alias": "info", "user": "mia"})
    assert status == 201 and doc == {"alias": "info", "user": "mia", "address": f"info@{z}"}, doc
    assert picd.local("GET", "/api/users/mia")[2]["aliases"] == ["hello", "info"]
    t = token()
    rc, out = mail.swaks(25, f"info@{z}", "x@example.net", "--header", f"Subject: {t}")
    assert rc == 0 and mail.wait_message("mia", t), out

    before = aliases()
    for body, status, field in [({"alias": "Info_", "user": "mia"}, 400, "alias"),
                                ({"alias": "ok", "user": "nobody"}, 400, "user"),
                                ({"alias": "mia", "user": "mia"}, 400, "alias"),
                                ({"alias": "noah", "user": "mia"}, 409, "alias"),
                                ({"alias": "info", "user": "noah"}, 409, "alias"),
                                ({"alias": "x" * 33, "user": "mia"}, 400, "alias"),
                                ({"alias": "ok"}, 400, "user"),
                                ({"alias": "ok", "user": "mia", "more": 1}, 400, "more")]:
        st, _, err = picd.local("POST", "/api/email/aliases", body)
        assert st == status and err["error"]["field"] == field, (body, st, err)
    assert aliases() == before

    assert picd.local("DELETE", "/api/email/aliases/info")[0] == 204
    assert picd.local("GET", "/api/users/mia")[2]["aliases"] == ["hello"]
    rc, out = mail.swaks(25, f"info@{z}", "x@example.net")
    assert refused_with(out) == 550, out
    assert picd.local("DELETE", "/api/email/aliases/info")[0] == 404
    assert picd.local("DELETE", "/api/email/aliases/mia")[0] == 404  # a name, not an alias

    p = picd.pic("mail", "alias-add", "sales", "noah")
    assert p.returncode == 0 and f"sales@{z} reaches noah" in p.stdout, p
    p = picd.pic("mail", "aliases")
    assert p.returncode == 0 and re.search(rf"^sales@{re.escape(z)}\s+noah$", p.stdout, re.M), p.stdout
    p = picd.pic("mail", "alias-add", "bad_alias", "noah")
    assert p.returncode == 2 and "alias" in p.stderr, p
    p = picd.pic("mail", "alias-add", "sales", "mia")
    assert p.returncode != 0 and "sales" in p.stderr, p
    p = picd.pic("mail", "alias-rm", "sales")
    assert p.returncode == 0, p
    assert aliases() == [{"alias": "hello", "user": "mia", "address": f"hello@{z}"}]
    # Nothing was restarted for any of it.
    assert mail.pids()[1] == smtp_pid
