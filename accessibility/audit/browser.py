"""Visits every route × state × language in one Chromium and measures points 1–16.

One browser; per language a handful of contexts (JavaScript on, scripts blocked, and a
fresh one for visits that need their own session), each with one reused page. axe-core
and the audit's probe are installed as init scripts, so each page load carries them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import axe_playwright_python
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from server import i18n

from . import rules
from .journeys import Session, SetupError, valid_fields
from .plan import Visit
from .rules import NA, NOT_PER_PAGE, PENDING, Result, failed, not_applicable, verdict

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1024, "height": 768}
# Languages with the lighter checks are audited at 320 px throughout: the reflow check
# needs no resizing, and every other check then also covers the narrowest layout.
NARROW = {"width": 320, "height": 640}
PHONE = {"width": 375, "height": 667}  # a common phone, where captions met headings
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
PROBE_SOURCE = (Path(__file__).parent / "probe.js").read_text()
SCRIPTS = re.compile(r"\.m?js(\?.*)?$")
BUSY = ".htmx-request, .htmx-settling, .htmx-swapping"
# Generous: `make test` runs the audit beside other browser tests on two cores, where a
# page load has taken over 10 s (a timeout is the machine, not an accessibility finding).
TIMEOUT_MS = 30_000

# The model accessibility statement's sections (Public Sector Bodies Accessibility
# Regulations 2018), as English source strings: compared translated.
STATEMENT_SECTIONS = (
    "Feedback and contact information",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service's accessibility",
    "Compliance status",
    "Non-accessible content",
    "How we tested this service",
    "Preparation of this accessibility statement",
)

LIGHT_AXE_SKIP = ["color-contrast", "color-contrast-enhanced"]
LIGHT_REASON = ("checked in full languages only ({full}): keyboard order, focus and forced "
                "colours come from the same templates and CSS in every language")

AXE_RUN = """async (tags, skip) => {
  const rules = {};
  for (const id of skip || []) rules[id] = {enabled: false};
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, rules,
                                     resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    bestPractice: v.tags.includes('best-practice') && !v.tags.some(t => /^wcag/.test(t)),
    nodes: v.nodes.slice(0, 8).map(n => n.target.join(' '))}));
}"""

FILL = """(fields) => {
  // The last form with a button, or the one whose action ends with fill's "form".
  const want = fields.form; delete fields.form;
  const form = Array.from(document.querySelectorAll('main form[method="post"], main form'))
    .filter(f => f.querySelector('[type="submit"]'))
    .filter(f => !want || (f.getAttribute('action') || '').endsWith(want)).pop();
  for (const [name, value] of Object.entries(fields)) {
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    for (const el of (form || document).querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (el.type === 'radio' || el.type === 'checkbox') {
        el.checked = values.includes(el.value);
      } else {
        el.value = values[0];
        el.dispatchEvent(new Event('input', {bubbles: true}));
      }
      el.dispatchEvent(new Event('change', {bubbles: true}));
    }
  }
  const button = form && (form.querySelector('button[type="submit"]:not([name])') ||
                          form.querySelector('[type="submit"]'));
  return button ? window.__tbAudit.path(button) : null;
}"""


COUNTER_FILL = """() => Array.from(document.querySelectorAll(
    '[data-module="ds-character-count"]')).map(c => {
  const el = c.querySelector('textarea, input');
  // SGDS moves maxlength off the field; the limit hint still says it.
  const hint = document.getElementById(el.id + '-limit');
  const max = +(el.getAttribute('maxlength') || c.dataset.maxlength ||
                ((hint && hint.textContent.match(/\\d+/)) || [0])[0]);
  const live = (el.getAttribute('aria-describedby') || '').split(/\\s+/)
    .find(id => /^character-count-remaining/.test(id)) || '';
  if (max) {
    el.value = 'a'.repeat(max - 5);
    el.dispatchEvent(new Event('input', {bubbles: true}));
  }
  return {desc: window.__tbAudit.describe(el), max, live};
})"""


@dataclass
class Texts:
    """Strings the checks compare with, in the page language."""
    code: str
    rtl: bool
    error_prefix: str
    problem: str
    help: str
    accessibility: str
    sections: list[str]
    remaining: str

    @classmethod
    def of(cls, code: str) -> Texts:
        t = i18n.Gettext(code)
        return cls(code, i18n.language(code).rtl, t.gettext("Error:"),
                   t.gettext("There is a problem"), t.gettext("Help and contact"),
                   t.gettext("Accessibility"), [t.gettext(s) for s in STATEMENT_SECTIONS],
                   t.gettext("You have {count} characters remaining"))


@dataclass
class VisitResult:
    visit: Visit
    checks: dict[int, Result] = field(default_factory=dict)
    final_url: str = ""
    seconds: float = 0.0
    html: str | None = None
    footer: tuple[str, ...] | None = None
    full: bool = True
    timings: dict[str, float] = field(default_factory=dict)

    def timed(self, name: str, started: float) -> float:
        now = time.monotonic()
        self.timings[name] = round(self.timings.get(name, 0) + now - started, 3)
        return now

    @property
    def status(self) -> str:
        statuses = {r.status for r in self.checks.values()}
        for s in (rules.FAIL, PENDING, rules.PASS):
            if s in statuses:
                return s
        return NA

    def as_dict(self) -> dict[str, Any]:
        v = self.visit
        return {
            "key": v.key, "route": v.entry.route, "url": v.url, "final_url": self.final_url,
            "state": v.state, "lang": v.lang, "label": v.entry.label, "kind": v.entry.kind,
            "full": self.full, "status": self.status, "seconds": round(self.seconds, 2),
            "timings": self.timings,
            "checks": {str(k): r.as_dict() for k, r in sorted(self.checks.items())},
        }


class Slot:
    """A browser context with one page and its server session."""

    def __init__(self, browser: Browser, base_url: str, forms: Any, lang: str,
                 js: bool, viewport: dict[str, int] = VIEWPORT) -> None:
        self.viewport = viewport
        self.context: BrowserContext = browser.new_context(
            base_url=base_url, viewport=viewport, locale="en-GB")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_cookies([{"name": i18n.COOKIE, "value": lang, "url": base_url}])
        self.context.add_init_script(AXE_SOURCE)
        self.context.add_init_script(PROBE_SOURCE)
        if not js:
            self.context.route(SCRIPTS, lambda route: route.abort())
        self.page: Page = self.context.new_page()
        self.session = Session(self.context, base_url, forms)

    def close(self) -> None:
        self.context.close()


OFFLINE_READY_S = 120  # a full precache is ~140 requests on a shared machine
# The language of the form pages the service worker keeps (pwa/sw/forms_precache.js), or
# null while it has none; only once it is in control.
PAGES_KEPT = """async () => {
    if (!navigator.serviceWorker.controller) return null;
    for (const name of await caches.keys()) {
        if (!name.startsWith('tolbooth-pages-')) continue;
        const meta = await (await caches.open(name)).match('/__tolbooth/pages-meta');
        if (meta) return (await meta.json()).lang;
    }
    return null;
}"""

AUTHENTICATOR = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                 "hasUserVerification": True, "isUserVerified": True,
                 "automaticPresenceSimulation": True}
RESIDENT_EMAIL = "morag@example.org"  # the contact email the journeys' answers give
ADMIN = ("admin@midlothian.example", "Kirsty Admin")
# Staff who sign in with a passkey, by routes.toml's signed_in: only social work may
# open a social work record (issue 10).
STAFF_SIGN_IN = {"admin": (*ADMIN, "admin"),
                 "social_work": ("sw.officer@midlothian.example", "Fiona Social",
                                 "social_work_officer")}
INVITEE = ("audit.invitee@midlothian.example", "Audit Invitee")
# {staff_id} in a url: a seeded colleague of the admin's (server/db/seed.py), for the pages
# about one member of staff (deactivate, change role).
COLLEAGUE = "hub.staff@midlothian.example"


class Auditor:
    def __init__(self, browser: Browser, base_url: str, forms: Any, full_langs: set[str],
                 log: Any = None, live: Any = None) -> None:
        self.browser = browser
        self.base = base_url
        self.forms = forms
        self.full_langs = full_langs
        self.live = live  # the running app: its store and settings, for sign-in and tokens
        self.slots: dict[tuple[str, bool, str | None], Slot] = {}
        self.log = log or (lambda message: None)

    # --- contexts ------------------------------------------------------------------------

    def slot(self, visit: Visit) -> Slot:
        who = visit.entry.signed_in
        offline = visit.state == "offline"
        key = (visit.lang, visit.js, who, offline)
        if key not in self.slots:
            slot = Slot(self.browser, self.base, self.forms, visit.lang, visit.js,
                        self.viewport(visit))
            self.slots[key] = slot
            if offline:
                self.go_offline(slot, visit.lang)
            elif who and visit.js:
                self.sign_in(slot, who)
            elif who:
                # Without JavaScript a passkey cannot be made: share the signed-in
                # session of the JavaScript context instead.
                signed = self.slot(Visit(visit.entry, "empty", visit.lang))
                slot.context.add_cookies(signed.context.cookies())
        return self.slots[key]

    def sign_in(self, slot: Slot, who: str) -> None:
        from server.db import people, staff
        if self.live is None:
            raise SetupError("signing in needs the running app")
        store = self.live.store
        page = slot.page
        if who == "resident":
            token = store.write_sync(people.create_email_link, RESIDENT_EMAIL)
            page.goto(f"/sign-in/link/{token}")
            page.click("main form button[type=submit]")
            page.wait_for_url("**/account/requests")
            return
        email, name, role = STAFF_SIGN_IN[who]
        token = store.write_sync(staff.create_invite, email, role, name, "audit")
        cdp = slot.context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
        page.goto(f"/enrol/{token}")
        page.click("[data-tb-passkey-start]")
        page.wait_for_url(lambda url: "/enrol/" not in url)

    def go_offline(self, slot: Slot, lang: str) -> None:
        """One visit online, as a person would make, until the service worker controls the
        page and has kept the form pages in this language; then the network goes."""
        page = slot.page
        page.goto("/")
        deadline = time.monotonic() + OFFLINE_READY_S
        while page.evaluate(PAGES_KEPT) != lang:
            if time.monotonic() > deadline:
                raise SetupError(f"the service worker did not keep the pages in {lang}")
            page.wait_for_timeout(250)
        slot.context.set_offline(True)

    def colleague(self) -> str:
        from server.db import staff
        if self.live is None:
            raise SetupError("{staff_id} needs the running app")
        found = self.live.store.read_sync(staff.by_email, COLLEAGUE)
        if found is None:
            raise SetupError(f"{{staff_id}}: no {COLLEAGUE} in the audit's database")
        return found.id

    def make_token(self, kind: str) -> str:
        from server.auth import roles
        from server.db import people, staff
        if self.live is None:
            raise SetupError(f"a {kind} token needs the running app")
        if kind == "email-link":
            return self.live.store.write_sync(people.create_email_link, RESIDENT_EMAIL)
        if kind == "continue-link":
            from server.db import continue_links
            from server.journeys.continue_later import link_url
            saved = self.live.store.write_sync(continue_links.create, "audit", "pest-control",
                                               {"version": 1, "submission_id": "audit",
                                                "answers": {}, "contact": None}, "email")
            return link_url(self.live.settings, saved).rsplit("/", 1)[1]
        if kind in ("stop-link", "survey-code"):
            return self.message_link(kind)
        email, name = INVITEE
        return self.live.store.write_sync(staff.create_invite, email,
                                          roles.PLANNING_OFFICER, name, "audit")

    def message_link(self, kind: str) -> str:
        """A token from a message about a request: made for a request of the audit's own,
        as the outbox would make it."""
        import uuid

        from server.db import requests as requests_db
        from server.forms.references import new_reference
        from server.notify import links
        assert self.live is not None
        settings = self.live.settings
        new = requests_db.NewRequest(
            id=str(uuid.uuid4()), journey="pest-control", service="environmental-health",
            form_version=1, answers={}, channel="web", special_category=False,
            contact_name="Morag", contact_email=RESIDENT_EMAIL, contact_phone=None,
            locale="en")
        found = self.live.store.write_sync(requests_db.create_request, new,
                                           lambda: new_reference(settings.council_prefix)
                                           ).request
        if kind == "stop-link":
            return links.stop_link(settings, found.id, "email").rsplit("/", 1)[1]
        return links.survey_code(settings, found.reference, found.id)

    def viewport(self, visit: Visit) -> dict[str, int]:
        return VIEWPORT if visit.lang in self.full_langs else NARROW

    def close(self) -> None:
        for slot in self.slots.values():
            slot.close()
        self.slots.clear()

    # --- running -------------------------------------------------------------------------

    def run(self, visits: list[Visit]) -> list[VisitResult]:
        ordered = sorted(visits, key=lambda v: (v.lang, v.phase, v.entry.index))
        results = {}
        for visit in ordered:
            started = time.monotonic()
            result = VisitResult(visit, full=visit.lang in self.full_langs)
            try:
                self.audit(visit, result)
            except (PlaywrightError, SetupError) as exc:
                result.checks[0] = failed(0, "the audit could not reach this state",
                                          [f"{type(exc).__name__}: {str(exc)[:600]}"])
            result.seconds = time.monotonic() - started
            results[visit.key] = result
            bad = sorted(p for p, r in result.checks.items() if r.status == rules.FAIL)
            shown = "pending" if visit.pending else \
                f"fail {','.join(map(str, bad))}" if bad else "ok"
            self.log(f"{result.seconds:5.1f}s {visit.lang} {visit.state:12} {visit.url}: {shown}")
        self.close()
        return [results[v.key] for v in visits]

    def audit(self, visit: Visit, result: VisitResult) -> None:
        if visit.pending:
            for point in [0, *rules.POINTS]:
                result.checks[point] = Result(point, PENDING, f"pending: {visit.pending}")
            return
        for point, reason in NOT_PER_PAGE.items():
            result.checks[point] = not_applicable(point, reason)
        kind = visit.entry.kind
        if kind == "data":
            return self.audit_data(visit, result)
        if kind == "redirect":
            return self.audit_redirect(visit, result)
        own_slot = None
        if visit.entry.prepare:
            own_slot = Slot(self.browser, self.base, self.forms, visit.lang, visit.js,
                            self.viewport(visit))
            slot = own_slot
        else:
            slot = self.slot(visit)
        try:
            self.audit_page(visit, result, slot)
        finally:
            if own_slot:
                own_slot.close()

    def audit_data(self, visit: Visit, result: VisitResult) -> None:
        slot = self.slot(visit)
        r = slot.context.request.get(self.base + visit.url, max_redirects=0)
        ctype = r.headers.get("content-type", "")
        want = visit.entry.content_type
        problems = []
        if r.status != visit.entry.status:
            problems.append(f"status {r.status}, expected {visit.entry.status}")
        if want not in ctype:
            problems.append(f"content type {ctype!r}, expected {want}")
        elif want == "application/json":
            r.json()
        result.final_url = visit.url
        result.checks[0] = verdict(0, problems, f"{r.status} {ctype}",
                                   f"not the {want} expected")
        for point in rules.POINTS:
            result.checks.setdefault(point, not_applicable(
                point, f"{want} data, not a page people see"))

    def audit_redirect(self, visit: Visit, result: VisitResult) -> None:
        slot = self.slot(visit)
        r = slot.context.request.get(self.base + visit.url, max_redirects=0)
        moves_to = visit.entry.moves_to
        target = moves_to or parse_qs(urlsplit(visit.url).query).get("next", ["/"])[0]
        problems = []
        location = r.headers.get("location", "")
        if r.status not in (302, 303, 307):
            problems.append(f"status {r.status}, expected a redirect")
        if urlsplit(location).path != target:
            problems.append(f"redirects to {location!r}, expected {target!r}")
        if moves_to:  # a plain redirect: no language to set; its target is audited itself
            result.final_url = urlsplit(location).path
            result.checks[0] = verdict(0, problems, f"{r.status} to {location}",
                                       "does not redirect as listed")
            for point in rules.POINTS:
                result.checks.setdefault(point, not_applicable(
                    point, f"a redirect; the page it leads to ({target}) is audited on its own"))
            return
        cookie = r.headers.get("set-cookie", "")
        if f"{i18n.COOKIE}={visit.lang}" not in cookie:
            problems.append(f"does not set {i18n.COOKIE}={visit.lang}")
        page = slot.page
        page.goto(visit.url)
        result.final_url = urlsplit(page.url).path
        lang = page.evaluate("document.documentElement.lang")
        result.checks[0] = verdict(0, problems, f"{r.status} to {location}, cookie set",
                                   "the switcher link does not work")
        result.checks[13] = verdict(
            13, [] if lang == visit.lang else [f"<html lang> is {lang!r} after choosing "
                                                f"{visit.lang!r}"],
            f"the page it leads to is in {visit.lang}", "language not applied")
        for point in rules.POINTS:
            result.checks.setdefault(point, not_applicable(
                point, f"a redirect; the page it leads to ({target}) is audited on its own"))

    # --- pages ---------------------------------------------------------------------------

    def audit_page(self, visit: Visit, result: VisitResult, slot: Slot) -> None:
        page = slot.page
        texts = Texts.of(visit.lang)
        url = visit.url
        for slug in visit.entry.prepare:
            slot.session.walk(slug)
        if visit.entry.send:
            tracking = slot.session.send(visit.entry.send).rsplit("/", 1)[1]
            url = url.replace("{token}", tracking)
            if "{request_id}" in url:
                from server.auth.signed_links import tracking_public_id
                from server.db import tracking_links
                if self.live is None:
                    raise SetupError("{request_id} needs the running app")
                link = self.live.store.read_sync(tracking_links.by_public_id,
                                                 tracking_public_id(tracking) or "")
                url = url.replace("{request_id}", link.request_id if link else "")
        if visit.entry.token:
            url = url.replace("{token}", self.make_token(visit.entry.token))
        if "{staff_id}" in url:
            url = url.replace("{staff_id}", self.colleague())
        journey = visit.journey
        if visit.url.endswith("/check") and journey:
            slot.session.walk(journey)
        elif visit.url.endswith("/done") and journey:
            slot.session.send(journey)

        t = time.monotonic()
        response = page.goto(url)
        t = result.timed("load", t)
        status = response.status if response else 0
        load_problems = []
        if status != visit.entry.status:
            load_problems.append(f"status {status}, expected {visit.entry.status}")
        landed = urlsplit(page.url)
        if landed.path != urlsplit(url).path:
            load_problems.append(f"landed on {landed.path}, expected {urlsplit(url).path}")
        before = {}
        if visit.state == "errors":
            before = self.submit(page, dict(visit.entry.fill), expect_errors=True)
        elif visit.state == "htmx":
            before = self.submit_valid(visit, page)
        if visit.js:
            page.wait_for_function(f"() => !document.querySelector('{BUSY}')")
        t = result.timed("state", t)
        result.final_url = page.evaluate("location.pathname + location.search")
        result.checks[0] = verdict(0, load_problems, f"{status} at {result.final_url}",
                                   "did not load as listed")
        # Serialise first: the DOM after scripts, before any check touches the page.
        result.html = "<!DOCTYPE html>\n" + page.evaluate(
            "document.documentElement.outerHTML")
        facts = page.evaluate("window.__tbAudit.facts()")
        # Kiosk pages are a set of their own (no leaving links): not compared with the rest.
        result.footer = None if facts.get("kiosk") else (
            rules.footer_signature(facts["footer"]["links"]) if facts["footer"] else ())
        full = result.full
        light = LIGHT_REASON.format(full=", ".join(sorted(self.full_langs)))
        t = result.timed("facts", t)

        page.evaluate("window.__tbAudit.finishTransitions()")
        result.checks[1] = self.check_axe(page, full)
        t = result.timed("axe", t)
        result.checks[12] = self.check_help(facts, texts)
        result.checks[13] = self.check_language(visit, facts, texts)
        result.checks[14] = self.check_live(visit, facts, before)
        result.checks[16] = self.check_statement(facts, texts, result.final_url)
        result.checks[6] = self.check_targets(page)
        t = result.timed("targets", t)
        if full:
            result.checks[4], result.checks[5] = self.check_keyboard(page)
            t = result.timed("keyboard", t)
            result.checks[9] = self.check_forced_colours(page, visit)
            t = result.timed("forced", t)
        else:
            for point in (4, 5, 9):
                result.checks[point] = not_applicable(point, light)
        # After the keyboard checks: clicking the summary's links moves focus.
        result.checks[3] = self.check_errors(visit, page, facts, texts, before)
        t = result.timed("errors", t)
        result.checks[7], narrow = self.check_reflow(page, slot.viewport)
        t = result.timed("reflow", t)
        result.checks[18], result.checks[19], result.checks[20] = self.check_phone_layout()
        result.checks[8] = self.check_text_spacing(page, narrow, slot.viewport["width"])
        t = result.timed("spacing", t)
        if visit.js and visit.state == "empty" and facts["characterCounts"]:
            result.checks[14] = self.check_counter(page, texts)
            t = result.timed("counter", t)
        result.checks[15] = Result(15, PENDING, "waiting for the Nu Html Checker")

    def submit(self, page: Page, fields: dict[str, Any], expect_errors: bool) -> dict:
        before = page.evaluate("({title: document.title, h1: Array.from("
                               "document.querySelectorAll('h1')).map(h => h.textContent.trim()),"
                               " url: location.pathname})")
        button = page.evaluate(FILL, fields)
        if not button:
            raise SetupError("no form with a submit button on the page")
        page.click(button)
        page.mouse.move(0, 0)  # no hover styles left on whatever is under the pointer
        page.wait_for_load_state()
        if expect_errors:
            page.wait_for_selector(".ds_error-summary", state="attached")
            if page.evaluate("typeof window.htmx !== 'undefined'"):
                try:
                    page.wait_for_function(
                        "() => { const s = document.querySelector('.ds_error-summary');"
                        " return s && s.contains(document.activeElement); }", timeout=2000)
                except PlaywrightError:
                    pass  # reported by the error pattern check
        return before

    def submit_valid(self, visit: Visit, page: Page) -> dict:
        path = urlsplit(visit.url).path
        if path == "/services":
            before = {"title": page.title(), "h1": [], "url": path}
            page.fill("#service-search", dict(visit.entry.fill).get("q", "noise"))
            page.wait_for_function(
                "() => { const r = document.querySelector('.tb-result-count');"
                f" return r && r.textContent.trim() && !document.querySelector('{BUSY}'); }}")
            return before
        _, _, slug, page_id = path.split("/")
        fields = valid_fields(self.forms.latest(slug), page_id)
        before = self.submit(page, fields, expect_errors=False)
        try:
            page.wait_for_function(
                "(old) => location.pathname !== old && document.activeElement &&"
                f" document.activeElement.closest('h1') && !document.querySelector('{BUSY}')",
                arg=before["url"], timeout=3000)
        except PlaywrightError:
            page.wait_for_function("(old) => location.pathname !== old", arg=before["url"])
        return before

    # --- 1 ------------------------------------------------------------------------------

    def check_axe(self, page: Page, full: bool) -> Result:
        # Colour contrast (half of axe's time) depends on the CSS, not on the words: it
        # runs in the full languages only.
        found = page.evaluate(f"(a) => ({AXE_RUN})(a[0], a[1])",
                              [AXE_TAGS, [] if full else LIGHT_AXE_SKIP])
        details = [f"{'best practice' if v['bestPractice'] else 'WCAG'}: {v['id']} "
                   f"({v['impact']}) {v['help']} → {', '.join(v['nodes'])}" for v in found]
        return verdict(1, details, "no axe violations" + ("" if full else
                       " (colour contrast: checked in the full languages)"),
                       f"{len(found)} axe violation(s)")

    # --- 3 ------------------------------------------------------------------------------

    def check_errors(self, visit: Visit, page: Page, facts: dict, texts: Texts,
                     before: dict) -> Result:
        summary = facts["summary"]
        prefixed = facts["title"].startswith(texts.error_prefix)
        if visit.state != "errors":
            if summary or prefixed:
                return failed(3, "error summary or 'Error:' title shown where no form was sent",
                              [f"title: {facts['title']!r}"])
            return not_applicable(3, "no errors expected in this state (nothing submitted, "
                                     "or valid answers)")
        problems = []
        notes = []
        if not summary:
            return failed(3, "no error summary after submitting the form",
                          [f"landed on {facts['url']}, title {facts['title']!r}"])
        if summary["title"] != texts.problem:
            problems.append(f"summary title {summary['title']!r}, expected {texts.problem!r}")
        if not facts["title"].startswith(texts.error_prefix + " "):
            problems.append(f"<title> {facts['title']!r} does not start with "
                            f"{texts.error_prefix + ' '!r}")
        if not summary["inMain"] or not summary["beforeH1"] or not summary["beforeFields"]:
            problems.append("summary is not at the top of the main content (before the h1 "
                            "and the fields)")
        if not summary["links"]:
            problems.append("summary has no links to the fields")
        for link in summary["links"]:
            if not link["id"]:
                problems.append(f"summary link {link['text']!r} has href {link['href']!r}, "
                                "not #field-id")
                continue
            if not link["target"]:
                problems.append(f"summary link {link['text']!r} points to #{link['id']}, "
                                "which does not exist")
                continue
            if not link["targetIsField"]:
                problems.append(f"#{link['id']} ({link['target']}) is not a field")
            if link["text"] not in link["describedText"]:
                problems.append(f"{link['target']}: message {link['text']!r} is not tied by "
                                f"aria-describedby (it points to {link['described'] or 'nothing'})")
        if visit.js and facts["htmx"]:
            if not facts["activeInSummary"]:
                problems.append(f"focus is on {facts['active'] or 'the page'}, not the error "
                                "summary")
            for jump in page.evaluate("window.__tbAudit.summaryLinkFocus()"):
                if not jump["ok"]:
                    problems.append(f"summary link to #{jump['id']} focused "
                                    f"{jump['focused'] or 'nothing'}")
        else:
            notes.append("JavaScript off: focus on the summary and link focusing are done by "
                         "script, not checked here")
        for name, value in visit.entry.fill:
            if facts["filled"].get(name) not in (None, value):
                problems.append(f"answer to {name!r} not kept: {facts['filled'].get(name)!r}")
        n = len(summary["links"])
        return verdict(3, problems, f"summary with {n} link(s), title prefixed, focus and "
                       "descriptions right", "error pattern broken", notes)

    # --- 12 -----------------------------------------------------------------------------

    def check_help(self, facts: dict, texts: Texts) -> Result:
        footer = facts["footer"]
        if not footer:
            return failed(12, "no footer", [])
        problems = []
        links = footer["links"]
        if facts.get("kiosk"):
            # On a kiosk, help is the hub's staff: "Ask for help" on every page, no links out.
            if not facts.get("kioskHelp"):
                problems.append("kiosk page without the 'Ask for help' button")
            if not footer["afterMain"] or not footer["last"]:
                problems.append("footer is not the last landmark after <main>")
            return verdict(12, problems, "kiosk: 'Ask for help' on the page",
                           "help not where it should be")
        if not links or links[0]["href"] != "/help":
            problems.append(f"first footer link is {links[0] if links else None}, not /help")
        elif links[0]["text"] != texts.help:
            problems.append(f"help link text {links[0]['text']!r}, expected {texts.help!r}")
        if not footer["contact"]:
            problems.append("no phone contact line in the footer")
        if not footer["afterMain"] or not footer["last"]:
            problems.append("footer is not the last landmark after <main>")
        return verdict(12, problems, "help link first in the footer, phone line present",
                       "help and contact not where they should be")

    # --- 13 -----------------------------------------------------------------------------

    def check_language(self, visit: Visit, facts: dict, texts: Texts) -> Result:
        problems = []
        notes = []
        if facts["lang"] != visit.lang:
            problems.append(f"<html lang={facts['lang']!r}>, expected {visit.lang!r}")
        want_dir = "rtl" if texts.rtl else "ltr"
        if facts["dir"] != want_dir:
            problems.append(f"<html dir={facts['dir']!r}>, expected {want_dir!r}")
        offered = i18n.OFFERED
        switcher = facts["switcher"]
        if len(offered) < 2:
            notes.append("one language offered: no switcher expected")
        elif not switcher:
            problems.append("no language switcher")
        else:
            here = urlsplit(facts["url"])
            path = here.path + (f"?{here.query}" if here.query else "")
            stale: set[str] = set()
            items = {item["lang"]: item for item in switcher["items"]}
            for language in offered:
                item = items.get(language.code)
                if item is None:
                    problems.append(f"switcher has no entry with lang={language.code!r}")
                    continue
                if item["text"] != language.own_name:
                    problems.append(f"switcher entry {item['text']!r} should be "
                                    f"{language.own_name!r}")
                if language.code == visit.lang:
                    if not item["current"]:
                        problems.append(f"{language.own_name}: current language not marked "
                                        "aria-current")
                    continue
                if item["hreflang"] != language.code:
                    problems.append(f"{language.own_name}: hreflang={item['hreflang']!r}")
                href = urlsplit(item["href"] or "")
                nxt = parse_qs(href.query).get("next", [""])[0]
                if href.path != f"/language/{language.code}":
                    problems.append(f"{language.own_name}: href {item['href']!r}")
                elif nxt != path:
                    stale.add(nxt)
            if stale:
                problems.append(f"language switcher links return to {', '.join(sorted(stale))}"
                                f", not to this page {path}")
        for field_ in facts["freeText"]:
            if field_["dir"] != "auto":
                problems.append(f"free text field without dir=\"auto\": {field_['desc']}")
        return verdict(13, problems, f"lang={facts['lang']} dir={facts['dir']}, switcher "
                       "right, free text dir=auto", "language markup wrong", notes)

    # --- 14 -----------------------------------------------------------------------------

    def check_live(self, visit: Visit, facts: dict, before: dict) -> Result:
        problems = []
        summary = facts["summary"]
        if visit.state == "errors":
            if not summary:
                return failed(14, "no error summary to announce")
            if summary["role"] != "alert" and not facts["activeInSummary"]:
                problems.append("error summary neither role=alert nor focused")
            return verdict(14, problems, f"error summary role={summary['role']}"
                           + (", focused" if facts["activeInSummary"] else ""),
                           "errors not announced")
        if visit.state == "htmx":
            if urlsplit(visit.url).path == "/services":
                count = facts["resultCount"]
                if not count or count["role"] != "status":
                    problems.append("search result count is not a role=status live region")
                elif not count["text"]:
                    problems.append("result count live region is empty after the search")
                return verdict(14, problems, f"result count announced: {count and count['text']!r}",
                               "search results not announced")
            if not facts["activeIsH1"]:
                problems.append(f"after the htmx swap focus is on {facts['active'] or 'the page'}"
                                ", not the new h1")
            if facts["title"] == before.get("title"):
                problems.append(f"<title> not updated by the swap: {facts['title']!r}")
            if before.get("h1") and facts["h1"] == before["h1"]:
                problems.append("the h1 did not change: the swap did not happen")
            return verdict(14, problems, f"new h1 focused, title {facts['title']!r}",
                           "htmx swap not announced")
        if visit.js and facts["characterCounts"]:
            for c in facts["characterCounts"]:
                if not c["live"]:
                    problems.append(f"character count without a live region: {c['desc']}")
            return verdict(14, problems, "character count has a live region",
                           "character count not announced")
        return not_applicable(14, "nothing on the page changes without a page load in this "
                                  "state" + ("" if visit.js else " (scripts blocked)"))

    def check_counter(self, page: Page, texts: Texts) -> Result:
        """Type to 5 characters short of the limit: the count's live region must say so,
        in the page language."""
        fields = page.evaluate(COUNTER_FILL)
        problems = []
        for f in fields:
            if not f["max"]:
                problems.append(f"{f['desc']}: no maximum length found")
                continue
            want = texts.remaining.replace("{count}", "5")
            try:  # SGDS copies the count to its live region a second after typing stops
                page.wait_for_function(
                    "(a) => { const e = document.getElementById(a[0]); return e &&"
                    " e.textContent.trim() === a[1]; }", arg=[f["live"], want], timeout=3000)
            except PlaywrightError:
                pass
            said = page.evaluate("(id) => { const e = document.getElementById(id); return e ?"
                                 " [e.getAttribute('aria-live'), e.textContent.trim()] : null; }",
                                 f["live"])
            if not said or said[0] not in ("polite", "assertive"):
                problems.append(f"{f['desc']}: no aria-live region ({f['live'] or 'none'}) "
                                "after typing")
            elif said[1] != want:
                problems.append(f"{f['desc']}: live region says {said[1]!r}, expected {want!r}")
        return verdict(14, problems, f"character count announces {texts.remaining!r} "
                       "(5 left) through its live region", "character count not announced")

    # --- 16 -----------------------------------------------------------------------------

    def check_statement(self, facts: dict, texts: Texts, url: str) -> Result:
        problems = []
        links = facts["footer"]["links"] if facts["footer"] else []
        found = [link for link in links if link["href"] == "/accessibility"]
        if not found:
            problems.append("no link to /accessibility in the footer")
        elif found[0]["text"] != texts.accessibility:
            problems.append(f"statement link text {found[0]['text']!r}, expected "
                            f"{texts.accessibility!r}")
        ok = "statement linked from the footer"
        if urlsplit(url).path == "/accessibility":
            missing = [s for s in texts.sections if s not in facts["headings"]]
            if missing:
                problems.append("statement lacks sections: " + "; ".join(missing))
            ok += f"; all {len(texts.sections)} sections present"
        return verdict(16, problems, ok, "accessibility statement missing or incomplete")

    # --- 6 ------------------------------------------------------------------------------

    def check_targets(self, page: Page) -> Result:
        targets = page.evaluate("window.__tbAudit.targets()")
        failures, notes = rules.target_size_failures(targets)
        return verdict(6, failures, f"{len(targets)} targets at least 24×24 (or exempt)",
                       "targets smaller than 24×24", notes)

    # --- 4, 5 ---------------------------------------------------------------------------

    def check_keyboard(self, page: Page) -> tuple[Result, Result]:
        # Reduced motion while tabbing: the page scrolls smoothly otherwise, and where the
        # focused element ends up is what matters, not where it is mid-scroll.
        page.emulate_media(reduced_motion="reduce")
        try:
            start = page.evaluate("window.__tbAudit.startKeyLog()")
            for _ in range(start["count"] + 2):
                page.keyboard.press("Tab")
            log = page.evaluate("window.__tbAudit.endKeyLog()")
        finally:
            page.emulate_media(reduced_motion="null")
        found = rules.keyboard_findings(start, log)
        four = verdict(4, found["order"] + found["visible"],
                       f"{start['count']} tab stops in DOM order"
                       + (", skip link first" if start["fromTop"] else "")
                       + ", no trap, focus visible on each", "keyboard problems",
                       found["notes"])
        five = verdict(5, found["obscured"], f"each of {start['count']} focused elements "
                       "visible at its centre", "focused element hidden")
        return four, five

    # --- 9 ------------------------------------------------------------------------------

    def check_forced_colours(self, page: Page, visit: Visit) -> Result:
        page.emulate_media(forced_colors="active", reduced_motion="reduce")
        try:
            page.keyboard.press("Tab")  # so script focus shows :focus-visible
            found = page.evaluate("window.__tbAudit.focusLoop()")
        finally:
            page.emulate_media(forced_colors="null", reduced_motion="null")
        problems = [f"no visible focus indicator in forced colours: {d}"
                    for d in found["invisible"]]
        moving: dict[str, set[str]] = {}
        for a in found["animations"]:
            moving.setdefault(a["target"], set()).add(f"{a['name']} {a['ms']}ms")
        if moving:
            kinds = sorted({k for ks in moving.values() for k in ks})
            first = next(iter(moving))
            problems.append(f"with prefers-reduced-motion: reduce, animations or transitions "
                            f"still run on {len(moving)} element(s) ({', '.join(kinds[:6])}), "
                            f"e.g. {first}")
        for d in found["endless"]:
            problems.append(f"endless animation: {d}")
        return verdict(9, problems, f"focus visible on {found['count']} controls in forced "
                       "colours; nothing moves with reduced motion",
                       "forced colours or reduced motion not respected")

    # --- 7, 8 ---------------------------------------------------------------------------

    def check_reflow(self, page: Page, viewport: dict[str, int]
                     ) -> tuple[Result, dict[str, Any] | None]:
        """Point 7 at 320 px; and, while there, text spacing at 320 px for point 8 (the
        narrow layout is where spacing runs out of room)."""
        narrow = viewport["width"] <= NARROW["width"]
        spacing = None
        self.phone_layouts = []
        if not narrow:
            page.set_viewport_size(NARROW)
        try:
            width = page.evaluate("document.documentElement.scrollWidth")
            culprits = page.evaluate("window.__tbAudit.overflowing(320)") if width > 320 else []
            # While the page is phone-sized: points 18-20, at 320 px and at 375 px.
            self.phone_layouts.append(page.evaluate("window.__tbAudit.layout()"))
            if not narrow:
                spacing = page.evaluate("window.__tbAudit.textSpacing()")
            page.set_viewport_size(PHONE)
            self.phone_layouts.append(page.evaluate("window.__tbAudit.layout()"))
        finally:
            page.set_viewport_size(viewport)
        problems = []
        if width > 320:
            problems.append("the page scrolls sideways at 320px")
            problems.append(f"page is {width}px wide; sticking out: "
                            + ("; ".join(culprits) or "(nothing found to the right or left)"))
        return verdict(7, problems, f"{width}px wide at 320px: no horizontal scrolling",
                       "horizontal scrolling at 320px"), spacing

    def check_phone_layout(self) -> tuple[Result, Result, Result]:
        """Points 18-20 from the layouts check_reflow measured at 320 and 375 px."""
        found = rules.phone_layout_findings(getattr(self, "phone_layouts", []))
        widths = " and ".join(f"{w}px" for w in found["widths"]) or "no width"
        return (verdict(18, found["overlaps"], f"no text overlaps other text at {widths}",
                        "text drawn over other text"),
                verdict(19, found["repeats"], "no hint or sentence shown twice, one example "
                        "date per question", "the same words shown twice"),
                verdict(20, found["phones"], "every phone number is a tel: link",
                        "phone numbers that are not tel: links"))

    def check_text_spacing(self, page: Page, narrow: dict[str, Any] | None = None,
                           width: int = 0) -> Result:
        wide = page.evaluate("window.__tbAudit.textSpacing()")
        problems = []
        where = [(f"{width}px", wide)] + ([("320px", narrow)] if narrow else [])
        for label, found in where:
            if not found["applied"]:
                return failed(8, "the text-spacing stylesheet did not apply")
            problems += [f"content cut off at {label}: {c}" for c in found["clipped"]]
            if found["wider"]:
                problems.append(f"the page scrolls sideways at {label} with the spacing")
                problems += [f"sticking out at {label}: {c}" for c in found["culprits"]]
        return verdict(8, problems, "nothing clipped with WCAG 1.4.12 spacing at "
                       + " and ".join(label for label, _ in where),
                       "content lost with text spacing")
