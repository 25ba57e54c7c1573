"""Issue 12 in Chromium: choosing a reply template fills the message and the status (the
script, under the CSP, without an inline handler); the "Use this template" button is for
JavaScript off; the staff request page and the closures page pass axe in English and
Arabic."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from server import i18n
from server.db import closures as closures_db
from server.db.seed import STAFF
from tests.axe import assert_accessible
from tests.passkey_authenticator import make_request, sign_in_with_new_passkey, staff_id
from tests.support import live_app

pytestmark = pytest.mark.browser
PLANNER = next(s[0] for s in STAFF if s[2] == "planning_officer")
ADMIN = next(s[0] for s in STAFF if s[2] == "admin")
ADD = {code: i18n.Gettext(code).gettext("Add closure") for code in ("en", "ar")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with live_app(tmp_path_factory.mktemp("replies") / "data") as (built, server):
        yield {"url": server.url, "built": built}


def signed_in(page: Page, site: dict[str, Any], email: str, locale: str = "en") -> Page:
    built, url = site["built"], site["url"]
    with httpx.Client(base_url=url) as http:
        sign_in_with_new_passkey(http, built.store, url, "staff", staff_id(built.store, email))
        cookies = [{"name": c.name, "value": c.value, "url": url} for c in http.cookies.jar]
    context = page.context.browser.new_context(locale="en-GB")
    context.add_cookies(cookies + [{"name": i18n.COOKIE, "value": locale, "url": url}])
    return context.new_page()


def test_choosing_a_template_fills_the_message_and_status(page: Page, site):
    request_id = make_request(site["built"].store, "planning", "a@example.com",
                              "tree-enquiry")
    officer = signed_in(page, site, PLANNER)
    problems: list[str] = []
    officer.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    officer.goto(f"{site['url']}/staff/requests/{request_id}")
    expect(officer.get_by_role("button", name="Use this template")).to_have_count(0)
    officer.get_by_label("Start from a template (optional)").select_option("more-information")
    message = officer.get_by_label("Message to the resident (optional)")
    expect(message).to_have_value(
        __import__("re").compile(r"^To carry on with your request MLC-"))
    expect(officer.get_by_label("New status")).to_have_value("waiting_resident")
    assert_accessible(officer)
    # An edited message is not replaced without asking; refusing keeps it.
    message.fill("My own words")
    officer.once("dialog", lambda d: d.dismiss())
    officer.get_by_label("Start from a template (optional)").select_option("in-progress")
    expect(message).to_have_value("My own words")
    officer.get_by_role("button", name="Update the request").click()
    officer.wait_for_url(f"{site['url']}/staff/requests/{request_id}")
    expect(officer.locator("#pauses")).to_be_visible()
    assert problems == []


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_new_pages_pass_axe(page: Page, site, locale):
    request_id = make_request(site["built"].store, "planning", "a@example.com",
                              "tree-enquiry")
    officer = signed_in(page, site, PLANNER, locale)
    officer.goto(f"{site['url']}/staff/requests/{request_id}")
    assert_accessible(officer)
    site["built"].store.write_sync(closures_db.add_closure, date(2030, 1, 3), "Local", "t")
    admin = signed_in(page, site, ADMIN, locale)
    admin.goto(f"{site['url']}/admin/closures")
    expect(admin.locator("#closures")).to_be_visible()
    assert_accessible(admin)
    # An error, with its summary.
    admin.get_by_role("button", name=ADD[locale]).click()
    expect(admin.locator("#error-summary")).to_be_visible()
    assert_accessible(admin)
    for path in ("/admin/replies", "/admin/replies/more-information"):
        admin.goto(f"{site['url']}{path}")
        assert_accessible(admin)
