"""E-mail to ``[[external]]`` contacts, wired from ``FSB_SMTP_*``: the messenger the outbox's
e-mail lane sends through, and the readiness check ``fsbot doctor`` calls.

Part of the composition root (the only code that reads settings and knows adapters/email).
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.email.messenger import SmtpMessenger
from adapters.email.probe import smtp_problem
from adapters.email.server import SmtpServer
from bot.config.settings import Settings
from bot.config.teamfile import TeamFile
from bot.ports.platform import Messenger


def smtp_server(settings: Settings) -> SmtpServer | None:
    """The SMTP server the settings name; None when ``FSB_SMTP_HOST`` is not set (no e-mail)."""
    if settings.smtp_host is None or settings.smtp_from is None:
        return None
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpServer(
        host=settings.smtp_host,
        sender=settings.smtp_from,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=password,
        security=settings.smtp_tls,
    )


def mail_messengers(settings: Settings) -> list[Messenger]:
    """The e-mail messenger when SMTP is configured, else none: passed to the app beside the
    platforms' messengers, it makes ``email`` a running platform (outbound only)."""
    server = smtp_server(settings)
    return [] if server is None else [SmtpMessenger(server)]


@dataclass(frozen=True)
class MailReadiness:
    """Whether the external contacts with an ``email`` can be reached.

    ``contacts``: the ids of ``[[external]]`` entries with an e-mail address. ``problem``: one
    line for the operator (no address, no password), or None when e-mail works or nobody needs
    it. ``ok`` is True when there is nothing to fix.
    """

    contacts: tuple[str, ...]
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


async def email_readiness(settings: Settings, config: TeamFile) -> MailReadiness:
    """For ``fsbot doctor``: with e-mail contacts in the team file, SMTP must be configured
    and its server must answer EHLO and NOOP (and take the login); nothing is sent."""
    contacts = tuple(c.id for c in config.external if c.email)
    if not contacts:
        return MailReadiness(contacts, None)
    server = smtp_server(settings)
    if server is None:
        return MailReadiness(
            contacts,
            f"{len(contacts)} external contact(s) have an e-mail address but FSB_SMTP_HOST is"
            " not set, so no e-mail can be sent to them",
        )
    problem = await smtp_problem(server)
    if problem is not None:
        return MailReadiness(
            contacts,
            f"the SMTP server (FSB_SMTP_HOST) did not take the bot's connection: {problem}",
        )
    return MailReadiness(contacts, None)
