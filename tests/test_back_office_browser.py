"""Issue 12's "Done when", in real Chromium with a real SMTP server: a request from each
journey, sent through the web journey, is routed by a seed rule where one applies (shown
on the timeline as done by the rule), acknowledged by email with the date we aim to
reply by, taken by an officer of the service, paused while waiting for the resident,
resumed and answered with templated replies (chosen in the status form, then edited),
and closed with an outcome; the resident sees each public step on the tracking page the
email links to, and gets the emails. The dashboard's figures equal counts computed from
the database; axe passes on the request page, inbox, workload and dashboard in English
and Arabic."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from server import i18n
from server.casework import rules, sla
from server.casework.dashboard import week_starts
from server.casework.status import STATUS
from server.db.clock import iso, now_iso, parse_iso
from server.db.seed import STAFF
from tests.axe import assert_accessible
from tests.casework_history import seed
from tests.mailbox import start_smtp
from tests.notify_support import wait_until
from tests.passkey_authenticator import make_request, sign_in_with_new_passkey, staff_id
from tests.support import live_app
from tests.test_browser_journeys import EMAIL, JOURNEYS, SLUGS, complete

pytestmark = pytest.mark.browser
OFFICER = {"planning": "planning_officer", "environmental-health":
           "environmental_health_officer", "social-work": "social_work_officer"}
MANAGER = {"planning": "planning_manager", "environmental-health":
           "environmental_health_manager", "social-work": "social_work_manager"}
# What the seed rules (server/casework/rules.json) do to a request from these journeys,
# with the answers tests/test_browser_journeys.py gives (postcode EH22 1AE; the first
# option of each question, so a food complaint is about illness).
ROUTED = {"adult-protection-concern": ("urgent", "adult-duty"),
          "child-protection-concern": ("urgent", "children-duty"),
          "pest-control": ("normal", "pest-control-south"),
          "food-safety-complaint": ("high", None)}
RULES = json.loads((Path(rules.__file__).parent / "rules.json").read_text(encoding="utf-8"))
RULE_NAMES = {c["value"]: r["name"] for r in RULES for c in r["conditions"]
              if c["kind"] == "journey"}
OPEN = ("received", "triaged", "in_progress", "waiting_resident", "waiting_other")
OLD_DAYS = 60  # a request this old, still open, is past every target


def person(role: str) -> tuple[str, str]:
    return next((s[0], s[1]) for s in STAFF if s[2] == role)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    controller, mailbox = start_smtp()
    with live_app(tmp_path_factory.mktemp("back-office") / "data",
                  TOLBOOTH_SMTP_HOST="127.0.0.1",
                  TOLBOOTH_SMTP_PORT=str(mailbox.port)) as (built, server):
        # One old open request per service: the dashboard must count it overdue.
        for service, journey in (("planning", "tree-enquiry"),
                                 ("environmental-health", "noise-complaint"),
                                 ("social-work", "care-needs-assessment")):
            built.store.write_sync(lambda db, s=service, j=journey: seed(
                db, s, j, sla.today() - timedelta(days=OLD_DAYS)))
        yield {"url": server.url, "built": built, "mailbox": mailbox}
    controller.stop()


def signed_in(page: Page, site: dict[str, Any], email: str, locale: str = "en") -> Page:
    """A second browser context, signed in with a passkey over HTTP (the session cookie
    handed to the browser)."""
    built, url = site["built"], site["url"]
    with httpx.Client(base_url=url) as http:
        sign_in_with_new_passkey(http, built.store, url, "staff",
                                 staff_id(built.store, email))
        cookies = [{"name": c.name, "value": c.value, "url": url} for c in http.cookies.jar]
    context = page.context.browser.new_context(locale="en-GB")
    context.add_cookies(cookies + [{"name": i18n.COOKIE, "value": locale, "url": url}])
    return context.new_page()


def row(site: dict[str, Any], reference: str) -> dict[str, Any]:
    return site["built"].store.read_sync(lambda db: dict(zip(
        ("id", "priority", "team_id", "status", "assignee"), db.execute(
            "SELECT id, priority, team_id, status, assignee FROM requests"
            " WHERE reference = ?", [reference]).fetchone(), strict=True)))


def emails_about(site: dict[str, Any], reference: str) -> list[Any]:
    return [m for m in site["mailbox"].to(EMAIL) if reference in m["Subject"]]


def body(message: Any) -> str:
    return str(message.get_body(("plain",)).get_content())


def update(officer: Page, url: str, request_id: str) -> None:
    officer.get_by_role("button", name="Update the request").click()
    officer.wait_for_url(f"{url}/staff/requests/{request_id}")


def resident_sees(resident: Page, link: str, *texts: str) -> None:
    resident.goto(link)
    for text in texts:
        expect(resident.locator("main")).to_contain_text(text)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_request_is_routed_acknowledged_handled_and_closed(page: Page, site, slug):
    url, journey = site["url"], JOURNEYS[slug]
    service = journey.service
    _walk, reference = complete(page, url, journey)

    # Routed by a rule where one applies.
    found = row(site, reference)
    priority, team = ROUTED.get(slug, ("normal", None))
    assert (found["priority"], found["team_id"]) == (priority, team)

    # The acknowledgement, from the SMTP server, with the date we aim to reply by and
    # the resident's tracking link.
    acknowledged = wait_until(lambda: emails_about(site, reference), what="the email")[0]
    text = body(acknowledged)
    assert re.search(r"We aim to reply by \d{1,2} \w+ \d{4}\.", text), text
    link = re.search(re.escape(url) + r"/\S+", text).group(0)
    resident_sees(page, link, reference, "We aim to reply by")

    officer_email, officer_name = person(OFFICER[service])
    officer = signed_in(page, site, officer_email)
    request_id = found["id"]
    officer.goto(f"{url}/staff/requests/{request_id}")
    timeline = officer.locator(".tb-timeline")
    if slug in ROUTED:
        expect(timeline).to_contain_text(f"Done by rule {RULE_NAMES[slug]}")
    else:
        expect(timeline).not_to_contain_text("Done by rule")

    # Taken by an officer of the service.
    officer.locator("#take-it button").click()
    expect(officer.locator("#assigned-now")).to_contain_text(officer_name)
    assert row(site, reference)["assignee"] == staff_id(site["built"].store, officer_email)

    # Waiting for the resident: the clock pauses.
    officer.get_by_label("New status").select_option("waiting_resident")
    officer.get_by_label("Message to the resident (optional)").fill(
        "Please send us a photo of the problem.")
    update(officer, url, request_id)
    expect(officer.locator("#service-level .ds_tag")).to_have_text("Clock paused")
    expect(officer.locator("#pauses")).to_contain_text("since")
    resident_sees(page, link, STATUS["waiting_resident"],
                  "Please send us a photo of the problem.")

    # Resumed with a templated reply, edited before it is sent.
    template = officer.get_by_label("Start from a template (optional)")
    message = officer.get_by_label("Message to the resident (optional)")
    template.select_option("in-progress")
    expect(message).to_have_value(re.compile(reference))
    expect(officer.get_by_label("New status")).to_have_value("in_progress")
    message.fill(message.input_value() + " We will visit on Tuesday.")
    update(officer, url, request_id)
    expect(officer.locator("#service-level .ds_tag")).not_to_have_text("Clock paused")
    expect(officer.locator("#pauses")).not_to_contain_text("since")
    assert row(site, reference)["status"] == "in_progress"
    resident_sees(page, link, STATUS["in_progress"], "We will visit on Tuesday.")

    # Closed with an outcome, answered with a template.
    template.select_option("resolved")
    expect(officer.get_by_label("New status")).to_have_value("resolved")
    message.fill(message.input_value() + " Thank you for telling us.")
    officer.get_by_label("Outcome").select_option("resolved")
    update(officer, url, request_id)
    expect(officer.locator("main")).to_contain_text("Outcome: Dealt with")
    assert row(site, reference)["status"] == "resolved"
    resident_sees(page, link, "Outcome: Dealt with", "Thank you for telling us.")

    # The resident got an email for each public step.
    sent = wait_until(lambda: (lambda m: m if len(m) >= 4 else None)(
        emails_about(site, reference)), what="the update emails")
    words = "\n".join(body(m) for m in sent)
    for said in ("Please send us a photo of the problem.", "We will visit on Tuesday.",
                 "Thank you for telling us."):
        assert said in words
    officer.context.close()
    dashboard_equals_database(page, site, service)


def database_figures(site: dict[str, Any], service: str) -> tuple[int, int]:
    """This week's requests of the service, and its open requests past every target."""
    monday = week_starts(sla.today())[-1]
    old = iso(parse_iso(now_iso()) - timedelta(days=OLD_DAYS - 1))
    marks = ", ".join("?" * len(OPEN))

    def count(db: Any) -> tuple[int, int]:
        created = [r[0] for r in db.execute(
            "SELECT created_at FROM requests WHERE service = ?", [service])]
        overdue = db.execute(
            f"SELECT count(*) FROM requests WHERE service = ? AND status IN ({marks})"
            " AND created_at < ?", [service, *OPEN, old]).fetchone()[0]
        return sum(sla.council_day(c) >= monday for c in created), overdue
    return site["built"].store.read_sync(count)


def dashboard_equals_database(page: Page, site: dict[str, Any], service: str) -> None:
    """The service's manager's dashboard: this week's volume and the overdue count."""
    manager = signed_in(page, site, person(MANAGER[service])[0])
    manager.goto(f"{site['url']}/staff/dashboard")
    headers = manager.locator("#volumes thead th").all_inner_texts()
    assert len(headers) == 3, headers  # a manager sees their own service
    this_week = manager.locator("#volumes tbody tr").last.locator("td").first.inner_text()
    overdue = manager.locator(f"#times-{service} td").last.inner_text()
    week, late = database_figures(site, service)
    assert week >= 1 and late >= 1
    assert (int(this_week), int(overdue)) == (week, late)
    manager.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_back_office_pages_pass_axe(page: Page, site, lang):
    request_id = make_request(site["built"].store, "environmental-health", EMAIL,
                              "pest-control")
    manager = signed_in(page, site, person("environmental_health_manager")[0], lang)
    for path in (f"/staff/requests/{request_id}", "/staff/inbox", "/staff/workload",
                 "/staff/dashboard"):
        manager.goto(site["url"] + path)
        expect(manager.locator("html")).to_have_attribute("lang", lang)
        assert_accessible(manager)
    manager.context.close()
