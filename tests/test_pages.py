from html import unescape

from server.db import catalogue
from server.forms.registry import FormRegistry
from tests.support import ORIGIN, csrf

FIRST_PAGE = FormRegistry().latest("noise-complaint").pages[0].id


def test_home_page_shows_council_services_and_hubs(client, store):
    r = client.get("/")
    assert r.status_code == 200
    assert "Midlothian Council" in r.text
    for name in ("Planning", "Environmental health", "Social work"):
        assert name in r.text
    for hub in store.read_sync(catalogue.hubs):
        assert hub.name in r.text


def test_base_page_landmarks_and_links(client):
    html = client.get("/").text
    assert html.index('href="#main-content"') < html.index("<header")
    assert '<main id="main-content"' in html
    assert '<html lang="en" dir="ltr">' in html
    for href in ('href="/accessibility"', 'href="/help"', 'href="/privacy"'):
        assert href in html.split("<footer", 1)[1]


def test_fixed_pages_render(client):
    for path, heading in (("/help", "Help and contact"), ("/privacy", "Privacy"),
                          ("/accessibility", "Accessibility statement")):
        r = client.get(path)
        assert r.status_code == 200 and heading in r.text


def test_accessibility_statement_has_the_required_sections(client):
    html = unescape(client.get("/accessibility").text)
    for section in ("Compliance status", "Non-accessible content",
                    "Non-compliance with the accessibility regulations",
                    "Disproportionate burden",
                    "Content that's not within the scope of the accessibility regulations",
                    "How we tested this service", "Feedback and contact information",
                    "Enforcement procedure"):
        assert section in html, section


def test_unknown_page_is_a_translated_404_page(client):
    r = client.get("/nothing-here")
    assert r.status_code == 404
    assert "Page not found" in r.text and "<main" in r.text


def test_404_is_json_for_json_clients(client):
    r = client.get("/nothing-here", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_wrong_method_is_a_page_not_a_crash(client):
    """With a wrong token this test got CSRF's 403 and never reached the router: send a
    good one, so only the method is wrong."""
    token = csrf(client.get("/services/noise-complaint/" + FIRST_PAGE).text)
    r = client.delete("/help", headers={"Origin": ORIGIN, "X-CSRF-Token": token})
    assert r.status_code == 405
    assert "Sorry, we could not understand that" in r.text and "<main" in r.text
    assert set(r.headers["allow"].replace(" ", "").split(",")) >= {"GET"}


def test_htmx_request_gets_only_the_content_block(client):
    full = client.get("/nothing-here")
    fragment = client.get("/nothing-here", headers={"HX-Request": "true"})
    assert "<html" in full.text and "<html" not in fragment.text
    assert "Page not found" in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


def test_healthz_reports_database_and_migrations(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body == {"status": "ok", "database": "ok", "migrations": "current",
                    "schema_version": body["schema_version"]}
    assert body["schema_version"] >= 1


def test_healthz_is_503_when_migrations_are_pending(client, store):
    store.write_sync(lambda db: db.execute("DELETE FROM schema_migrations"))
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["migrations"] == "pending"


def test_access_log_is_structured_and_has_no_query_string(client, caplog):
    import json
    import logging
    caplog.set_level(logging.INFO, logger="tolbooth.access")
    client.get("/help?token=secret")
    line = json.loads([r for r in caplog.records if r.name == "tolbooth.access"][-1].message)
    assert line["path"] == "/help" and line["status"] == 200 and "secret" not in str(line)
    assert line["duration_ms"] >= 0 and line["request_id"]


def test_app_leaves_a_store_it_was_given_open(app, store, settings):
    """Regression: the lifespan closed the caller's store, so a second client failed."""
    from starlette.testclient import TestClient
    for _ in range(2):
        with TestClient(app, base_url=settings.origin) as c:
            assert c.get("/").status_code == 200


def test_htmx_fragment_carries_the_page_title(client):
    fragment = client.get("/nothing-here", headers={"HX-Request": "true"})
    assert fragment.text.startswith("<title>Page not found – Midlothian Council</title>")


def test_fragment_of_a_template_that_inherits_its_blocks(app):
    """Regression: the contact page (which extends the question page) failed as an htmx
    fragment because its content and title blocks live in the parent template."""
    from server.rendering import render_block
    env = app.state.renderer.env
    env_ctx = {"page_title": "T", "gettext": lambda s, **k: s, "_": lambda s, **k: s}
    assert render_block(env, "journeys/contact.html", "title", env_ctx).strip() == "T"
