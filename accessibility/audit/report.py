"""The audit's output: a readable, accessible HTML report and summary.json."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

from .rules import FAIL, NA, PASS, PENDING, POINTS, counts

STATUS_TEXT = {PASS: "pass", FAIL: "FAIL", NA: "n/a", PENDING: "pending"}
ALL_POINTS = {0: "page loads as listed", **POINTS}

CSS = """
:root { color: #1a1a1a; background: #fff; font: 1rem/1.5 system-ui, sans-serif; }
body { margin: 0 auto; max-width: 80rem; padding: 1rem; }
a { color: #0a4f8f; }
a:focus, summary:focus, [tabindex]:focus { outline: 3px solid #1a1a1a; outline-offset: 2px;
  background: #fdd522; color: #1a1a1a; }
.skip { position: absolute; left: -999rem; }
.skip:focus { position: static; }
.verdict { font-size: 1.25rem; font-weight: bold; padding: .5rem 1rem;
  border-left: .5rem solid; }
.verdict.fail { border-color: #b3000c; background: #fde8e9; }
.verdict.pass { border-color: #2b7f3a; background: #e6f3e8; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .875rem; }
th, td { border: 1px solid #5e5e5e; padding: .25rem .4rem; text-align: left;
  vertical-align: top; }
thead th { background: #ebebeb; }
.s-fail { color: #8c0009; font-weight: bold; background: #fde8e9; }
.s-pass { color: #1d5a28; }
.s-na, .s-pending { color: #4d4d4d; }
details { margin: .25rem 0; }
summary { cursor: pointer; padding: .25rem 0; }
code { overflow-wrap: anywhere; }
.label { font-weight: normal; }
li { overflow-wrap: anywhere; }
"""


def _status_cell(status: str, href: str | None) -> str:
    text = STATUS_TEXT[status]
    inner = f'<a href="{escape(href)}">{text}</a>' if href and status == FAIL else text
    return f'<td class="s-{status.replace("/", "")}">{inner}</td>'


def _visit_title(r: dict[str, Any]) -> str:
    label = f" ({r['label']})" if r["label"] else ""
    return f"{r['url']}{label} — {r['state']} — {r['lang']}"


def failures(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in results:
        for point, check in r["checks"].items():
            if check["status"] == FAIL:
                out.append({"key": r["key"], "url": r["url"], "final_url": r["final_url"],
                            "state": r["state"], "lang": r["lang"], "point": int(point),
                            "check": ALL_POINTS[int(point)], "summary": check["summary"],
                            "details": check["details"]})
    return out


def summary(results: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    fails = failures(results)
    return {
        **meta,
        "counts": counts(results),
        "visits": len(results),
        "visits_failed": sum(1 for r in results if r["status"] == FAIL),
        "failures": fails,
        "pending": sorted({f"{r['url']} {r['state']}: {r['checks']['0']['summary']}"
                           for r in results if r["status"] == PENDING}),
    }


def problem_key(line: str) -> str:
    """A problem as it reads on any page: without vnu's line number and extract."""
    line = re.sub(r"^line \d+: ", "", line)
    return re.sub(r" — “.*”$", "", line)


def _grouped(fails: list[dict[str, Any]]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """point -> problem line -> failing visits (a problem on many pages is listed once)."""
    groups: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for f in fails:
        lines = [d for d in f["details"] if not d.startswith("exempt") and
                 "passes by spacing" not in d] or [f["summary"]]
        for line in dict.fromkeys(problem_key(x) for x in lines):
            groups[f["point"]][line].append(f)
    return groups


def render(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    data = summary(results, meta)
    c = data["counts"]
    ok = c[FAIL] == 0
    out = [
        "<!DOCTYPE html>", '<html lang="en" dir="ltr">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{'Passed' if ok else f'{c[FAIL]} failures'}: accessibility audit – "
        "Tolbooth</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        '<a class="skip" href="#main">Skip to the results</a>',
        '<main id="main" tabindex="-1">', "<h1>Accessibility audit</h1>",
        f'<p class="verdict {"pass" if ok else "fail"}">'
        + ("Passed: no failures." if ok else
           f"Failed: {c[FAIL]} failed checks on {data['visits_failed']} of "
           f"{data['visits']} page visits.") + "</p>",
        "<dl>",
        f"<dt>Run</dt><dd>{escape(meta['generated'])}, {meta['seconds']:.0f} seconds "
        f"against {escape(meta['base_url'])}</dd>",
        f"<dt>Checks</dt><dd>{c[PASS]} passed, {c[FAIL]} failed, {c[NA]} not applicable "
        f"(each with its reason), {c[PENDING]} pending</dd>",
        f"<dt>Languages</dt><dd>{escape(', '.join(meta['languages']))}</dd>",
        f"<dt>Full checks in</dt><dd>{escape(', '.join(meta['full_languages']))}. "
        f"{escape(meta['light_note'])}</dd>",
        "</dl>",
        '<nav aria-label="Sections of this report"><ul>'
        '<li><a href="#failures">Failures by check</a></li>'
        '<li><a href="#pending">Pending</a></li>'
        '<li><a href="#pages">Every page and state</a></li>'
        '<li><a href="#details">Details of each visit</a></li>'
        '<li><a href="#method">What each check does</a></li></ul></nav>',
        '<h2 id="failures">Failures by check</h2>',
    ]
    groups = _grouped(data["failures"])
    if not groups:
        out.append("<p>None.</p>")
    for point in sorted(groups):
        out.append(f"<h3>{point}. {escape(ALL_POINTS[point])}</h3><ul>")
        for line, where in sorted(groups[point].items(), key=lambda kv: -len(kv[1])):
            pages = ", ".join(
                f'<a href="#v-{escape(f["key"])}">{escape(f["final_url"] or f["url"])} '
                f'({escape(f["state"])}, {escape(f["lang"])})</a>' for f in where[:12])
            more = f" and {len(where) - 12} more" if len(where) > 12 else ""
            out.append(f"<li>{escape(line)}<br>On {len(where)} visit(s): {pages}{more}</li>")
        out.append("</ul>")
    out.append('<h2 id="pending">Pending</h2>')
    out.append("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in data["pending"]) + "</ul>"
               if data["pending"] else "<p>None.</p>")
    out += [
        '<h2 id="pages">Every page and state</h2>',
        '<div class="scroll" role="region" aria-labelledby="pages-caption" tabindex="0">',
        "<table>", '<caption id="pages-caption">Result of each check (columns: check '
        "numbers as in /work/shared/ACCESSIBILITY.md; 0 is the page loading as listed)"
        "</caption>", "<thead><tr>", '<th scope="col">Page</th>', '<th scope="col">State</th>',
        '<th scope="col">Language</th>',
    ]
    for point, name in ALL_POINTS.items():
        out.append(f'<th scope="col"><abbr title="{escape(name)}">{point}</abbr></th>')
    out.append("</tr></thead><tbody>")
    for r in results:
        out.append(f'<tr><th scope="row"><a href="#v-{escape(r["key"])}">'
                   f'{escape(r["url"])}</a>'
                   + (f' <span class="label">({escape(r["label"])})</span>' if r["label"] else "")
                   + f'</th><td>{escape(r["state"])}</td><td>{escape(r["lang"])}</td>')
        for point in ALL_POINTS:
            check = r["checks"].get(str(point))
            status = check["status"] if check else NA
            out.append(_status_cell(status, f"#v-{r['key']}"))
        out.append("</tr>")
    out += ["</tbody></table></div>", '<h2 id="details">Details of each visit</h2>']
    for r in results:
        failed = r["status"] == FAIL
        out.append(f'<details id="v-{escape(r["key"])}"{" open" if failed else ""}>'
                   f"<summary>{STATUS_TEXT[r['status']]}: {escape(_visit_title(r))}"
                   f" ({r['seconds']} s)</summary>")
        if r["final_url"] and r["final_url"] != r["url"]:
            out.append(f"<p>Checked at {escape(r['final_url'])}</p>")
        out.append("<ul>")
        for point, check in r["checks"].items():
            out.append(f"<li><strong>{point}. {escape(ALL_POINTS[int(point)])}: "
                       f"{STATUS_TEXT[check['status']]}</strong> — {escape(check['summary'])}")
            if check["details"]:
                out.append("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in check["details"])
                           + "</ul>")
            out.append("</li>")
        out.append("</ul></details>")
    out.append('<h2 id="method">What each check does</h2><dl>')
    for point, text in meta["method"].items():
        out.append(f"<dt>{point}. {escape(ALL_POINTS[int(point)])}</dt><dd>{escape(text)}</dd>")
    out += ["</dl>", "</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def grouped_text(fails: list[dict[str, Any]], per_problem: int = 3) -> list[str]:
    """Failures for a terminal: each distinct problem once, with where it was seen."""
    out = []
    for point, problems in sorted(_grouped(fails).items()):
        out.append(f"[{point}] {ALL_POINTS[point]}")
        for line, where in sorted(problems.items(), key=lambda kv: -len(kv[1])):
            pages = sorted({f"{f['final_url'] or f['url']} ({f['state']}, {f['lang']})"
                            for f in where})
            more = f" and {len(pages) - per_problem} more" if len(pages) > per_problem else ""
            out.append(f"  - {line}\n      on {len(pages)}: {'; '.join(pages[:per_problem])}{more}")
    return out


def write(out_dir: Path, results: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = summary(results, meta)
    (out_dir / "index.html").write_text(render(results, meta), encoding="utf-8")
    (out_dir / "summary.json").write_text(json.dumps(data, indent=2, ensure_ascii=False),
                                          encoding="utf-8")
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    return data
