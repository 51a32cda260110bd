"""The report's questions: each one's prompt, its fixed answers, what free text means, and
which apply to which report. Their order is the order they are asked in: how identifiable and how
to be contacted come before the account; everything but what happened can be skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.config.teamfile import Member
from bot.domain.model import CONTACT_HERE, NO_CONTACT, ReportBody
from bot.domain.team import Team
from bot.text.reader import N_, _
from bot.text.richtext import Rich, lines, rich
from bot.text.views import AFFILIATION_LABELS, WHERE_WORDS


@dataclass(frozen=True)
class Step:
    """One question: its prompt, its fixed answers, and what free text means (if anything)."""

    name: str
    title: str  # what "Edit" calls it
    prompt: Callable[[Team, ReportBody], Rich]
    options: list[tuple[str, str]]  # (value, label)
    choose: Callable[[ReportBody, str], None]
    text: Callable[[ReportBody, str], None] | None = None


def _set(attr: str) -> Callable[[ReportBody, str], None]:
    def setter(body: ReportBody, value: str) -> None:
        setattr(body, attr, value)

    return setter


def _where_text(body: ReportBody, text: str) -> None:
    body.where = body.where or "other"
    body.where_detail = text


CONTACT_OPTIONS = {  # value -> (what the handler reads, whether automatic updates go)
    "here": (CONTACT_HERE, True),
    "needed": ("Message me here only if they need to ask me something", False),
    "none": (NO_CONTACT, False),
    "through": ("Through the team member who took the report", False),
}


def contact_choice(body: ReportBody, value: str) -> None:
    """A contact button: what the handler reads, and whether automatic updates go."""
    body.contact, body.updates = CONTACT_OPTIONS[value]


def _contact_text(body: ReportBody, text: str) -> None:
    """Another way to reach them (an e-mail address): no automatic updates here."""
    body.contact, body.updates = text, False


def _exclude_prompt(team: Team, body: ReportBody) -> Rich:
    return exclude_prompt(team, body, ())


def exclude_prompt(team: Team, body: ReportBody, kept: Sequence[Member]) -> Rich:
    """Who the reporter excluded, and ``kept``: the members the report names, whom it is kept
    from whatever is tapped here (bot/services/conflicts.py :func:`kept_out`)."""
    out = {m.id for m in kept}
    chosen = [m.name for m in team.handlers() if m.id in body.excluded and m.id not in out]
    if chosen:
        excluded = _("Excluded: {names}").format(names=", ".join(chosen))
    else:
        excluded = "" if kept else _("Excluded: nobody")
    return lines(
        _(
            "Is there anyone on the safety team you do not want handling this? Tap a name to"
            " exclude them, tap it again to undo, then press Done. They will not be told."
        ),
        excluded,
        _("Kept out because you named them: {names}. They won't see this report.").format(
            names=", ".join(m.name for m in kept)
        )
        if kept
        else "",
    )


def step_prompt(step: Step, team: Team, body: ReportBody, kept: Sequence[Member]) -> Rich:
    """The question ``step`` asks; ``kept`` as for :func:`exclude_prompt`."""
    if step.name == "exclude":
        return exclude_prompt(team, body, kept)
    return step.prompt(team, body)


SKIP = ("skip", N_("I'd rather not say"))
# What "I'd rather not say" leaves empty, by question: nothing but what happened is required.
SKIPPABLE: dict[str, tuple[str, ...]] = {
    "when": ("when",),
    "where": ("where", "where_detail"),
    "who": ("who",),
    "affiliation": ("affiliation",),
    "witnesses": ("witnesses",),
}


def _disclosure_prompt(team: Team, body: ReportBody) -> Rich:
    return lines(
        _("How identifiable do you want to be to the person handling this?"),
        _("• Named: they see who you are."),
        _("• Pseudonymous: they talk to you only through this bot and are not told who you are."),
        _("• Anonymous: nobody can reply to you, and the report is not linked to you."),
        _(
            "Whichever you choose, details you give (where, when, who was there) may still show"
            " who you are."
        ),
    )


def _contact_prompt(team: Team, body: ReportBody) -> Rich:
    if body.source == "in_person":
        return rich(_("How may the safety team reach the person about this?"))
    return lines(
        _("How may the safety team contact you about this?"),
        _("• Message me here: I tell you when someone picks it up and when it changes."),
        _("• Only if they need to ask you something: no automatic updates."),
        _("• Please don't contact me: nothing more from us about it."),
        _("Or type another way to reach you (for example an e-mail address)."),
    )


def _who_prompt(team: Team, body: ReportBody) -> Rich:
    return lines(
        _(
            "Who was involved? A name, a username or a description is enough; you don't have"
            " to name them."
        ),
        _("If they are on the safety team, naming them here keeps the report from them."),
    )


DANGER_QUESTION = {  # by who files the report (ReportBody.source); translated where shown
    "": N_("First, are you in danger right now?"),
    "in_person": N_("First, is the person in danger right now?"),
    "team": N_("First, is anyone in danger right now?"),
}
# The "Yes" under each danger question, in the same words as its question.
DANGER_YES = {
    "": N_("Yes, I'm in danger"),
    "in_person": N_("Yes, they are in danger"),
    "team": N_("Yes, someone is in danger"),
}
# The contact answer a reporter may choose (bot.domain.model.NO_CONTACT), for the catalogue.
N_("Please don't contact me")

INTRO = {  # translated where shown
    "": N_(
        "Thank you for reaching out. I'll ask a few questions, one at a time; most of them can be"
        " skipped. You can go back at any step, and /cancel stops without sending anything."
    ),
    "in_person": N_(
        "You are filing a report for someone who told you in person. Answer as they told"
        " you, in their words where you can; the case will say it was taken in person by you."
        " /cancel stops without sending anything."
    ),
    "team": N_(
        "You are opening a case that no participant reported (for example from a noticeboard"
        " discussion). Answer with what the team knows; the case will say you opened it."
        " /cancel stops without sending anything."
    ),
}

STEPS: list[Step] = [
    Step(
        "danger",
        N_("Danger now"),
        lambda team, body: rich(_(DANGER_QUESTION.get(body.source, DANGER_QUESTION[""]))),
        [("yes", N_("Yes, I'm in danger")), ("no", N_("No")), ("not_sure", N_("Not sure"))],
        _set("danger"),
    ),
    Step(
        "role",
        N_("Your role"),
        lambda team, body: rich(_("Which of these fits best?")),
        [
            ("target", N_("It happened to me")),
            ("witness", N_("I saw it happen")),
            ("on_behalf", N_("I'm reporting for someone else")),
        ],
        _set("role"),
    ),
    Step(
        "disclosure",
        N_("How identifiable you are"),
        _disclosure_prompt,
        [
            ("named", N_("Named")),
            ("pseudonymous", N_("Pseudonymous")),
            ("anonymous", N_("Anonymous")),
        ],
        _set("disclosure"),
    ),
    Step(
        "contact",
        N_("How to contact you"),
        _contact_prompt,
        [
            ("here", N_("Message me here")),
            ("needed", N_("Only if they need to ask me")),
            ("none", N_(NO_CONTACT)),
        ],
        contact_choice,
        _contact_text,
    ),
    Step(
        "account",
        N_("What happened"),
        lambda team, body: rich(
            _(
                "In your own words, what happened? You can send several messages. Press Done"
                " when you have said what you want to say."
            )
        ),
        [("done", N_("Done"))],
        lambda body, value: None,
        lambda body, text: body.account.append(text),
    ),
    Step(
        "when",
        N_("When"),
        lambda team, body: rich(_("When did it happen? A rough time is fine, or type it.")),
        [
            ("Just now", N_("Just now")),
            ("Earlier today", N_("Earlier today")),
            ("Another day", N_("Another day")),
            SKIP,
        ],
        _set("when"),
        _set("when"),
    ),
    Step(
        "where",
        N_("Where"),
        lambda team, body: rich(_("Where did it happen? Choose one, or type a few words.")),
        [*WHERE_WORDS.items(), SKIP],
        _set("where"),
        _where_text,
    ),
    Step(
        "who",
        N_("Who was involved"),
        _who_prompt,
        [("I don't know who", N_("I don't know who")), SKIP],
        _set("who"),
        _set("who"),
    ),
    Step(
        "affiliation",
        N_("Their connection to the event"),
        lambda team, body: rich(_("Do you know how they are connected to the event?")),
        [
            *((value, label) for value, label in AFFILIATION_LABELS.items()),
            SKIP,
        ],
        _set("affiliation"),
    ),
    Step(
        "witnesses",
        N_("Witnesses"),
        lambda team, body: rich(
            _("Did anyone else see or hear it? Names or descriptions are fine.")
        ),
        [("No one", N_("No one")), ("Not sure", N_("Not sure")), SKIP],
        _set("witnesses"),
        _set("witnesses"),
    ),
    Step(
        "exclude",
        N_("People you don't want handling it"),
        _exclude_prompt,
        [],  # built from the team, see options_for
        lambda body, value: None,
    ),
    Step(
        "outcome",
        N_("Outcome you would like"),
        lambda team, body: rich(
            _("Is there an outcome you would like? This is optional; you can skip it.")
        ),
        [("skip", N_("Skip"))],
        lambda body, value: None,
        _set("outcome"),
    ),
]
BY_NAME = {step.name: step for step in STEPS}


# A case the team opens itself has no reporter to ask about their role, identity or contact.
NOT_FOR_TEAM_CASES = frozenset({"role", "disclosure", "contact"})


def asked(name: str, body: ReportBody) -> bool:
    """Whether this question applies to this report."""
    if name == "contact" and body.disclosure == "anonymous":
        return False
    return not (body.source == "team" and name in NOT_FOR_TEAM_CASES)


def options_for(
    step: Step, team: Team, body: ReportBody, kept: Sequence[Member] = ()
) -> list[tuple[str, str]]:
    """The buttons of ``step`` as (value, label not yet translated) for this report; at
    "exclude", a member the report names (``kept``) has none: the report is kept from them
    whatever is tapped."""
    if step.name == "danger":
        yes = DANGER_YES.get(body.source, DANGER_YES[""])
        return [("yes", yes), *step.options[1:]]
    if step.name == "contact" and body.source == "in_person":
        return [("through", N_("Through me")), ("none", N_("They don't want contact"))]
    if step.name == "exclude":
        people = [
            (f"toggle:{m.id}", ("✗ " if m.id in body.excluded else "") + m.name)
            for m in team.handlers()
            if m.id not in {k.id for k in kept}
        ]
        return [*people, ("done", N_("Done"))]
    return step.options
