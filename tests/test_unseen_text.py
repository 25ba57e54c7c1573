"""Issue 10: bidi overrides, NUL and zero-width characters were stored and shown to
officers. Both form interpreters remove them (server/forms/examples/*unseen*); these
tests follow the other ways free text reaches an officer through the same normaliser."""

from __future__ import annotations

import json
import uuid

from server.db import requests as requests_db
from server.forms.normalise import UNSEEN, clean_text
from server.journeys.files import clean_upload
from server.notify.callbacks import parse_received_text
from tests.passkey_authenticator import make_request
from tests.sync_support import Device, mutation, payload, pest_answers
from tests.test_request_copies import PLANNER, as_staff, post
from tests.test_uploads import photo_with_location

SPOOF = "\u202e\u2066\u200b\u200c\u200d\u2060\ufeff\u0000\u0007\u001b\u007f\u0085\u009b"


def test_every_unseen_character_is_removed_and_tab_newline_and_marks_stay():
    assert clean_text(f"a{SPOOF}b") == "ab"
    assert clean_text("a\tb\nc\u200e\u200f", multiline=True) == "a\tb\nc\u200e\u200f"
    for code in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                 *range(0x2066, 0x206A), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]:
        assert bool(UNSEEN.match(chr(code))) == (chr(code) not in "\t\n"), hex(code)


def test_a_queued_submission_is_stored_without_them(client, store):
    device = Device(client)
    contact = {"name": f"Ann{SPOOF} Example", "how": "email", "email": "ann@example.com"}
    sent = mutation(1, body=payload(pest_answers(more_details=f"Rats{SPOOF} in the shed"),
                                    contact=contact))
    assert device.results(sent)[0]["status"] == "applied"
    found = store.read_sync(requests_db.by_id, sent["id"])
    assert found.contact_name == "Ann Example"
    assert found.answers["more_details"] == "Rats in the shed"


def test_resident_additions_officer_notes_and_text_replies_are_cleaned(world):
    store = world.store
    request_id = make_request(store, "planning", "a@example.com", "tree-enquiry")
    officer = as_staff(world.client(), store, world.settings, PLANNER)
    page = f"/staff/requests/{request_id}"
    assert post(officer, f"{page}/notes", {"note": f"Call{SPOOF} back"}, page
                ).status_code == 303
    assert post(officer, f"{page}/status", {"status": "in_progress",
                                            "message": f"We{SPOOF} visit"}, page
                ).status_code == 303
    from tests.support import tracking_token
    track = f"/track/{tracking_token(world.store, world.settings, request_id)}"
    resident = world.client()
    assert post(resident, f"{track}/information", {"information": f"It{SPOOF} leans"},
                track).status_code == 303
    assert post(resident, f"{track}/withdraw", {"reason": f"Gone{SPOOF}\r\nnow"},
                track).status_code == 303
    messages = [e.message for e in store.read_sync(requests_db.all_events, request_id)
                if e.message]
    assert sorted(messages) == sorted(["Call back", "We visit", "It leans", "Gone\nnow"])
    texted = parse_received_text(json.dumps({
        "id": str(uuid.uuid4()), "source_number": "447700900123",
        "destination_number": "07797800000", "message": f"Rats{SPOOF} again",
        "date_received": "2026-11-20T14:03:07.512Z"}).encode())
    assert texted.message == "Rats again"


def test_feedback_comments_lose_them(client, store):
    from server.db import feedback
    from tests.support import ORIGIN, csrf
    token = csrf(client.get("/feedback").text)
    r = client.post("/feedback", data={"csrf_token": token, "satisfaction": "satisfied",
                                       "comment": f"Good{SPOOF} service"},
                    headers={"Origin": ORIGIN})
    assert r.status_code == 200
    assert [c.comment for c in store.read_sync(feedback.results).comments] == ["Good service"]


def test_file_names_lose_them_too():
    cleaned = clean_upload("ph\u202egpj.exe\u200b.jpg", photo_with_location())
    assert cleaned.filename == "phgpjexe.jpg"
