"""What a person must see in real Chromium, on a 375 px phone: an officer's previews of
the photos sent, their full view, and the resident's printable copy of what they sent
(issue 15). axe on each page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible
from tests.passkey_authenticator import make_request, sign_in_with_new_passkey, staff_id
from tests.support import tracking_token
from tests.test_request_copies import PLANNER, POLYGLOT, _attach, photo

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}
LOADED = ("() => { const i = [...document.querySelectorAll('img')];"
          " return i.length && i.every(x => x.complete && x.naturalWidth > 0); }")


@pytest.fixture
def tree(live_world: Any) -> dict[str, Any]:
    built = live_world[0]
    request_id = make_request(built.store, "planning", "a@example.com", "tree-enquiry")
    photo_id = _attach(built.store, request_id, "Leaning oak.jpg", photo((1600, 1200)),
                       "image/jpeg")
    _attach(built.store, request_id, "Site plan.pdf", POLYGLOT, "application/pdf")
    return {"built": built, "id": request_id, "photo": photo_id}


def test_officer_sees_previews_and_the_full_photo_on_a_phone(page: Page, base_url: str,
                                                             tree: dict[str, Any]):
    built = tree["built"]
    # Signed in over HTTP against the same app; the browser gets that session's cookie.
    client = built.client()
    sign_in_with_new_passkey(client, built.store, built.settings.origin, "staff",
                             staff_id(built.store, PLANNER))
    page.context.add_cookies([{"name": c.name, "value": c.value or "", "url": base_url}
                              for c in client.cookies.jar])
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/staff/requests/{tree['id']}")
    preview = page.locator(".tb-files__preview")
    # Previews load lazily: on a phone the files are below the fold, under the clock
    # and the assignment forms.
    preview.first.scroll_into_view_if_needed()
    page.wait_for_function(LOADED)
    expect(preview).to_have_count(1)
    box = preview.bounding_box()
    assert box and 100 <= box["width"] <= 170
    expect(page.get_by_role("link", name="Download Site plan.pdf")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.locator(".tb-files__open").click()
    page.wait_for_function(LOADED)
    expect(page.locator("h1")).to_have_text("Leaning oak.jpg")
    width = page.evaluate("document.querySelector('.tb-file-view__image').naturalWidth")
    assert width == 1600  # the photo itself, shown to fit
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)


def test_resident_prints_a_copy_of_what_they_sent(page: Page, base_url: str,
                                                  tree: dict[str, Any]):
    page.add_init_script("window.print = () => { window.__printed = true; };")
    page.set_viewport_size(PHONE)
    token = tracking_token(tree["built"].store, tree["built"].settings, tree["id"])
    page.goto(f"{base_url}/track/{token}")
    page.wait_for_function(LOADED)
    assert_accessible(page)
    button = page.get_by_role("button", name="Print")
    expect(button).to_be_visible()  # shown by the script; hidden without it
    button.click()
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="What you sent")).to_be_visible()
    expect(page.locator(".tb-files__preview")).to_be_visible()
    for hidden in (".ds_site-header", ".ds_site-footer", "#reason", "#information",
                   "[data-tb-print]"):
        expect(page.locator(hidden)).to_be_hidden()
