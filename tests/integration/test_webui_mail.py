"""Mail in a real browser against a real cell with real mail daemons: the
admin sees the mail service's state and a message waiting in postfix's
queue on the Mail page and deletes it there; the Accounts page shows a
mailbox's use against its quota and a deleted account's kept mailbox,
which the admin removes; a cell account's own page tells it how to set
up its mail client."""

from browser import Browser
from conftest import wait_for
from test_mail import GOOD, Mail, token


def test_mail_through_the_browser(ui_cell, tmp_path):
    picd = ui_cell
    mail = Mail(picd, tmp_path)
    z = mail.zone
    mail.user("alice", mail_quota_mb=1)
    mail.user("bob")
    t = token()
    rc, out = mail.swaks(25, f"alice@{z}", "x@example.net", "--header", f"Subject: {t}", body="x" * 100_000)
    assert rc == 0 and mail.wait_message("alice", t), out
    # Mail for the world waits: there is no way out of these namespaces.
    rc, out = mail.swaks(587, "someone@example.org", f"bob@{z}", "--header", "Subject: out", user="bob")
    assert rc == 0, out
    queued = wait_for(lambda: picd.local("GET", "/api/email/queue")[2]["messages"], 15)
    assert queued, picd.local("GET", "/api/email/queue")[2]
    qid = queued[0]["id"]

    b = Browser(picd.url, tmp_path / "screens")
    try:
        b.login(picd.admin_password)
        b.wait(role="heading", name="Dashboard")
        b.click(testid="nav-mail")
        b.wait(role="heading", name="Mail")
        b.wait_text_of(r"running", testid="mail-state-smtp")
        b.wait_text_of(r"running", testid="mail-state-imap")
        b.wait(text=f"imap.{z}")
        b.wait(testid=f"queue-row-{qid}")
        assert "someone@example.org" in b.text(testid=f"queue-row-{qid}")
        b.screens("mail")
        # An extra mail domain, added and removed on the page.
        b.wait(role="heading", name="Mail domains")
        b.wait(testid=f"mail-domain-{z}")
        b.fill("example.org", label="Domain")
        b.click(role="button", name="Add domain")
        b.wait(testid="mail-domain-example.org")
        assert [x["domain"] for x in picd.local("GET", "/api/email/domains")[2]["domains"]] == [z, "example.org"]
        b.click(role="button", name="Remove example.org")
        b.click(role="button", name="Remove domain")
        assert wait_for(lambda: len(picd.local("GET", "/api/email/domains")[2]["domains"]) == 1, 15)
        # An alias given on the page (a taken one refused next to its
        # field first), mail to it arrives, then taken away.
        b.wait(role="heading", name="Aliases")
        b.fill("bob", label="Alias")
        b.do("select", label="Reaches", value="alice")
        b.click(role="button", name="Add alias")
        b.wait(text="already an account or an alias")
        b.fill("team", label="Alias")
        b.click(role="button", name="Add alias")
        b.wait(testid="mail-alias-added")
        assert picd.local("GET", "/api/email/aliases")[2]["aliases"] == [
            {"alias": "team", "user": "alice", "address": f"team@{z}"}]
        t2 = token()
        rc, out = mail.swaks(25, f"team@{z}", "x@example.net", "--header", f"Subject: {t2}")
        assert rc == 0 and mail.wait_message("alice", t2), out
        b.screens("mail-aliases")
        b.click(role="button", name="Remove team")
        b.click(role="button", name="Remove alias")
        assert wait_for(lambda: picd.local("GET", "/api/email/aliases")[2]["aliases"] == [], 15)
        b.wait(text="No aliases yet.")
        b.click(role="button", name="Retry all now")
        # Outgoing mail through a relay host: a refused host is said so
        # next to its field and changes nothing; then saved.
        b.do("check", role="radio", name="Through a relay host", checked=True)
        b.fill("bad host!", label="Relay host")
        b.click(role="button", name="Save outgoing mail")
        b.wait(text="relay.host")
        assert picd.local("GET", "/api/email/config")[2] == {"relay": None}
        b.fill("relay.example.net", label="Relay host")
        b.fill("2525", label="Port")
        b.fill("cellrelay", label="User name")
        b.fill("relay-secret-1", label="Password")
        b.click(role="button", name="Save outgoing mail")
        b.wait(testid="relay-saved")
        assert picd.local("GET", "/api/email/config")[2] == {
            "relay": {"host": "relay.example.net", "port": 2525, "username": "cellrelay", "has_password": True}}
        b.do("check", role="radio", name="Direct to each recipient's server", checked=True)
        b.click(role="button", name="Save outgoing mail")
        assert wait_for(lambda: picd.local("GET", "/api/email/config")[2] == {"relay": None}, 15)
        # Deleted after a confirmation: gone from postfix's queue.
        b.click(testid=f"queue-delete-{qid}")
        dialog = {"role": "dialog", "name": f"Delete message {qid}?"}
        b.click(role="button", name="Delete message", within=dialog)
        b.wait(text="The queue is empty.")
        assert picd.local("GET", "/api/email/queue")[2]["total"] == 0

        # The mailbox's use against its quota; a deleted account's data.
        t2 = token()
        rc, out = mail.swaks(25, f"bob@{z}", "x@example.net", "--header", f"Subject: {t2}")
        assert rc == 0 and mail.wait_message("bob", t2), out
        assert picd.local("DELETE", "/api/users/bob")[0] == 204
        b.click(testid="nav-accounts")
        b.wait(role="heading", name="Accounts")
        used = picd.local("GET", "/api/users/alice")[2]["mail_used_bytes"]
        assert used > 100_000
        meter = b.do("evaluate", js="[...document.querySelectorAll('[role=meter]')].map(m => "
                                    "[m.getAttribute('aria-valuenow'), m.getAttribute('aria-valuemax')])")["value"]
        assert [str(used), str(1024 * 1024)] in meter, meter
        b.wait(role="heading", name="Orphaned data")
        orphan = picd.local("GET", "/api/users/orphans")[2]["orphans"][0]
        b.click(testid=f"orphan-delete-{orphan['id']}")
        b.screens("orphan-confirm")
        b.click(role="button", name="Delete for good")
        assert wait_for(lambda: picd.local("GET", "/api/users/orphans")[2] == {"orphans": []}, 10)

        # The account's own page: how to set up its mail.
        b.click(role="button", name="Log out")
        b.login(GOOD, user="alice")
        b.wait(role="heading", name="My account")
        b.wait(role="heading", name="Set up mail on your devices")
        b.wait(text=f"imap.{z}")
        b.wait(text=f"smtp.{z}")
        b.screens("my-mail")
    finally:
        b.close()
