"""First-visit transfer size of a service's start page against a 60 KB budget, and the
repeat visit: zero network bytes for the app shell once the service worker has it.

Fetches the start page (PAGE) as a browser would (Accept-Encoding: br, gzip; empty
cache), then every subresource the HTML names and every url()/@import its CSS
references, and sums the bytes on the wire: response head (HTTP/1.1, exactly as
received) + body as sent (compressed). Baseline: the same page with the full Scottish
Government Design System CSS and JS in place of our subset, brotli-compressed (quality
11) as we would serve them. Then Chromium loads the page and its own byte count is
reported beside ours. What the service worker precaches after the first load (its own
fetches, in its own target) is not part of the first visit. Then the same Chromium
profile loads the page again: the app shell (everything under /static/, and the
manifest) must come from the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import brotli

from . import browser_transfer, repeat_visit
from .http1 import Connection, Response, http1_header_bytes
from .page_resources import css_imports, css_urls, html_subresources
from .report import Result, Table, kb
from .servers import HOST, ROOT, Server

NAME = "first_visit"
PAGE = "/services/noise-complaint"  # a service's start page: where a person lands
BUDGET = 60 * 1024
REQUEST_HEADERS = {
    "User-Agent": "tolbooth-bench",
    "Accept": "*/*",
    "Accept-Encoding": "br, gzip",
    "Accept-Language": "en-GB,en;q=0.9",
}
SGDS_DIST = ROOT / "pwa" / "node_modules" / "@scottish-government" / "design-system" / "dist"
# Our subset -> the full SGDS file it stands in for, in the baseline.
FULL_SGDS = {
    "/static/build/tolbooth.css": SGDS_DIST / "css" / "design-system.min.css",
    "/static/build/tolbooth.js": SGDS_DIST / "scripts" / "design-system.js",
}
IMPLICIT_ICON = "implicit icon"
# Crawl and browser counts further apart than this get a warning.
AGREEMENT = 0.10


@dataclass
class Fetched:
    url: str
    kind: str
    response: Response

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


def crawl(server: Server) -> list[Fetched]:
    """The page and everything it needs to render, each fetched once, in order."""
    origin = server.url
    conn = Connection(HOST, server.port)
    fetched: list[Fetched] = []
    try:
        def get(url: str, kind: str, must_exist: bool = True) -> Fetched:
            parts = urlsplit(url)
            if parts.netloc != urlsplit(origin).netloc:
                raise RuntimeError(f"the page loads {url} from another origin; this benchmark "
                                   "only fetches from the loopback server")
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            item = Fetched(url, kind, conn.get(target, server.host_header, REQUEST_HEADERS))
            if must_exist and item.response.status != 200:
                raise RuntimeError(f"GET {target} ({kind}) answered {item.response.status}")
            fetched.append(item)
            return item

        page_url = urljoin(origin, PAGE)
        page = get(page_url, "document")
        queue = html_subresources(page.response.body().decode("utf-8"), origin)
        if not any(kind == "icon" for kind, _ in queue):
            # With no <link rel="icon">, browsers ask for /favicon.ico; it costs bytes
            # even when it is a 404.
            get(urljoin(origin, "/favicon.ico"), IMPLICIT_ICON, must_exist=False)
        seen = {page_url}
        while queue:
            kind, url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            item = get(url, kind)
            if kind == "stylesheet" or kind == "css @import":
                css = item.response.body().decode("utf-8")
                imports = css_imports(css)
                for ref in css_urls(css):
                    queue.append(("css @import" if ref in imports else "css url()",
                                  urljoin(url, ref)))
    finally:
        conn.close()
    return fetched


def full_sgds_bytes(fetched: list[Fetched]) -> list[tuple[str, int]]:
    """The page's resources with our SGDS subset swapped for the full SGDS files."""
    rows = []
    swapped = set()
    for item in fetched:
        full = FULL_SGDS.get(item.path)
        if full is None:
            rows.append((item.path, item.response.wire_bytes))
            continue
        if not full.exists():
            raise RuntimeError(f"{full} is missing: run `make assets` (npm ci in pwa/)")
        body = brotli.compress(full.read_bytes(), quality=11)
        r = item.response
        headers = [(n, str(len(body)) if n.lower() == "content-length" else v)
                   for n, v in r.headers]
        rows.append((f"{item.path} -> SGDS {full.name}",
                     http1_header_bytes(r.status, r.reason, headers) + len(body)))
        swapped.add(item.path)
        if full.suffix == ".css":
            for ref in css_urls(full.read_text()):
                extra = (full.parent / ref.split("?")[0].split("#")[0]).resolve()
                if extra.is_file():
                    rows.append((f"  SGDS {ref}", len(brotli.compress(extra.read_bytes(), 11))))
    missing = set(FULL_SGDS) - swapped
    if missing:
        raise RuntimeError(f"{PAGE} no longer loads {', '.join(sorted(missing))}; "
                           "update FULL_SGDS in bench/first_visit.py")
    return rows


def run() -> Result:
    with Server("app") as server:
        fetched = crawl(server)
        loaded, browser_accept = browser_transfer.first_visit(urljoin(server.url, PAGE))
        first, second = repeat_visit.repeat_visit(urljoin(server.url, PAGE))

    total = sum(f.response.wire_bytes for f in fetched)
    table = Table(["resource", "kind", "encoding", "head B", "body B", "total B"], [
        [f.path + (" (+query)" if urlsplit(f.url).query else ""),
         f.kind + ("" if f.response.status == 200 else f" ({f.response.status})"),
         f.response.header("content-encoding") or "none", str(f.response.head_bytes),
         str(len(f.response.wire_body)), str(f.response.wire_bytes)] for f in fetched],
        title="first visit, our build (Accept-Encoding: br, gzip)")
    table.rows.append(["TOTAL", "", "", "", "", str(total)])

    baseline_rows = full_sgds_bytes(fetched)
    baseline = sum(size for _, size in baseline_rows)
    baseline_table = Table(["resource (baseline: full SGDS, br q11)", "total B"],
                           [[name, str(size)] for name, size in baseline_rows],
                           title="baseline: the same page with the full SGDS CSS + JS")
    baseline_table.rows.append(["TOTAL", str(baseline)])

    browser_total = sum(item.bytes for item in loaded)
    browser_table = Table(["URL", "type", "status", "encoding", "bytes"], [
        [urlsplit(i.url).path, i.type, str(i.status), i.encoding or "none", str(i.bytes)]
        for i in loaded], title=f"Chromium, fresh profile (it sent Accept-Encoding: "
                                f"{browser_accept or '?'})")
    browser_table.rows.append(["TOTAL", "", "", "", str(browser_total)])

    lines = [
        f"ratio total/budget = {total / BUDGET:.3f}  ({total} B = {kb(total)} of "
        f"{kb(BUDGET)}; {len(fetched)} requests)",
        f"ratio ours/full SGDS = {total / baseline:.3f}  (full SGDS page: {baseline} B = "
        f"{kb(baseline)}; subsetting saves {baseline - total} B)",
        f"Chromium cross-check: {browser_total} B = {kb(browser_total)}, "
        f"ratio {browser_total / BUDGET:.3f} of budget, {len(loaded)} requests "
        f"(browser/crawl = {browser_total / total:.3f})",
    ]
    for f in fetched:
        if f.response.status != 200:
            lines.append(f"note: {f.path} ({f.kind}) answered {f.response.status} and still "
                         f"cost {f.response.wire_bytes} B")
    if abs(browser_total - total) > AGREEMENT * total:
        lines.append("warning: Chromium and the crawl disagree by more than "
                     f"{AGREEMENT:.0%}; compare the two tables (encodings, extra requests)")
    failures = []
    for label, size in (("crawl", total), ("Chromium", browser_total)):
        if size > BUDGET:
            failures.append(f"OVER BUDGET: first visit ({label}) is {size} B = {kb(size)}, "
                            f"budget {BUDGET} B = {kb(BUDGET)} ({size / BUDGET:.0%})")
    metrics = {
        "budget_bytes": BUDGET,
        "total_bytes": total,
        "ratio_total_to_budget": round(total / BUDGET, 4),
        "resources": [{"path": f.path, "kind": f.kind,
                       "encoding": f.response.header("content-encoding"),
                       "head_bytes": f.response.head_bytes,
                       "body_bytes": len(f.response.wire_body)} for f in fetched],
        "full_sgds_baseline_bytes": baseline,
        "ratio_total_to_full_sgds": round(total / baseline, 4),
        "browser_total_bytes": browser_total,
        "browser_accept_encoding": browser_accept,
        "browser_resources": [vars(i) for i in loaded],
    }
    repeat_table, repeat_lines, repeat_metrics, repeat_failures = _repeat(first, second)
    metrics["repeat_visit"] = repeat_metrics
    return Result(NAME, f"first-visit transfer size of a service's start page ({PAGE}), "
                  "and the repeat visit", [table, baseline_table, browser_table, repeat_table],
                  lines + repeat_lines, metrics, failures + repeat_failures)


def _is_shell(url: str) -> bool:
    path = urlsplit(url).path
    return path.startswith("/static/") or path == "/manifest.webmanifest"


def _repeat(first: repeat_visit.Visit, second: repeat_visit.Visit
            ) -> tuple[Table, list[str], dict[str, object], list[str]]:
    rows = []
    for label, visit in (("first", first), ("second", second)):
        for source, items in (("network", visit.network), ("service worker", visit.from_worker)):
            for i in items:
                rows.append([label, urlsplit(i.url).path, "app shell" if _is_shell(i.url)
                             else i.type, source, str(i.bytes if source == "network" else 0)])
    table = Table(["visit", "URL", "kind", "answered by", "network B"], rows,
                  title="Chromium, one profile: first visit, then the same page again")
    shell_first = [i for i in first.network if _is_shell(i.url)]
    shell_network = sum(i.bytes for i in second.network if _is_shell(i.url))
    shell_worker = [i for i in second.from_worker if _is_shell(i.url)]
    page_bytes = sum(i.bytes for i in second.network if not _is_shell(i.url))
    lines = [
        f"repeat visit: app shell from the network = {shell_network} B "
        f"({len(shell_worker)} of {len(shell_first)} shell files answered by the service "
        f"worker; first visit took {sum(i.bytes for i in shell_first)} B for them)",
        f"repeat visit: everything else from the network = {page_bytes} B (the page itself "
        "is network first; with navigation preload its bytes are counted by the worker)",
    ]
    failures = []
    if shell_network or len(shell_worker) < len(shell_first):
        failures.append(f"REPEAT VISIT: {shell_network} B of app shell came from the network "
                        f"and {len(shell_worker)}/{len(shell_first)} shell files from the "
                        "service worker; expected 0 B and all of them")
    metrics: dict[str, object] = {
        "shell_network_bytes": shell_network, "shell_files_first_visit": len(shell_first),
        "shell_files_from_worker": len(shell_worker), "other_network_bytes": page_bytes}
    return table, lines, metrics, failures
