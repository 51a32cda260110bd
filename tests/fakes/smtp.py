"""A local SMTP server for the e-mail tests: aiosmtpd on a free port, in its own thread.

It keeps every e-mail it accepted, parsed, and answers RCPT TO as a test plans: ``refuse(address,
"451 4.7.1 Try again later", times=1)`` refuses that recipient once (a greylisting server), then
accepts; ``times=None`` refuses it for good (``"550 5.1.1 No such user"``); ``sender_reply``
refuses the bot's From address. ``refused`` counts the refusals it made. ``auth`` makes it
require a login over the plain connection.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class _Plan:
    reply: str
    times: int | None  # None: every time


@dataclass
class Mailbox:
    """The server's side: what it accepted and what it was told to refuse."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    plans: dict[str, _Plan] = field(default_factory=dict)
    refused: int = 0
    sender_reply: str | None = None  # refuse every MAIL FROM with this (a sender not allowed)

    def refuse(self, address: str, reply: str, times: int | None = None) -> None:
        self.plans[address] = _Plan(reply, times)

    async def handle_MAIL(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if self.sender_reply is not None:
            self.refused += 1
            return self.sender_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        plan = self.plans.get(address)
        if plan is not None and plan.times != 0:
            if plan.times is not None:
                plan.times -= 1
            self.refused += 1
            return plan.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(mail)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if m["To"] == address]


def _login(expected: tuple[str, str]) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and (
                data.login.decode(),
                data.password.decode(),
            )
            == expected
        )
        return AuthResult(success=ok, handled=False)

    return check


class SmtpServerFake:
    """Start with :meth:`start`, stop with :meth:`stop`; ``port`` and ``mailbox`` in between."""

    def __init__(self, auth: tuple[str, str] | None = None) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        extra: dict[str, Any] = {}
        if auth is not None:
            extra = {
                "authenticator": _login(auth),
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **extra)

    def start(self) -> SmtpServerFake:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
