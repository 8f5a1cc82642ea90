"""Cell accounts in a real browser against a real cell: the admin adds,
changes, disables, resets and deletes an account on the Accounts page,
each step checked by logging in as that account through the API; the
account itself logs in to the UI, lands on its own page, changes its
password there — and reaches nothing of the admin's, not even by URL."""

import json

import requests

from browser import Browser
from conftest import wait_for

FIRST = "saffron-kettle-42"


def logs_in(picd, name, password):
    return requests.post(picd.url + "/api/auth/login", json={"username": name, "password": password}).status_code == 200


def account(picd, name):
    status, _, doc = picd.local("GET", f"/api/users/{name}")
    return doc if status == 200 else None


def test_accounts_through_the_browser(ui_cell, tmp_path):
    picd = ui_cell
    zone = "{cell_name}.{domain}".format(**picd.local("GET", "/api/config")[2])
    b = Browser(picd.url, tmp_path / "screens")
    try:
        b.login(picd.admin_password)
        b.wait(role="heading", name="Dashboard")
        b.click(testid="nav-accounts")
        b.wait(role="heading", name="Accounts")

        # --- add: a refused name is said so next to the field; then made
        add = {"role": "dialog", "name": "Add an account"}
        b.click(testid="add-account")
        b.fill("postmaster", label="Name", within=add)
        b.fill(FIRST, label="Password", within=add)
        b.fill(FIRST, label="Password again", within=add)
        b.click(testid="add-account-submit")
        b.wait(text="reserved", within=add)
        assert picd.local("GET", "/api/users")[2] == {"users": []}
        b.fill("alice", label="Name", within=add)
        b.fill("Alice Liddell", label="Display name", within=add)
        b.fill("al, postmaster", label="Aliases", within=add)
        b.click(testid="add-account-submit")
        b.wait(testid="account-row-alice")
        doc = wait_for(lambda: account(picd, "alice"), 10)
        assert doc["display_name"] == "Alice Liddell" and doc["aliases"] == ["al", "postmaster"], doc
        assert doc["services"] == ["mail", "calendar", "files"]
        assert logs_in(picd, "alice", FIRST)
        b.screens("accounts")

        # --- a service toggled in the row is saved at once
        b.do("check", role="checkbox", name="Files for alice", checked=False)
        assert wait_for(lambda: account(picd, "alice")["services"] == ["mail", "calendar"], 10)

        # --- disable, then enable again, in the edit dialog
        edit = {"role": "dialog", "name": "Account alice"}
        b.click(testid="account-edit-alice")
        b.do("check", testid="edit-account-disabled", checked=True)
        b.click(testid="edit-account-submit")
        b.wait_text_of(r"disabled", testid="account-state-alice")
        assert account(picd, "alice")["disabled"] is True
        assert not logs_in(picd, "alice", FIRST)
        b.click(testid="account-edit-alice")
        b.do("check", testid="edit-account-disabled", checked=False)
        b.click(testid="edit-account-submit")
        b.wait_text_of(r"active", testid="account-state-alice")
        assert logs_in(picd, "alice", FIRST)

        # --- reset the password
        b.click(testid="account-edit-alice")
        b.fill("quiet-lantern-77", label="New password", within=edit)
        b.fill("quiet-lantern-77", label="New password again", within=edit)
        b.click(testid="reset-password-submit")
        b.wait(text="Password reset.", within=edit)
        assert logs_in(picd, "alice", "quiet-lantern-77") and not logs_in(picd, "alice", FIRST)
        b.click(role="button", name="Close", within=edit)

        # --- log out; the account logs in and lands on its own page
        b.click(role="button", name="Log out")
        b.login("quiet-lantern-77", user="alice")
        b.wait(role="heading", name="My account")
        assert "/me" in b.do("url")["url"]
        assert f"alice@{zone}" in b.text(testid="my-addresses")
        assert f"postmaster@{zone}" in b.text(testid="my-addresses")
        # How to set up a device: the CA's fingerprint as devices show it.
        sha = picd.local("GET", "/api/vault/ca")[2]["sha256"]
        colons = ":".join(sha[i:i + 2] for i in range(0, 64, 2)).upper()
        assert b.wait_text_of(r"[0-9A-F:]{95}", testid="my-ca-fingerprint") == colons
        b.screens("my-account")
        # An admin page by URL: back on its own page, no admin request made.
        b.goto("/vpn", waitRole={"role": "heading", "name": "My account"})
        b.goto("/accounts", waitRole={"role": "heading", "name": "My account"})

        # --- it changes its own password (a refused one first)
        form = {"role": "form", "name": "Change password"}
        b.fill("quiet-lantern-77", label="Current password", within=form)
        b.fill("alice-alice-1", label="New password", within=form)
        b.fill("alice-alice-1", label="New password again", within=form)
        b.click(role="button", name="Change password", within=form)
        b.wait(text="name", within=form)
        assert logs_in(picd, "alice", "quiet-lantern-77")
        b.fill("velvet-harbour-9", label="New password", within=form)
        b.fill("velvet-harbour-9", label="New password again", within=form)
        b.click(role="button", name="Change password", within=form)
        b.wait(text="Password changed", within=form)
        assert logs_in(picd, "alice", "velvet-harbour-9")

        log = b.do("log")
        since = log["requests"][max(i for i, r in enumerate(log["requests"])
                                    if r["path"] == "/api/auth/login" and r.get("status") == 200):]
        forbidden = [r for r in since if r.get("status") == 403]
        assert forbidden == [], forbidden
        assert {r["path"].split("?")[0] for r in since if r["path"].startswith("/api/")} <= {
            "/api/auth/login", "/api/auth/session", "/api/me", "/api/auth/password", "/api/access"}, since
        b.click(role="button", name="Log out")

        # --- the admin deletes it, keeping its data, then another with purge
        assert picd.local("POST", "/api/users", {"name": "bob", "password": FIRST})[0] == 201
        b.login(picd.admin_password)
        b.wait(role="heading", name="Dashboard")
        b.click(testid="nav-accounts")
        b.wait(testid="account-row-bob")
        b.click(testid="account-delete-alice")
        b.click(role="button", name="Delete account")
        assert wait_for(lambda: account(picd, "alice") is None, 10)
        assert not logs_in(picd, "alice", "velvet-harbour-9")
        b.click(testid="account-delete-bob")
        b.do("check", testid="delete-account-purge", checked=True)
        b.click(role="button", name="Delete account and data")
        assert wait_for(lambda: account(picd, "bob") is None, 10)
        deletes = [r for r in b.do("log")["requests"] if r["method"] == "DELETE"]
        assert [r["path"] + r["query"] for r in deletes] == ["/api/users/alice?purge=false", "/api/users/bob?purge=true"], deletes
        b.wait(text="No accounts")

        # Chromium logs the 401s of the UI's own questions and the 400 of
        # the refused inputs above; anything else in the console is a defect.
        console = b.do("log")["console"]
        unexpected = [m for m in console if not any(f"status of {c}" in m["text"] for c in (400, 401))]
        assert unexpected == [], json.dumps(unexpected, indent=1)
    finally:
        b.close()
