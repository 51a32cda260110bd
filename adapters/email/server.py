"""Where and how the bot hands its e-mail to an SMTP server (filled from ``FSB_SMTP_*`` by
bot/main, the only code that reads settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Security = Literal["starttls", "tls", "none"]

# Seconds to connect, and for each answer of the server; a send that takes longer is retried.
TIMEOUT = 30.0


@dataclass(frozen=True)
class SmtpServer:
    """One SMTP server (a submission port of the team's mail provider, or a local relay).

    ``security``: ``starttls`` (the default: plain connection upgraded with STARTTLS, which the
    server must offer; port 587), ``tls`` (TLS from the first byte; port 465) or ``none`` (no
    encryption: only for a relay on the same machine or network). ``port`` None takes the usual
    port for it. ``username`` and ``password`` log in when both are given. ``sender`` is the
    From address; replies to the bot's e-mail go there. ``password`` is never shown in a repr.
    """

    host: str
    sender: str
    port: int | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    security: Security = "starttls"
    timeout: float = TIMEOUT

    @property
    def domain(self) -> str:
        """The sender's domain, for Message-IDs."""
        return self.sender.rpartition("@")[2] or "localhost"

    def connection(self) -> dict[str, Any]:
        """aiosmtplib's keyword arguments for one connection to this server."""
        port = self.port or {"starttls": 587, "tls": 465, "none": 25}[self.security]
        login = self.username is not None and self.password is not None
        return {
            "hostname": self.host,
            "port": port,
            "use_tls": self.security == "tls",
            "start_tls": self.security == "starttls",
            "username": self.username if login else None,
            "password": self.password if login else None,
            "timeout": self.timeout,
        }
