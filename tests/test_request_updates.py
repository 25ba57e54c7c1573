"""Issue 15: the timeline names who did what and says what each event is; a request is
closed only with an outcome; its resident can withdraw it (the officer is flagged), add
information, photos or documents while it is open, and sees when to expect a reply."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image

from server import i18n
from server.casework.calendar import add_working_days
from server.db import attachments as attachments_db
from server.db import requests as requests_db
from server.forms.normalise import COUNCIL_TIME_ZONE as COUNCIL_TIME
from tests.passkey_authenticator import make_request
from tests.support import tracking_token
from tests.test_request_copies import PLANNER, as_staff, photo, post


@pytest.fixture
def tree(world):
    """A planning request (tree enquiry: a 5 working day first response target), an
    officer signed in, and its resident's tracking page."""
    request_id = make_request(world.store, "planning", "a@example.com", "tree-enquiry")
    officer = as_staff(world.client(), world.store, world.settings, PLANNER)
    return {"id": request_id, "officer": officer, "resident": world.client(),
            "staff_page": f"/staff/requests/{request_id}",
            "track": f"/track/{tracking_token(world.store, world.settings, request_id)}"}


def update(tree: dict[str, Any], data: dict[str, str]) -> Any:
    return post(tree["officer"], f"{tree['staff_page']}/status", data, tree["staff_page"])


def timeline_items(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
            for item in html.split('<li class="tb-timeline__item">')[1:]]


def test_each_event_says_what_it_is_and_who_did_it(tree, store):
    assert update(tree, {"status": "in_progress", "message": ""}).status_code == 303
    # The same status with a message is a message, not a status change.
    assert update(tree, {"status": "in_progress",
                         "message": "We visit on Monday"}).status_code == 303
    staff = timeline_items(tree["officer"].get(tree["staff_page"]).text)
    resident = timeline_items(tree["resident"].get(tree["track"]).text)
    assert "Request received" in staff[0] and "By: The resident" in staff[0]
    assert "Status changed to: In progress" in staff[1]
    assert "By: Iain Planner, Planning officer" in staff[1]
    assert "Message to the resident" in staff[2] and "We visit on Monday" in staff[2]
    assert "Status changed" not in staff[2]
    assert "We received your request" in resident[0] and "By: You" in resident[0]
    assert "By: Planning team" in resident[1]
    assert "Message from the council" in resident[2] and "Status changed" not in resident[2]
    assert "Iain Planner" not in " ".join(resident)  # residents see the team, not a name


def test_an_update_that_changes_nothing_is_refused(tree):
    r = update(tree, {"status": "received", "message": " "})
    assert r.status_code == 400
    assert "Choose a different status, or write a message to the resident" in r.text


def test_closing_needs_an_outcome_which_the_resident_sees(tree, store):
    r = update(tree, {"status": "closed_no_action", "message": "Done, thanks"})
    assert r.status_code == 400 and "Choose the outcome, to close the request" in r.text
    assert "Done, thanks" in r.text  # what the officer typed is kept
    assert store.read_sync(requests_db.by_id, tree["id"]).status == "received"
    r = update(tree, {"status": "closed_no_action", "outcome": "withdrawn", "message": ""})
    assert r.status_code == 400  # the resident's own outcome, not an officer's
    assert update(tree, {"status": "resolved", "outcome": "resolved"}).status_code == 303
    found = store.read_sync(requests_db.by_id, tree["id"])
    assert (found.status, found.outcome) == ("resolved", "resolved")
    assert "Outcome: Dealt with" in tree["resident"].get(tree["track"]).text
    # Opened again: the outcome goes with the closed status.
    assert update(tree, {"status": "in_progress"}).status_code == 303
    assert store.read_sync(requests_db.by_id, tree["id"]).outcome is None


def test_resident_withdraws_with_a_reason_and_the_officer_is_told(tree, store):
    track, resident = tree["track"], tree["resident"]
    r = post(resident, f"{track}/withdraw", {"reason": "  "}, track)
    assert r.status_code == 400 and "Tell us why you are withdrawing this request" in r.text
    r = post(resident, f"{track}/withdraw", {"reason": "The tree fell down"}, track)
    assert r.status_code == 303 and r.headers["location"] == track
    found = store.read_sync(requests_db.by_id, tree["id"])
    assert (found.status, found.outcome, found.officer_flag) == ("closed_no_action", "withdrawn",
                                                                  "withdrawn")
    page = resident.get(track).text
    assert "You withdrew this request" in page and "The tree fell down" in page
    assert "Outcome: Withdrawn by the resident" in page
    assert 'action="' + track + '/withdraw"' not in page  # closed: no forms
    inbox = tree["officer"].get("/staff/inbox").text
    assert "Withdrawn by the resident" in inbox
    staff_page = tree["officer"].get(tree["staff_page"]).text
    assert "The resident withdrew this request. Their reason is on the timeline." in staff_page
    r = post(tree["officer"], f"{tree['staff_page']}/seen", {}, tree["staff_page"])
    assert r.status_code == 303
    assert store.read_sync(requests_db.by_id, tree["id"]).officer_flag is None
    assert "Withdrawn by the resident" not in tree["officer"].get("/staff/inbox").text
    # Once closed, nothing more can be withdrawn or added.
    again = post(resident, f"{track}/withdraw", {"reason": "Again"}, "/track")
    assert again.status_code == 400 and "already closed" in again.text
    more = post(resident, f"{track}/information", {"information": "More"}, "/track")
    assert more.status_code == 400 and "This request is closed" in more.text


def gps_photo() -> bytes:
    image = Image.new("RGB", (640, 480), (10, 120, 10))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 52.0, 0.0), 3: "W", 4: (3.0, 4.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_resident_adds_information_and_photos_later_checked_as_the_journey_checks(
        tree, store):
    track, resident = tree["track"], tree["resident"]
    r = post(resident, f"{track}/information", {"information": ""}, track)
    assert r.status_code == 400
    assert "Enter the information to add, or choose a photo or document" in r.text
    fake = [("files", ("tree.jpg", b"<html>not a photo</html>", "image/jpeg"))]
    r = post(resident, f"{track}/information", {"information": "x"}, track, fake)
    assert r.status_code == 400 and "must be a JPG, PNG, WebP or PDF" in r.text
    many = [("files", (f"{i}.jpg", photo((20, 20)), "image/jpeg")) for i in range(6)]
    r = post(resident, f"{track}/information", {}, track, many)
    assert r.status_code == 400 and "You can add up to 5 files at a time" in r.text
    assert store.read_sync(attachments_db.request_files, tree["id"]) == []
    r = post(resident, f"{track}/information", {"information": "It leans over the road"},
             track, [("files", ("leaning.jpg", gps_photo(), "image/jpeg"))])
    assert r.status_code == 303
    added = store.read_sync(attachments_db.request_files, tree["id"])
    assert [f.filename for f in added] == ["leaning.jpg"] and added[0].event_id
    kept = Image.open(io.BytesIO(store.read_sync(attachments_db.file_data, added[0].id)))
    assert not kept.getexif()  # the location went with the metadata
    found = store.read_sync(requests_db.by_id, tree["id"])
    assert found.officer_flag == "information_added"
    staff_page = tree["officer"].get(tree["staff_page"]).text
    item = next(i for i in staff_page.split('<li class="tb-timeline__item">')[1:]
                if "The resident added information" in i)
    assert "It leans over the road" in item and f"/files/{added[0].id}/thumbnail" in item
    assert "New information" in tree["officer"].get("/staff/inbox").text
    assert f"{track}/files/{added[0].id}/thumbnail" in resident.get(track).text


def test_account_pages_offer_the_same_copy_and_actions(world, signed_in_resident):
    client, request_id = signed_in_resident
    page = client.get(f"/account/requests/{request_id}").text
    token = tracking_token(world.store, world.settings, request_id)
    assert "What you sent" in page and 'data-tb-print hidden' in page
    assert f'action="/account/requests/{request_id}/withdraw"' in page
    r = post(client, f"/account/requests/{request_id}/information", {"information": "Hi"},
             f"/account/requests/{request_id}",
             [("files", ("a.png", photo((30, 30), "RGBA"), "image/png"))])
    assert r.status_code == 303
    page = client.get(f"/account/requests/{request_id}").text
    assert f"/track/{token}/files/" in page
    r = post(client, f"/account/requests/{request_id}/withdraw", {"reason": "Sorted"},
             f"/account/requests/{request_id}")
    assert r.status_code == 303
    found = world.store.read_sync(requests_db.by_id, request_id)
    assert (found.status, found.outcome) == ("closed_no_action", "withdrawn")


@pytest.fixture
def signed_in_resident(world):
    from tests.passkey_authenticator import resident, sign_in_with_new_passkey
    email = "first.resident@example.com"
    resident_id = resident(world.store, email)
    request_id = make_request(world.store, "environmental-health", email)
    client = world.client()
    sign_in_with_new_passkey(client, world.store, world.settings.origin, "resident",
                             resident_id)
    return client, request_id


def test_tracking_page_says_when_to_expect_a_reply_until_the_council_answers(tree):
    arrived = datetime.now(UTC).astimezone(COUNCIL_TIME).date()
    due = i18n.format_date(add_working_days(arrived, 5), "en", "full")
    assert f"We aim to reply by {due}." in tree["resident"].get(tree["track"]).text
    update(tree, {"status": "in_progress"})
    assert "We aim to reply by" not in tree["resident"].get(tree["track"]).text
