"""Tasks on a case: an owner, a due time, and reminders until someone marks it done.

Story 3 needs them (re-accommodate both people, without favouring either): the work after a report
is often practical and shared, and it must not depend on somebody remembering. The due time and
every later reminder are rows in the timers table, so a restart never drops one.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from bot.config.durations import parse_duration
from bot.config.teamfile import Member
from bot.domain.model import Case, Task
from bot.domain.team import Team
from bot.ports.store import TimerRow
from bot.text.reader import _, current
from bot.text.richtext import Rich, bold, fill, rich
from bot.uow import Button, UnitOfWork, button

TASK_TIMER = "task"
MAX_TASK_TEXT = 500
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_due(text: str, now: datetime, team: Team) -> datetime | None:
    """When a task is due: ``18:00`` (the next time the team's clock shows it), ``2h`` or ``1h30m``
    (from now), or ``2027-08-11T18:00`` (the team's local time). ``None`` if unreadable."""
    text = text.strip()
    match = _CLOCK.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            return None
        return team.next_at(now, time(hour, minute)).astimezone(now.tzinfo)
    try:
        return now + parse_duration(text)
    except ValueError:
        return _date_and_time(text, now, team)


def _date_and_time(text: str, now: datetime, team: Team) -> datetime | None:
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        return None
    if local.tzinfo is None:
        return team.config.to_utc(local)
    return local.astimezone(now.tzinfo)


def when(team: Team, moment: datetime) -> str:
    """A due time as the team reads it: ``Wed 18:00`` in the team's time zone."""
    return current().pattern(team.local(moment), "EEE HH:mm")


def done_button(task: Task) -> Button:
    return button(_("Mark done"), "task.done", task=task.id)


def task_line(task: Task, team: Team, now: datetime) -> Rich:
    """One task as the team reads it in /case, reminders and idle reminders."""
    due = when(team, task.due_at)
    if task.done_at is not None:
        state = _("done by {name}").format(name=team.member_name(task.done_by))
    elif task.due_at <= now:
        state = _("OVERDUE since {due}").format(due=due)
    else:
        state = _("due {due}").format(due=due)
    return rich(
        "  ",
        _("task {number} · {name} · {state}: ").format(
            number=task.id, name=team.member_name(task.owner), state=state
        ),
        task.text,
    )


async def add(
    uow: UnitOfWork, case: Case, owner: Member, by: Member, due: datetime, text: str
) -> Task:
    """Record the task, arm its first reminder and tell the owner; the case counts as updated
    now."""
    task_id = await uow.tx.add_task(case.id, owner.id, by.id, due, text, uow.now)
    task = Task(task_id, case.id, owner.id, by.id, due, text)
    await uow.tx.add_timer(due, TASK_TIMER, case.id, {"task": task_id}, 0)
    await uow.audit(
        case, f"member:{by.id}", "task_added", member=owner.id, text=f"task {task_id}: {text}"
    )
    if owner.id != by.id:
        await uow.send_member(
            owner,
            lambda: fill(
                _("{name} gave you a task on {code}, due {due}:\n{task}"),
                name=by.name,
                code=bold(case.code),
                due=when(uow.team, due),
                task=text,
            ),
            lambda: [done_button(task)],
            case_id=case.id,
        )
    case.updated_at = uow.now
    await uow.tx.save_case(case)
    return task


async def on_task_timer(uow: UnitOfWork, timer: TimerRow) -> None:
    """A task fell due (or is still open an interval later): remind its owner, and arm the next."""
    task = await uow.tx.get_task(int(timer.payload["task"]))
    case = await uow.tx.get_case(timer.case_id or 0)
    if task is None or not task.is_open or case is None or not case.is_open:
        return
    owner = uow.team.member(task.owner)
    if owner is not None:
        await uow.send_member(
            owner,
            lambda: (
                fill(
                    _("Reminder: a task on {code} is not marked done yet.\n"), code=bold(case.code)
                )
                + task_line(task, uow.team, uow.now)
            ),
            lambda: [done_button(task)],
            case_id=case.id,
        )
    await uow.audit(case, "system", "task_reminder", member=task.owner, task=task.id)
    interval = uow.team.config.escalation.task_reminder
    await uow.tx.add_timer(uow.now + interval, TASK_TIMER, case.id, {"task": task.id}, 0)


async def finish(uow: UnitOfWork, case: Case, task: Task, member: Member) -> Rich:
    """Mark a task done; its owner, the case's handler or second person, or a lead may. Says
    what happened."""
    may = member.id in (task.owner, case.assignee, case.second_person) or "lead" in member.roles
    if not may:
        await uow.audit(case, f"member:{member.id}", "task_done_refused", task=task.id)
        return rich(
            _(
                "Task {number} belongs to {name}; only they, the people on the case or a lead can"
                " mark it done."
            ).format(number=task.id, name=uow.team.member_name(task.owner))
        )
    if not await uow.tx.finish_task(task.id, member.id, uow.now):
        return fill(
            _("Task {number} on {code} was already marked done."),
            number=str(task.id),
            code=bold(case.code),
        )
    case.updated_at = uow.now
    await uow.tx.save_case(case)
    await uow.audit(case, f"member:{member.id}", "task_done", task=task.id)
    assignee = uow.team.member(case.assignee) if case.assignee else None
    if assignee is not None and assignee.id != member.id:
        await uow.send_member(
            assignee,
            lambda: fill(
                _("{name} marked task {number} on {code} done: {task}"),
                name=member.name,
                number=str(task.id),
                code=bold(case.code),
                task=task.text,
            ),
            case_id=case.id,
        )
    return fill(
        _("Task {number} on {code} is marked done. Thank you."),
        number=str(task.id),
        code=bold(case.code),
    )


async def open_task_lines(uow: UnitOfWork, case: Case) -> list[Rich]:
    return [
        task_line(task, uow.team, uow.now)
        for task in await uow.tx.tasks_for_case(case.id)
        if task.is_open
    ]
