"""Passkeys and resident sign-in for real, in Chromium with its virtual authenticator
(WebAuthn over CDP) and a real local SMTP server; axe on every new page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from server.db.staff import create_invite
from tests.axe import assert_accessible
from tests.mailbox import start_smtp
from tests.passkey_authenticator import make_request
from tests.support import live_app

pytestmark = pytest.mark.browser

AUTHENTICATOR = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                 "hasUserVerification": True, "isUserVerified": True,
                 "automaticPresenceSimulation": True}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    controller, mailbox = start_smtp()
    with live_app(tmp_path_factory.mktemp("auth") / "data", TOLBOOTH_SMTP_HOST="127.0.0.1",
                  TOLBOOTH_SMTP_PORT=str(mailbox.port),
                  TOLBOOTH_STAFF_IDLE_MINUTES="5") as (built, server):
        yield {"url": server.url, "store": built.store, "mailbox": mailbox, "built": built}
    controller.stop()


NO_CONDITIONAL_MEDIATION = (
    "PublicKeyCredential.isConditionalMediationAvailable = async () => false;")


@pytest.fixture(autouse=True)
def _fresh_email_limit(site):
    """Sign-in emails are limited per address and client; the app lives for the module."""
    site["built"].fresh_rate_limits()


def authenticator(page: Page) -> tuple[Any, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return cdp, added["authenticatorId"]


def enrol(page: Page, site: dict[str, Any], email: str, role: str, name: str) -> None:
    token = site["store"].write_sync(create_invite, email, role, "Test Officer", "test")
    page.goto(f"{site['url']}/enrol/{token}")
    expect(page.get_by_role("heading", name="What is a passkey?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name this passkey (optional)").fill(name)
    page.get_by_role("button", name="Create a passkey").click()


def test_invite_register_sign_out_sign_in_second_passkey_and_revoked(page: Page, site):
    url = site["url"]
    cdp, first = authenticator(page)
    enrol(page, site, "planner.browser@midlothian.example", "planning_officer", "Laptop")
    expect(page).to_have_url(f"{url}/staff/inbox")
    expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
    assert_accessible(page)

    # Conditional mediation: the virtual authenticator answers the sign-in page's
    # background request at once (a person would pick the passkey from autofill).
    page.get_by_role("button", name="Sign out").first.click()
    expect(page).to_have_url(f"{url}/staff/inbox")

    # From here on the browser offers no conditional mediation: the button is the way.
    page.add_init_script(NO_CONDITIONAL_MEDIATION)
    page.get_by_role("button", name="Sign out").first.click()
    expect(page).to_have_url(f"{url}/sign-in?done=signed-out")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(f"{url}/staff/inbox")

    # A second passkey, on a second device (the first device holds the person's first
    # credential, which the browser is told to exclude).
    page.goto(f"{url}/account/passkeys")
    assert_accessible(page)
    cdp.send("WebAuthn.setUserVerified", {"authenticatorId": first, "isUserVerified": True})
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": first})
    _cdp, second = authenticator(page)
    page.get_by_label("Name this passkey (optional)").fill("Phone")
    page.get_by_role("button", name="Create a passkey").click()
    expect(page.get_by_role("heading", name="Phone")).to_be_visible()
    expect(page.get_by_role("heading", name="Laptop")).to_be_visible()

    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(f"{url}/staff/inbox")

    # Remove ("revoke") the phone's passkey: signing in with it now fails, with a message.
    page.goto(f"{url}/account/passkeys")
    page.get_by_role("button", name="Remove Phone").click()
    expect(page.get_by_role("heading", name="Phone")).to_have_count(0)
    page.get_by_role("button", name="Sign out").first.click()
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "We could not sign you in with that passkey")
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_sign_in_page_is_accessible(page: Page, site):
    page.goto(f"{site['url']}/sign-in")
    expect(page.get_by_label("Email address")).to_have_attribute("autocomplete",
                                                                 "username webauthn")
    assert_accessible(page)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("alert", name="There is a problem")).to_be_visible()
    assert_accessible(page)


def test_account_page_is_accessible(page: Page, site):
    authenticator(page)
    enrol(page, site, "hub.browser@midlothian.example", "hub_staff", "Kiosk key")
    expect(page).to_have_url(f"{site['url']}/account")
    assert_accessible(page)


def test_staff_are_warned_before_the_idle_sign_out_and_can_stay(page: Page, site):
    page.add_init_script(NO_CONDITIONAL_MEDIATION)  # or the sign-in page signs them back in
    authenticator(page)
    enrol(page, site, "eh.browser@midlothian.example", "environmental_health_officer", "Key")
    expect(page).to_have_url(f"{site['url']}/staff/inbox")
    page.clock.install()
    page.reload()
    dialog = page.get_by_role("dialog", name="Do you want to stay signed in?")
    expect(dialog).to_be_hidden()
    page.clock.run_for("02:01")  # idle 5 minutes: warned 3 minutes before
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You will be signed out in 3 minutes")
    for _ in range(10):  # extendable again and again (WCAG 2.2.1 asks at least 10 times)
        dialog.get_by_role("button", name="Stay signed in").click()
        expect(dialog).to_be_hidden()
        expect(page.locator("#tb-timeout-status")).to_have_text("You are still signed in.")
        page.clock.run_for("02:01")
        expect(dialog).to_be_visible()
    page.clock.run_for("03:00")
    expect(page).to_have_url(f"{site['url']}/sign-in?done=timed-out")
    expect(page.get_by_text("You were signed out because")).to_be_visible()
    page.goto(f"{site['url']}/staff/inbox")
    expect(page).to_have_url(f"{site['url']}/sign-in")


def test_resident_signs_in_with_an_emailed_link(page: Page, browser, site):
    url, mailbox = site["url"], site["mailbox"]
    address = "browser.resident@example.com"
    mine = make_request(site["store"], "environmental-health", address)
    page.goto(f"{url}/sign-in")
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = mailbox.sign_in_link(address)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{url}/account/requests")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^MLC-")).click()
    expect(page).to_have_url(f"{url}/account/requests/{mine}")
    assert_accessible(page)

    other = browser.new_context()
    try:
        stranger = other.new_page()
        second = "someone.else@example.com"
        stranger.goto(f"{url}/sign-in")
        stranger.get_by_label("Email address").fill(second)
        stranger.get_by_role("button", name="Send me a link").click()
        stranger.goto(mailbox.sign_in_link(second))
        stranger.get_by_role("button", name="Sign in").click()
        expect(stranger).to_have_url(f"{url}/account/requests")
        response = stranger.goto(f"{url}/account/requests/{mine}")
        assert response is not None and response.status == 404
    finally:
        other.close()
