"""A shared browser (a library's, a friend's phone), issue 10: after one person sends a
request, the next person on the same browser is offered nothing of theirs: no contact
details, no confirmation page, no reference, no tracking link; and no page that shows a
person's data is kept by the browser's cache."""

from __future__ import annotations

import re

import pytest

from tests.journey_answers import CONTACT
from tests.passkey_authenticator import resident, sign_in_with_new_passkey, staff_id
from tests.support import csrf
from tests.test_newcomer_fixes import ORIGIN, answer, post

SLUG = "pest-control"
REFERENCE = re.compile(r"MLC-[A-Z0-9]{4}-[A-Z0-9]{4}")


def send(client, app, slug=SLUG):
    check = answer(client, app, slug)
    page = client.get(check)
    done = client.post(check, data={"csrf_token": csrf(page.text), "submission_id": re.search(
        r'name="submission_id" value="([^"]+)"', page.text).group(1)}, headers=ORIGIN)
    assert done.status_code == 200 and "Request sent" in done.text, done.text[:500]
    return done


def test_the_confirmation_page_is_shown_once_to_the_sender(client, app):
    first = send(client, app)
    reference = REFERENCE.search(first.text).group(0)
    assert "/track/" in first.text
    again = client.get(f"/services/{SLUG}/done")
    assert reference not in again.text and "/track/" not in again.text


def test_the_next_person_is_not_offered_the_last_persons_contact_details(client, app):
    send(client, app)
    other = "noise-complaint"
    contact_url = answer(client, app, other, upto="contact")
    page = client.get(contact_url)
    assert page.status_code == 200
    assert CONTACT["email"] not in page.text and CONTACT["name"] not in page.text
    assert "use_saved_contact" not in page.text
    # Asking for them anyway gets nothing: the contact page comes back to be filled.
    r = post(client, contact_url, {"use_saved_contact": "yes"}, page)
    assert r.status_code != 303 or not r.headers["location"].endswith("/check")


def test_before_sending_the_same_person_is_offered_their_details_again(client, app):
    """WCAG 3.3.7 (redundant entry) still holds while the person is still filling in."""
    answer(client, app, SLUG)  # reaches check your answers, not sent
    contact_url = answer(client, app, "noise-complaint", upto="contact")
    assert CONTACT["email"] in client.get(contact_url).text


def test_back_after_sending_names_no_reference_and_no_tracking_link(client, app):
    done = send(client, app)
    reference = REFERENCE.search(done.text).group(0)
    first_page = app.state.forms.latest(SLUG).pages[0].id
    for back in (f"/services/{SLUG}/check", f"/services/{SLUG}/{first_page}"):
        r = client.get(back)
        assert "You have already sent this" in r.text, back
        assert reference not in r.text and "/track/" not in r.text, back


def test_a_signed_in_resident_keeps_their_details_offered(app, store, settings):
    from starlette.testclient import TestClient
    with TestClient(app, base_url=settings.origin) as client:
        sign_in_with_new_passkey(client, store, settings.origin, "resident",
                                 resident(store, "kept.details@example.com"))
        send(client, app)
        contact_url = answer(client, app, "noise-complaint", upto="contact")
        assert CONTACT["email"] in client.get(contact_url).text


PERSONAL_PAGES = (
    f"/services/{SLUG}/{{first}}", f"/services/{SLUG}/contact", f"/services/{SLUG}/check",
)


def test_journey_pages_and_the_confirmation_are_not_cached(client, app):
    first = app.state.forms.latest(SLUG).pages[0].id
    answer(client, app, SLUG)
    for url in PERSONAL_PAGES:
        r = client.get(url.format(first=first))
        assert r.status_code == 200, url
        assert r.headers["cache-control"] == "no-store", url
    done = send(client, app, "noise-complaint")
    assert done.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("kind,email,pages", [
    ("resident", None, ("/account", "/account/passkeys", "/account/requests")),
    ("staff", "admin@midlothian.example", ("/account", "/account/passkeys", "/staff/inbox",
                                           "/admin/staff")),
])
def test_signed_in_pages_are_not_cached(app, store, settings, kind, email, pages):
    from starlette.testclient import TestClient
    person = (resident(store, "no.cache@example.com") if kind == "resident"
              else staff_id(store, email))
    with TestClient(app, base_url=settings.origin) as client:
        sign_in_with_new_passkey(client, store, settings.origin, kind, person)
        for url in pages:
            r = client.get(url)
            assert r.status_code == 200, url
            assert r.headers["cache-control"] == "no-store", url
