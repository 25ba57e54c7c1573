"""Throughput of GET / on the real app against a bare Starlette JSON endpoint.

Both run under uvicorn (1 worker) in their own processes; the same load generator
drives both in the same run, in alternating rounds (B A, A B, B A ...) so that drift
in a noisy machine falls on both. The number to read is the ratio app/baseline:
absolute requests per second here say more about the machine than about the app.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from .http1 import Connection
from .loadgen import LoadResult, percentile, run_load
from .report import Result, Table, median
from .servers import HOST, Server

NAME = "home_render"
CONNECTIONS = 16
ROUNDS = 3
ROUND_SECONDS = 3.0
WARMUP_SECONDS = 1.0
# What a browser sends on a first visit: no cookie, so the app does whatever it does for
# a new visitor on every request.
REQUEST_HEADERS = {
    "User-Agent": "tolbooth-bench",
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br",
    "Accept-Language": "en-GB,en;q=0.9",
}
# Below this the baseline server was not kept busy (other processes on the machine, or
# the load generator itself), so its rate, and the ratio, are understated.
BUSY_ENOUGH = 0.7
LABELS = {"baseline": "baseline: bare Starlette JSON", "app": "app: GET / (home page)"}


@dataclass
class Round:
    per_second: float
    p50_ms: float
    p99_ms: float
    server_cpu: float  # fraction of one core
    client_cpu: float

    @classmethod
    def of(cls, load: LoadResult, server_cpu_seconds: float) -> Round:
        latencies = sorted(load.latencies)
        return cls(load.per_second, percentile(latencies, 0.50) * 1000,
                   percentile(latencies, 0.99) * 1000, server_cpu_seconds / load.seconds,
                   load.client_cpu_seconds / load.seconds)


def measure(server: Server, seconds: float) -> Round:
    cpu_before = server.cpu_seconds()
    load = run_load(HOST, server.port, "/", server.host_header, REQUEST_HEADERS,
                    CONNECTIONS, seconds)
    if load.bad_statuses:
        raise RuntimeError(f"{server.kind} answered GET / with {load.bad_statuses} "
                           f"(status: count):\n{server.log_tail()}")
    return Round.of(load, server.cpu_seconds() - cpu_before)


def check_home_page(server: Server) -> int:
    """The app must really be rendering the home page, not an error page; returns its
    size on the wire."""
    conn = Connection(HOST, server.port)
    try:
        response = conn.get("/", server.host_header, REQUEST_HEADERS)
    finally:
        conn.close()
    html = response.body()
    if response.status != 200 or b"<html" not in html or b'id="main-content"' not in html:
        raise RuntimeError(f"GET / did not return the home page (status {response.status})")
    return response.wire_bytes


def ratios(app: list[Round], baseline: list[Round]) -> list[float]:
    """app/baseline per round pair: each pair ran back to back, so shares the drift."""
    return [a.per_second / b.per_second for a, b in zip(app, baseline, strict=True)]


def run() -> Result:
    rounds: dict[str, list[Round]] = {"baseline": [], "app": []}
    with Server("baseline") as baseline, Server("app") as app:
        servers = {"baseline": baseline, "app": app}
        page_bytes = check_home_page(app)
        for server in servers.values():
            measure(server, WARMUP_SECONDS)
        for number in range(ROUNDS):
            order = ("baseline", "app") if number % 2 == 0 else ("app", "baseline")
            for kind in order:
                started = time.perf_counter()
                rounds[kind].append(measure(servers[kind], ROUND_SECONDS))
                print(f"  {NAME}: round {number + 1}/{ROUNDS} {kind:8} "
                      f"{rounds[kind][-1].per_second:8.0f} req/s "
                      f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)

    each = ratios(rounds["app"], rounds["baseline"])
    ratio = median(each)
    table = Table(["server", "req/s", "p50 ms", "p99 ms", "server CPU", "req/s per round"], [])
    metrics: dict[str, object] = {
        "connections": CONNECTIONS, "rounds": ROUNDS, "round_seconds": ROUND_SECONDS,
        "ratio_app_to_baseline": round(ratio, 4),
        "ratio_per_round": [round(r, 4) for r in each],
        "home_page_wire_bytes": page_bytes,
    }
    for kind, samples in rounds.items():
        summary = {
            "requests_per_second": median([s.per_second for s in samples]),
            "p50_ms": median([s.p50_ms for s in samples]),
            "p99_ms": median([s.p99_ms for s in samples]),
            "server_cpu": median([s.server_cpu for s in samples]),
            "client_cpu": median([s.client_cpu for s in samples]),
            "per_round": [round(s.per_second, 1) for s in samples],
        }
        metrics[kind] = {k: (round(v, 3) if isinstance(v, float) else v)
                         for k, v in summary.items()}
        table.rows.append([
            LABELS[kind], f"{summary['requests_per_second']:.0f}", f"{summary['p50_ms']:.1f}",
            f"{summary['p99_ms']:.1f}", f"{summary['server_cpu']:.0%}",
            " ".join(f"{s.per_second:.0f}" for s in samples)])

    lines = [
        f"ratio app/baseline = {ratio:.3f}  (the home page serves at {ratio:.1%} of the rate of "
        f"a bare endpoint; per round: {', '.join(f'{r:.3f}' for r in each)})",
        f"medians over {ROUNDS} rounds of {ROUND_SECONDS:.0f} s, {CONNECTIONS} keep-alive "
        f"connections, first-visit requests (no cookie), home page {page_bytes} bytes on "
        f"the wire (gzip)",
    ]
    busy = metrics["baseline"]["server_cpu"]  # type: ignore[index]
    if busy < BUSY_ENOUGH:
        lines.append(f"note: the baseline server was only {busy:.0%} busy (other processes "
                     "on the machine, or the load generator): its rate is understated, so "
                     "the ratio flatters the app; rerun on a quieter machine")
    return Result(NAME, "GET / throughput against a bare Starlette endpoint",
                  [table], lines, metrics)
