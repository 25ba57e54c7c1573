"""Issue 13: "Ask for help" reaches the hub's staff; assisted mode's code (wrong,
expired, guessed, another hub's); consent; the request's help record for its officer."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from server.db import audit, kiosk_help, kiosks
from server.db import requests as requests_db
from server.kiosk.device import KIOSK_COOKIE, kiosk_cookie_value
from tests.passkey_authenticator import Browserless, sign_in_with_new_passkey, staff_id
from tests.support import csrf
from tests.test_journeys_http import walk

HUB = "hub.staff@midlothian.example"  # Morag Hub, Dalkeith
ADMIN = "admin@midlothian.example"
PLANNER = "planning.officer@midlothian.example"


def staff(app, store, settings, email) -> Browserless:
    client = TestClient(app, base_url=settings.origin)
    sign_in_with_new_passkey(client, store, settings.origin, "staff", staff_id(store, email))
    return Browserless(client, settings.origin)


def kiosk_browser(app, store, settings, hub="dalkeith", label="By the door") -> TestClient:
    client_id = store.write_sync(kiosks.enrol, hub, label, "test", "staff:test").id
    browser = TestClient(app, base_url=settings.origin)
    browser.cookies.set(KIOSK_COOKIE, kiosk_cookie_value(settings, client_id))
    browser.client_id = client_id  # type: ignore[attr-defined]
    return browser


def post(browser, path, data=None, page="/kiosk", **kwargs):
    token = csrf(browser.get(page).text)
    return browser.post(path, data={"csrf_token": token, **(data or {})},
                        follow_redirects=False, **kwargs)


def test_ask_for_help_reaches_the_hubs_staff_view_and_they_answer(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    asked = post(kiosk, "/kiosk/help", {"next": "/kiosk/services"})
    assert asked.status_code == 303
    assert asked.headers["location"] == "/kiosk/help?next=/kiosk/services"
    page = kiosk.get(asked.headers["location"])
    assert "Someone is coming" in page.text and 'href="/kiosk/services"' in page.text
    # with htmx: the answer is the status fragment alone
    fragment = post(kiosk, "/kiosk/help", headers={"HX-Request": "true"})
    assert "Someone is coming" in fragment.text and "<html" not in fragment.text
    morag = staff(app, store, settings, HUB)
    view = morag.client.get("/staff/hub")
    assert view.status_code == 200 and "1 person is waiting for help" in view.text
    assert "By the door" in view.text
    # Penicuik's kiosk asking does not show at Dalkeith; an admin sees both.
    post(kiosk_browser(app, store, settings, "penicuik", "Penicuik desk"), "/kiosk/help")
    assert "Penicuik desk" not in morag.client.get("/staff/hub").text
    assert "Penicuik desk" in staff(app, store, settings, ADMIN).client.get("/staff/hub").text
    help_id = re.search(r'action="/staff/hub/help/(\d+)"', view.text).group(1)
    on_way = morag.post_form(f"/staff/hub/help/{help_id}", {"status": "on_way"}, "/staff/hub")
    assert on_way.status_code == 303
    assert "Morag Hub is on their way" in kiosk.get("/kiosk/help").text
    morag.post_form(f"/staff/hub/help/{help_id}", {"status": "done"}, "/staff/hub")
    assert "0 people are waiting for help" in morag.client.get("/staff/hub").text
    actions = [e.action for e in store.read_sync(audit.entries, 200)]
    assert "kiosk_help_on_way" in actions and "kiosk_help_done" in actions


def test_help_needs_a_kiosk_and_the_csrf_token(client, app, store, settings):
    token = csrf(client.get("/track").text)
    assert client.post("/kiosk/help", data={"csrf_token": token},
                       follow_redirects=False).status_code == 404
    kiosk = kiosk_browser(app, store, settings)
    assert kiosk.post("/kiosk/help", data={}, follow_redirects=False).status_code == 403
    assert store.read_sync(kiosk_help.open_help, None) == []


def test_another_hubs_staff_cannot_answer_a_help_request(app, store, settings):
    post(kiosk_browser(app, store, settings, "penicuik"), "/kiosk/help")
    help_id = store.read_sync(kiosk_help.open_help, None)[0].id
    morag = staff(app, store, settings, HUB)
    refused = morag.post_form(f"/staff/hub/help/{help_id}", {"status": "done"}, "/staff/hub")
    assert refused.status_code == 404
    assert store.read_sync(kiosk_help.open_help, None)[0].status == "open"


def code_on(kiosk) -> str:
    page = kiosk.get("/kiosk/assist")
    assert page.status_code == 200
    return re.search(r'class="tb-kiosk-code"><span aria-hidden="true">([A-Z0-9]{6})<',
                     page.text).group(1)


def test_wrong_expired_and_other_hubs_codes_are_refused(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    code = code_on(kiosk)
    assert set(code) <= set(kiosk_help.CODE_ALPHABET)
    assert code_on(kiosk) == code  # the same visit keeps its code
    morag = staff(app, store, settings, HUB)
    wrong = "A" * 6 if code != "A" * 6 else "C" * 6
    refused = morag.post_form("/staff/hub/join", {"code": wrong}, "/staff/hub")
    assert refused.status_code == 400 and "That code is not right" in refused.text
    # Penicuik's staff (an admin limited to nothing would see all: use a hub's) cannot
    # join Dalkeith's visit: here, a Penicuik kiosk's code for Morag.
    other = code_on(kiosk_browser(app, store, settings, "penicuik"))
    assert morag.post_form("/staff/hub/join", {"code": other},
                           "/staff/hub").status_code == 400
    store.write_sync(lambda db: db.execute(
        "UPDATE kiosk_assisted_sessions SET expires_at = '2020-01-01T00:00:00.000Z'"
        " WHERE code = ?", [code]))
    expired = morag.post_form("/staff/hub/join", {"code": code}, "/staff/hub")
    assert expired.status_code == 400
    assert "is helping you" not in kiosk.get("/kiosk/assist").text
    assert code_on(kiosk) != code  # a new code for the visit
    refusals = [e for e in store.read_sync(audit.entries, 200)
                if e.action == "kiosk_assist_code_refused"]
    assert len(refusals) == 3


def test_guessing_codes_is_rate_limited(app, store, settings):
    morag = staff(app, store, settings, HUB)
    statuses = [morag.post_form("/staff/hub/join", {"code": f"AAAA{c}{c}"},
                                "/staff/hub").status_code for c in "CDEFHJKMNPRT"]
    assert statuses[:10] == [400] * 10 and statuses[10:] == [429, 429]


def test_a_request_made_with_help_shows_it_to_the_officer(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    code = code_on(kiosk)
    morag = staff(app, store, settings, HUB)
    joined = morag.post_form("/staff/hub/join", {"code": code.lower()}, "/staff/hub")
    assert joined.status_code == 303 and joined.headers["location"].startswith("/staff/hub")
    page = kiosk.get("/kiosk/assist").text
    assert "Morag Hub from Dalkeith Library is helping you" in page
    assert "May Morag Hub fill in answers for you?" in page
    consent = post(kiosk, "/kiosk/assist/consent", {"consent": "yes"}, page="/kiosk/assist")
    assert consent.status_code == 303
    assert "You said they may fill in answers for you" in kiosk.get("/kiosk/assist").text
    done, request_id = walk(kiosk, app, "noise-complaint")
    assert done.status_code == 200
    stored = store.read_sync(requests_db.by_id, request_id)
    assert stored.channel == "kiosk"
    helped = store.read_sync(kiosk_help.assistance, request_id)
    assert helped.staff_name == "Morag Hub" and helped.hub_name == "Dalkeith Library"
    assert helped.consent is True and helped.filled_in is True
    assert any(e.action == "request_made_with_help" and e.subject == f"request:{request_id}"
               for e in store.read_sync(audit.entries, 200))
    officer = staff(app, store, settings, "eh.officer@midlothian.example")
    page = officer.client.get(f"/staff/requests/{request_id}").text
    assert "Made with help from Morag Hub at Dalkeith Library" in page
    assert "with the resident’s consent" in page
    assert stored.reference in morag.client.get("/staff/hub").text


def test_without_a_joined_visit_nothing_is_recorded(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    code_on(kiosk)  # a code nobody used
    _done, request_id = walk(kiosk, app, "noise-complaint")
    assert store.read_sync(kiosk_help.assistance, request_id) is None


@pytest.mark.parametrize("email", [PLANNER, "resident@example.org"])
def test_only_hub_staff_and_admins_open_the_hub_view(app, store, settings, email):
    if "@midlothian" in email:
        other = staff(app, store, settings, email)
        assert other.client.get("/staff/hub", follow_redirects=False).status_code == 403
    else:
        anonymous = TestClient(app, base_url=settings.origin)
        assert anonymous.get("/staff/hub", follow_redirects=False).status_code == 303


def test_finish_ends_the_visits_assisted_session(app, store, settings):
    kiosk = kiosk_browser(app, store, settings)
    code = code_on(kiosk)
    morag = staff(app, store, settings, HUB)
    assert morag.post_form("/staff/hub/join", {"code": code}, "/staff/hub").status_code == 303
    assert "is helping you" in kiosk.get("/kiosk/assist").text
    assert post(kiosk, "/kiosk/finish").headers["location"] == "/kiosk"
    # The next person gets a new code, and what they send records nobody's help.
    assert "is helping you" not in kiosk.get("/kiosk/assist").text
    _done, request_id = walk(kiosk, app, "noise-complaint")
    assert store.read_sync(kiosk_help.assistance, request_id) is None
    assert store.read_sync(lambda db: db.execute(
        "SELECT COUNT(*) FROM kiosk_assisted_sessions WHERE code = ? AND ended_at IS NOT NULL",
        [code]).fetchone()[0]) == 1
