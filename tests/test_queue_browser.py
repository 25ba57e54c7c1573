"""Issue 12 in real Chromium: the queue's filter form, a bulk change checked first, the
workload, and the request page's assignment forms; axe on each page, in English and
Arabic (right to left)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from server import i18n
from server.db import requests as requests_db
from tests.axe import assert_accessible
from tests.passkey_authenticator import make_request, sign_in_with_new_passkey, staff_id

pytestmark = pytest.mark.browser
MANAGER = "planning.manager@midlothian.example"


def signed_in(page: Page, base_url: str, built: Any) -> None:
    client = built.client()
    sign_in_with_new_passkey(client, built.store, built.settings.origin, "staff",
                             staff_id(built.store, MANAGER))
    page.context.add_cookies([{"name": c.name, "value": c.value or "", "url": base_url}
                              for c in client.cookies.jar])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_queue_bulk_and_workload_work_without_script_errors_and_pass_axe(
        page: Page, base_url: str, live_world: Any, lang: str):
    built = live_world[0]
    request_id = make_request(built.store, "planning", "a@example.com", "tree-enquiry")
    reference = built.store.read_sync(requests_db.by_id, request_id).reference
    signed_in(page, base_url, built)
    page.context.add_cookies([{"name": i18n.COOKIE, "value": lang, "url": base_url}])
    page.goto(f"{base_url}/staff/inbox?q={reference}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#inbox-count")).to_contain_text("1")
    assert_accessible(page)
    page.locator(f"#pick-{request_id}").check(force=True)
    page.locator("#bulk-action").select_option("priority:urgent")
    page.locator("#bulk button[type=submit]").click()
    expect(page.locator("#bulk-rows")).to_contain_text(reference)
    assert_accessible(page)
    page.locator("form[action='/staff/inbox/bulk'] button[type=submit]").click()
    expect(page.locator("#bulk-done")).to_contain_text(reference)
    assert_accessible(page)
    assert built.store.read_sync(requests_db.by_id, request_id).priority == "urgent"
    page.goto(f"{base_url}/staff/workload")
    expect(page.locator("#per-officer")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base_url}/staff/requests/{request_id}")
    page.locator("#take-it button").click()
    expect(page.locator("#assigned-now")).to_contain_text("Graham Planning")
    assert_accessible(page)
