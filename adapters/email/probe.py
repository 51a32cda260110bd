"""Whether the SMTP server would take the bot's e-mail now, for ``fsbot doctor``.

It connects as a send would (TLS, login), says EHLO and NOOP, and leaves: no e-mail is sent.
The answer is one line for the operator, without the password or any address.
"""

from __future__ import annotations

import aiosmtplib

from adapters.email.refusals import delivery_error
from adapters.email.server import SmtpServer


async def smtp_problem(server: SmtpServer) -> str | None:
    """None when the server answers EHLO and NOOP (and accepts the login, when one is set);
    otherwise what went wrong, such as ``"email connection failed"`` or
    ``"email 535 login refused"``."""
    settings = server.connection()
    login = {key: settings.pop(key) for key in ("username", "password")}
    client = aiosmtplib.SMTP(**settings)
    try:
        await client.connect()
        await client.ehlo()
        if login["username"] is not None and login["password"] is not None:
            await client.login(login["username"], login["password"])
        await client.noop()
    except Exception as error:
        try:
            return delivery_error(error).reason
        except Exception:
            return f"email error {type(error).__name__}"
    finally:
        if client.is_connected:
            try:
                await client.quit()
            except aiosmtplib.SMTPException:
                client.close()
    return None
