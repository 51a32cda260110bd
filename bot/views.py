"""How a case reads to each audience.

Privacy lives here as much as in storage: the team-channel views take only a Case (code, severity,
state, handler, times) and never a Report, so they *cannot* show an account or a name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from bot.domain import (
    SEVERITY_ORDER,
    STATE_FOR_REPORTER,
    STATE_FOR_TEAM,
    Case,
    CaseState,
    Report,
    ReportBody,
)
from bot.richtext import Rich, bold, lines, rich
from bot.team import Duty, Team

ROLE_WORDS = {
    "target": "It happened to them",
    "witness": "They saw it happen",
    "on_behalf": "Reporting for someone else",
}
DANGER_WORDS = {"yes": "YES, in danger now", "no": "no", "not_sure": "not sure"}
WHERE_WORDS = {
    "venue": "At the event venue",
    "nearby_event": "At a nearby event",
    "travel": "Travelling to or from the event",
    "accommodation": "At the accommodation",
    "online": "Online",
    "other": "Somewhere else",
}
AFFILIATION_WORDS = {
    "participant": "a participant",
    "organizer": "an organizer",
    "board_staff": "board or staff",
    "venue_staff": "venue staff",
    "other_event": "from another event",
    "unknown": "not known",
}
DISCLOSURE_WORDS = {
    "named": "named (you may see who they are)",
    "pseudonymous": "pseudonymous (talk to them only through the bot)",
    "anonymous": "anonymous (no follow-up possible)",
}


def age(since: datetime, now: datetime) -> str:
    """``"4m"``, ``"2h 5m"``, ``"3d"``: short enough for a one-line status."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return "just now"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{hours // 24}d"


def clock_time(team: Team, moment: datetime) -> str:
    return team.local(moment).strftime("%H:%M")


def channel_line(case: Case, team: Team, now: datetime) -> Rich:
    """The redacted one-liner for the team channel: code, severity, state, age, handler.

    Every case reads alike here, a case about someone on the team too: that person may be reading
    the channel, so nothing may single it out."""
    state = STATE_FOR_TEAM[case.state]
    if case.awaiting_ack and case.state != CaseState.NEW:  # a new alert (bot.alerts)
        state = "awaiting acknowledgement again"
    line = rich(bold(case.code), f" · {case.severity.value} · {state}")
    if case.handler and not case.awaiting_ack:
        line += f" by {team.member_name(case.handler)}"
        if case.acknowledged_at:
            line += f" after {waited(case.created_at, case.acknowledged_at)}"
        return line
    opened = age(case.created_at, now)
    return line + f" · opened {opened}" + ("" if opened == "just now" else " ago")


def waited(since: datetime, until: datetime) -> str:
    """How long something waited, for "acknowledged after ..."."""
    text = age(since, until)
    return "less than a minute" if text == "just now" else text


def case_details(
    case: Case,
    report: Report,
    team: Team,
    *,
    show_identity: bool,
    history: Sequence[Rich] = (),
) -> Rich:
    """The full case for a handler who may see it; ``history`` is what is known about the
    reported person (bot.people.case_history), shown right after who they are."""
    body = report.body
    where = WHERE_WORDS.get(body.where, body.where or "not given")
    if body.where_detail:
        where = f"{where}: {body.where_detail}"
    who = body.who or "not given"
    if body.affiliation:
        who = f"{who} ({AFFILIATION_WORDS.get(body.affiliation, body.affiliation)})"
    reporter = _identity(case, report, team, show_identity)
    parts: list[Rich | str] = [
        rich(bold(f"{case.code} · {case.severity.value}"), f" · {STATE_FOR_TEAM[case.state]}"),
        rich(bold("Danger now: "), DANGER_WORDS.get(body.danger, body.danger or "not asked")),
    ]
    if body.help_now:
        parts.append(rich(bold("Asked for help now.")))
    if body.meet:
        parts.append(
            rich(
                bold("They would rather tell someone in person."),
                f" Please arrange to meet them: /reply {case.code} with where and when.",
            )
        )
    if body.location_now:
        parts.append(rich(bold("Where they are now: "), " / ".join(body.location_now)))
    parts += [
        rich(bold("Reporter: "), ROLE_WORDS.get(body.role, body.role or "not given")),
        rich(bold("When: "), body.when or "not given"),
        rich(bold("Where: "), where),
        rich(bold("What happened:")),
        *(rich("  ", part) for part in body.account),
        rich(bold("Attachments: "), f"{len(body.attachments)} kept with the case")
        if body.attachments
        else "",
        rich(bold("Who was involved: "), who),
        *history,
        rich(bold("Witnesses: "), body.witnesses or "not given"),
        rich(bold("Identity: "), reporter),
        rich(bold("Contact: "), body.contact or "not given", _updates(case, body)),
    ]
    if body.notes:
        parts.append(
            rich(bold("Also written (where a button was expected): "), " / ".join(body.notes))
        )
    if body.outcome:
        parts.append(rich(bold("Outcome they would like: "), body.outcome))
    return lines(*parts)


def _identity(case: Case, report: Report, team: Team, show_identity: bool) -> str:
    """Who reported it, as far as this reader may know."""
    body = report.body
    if body.source == "team":
        return f"none: opened by {team.member_name(body.taken_by)}; no participant reported it"
    if body.source == "in_person":
        return (
            f"taken in person by {team.member_name(body.taken_by)}, "
            + DISCLOSURE_WORDS.get(case.disclosure, case.disclosure).split(" (")[0]
        )
    if show_identity and report.reporter is not None:
        reporter = f"{report.reporter.display_name or report.reporter.user_id}"
        return reporter + f" on {report.reporter.platform} (id {report.reporter.user_id})"
    if case.disclosure == "anonymous":
        return "anonymous: no follow-up possible"
    return "pseudonymous: reply through the bot only"


def _updates(case: Case, body: ReportBody) -> str:
    """Whether the reporter chose automatic updates: what the handler may expect them to hear."""
    if body.source or case.disclosure == "anonymous":
        return ""
    return " · automatic updates: " + ("yes" if body.updates else "no")


def page_text(
    case: Case,
    report: Report,
    team: Team,
    now: datetime,
    *,
    notes: list[str] | None = None,
) -> Rich:
    header = (
        "Urgent: someone needs help now."
        if case.severity.value == "critical"
        else ("A new report needs a safety contact.")
    )
    extra = [rich(n) for n in notes or []]
    return lines(
        bold(header),
        *extra,
        case_details(case, report, team, show_identity=case.disclosure == "named"),
        f"Opened {clock_time(team, case.created_at)} ({age(case.created_at, now)}).",
    )


def acknowledged_page(
    case: Case, team: Team, by: str | None = None, at: datetime | None = None
) -> Rich:
    """What every page becomes once someone took the case (or answered its new alert, ``by``
    whom ``at`` what time): no details left on other phones."""
    when = clock_time(team, at or case.acknowledged_at or case.updated_at)
    who = team.member_name(by or case.handler)
    return rich(bold(case.code), f" · acknowledged by {who} at {when}.")


def no_such_case(code: str) -> Rich:
    """The answer to a code that names no case, and, in exactly the same words, to a member who
    may not see the case it names (bot.rights): nobody learns that a case about them exists."""
    return rich(
        "I can't find a case ", bold(code), " that you can see. Check the code and try again."
    )


# Why a member can't be on a case (bot.conflicts), as the handler who asked reads it.
CONFLICT_WORDS = {
    "excluded by the reporter": "the reporter asked that they not handle it",
    "recused": "they stepped aside from it",
    "named in the report": "the report names them",
}

OUTCOME_WORDS = {
    "not_a_violation": "not a violation",
    "out_of_scope": "out of scope",
    "no_action": "no action",
    "warning": "warning",
    "no_contact_agreement": "no-contact agreement",
    "removed_from_event": "removed from the event",
    "event_ban": "event ban",
    "referred": "referred",
}


def either(names: Sequence[str], fallback: str) -> str:
    """``"Lena"``, ``"Lena or Mira"``, ``"Ann, Lena or Mira"``: whom to call, any one of them.
    Repeats are dropped; ``fallback`` when there is nobody."""
    unique = list(dict.fromkeys(n for n in names if n))
    if not unique:
        return fallback
    if len(unique) == 1:
        return unique[0]
    return ", ".join(unique[:-1]) + " or " + unique[-1]


def summary_text(cases: list[Case], team: Team, now: datetime, duty: list[Duty]) -> Rich:
    """Counts by state and severity, waiting cases and who is on duty: nothing else, and
    nothing that singles out one case (see :func:`channel_line`)."""
    open_cases = [c for c in cases if c.is_open]
    by_state = Counter(STATE_FOR_TEAM[c.state] for c in open_cases)
    by_severity = Counter(c.severity for c in open_cases)
    waiting = sorted(
        (c for c in open_cases if c.awaiting_ack), key=lambda c: c.alert_at or c.created_at
    )
    parts: list[Rich | str] = [bold(f"{team.name}: summary at {clock_time(team, now)}")]
    if not open_cases:
        parts.append("No open cases.")
    else:
        parts.append(
            f"Open cases: {len(open_cases)} ("
            + ", ".join(f"{n} {state}" for state, n in sorted(by_state.items()))
            + ")"
        )
        parts.append(
            "By severity: "
            + ", ".join(f"{by_severity[s]} {s.value}" for s in SEVERITY_ORDER if by_severity[s])
        )
    if waiting:
        parts.append(bold("Awaiting acknowledgement:"))
        parts += [
            rich(
                "  ",
                bold(c.code),
                f" · {c.severity.value} · waiting {age(c.alert_at or c.created_at, now)}",
            )
            for c in waiting
        ]
    parts.append(
        "On duty now: "
        + (", ".join(f"{d.member.name} ({d.level})" for d in duty) if duty else "nobody")
    )
    return lines(*parts)


def reporter_state(case: Case) -> str:
    return STATE_FOR_REPORTER[case.state]
