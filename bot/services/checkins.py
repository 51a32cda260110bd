"""Opt-in check-ins with a reporter until the event ends.

Each check-in offers "I'm OK", "I'd like to talk to someone" (a normal request to the handler,
bot.talk), "I need help now" (the urgent path, bot.alerts) and "Stop check-ins". Silence is never
an alarm, and a check-in never repeats the account: it names the case code and nothing else, and
reads neutrally on a lock screen (no "report").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.model import Case, Report
from bot.ports.events import Address
from bot.ports.store import TimerRow
from bot.services import alerts, cases
from bot.text.reader import N_, _, ngettext, reading
from bot.text.richtext import Rich, bold, fill, lines, rich
from bot.uow import UnitOfWork, button

CHECKIN_TIMER = "checkin"
# A check-in may light up a lock screen others can see: it reads neutrally, and this tip is given.
PREVIEW_TIP = N_(
    "Tip: if others may see your screen, turn off message previews for this chat in your"
    " phone's notification settings."
)
CHOICES = (2, 4)  # hours between check-ins a reporter can choose


def event_end(uow: UnitOfWork) -> datetime | None:
    end = uow.team.config.team.event_end
    return uow.team.config.to_utc(end) if end else None


async def offer(uow: UnitOfWork, case: Case, reporter_address: Address, audience: str) -> None:
    """Ask, once, whether the reporter wants check-ins (only while the event is on)."""
    end = event_end(uow)
    if end is None or uow.now >= end:
        return
    await uow.send(
        reporter_address,
        rich(
            _(
                "Would you like me to check in with you now and then until the event ends? You"
                " can stop at any time, and if you don't answer, nothing happens."
            )
        ),
        [
            *(
                button(
                    ngettext("Every {hours} hour", "Every {hours} hours", h).format(hours=h),
                    "checkin.set",
                    case=case.id,
                    hours=h,
                )
                for h in CHOICES
            ),
            button(_("No, thank you"), "checkin.set", case=case.id, hours=0),
        ],
        audience=audience,
        purpose="reporter",
        case_id=case.id,
    )


async def choose(uow: UnitOfWork, case: Case, hours: float) -> Rich:
    await uow.tx.cancel_timers(case.id, [CHECKIN_TIMER])
    end = event_end(uow)
    if hours <= 0 or end is None or uow.now >= end:
        case.checkin_hours = None
        await uow.tx.save_case(case)
        await uow.audit(case, "reporter", "checkins_off")
        return rich(_("No check-ins. You can always write to me here."))
    case.checkin_hours = hours
    await uow.tx.save_case(case)
    await uow.audit(case, "reporter", "checkins_on", hours=hours)
    await _arm(uow, case)
    return lines(
        ngettext(
            'I\'ll check in every {hours} hour until the event ends. Press "Stop check-ins" on'
            " any check-in to stop.",
            'I\'ll check in every {hours} hours until the event ends. Press "Stop check-ins" on'
            " any check-in to stop.",
            int(hours) if hours == int(hours) else 2,
        ).format(hours=f"{hours:g}"),
        _(PREVIEW_TIP),
    )


async def _arm(uow: UnitOfWork, case: Case, after: datetime | None = None) -> None:
    """The next check-in, keeping the cadence from ``after``; ones missed while down are
    skipped, not sent in a burst."""
    end = event_end(uow)
    if case.checkin_hours is None or end is None:
        return
    step = timedelta(hours=case.checkin_hours)
    due = (after or uow.now) + step
    while due <= uow.now:
        due += step
    if due < end:
        await uow.tx.add_timer(due, CHECKIN_TIMER, case.id, {}, 0)


def _address(report: Report) -> Address | None:
    if report.reporter is None:
        return None
    return Address(report.reporter.platform, report.reporter.user_id)


async def on_checkin_timer(uow: UnitOfWork, timer: TimerRow) -> None:
    case = await uow.tx.get_case(timer.case_id or 0)
    end = event_end(uow)
    if case is None or case.checkin_hours is None or not case.is_open:
        return
    if end is None or uow.now >= end:
        return
    report = await uow.tx.get_report(case.report_id)
    address = _address(report)
    if address is None or report.reporter is None:
        return
    with reading(await uow.language_of_person(report.reporter)):
        text = fill(_("Checking in ({code}). How are you doing?"), code=bold(case.code))
        buttons = [
            button(_("I'm OK"), "checkin.ok", case=case.id),
            button(_("I'd like to talk to someone"), "checkin.talk", case=case.id),
            button(_("I need help now"), "checkin.help", case=case.id),
            button(_("Stop check-ins"), "checkin.set", case=case.id, hours=0),
        ]
    await uow.send(
        address,
        text,
        buttons,
        audience=uow.reporter_audience(report.reporter),
        purpose="reporter",
        case_id=case.id,
    )
    await uow.audit(case, "system", "checkin_sent")
    await _arm(uow, case, after=timer.due_at)


async def answered_ok(uow: UnitOfWork, case: Case) -> Rich:
    await uow.audit(case, "reporter", "checkin_ok")
    return rich(_("Thank you for letting us know. You can write to me here at any time."))


async def needs_help(uow: UnitOfWork, case: Case) -> None:
    """ "I need help now" at a check-in does what it does from the menu, on this case."""
    await alerts.make_critical(
        uow, case, "reporter", "The reporter asked for help during a check-in."
    )
    await cases.update_channel_posts(uow, case)
