"""Commands for the team channel and for members anywhere: summaries, who is on duty.

Everything here may be seen by the whole team channel, so it is built only from redacted views.
"""

from __future__ import annotations

from bot.services import rota
from bot.text.reader import _
from bot.text.richtext import bold, lines, rich
from bot.text.team_summary import summary_text
from bot.text.views import clock_time, day_time, level
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
    now_line = ", ".join(
        (
            _("{name} ({level}, until {time})").format(
                name=d.member.name, level=level(d.level), time=clock_time(team, d.until)
            )
            if d.until
            else _("{name} ({level})").format(name=d.member.name, level=level(d.level))
        )
        for d in duty
    )
    parts = [bold(_("On duty now: ")) + (now_line or _("nobody: every safety contact is paged"))]
    if upcoming:
        nxt = upcoming[0]
        start = team.config.to_utc(nxt.start)
        parts.append(
            rich(
                bold(_("Next: ")),
                _("{name} ({level}) from {time}").format(
                    name=team.member_name(nxt.member),
                    level=level(nxt.level),
                    time=day_time(team, start),
                ),
            )
        )
    await req.reply(lines(*parts))
