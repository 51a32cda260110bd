"""``/ready``: a lead's readiness check (bot/services/readiness.py), in a private chat in full,
in the team channel as counts of kinds only (no names)."""

from __future__ import annotations

from bot.domain.readiness import Asked
from bot.domain.rights import may_check_readiness
from bot.services import readiness
from bot.text import phrases as texts
from bot.text import readiness_reports as reports
from bot.text import readiness_words as words
from bot.text.reader import _
from bot.text.richtext import rich
from handlers.context import Request


async def ready(req: Request, args: list[str]) -> None:
    """Check, record what the platforms said, and answer (see the module's docstring)."""
    if req.member is None:
        name = req.event.command[0] if req.event.command else ""
        await req.reply(texts.unknown_command(name))
        return
    if not may_check_readiness(req.member):
        await req.reply(rich(_(words.READY_NOT_A_LEAD)))
        return
    team = req.uow.team
    found = await readiness.check(req.uow, req.probed or Asked())
    if req.event.private:
        await req.reply(rich(reports.full_report(found, readiness.names(team), team.bot_names)))
    else:
        await req.reply(rich(reports.channel_report(found)))
