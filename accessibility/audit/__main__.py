"""python -m accessibility.audit [--out DIR] [--langs en gd ...] [--full-langs en]

Starts the app on a free port, visits every route × state × language listed in
accessibility/routes.toml in real Chromium, checks points 1–16 of ACCESSIBILITY.md, runs
the Nu Html Checker once over every page, writes DIR/index.html and DIR/summary.json
(default accessibility/report/) and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from server import i18n

from . import plan as plan_mod
from . import report, rules, vnu
from .browser import AXE_RUN, AXE_SOURCE, AXE_TAGS, CHROMIUM, CHROMIUM_ARGS, LIGHT_REASON, Auditor
from .live import LiveApp

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "report"

METHOD = {
    0: "The page answers with the status listed and stays at the URL listed (check and "
       "confirmation pages are reached by answering every page validly first; data and "
       "redirect routes are checked for their response only).",
    1: "axe-core (from axe-playwright-python) with the tags wcag2a, wcag2aa, wcag21a, "
       "wcag21aa, wcag22aa and best-practice, in one run: zero violations.",
    2: "Not per page: tests/test_browser_journeys.py drives every journey with JavaScript off.",
    3: "After submitting: an error summary before the h1 and the fields, titled 'There is a "
       "problem' in the page language; <title> starts with the translated 'Error: '; with "
       "JavaScript, focus is on the summary and clicking each link focuses its field; each "
       "link's #id exists and is a field whose aria-describedby (or its fieldset's) points "
       "at its message; typed answers are kept. On other states: no summary and no prefix.",
    4: "Tab pressed through the whole page and round again: the first Tab from the top "
       "reaches the visible skip link, each focusable element (one per radio group) is "
       "reached in DOM order, focus leaves the page after the last one (no trap), no "
       "positive tabindex; on each stop the computed outline, box-shadow, background, "
       "colour, border and text decoration of the element, its label and parent (with "
       "::before/::after) differ from the unfocused look (transitions finished first).",
    5: "On each Tab stop, elementFromPoint at the centre of the focused element (within the "
       "viewport) is the element, a descendant or its label.",
    6: "Every rendered control (links, buttons, inputs with their labels, summary, tabindex "
       "≥ 0) is at least 24×24 CSS px; links inside a sentence are exempt (WCAG 2.5.8 "
       "inline exception), so are visually hidden skip links until focused; undersized "
       "targets pass when a 24 px circle on them touches no other target (spacing).",
    7: "Viewport 320 px wide: document scrollWidth ≤ 320; the outermost elements sticking "
       "out (right, or left in right-to-left pages) are named.",
    8: "The WCAG 1.4.12 spacing (line-height 1.5, letter 0.12em, word 0.16em, paragraph "
       "2em) added as a constructed stylesheet (page.add_style_tag is refused by the page's "
       "CSP; constructed stylesheets are not), at the page's width and at 320 px: no element "
       "with overflow hidden/clip or ellipsis newly cuts off its content, and no new "
       "sideways scrolling.",
    9: "With forced-colors: active and prefers-reduced-motion: reduce emulated, every "
       "focusable element is focused in turn: its look must change (forced colours drop "
       "box-shadows and backgrounds); no CSS animation or transition may start, and none "
       "may run endlessly.",
    10: "Not per page: tests/test_auth_browser.py signs in with passkeys (virtual "
        "authenticator) and emailed links. The audit signs in the same two ways to reach "
        "account, staff and admin pages.",
    11: "Not per page: tests/test_auth_browser.py drives the staff idle warning with the "
        "Playwright clock.",
    12: "The footer is the last landmark, after <main>; its first link is /help, named "
        "'Help and contact' in the page language; the phone line is there; the footer's "
        "links are the same, in the same order, on every page of a language.",
    13: "<html lang> is the language audited and dir is rtl for Arabic, ltr otherwise; the "
        "switcher lists every offered language by its own name with lang, other languages "
        "as links to /language/<code>?next=<this page> with hreflang, the current one "
        "marked aria-current; text inputs and textareas (not numeric ones) have dir=auto.",
    14: "Errors: the summary is role=alert (or focused). After an htmx swap of a question "
        "page: focus is on the new h1 and <title> changed. After an htmx search: the result "
        "count is a role=status region with text. Character counts have a live region. "
        "Otherwise not applicable.",
    15: "document.documentElement.outerHTML after scripts ran, with a doctype, checked by "
        "the Nu Html Checker (vnu-jar, --errors-only), all pages in one run.",
    16: "Every page's footer links to /accessibility, named 'Accessibility' in the page "
        "language; /accessibility has the model statement's sections, in the page language.",
    18: "At 320 and 375 px wide (phones): the line boxes of every piece of visible text in "
        "<main> (Range.getClientRects) are compared; two pieces of text sharing more than a "
        "third of the smaller box (and at least 4×4 px) are drawn over each other.",
    19: "In <main>: no visible block of text (paragraph, hint, label, legend, heading, list "
        "item) says the same words twice within one question, no sentence of 60 characters "
        "or more is shown twice on the page, and no question's hints give two different "
        "example dates.",
    20: "Text in <main> and the footer that reads as a UK phone number (0… or +44…, 10 or "
        "11 digits) or 999 is inside an <a href=\"tel:…\">.",
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m accessibility.audit", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report directory")
    p.add_argument("--langs", nargs="+", default=list(i18n.OFFERED_CODES),
                   help="languages to audit (default: every offered language)")
    p.add_argument("--full-langs", nargs="+", default=["en"],
                   help="languages given every check; the others get the language-dependent"
                        " ones only (default: en)")
    p.add_argument("--only", default="", help="audit only URLs containing this text")
    p.add_argument("--quiet", action="store_true", help="no line per visit")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="browsers working in parallel (default: 2, or 1 on one core)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    unknown = [code for code in args.langs if code not in i18n.OFFERED_CODES]
    if unknown:
        print(f"not offered: {unknown}; offered: {list(i18n.OFFERED_CODES)}", file=sys.stderr)
        return 2
    full_langs = {code for code in args.full_langs if code in args.langs}
    plan = plan_mod.load()
    visits = [v for v in plan.visits(args.langs) if args.only in v.url]
    started = time.monotonic()
    say = (lambda m: None) if args.quiet else (lambda m: print(m, flush=True))
    light_note = ("Other languages visit every route and state too, at a 320 px wide "
                  "viewport throughout, with checks 1 (without colour contrast), 3, 6, 7, 8, "
                  "12, 13, 14, 15 and 16: what translated text can change. 4, 5 and 9 are "
                  "marked n/a there: "
                  + LIGHT_REASON.format(full=", ".join(sorted(full_langs)) or "none") + ".")
    with tempfile.TemporaryDirectory(prefix="tolbooth-audit-html-") as tmp:
        pages_dir = Path(tmp)
        with LiveApp() as live:
            results = run_visits(visits, live, full_langs, max(1, args.jobs), say)
            browsing = time.monotonic() - started
            meta = {
                "generated": datetime.now(UTC).isoformat(timespec="seconds"),
                "base_url": live.url, "languages": args.langs,
                "full_languages": sorted(full_langs), "light_note": light_note,
                "jobs": max(1, args.jobs),
                "method": {str(k): v for k, v in METHOD.items()},
            }
        consistent_footer(results)
        fill_unchecked(results)
        # The report must be accessible too. Its markup does not change with the number of
        # visits, so a sample of it (some passing, some failing visits) goes through vnu
        # with the pages, and through axe (axe on the whole report takes a minute).
        for r in results:
            if r.html is not None:
                (pages_dir / f"{r.visit.key}.html").write_text(r.html, "utf-8")
        dicts = [r.as_dict() for r in results]
        sample = dicts[:6] + [d for d in dicts if d["status"] == rules.FAIL][:6]
        (pages_dir / "zz-report.html").write_text(
            report.render(sample, {**meta, "seconds": browsing}), "utf-8")
        vnu_started = time.monotonic()
        apply_vnu(results, pages_dir)
        vnu_seconds = time.monotonic() - vnu_started
        meta["seconds"] = time.monotonic() - started
        meta["timing"] = {"browser_seconds": round(browsing, 1),
                          "vnu_seconds": round(vnu_seconds, 1)}
        dicts = [r.as_dict() for r in results]
        data = report.write(args.out, dicts, meta)
        self_check = check_report(pages_dir / "zz-report.html")
    data["report_self_check"] = self_check
    report.write(args.out, dicts, {**meta, "report_self_check": self_check})
    c = data["counts"]
    print(f"accessibility audit: {len(results)} visits in {meta['seconds']:.0f}s "
          f"(browser {browsing:.0f}s, vnu {vnu_seconds:.0f}s): {c['pass']} pass, "
          f"{c['fail']} fail, {c['n/a']} n/a, {c['pending']} pending -> "
          f"{args.out / 'index.html'}")
    if data["failures"]:
        print("FAILURES (each problem once, with the pages it was seen on):")
        print("\n".join(report.grouped_text(data["failures"])))
    if self_check["problems"]:
        print("  FAIL the report itself: " + "; ".join(self_check["problems"]))
    failed = bool(c["fail"] or c["pending"] or self_check["problems"])
    if not failed and not args.only and set(args.langs) == set(i18n.OFFERED_CODES):
        mark_tested(STATEMENT, datetime.now(UTC).date().isoformat())
        print(f"the accessibility statement's last_tested is now today: {STATEMENT}")
    return 1 if c["fail"] or self_check["problems"] else 0


STATEMENT = Path(__file__).resolve().parents[1] / "statement.toml"
LAST_TESTED = re.compile(r'^last_tested = "[0-9]{4}-[0-9]{2}-[0-9]{2}"$', re.MULTILINE)


def mark_tested(path: Path, day: str) -> None:
    """A full run (every route, state and offered language) that passes is the test the
    statement's "last tested" date reports."""
    text = path.read_text("utf-8")
    if not LAST_TESTED.search(text):
        raise ValueError(f"{path}: no last_tested line to update")
    path.write_text(LAST_TESTED.sub(f'last_tested = "{day}"', text, count=1), "utf-8")


def run_visits(visits: list, live: LiveApp, full_langs: set[str], jobs: int,
               say) -> list:
    """Share the visits between `jobs` threads, each with its own Playwright and Chromium
    (a visit's session state lives in its worker's browser contexts, so any split works).
    """
    ordered = sorted(visits, key=lambda v: (v.lang, v.phase, v.entry.index))
    shares = [ordered[i::jobs] for i in range(jobs)]
    done: dict[str, object] = {}
    errors: list[BaseException] = []

    def work(share: list) -> None:
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    auditor = Auditor(browser, live.url, live.app.state.forms, full_langs, say,
                                      live)
                    for r in auditor.run(share):
                        done[r.visit.key] = r
                finally:
                    browser.close()
        except BaseException as exc:  # surfaced below, in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(share,)) for share in shares if share]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return [done[v.key] for v in visits]


def consistent_footer(results: list) -> None:
    """Point 12 across pages: the footer's links the same on every page of a language."""
    by_lang: dict[str, list] = {}
    for r in results:
        if r.footer is not None and 12 in r.checks:
            by_lang.setdefault(r.visit.lang, []).append(r)
    for rs in by_lang.values():
        usual = rules.most_common([r.footer for r in rs])
        for r in rs:
            if r.footer != usual and r.checks[12].status != rules.FAIL:
                r.checks[12] = rules.failed(12, "footer differs from the other pages", [
                    f"footer links {list(r.footer)}; every other page has {list(usual)}"])
            elif r.footer != usual:
                r.checks[12].details.append(f"footer links {list(r.footer)}; other pages "
                                            f"have {list(usual)}")


def fill_unchecked(results: list) -> None:
    for r in results:
        for point in [0, *rules.POINTS]:
            if point not in r.checks:
                r.checks[point] = rules.not_applicable(
                    point, "not checked: the audit could not reach this state (see 0)")


def apply_vnu(results: list, pages_dir: Path) -> None:
    try:
        found = vnu.validate(pages_dir)
    except (vnu.VnuUnavailable, OSError) as exc:
        found = None
        reason = str(exc)
    for r in results:
        if r.html is None:
            if 15 in r.checks and r.checks[15].status == rules.PENDING and not r.visit.pending:
                r.checks[15] = rules.not_applicable(15, "no page was serialised")
            continue
        if found is None:
            r.checks[15] = rules.failed(15, "the Nu Html Checker could not run", [reason])
            continue
        errors = found.get(f"{r.visit.key}.html", [])
        r.checks[15] = rules.verdict(15, errors, "valid HTML after scripts",
                                     f"{len(errors)} HTML error(s)")
        r.html = None
    report_errors = (found or {}).get("zz-report.html", [])
    _REPORT_VNU.clear()
    _REPORT_VNU.extend(report_errors if found is not None else ["vnu did not run"])


_REPORT_VNU: list[str] = []


def check_report(index: Path) -> dict:
    """axe on a sample of the report (vnu checked it with the pages)."""
    problems = [f"vnu: {e}" for e in _REPORT_VNU]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(index.resolve().as_uri())
            page.evaluate(AXE_SOURCE)
            for v in page.evaluate(f"(a) => ({AXE_RUN})(a[0], a[1])", [AXE_TAGS, []]):
                problems.append(f"axe: {v['id']} {v['help']} -> {', '.join(v['nodes'])}")
        finally:
            browser.close()
    return {"problems": problems, "checked": ["axe and vnu on a sample of the report"]}


if __name__ == "__main__":
    sys.exit(main())
