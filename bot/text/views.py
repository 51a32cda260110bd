"""How a case reads to each audience.

Privacy lives here as much as in storage: the team-channel views take only a Case (code, severity,
state, handler, times) and never a Report, so they *cannot* show an account or a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import pieces, preferences
from bot.domain.model import (
    STATE_FOR_REPORTER,
    STATE_FOR_TEAM,
    Case,
    CaseState,
    Report,
    ReportBody,
)
from bot.domain.team import Team
from bot.ports.events import Forwarded
from bot.text.answer_words import (  # the tables live there; imported from here too
    AFFILIATION_LABELS as AFFILIATION_LABELS,
)
from bot.text.answer_words import (
    AFFILIATION_WORDS as AFFILIATION_WORDS,
)
from bot.text.answer_words import (
    DANGER_WORDS as DANGER_WORDS,
)
from bot.text.answer_words import (
    DISCLOSURE_WORDS as DISCLOSURE_WORDS,
)
from bot.text.answer_words import (
    ROLE_WORDS as ROLE_WORDS,
)
from bot.text.answer_words import (
    WHERE_WORDS as WHERE_WORDS,
)
from bot.text.answer_words import fixed
from bot.text.reader import N_, _, ngettext
from bot.text.richtext import Rich, bold, code, fill, isolate, italic, lines, rich


def age(since: datetime, now: datetime) -> str:
    """``"4m"``, ``"2h 5m"``, ``"3d"``: short enough for a one-line status."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return _("just now")
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{hours // 24}d"


def clock_time(team: Team, moment: datetime) -> str:
    return team.local(moment).strftime("%H:%M")


def forwarded_from(team: Team, origin: Forwarded) -> str:
    """``"Forwarded message from Jo Doe (@jodoe), first sent Wed 11 Aug 09:12"``: where a
    forwarded message came from, so nobody takes it for the reporter's own words."""
    name = origin.name or "someone"
    source = {
        "user": f"{name} (@{origin.username})" if origin.username else name,
        "hidden_user": f"{name} (their account is hidden)",
        "chat": f"the group {name}",
        "channel": f"the channel {name}" + (f" (@{origin.username})" if origin.username else ""),
    }.get(origin.kind, name)
    if origin.author:
        source += f", signed {origin.author}"
    sent = team.local(origin.date).strftime("%a %d %b %H:%M")
    return f"Forwarded message from {source}, first sent {sent}"


def written(
    team: Team, body: ReportBody, field: str, index: int = 0, *, corrections: bool = True
) -> Rich:
    """An answer as the reporter gave it: a forwarded message says where it came from, and (for
    the safety team, ``corrections``) a corrected one says when, and what it first said."""
    # isolated (FSI...PDI) when it holds right-to-left letters: an Arabic answer cannot then
    # reorder the label, code or brackets around it (bot/text/richtext.py isolate)
    text = isolate(pieces.current(body, field, index) or "")
    found = pieces.piece(body, field, index)
    origin = pieces.forwarded(found)
    shown = rich(italic(forwarded_from(team, origin) + ":"), " ", text) if origin else rich(text)
    corrected = pieces.last_correction(found) if corrections else None
    if corrected is not None:
        at, original = corrected
        shown += rich(
            italic(f" (corrected by the reporter {team.local(at).strftime('%a %H:%M')};"),
            italic(" first written: "),
            original,
            italic(")"),
        )
    return shown


def account_lines(team: Team, body: ReportBody, *, corrections: bool = True) -> list[Rich]:
    """What happened, one line per message, indented under its heading."""
    return [
        rich("  ", written(team, body, "account", i, corrections=corrections))
        for i in range(len(body.account))
    ]


def channel_line(case: Case, team: Team, now: datetime) -> Rich:
    """The redacted one-liner for the team channel: code, severity, state, age, handler.

    Every case reads alike here, a case about someone on the team too: that person may be reading
    the channel, so nothing may single it out."""
    state = _(STATE_FOR_TEAM[case.state])
    if case.awaiting_ack and case.state != CaseState.NEW:  # a new alert (bot.alerts)
        state = _("awaiting acknowledgement again")
    line = rich(bold(case.code), f" · {case.severity.value} · {state}")
    if case.assignee and not case.awaiting_ack:
        name = team.member_name(case.assignee)
        if case.acknowledged_at:
            after = waited(case.created_at, case.acknowledged_at)
            return line + _(" by {name} after {waited}").format(name=name, waited=after)
        return line + _(" by {name}").format(name=name)
    if (now - case.created_at).total_seconds() < 60:  # as age() says "just now"
        return line + _(" · opened just now")
    return line + _(" · opened {age} ago").format(age=age(case.created_at, now))


def waited(since: datetime, until: datetime) -> str:
    """How long something waited, for "acknowledged after ..."."""
    text = age(since, until)
    return _("less than a minute") if text == _("just now") else text


def case_details(
    case: Case,
    report: Report,
    team: Team,
    *,
    show_identity: bool,
    history: Sequence[Rich] = (),
) -> Rich:
    """The full case for a handler who may see it; ``history`` is what is known about the
    reported person (bot.people.case_history), shown right after who they are. A call for help
    ("I need help now") shows only what is known, where they are now first."""
    body = report.body
    where = rich(_(WHERE_WORDS.get(body.where, body.where or N_("not given"))))
    if body.where_detail:
        where += rich(": ", written(team, body, "where_detail"))
    who = _answer(team, body, "who")
    if body.affiliation:
        who += f" ({_(AFFILIATION_WORDS.get(body.affiliation, body.affiliation))})"
    reporter = _identity(case, report, team, show_identity)
    # A call for help: what is known, where they are first, nothing that was not given.
    brief = body.help_now
    known = {
        "role": bool(body.role),
        "where": bool(body.where or body.where_detail),
        "who": bool(body.who or body.affiliation),
        **{f: bool(pieces.current(body, f)) for f in ("when", "witnesses", "contact")},
    }
    shown = {field: given or not brief for field, given in known.items()}
    parts: list[Rich | str] = [
        rich(bold(f"{case.code} · {case.severity.value}"), f" · {_(STATE_FOR_TEAM[case.state])}"),
    ]
    if brief:
        parts.append(rich(bold(_("Asked for help now."))))
    else:
        parts.append(
            rich(
                bold(_("Danger now: ")),
                _(DANGER_WORDS.get(body.danger, body.danger or N_("not asked"))),
            )
        )
    if body.location_now:
        parts.append(rich(bold(_("Where they are now: ")), _locations(team, body)))
    if body.meet:
        parts.append(
            rich(
                bold(_("They would rather tell someone in person.")),
                _(" Please arrange to meet them: /reply {code} with where and when.").format(
                    code=case.code
                ),
            )
        )
    parts += [
        rich(bold(_("Reporter: ")), _(ROLE_WORDS.get(body.role, body.role or N_("not given"))))
        if shown["role"]
        else "",
        rich(bold(_("When: ")), _answer(team, body, "when")) if shown["when"] else "",
        rich(bold(_("Where: ")), where) if shown["where"] else "",
        rich(bold(_("What happened:"))) if body.account or not brief else "",
        *account_lines(team, body),
        rich(
            bold(_("Attachments: ")),
            ngettext(
                "{count} kept with the case", "{count} kept with the case", len(body.attachments)
            ).format(count=len(body.attachments)),
        )
        if body.attachments
        else "",
        rich(bold(_("Who was involved: ")), who) if shown["who"] else "",
        *history,
        rich(bold(_("Witnesses: ")), _answer(team, body, "witnesses"))
        if shown["witnesses"]
        else "",
        rich(bold(_("Identity: ")), reporter),
        rich(bold(_("Contact: ")), _answer(team, body, "contact"), _updates(case, body))
        if shown["contact"]
        else "",
    ]
    if body.notes:
        parts.append(
            rich(bold(_("Also written (where a button was expected): ")), " / ".join(body.notes))
        )
    return lines(*parts, *_wishes(team, body))


def _wishes(team: Team, body: ReportBody) -> list[Rich]:
    """What the reporter would like, if they said: whom to talk to, an outcome."""
    found = []
    wanted = preferences.of(body)
    if wanted is not None:
        found.append(rich(bold(_("Would prefer to talk to: ")), wanted.words))
    if body.outcome:
        found.append(rich(bold(_("Outcome they would like: ")), _answer(team, body, "outcome")))
    return found


def _answer(team: Team, body: ReportBody, field: str) -> Rich:
    value = pieces.current(body, field)
    if not value:
        return rich(_("not given"))
    if pieces.piece(body, field, 0) is None:  # a button's answer: in the reader's words
        return rich(fixed(value))
    return written(team, body, field)


def _locations(team: Team, body: ReportBody) -> Rich:
    shown = Rich()
    for index in range(len(body.location_now)):
        shown += rich(" / " if index else "", written(team, body, "location_now", index))
    return shown


def _identity(case: Case, report: Report, team: Team, show_identity: bool) -> str:
    """Who reported it, as far as this reader may know."""
    body = report.body
    if body.source == "team":
        return _("none: opened by {name}; no participant reported it").format(
            name=team.member_name(body.taken_by)
        )
    if body.source == "in_person":
        return _("taken in person by {name}, {disclosure}").format(
            name=team.member_name(body.taken_by),
            disclosure=_(DISCLOSURE_WORDS.get(case.disclosure, case.disclosure)).split(" (")[0],
        )
    if show_identity and report.reporter is not None:
        reporter = f"{report.reporter.display_name or report.reporter.user_id}"
        return _("{reporter} on {platform} (id {user_id})").format(
            reporter=isolate(reporter),
            platform=report.reporter.platform,
            user_id=report.reporter.user_id,
        )
    if case.disclosure == "anonymous":
        return _("anonymous: no follow-up possible")
    if case.disclosure == "named":
        return _("named: shown to the person handling it; reply through the bot")
    return _("pseudonymous: reply through the bot only")


def _updates(case: Case, body: ReportBody) -> str:
    """Whether the reporter chose automatic updates: what the handler may expect them to hear."""
    if body.source or case.disclosure == "anonymous":
        return ""
    return _(" · automatic updates: yes") if body.updates else _(" · automatic updates: no")


STOOD_DOWN = "stood_down"  # a call for help after "I'm safe now" or "I pressed it by mistake"


@dataclass(frozen=True)
class AlertWords:
    """How an alert on a taken case (bot.alerts) reads once someone acknowledges it."""

    what: str  # what was asked for, as the team reads it
    reporter: str  # what the reporter reads after who has it (a call for help: coming())
    told: str  # what the acknowledger reads about the reporter being told


ALERT_WORDS = {  # by the kind of alert: bot.alerts.HELP, bot.alerts.TALK
    "help": AlertWords(
        "the call for help",
        "",
        "The person asking for help has been told your name and that you are coming.",
    ),
    "talk": AlertWords(
        "the request to talk",
        "has seen that you would like to talk and will be in touch as you asked.",
        "The reporter has been told that someone will be in touch.",
    ),
    STOOD_DOWN: AlertWords(
        "the call for help",
        "has your message and will check in with you as you asked.",
        "The reporter has been told that someone will check in with them.",
    ),
}


# With every acknowledgement: how to respond, in two lines (WORDS.md, 1, 5 and 12).
def response_reminder() -> Rich:
    """The two lines, in the reader's language."""
    return lines(
        _(
            "When you talk to them: believe them, and don't ask why they did or didn't do"
            " something."
        ),
        _("Promise only what you can do, and say what happens next."),
    )


def acknowledged_page(
    case: Case, team: Team, by: str | None = None, at: datetime | None = None
) -> Rich:
    """What every page becomes once someone took the case (or answered its new alert, ``by``
    whom ``at`` what time): no details left on other phones."""
    when = clock_time(team, at or case.acknowledged_at or case.updated_at)
    who = team.member_name(by or case.assignee)
    return rich(
        bold(case.code), _(" · acknowledged by {name} at {time}.").format(name=who, time=when)
    )


def no_such_case(code: str) -> Rich:
    """The answer to a code that names no case, and, in exactly the same words, to a member who
    may not see the case it names (bot.rights): nobody learns that a case about them exists."""
    return fill(
        _("I can't find a case {code} that you can see. Check the code and try again."),
        code=bold(code),
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


def reporter_state(case: Case) -> str:
    return _(STATE_FOR_REPORTER[case.state])


def channel_moved(platform: str, old: str, new: str) -> Rich:
    """To each lead, privately, when the platform gave the team channel a new id."""
    name = platform.capitalize()
    return lines(
        bold(f"The team channel on {name} has a new id."),
        f"{name} changed it from {old} to {new} (a group becomes a supergroup this way)."
        " I post there from now on.",
        rich(
            "Please update the team file: under ",
            code("[channels]"),
            ", set ",
            code(f"{platform} = {new}"),
            ".",
        ),
    )
