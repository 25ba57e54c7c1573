"""The installable app over HTTP: the manifest, the worker script, the precache list and
the clean copies of public pages the worker keeps (no session, no draft, no cookie)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from server import i18n
from server.forms.registry import FormRegistry
from server.i18n import Gettext
from server.offline.pages import MARKER
from tests.support import csrf

JOURNEY = FormRegistry().latest("noise-complaint")
FIRST_PAGE = JOURNEY.pages[0]
PERSONAL = re.compile(r"^/(track|account|staff|admin|sign-in|enrol|auth|sync)\b|/done$")


def fresh(client: TestClient) -> TestClient:
    """The same app with no cookies: what the worker's `credentials: 'omit'` fetch is."""
    return TestClient(client.app, base_url=str(client.base_url))


@pytest.mark.parametrize("code", i18n.OFFERED_CODES)
def test_manifest_is_in_the_language_asked_for(client, code):
    response = client.get(f"/manifest.webmanifest?lang={code}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    text = Gettext(code)
    assert manifest["lang"] == code
    assert manifest["dir"] == ("rtl" if code == "ar" else "ltr")
    assert manifest["short_name"] == text.gettext("Council services")
    assert manifest["name"] == text.gettext("%(council)s: council services",
                                            council="Midlothian Council")
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["id"] == "/"


def test_manifest_icons_exist_in_the_sizes_and_purposes_browsers_need(client):
    manifest = client.get("/manifest.webmanifest?lang=en").json()
    found = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= found
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        width = int.from_bytes(image.content[16:20], "big")  # the PNG's IHDR width
        assert f"{width}x{width}" == icon["sizes"]


def test_manifest_in_an_unknown_language_is_404(client):
    assert client.get("/manifest.webmanifest?lang=xx").status_code == 404


def test_pages_link_the_manifest_in_their_language(client):
    client.get("/language/gd")
    html = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=gd">' in html
    assert '<meta name="theme-color" content="#0065bd">' in html


def test_worker_script_is_javascript_that_is_always_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "tolbooth-shell-" in response.text
    assert "__tolbooth_build_version__" not in response.text  # the build put its version in


def test_precache_list_names_every_journey_page_in_the_language(client):
    listed = client.get("/app/precache/gd.json").json()
    urls = {page["url"] for page in listed["pages"]}
    for journey in FormRegistry().journeys():
        base = f"/services/{journey.journey}"
        assert {base, f"{base}/contact", f"{base}/check"} <= urls
        assert {f"{base}/{page.id}" for page in journey.pages} <= urls
        assert f"/forms/{journey.journey}/v{journey.version}.gd.json" in listed["data"]
    assert {"/", "/services", "/offline"} <= urls
    assert all(page["copy"] == f"/app/copies/gd{page['url']}" or page["url"] == "/"
               for page in listed["pages"])
    assert "/app/copies/ar/offline" in listed["shell"]
    assert any(url.startswith("/static/build/tolbooth.css?v=") for url in listed["shell"])


def test_precache_list_has_no_personal_page(client):
    listed = client.get("/app/precache/en.json").json()
    personal = [p["url"] for p in listed["pages"] if PERSONAL.search(p["url"])]
    assert personal == []


def test_everything_listed_can_be_fetched_without_a_cookie(client):
    anybody = fresh(client)
    listed = anybody.get("/app/precache/pl.json").json()
    for url in listed["shell"] + listed["data"]:
        assert anybody.get(url).status_code == 200, url
    for page in listed["pages"]:
        response = anybody.get(page["copy"])
        assert response.status_code == 200, page
        assert "set-cookie" not in response.headers, page
        assert f"<main id=\"main-content\" {MARKER}" in response.text, page
        assert '<html lang="pl"' in response.text, page


def test_clean_copy_has_no_session_token_and_no_draft(client):
    # Someone has a draft in progress...
    page = client.get(f"/services/noise-complaint/{FIRST_PAGE.id}")
    token = csrf(page.text)
    question = FIRST_PAGE.questions[0]
    # ...but the copy the worker keeps is everybody's: no answers, no token, no cookie.
    copy = fresh(client).get(f"/app/copies/en/services/noise-complaint/{FIRST_PAGE.id}")
    assert copy.status_code == 200
    assert token not in copy.text
    assert 'name="csrf_token" value=""' in copy.text
    assert "set-cookie" not in copy.headers
    assert f'name="{question.id}' in copy.text or f'id="{question.id}' in copy.text


def test_clean_copy_is_in_the_url_language_whatever_the_cookie(client):
    client.get("/language/en")
    copy = client.get("/app/copies/gd/services/noise-complaint")
    assert '<html lang="gd"' in copy.text
    assert Gettext("gd").gettext(JOURNEY.title) in copy.text
    # The language links lead back to the real page, not to the copy.
    assert "next=/services/noise-complaint" in copy.text.replace("%2F", "/")


def test_clean_check_page_is_empty_for_the_device_to_fill(client):
    copy = fresh(client).get("/app/copies/en/services/noise-complaint/check")
    assert copy.status_code == 200
    assert "ds_summary-list__item" not in copy.text


@pytest.mark.parametrize("path", [
    "/app/copies/xx/services/noise-complaint",           # unknown language
    "/app/copies/en/services/no-such-journey",           # unknown journey
    "/app/copies/en/services/*",                         # wildcard
    "/app/copies/en/services/noise-complaint/*",
    "/app/copies/en/services/noise-complaint/no-such-page",
    "/app/copies/en/services/noise-complaint/done",      # personal: the confirmation
    "/app/copies/en/track",                              # personal
    "/app/copies/en/account",
    "/app/copies/en/staff/inbox",
    "/app/copies/en/services/noise-complaint/contact/extra",
    "/app/precache/xx.json",
])
def test_no_clean_copy_of_unknown_or_personal_pages(client, path):
    assert fresh(client).get(path).status_code == 404


def test_offline_page_links_only_to_what_is_kept(client):
    html = client.get("/offline").text
    kept = {p["url"] for p in client.get("/app/precache/en.json").json()["pages"]}
    main = html[html.index("<main"):html.index("</main>")]
    links = set(re.findall(r'href="(/[^"#?]*)', main))
    assert links and links <= kept


def test_precache_revision_is_the_same_for_every_language_and_call(client):
    """The worker fetches the pages again only when this changes (a deploy)."""
    revisions = {client.get(f"/app/precache/{code}.json").json()["revision"]
                 for code in i18n.OFFERED_CODES}
    revisions.add(client.get("/app/precache/en.json").json()["revision"])
    assert len(revisions) == 1 and re.fullmatch(r"[0-9a-f]{16}", revisions.pop())
