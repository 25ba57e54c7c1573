"""The one background sender: claims due notifications a batch at a time, puts their
words together, hands them to SMTP and Notify, and records what happened in one
transaction per batch.

It wakes when a notification is queued (server/notify/notices.py calls `wake` from the
writer thread) and when a retry falls due, with a slow timer as a safety net, so a
message goes out within milliseconds of its commit without polling fast.

Retries: temporary failures wait 1 s, 2 s, 4 s ... up to 15 minutes (both settings), each
wait between half and all of that (jitter, so a recovering server is not hit by every
message at once), until the message is no longer worth sending (its `send_before`).
Permanent failures stop at once. A batch is recorded after it is sent, so a crash can
send the messages of one batch twice, never lose one: at most BATCH messages, each with
the same Message-ID (email) or reference (Notify) as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message

from server.db import Store, notify_outbox
from server.db.clock import iso_in, seconds_until
from server.db.notify_outbox import Claimed, Outcome
from server.forms.formats import is_normalised_email
from server.forms.registry import FormRegistry
from server.notify.compose import TEMPLATES, Words, compose
from server.notify.email_message import build_email, plain_text
from server.notify.notices import Notices
from server.notify.transports import (
    DevOutbox,
    NotifyTexts,
    Result,
    SmtpMail,
    masked,
    not_configured,
)
from server.settings import Settings

log = logging.getLogger("tolbooth.notify")
BATCH = 50
IDLE_CHECK_SECONDS = 60.0  # queuing and retries wake the sender; this is a safety net
CONTACT_FAILED = "contact_failed"
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class RetryPolicy:
    first: float = 1.0
    longest: float = 900.0

    def wait(self, attempts: int) -> float:
        """Seconds before try number attempts + 2: doubling, capped, jittered."""
        ceiling = min(self.first * 2 ** min(attempts, 40), self.longest)
        return ceiling / 2 + random.uniform(0, ceiling / 2)




class Sender:
    def __init__(self, settings: Settings, store: Store, forms: FormRegistry,
                 notices: Notices, policy: RetryPolicy | None = None) -> None:
        self.settings = settings
        self.store = store
        self.forms = forms
        self.notices = notices
        self.policy = policy or RetryPolicy(settings.notify_retry_first_seconds,
                                            settings.notify_retry_longest_seconds)
        self.dev_outbox = DevOutbox()
        self.mail = SmtpMail(settings) if settings.smtp_host else None
        self.texts = NotifyTexts(settings) if settings.notify_api_key else None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is not None and not self._task.done():
            return  # already sending: one sender per app
        loop = asyncio.get_running_loop()
        self._stopping = False
        woken = self._wake = asyncio.Event()
        self.notices.attach(lambda: loop.call_soon_threadsafe(woken.set))
        self._task = asyncio.create_task(self._run(woken), name="notification-sender")

    async def stop(self) -> None:
        """Send what is due (for up to STOP_GRACE_SECONDS: a message queued just before a
        restart goes now, not after it), then stop."""
        # Only the lifespan that started the sender stops it (tests run one app under
        # several clients, each with its own event loop).
        if self._task is not None and self._task.get_loop() is asyncio.get_running_loop():
            self.notices.detach()
            self._stopping = True
            if self._wake is not None:
                self._wake.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE_SECONDS)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
            self._wake = None

    async def _run(self, woken: asyncio.Event) -> None:
        released = await self.store.write(notify_outbox.release_claims)
        if released:
            log.warning("%s notifications claimed before a restart are due again", released)
        while True:
            woken.clear()  # before looking, so a message queued meanwhile wakes us again
            try:
                await self.send_due()
                next_at = await self.store.read(notify_outbox.next_due_at)
            except Exception:  # noqa: BLE001 - the sender must outlive any one failure
                log.exception("notification sender failed; trying again shortly")
                next_at = None
            if self._stopping:
                return
            wait = IDLE_CHECK_SECONDS if next_at is None else seconds_until(next_at)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(),
                                       timeout=min(max(wait, 0.01), IDLE_CHECK_SECONDS))

    async def send_due(self) -> int:
        """Send everything due now; the number of notifications handled."""
        handled = 0
        while batch := await self.store.write(notify_outbox.claim_due, BATCH):
            outcomes = await self._deliver(batch)
            await self.store.write(notify_outbox.record, outcomes)
            handled += len(batch)
        return handled

    async def _deliver(self, batch: Sequence[Claimed]) -> list[Outcome]:
        # Words, HTML and MIME are put together off the event loop: a batch takes tens of
        # milliseconds of CPU that would otherwise hold up every request being served.
        outcomes, done, emails, texts = await asyncio.to_thread(self._prepare, batch)
        results = {**done, **await self._send_emails(emails), **await self._send_texts(texts)}
        by_id = {n.id: n for n in batch}
        outcomes += [self._outcome(by_id[i], result) for i, result in results.items()]
        return outcomes

    def _prepare(self, batch: Sequence[Claimed]) -> tuple[
            list[Outcome], dict[str, Result], list[tuple[Claimed, Message]],
            list[tuple[Claimed, Words]]]:
        """Each notification's outcome when known without sending, its result when it
        has no transport (development, or one not configured), else what to send."""
        outcomes: list[Outcome] = []
        done: dict[str, Result] = {}
        emails: list[tuple[Claimed, Message]] = []
        texts: list[tuple[Claimed, Words]] = []
        for notice in batch:
            early = self._before_sending(notice)
            if early is not None:
                outcomes.append(early)
                continue
            try:
                words = compose(self.settings, self.forms, notice)
                if (self.mail if notice.channel == "email" else self.texts) is None:
                    done[notice.id] = self._without_transport(notice, words)
                elif notice.channel == "sms":
                    texts.append((notice, words))
                else:
                    emails.append((notice, build_email(self.settings, notice.id,
                                                       notice.recipient, notice.locale, words)))
            except Exception as exc:  # noqa: BLE001 - e.g. a form version removed
                log.exception("could not compose notification %s", notice.id)
                outcomes.append(self._outcome(notice, Result("failed", error=str(exc))))
        return outcomes, done, emails, texts

    def _before_sending(self, notice: Claimed) -> Outcome | None:
        if notice.send_before and seconds_until(notice.send_before) < 0:
            return self._outcome(notice, Result("failed", error="no longer worth sending"),
                                 status="expired")
        if notice.stopped:
            return Outcome(notice.id, "suppressed", error="stopped by the resident")
        if notice.unreachable:
            return Outcome(notice.id, "suppressed", error="refused before: not tried again",
                           task=self._task_for(notice))
        if notice.channel == "email" and not is_normalised_email(notice.recipient):
            # Whatever path queued it: an address the form rule would not have made
            # (a display name, a second address, a header line) is never handed to SMTP.
            return self._outcome(notice, Result("failed", error="not a valid email address"))
        return None

    async def _send_emails(self, emails: Sequence[tuple[Claimed, Message]]
                           ) -> dict[str, Result]:
        if not emails or self.mail is None:
            return {}
        return await self.mail.send_all([(n.id, built) for n, built in emails])

    async def _send_texts(self, texts: Sequence[tuple[Claimed, Words]]) -> dict[str, Result]:
        if not texts or self.texts is None:
            return {}
        return await self.texts.send_all([(n.id, n.recipient, words.sms)
                                          for n, words in texts])

    def _without_transport(self, notice: Claimed, words: Words) -> Result:
        if self.settings.https:
            return not_configured(notice.channel, notice.recipient)
        if notice.channel == "email":
            return self.dev_outbox.keep(notice.id, "email", notice.recipient, words.subject,
                                        plain_text(words, "", self.settings.council_name))
        return self.dev_outbox.keep(notice.id, "sms", notice.recipient, words.sms, words.sms)

    def _outcome(self, notice: Claimed, result: Result, status: str | None = None) -> Outcome:
        if result.status == "sent":
            return Outcome(notice.id, "sent", provider_id=result.provider_id)
        if result.status == "retry":
            retry_at = iso_in(timedelta(seconds=self.policy.wait(notice.attempts)))
            if notice.send_before is None or retry_at < notice.send_before:
                log.warning("%s %s to %s: temporary failure, trying again at %s: %s",
                            notice.channel, notice.id, masked(notice.recipient),
                            retry_at, result.error)
                return Outcome(notice.id, "queued", error=result.error, retry_at=retry_at)
            status = "expired"  # the next try would come too late
        log.error("%s %s to %s not sent (%s): %s", notice.channel, notice.id,
                  masked(notice.recipient), status or "failed", result.error)
        return Outcome(notice.id, status or "failed", error=result.error,
                       unreachable=result.unreachable and TEMPLATES[notice.template].update,
                       task=self._task_for(notice))

    def _task_for(self, notice: Claimed) -> str | None:
        return CONTACT_FAILED if TEMPLATES[notice.template].update else None
