"""Issue 10: behind the TLS proxy an https origin needs, every request came from the
proxy's address, so the whole council shared one rate limit (6 sign-in emails to 6
residents: the 6th got 429). X-Forwarded-For is believed from TOLBOOTH_TRUSTED_PROXIES
only; limits on what sends a message are kept per recipient; tracking guesses per
reference and address."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from server.settings import SettingsError
from server.web.client_address import client_address
from tests.support import TestApp, csrf, make_settings
from tests.test_journeys_http import REFERENCE, walk

PROXY = "10.0.0.2"
TRUSTED = (ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("::1"))


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    (PROXY, ["203.0.113.7"], "203.0.113.7"),
    (PROXY, ["198.51.100.1, 203.0.113.7"], "203.0.113.7"),  # the rightmost untrusted hop
    (PROXY, ["203.0.113.7, 10.0.0.9"], "203.0.113.7"),  # a second proxy of ours
    (PROXY, ["198.51.100.1", "203.0.113.7"], "203.0.113.7"),  # two headers: one list
    (PROXY, [], PROXY),
    (PROXY, ["not-an-address"], PROXY),
    (PROXY, ["203.0.113.7, junk"], PROXY),  # nothing left of garbage is believed
    (PROXY, ["[2001:db8::1]:443"], "2001:db8::1"),
    ("192.0.2.50", ["203.0.113.7"], "192.0.2.50"),  # not a proxy of ours: ignored
    ("::1", ["203.0.113.7"], "203.0.113.7"),
])
def test_the_client_address_is_the_rightmost_hop_no_trusted_proxy_wrote(peer, forwarded,
                                                                        expected):
    assert client_address(peer, forwarded, TRUSTED) == expected


def test_without_trusted_proxies_forwarded_for_is_ignored():
    assert client_address(PROXY, ["203.0.113.7"], ()) == PROXY


def test_the_setting_reads_addresses_and_ranges_and_refuses_nonsense(tmp_path):
    settings = make_settings(tmp_path, TOLBOOTH_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8, ::1")
    assert [str(n) for n in settings.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/8",
                                                          "::1/128"]
    assert make_settings(tmp_path).trusted_proxies is None
    with pytest.raises(SettingsError, match="TOLBOOTH_TRUSTED_PROXIES"):
        make_settings(tmp_path, TOLBOOTH_TRUSTED_PROXIES="10.0.0.0/8, proxy.local")


def from_peer(world: TestApp, peer: str) -> TestClient:
    return TestClient(world.app, base_url=world.settings.origin, client=(peer, 50000))


def sign_in_email(client: TestClient, email: str, forwarded: str | None = None) -> int:
    token = csrf(client.get("/sign-in").text)
    headers = {"Origin": "http://localhost:8000"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    return client.post("/sign-in/email", data={"csrf_token": token, "email": email},
                       headers=headers).status_code


@pytest.fixture
def proxied(make_app: Callable[..., TestApp]) -> TestApp:
    return make_app(TOLBOOTH_TRUSTED_PROXIES="10.0.0.0/24")


def test_six_residents_behind_the_proxy_all_get_their_sign_in_email(proxied):
    with from_peer(proxied, PROXY) as client:
        statuses = [sign_in_email(client, f"resident{n}@example.org", f"203.0.113.{n}")
                    for n in range(6)]
    assert statuses == [200] * 6


def test_each_forwarded_address_has_its_own_ceiling_behind_a_trusted_proxy(proxied):
    with from_peer(proxied, PROXY) as client:
        statuses = [sign_in_email(client, f"r{n}@example.org", "203.0.113.1")
                    for n in range(31)]
        assert statuses == [200] * 30 + [429]
        assert sign_in_email(client, "other@example.org", "203.0.113.2") == 200


def test_forwarded_for_from_an_untrusted_peer_is_ignored(proxied):
    with from_peer(proxied, "192.0.2.50") as client:
        statuses = [sign_in_email(client, f"r{n}@example.org", f"203.0.113.{n}")
                    for n in range(31)]
    assert statuses == [200] * 30 + [429]  # one address, whatever the header said


def test_sign_in_emails_to_one_address_are_limited_whoever_asks(proxied):
    with from_peer(proxied, PROXY) as client:
        statuses = [sign_in_email(client, "Target@Example.org", f"203.0.113.{n}")
                    for n in range(4)]
        assert statuses == [200] * 3 + [429]
        assert sign_in_email(client, "target@example.org", "198.51.100.9") == 429
        assert sign_in_email(client, "someone.else@example.org", "203.0.113.1") == 200


def test_limit_counts_hold_no_recipient_address(proxied):
    with from_peer(proxied, PROXY) as client:
        sign_in_email(client, "private.person@example.org", "203.0.113.1")
    keys = [key for limiter in proxied.app.state.rate_limits._limiters.values()
            for key in limiter._hits]
    assert keys and not [k for k in keys if "private.person" in k]


def test_ten_wrong_guesses_from_one_address_do_not_lock_the_owner_out(proxied):
    with from_peer(proxied, PROXY) as owner:
        done, _ = walk(owner, proxied.app, "pest-control")
        reference = REFERENCE.search(done.text).group(0)
    with from_peer(proxied, PROXY) as attacker:
        token = csrf(attacker.get("/track").text)

        def guess(n: int) -> int:
            return attacker.post("/track", data={
                "csrf_token": token, "reference": reference, "contact": f"g{n}@example.org"},
                headers={"Origin": "http://localhost:8000",
                         "X-Forwarded-For": "198.51.100.66"}).status_code
        assert [guess(n) for n in range(11)] == [200] * 10 + [429]
    with from_peer(proxied, PROXY) as owner:
        token = csrf(owner.get("/track").text)
        found = owner.post("/track", data={"csrf_token": token, "reference": reference,
                                           "contact": "morag@example.org"},
                           headers={"Origin": "http://localhost:8000",
                                    "X-Forwarded-For": "203.0.113.5"})
    assert found.status_code == 200 and reference in found.text
    assert "We received your request" in found.text


def test_one_reference_has_a_ceiling_across_addresses(proxied):
    reference = "MLC-7K3P-Q9X2"
    with from_peer(proxied, PROXY) as client:
        token = csrf(client.get("/track").text)
        statuses = [client.post("/track", data={
            "csrf_token": token, "reference": reference, "contact": "g@example.org"},
            headers={"Origin": "http://localhost:8000",
                     "X-Forwarded-For": f"203.0.113.{n // 5}"}).status_code
            for n in range(51)]
    assert statuses == [200] * 50 + [429]


def test_the_access_log_names_the_forwarded_address(proxied, caplog):
    with caplog.at_level("INFO", logger="tolbooth.access"), from_peer(proxied, PROXY) as c:
        c.get("/", headers={"X-Forwarded-For": "203.0.113.77"})
    assert re.search(r'"client": "203\.0\.113\.77"', caplog.text)


@pytest.mark.parametrize(("trusted", "logged"), [("127.0.0.1", "203.0.113.8"),
                                                 (None, "127.0.0.1")])
def test_a_real_server_believes_forwarded_for_only_from_a_trusted_proxy(tmp_path, caplog,
                                                                        trusted, logged):
    import httpx

    from tests.support import live_app
    overrides = {"TOLBOOTH_TRUSTED_PROXIES": trusted} if trusted else {}
    with caplog.at_level("INFO", logger="tolbooth.access"), \
            live_app(tmp_path / "data", **overrides) as (_, server):
        httpx.get(f"{server.url}/help", headers={"X-Forwarded-For": "203.0.113.8"})
    assert f'"client": "{logged}"' in caplog.text


def test_a_number_is_one_recipient_however_it_is_written(world):
    from starlette.requests import Request

    from server.web.ratelimit import recipient_key
    request = Request({"type": "http", "app": world.app, "headers": []})
    keys = {recipient_key(request, n) for n in ("07911 123456", "+447911123456",
                                                 "07911123456 ")}
    assert len(keys) == 1
    assert recipient_key(request, "A@Example.org") == recipient_key(request, "a@example.org")
    assert recipient_key(request, "a@example.org") not in keys


def test_continue_later_links_are_limited_per_recipient_not_per_proxy(proxied):
    from tests.test_newcomer_fixes import answer

    def save(client: TestClient, email: str, forwarded: str) -> int:
        url = "/services/pest-control/save"
        token = csrf(client.get(url).text)
        return client.post(url, data={"csrf_token": token, "how": "email", "email": email},
                           headers={"Origin": "http://localhost:8000",
                                    "X-Forwarded-For": forwarded}).status_code

    with from_peer(proxied, PROXY) as client:
        answer(client, proxied.app, "pest-control", upto="contact")
        assert [save(client, f"r{n}@example.org", f"203.0.113.{n}") for n in range(6)] == \
            [200] * 6
        assert [save(client, "one@example.org", f"198.51.100.{n}") for n in range(4)] == \
            [200] * 3 + [429]
