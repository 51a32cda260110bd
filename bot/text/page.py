"""A page: what a safety contact reads when a report needs them, in their own language, with the
reporter's words as written (and which language those are in)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.model import Case, CaseState, Report
from bot.domain.team import Team
from bot.text.languages_words import written_in
from bot.text.note import Note as Note
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, fill, lines, rich
from bot.text.views import age, case_details, clock_time


def page_text(
    case: Case,
    report: Report,
    team: Team,
    now: datetime,
    *,
    notes: list[str] | None = None,
) -> Rich:
    """A page: what it asks for, a content note when an account follows, ``notes`` (why it was
    sent, who could not be reached), then the case. A taken case paged again is an alert
    (bot.alerts): its reporter asked for help, or to talk to someone."""
    if case.severity.value == "critical":
        header = _("Urgent: someone needs help now.")
    elif case.state == CaseState.NEW:
        header = _("A new report needs a safety contact.")
    else:
        header = _("A reporter would like to talk to someone.")
    # a note of the bot's own (N_, or a Note with names in it) in the reader's words
    extra = [rich(n.translated() if isinstance(n, Note) else _(n)) for n in notes or []]
    return lines(
        bold(header),
        _(CONTENT_NOTE) if report.body.account else "",
        *extra,
        written_in(report),
        case_details(case, report, team, show_identity=case.disclosure == "named"),
        _("Opened {time} ({age}).").format(
            time=clock_time(team, case.created_at), age=age(case.created_at, now)
        ),
    )


# Before an account, for whoever is about to read it (WORDS.md, 12).
CONTENT_NOTE = N_(
    "Content note: this page includes an account of harm; read it when you are ready."
)


def already_acknowledged(case: Case, team: Team, member_id: str) -> Rich:
    """Why acknowledging did nothing: who took the case (``member_id`` is who asked), and when."""
    yours = case.assignee == member_id
    if case.acknowledged_at is None:
        template = (
            _("{code} was already acknowledged by you.")
            if yours
            else _("{code} was already acknowledged by {name}.")
        )
    else:
        template = (
            _("{code} was already acknowledged by you at {time}.")
            if yours
            else _("{code} was already acknowledged by {name} at {time}.")
        )
    when = clock_time(team, case.acknowledged_at) if case.acknowledged_at else ""
    return fill(template, code=bold(case.code), name=team.member_name(case.assignee), time=when)
