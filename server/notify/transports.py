"""How a message leaves: SMTP for email (aiosmtplib), GOV.UK Notify for texts (its
official client), or, in development with neither configured, the developers' outbox
(`/dev/outbox`), so a person trying the app sees what residents would get.

Each send ends in one of three results: `sent` (the server took it), `retry` (a
temporary failure: SMTP 4xx, a dropped connection, Notify 5xx or 429) or `failed` (a
permanent one: SMTP 5xx, another Notify 4xx), and for a failure whether the address or
number itself was refused, so it is not tried again for later updates.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from email.utils import parseaddr
from typing import Any

import aiosmtplib
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from server.db.clock import now_iso
from server.settings import Settings

log = logging.getLogger("tolbooth.notify")
NOTIFY_THREADS = 4  # Notify's client blocks; this many texts are handed over at once


@dataclass(frozen=True)
class Result:
    status: str  # sent | retry | failed
    provider_id: str | None = None
    error: str | None = None
    unreachable: bool = False


def masked(recipient: str) -> str:
    """Enough of an address or number for a log to tell two apart."""
    if "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}…@{domain}"
    return f"…{recipient[-3:]}"


class SmtpMail:
    """One connection per batch, reused for each message in it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _client(self) -> aiosmtplib.SMTP:
        s = self.settings
        return aiosmtplib.SMTP(hostname=s.smtp_host, port=s.smtp_port, username=s.smtp_username,
                               password=s.smtp_password, start_tls=s.smtp_starttls,
                               use_tls=False, timeout=30)

    async def send_all(self, messages: Sequence[tuple[str, Message]]) -> dict[str, Result]:
        results: dict[str, Result] = {}
        smtp: aiosmtplib.SMTP | None = None
        try:
            for notification_id, message in messages:
                if smtp is None:
                    smtp = self._client()
                    try:
                        await smtp.connect()
                    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                        # The server is down: every message of the batch waits.
                        error = f"connect: {type(exc).__name__}: {exc}"
                        for rest_id, _message in messages:
                            results.setdefault(rest_id, Result("retry", error=error))
                        smtp = None
                        return results
                result = await self._send_one(smtp, message)
                results[notification_id] = result
                if result.status == "retry" and not smtp.is_connected:
                    smtp = None  # dropped: the next message opens a new connection
        finally:
            if smtp is not None and smtp.is_connected:
                try:
                    await smtp.quit()
                except (aiosmtplib.SMTPException, OSError, TimeoutError):
                    smtp.close()
        return results

    async def _send_one(self, smtp: aiosmtplib.SMTP, message: Message) -> Result:
        try:
            # Flattened here with the message's own policy: aiosmtplib's would fold the
            # long List-Unsubscribe header.
            await smtp.sendmail(parseaddr(str(message["From"]))[1], [str(message["To"])],
                                message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            error = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            if all(400 <= code < 500 for code in codes):
                return Result("retry", error=error)
            return Result("failed", error=error, unreachable=True)
        except aiosmtplib.SMTPResponseException as exc:
            if 400 <= exc.code < 500:
                return Result("retry", error=f"{exc.code} {exc.message}")
            return Result("failed", error=f"{exc.code} {exc.message}")
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return Result("retry", error=f"{type(exc).__name__}: {exc}")
        return Result("sent")


class NotifyTexts:
    def __init__(self, settings: Settings) -> None:
        assert settings.notify_api_key and settings.notify_sms_template_id
        self.template_id = settings.notify_sms_template_id
        self.client = NotificationsAPIClient(settings.notify_api_key,
                                             base_url=settings.notify_base_url, timeout=20)
        self._slots = asyncio.Semaphore(NOTIFY_THREADS)

    async def send_all(self, texts: Sequence[tuple[str, str, str]]) -> dict[str, Result]:
        """(notification id, number, words) each; our id is Notify's `reference`."""
        found = await asyncio.gather(*(self._send_one(*text) for text in texts))
        return {text[0]: result for text, result in zip(texts, found, strict=True)}

    async def _send_one(self, notification_id: str, phone: str, body: str) -> Result:
        async with self._slots:
            try:
                sent = await asyncio.to_thread(
                    self.client.send_sms_notification, phone_number=phone,
                    template_id=self.template_id, personalisation={"body": body},
                    reference=notification_id)
            except HTTPError as exc:
                return _notify_failure(exc.status_code, exc.message)
            except Exception as exc:  # noqa: BLE001 - a network error, a reply not JSON: retry
                return Result("retry", error=f"{type(exc).__name__}: {exc}")
        return Result("sent", provider_id=str(sent.get("id") or "") or None)


def _notify_failure(status: int, message: Any) -> Result:
    error = f"{status} {message}"
    if status >= 500 or status == 429:
        return Result("retry", error=error)
    # Notify says which field it refused: the number itself is the resident's to fix.
    return Result("failed", error=error, unreachable="phone_number" in str(message))


@dataclass(frozen=True)
class Captured:
    id: str
    channel: str
    to: str
    subject: str
    text: str
    at: str


class DevOutbox:
    """Messages not sent, kept in memory for `/dev/outbox` (development only: the
    settings decide; see Settings.dev_outbox). The newest 200."""

    def __init__(self) -> None:
        self.messages: deque[Captured] = deque(maxlen=200)

    def keep(self, notification_id: str, channel: str, to: str, subject: str,
             text: str) -> Result:
        at = now_iso()
        self.messages.appendleft(Captured(notification_id, channel, to, subject, text, at))
        log.info("%s to %s kept in the developers' outbox (not sent): %s", channel,
                 masked(to), subject)
        return Result("sent", provider_id=None)


def not_configured(channel: str, to: str) -> Result:
    """Production without SMTP or Notify: say that a message was dropped, never what was
    in it (it may hold a one-time link)."""
    setting = "TOLBOOTH_SMTP_HOST" if channel == "email" else "TOLBOOTH_NOTIFY_API_KEY"
    log.warning("%s to %s not sent: %s is unset", channel, masked(to), setting)
    return Result("failed", error=f"{setting} is unset")
