"""One rule for every email address (issue 10): the sign-in form once took
`victim<attacker@evil.example>` and the email went to the attacker. Sign-in, tracking,
the command line and the sender now use the form engine's rule (forms/formats.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server import cli
from server.db.clock import iso_in
from server.forms.formats import email_address
from tests.support import csrf, run_async

ORIGIN = {"Origin": "http://localhost:8000"}

HOSTILE = (
    "victim<attacker@evil.example>",
    "Victim Person <victim@example.com>",
    '"victim" <attacker@evil.example>',
    "victim@example.com, attacker@evil.example",
    "victim@example.com;attacker@evil.example",
    "victim@example.com\r\nBcc: attacker@evil.example",
    "victim@example.com\nattacker@evil.example",
    "victim@example.com\x00@evil.example",
    "victim@attacker@evil.example",
    "victim @example.com",
    "v\u0456ctim@example.com",    # Cyrillic і in the local part
    "victim@ex\u0430mple.com",    # Cyrillic а in the domain
    "victim@example.com.",
    "victim@[127.0.0.1]",
)


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_addresses_are_not_email_addresses(typed):
    assert email_address(typed) is None


def test_an_ordinary_address_is_trimmed_and_its_domain_lower_cased():
    assert email_address("  Morag.MacLeod+council@Example.ORG \n") == \
        "Morag.MacLeod+council@example.org"


def sign_in_email(client, typed):
    page = client.get("/sign-in")
    return client.post("/sign-in/email", data={"csrf_token": csrf(page.text), "email": typed},
                       headers=ORIGIN)


def email_notifications(store):
    return store.read_sync(lambda db: [r[0] for r in db.execute(
        "SELECT recipient FROM notifications WHERE channel = 'email'")])


@pytest.mark.parametrize("typed", HOSTILE[:8])
def test_sign_in_sends_nothing_to_a_hostile_address(client, store, typed):
    r = sign_in_email(client, typed)
    assert r.status_code == 200
    assert "Enter an email address in the correct format" in r.text
    assert email_notifications(store) == []


def test_sign_in_sends_to_the_normalised_address(client, store):
    r = sign_in_email(client, " Morag@Example.ORG ")
    assert r.status_code == 200 and "correct format" not in r.text
    assert email_notifications(store) == ["Morag@example.org"]


def test_tracking_compares_the_normalised_address(client, store):
    import uuid

    from server.db import requests as requests_db
    from server.forms.references import new_reference
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey="noise-complaint", service="environmental-health",
        form_version=1, answers={}, channel="web", special_category=False,
        contact_name="V", contact_email="victim@example.com", contact_phone=None, locale="en")
    reference = store.write_sync(requests_db.create_request, new,
                                 lambda: new_reference("MLC")).request.reference

    def track(contact):
        page = client.get("/track")
        return client.post("/track", data={"csrf_token": csrf(page.text),
                                           "reference": reference, "contact": contact},
                           headers=ORIGIN).text

    assert "We could not find a request" not in track("  victim@EXAMPLE.com ")
    assert "We could not find a request" in track("Victim <victim@example.com>")


def test_the_sender_refuses_an_address_that_is_not_normalised(world):
    notices = world.app.state.notices

    def queue(db):
        return [notices.one_time_link(db, "email", to, "sign_in_link", "en",
                                      {"link": "http://localhost:8000/x", "minutes": 15},
                                      iso_in(timedelta(minutes=15)))
                for to in ("victim<attacker@evil.example>", "ok@example.com")]

    bad, good = world.store.write_sync(queue)
    run_async(world.app.state.sender.send_due)
    status = world.store.read_sync(lambda db: dict(db.execute(
        "SELECT id, status FROM notifications").fetchall()))
    assert status[bad] == "failed"
    assert status[good] != "failed"


def test_the_command_line_refuses_a_hostile_invite(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TOLBOOTH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TOLBOOTH_SECRET_KEY", "x" * 40)
    assert cli.main(["invite-admin", "victim<attacker@evil.example>"]) == 2
    assert "is not an email address" in capsys.readouterr().err
    assert cli.main(["invite-staff", "--email", "a@b.example, c@evil.example",
                     "--role", "admin"]) == 2
