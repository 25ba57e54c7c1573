"""A real SMTP server on a free localhost port (aiosmtpd), keeping what it receives."""

from __future__ import annotations

import email
import email.policy
import re
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support import free_port


class Mailbox:
    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def wait_for(self, to: str, timeout: float = 10) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if message["To"] == to:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no email to {to}")

    def sign_in_link(self, to: str) -> str:
        body = self.wait_for(to).get_body(("plain",)).get_content()  # type: ignore[union-attr]
        found = re.search(r"https?://\S+/sign-in/link/[A-Za-z0-9_-]+", body)
        assert found, body
        return found.group(0)


def start_smtp() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox(free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    return controller, mailbox
