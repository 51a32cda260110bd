"""A page: what a safety contact reads when a report needs them, in their own language, with the
reporter's words as written (and which language those are in)."""

from __future__ import annotations

from datetime import datetime

from bot.domain.model import Case, CaseState, Report
from bot.domain.team import Team
from bot.text.languages_words import written_in
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, lines, rich
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
    extra = [rich(_(n)) for n in notes or []]  # a note of the bot's own (N_) in the reader's words
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
