"""The reporter's own report, shown back before anything is sent (the intake's last step)."""

from __future__ import annotations

from collections.abc import Collection

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


def report_summary(team: Team, body: ReportBody, *, kept: Collection[str]) -> Rich:
    """The report as its reporter reads it before pressing Send report: every answer, "not
    given" for one skipped ("I'd rather not say"); not to be handled by: whom they excluded and
    ``kept``, the ids of the members the report names (bot/services/conflicts.py kept_out)."""
    out = {*kept, *body.excluded}
    excluded = [m.name for m in team.handlers() if m.id in out]
    where = _(WHERE_WORDS[body.where]) if body.where in WHERE_WORDS else body.where
    if body.where_detail:
        where = f"{where}: {body.where_detail}" if where else body.where_detail
    unsaid = _("not given")
    affiliation = (
        _(AFFILIATION_WORDS[body.affiliation]) if body.affiliation in AFFILIATION_WORDS else ""
    )
    if body.who:
        who = rich(fixed(body.who), f" ({affiliation})" if affiliation else "")
    else:
        who = rich(affiliation or unsaid)
    return lines(
        bold(_("Here is your report. Nothing has been sent yet.")),
        rich(
            bold(_("Danger now: ")),
            _(DANGER_WORDS[body.danger]) if body.danger in DANGER_WORDS else unsaid,
        ),
        rich(bold(_("Your role: ")), _(YOUR_ROLE[body.role]) if body.role in YOUR_ROLE else unsaid),
        rich(bold(_("What happened:"))),
        *account_lines(team, body, corrections=False),
        rich(bold(_("When: ")), fixed(body.when) if body.when else unsaid),
        rich(bold(_("Where: ")), where or unsaid),
        rich(bold(_("Who: ")), who),
        rich(bold(_("Witnesses: ")), fixed(body.witnesses) if body.witnesses else unsaid),
        rich(
            bold(_("Identifiable as: ")),
            _(DISCLOSURE_WORDS[body.disclosure]).split(" (")[0]
            if body.disclosure in DISCLOSURE_WORDS
            else unsaid,
        ),
        rich(
            bold(_("Contact: ")),
            fixed(body.contact)
            if body.contact
            else (_("none") if body.disclosure == "anonymous" else unsaid),
        ),
        rich(
            bold(_("Not to be handled by: ")),
            _("{names} (they won't see this report)").format(names=", ".join(excluded))
            if excluded
            else _("nobody"),
        ),
        rich(bold(_("Outcome you would like: ")), body.outcome or unsaid),
        rich(bold(_("Also written: ")), " / ".join(body.notes)) if body.notes else "",
    )
