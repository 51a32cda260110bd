"""The reporter's own report, shown back before anything is sent (the intake's last step)."""

from __future__ import annotations

from bot.domain.model import ReportBody
from bot.domain.team import Team
from bot.text.answer_words import fixed
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import (
    AFFILIATION_WORDS,
    DANGER_WORDS,
    DISCLOSURE_WORDS,
    WHERE_WORDS,
    account_lines,
)

# The reporter's role, as they read it back ("It happened to you").
YOUR_ROLE = {
    "target": N_("It happened to you"),
    "witness": N_("You saw it happen"),
    "on_behalf": N_("Reporting for someone else"),
}


def report_summary(team: Team, body: ReportBody) -> Rich:
    """The report as its reporter reads it before pressing Send report: every answer, "-" for
    one not given."""
    excluded = [m.name for m in team.handlers() if m.id in body.excluded]
    where = _(WHERE_WORDS[body.where]) if body.where in WHERE_WORDS else body.where
    if body.where_detail:
        where = f"{where}: {body.where_detail}" if where else body.where_detail
    return lines(
        bold(_("Here is your report. Nothing has been sent yet.")),
        rich(
            bold(_("Danger now: ")),
            _(DANGER_WORDS[body.danger]) if body.danger in DANGER_WORDS else "-",
        ),
        rich(bold(_("Your role: ")), _(YOUR_ROLE[body.role]) if body.role in YOUR_ROLE else "-"),
        rich(bold(_("What happened:"))),
        *account_lines(team, body, corrections=False),
        rich(bold(_("When: ")), fixed(body.when) if body.when else "-"),
        rich(bold(_("Where: ")), where or "-"),
        rich(
            bold(_("Who: ")),
            fixed(body.who) if body.who else "-",
            " (",
            _(AFFILIATION_WORDS[body.affiliation])
            if body.affiliation in AFFILIATION_WORDS
            else "-",
            ")",
        ),
        rich(bold(_("Witnesses: ")), fixed(body.witnesses) if body.witnesses else "-"),
        rich(
            bold(_("Identifiable as: ")),
            _(DISCLOSURE_WORDS[body.disclosure]).split(" (")[0]
            if body.disclosure in DISCLOSURE_WORDS
            else "-",
        ),
        rich(
            bold(_("Contact: ")),
            fixed(body.contact)
            if body.contact
            else (_("none") if body.disclosure == "anonymous" else "-"),
        ),
        rich(bold(_("Not to be handled by: ")), ", ".join(excluded) or _("nobody")),
        rich(bold(_("Outcome you would like: ")), body.outcome or "-"),
        rich(bold(_("Also written: ")), " / ".join(body.notes)) if body.notes else "",
    )
