"""Text messages through GOV.UK Notify (its official client), off the request path.

Handlers queue a text in the database (server/db/sms_outbox.py) in the same transaction
as what it announces, then wake the sender. One asyncio task, started with the app, hands
due texts to Notify: a 5xx, a 429 or a network failure is retried with back-off for as
long as the text is worth sending; any other 4xx is logged and the text given up, since
sending it again would be refused again.

Notify has one template whose whole content is ((body)): the words are ours, translated
in our catalogues like every other string, so each language needs no template of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from server.db import Store, sms_outbox
from server.db.clock import seconds_until
from server.db.resident_phones import masked
from server.settings import Settings

log = logging.getLogger("tolbooth.sms")
FIRST_RETRY = timedelta(seconds=1)
LONGEST_WAIT = timedelta(minutes=15)
CLAIM_LEASE = timedelta(minutes=2)  # longer than the client's 20 s timeout
IDLE_CHECK_SECONDS = 60.0  # retries wake the sender; this is only a safety net


def backoff(attempts: int) -> timedelta:
    """1 s, 2 s, 4 s … up to 15 minutes between tries."""
    return min(FIRST_RETRY * (2 ** min(attempts, 20)), LONGEST_WAIT)



class TextSender:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self._wake: asyncio.Event | None = None  # made in start(): it belongs to one loop
        self._task: asyncio.Task[None] | None = None
        self._client = (NotificationsAPIClient(settings.notify_api_key,
                                               base_url=settings.notify_base_url, timeout=20)
                        if settings.notify_api_key else None)

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def start(self) -> None:
        if self._task is not None and not self._task.done():
            return  # already sending: one sender per app
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(self._wake), name="sms-sender")

    async def stop(self) -> None:
        # Only the lifespan that started the sender stops it (tests run one app under
        # several clients, each with its own event loop).
        if self._task is not None and self._task.get_loop() is asyncio.get_running_loop():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._wake = None

    async def _run(self, woken: asyncio.Event) -> None:
        while True:
            woken.clear()  # before looking, so a text queued meanwhile wakes us again
            try:
                await self.send_due()
                next_at = await self.store.read(sms_outbox.next_due_at)
            except Exception:  # noqa: BLE001 - the sender must outlive any one failure
                log.exception("text message sender failed; trying again shortly")
                next_at = None
            wait = IDLE_CHECK_SECONDS if next_at is None else seconds_until(next_at)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(),
                                       timeout=min(max(wait, 0.05), IDLE_CHECK_SECONDS))

    async def send_due(self) -> None:
        for text in await self.store.write(sms_outbox.claim_due_texts, CLAIM_LEASE):
            await self._send(text)

    async def _send(self, text: sms_outbox.QueuedText) -> None:
        if text.send_before and seconds_until(text.send_before) < 0:
            await self.store.write(sms_outbox.mark_given_up, text.id, "expired",
                                   "no longer worth sending")
            return
        if self._client is None:
            await self._without_notify(text)
            return
        try:
            sent = await asyncio.to_thread(
                self._client.send_sms_notification, phone_number=text.phone,
                template_id=self.settings.notify_sms_template_id,
                personalisation={"body": text.body}, reference=f"tolbooth-sms-{text.id}")
        except HTTPError as exc:
            await self._failed(text, exc.status_code, str(exc.message))
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a reply that is not JSON: try again
            await self._failed(text, 503, f"{type(exc).__name__}: {exc}")
            return
        await self.store.write(sms_outbox.mark_sent, text.id, str(sent.get("id", "")))
        log.info("text message %s (%s) accepted by Notify", text.id, text.purpose)

    async def _failed(self, text: sms_outbox.QueuedText, status: int, error: str) -> None:
        if status >= 500 or status == 429:
            wait = backoff(text.attempts)
            log.warning("Notify answered %s for text message %s; trying again in %ss: %s",
                        status, text.id, int(wait.total_seconds()), error)
            await self.store.write(sms_outbox.mark_retry, text.id, wait, f"{status} {error}")
            return
        log.error("Notify refused text message %s to %s with %s, not retrying: %s",
                  text.id, masked(text.phone), status, error)
        await self.store.write(sms_outbox.mark_given_up, text.id, "failed",
                               f"{status} {error}")

    async def _without_notify(self, text: sms_outbox.QueuedText) -> None:
        if self.settings.https:
            # Production without a key: say a text was dropped, never what was in it (it
            # may hold a one-time link).
            log.warning("text message %s to %s not sent: TOLBOOTH_NOTIFY_API_KEY is unset",
                        text.id, masked(text.phone))
            await self.store.write(sms_outbox.mark_given_up, text.id, "failed",
                                   "Notify is not configured")
            return
        log.info("text message to %s (development: not sent, no Notify key):\n%s",
                 text.phone, text.body)
        await self.store.write(sms_outbox.mark_sent, text.id, "logged")
