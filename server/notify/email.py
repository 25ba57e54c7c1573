"""Email through the council's SMTP server (aiosmtplib), as the settings describe it."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from server.settings import Settings


async def send_email(settings: Settings, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    await aiosmtplib.send(
        message, hostname=settings.smtp_host, port=settings.smtp_port,
        username=settings.smtp_username, password=settings.smtp_password,
        start_tls=settings.smtp_starttls, use_tls=False, timeout=30)
