"""Issue 12: statuses with reasons (the old codes moved over by migration 0014) and
templated replies in the officer's status form, filled in the resident's language."""

from __future__ import annotations

import html
import re

from server.casework import replies
from server.casework.status import OPEN_STATUSES, STATUSES, closing_outcome
from server.db import reply_templates as templates_db
from server.db import requests as requests_db
from server.db.schema import _apply_one, migrate, migrations
from server.db.seed import REPLY_TEMPLATES
from server.db.store import Store
from tests.passkey_authenticator import make_request
from tests.test_request_copies import PLANNER, as_staff, post

OLD = (  # (status, outcome) before issue 12 -> after
    (("received", None), ("received", None)),
    (("in_progress", None), ("in_progress", None)),
    (("waiting", None), ("waiting_resident", None)),
    (("closed", "resolved"), ("resolved", "resolved")),
    (("closed", "referred"), ("referred", "referred")),
    (("closed", "no_action"), ("closed_no_action", "no_action")),
    (("closed", "duplicate"), ("closed_no_action", "duplicate")),
    (("closed", "withdrawn"), ("closed_no_action", "withdrawn")),
    (("closed", None), ("closed_no_action", None)),
)


def test_the_old_status_codes_become_the_new_ones(tmp_path):
    store = Store(tmp_path / "tolbooth.db")
    try:
        for migration in migrations():
            if migration.number < 14:
                store.write_sync(_apply_one, migration)

        def old_rows(db):
            db.execute("INSERT INTO services (slug, position, email, special_category)"
                       " VALUES ('planning', 1, 'p@example.com', 0)")
            for n, ((status, outcome), _new) in enumerate(OLD):
                db.execute(
                    "INSERT INTO requests (id, reference, journey, service, form_version,"
                    " answers, channel, status, outcome, created_at, updated_at) VALUES"
                    " (?, ?, 'tree-enquiry', 'planning', 1, '{}', 'web', ?, ?, ?, ?)",
                    [f"r{n}", f"MLC-{n}", status, outcome, "2026-01-01T00:00:00.000Z",
                     "2026-01-01T00:00:00.000Z"])
                db.execute("INSERT INTO request_events (request_id, at, kind, status,"
                           " public, actor, outcome) VALUES (?, ?, 'status_changed', ?,"
                           " 1, 'staff:x', ?)",
                           [f"r{n}", "2026-01-02T00:00:00.000Z", status, outcome])
        store.write_sync(old_rows)
        migrate(store)
        for n, (_old, new) in enumerate(OLD):
            found = store.read_sync(requests_db.by_id, f"r{n}")
            [event] = store.read_sync(requests_db.all_events, f"r{n}")
            assert (found.status, found.outcome) == new == (event.status, event.outcome)
        # Still append-only afterwards.
        refused = store.read_sync(lambda db: db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'request_events_no_update'"
        ).fetchone()[0])
        assert refused == 1
    finally:
        store.close()


def test_every_status_says_what_it_does_to_the_clock():
    assert set(STATUSES) == {"received", "triaged", "in_progress", "waiting_resident",
                             "waiting_other", "resolved", "closed_no_action", "referred"}
    assert OPEN_STATUSES == ("received", "triaged", "in_progress", "waiting_resident",
                             "waiting_other")
    # A closing status with one outcome implies it; "closed with no action" asks which.
    assert closing_outcome("resolved", "") == "resolved"
    assert closing_outcome("resolved", "referred") is None
    assert closing_outcome("closed_no_action", "") is None
    assert closing_outcome("closed_no_action", "duplicate") == "duplicate"
    assert closing_outcome("closed_no_action", "withdrawn") is None


def test_every_seed_template_has_each_language_and_a_real_status():
    seeds = __import__("json").loads(REPLY_TEMPLATES.read_text(encoding="utf-8"))
    assert {t["status"] for t in seeds} == set(STATUSES)
    for t in seeds:
        for words in (t["titles"], t["bodies"]):
            assert set(words) == {"en", "gd", "pl", "uk", "ar"}, t["id"]
        # The same placeholders in every language.
        wanted = set(re.findall(r"\{\w+\}", t["bodies"]["en"]))
        for code, body in t["bodies"].items():
            assert set(re.findall(r"\{\w+\}", body)) == wanted, (t["id"], code)


def test_placeholders_are_filled_and_unknown_ones_kept():
    assert replies.fill("{reference} by {due_date}, {nope} {0.__class__}",
                        {"reference": "MLC-1", "due_date": "1 May"}) == (
        "MLC-1 by 1 May, {nope} {0.__class__}")


def test_without_javascript_use_this_template_fills_the_message(world):
    request_id = make_request(world.store, "planning", "a@example.com", "tree-enquiry")
    found = world.store.read_sync(requests_db.by_id, request_id)
    page = f"/staff/requests/{request_id}"
    officer = as_staff(world.client(), world.store, world.settings, PLANNER)
    assert world.store.read_sync(templates_db.count) > 0
    first = officer.get(page).text
    assert "Use this template" in first and 'value="more-information"' in first
    r = post(officer, f"{page}/status", {"template": "more-information",
                                         "use_template": "1", "status": "received",
                                         "message": ""}, page)
    assert r.status_code == 200
    text = html.unescape(r.text)
    message = re.search(r'<textarea[^>]*name="message"[^>]*>([^<]*)</textarea>', text)[1]
    assert f"To carry on with your request {found.reference}" in message
    assert re.search(r'<option value="waiting_resident" selected>', r.text)
    # Nothing was sent: the officer edits, then sends.
    assert [e.kind for e in world.store.read_sync(requests_db.all_events, request_id)] == [
        "created"]
    sent = post(officer, f"{page}/status", {"status": "waiting_resident",
                                            "message": message + "a photo"}, page)
    assert sent.status_code == 303
    bad = post(officer, f"{page}/status", {"template": "nope", "use_template": "1"}, page)
    assert bad.status_code == 400 and "Choose a template" in bad.text


def test_the_template_is_in_the_residents_language(world):
    request_id = make_request(world.store, "planning", "a@example.com", "tree-enquiry")
    world.store.write_sync(lambda db: db.execute(
        "UPDATE requests SET locale = 'pl' WHERE id = ?", [request_id]))
    found = world.store.read_sync(requests_db.by_id, request_id)
    got = world.store.read_sync(replies.replies_for, found, "Drzewa", None, "en")
    [triaged] = [r for r in got if r.id == "triaged"]
    assert triaged.title == "Passed to the right team"  # the officer's language
    assert triaged.text.startswith(f"Sprawdziliśmy Twoje zgłoszenie {found.reference}")
    assert "Drzewa" in triaged.text


def test_staff_and_resident_each_read_their_own_wording(world):
    from tests.support import tracking_token
    request_id = make_request(world.store, "planning", "a@example.com", "tree-enquiry")
    page = f"/staff/requests/{request_id}"
    officer = as_staff(world.client(), world.store, world.settings, PLANNER)
    # A closing status with an outcome that does not fit it: refused, nothing changed.
    wrong = post(officer, f"{page}/status", {"status": "resolved", "outcome": "referred"},
                 page)
    assert wrong.status_code == 400 and "Choose the outcome" in wrong.text
    assert post(officer, f"{page}/status", {"status": "waiting_other"}, page
                ).status_code == 303
    assert "Status changed to: Waiting for another body" in officer.get(page).text
    link = f"/track/{tracking_token(world.store, world.settings, request_id)}"
    track = world.client().get(link).text
    assert "Waiting for another organisation" in track and "another body" not in track
    pl = world.client()
    pl.cookies.set("tolbooth_lang", "pl")
    assert "Oczekuje na inną organizację" in pl.get(link).text


def test_admins_change_a_templates_words_audited(world):
    from server.db import audit as audit_db
    from tests.test_request_copies import ADMIN
    admin = as_staff(world.client(), world.store, world.settings, ADMIN)
    listed = admin.get("/admin/replies")
    assert listed.status_code == 200 and 'href="/admin/replies/triaged"' in listed.text
    page = "/admin/replies/triaged"
    assert 'name="body-gd"' in admin.get(page).text
    bad = post(admin, page, {"title-en": "Passed on", "body-en": "Ref {refrence}",
                             "body-pl": "{reference}"}, page)
    assert bad.status_code == 400 and "Use only the placeholders" in bad.text
    assert "Ref {refrence}" in html.unescape(bad.text)  # what they typed is kept
    empty = post(admin, page, {"title-en": "", "body-en": "x"}, page)
    assert empty.status_code == 400 and "Enter the title and the words in English" in empty.text
    saved = post(admin, page, {"title-en": "Passed on", "body-en": "Now with {service}.",
                               "title-pl": "Przekazane", "body-pl": "Teraz: {service}."},
                 page)
    assert saved.status_code == 303
    found = world.store.read_sync(templates_db.by_id, "triaged")
    assert found.bodies == {"en": "Now with {service}.", "pl": "Teraz: {service}."}
    assert found.status == "triaged"
    assert "reply_template_changed" in [
        e.action for e in world.store.read_sync(audit_db.entries, 10)]
    assert post(admin, "/admin/replies/nothing", {"title-en": "x", "body-en": "y"},
                page).status_code == 404
