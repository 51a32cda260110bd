"""Who is on duty, shift handoffs, confirmations and the daily check-in post.

The rota in the team file says who is scheduled; ``/shift on`` and ``/shift off`` (rows in the
store) adjust it ad hoc. Shift starts and daily posts are keyed timers planned at start-up, so a
restart never plans them twice and a deadline missed while down fires at once.
"""

from __future__ import annotations

from datetime import datetime, time

from bot.config.teamfile import Member
from bot.domain.codes import is_drill_code
from bot.domain.model import STATE_FOR_TEAM, Case, CaseState
from bot.domain.team import Duty
from bot.ports.store import TimerRow
from bot.services import aftercare, conflicts, people
from bot.text.reader import _, ngettext, reading
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import age, clock_time, day_date, level, severity
from bot.uow import UnitOfWork, button

SHIFT_START = "shift_start"
SHIFT_CONFIRM = "shift_confirm"
DAILY_POST = "daily_post"


async def on_duty(uow: UnitOfWork) -> list[Duty]:
    """Scheduled shifts, minus members who went off duty, plus members who went on ad hoc."""
    latest = {change.member_id: change for change in await uow.tx.duty_changes()}
    duty: list[Duty] = []
    for scheduled in uow.team.scheduled_duty(uow.now):
        change = latest.get(scheduled.member.id)
        if change and not change.on_duty and change.until and change.until > uow.now:
            continue
        duty.append(scheduled)
    for member_id, change in latest.items():
        member = uow.team.member(member_id)
        if member is None or not change.on_duty or any(d.member.id == member_id for d in duty):
            continue
        if change.until is None or change.until > uow.now:
            duty.append(Duty(member, "ad hoc", change.until, change.at))
    return duty


async def go_on_duty(uow: UnitOfWork, member: Member) -> None:
    await uow.tx.add_duty_change(member.id, True, uow.now, None)


async def go_off_duty(uow: UnitOfWork, member: Member) -> bool:
    """Record going off duty; True when that leaves nobody on duty (the leads are then told)."""
    current = [d for d in uow.team.scheduled_duty(uow.now) if d.member.id == member.id]
    until = max((d.until for d in current if d.until), default=None)
    await uow.tx.add_duty_change(member.id, False, uow.now, until)
    if await on_duty(uow):
        return False

    def text() -> Rich:
        return rich(
            bold(_("Nobody is on duty now.")),
            _(
                " {name} went off duty. New reports will page every safety contact until"
                " someone sends /shift on."
            ).format(name=member.name),
        )

    for lead in uow.team.with_role("lead"):
        if lead.id != member.id:
            await uow.send_member(lead, text)
    return True


# -- planning --------------------------------------------------------------------------------


def shift_key(member_id: str, start: datetime) -> str:
    return f"shift:{member_id}:{start.isoformat()}"


async def plan(uow: UnitOfWork) -> None:
    """Arm a timer for every future shift start and the next daily posts (idempotent)."""
    config = uow.team.config
    for shift in config.rota:
        start = config.to_utc(shift.start)
        if start > uow.now:
            key = shift_key(shift.member, start)
            payload = {
                "member": shift.member,
                "key": key,
                "level": shift.level,
                "end": config.to_utc(shift.end).timestamp(),
            }
            await uow.tx.add_timer(start, SHIFT_START, None, payload, 0, key=key)
        end = config.to_utc(shift.end)
        if end > uow.now:  # its end brings the aftercare note, if it had a critical case
            ended = {"member": shift.member, "start": start.timestamp()}
            end_key = f"end:{shift_key(shift.member, start)}"
            await uow.tx.add_timer(end, aftercare.SHIFT_END, None, ended, 0, key=end_key)
    await plan_daily_posts(uow, uow.now)


async def plan_daily_posts(uow: UnitOfWork, after: datetime) -> None:
    config = uow.team.config
    end = config.to_utc(config.team.event_end) if config.team.event_end else None
    start = config.to_utc(config.team.event_start) if config.team.event_start else None
    for text in config.team.daily_post:
        moment = uow.team.next_at(after, time.fromisoformat(text))
        if start and moment < start:
            moment = start
        if end and moment > end:
            continue
        await uow.tx.add_timer(moment, DAILY_POST, None, {}, 0, key=f"daily:{moment.isoformat()}")


# -- firing ----------------------------------------------------------------------------------


def _case_line(case: Case, uow: UnitOfWork) -> Rich:
    return rich(
        "  ",
        bold(case.code),
        f" · {severity(case)} · {_(STATE_FOR_TEAM[case.state])} · {age(case.created_at, uow.now)}",
    )


async def _open_cases(uow: UnitOfWork) -> list[Case]:
    return await uow.tx.open_cases()


async def _may_see(uow: UnitOfWork, case: Case, member: Member) -> bool:
    report = await uow.tx.get_report(case.report_id)
    return await conflicts.may_see(uow, case, report.body, member)


async def shift_started(uow: UnitOfWork, timer: TimerRow) -> None:
    member = uow.team.member(str(timer.payload["member"]))
    end = datetime.fromtimestamp(float(timer.payload["end"]), uow.now.tzinfo)
    if member is None or uow.now >= end:
        return
    all_open = await _open_cases(uow)
    open_cases = [c for c in all_open if await _may_see(uow, c, member)]
    needing = [c for c in open_cases if c.awaiting_ack or c.state == CaseState.REOPENED]
    others = [c for c in open_cases if c not in needing]
    with reading(await uow.language_of_member(member)):  # their own words, now
        text = lines(
            bold(
                _("Your shift starts now ({level}, until {time}).").format(
                    level=level(str(timer.payload["level"])), time=clock_time(uow.team, end)
                )
            ),
            _("Open cases needing attention:") if needing else _("No case is waiting for anyone."),
            *(_case_line(c, uow) for c in needing),
            _("Other open cases:") if others else "",
            *(_case_line(c, uow) for c in others),
            *await people.watch_lines(uow, member),
            _("Please confirm you are on duty."),
        )
        buttons = [button(_("I'm on duty"), "shift.confirm", key=timer.payload["key"])]
    await uow.send_member(member, text, buttons)
    key = str(timer.payload["key"])
    await uow.tx.add_timer(
        uow.now + uow.team.config.escalation.shift_confirm,
        SHIFT_CONFIRM,
        None,
        {"member": member.id, "key": key},
        0,
        key=f"confirm:{key}",
    )
    # The channel counts every open case alike (bot.views.channel_line says why); a drill's
    # case never counts.
    counted = [c for c in all_open if not is_drill_code(c.code)]
    waiting = sum(1 for c in counted if c.awaiting_ack)
    await uow.send_channel(
        lambda: rich(
            bold(_("Shift change: ")),
            _(
                "{name} is on duty now ({level}) until {time}. Open cases: {count},"
                " {waiting} awaiting acknowledgement."
            ).format(
                name=member.name,
                level=level(str(timer.payload["level"])),
                time=clock_time(uow.team, end),
                count=len(counted),
                waiting=waiting,
            ),
        ),
        purpose="notice",
    )


async def shift_unconfirmed(uow: UnitOfWork, timer: TimerRow) -> None:
    key = str(timer.payload["key"])
    if await uow.tx.shift_confirmed(key):
        return
    member = uow.team.member(str(timer.payload["member"]))
    name = member.name if member else ""
    others = [
        m for m in uow.team.with_role("safety_contact") if member is None or m.id != member.id
    ]
    asked: list[str] = []
    for other in others:
        if await uow.send_member(
            other,
            lambda: rich(
                bold(
                    _("{name} has not confirmed their shift.").format(name=name)
                    if name
                    else _("The incoming contact has not confirmed their shift.")
                ),
                _(" Can you cover until they do?"),
            ),
            lambda: [button(_("I'm on duty"), "shift.cover", key=key)],
        ):
            asked.append(other.name)
    minutes = int(uow.team.config.escalation.shift_confirm.total_seconds() // 60)

    def text() -> Rich:
        who = name or _("The incoming contact")
        return rich(
            bold(_("{name} has not confirmed their shift").format(name=who)),
            ngettext(" within {count} minute. ", " within {count} minutes. ", minutes).format(
                count=minutes
            ),
            _("Asked to cover: {names}.").format(
                names=", ".join(asked) if asked else _("nobody could be reached")
            ),
        )

    for lead in uow.team.with_role("lead"):
        await uow.send_member(lead, text)


async def confirm(uow: UnitOfWork, member: Member, key: str) -> Rich:
    """The incoming contact pressed "I'm on duty"."""
    if not key.startswith(f"shift:{member.id}:"):
        return rich(_("That shift is not yours, so I did nothing."))
    if not await uow.tx.confirm_shift(key, member.id, uow.now):
        return rich(_("You already confirmed this shift. Thank you."))
    return rich(_("Thank you, you're confirmed on duty."))


async def cover(uow: UnitOfWork, member: Member, key: str) -> Rich:
    """Someone else covers an unconfirmed shift: they go on duty ad hoc."""
    if not uow.team.is_handler(member):
        return rich(_("Only safety contacts and leads can go on duty."))
    if any(d.member.id == member.id for d in await on_duty(uow)):
        return rich(_("You're already on duty. Thank you."))
    await go_on_duty(uow, member)
    for lead in uow.team.with_role("lead"):
        if lead.id != member.id:
            await uow.send_member(
                lead,
                lambda: rich(
                    _("{name} is covering the unconfirmed shift.").format(name=member.name)
                ),
            )
    return rich(_("Thank you, you're on duty now. Send /shift off when you hand over."))


async def daily_post(uow: UnitOfWork, timer: TimerRow) -> None:
    with reading(uow.team.config.team.language):  # the channel's language
        text = await daily_text(uow)
    await uow.send_channel(text, purpose="notice")
    await plan_daily_posts(uow, uow.now)


async def daily_text(uow: UnitOfWork) -> Rich:
    team = uow.team
    today = team.local(uow.now).date()
    shifts = [s for s in team.config.rota if s.start.date() == today or s.end.date() == today]
    duty = ", ".join(
        _("{name} ({start}–{end}, {level})").format(
            name=team.member_name(s.member),
            start=s.start.strftime("%H:%M"),
            end=s.end.strftime("%H:%M"),
            level=level(s.level),
        )
        for s in sorted(shifts, key=lambda s: s.start)
    )
    counts: dict[str, int] = {}
    for count in await uow.tx.open_case_counts():
        state = _(STATE_FOR_TEAM[count.state])
        counts[state] = counts.get(state, 0) + count.count
    open_cases = await _open_cases(uow)
    overdue = [c for c in open_cases if _overdue(uow, c)]
    return lines(
        bold(_("Daily check-in, {day}").format(day=day_date(team, uow.now))),
        rich(bold(_("On duty today: ")), duty or _("no shifts in the rota")),
        rich(
            bold(_("Open cases: ")),
            ", ".join(
                _("{count} {state}").format(count=n, state=s) for s, n in sorted(counts.items())
            )
            or _("none"),
        ),
        rich(bold(_("Overdue: ")), _("none") if not overdue else ""),
        *(_case_line(c, uow) for c in overdue),
    )


def _overdue(uow: UnitOfWork, case: Case) -> bool:
    if case.state == CaseState.NEW:
        return uow.now - case.created_at > case.policy.first_wait
    return uow.now - case.updated_at > uow.team.config.escalation.idle_reminder
