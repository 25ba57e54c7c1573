"""Adding and confirming a mobile number in real Chromium, by keyboard alone, with the
text going through the Notify stub, and axe finding nothing on any page of the way."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from server.db import Store, people
from server.db import requests as requests_db
from tests.axe import assert_accessible
from tests.notify_stub import start_notify
from tests.support import live_app

pytestmark = pytest.mark.browser
EMAIL = "keyboard.resident@example.com"
MOBILE = "+447912345678"  # only ever sent to the stub


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    notify, notify_server = start_notify()
    with live_app(tmp_path_factory.mktemp("phone") / "data",
                  TOLBOOTH_NOTIFY_API_KEY=notify.api_key, TOLBOOTH_NOTIFY_BASE_URL=notify.url,
                  TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID=notify.template_id) as (built, server):
        yield {"url": server.url, "store": built.store, "notify": notify}
    notify_server.stop()


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element has focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reachable with Tab")


def earlier_request(store: Store) -> str:
    new = requests_db.NewRequest(
        id=str(uuid.uuid4()), journey="noise-complaint", service="environmental-health",
        form_version=1, answers={"details": "Loud music"}, channel="web",
        special_category=False, contact_name="Phone Person", contact_email=None,
        contact_phone=MOBILE, locale="en")
    made = store.write_sync(requests_db.create_request, new,
                            lambda: f"MLC-{uuid.uuid4().hex[:4].upper()}-PHON")
    return str(made.request.reference)


def test_resident_confirms_a_mobile_number_by_keyboard(page: Page, site):
    url, notify = site["url"], site["notify"]
    reference = earlier_request(site["store"])
    page.goto(f"{url}/sign-in/link/{site['store'].write_sync(people.create_email_link, EMAIL)}")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}/account/requests")
    expect(page.get_by_text(reference)).to_have_count(0)

    page.goto(f"{url}/account")
    tab_to(page, 'a[href="/account/phone"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mobile phone number")
    assert_accessible(page)

    tab_to(page, "#phone")
    page.keyboard.press("Enter")  # sent empty: the error summary
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_accessible(page)

    tab_to(page, "#phone")
    page.keyboard.type("07912 345 678")
    page.keyboard.press("Enter")
    expect(page.get_by_text("We have sent a text message with a link to 07912 345678")
           ).to_be_visible()
    assert_accessible(page)

    page.goto(notify.link_in(MOBILE))  # opening the link in the text
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your mobile number")
    assert_accessible(page)
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your mobile number is confirmed")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{url}/account/requests")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
