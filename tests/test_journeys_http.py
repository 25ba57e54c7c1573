"""Every journey end to end over HTTP, without a browser: the fast net under the
browser tests."""

import re

import pytest

from server.db import requests as requests_db
from server.forms.registry import FormRegistry
from tests import queries
from tests.journey_answers import CONTACT, page_fields
from tests.support import csrf

JOURNEYS = [j.journey for j in FormRegistry().journeys()]
REFERENCE = re.compile(r"\bMLC-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}\b")




def walk(client, app, slug):
    """Answer every page in order; return the final response (the confirmation)."""
    journey = app.state.forms.latest(slug)
    chosen: dict = {}
    start = client.get(f"/services/{slug}")
    assert start.status_code == 200
    url = f"/services/{slug}/{journey.pages[0].id}"
    for _ in range(40):
        page_id = url.rsplit("/", 1)[1]
        page = client.get(url)
        assert page.status_code == 200, url
        if page_id == "check":
            break
        if page_id == "contact":
            data = dict(CONTACT)
        else:
            data = page_fields(next(p for p in journey.pages if p.id == page_id), chosen)
        response = client.post(url, data={**data, "csrf_token": csrf(page.text)},
                               headers={"Origin": "http://localhost:8000"},
                               follow_redirects=False)
        assert response.status_code == 303, (url, response.text[:3000])
        url = response.headers["location"]
    check = client.get(f"/services/{slug}/check")
    submission = re.search(r'name="submission_id" value="([^"]+)"', check.text).group(1)
    client.csrf = csrf(check.text)
    return client.post(f"/services/{slug}/check",
                       data={"csrf_token": client.csrf, "submission_id": submission},
                       headers={"Origin": "http://localhost:8000"}), submission


@pytest.mark.parametrize("slug", JOURNEYS)
def test_journey_completes_and_can_be_tracked(client, app, store, slug):
    done, submission = walk(client, app, slug)
    assert done.status_code == 200
    reference = REFERENCE.search(done.text).group(0)
    stored = store.read_sync(requests_db.by_reference, reference)
    assert stored is not None and stored.journey == slug and stored.id == submission
    assert stored.channel == "web" and stored.status == "received"
    assert stored.contact_email == "morag@example.org"
    journey = app.state.forms.latest(slug)
    assert stored.special_category == journey.special_category
    assert stored.form_version == journey.version
    # /track finds it by reference and email
    form = client.get("/track")
    found = client.post("/track", data={"csrf_token": csrf(form.text), "reference": reference,
                                        "contact": "MORAG@example.org"},
                        headers={"Origin": "http://localhost:8000"})
    assert found.status_code == 200 and reference in found.text
    assert "We received your request" in found.text
    # and by the signed link on the confirmation page
    link = re.search(r'href="http://localhost:8000(/track/[^"]+)"', done.text).group(1)
    assert reference in client.get(link).text


def test_sending_twice_stores_one_request(client, app, store):
    done, submission = walk(client, app, "pest-control")
    check_again = client.post("/services/pest-control/check",
                              data={"csrf_token": client.csrf,
                                    "submission_id": submission},
                              headers={"Origin": "http://localhost:8000"})
    assert check_again.status_code == 200
    assert REFERENCE.search(check_again.text).group(0) == REFERENCE.search(done.text).group(0)
    assert store.read_sync(queries.request_count) == 1


def test_contact_details_are_not_offered_again_after_sending(client, app):
    """Issue 10: signed out, the browser may be shared; the next person must not be
    offered the last one's details (tests/test_shared_device.py has the rest)."""
    walk(client, app, "pest-control")
    page = client.get("/services/noise-complaint/contact")
    assert "You gave us these details earlier" not in page.text
    assert "morag@example.org" not in page.text


def test_tampered_tracking_link_is_404(client):
    assert client.get("/track/not-a-real-token").status_code == 404


def test_wrong_contact_does_not_reveal_the_request(client, app):
    done, _ = walk(client, app, "pest-control")
    reference = REFERENCE.search(done.text).group(0)
    form = client.get("/track")
    r = client.post("/track", data={"csrf_token": csrf(form.text), "reference": reference,
                                    "contact": "someone@else.org"},
                    headers={"Origin": "http://localhost:8000"})
    assert "We could not find a request" in r.text and "Status:" not in r.text


def test_htmx_post_of_a_question_page_returns_the_content_block(client):
    """Regression: the block rendered for htmx lost the template's macro import (500)."""
    page = client.get("/services/noise-complaint/noise-source")
    r = client.post("/services/noise-complaint/noise-source",
                    data={"csrf_token": csrf(page.text)},
                    headers={"Origin": "http://localhost:8000", "HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.startswith("<title>Error: Where is the noise coming from?")
    assert "ds_error-summary" in r.text and "<html" not in r.text


def test_form_definition_is_exported_as_json_for_the_browser(client, app):
    journey = app.state.forms.latest("noise-complaint")
    r = client.get(f"/forms/noise-complaint/v{journey.version}.en.json")
    assert r.status_code == 200
    body = r.json()
    assert body["journey"] == "noise-complaint" and body["version"] == journey.version
    assert [p["id"] for p in body["pages"]] == [p.id for p in journey.pages]
    assert "required" in str(body["messages"])
    for bad in ("v999.en.json", "v1.xx.json", "v1.en.js", "../v1.en.json"):
        assert client.get(f"/forms/noise-complaint/{bad}").status_code == 404
    assert client.get("/forms/no-such-journey/v1.en.json").status_code == 404


def test_htmx_swap_of_a_social_work_page_keeps_the_hide_this_page_control(client):
    """Regression: the control lived outside the swapped block and vanished after htmx."""
    page = client.get("/services/adult-protection-concern/about-them")
    r = client.post("/services/adult-protection-concern/about-them",
                    data={"csrf_token": csrf(page.text)},
                    headers={"Origin": "http://localhost:8000", "HX-Request": "true"})
    assert "ds_hide-page" in r.text and "<html" not in r.text


def test_guessing_contact_details_for_one_reference_is_rate_limited(client, app):
    done, _ = walk(client, app, "pest-control")
    reference = REFERENCE.search(done.text).group(0)
    token = csrf(client.get("/track").text)
    statuses = [client.post("/track", data={"csrf_token": token, "reference": reference,
                                            "contact": f"guess{n}@example.org"},
                            headers={"Origin": "http://localhost:8000"}).status_code
                for n in range(11)]
    assert statuses == [200] * 10 + [429]
    last = client.post("/track", data={"csrf_token": token, "reference": reference,
                                       "contact": "x@example.org"},
                       headers={"Origin": "http://localhost:8000"})
    assert int(last.headers["retry-after"]) > 0 and "Too many attempts" in last.text


def test_dates_are_formatted_the_british_way():
    from datetime import date

    from server import i18n
    assert i18n.format_date(date(2026, 11, 2), "en") == "2 November 2026"
