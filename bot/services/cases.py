"""Opening and acknowledging cases: the rules, whatever platform the request came from.

Each function runs inside the caller's unit of work, so the case, its audit entries and every
message it causes commit together.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.config.teamfile import Member
from bot.domain import pieces, preferences, rights
from bot.domain.model import AuditEntry, Case, CaseState, PlatformUser, Report, ReportBody, Severity
from bot.ports.events import Address
from bot.ports.store import NewCase
from bot.services import aftercare, alerts, conflicts, escalation, people, retention, rota
from bot.services.conflicts import named_members
from bot.text import reporter_notes as notes
from bot.text.reader import _
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import (
    ALERT_WORDS,
    STOOD_DOWN,
    acknowledged_page,
    case_details,
    channel_line,
    no_such_case,
    reporter_state,
    response_reminder,
)
from bot.uow import Labels, UnitOfWork, Words


def severity_for(body: ReportBody) -> Severity:
    if body.help_now or body.danger == "yes":
        return Severity.CRITICAL
    if body.danger == "not_sure":
        return Severity.HIGH
    return Severity.MEDIUM


POWER_AFFILIATIONS = frozenset({"organizer", "board_staff"})


def about_power(body: ReportBody) -> bool:
    """The reporter says the person holds a team role or a position of power (board or staff):
    such a case goes above them even when the name matches nobody in the team file."""
    return body.affiliation in POWER_AFFILIATIONS


async def open_case(uow: UnitOfWork, reporter: PlatformUser, body: ReportBody) -> Case:
    """Store the report and its case, page the first step and post the redacted channel line.

    An anonymous reporter's identity is not stored at all: nobody, not even the bot, can link the
    case back to them afterwards. Nor is the member's who filed a report for someone else (taken
    in person) or opened a case nobody reported: they are not the reporter.
    """
    unlinked = body.disclosure == "anonymous" or body.source in ("in_person", "team", "drill")
    stored_reporter = None if unlinked else reporter
    reporter_key = None if unlinked else uow.person_key(reporter)
    report = Report(id=None, created_at=uow.now, body=body, reporter=stored_reporter)
    report.id = await uow.tx.add_report(report, reporter_key)
    policy = escalation.policy_snapshot(uow.team.config)
    named = await named_members(uow, body)
    surely = await conflicts.strongly_named(uow, named, body)
    if (about_power(body) or surely) and rights.someone_above(uow.team, body, named):
        policy = escalation.above_team_policy(uow.team.config, policy)
    case = await uow.tx.add_case(
        NewCase(
            report_id=report.id,
            severity=severity_for(body),
            disclosure=body.disclosure or "pseudonymous",
            excluded=list(body.excluded),
            policy=policy,
            reporter_key=reporter_key,
            created_at=uow.now,
            drill=body.source == "drill",
        )
    )
    opener = f"member:{body.taken_by}" if body.taken_by else "reporter"
    await uow.audit(case, opener, "opened", severity=case.severity.value, source=body.source)
    for at, title in pieces.corrections(body):  # made while it was a draft, each at its time
        await uow.tx.add_audit(
            AuditEntry(case.id, at, opener, "corrected_before_sending", {"part": title})
        )
    await people.index_case(uow, case, body)
    uow.milestones.append("case_opened")
    # The page goes first: it is the message someone is waiting for.
    await escalation.start(uow, case, report)
    await uow.send_channel(channel_line(case, uow.team, uow.now), case_id=case.id)
    return case


def reporter_address(report: Report) -> Address | None:
    if report.reporter is None:
        return None
    return Address(report.reporter.platform, report.reporter.user_id)


async def tell_reporter(
    uow: UnitOfWork, case: Case, report: Report, text: Words, buttons: Labels = ()
) -> bool:
    """Message the reporter of a case, if they left a way, in their language; buttons theirs."""
    address = reporter_address(report)
    if address is None or report.reporter is None:
        return False
    text, buttons = uow.compose(text, buttons, await uow.language_of_person(report.reporter))
    await uow.send(
        address,
        text,
        buttons,
        audience=uow.reporter_audience(report.reporter),
        purpose="reporter",
        case_id=case.id,
    )
    return True


async def update_reporter(uow: UnitOfWork, case: Case, report: Report, text: Words) -> bool:
    """An automatic message about the report (it was picked up, its state changed): only to a
    reporter who chose updates at the contact step ("Message me here")."""
    if not report.body.updates:
        return False
    return await tell_reporter(uow, case, report, text)


class AckOutcome(enum.Enum):
    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"
    NOT_A_HANDLER = "not_a_handler"
    CONFLICTED = "conflicted"
    CLOSED = "closed"


@dataclass(frozen=True)
class AckResult:
    outcome: AckOutcome
    case: Case
    message: Rich


async def acknowledge(uow: UnitOfWork, case: Case, member: Member) -> AckResult:
    """Take a case: assign it, stop the chain, tell the reporter and update every page; or, on
    a taken case with a new alert (bot.alerts), acknowledge that alert.

    A member who may not see the case (bot.rights) gets the answer an unknown code gets."""
    report = await uow.tx.get_report(case.report_id)
    actor = f"member:{member.id}"
    reason = await conflicts.refusal(uow, case, report.body, member)
    if reason is not None:
        await uow.audit(case, actor, "ack_refused", reason=reason)
        return AckResult(AckOutcome.CONFLICTED, case, no_such_case(case.code))
    if not rights.may_take(member):
        await uow.audit(case, actor, "ack_refused", reason=rights.NOT_A_HANDLER)
        return AckResult(
            AckOutcome.NOT_A_HANDLER,
            case,
            rich("Only safety contacts and leads can take a case."),
        )
    if case.awaiting_ack and case.state != CaseState.NEW:
        return await _acknowledge_alert(uow, case, report, member)
    if case.state != CaseState.NEW and case.assignee is None and case.is_open:
        # its handler recused: the first contact who acknowledges takes it over
        case.assignee = member.id
        case.updated_at = uow.now
        await uow.tx.save_case(case)
        await uow.audit(case, actor, "took_over")
        await update_channel_posts(uow, case)
        handling = rich(bold(_("You're handling {code} now.").format(code=case.code)))
        return AckResult(AckOutcome.ACKNOWLEDGED, case, handling)
    if case.state != CaseState.NEW:
        who = "you" if case.assignee == member.id else uow.team.member_name(case.assignee)
        when = ""
        if case.acknowledged_at is not None:
            when = " at " + uow.team.local(case.acknowledged_at).strftime("%H:%M")
        return AckResult(
            AckOutcome.ALREADY,
            case,
            rich(bold(case.code), f" was already acknowledged by {who}{when}."),
        )
    return await _take(uow, case, report, member)


async def _take(uow: UnitOfWork, case: Case, report: Report, member: Member) -> AckResult:
    """The first acknowledgement of a new case: it is ``member``'s now."""
    case.state = CaseState.ACKNOWLEDGED
    case.assignee = member.id
    case.acknowledged_at = uow.now
    case.updated_at = uow.now
    await uow.tx.save_case(case)
    await uow.tx.cancel_timers(case.id, [escalation.ESCALATE_TIMER, escalation.PAGE_FAILED])
    await uow.audit(case, f"member:{member.id}", "acknowledged")
    await escalation.arm_idle(uow, case)
    await update_posts(uow, case)
    if case.severity == Severity.CRITICAL:
        told = await tell_reporter(uow, case, report, lambda: notes.coming(member.name))
    else:  # whoever called for help is told, whatever they chose about updates
        tell = tell_reporter if report.body.help_now else update_reporter
        told = await tell(
            uow,
            case,
            report,
            lambda: notes.picked_up(_handler_name(uow, member), case.code),
        )
    told_words = await _who_tells_them(uow, case, report, told, member)
    headline = _("You're handling {code}.").format(code=case.code)
    return AckResult(
        AckOutcome.ACKNOWLEDGED,
        case,
        await _ack_reply(uow, case, report, member, headline, told_words),
    )


async def _ack_reply(
    uow: UnitOfWork, case: Case, report: Report, member: Member, headline: str, told: str
) -> Rich:
    """The acknowledger's answer: what the reporter was told, how to respond (two lines), whom
    the reporter would prefer to talk to if that is not them, then the case."""
    return lines(
        rich(bold(headline), f" {told}" if told else ""),
        response_reminder(),
        await _preference_line(uow, case, report, member),
        rich("\n", await _details_for(uow, case, report, member)),
    )


async def _preference_line(uow: UnitOfWork, case: Case, report: Report, member: Member) -> str:
    """Whom the reporter would prefer, and who on duty matches, when ``member`` does not."""
    wanted = preferences.of(report.body)
    if wanted is None or wanted.matches(member):
        return ""
    duty = [d.member for d in await rota.on_duty(uow) if d.member.id != member.id]
    return preferences.note(
        wanted, preferences.matching(case, report.body, await conflicts.seeing(uow, case, duty))
    )


def _handler_name(uow: UnitOfWork, member: Member) -> str | None:
    """Who took it, as the reporter reads it: a name only if the team file says so."""
    return member.name if uow.team.config.team.show_handler_names else None


async def _details_for(uow: UnitOfWork, case: Case, report: Report, member: Member) -> Rich:
    return case_details(
        case,
        report,
        uow.team,
        show_identity=case.disclosure == "named",
        history=await people.case_history(uow, case, report.body, member),
    )


async def _who_tells_them(
    uow: UnitOfWork, case: Case, report: Report, told: bool, member: Member
) -> str:
    """What the handler reads about the reporter hearing of it, true for every kind of report.
    A report taken in person reaches the person only through the member who took it: they are
    asked to tell them."""
    body = report.body
    if told and case.severity == Severity.CRITICAL:
        return ALERT_WORDS[alerts.HELP].told
    if told:
        return _("The reporter has been told that someone picked it up.")
    if body.source == "in_person":
        taker = uow.team.member(body.taken_by)
        if taker is not None:
            await uow.send_member(
                taker,
                rich(
                    "The report you took in person, ",
                    bold(case.code),
                    f", has been picked up by {member.name}. Please let the person know.",
                ),
                case_id=case.id,
            )
        name = uow.team.member_name(body.taken_by)
        return f"{name} took it in person and has been asked to tell the person."
    if body.source in ("team", "drill"):
        return ""
    if case.disclosure == "anonymous":
        return "The reporter chose to stay anonymous, so they can't be told."
    if not body.contactable:
        return "The reporter asked not to be contacted, so they were not told."
    return "The reporter asked for no automatic updates, so they were not told."


async def _acknowledge_alert(
    uow: UnitOfWork, case: Case, report: Report, member: Member
) -> AckResult:
    """Someone answers a new alert on a taken case: the repeats stop, its pages say who took
    it, the reporter hears who has it (who is coming, for a call for help) and the handler, if
    it was someone else."""
    kind = await alerts.alert_kind(uow, case)
    if kind == alerts.HELP and case.severity != Severity.CRITICAL:
        kind = STOOD_DOWN  # they said they are safe (bot.stand_down): nobody is on the way
    case.alert_at = None
    case.updated_at = uow.now
    if case.assignee is None:
        case.assignee = member.id
    await uow.tx.save_case(case)
    await uow.tx.cancel_timers(case.id, [escalation.ESCALATE_TIMER, escalation.PAGE_FAILED])
    await uow.audit(case, f"member:{member.id}", alerts.ALERT_ACKNOWLEDGED)
    for row in await alerts.waiting_pages(uow, case):
        await uow.edit(row.id, acknowledged_page(case, uow.team, member.id, uow.now))
    await update_channel_posts(uow, case)
    words = ALERT_WORDS[kind]

    def reporter_text() -> Rich:  # in the reporter's language
        if kind == alerts.HELP:
            return notes.coming(member.name)
        return notes.alert_answered(kind, _handler_name(uow, member))

    told = await tell_reporter(uow, case, report, reporter_text)
    assignee = uow.team.member(case.assignee or "")
    if assignee is not None and assignee.id != member.id:
        await uow.send_member(
            assignee,
            rich(bold(case.code), f" · {member.name} acknowledged {words.what}."),
            case_id=case.id,
        )
    return AckResult(
        AckOutcome.ACKNOWLEDGED,
        case,
        await _ack_reply(
            uow,
            case,
            report,
            member,
            f"You're answering {words.what} on {case.code}.",
            words.told if told else "",
        ),
    )


async def update_posts(uow: UnitOfWork, case: Case) -> None:
    """Bring every page and channel post of a case up to date, without re-sending them."""
    for row in await uow.tx.outbox_for_case(case.id, ["page"]):
        await uow.edit(row.id, acknowledged_page(case, uow.team))
    await update_channel_posts(uow, case)


async def update_channel_posts(uow: UnitOfWork, case: Case) -> None:
    """The redacted channel line follows the case's state."""
    for row in await uow.tx.outbox_for_case(case.id, ["channel", "channel-alert"]):
        await uow.edit(row.id, channel_line(case, uow.team, uow.now))


# Which state may follow which; "reopened" always needs a note.
NEXT_STATES: dict[CaseState, frozenset[CaseState]] = {
    CaseState.ACKNOWLEDGED: frozenset(
        {CaseState.INVESTIGATING, CaseState.ACTION_TAKEN, CaseState.RESOLVED}
    ),
    CaseState.INVESTIGATING: frozenset({CaseState.ACTION_TAKEN, CaseState.RESOLVED}),
    CaseState.ACTION_TAKEN: frozenset({CaseState.INVESTIGATING, CaseState.RESOLVED}),
    CaseState.REOPENED: frozenset(
        {CaseState.INVESTIGATING, CaseState.ACTION_TAKEN, CaseState.RESOLVED}
    ),
    CaseState.RESOLVED: frozenset({CaseState.CLOSED, CaseState.REOPENED}),
    CaseState.CLOSED: frozenset({CaseState.REOPENED}),
}


async def change_state(
    uow: UnitOfWork, case: Case, new: CaseState, actor: Member, **detail: str
) -> str | None:
    """Move a case on; returns why not, or ``None`` when done. The reporter hears it in plain
    words and the channel line follows."""
    if case.purged_at is not None:
        return retention.purged_line(case, uow.team)
    if new not in NEXT_STATES.get(case.state, frozenset()):
        if case.state == CaseState.NEW:
            return f"{case.code} has not been acknowledged yet: /ack {case.code} first."
        return f"{case.code} is {case.state.value}; it cannot become {new.value} from there."
    old = case.state
    case.state = new
    case.updated_at = uow.now
    if not case.is_open:
        case.alert_at = None  # nothing is paged for a resolved case
    await retention.on_state_change(uow, case, new, detail.get("outcome", ""))
    await uow.tx.save_case(case)
    await uow.audit(
        case, f"member:{actor.id}", "state_changed", old=old.value, new=new.value, **detail
    )
    await update_channel_posts(uow, case)
    if new == CaseState.RESOLVED:
        await aftercare.after_resolved(uow, case, actor)
    if not case.is_open:
        return None  # the end is told in the handler's words (handlers.closing)
    report = await uow.tx.get_report(case.report_id)
    await update_reporter(
        uow,
        case,
        report,
        lambda: notes.state_changed(case.code, reporter_state(case)),
    )
    return None
