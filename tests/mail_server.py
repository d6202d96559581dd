"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it accepts, for the notices'
tests and the crash-safety tests (the `mail_server` fixture in tests/conftest.py)."""

import asyncio
import email
import threading
import time
from email.message import EmailMessage
from email.policy import default as email_policy

from aiosmtpd.controller import Controller

from tests.helpers import free_port


class MailServer:
    """An SMTP server that keeps what it accepts; it can be stopped and started again on its
    port, and hold every message until released."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received = []
        self.holding = threading.Event()  # a message has arrived and waits for release
        self.release = threading.Event()
        self.release.set()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.release.set()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_DATA(self, server, session, envelope) -> str:
        self.holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        self.received.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email_policy) for e in self.received]

    def wait_for(self, count: int, timeout: float = 5) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages()
