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
    """Tests can refuse an address for good (`refuse`: 550 at RCPT) or make the next
    messages fail for now (`fail_next`: 451 at DATA)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.answered: list[int] = []
        self._failures: list[str] = []

    def refuse(self, address: str) -> None:
        self.refused.add(address.lower())

    def fail_next(self, count: int, answer: str = "451 4.3.0 Try again later") -> None:
        self._failures.extend([answer] * count)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address.lower() in self.refused:
            self.answered.append(550)
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self._failures:
            answer = self._failures.pop(0)
            self.answered.append(int(answer[:3]))
            return answer
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.answered.append(250)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

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
