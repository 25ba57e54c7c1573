"""What a browser or proxy may keep: nothing personal. Every response is `no-store` unless
it says otherwise; pages the same for everyone (and nobody signed in) are `no-cache`."""

from __future__ import annotations

import pytest

from tests.journey_answers import page_fields
from tests.passkey_authenticator import resident, sign_in_with_new_passkey
from tests.support import ORIGIN, csrf

PUBLIC = ["/", "/services", "/help", "/privacy", "/accessibility", "/offline", "/outbox",
          "/services/pest-control"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_may_be_kept_but_are_checked_each_time(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_every_page_of_a_journey_in_progress_is_no_store(client, app):
    journey = app.state.forms.latest("pest-control")
    first = f"/services/pest-control/{journey.pages[0].id}"
    page = client.get(first)
    assert page.headers["cache-control"] == "no-store"
    posted = client.post(first, data={**page_fields(journey.pages[0], {}),
                                      "csrf_token": csrf(page.text)},
                         headers={"Origin": ORIGIN}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["cache-control"] == "no-store"
    for path in ("/services/pest-control", "/services/pest-control/contact",
                 "/services/pest-control/check"):
        # the start page names the draft now: personal too
        assert client.get(path).headers["cache-control"] == "no-store", path


def test_pages_are_no_store_for_someone_signed_in(client, store):
    sign_in_with_new_passkey(client, store, ORIGIN, "resident",
                             resident(store, "cache.test@example.com"))
    for path in ("/", "/help", "/account", "/account/requests"):
        assert client.get(path).headers["cache-control"] == "no-store", path


def test_errors_json_and_redirects_are_no_store(client):
    assert client.get("/no-such-page").headers["cache-control"] == "no-store"
    assert client.get("/healthz").headers["cache-control"] == "no-store"
    assert client.get("/account", follow_redirects=False).headers["cache-control"] == "no-store"


def test_static_files_keep_their_own_caching(client):
    home = client.get("/").text
    path = home.split('href="/static/build/', 1)[1].split('"', 1)[0]
    assert "immutable" in client.get(f"/static/build/{path}").headers["cache-control"]
