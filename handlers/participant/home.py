"""The app's home view (Slack's App Home): where a person's own things stand, at a glance.

A reporter sees their reports in plain words; a safety contact also sees whether they are on duty
and the cases assigned to them (codes, severity, state, age). Nothing else.
"""

from __future__ import annotations

from bot.domain.model import STATE_FOR_TEAM
from bot.services import rota
from bot.text.reader import _
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import age, reporter_state, severity
from bot.uow import Button
from handlers.context import Request
from handlers.team.casework import NOT_LISTED


def report_form() -> Button:
    """The App Home's button that opens the report form, in the reader's language."""
    return Button(_("Report something"), "", {}, link="report_form")


async def show(req: Request) -> None:
    uow = req.uow
    parts: list[Rich | str] = [bold(f"{uow.team.name}")]
    member = req.member
    if member is not None and uow.team.is_handler(member):
        on_duty = any(d.member.id == member.id for d in await rota.on_duty(uow))
        parts.append(
            rich(bold(_("You are on duty now.")) if on_duty else _("You are not on duty."))
        )
        mine = await uow.tx.open_cases(assignee=member.id)
        parts.append(
            bold(_("Cases assigned to you:")) if mine else _("No cases are assigned to you.")
        )
        parts += [
            rich(
                "  ",
                bold(c.code),
                f" · {severity(c)} · {_(STATE_FOR_TEAM[c.state])} · {age(c.created_at, uow.now)}",
            )
            for c in mine
        ]
    reports = await uow.tx.cases_for_reporter(req.owner)
    if reports:
        parts.append(bold(_("Your reports:")))
        parts += [rich("  ", bold(c.code), f": {reporter_state(c)}") for c in reports]
    else:
        parts.append(_("You have no reports with us. If something happened, you can tell us here."))
    parts.append(_(NOT_LISTED))
    await req.reply(lines(*parts), [report_form()])
