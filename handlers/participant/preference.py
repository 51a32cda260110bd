"""Whom a reporter would prefer to talk to: asked once their report is in, when the team can.

Asked after "Send report", so that no page ever waits for the answer; the choices come from the
team file (bot.preferences) and the answer reaches the pages or the people on the case (bot.talk).
Not asked of an anonymous reporter (nobody can talk to them) or someone calling for help.
"""

from __future__ import annotations

from typing import Any

from bot.domain import preferences
from bot.domain.model import Case, Severity
from bot.services import talk
from bot.text import phrases as texts
from bot.text.reader import _
from bot.text.richtext import rich
from bot.uow import button
from handlers.context import Request


async def offer(req: Request, case: Case) -> None:
    """Ask, once the report is in, whom they would prefer; nothing when the team gave no
    choices, the reporter is anonymous, or the report is a call for help."""
    choices = preferences.options(req.uow.team)
    if not choices or case.disclosure == "anonymous" or case.severity == Severity.CRITICAL:
        return
    await req.reply(
        rich(
            _(
                "Would you prefer to talk to someone in particular? The team will try to arrange"
                " it, but can't always."
            )
        ),
        [
            *(button(p.label, "prefer.set", case=case.id, key=p.key) for p in choices),
            button(_("No preference"), "prefer.set", case=case.id, key=""),
        ],
        case_id=case.id,
    )


async def choose(req: Request, args: dict[str, Any]) -> None:
    """A choice from :func:`offer`, by the reporter of that case only."""
    case = await req.uow.tx.get_case(int(args["case"]))
    if case is None or case.reporter_key != req.owner:
        await req.reply(texts.STALE_BUTTON)
        return
    wanted = preferences.Preference.parse(str(args.get("key", "")))
    if wanted is None:
        await req.reply(rich(_("All right, no preference.")))
        return
    await talk.set_preference(req.uow, case, wanted)
    await req.reply(rich(_("Thank you. The safety team will see this and try to arrange it.")))
