"""The account's language: chosen with the switcher while signed in, kept on the account,
set as the language cookie on the next sign-in (any device), and used for the emails and
texts sent to that person."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from server import i18n
from server.db import people
from server.db.seed import STAFF
from server.notify.compose import PHONE_LINK_BODY
from server.notify.sms_length import plain
from tests.mailbox import Mailbox
from tests.notify_stub import NotifyStub
from tests.passkey_authenticator import (
    csrf,
    resident,
    sign_in_with_new_passkey,
    staff_id,
)
from tests.support import TestApp

ORIGIN = "http://localhost:8000"
EMAIL = "gaelic.speaker@example.com"


@pytest.fixture
def world(make_app: Callable[..., TestApp], mailbox: Mailbox, notify: NotifyStub) -> TestApp:
    return make_app(TOLBOOTH_SMTP_HOST="127.0.0.1", TOLBOOTH_SMTP_PORT=str(mailbox.port),
                    TOLBOOTH_NOTIFY_API_KEY=notify.api_key,
                    TOLBOOTH_NOTIFY_BASE_URL=notify.url,
                    TOLBOOTH_NOTIFY_SMS_TEMPLATE_ID=notify.template_id)


def choose(client: TestClient, code: str, page: str) -> Any:
    """Press the language switcher's button, as a signed-in person sees it on `page`."""
    html = client.get(page).text
    form = re.search(rf'<form method="post" action="/language/{code}">(.*?)</form>', html,
                     re.S)
    assert form, "no language form for a signed-in person"
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))
    return client.post(f"/language/{code}", data=fields, headers={"Origin": ORIGIN},
                       follow_redirects=False)


def test_a_get_changes_no_stored_language(world):
    """Issue 10: a link or an image on another site could set the account's language."""
    store = world.store
    person_id = resident(store, EMAIL)
    with TestClient(world.app, base_url=ORIGIN) as client:
        sign_in_with_new_passkey(client, store, ORIGIN, "resident", person_id)
        r = client.get("/language/gd?next=/account", follow_redirects=False)
        assert r.status_code == 303 and client.cookies.get(i18n.COOKIE) == "gd"
        assert store.read_sync(people.account_locale, "resident", person_id) is None
        refused = client.post("/language/gd", data={"next": "/account"},
                              headers={"Origin": ORIGIN}, follow_redirects=False)
        assert refused.status_code == 403  # no CSRF token
    assert store.read_sync(people.account_locale, "resident", person_id) is None


def test_signed_out_the_switcher_is_a_plain_link(world):
    with TestClient(world.app, base_url=ORIGIN) as client:
        html = client.get("/help").text
    assert 'href="/language/gd?next=/help"' in html and 'action="/language/' not in html


def post(client: TestClient, path: str, data: dict[str, str], page: str) -> Any:
    token = csrf(client.get(page).text)
    return client.post(path, data={"csrf_token": token, **data}, headers={"Origin": ORIGIN},
                       follow_redirects=False)


@pytest.mark.parametrize("kind", ["resident", "staff"])
def test_a_language_chosen_signed_in_is_set_again_on_the_next_sign_in(world, kind):
    store = world.store
    person_id = resident(store, EMAIL) if kind == "resident" else staff_id(store, STAFF[0][0])
    with TestClient(world.app, base_url=ORIGIN) as first_device:
        sign_in_with_new_passkey(first_device, store, ORIGIN, kind, person_id)
        chosen = choose(first_device, "gd", "/account")
        assert chosen.status_code == 303 and chosen.headers["location"] == "/account"
    assert store.read_sync(people.account_locale, kind, person_id) == "gd"
    with TestClient(world.app, base_url=ORIGIN) as second_device:
        assert second_device.cookies.get(i18n.COOKIE) is None
        sign_in_with_new_passkey(second_device, store, ORIGIN, kind, person_id)
        assert second_device.cookies.get(i18n.COOKIE) == "gd"
        assert 'lang="gd"' in second_device.get("/account").text


def test_choosing_a_language_signed_out_changes_no_account(world):
    store = world.store
    person_id = resident(store, EMAIL)
    with TestClient(world.app, base_url=ORIGIN) as client:
        client.get("/language/pl", follow_redirects=False)
        assert client.cookies.get(i18n.COOKIE) == "pl"
        sign_in_with_new_passkey(client, store, ORIGIN, "resident", person_id)
        assert client.cookies.get(i18n.COOKIE) == "pl"  # no account language to apply
    assert store.read_sync(people.account_locale, "resident", person_id) is None


def test_the_sign_in_email_is_in_the_accounts_language(world, mailbox):
    store = world.store
    person_id = resident(store, EMAIL)
    store.write_sync(people.set_account_locale, "resident", person_id, "gd")
    with TestClient(world.app, base_url=ORIGIN) as client:  # the page is in English
        sent = post(client, "/sign-in/email", {"email": EMAIL}, "/sign-in")
        assert sent.status_code == 200 and "Check your email" in sent.text
    gaelic = i18n.Gettext("gd").gettext("Your sign-in link")
    assert gaelic != "Your sign-in link"
    assert mailbox.wait_for(EMAIL)["Subject"] == gaelic


def test_the_phone_text_is_in_the_accounts_language(world, notify):
    store = world.store
    person_id = resident(store, EMAIL)
    with TestClient(world.app, base_url=ORIGIN) as client:
        sign_in_with_new_passkey(client, store, ORIGIN, "resident", person_id)
        choose(client, "gd", "/account")
        client.cookies.set(i18n.COOKIE, "en")  # the page in English, the account in Gaelic
        post(client, "/account/phone", {"phone": "07912 345 678"}, "/account/phone")
        text = notify.wait_for("+447912345678")
    link = re.search(r"https?://\S+/account/phone/verify/[A-Za-z0-9_-]+", text.body).group(0)
    gaelic = i18n.Gettext("gd").gettext(PHONE_LINK_BODY, council=world.settings.council_name,
                                        minutes=30, link=link)
    # Typographic apostrophes become plain ones in texts (as Notify does): GSM has them.
    assert text.body == plain(gaelic) and gaelic.startswith(world.settings.council_name)
