"""The reporter's own report, shown back before anything is sent (the intake's last step)."""

from __future__ import annotations

from bot.domain.model import ReportBody
from bot.domain.team import Team
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import (
    AFFILIATION_WORDS,
    DANGER_WORDS,
    DISCLOSURE_WORDS,
    ROLE_WORDS,
    WHERE_WORDS,
    account_lines,
)


def report_summary(team: Team, body: ReportBody) -> Rich:
    """The report as its reporter reads it before pressing Send report: every answer, "-" for
    one not given."""
    excluded = [m.name for m in team.handlers() if m.id in body.excluded]
    where = WHERE_WORDS.get(body.where, body.where)
    if body.where_detail:
        where = f"{where}: {body.where_detail}" if where else body.where_detail
    return lines(
        bold("Here is your report. Nothing has been sent yet."),
        rich(bold("Danger now: "), DANGER_WORDS.get(body.danger, "-")),
        rich(
            bold("Your role: "),
            ROLE_WORDS.get(body.role, "-").replace("them", "you").replace("They", "You"),
        ),
        rich(bold("What happened:")),
        *account_lines(team, body, corrections=False),
        rich(bold("When: "), body.when or "-"),
        rich(bold("Where: "), where or "-"),
        rich(
            bold("Who: "), body.who or "-", " (", AFFILIATION_WORDS.get(body.affiliation, "-"), ")"
        ),
        rich(bold("Witnesses: "), body.witnesses or "-"),
        rich(bold("Identifiable as: "), DISCLOSURE_WORDS.get(body.disclosure, "-").split(" (")[0]),
        rich(
            bold("Contact: "), body.contact or ("none" if body.disclosure == "anonymous" else "-")
        ),
        rich(bold("Not to be handled by: "), ", ".join(excluded) or "nobody"),
        rich(bold("Outcome you would like: "), body.outcome or "-"),
        rich(bold("Also written: "), " / ".join(body.notes)) if body.notes else "",
    )
