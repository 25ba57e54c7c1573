"""Notification drain: 5,000 queued acknowledgements sent by the app's sender to a real
SMTP server (aiosmtpd) on loopback, against a bare aiosmtplib loop sending the same
5,000 messages over one connection, in the same run.

The app side is everything the outbox does per message: claim a batch (one write),
compose its words from the catalogues, build plain text and HTML, send over a reused
SMTP connection, record the batch (one write). The bare side is the messages already
built (by the same code, untimed) and only `send_message` in a loop. Order: bare, app,
bare; the ratio uses the mean of the two bare runs.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiosmtplib

from .notify_support import app_with_smtp, queue_requests, smtp_sink
from .report import Result, Table

NAME = "notify_drain"
MESSAGES = 5000


def prepared(built: Any) -> list[Any]:
    """The queued messages as the sender would build them (not timed)."""
    from server.db import notify_outbox
    from server.notify.compose import compose
    from server.notify.email_message import build_email
    claimed = built.store.write_sync(notify_outbox.claim_due, MESSAGES)
    built.store.write_sync(notify_outbox.release_claims)
    return [build_email(built.settings, c.id, c.recipient, c.locale,
                        compose(built.settings, built.app.state.forms, c)) for c in claimed]


def bare_loop(port: int, messages: list[Any]) -> float:
    async def run() -> float:
        started = time.perf_counter()
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port)
        await smtp.connect()
        for message in messages:
            await smtp.send_message(message)
        await smtp.quit()
        return time.perf_counter() - started
    return asyncio.run(run())


def run() -> Result:
    from server.db import notify_outbox
    with smtp_sink() as (sink, port), app_with_smtp(port) as built:
        queue_requests(built, MESSAGES, per_transaction=500)
        messages = prepared(built)
        bare = [bare_loop(port, messages)]
        sink.reset()
        with built.client():  # the lifespan starts the sender: it finds 5,000 due
            started = time.perf_counter()
            sink.wait_for_count(MESSAGES, timeout=300)
            app = time.perf_counter() - started
        counts = built.store.read_sync(notify_outbox.counts)
        bare.append(bare_loop(port, messages))
    bare_s = sum(bare) / len(bare)
    table = Table(["sender", "seconds", "messages/s"], [
        ["bare aiosmtplib loop (mean of 2)", f"{bare_s:.2f}", f"{MESSAGES / bare_s:.0f}"],
        ["Tolbooth outbox", f"{app:.2f}", f"{MESSAGES / app:.0f}"]],
        title=f"{MESSAGES} queued emails to a local SMTP server")
    failures = [] if counts == {"sent": MESSAGES} else [f"not all sent: {counts}"]
    lines = [f"ratio outbox/bare (rate): {bare_s / app:.2f}",
             f"outbox {MESSAGES / app:.0f} messages/s, bare {MESSAGES / bare_s:.0f}/s"]
    return Result(NAME, f"notification drain: {MESSAGES} queued emails vs a bare loop",
                  [table], lines, {"app_s": round(app, 2), "bare_s": round(bare_s, 2),
                                   "ratio_rate": round(bare_s / app, 3)}, failures)
