"""``/language`` and the Language button at /start: choose the language the bot writes in.

``/language`` alone (or the button) offers the team's languages as buttons, each in its own
name; ``/language es`` or a press remembers the choice (bot/services/languages.py) and answers
in the new language. A report being written goes on where it was, its question asked again in
the new language.
"""

from __future__ import annotations

from typing import Any

from bot.services import languages
from bot.text.languages_words import choose_language, language_not_offered, language_set
from bot.text.reader import current, reading
from bot.uow import button
from handlers.context import Request
from handlers.participant import intake


async def offer(req: Request) -> None:
    """The languages on offer, as buttons in their own names."""
    offered = languages.offered(req.uow)
    choices = [button(current().own_name(code), "language.set", code=code) for code in offered]
    await req.reply(choose_language(), choices)


async def command(req: Request, args: list[str]) -> None:
    """``/language`` or ``/language CODE``."""
    if args:
        await choose(req, args[0].lower())
    else:
        await offer(req)


async def on_button(req: Request, action: str, args: dict[str, Any]) -> None:
    """A language button was pressed."""
    await choose(req, str(args.get("code", "")))


async def choose(req: Request, code: str) -> None:
    """Remember ``code`` and go on in it; a language not offered changes nothing."""
    if not await languages.choose(req.uow, req.event.sender, code):
        await req.reply(language_not_offered(languages.offered(req.uow)))
        return
    with reading(code):
        await req.reply(language_set())
        draft = await intake.load(req)
        if draft is not None:
            await intake.prompt(req, draft)
