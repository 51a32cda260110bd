"""Commands for the team channel and for members anywhere: summaries, who is on duty.

Everything here may be seen by the whole team channel, so it is built only from redacted views.
"""

from __future__ import annotations

from bot.services import rota
from bot.text.richtext import bold, lines, rich
from bot.text.team_summary import summary_text
from bot.text.views import clock_time
from handlers.context import Request


async def summary(req: Request) -> None:
    counts = await req.uow.tx.open_case_counts()
    waiting = await req.uow.tx.awaiting_ack_cases()
    duty = await rota.on_duty(req.uow)
    await req.reply(summary_text(counts, waiting, req.uow.team, req.uow.now, duty))


async def oncall(req: Request) -> None:
    team = req.uow.team
    duty = await rota.on_duty(req.uow)
    upcoming = sorted(
        (s for s in team.config.rota if team.config.to_utc(s.start) > req.uow.now),
        key=lambda s: s.start,
    )
    now_line = (
        ", ".join(
            f"{d.member.name} ({d.level}"
            + (f", until {clock_time(team, d.until)}" if d.until else "")
            + ")"
            for d in duty
        )
        if duty
        else "nobody: every safety contact is paged"
    )
    parts = [bold("On duty now: ") + now_line]
    if upcoming:
        nxt = upcoming[0]
        start = team.config.to_utc(nxt.start)
        parts.append(
            rich(
                bold("Next: "),
                f"{team.member_name(nxt.member)} ({nxt.level}) from "
                f"{team.local(start).strftime('%a %H:%M')}",
            )
        )
    await req.reply(lines(*parts))
