"""The pure parts of the audit: verdicts from measurements. No browser here, so these are
unit-tested directly (tests/test_audit.py)."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

PASS, FAIL, NA, PENDING = "pass", "fail", "n/a", "pending"

POINTS = {
    1: "axe: WCAG 2.2 A/AA and best practice",
    2: "journey completes with JavaScript off",
    3: "error pattern",
    4: "keyboard order, skip link, no trap, focus visible",
    5: "focus not obscured",
    6: "target size at least 24×24",
    7: "reflow at 320 CSS px",
    8: "text spacing (1.4.12)",
    9: "forced colours and reduced motion",
    10: "sign-in without remembering or transcribing",
    11: "time limits",
    12: "help and contact in the same place",
    13: "language: lang, dir, switcher, dir=auto",
    14: "changes announced (live regions, focus)",
    15: "valid HTML after scripts (Nu Html Checker)",
    16: "accessibility statement linked; its sections",
    18: "no text drawn over other text at 320 and 375 px",
    19: "nothing said twice: no repeated hint or sentence, one example per question",
    20: "every phone number a tel: link",
}

# Points that are not about a single page: where they are tested instead.
NOT_PER_PAGE = {
    2: "journey-level: every journey is driven end to end with JavaScript off in "
       "tests/test_browser_journeys.py",
    10: "journey-level: passkeys (Chromium's virtual authenticator) and the emailed "
        "one-time link are driven end to end in tests/test_auth_browser.py",
    11: "journey-level: the staff idle warning and staying signed in are driven with the "
        "Playwright clock in tests/test_auth_browser.py; public pages have no time limit",
}

MIN_TARGET = 24.0


@dataclass
class Result:
    point: int
    status: str
    summary: str
    details: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def passed(point: int, summary: str, details: list[str] | None = None) -> Result:
    return Result(point, PASS, summary, details or [])


def failed(point: int, summary: str, details: list[str] | None = None) -> Result:
    return Result(point, FAIL, summary, details or [])


def not_applicable(point: int, reason: str) -> Result:
    return Result(point, NA, reason)


def verdict(point: int, problems: list[str], ok: str, bad: str,
            notes: list[str] | None = None) -> Result:
    """Pass with `ok` when there are no problems, else fail listing them."""
    if problems:
        return failed(point, bad, problems + (notes or []))
    return passed(point, ok, notes or [])


# --- 6: target size -----------------------------------------------------------------------


def _circle_hits_box(cx: float, cy: float, radius: float, box: list[float]) -> bool:
    x, y, w, h = box
    nearest_x = min(max(cx, x), x + w)
    nearest_y = min(max(cy, y), y + h)
    return math.hypot(cx - nearest_x, cy - nearest_y) < radius - 1e-6


def _centre(box: list[float]) -> tuple[float, float]:
    x, y, w, h = box
    return x + w / 2, y + h / 2


def target_size_failures(targets: list[dict[str, Any]], minimum: float = MIN_TARGET
                         ) -> tuple[list[str], list[str]]:
    """WCAG 2.5.8 over measured targets: (failures, notes).

    Each target: desc, boxes ([x, y, w, h]: the control, then its labels, since clicking
    a label activates the control), inline (a link inside a sentence: exempt), hidden
    (visually hidden until focused, e.g. a skip link: not a target until then).
    A target passes when one of its boxes is at least minimum × minimum, or by the
    spacing exception: a circle of that diameter centred on it touches no other target
    and no other undersized target's circle.
    """
    live = [t for t in targets if not t.get("hidden")]
    notes = []
    undersized = []
    for t in live:
        if any(w >= minimum - 0.01 and h >= minimum - 0.01 for _, _, w, h in t["boxes"]):
            continue
        if t.get("inline"):
            notes.append(f"exempt, inline in a sentence: {t['desc']}")
            continue
        undersized.append(t)
    failures = []
    radius = minimum / 2
    for t in undersized:
        cx, cy = _centre(t["boxes"][0])
        clashes = []
        for other in live:
            if other is t:
                continue
            if any(_circle_hits_box(cx, cy, radius, box) for box in other["boxes"]):
                clashes.append(other["desc"])
            elif other in undersized:
                ox, oy = _centre(other["boxes"][0])
                if math.hypot(cx - ox, cy - oy) < minimum - 1e-6:
                    clashes.append(other["desc"])
        x, y, w, h = max(t["boxes"], key=lambda b: b[2] * b[3])
        if clashes:
            failures.append(f"{t['desc']}: {w:.0f}×{h:.0f} px, and too close to "
                            f"{clashes[0]} for the spacing exception")
        else:
            notes.append(f"{t['desc']}: {w:.0f}×{h:.0f} px, passes by spacing")
    return failures, notes


# --- 4 and 5: keyboard --------------------------------------------------------------------


def expected_tab_sequence(count: int, first: int) -> list[int]:
    """Indexes Tab should reach, starting before item `first` (0 from the top of the
    page), once round every item and back to where it started. Focus leaving the page
    for the browser's own controls after the last item is not part of it (the page may
    or may not see that Tab)."""
    first = first % count if count else 0
    return list(range(first, count)) + list(range(0, first)) + [first]


def keyboard_findings(start: dict[str, Any], log: list[dict[str, Any]]
                      ) -> dict[str, list[str]]:
    """Order, trap, skip-link and visibility problems from a Tab log.

    start: from the page before the first Tab (count, items, first, fromTop, start,
    positiveTabindex, skipTarget); log: one record per Tab the page saw (index: -1 out
    of the page, else the item; desc when the element is not an item; obscured, diff,
    skipVisible). Tab is pressed count + 2 times.
    """
    items: list[str] = start["items"]
    count = start["count"]
    order: list[str] = []
    visible: list[str] = []
    obscured: list[str] = []
    notes: list[str] = []
    if count == 0:
        return {"order": [], "visible": [], "obscured": [], "notes": ["nothing focusable"]}
    expected = expected_tab_sequence(count, start["first"])
    seen = [rec for rec in log if not (rec.get("index", -1) == -1 and "desc" not in rec)]
    raw = [rec["index"] if rec.get("index", -1) >= 0 else -2 for rec in seen]
    # Focus coming back into the page from the browser's own controls can fire focusin
    # twice on the same element: one tab stop, not two.
    steps = [rec for i, rec in enumerate(seen) if i == 0 or raw[i] != raw[i - 1] or raw[i] == -2]
    actual = [rec["index"] if rec.get("index", -1) >= 0 else -2 for rec in steps]

    def name(i: int, rec: dict[str, Any] | None = None) -> str:
        if i == -2:
            return f"{rec.get('desc') if rec else '?'} (not in the focusable list)"
        return items[i]

    for step, (want, got) in enumerate(zip(expected, actual, strict=False)):
        if want != got:
            before = name(actual[step - 1], steps[step - 1]) if step else "the start"
            order.append(f"Tab stop {step + 1}: after {before}, focus went to "
                         f"{name(got, steps[step])}; expected {name(want)}")
            break
    if len(actual) < len(expected):
        order.append(f"only {len(actual)} tab stops seen in {count + 2} presses, expected "
                     f"{len(expected)}: focus stuck or lost (keyboard trap?)")
    reached = {i for i in actual if i >= 0}
    missing = [items[i] for i in range(count) if i not in reached]
    if missing:
        order.append("never reached by Tab: " + "; ".join(missing[:8]))
    if len(raw) >= 3 and len(set(raw[-3:])) == 1:
        order.append(f"focus stuck on {name(raw[-1], seen[-1])} (keyboard trap)")
    if start.get("positiveTabindex"):
        order.append("positive tabindex changes the order: "
                     + "; ".join(start["positiveTabindex"]))
    if start.get("fromTop"):
        first = steps[0] if steps else {}
        if first.get("index") != 0 or "skip" not in items[0].lower():
            order.append(f"first Tab reached {name(actual[0], first) if actual else 'nothing'}"
                         ", not the skip link")
        elif not first.get("skipVisible"):
            order.append("skip link is not visible when focused")
        if not start.get("skipTarget"):
            order.append("skip link target #main-content does not exist")
    else:
        notes.append(f"focus started on {start.get('start')} (where this state left it), "
                     "so Tab order was followed from there round to it; skip link first "
                     "is checked on fresh loads")
    seen_visible: set[int] = set()
    seen_obscured: set[int] = set()
    for rec in steps:
        i = rec.get("index", -1)
        if i < 0:
            continue
        if rec.get("diff") == [] and i not in seen_visible:
            seen_visible.add(i)
            visible.append(f"no visible focus indicator: {items[i]}")
        if rec.get("obscured") and i not in seen_obscured:
            seen_obscured.add(i)
            obscured.append(f"{items[i]}: {rec['obscured']}")
    return {"order": order, "visible": visible, "obscured": obscured, "notes": notes}


# --- 18-20: at a phone's width -------------------------------------------------------------


def phone_layout_findings(layouts: list[dict[str, Any]]) -> dict[str, Any]:
    """Overlaps, repeats and phone numbers without tel: links from layouts measured at
    several widths (probe.js layout()), each problem once, with the widths it was seen at."""
    out: dict[str, Any] = {"widths": [], "overlaps": [], "repeats": [], "phones": []}
    for layout in layouts:
        out["widths"].append(layout["width"])
        for kind in ("overlaps", "repeats", "phones"):
            for problem in layout[kind]:
                line = f"at {layout['width']}px: {problem}" if kind == "overlaps" else problem
                if line not in out[kind]:
                    out[kind].append(line)
    return out


# --- summary ------------------------------------------------------------------------------


def footer_signature(links: list[dict[str, str]]) -> tuple[str, ...]:
    return tuple(link["href"] or "" for link in links)


def most_common(values: list[Any]) -> Any:
    return Counter(values).most_common(1)[0][0] if values else None


def counts(results: list[dict[str, Any]]) -> dict[str, int]:
    c = Counter()
    for visit in results:
        for r in visit["checks"].values():
            c[r["status"]] += 1
    return {k: c.get(k, 0) for k in (PASS, FAIL, NA, PENDING)}
