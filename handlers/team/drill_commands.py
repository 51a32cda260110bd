"""/testpage and /drill (issue 17): parse, call bot.testpages or bot.drills, reply."""

from __future__ import annotations

from typing import Any

from bot.services import drills, testpages
from bot.text.reader import _
from bot.text.richtext import rich
from handlers.context import Request
from handlers.team.casework import NOT_FOR_PARTICIPANTS


async def testpage(req: Request, args: list[str]) -> None:
    """``/testpage`` pages the sender; ``/testpage NAME`` (a lead) pages that member."""
    if req.member is None:
        await req.reply(rich(_(NOT_FOR_PARTICIPANTS)))
        return
    await req.reply(await testpages.send(req.uow, req.member, " ".join(args)))


async def testpage_ack(req: Request, _action: str, args: dict[str, Any]) -> None:
    """The "Acknowledge" button of a test page."""
    if req.member is None:
        await req.reply(rich(_(NOT_FOR_PARTICIPANTS)))
        return
    await req.reply(await testpages.acknowledge(req.uow, req.member, int(args["test_page"])))


async def drill(req: Request, args: list[str]) -> None:
    """``/drill`` or ``/drill STORY`` starts a drill; ``/drill stop`` ends the running one."""
    if req.member is None:
        await req.reply(rich(_(NOT_FOR_PARTICIPANTS)))
        return
    if [a.lower() for a in args[:1]] == ["stop"]:
        await req.reply(await drills.stop(req.uow, req.member))
        return
    await req.reply(await drills.start(req.uow, req.member, req.event.sender, " ".join(args)))
