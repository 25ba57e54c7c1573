"""The accessibility audit (accessibility/audit, `make audit`): its list covers every
route, its rules decide right, and the whole audit passes against the app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accessibility.audit import plan, report, rules
from server.forms.registry import FormRegistry

ROOT = Path(__file__).resolve().parent.parent
FORMS = FormRegistry()
PLAN = plan.load()


# --- (a) the list covers the app -------------------------------------------------------


def test_every_get_route_is_in_the_audit_list(app):
    """A new GET route fails here until accessibility/routes.toml has an entry for it."""
    answered = plan.app_get_routes(app)
    missing = sorted(set(answered) - PLAN.routes())
    assert not missing, (f"GET routes missing from accessibility/routes.toml: {missing}. "
                         "Add a [[page]] with route, an example url and its states.")


def test_every_audit_entry_names_a_real_route(app):
    answered = set(plan.app_get_routes(app))
    stale = sorted({e.route for e in PLAN.entries
                    if e.route not in answered and not e.test_only
                    and not e.route.startswith("(")})
    assert not stale, f"routes.toml names routes the app does not have: {stale}"


def _listed(url: str, state: str) -> bool:
    return any(e.url == url and state in e.states for e in PLAN.entries)


@pytest.mark.parametrize("journey", FORMS.journeys(), ids=lambda j: j.journey)
def test_every_journey_is_audited_from_start_to_confirmation(journey):
    slug = journey.journey
    assert _listed(f"/services/{slug}", "empty")
    assert _listed(f"/services/{slug}/{journey.pages[0].id}", "empty")
    assert _listed(f"/services/{slug}/{journey.pages[0].id}", "errors")
    assert _listed(f"/services/{slug}/check", "check")
    assert _listed(f"/services/{slug}/done", "confirmation")


def test_every_question_type_has_an_audited_page():
    from server.journeys.contact import CONTACT
    pages = {e.url for e in PLAN.entries if e.route == "/services/{journey}/{page}"}
    used: dict[str, set[str]] = {}
    for journey in [*FORMS.journeys()]:
        for page in journey.pages:
            for q in page.questions:
                used.setdefault(q.type, set()).add(f"/services/{journey.journey}/{page.id}")
    for q in CONTACT.pages[0].questions:
        used.setdefault(q.type, set()).add("/services/{journey}/contact")
    contact_listed = any(url.endswith("/contact") for url in pages)
    missing = [kind for kind, urls in used.items()
               if not (urls & pages) and not ("/services/{journey}/contact" in urls
                                              and contact_listed)]
    assert not missing, f"no audited page has a question of type {missing}"


def test_every_state_is_run_none_pending():
    states = {s for e in PLAN.entries for s in e.states}
    assert states == set(plan.STATES)
    assert PLAN.pending == {}  # "offline" was pending until the service worker existed


# --- (c) the pure parts ----------------------------------------------------------------


def test_plan_rejects_mistakes():
    with pytest.raises(plan.PlanError, match="states"):
        plan.parse({"page": [{"route": "/", "url": "/", "states": ["emtpy"]}]})
    with pytest.raises(plan.PlanError, match="send"):
        plan.parse({"page": [{"route": "/t/{token}", "url": "/t/{token}", "states": ["empty"]}]})
    with pytest.raises(plan.PlanError, match="unknown keys"):
        plan.parse({"page": [{"route": "/", "url": "/", "states": ["empty"], "stat": 2}]})


def test_visits_are_ordered_so_saved_answers_never_leak_backwards():
    p = plan.parse({"page": [
        {"route": "a", "url": "/services/x/done", "states": ["confirmation"]},
        {"route": "b", "url": "/services/x/check", "states": ["check"]},
        {"route": "c", "url": "/services/x/p", "states": ["htmx", "empty"]},
    ], "pending": {"offline": "later"}})
    visits = p.visits(["en", "pl"])
    assert len(visits) == 8
    phases = sorted((v.phase, v.state) for v in visits if v.lang == "en")
    assert phases == [(0, "empty"), (1, "htmx"), (2, "check"), (3, "confirmation")]
    assert visits[0].url == "/services/x/done" and visits[0].journey == "x"


def box(x, y, w, h):
    return [x, y, w, h]


def test_small_targets_fail_unless_inline_hidden_labelled_or_spaced():
    targets = [
        {"desc": "big button", "boxes": [box(0, 0, 100, 40)]},
        {"desc": "tiny icon", "boxes": [box(102, 10, 16, 16)]},  # next to the button
        {"desc": "link in a sentence", "boxes": [box(0, 100, 60, 18)], "inline": True},
        {"desc": "skip link", "boxes": [box(0, 0, 1, 1)], "hidden": True},
        {"desc": "radio with label", "boxes": [box(0, 200, 16, 16), box(20, 196, 200, 26)]},
        {"desc": "lonely small link", "boxes": [box(500, 500, 60, 16)]},
    ]
    failures, notes = rules.target_size_failures(targets)
    assert len(failures) == 1 and failures[0].startswith("tiny icon: 16×16 px")
    assert "big button" in failures[0]
    assert any(n.startswith("exempt, inline in a sentence: link in a sentence") for n in notes)
    assert any(n.startswith("lonely small link") and "spacing" in n for n in notes)
    assert not any("skip link" in line or "radio" in line for line in failures + notes)


def test_two_undersized_targets_too_close_for_the_spacing_exception():
    a = {"desc": "a", "boxes": [box(0, 0, 10, 10)]}
    b = {"desc": "b", "boxes": [box(20, 0, 10, 10)]}  # circles overlap, boxes do not touch
    c = {"desc": "c", "boxes": [box(100, 0, 10, 10)]}
    failures, _ = rules.target_size_failures([a, b, c])
    assert [f.split(":")[0] for f in failures] == ["a", "b"]


def test_tab_sequence_from_the_top_and_from_the_middle():
    assert rules.expected_tab_sequence(3, 0) == [0, 1, 2, 0]
    assert rules.expected_tab_sequence(4, 2) == [2, 3, 0, 1, 2]


ITEMS = ["a.ds_skip-links__link “Skip to main content”", "a “Home”", "button “Continue”"]


def start(first=0, from_top=True, **extra):
    return {"count": 3, "items": ITEMS, "first": first, "fromTop": from_top,
            "start": None if from_top else "div#error-summary", "positiveTabindex": [],
            "skipTarget": True, **extra}


def seen(*indexes, **measure):
    return [{"index": i, "diff": ["outline"], "obscured": None, "skipVisible": True,
             **measure} for i in indexes]


def test_keyboard_walk_that_is_right():
    found = rules.keyboard_findings(start(), seen(0, 1, 2, 0))
    assert found == {"order": [], "visible": [], "obscured": [], "notes": []}


def test_keyboard_walk_out_of_order_trapped_invisible_and_covered():
    found = rules.keyboard_findings(start(), seen(0, 2, 1, 0))
    assert found["order"][0].startswith("Tab stop 2: after a.ds_skip-links__link")
    trapped = rules.keyboard_findings(start(), seen(0, 1, 1, 1, 1))
    assert any("keyboard trap" in line for line in trapped["order"])
    assert any("never reached by Tab: button" in line for line in trapped["order"])
    log = seen(0, 1, 2, 0)
    log[1]["diff"] = []
    log[2]["obscured"] = "covered by div.cookie-banner"
    found = rules.keyboard_findings(start(), log)
    assert found["visible"] == ["no visible focus indicator: a “Home”"]
    assert found["obscured"] == ["button “Continue”: covered by div.cookie-banner"]


def test_focus_coming_back_into_the_page_twice_is_one_tab_stop():
    found = rules.keyboard_findings(start(), seen(0, 1, 2, 0, 0))
    assert found["order"] == []


def test_keyboard_skip_link_must_come_first_and_show():
    found = rules.keyboard_findings(start(), seen(1, 2, 0, 1))
    assert any("not the skip link" in line for line in found["order"])
    hidden = seen(0, 1, 2, 0)
    hidden[0]["skipVisible"] = False
    found = rules.keyboard_findings(start(), hidden)
    assert "skip link is not visible when focused" in found["order"]
    # Focus moved by the page (error summary): the walk starts there; no skip-link rule.
    found = rules.keyboard_findings(start(first=2, from_top=False), seen(2, 0, 1, 2))
    assert found["order"] == [] and "focus started on div#error-summary" in found["notes"][0]


def test_an_element_outside_the_focusable_list_is_reported():
    log = seen(0, 1) + [{"index": -2, "desc": "div.scroller"}] + seen(2, 0)
    found = rules.keyboard_findings(start(), log)
    assert "div.scroller (not in the focusable list)" in found["order"][0]


def test_report_groups_a_problem_seen_on_many_pages_and_says_what_passed():
    def visit(key, status, detail):
        return {"key": key, "route": "/", "url": "/" + key, "final_url": "/" + key,
                "state": "empty", "lang": "en", "label": "", "kind": "page", "full": True,
                "status": status, "seconds": 1.0, "timings": {},
                "checks": {"1": {"point": 1, "status": status, "summary": "axe",
                                 "details": [detail] if detail else []},
                           "4": {"point": 4, "status": "n/a", "summary": "why not",
                                 "details": []}}}
    results = [visit("a", "fail", "WCAG: region"), visit("b", "fail", "WCAG: region"),
               visit("c", "pass", "")]
    meta = {"generated": "now", "seconds": 3, "base_url": "http://localhost:1",
            "languages": ["en"], "full_languages": ["en"], "light_note": "",
            "method": {"1": "axe"}}
    html = report.render(results, meta)
    assert html.count("WCAG: region") == 3  # once grouped, once per failing visit
    assert "On 2 visit(s)" in html and '<html lang="en"' in html
    data = report.summary(results, meta)
    assert data["counts"] == {"pass": 1, "fail": 2, "n/a": 3, "pending": 0}
    assert [f["key"] for f in data["failures"]] == ["a", "b"]


# --- the in-page probe and the HTML checker, on planted problems -----------------------

PLANTED = """<!DOCTYPE html><html lang="en"><head><title>t</title><style>
a:focus { outline: none; }
.clip { height: 1.2em; overflow: hidden; width: 300px; }
.wide { width: 500px; }
.tiny { width: 12px; height: 12px; padding: 0; border: 0; }
</style></head><body>
<a class="ds_skip-links__link" href="#main-content">Skip to main content</a>
<main id="main-content" tabindex="-1">
<p><a href="/x">a link that shows no focus</a></p>
<button class="tiny" type="button" aria-label="a"></button><button class="tiny"
  type="button" aria-label="b"></button>
<p class="clip">Some words that fit on one line only</p>
<div class="wide">wide</div>
</main></body></html>"""


@pytest.mark.browser
def test_the_probe_finds_planted_problems(browser):
    from accessibility.audit.browser import PROBE_SOURCE, VIEWPORT, Auditor
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.set_content(PLANTED)
        page.evaluate(PROBE_SOURCE)
        auditor = Auditor(browser, "http://localhost", None, {"en"})
        targets = auditor.check_targets(page)
        assert targets.status == "fail" and len(targets.details) >= 2
        keyboard, obscured = auditor.check_keyboard(page)
        assert keyboard.status == "fail"
        assert any("no visible focus indicator: a" in d and "/x" in d
                   for d in keyboard.details)
        assert obscured.status == "pass"
        reflow, narrow = auditor.check_reflow(page, VIEWPORT)
        assert reflow.status == "fail" and any("div.wide “wide” (500px wide" in d
                                               for d in reflow.details)
        spacing = auditor.check_text_spacing(page, narrow, VIEWPORT["width"])
        assert spacing.status == "fail"
        assert spacing.details[0].startswith("content cut off at 1024px: p.clip")
    finally:
        page.close()


PLANTED_PHONE = """<!DOCTYPE html><html lang="en"><head><title>t</title><style>
body { margin: 0; font: 16px/1.25 sans-serif; }
.caption { display: block; }
h1 { margin: -20px 0 0; font-size: 24px; }
</style></head><body><main>
<a href="/back">Back</a>
<span class="caption">Report building work you think breaks the planning rules in your street</span>
<h1>How does it affect you?</h1>
<div class="ds_question">
  <p class="ds_hint-text">You can enter up to 1000 characters</p>
  <textarea>call 0131 496 0000</textarea>
  <p class="ds_hint-text">You can enter up to 1000 characters</p>
</div>
<div class="ds_question"><fieldset><legend>Date of birth</legend>
  <p class="ds_hint-text">For example, 27 3 1950.</p>
  <p class="ds_hint-text">For example, 27 3 2026</p></fieldset></div>
<p>Call 0131 496 0000 or, in an emergency, 999. Or <a href="tel:01314960000">0131 496 0000</a>.</p>
<p>You can add up to 5 files, 10MB each; ask for reference MLC-7K3P-Q9XD.</p>
</main></body></html>"""


@pytest.mark.browser
def test_the_probe_finds_overlapping_text_repeats_and_bare_phone_numbers(browser):
    """Issue 15: a caption's second line drawn over the h1 at 375 px; a limit said above
    and below a box; two example dates; phone numbers that cannot be tapped."""
    from accessibility.audit.browser import PHONE, PROBE_SOURCE, Auditor
    page = browser.new_page(viewport=PHONE)
    try:
        page.set_content(PLANTED_PHONE)
        page.evaluate(PROBE_SOURCE)
        auditor = Auditor(browser, "http://localhost", None, {"en"})
        auditor.phone_layouts = [page.evaluate("window.__tbAudit.layout()")]
        overlap, repeats, phones = auditor.check_phone_layout()
        assert overlap.status == "fail"
        assert any("Report building work" in d and "How does it affect you" in d
                   for d in overlap.details), overlap.details
        assert repeats.status == "fail"
        assert any("You can enter up to 1000 characters" in d for d in repeats.details)
        assert any("27 3 1950, 27 3 2026" in d for d in repeats.details)
        assert phones.status == "fail"
        assert sorted(d.split("”")[0] for d in phones.details) == ["“0131 496 0000", "“999"]
        page.set_content(PLANTED)  # the other planted page: none of these problems
        page.evaluate(PROBE_SOURCE)
        auditor.phone_layouts = [page.evaluate("window.__tbAudit.layout()")]
        assert [r.status for r in auditor.check_phone_layout()] == ["pass"] * 3
    finally:
        page.close()


@pytest.mark.slow
def test_the_html_checker_reports_errors_by_file(tmp_path):
    from accessibility.audit import vnu
    (tmp_path / "good.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body></body></html>')
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        '<body><form hx-boost="true"><p><div></div></p></form></body></html>')
    found = vnu.validate(tmp_path)
    assert found["good.html"] == []
    assert any("hx-boost" in e for e in found["bad.html"])


# --- (b) the whole audit ---------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_accessibility_audit_passes_in_english_and_arabic(tmp_path):
    """In `make test`: every route × state with every check in English, and the
    language-dependent checks in Arabic (right to left). `make audit` does all five."""
    done = subprocess.run([sys.executable, "-m", "accessibility.audit", "--quiet",
                           "--langs", "en", "ar", "--full-langs", "en", "--jobs", "1",
                           "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False)
    written = tmp_path / "summary.json"
    assert written.exists(), f"the audit stopped early:\n{done.stdout[-4000:]}{done.stderr[-4000:]}"
    summary = json.loads(written.read_text())
    assert done.returncode == 0 and summary["counts"]["fail"] == 0, (
        f"{summary['counts']['fail']} accessibility failures:\n" + done.stdout[-8000:]
        + done.stderr[-2000:])
    assert summary["counts"]["pending"] == 0


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.audit
def test_accessibility_audit_passes_in_every_language():
    """Every route × state × offered language: zero failures (report in
    accessibility/report/index.html)."""
    done = subprocess.run([sys.executable, "-m", "accessibility.audit", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=3600, check=False)
    print(done.stdout[-20000:])
    print(done.stderr[-5000:], file=sys.stderr)
    summary = json.loads((ROOT / "accessibility" / "report" / "summary.json").read_text())
    print(json.dumps({k: summary[k] for k in ("counts", "visits", "visits_failed",
                                               "languages", "timing")}, indent=1))
    assert done.returncode == 0 and summary["counts"]["fail"] == 0, (
        f"{summary['counts']['fail']} accessibility failures; see "
        "accessibility/report/index.html:\n" + done.stdout[-8000:])


def test_a_passing_full_run_dates_the_statement(tmp_path):
    from accessibility.audit.__main__ import mark_tested
    statement = tmp_path / "statement.toml"
    statement.write_text('# last_tested = "2000-01-01" in a comment stays\n'
                         'last_reviewed = "2026-01-01"\nlast_tested = "2026-01-01"\n')
    mark_tested(statement, "2026-11-22")
    assert statement.read_text().splitlines() == [
        '# last_tested = "2000-01-01" in a comment stays', 'last_reviewed = "2026-01-01"',
        'last_tested = "2026-11-22"']
    statement.write_text("compliance = 'partial'\n")
    with pytest.raises(ValueError):
        mark_tested(statement, "2026-11-22")
