"""Done when: a resident sends a request in Gaelic with email and text chosen; the
acknowledgement reaches the SMTP server and the local Notify endpoint; an officer changes
the status with a message; the resident gets both, in Gaelic; the staff timeline shows
both delivered after Notify's receipts; the resident replies by text and the officer
sees it. Real Chromium, a real SMTP server, the local Notify endpoint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from server import i18n
from server.casework.status import STATUS
from server.db.seed import STAFF
from tests.axe import assert_accessible
from tests.journey_answers import page_fields
from tests.mailbox import start_smtp
from tests.notify_stub import start_notify
from tests.notify_support import CALLBACK_TOKEN, EMAIL, MOBILE, wait_until
from tests.passkey_authenticator import sign_in_with_new_passkey, staff_id
from tests.support import live_app

pytestmark = pytest.mark.browser
OFFICER = next(s[0] for s in STAFF if s[2] == "environmental_health_officer")
GD = i18n.Gettext("gd")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    controller, mailbox = start_smtp()
    notify, notify_server = start_notify()
    with live_app(tmp_path_factory.mktemp("notify") / "data",
                  TOLBOOTH_SMTP_HOST="127.0.0.1", TOLBOOTH_SMTP_PORT=str(mailbox.port),
                  TOLBOOTH_NOTIFY_API_KEY=notify.api_key, TOLBOOTH_NOTIFY_BASE_URL=notify.url,
                  TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID=notify.template_id,
                  TOLBOOTH_NOTIFY_CALLBACK_TOKEN=CALLBACK_TOKEN) as (built, server):
        yield {"url": server.url, "built": built, "mailbox": mailbox, "notify": notify}
    notify_server.stop()
    controller.stop()


def tick(page: Page, input_id: str) -> None:
    """SGDS draws its own radios and checkboxes: a person clicks the label."""
    page.locator(f"label[for='{input_id}']").click()
    expect(page.locator(f"#{input_id}")).to_be_checked()


def fill_page(page: Page, fields: dict[str, Any]) -> None:
    """Answer a question page by its fields' names (the page is in Gaelic)."""
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        radios = page.locator(f"input[name='{name}'][type=radio], "
                              f"input[name='{name}'][type=checkbox]")
        if radios.count():
            for one in values:
                tick(page, f"{name}-{one}")
        else:
            page.locator(f"[name='{name}']").fill(str(values[0]))


def send_in_gaelic(page: Page, url: str, slug: str, journey: Any) -> str:
    page.goto(f"{url}/language/gd?next=/services/{slug}/{journey.pages[0].id}")
    chosen: dict[str, Any] = {}
    for _ in range(len(journey.pages) + 1):
        page_id = page.url.rsplit("/", 1)[1]
        if page_id == "contact":
            break
        fill_page(page, page_fields(next(p for p in journey.pages if p.id == page_id), chosen))
        page.locator("#continue").click()
        page.wait_for_url(lambda u, before=page.url: u != before)
    expect(page.locator("html")).to_have_attribute("lang", "gd")
    tick(page, "how-email")
    tick(page, "updates-both")  # reveals the email address and the number
    expect(page.locator("#phone")).to_be_visible()
    page.locator("#name").fill("Morag NicLeòid")
    page.locator("#email").fill(EMAIL)
    page.locator("#phone").fill("07912 345678")
    page.locator("#continue").click()
    page.wait_for_url(re.compile(r"/check$"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/done$"))
    return re.search(r"MLC-[2-9A-Z]{4}-[2-9A-Z]{4}", page.locator("main").inner_text()).group(0)


def officer_page(page: Page, site: dict[str, Any]) -> Page:
    """A second browser context, signed in as the officer (passkey over HTTP, then the
    session cookie handed to the browser)."""
    built, url = site["built"], site["url"]
    with httpx.Client(base_url=url) as http:
        sign_in_with_new_passkey(http, built.store, url, "staff",
                                 staff_id(built.store, OFFICER))
        cookies = [{"name": c.name, "value": c.value, "url": url} for c in http.cookies.jar]
    context = page.context.browser.new_context(locale="en-GB")
    context.add_cookies(cookies)
    return context.new_page()


def test_a_gaelic_resident_hears_what_happens_by_email_and_text(page: Page, site):
    built, url = site["built"], site["url"]
    mailbox, notify = site["mailbox"], site["notify"]
    journey = built.app.state.forms.latest("pest-control")
    reference = send_in_gaelic(page, url, "pest-control", journey)

    acknowledged = mailbox.wait_for(EMAIL)
    assert not acknowledged["Subject"].startswith("We have")  # Gaelic, not English
    assert acknowledged["Subject"] == GD.gettext(
        "We have received your request %(reference)s", reference=reference)
    assert reference in notify.wait_for(MOBILE).body

    officer = officer_page(page, site)
    request_id = built.store.read_sync(lambda db: db.execute(
        "SELECT id FROM requests WHERE reference = ?", [reference]).fetchone()[0])
    officer.goto(f"{url}/staff/requests/{request_id}")
    officer.get_by_label("New status").select_option("in_progress")
    officer.get_by_label("Message to the resident (optional)").fill(
        "We will visit on Monday morning.")
    officer.get_by_role("button", name="Update the request").click()
    officer.wait_for_url(f"{url}/staff/requests/{request_id}")

    wait_until(lambda: len(mailbox.to(EMAIL)) == 2 and len(notify.texts_to(MOBILE)) == 2,
               what="the update by email and text")
    update = mailbox.to(EMAIL)[-1]
    assert update["Subject"] == GD.gettext("Your request %(reference)s has been updated",
                                           reference=reference)
    assert "We will visit on Monday morning." in update.get_body(("plain",)).get_content()
    text = notify.texts_to(MOBILE)[-1]
    assert GD.gettext(STATUS["in_progress"]).replace("’", "'") in text.body
    assert "STOP" in text.body and not text.body.startswith("Request")

    # Notify's receipts for both texts; the timeline shows each message delivered.
    with httpx.Client(base_url=url) as http:
        for sent in notify.texts_to(MOBILE):
            assert notify.post_receipt(http, sent, CALLBACK_TOKEN).status_code == 200
    officer.reload()
    timeline = officer.locator(".tb-timeline")
    expect(timeline.locator("[data-tb-delivery=delivered]")).to_have_count(2)
    expect(timeline.get_by_text("Text delivered")).to_have_count(2)
    expect(timeline.get_by_text("Email sent")).to_have_count(2)

    # The resident replies by text; the officer sees it on the request.
    with httpx.Client(base_url=url) as http:
        replied = notify.post_received_text(http, MOBILE.removeprefix("+"),
                                            "Monday is fine, the gate will be open.",
                                            CALLBACK_TOKEN)
        assert replied.json() == {"status": "information"}
    officer.reload()
    expect(timeline.get_by_text("Information sent by text message")).to_be_visible()
    expect(timeline.get_by_text("Monday is fine, the gate will be open.")).to_be_visible()
    assert_accessible(officer)
    officer.context.close()
