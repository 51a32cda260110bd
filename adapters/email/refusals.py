"""What an SMTP server's answer means for the outbox, as a content-free DeliveryError.

SMTP says with its first digit whether to try again: 4xx is temporary (a greylisting server, a
full queue: retried with backoff, like a platform's 5xx or a dropped connection), 5xx is
permanent. A permanent refusal of the recipient or of the message (550 no such mailbox, 554
rejected) is treated like a chat platform's 403: the address is unreachable, the escalation
chain moves on, and the bot does not write to it again until the team file changes it or a later
message goes through. A refusal of the bot itself (its login, its sender address, TLS it was told
to use) is like a refused token: the whole e-mail platform is held and the leads are told
(bot/services/outages.py).

Reasons name the SMTP code and what was refused, never the server's text, which quotes
addresses.
"""

from __future__ import annotations

import aiosmtplib

from bot.ports.platform import DeliveryError

PLATFORM = "email"


def _by_code(code: int, what: str) -> DeliveryError:
    """A refusal of the recipient or the message: 5xx unreachable, anything else retried."""
    if 500 <= code < 600:
        return DeliveryError(f"{PLATFORM} {code} {what} refused", unreachable=True)
    return DeliveryError(f"{PLATFORM} {code} {what} deferred")


def _of_the_bot(code: int, what: str) -> DeliveryError:
    """A refusal of the bot's own login or sender: 5xx holds the platform, 4xx is retried."""
    if 500 <= code < 600:
        return DeliveryError(f"{PLATFORM} {code} {what} refused", credentials=True)
    return DeliveryError(f"{PLATFORM} {code} {what} deferred")


def delivery_error(error: Exception) -> DeliveryError:
    """The outbox's view of an exception from ``aiosmtplib.send`` (or of the network); an
    exception of any other kind is raised again (the outbox treats it as an adapter error)."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients] or [0]
        return _by_code(max(codes), "recipient")
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return _answer(error)
    if isinstance(error, aiosmtplib.SMTPNotSupported):  # an address the server cannot take
        return DeliveryError(f"{PLATFORM} unsupported address", unreachable=True)
    if isinstance(error, aiosmtplib.SMTPTimeoutError | TimeoutError):
        return DeliveryError(f"{PLATFORM} timeout")
    if isinstance(error, aiosmtplib.SMTPConnectError | aiosmtplib.SMTPServerDisconnected):
        return DeliveryError(f"{PLATFORM} connection failed")
    if isinstance(error, aiosmtplib.SMTPException):  # STARTTLS missing, TLS refused
        return DeliveryError(f"{PLATFORM} tls refused", credentials=True)
    if isinstance(error, OSError):
        return DeliveryError(f"{PLATFORM} connection failed {type(error).__name__}")
    raise error


def _answer(error: aiosmtplib.SMTPResponseException) -> DeliveryError:
    """A coded answer of the server, by what it refused."""
    if isinstance(error, aiosmtplib.SMTPRecipientRefused):
        return _by_code(error.code, "recipient")
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return _of_the_bot(error.code, "login")
    if isinstance(error, aiosmtplib.SMTPSenderRefused):
        return _of_the_bot(error.code, "sender")
    if isinstance(error, aiosmtplib.SMTPConnectResponseError):
        return _of_the_bot(error.code, "connection")
    return _by_code(error.code, "message")
