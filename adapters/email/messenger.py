"""The e-mail platform's delivery: each outbox row to an ``email`` address becomes one plain-text
e-mail, handed to the SMTP server with aiosmtplib (a connection per message: e-mail to external
contacts is rare, and a fresh connection has no state to go stale).

The body is the message's plain text (the same words a chat would show, so the same minimal
content), the subject is the message's own (a case code, see bot/text/mail_words.py). Buttons
are not sent: an outside contact cannot act in the bot. An e-mail cannot be edited, so an edit
goes as a new e-mail. Nothing here logs: addresses and content stay out of every log line, and a
failure is reported to the outbox as a content-free DeliveryError (adapters/email/refusals.py).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from adapters.email.refusals import PLATFORM, delivery_error
from adapters.email.server import SmtpServer
from bot.ports.events import Outbound

# RFC 3834: no out-of-office or vacation replies to a bot's message.
AUTO_SUBMITTED = "auto-generated"


def compose(server: SmtpServer, message: Outbound) -> EmailMessage:
    """The e-mail for one outbox message: From the bot, To the address, plain text, UTF-8."""
    mail = EmailMessage()
    mail["From"] = server.sender
    mail["To"] = message.address.chat_id
    mail["Subject"] = message.subject or message.text.plain.split("\n", 1)[0][:120]
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=server.domain)
    mail["Auto-Submitted"] = AUTO_SUBMITTED
    mail.set_content(message.text.plain.strip() + "\n", charset="utf-8")
    return mail


class SmtpMessenger:
    """:class:`bot.ports.platform.Messenger` for the ``email`` platform."""

    platform = PLATFORM

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def send(self, message: Outbound) -> str:
        """Hand one e-mail to the server; return its Message-ID.

        Raises :class:`bot.ports.platform.DeliveryError` when the server or the network refuses
        (see adapters/email/refusals.py for which failures are retried).
        """
        mail = compose(self.server, message)
        try:
            await aiosmtplib.send(mail, **self.server.connection())
        except Exception as error:
            raise delivery_error(error) from None
        return str(mail["Message-ID"])
