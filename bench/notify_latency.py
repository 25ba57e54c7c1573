"""Notification latency: from the commit of a status change to the SMTP server's
acceptance of the email it causes, over 200 changes made one after another.

The app runs in this process with its sender started (as its lifespan starts it), on its
own data directory, sending to a real SMTP server (aiosmtpd) on loopback. Each change is
committed by the store's writer (casework.change_status, the staff page's own call); the
clock starts when the write returns (committed) and stops when the server has the
message. The baseline, in the same run: one aiosmtplib.send of a prepared message to the
same server, 200 times: the floor of an SMTP hand-over here. Goal: p95 under 5 s
(GOV.UK Notify sends 95% of messages within 10 s).
"""

from __future__ import annotations

import asyncio
import time
from email.message import EmailMessage

import aiosmtplib

from .loadgen import percentile
from .notify_support import app_with_smtp, message_ids, queue_requests, smtp_sink
from .report import Result, Table

NAME = "notify_latency"
CHANGES = 200
GOAL_P95_S = 5.0


def bare_sends(port: int, count: int) -> list[float]:
    async def run() -> list[float]:
        took = []
        for i in range(count):
            message = EmailMessage()
            message["From"], message["To"] = "a@example.org", f"b{i}@example.org"
            message["Subject"], message["Message-ID"] = "Bench", f"<bare-{i}@bench>"
            message.set_content("A status update of about the same size. " * 20)
            started = time.perf_counter()
            await aiosmtplib.send(message, hostname="127.0.0.1", port=port)
            took.append(time.perf_counter() - started)
        return took
    return asyncio.run(run())


def run() -> Result:
    from server.casework.actions import change_status
    with smtp_sink() as (sink, port), app_with_smtp(port) as built:
        made = queue_requests(built, CHANGES)
        with built.client():  # the lifespan: the sender runs
            sink.wait_for_count(CHANGES, timeout=120)  # the acknowledgements go first
            latencies = []
            for request in made:
                before = set(message_ids(built, "status_changed"))
                built.store.write_sync(change_status, request.id, "in_progress",
                                       "We are on it.", "staff:bench",
                                       built.app.state.notices)
                committed = time.perf_counter()
                new_id = next(m for m in message_ids(built, "status_changed")
                              if m not in before)
                latencies.append(sink.wait_for(new_id, timeout=30) - committed)
        bare = bare_sends(port, CHANGES)
    latencies.sort()
    bare.sort()
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    bare50, bare95 = percentile(bare, 0.5), percentile(bare, 0.95)
    table = Table(["what", "p50 ms", "p95 ms", "max ms"], [
        ["status change commit -> SMTP accepted", f"{p50 * 1000:.1f}", f"{p95 * 1000:.1f}",
         f"{max(latencies) * 1000:.1f}"],
        ["bare aiosmtplib.send (baseline)", f"{bare50 * 1000:.1f}", f"{bare95 * 1000:.1f}",
         f"{max(bare) * 1000:.1f}"]], title=f"{CHANGES} status changes, one at a time")
    lines = [f"ratio p95/goal (5 s): {p95 / GOAL_P95_S:.4f}",
             f"ratio p50 app/bare send: {p50 / bare50:.2f}",
             f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"]
    failures = [f"OVER GOAL: p95 {p95:.2f} s >= {GOAL_P95_S} s"] if p95 >= GOAL_P95_S else []
    return Result(NAME, f"notification latency: commit to SMTP acceptance ({CHANGES} changes)",
                  [table], lines, {"p50_ms": round(p50 * 1000, 2), "p95_ms": round(p95 * 1000, 2),
                                   "bare_p50_ms": round(bare50 * 1000, 2),
                                   "ratio_p95_goal": round(p95 / GOAL_P95_S, 4),
                                   "ratio_p50_bare": round(p50 / bare50, 2)}, failures)
