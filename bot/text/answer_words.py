"""The fixed answers of a report, as a reader reads them: marked for the catalogue with ``N_``
and translated where shown (``_(WHERE_WORDS[key])``), since a table is built once at import and
read by people of many languages."""

from __future__ import annotations

from bot.text.reader import N_, _

WHERE_WORDS = {
    "venue": N_("At the event venue"),
    "nearby_event": N_("At a nearby event"),
    "travel": N_("Travelling to or from the event"),
    "accommodation": N_("At the accommodation"),
    "online": N_("Online"),
    "other": N_("Somewhere else"),
}
AFFILIATION_WORDS = {
    "participant": N_("a participant"),
    "organizer": N_("an organizer"),
    "board_staff": N_("board or staff"),
    "venue_staff": N_("venue staff"),
    "other_event": N_("from another event"),
    "unknown": N_("not known"),
}
# Each table's words are translated where shown: ``_(WHERE_WORDS[key])``.
DISCLOSURE_WORDS = {
    "named": N_("named (you may see who they are)"),
    "pseudonymous": N_("pseudonymous (talk to them only through the bot)"),
    "anonymous": N_("anonymous (no follow-up possible)"),
}
ROLE_WORDS = {
    "target": N_("It happened to them"),
    "witness": N_("They saw it happen"),
    "on_behalf": N_("Reporting for someone else"),
}
# The affiliation as a button label (capitalised).
AFFILIATION_LABELS = {
    "participant": N_("A participant"),
    "organizer": N_("An organizer"),
    "board_staff": N_("Board or staff"),
    "venue_staff": N_("Venue staff"),
    "other_event": N_("From another event"),
    "unknown": N_("Not known"),
}
DANGER_WORDS = {"yes": N_("YES, in danger now"), "no": N_("no"), "not_sure": N_("not sure")}

# The domain's words for a case's state (bot/domain/model.py STATE_FOR_REPORTER, STATE_FOR_TEAM),
# marked here for the catalogue; tests/unit/test_catalogues.py checks that each one is.
STATE_WORDS = (
    N_("received, waiting for someone on the safety team to pick it up"),
    N_("picked up by the safety team"),
    N_("being looked into"),
    N_("action has been taken"),
    N_("resolved"),
    N_("closed"),
    N_("reopened and being looked at again"),
    N_("awaiting acknowledgement"),
    N_("acknowledged"),
    N_("investigating"),
    N_("action taken"),
    N_("reopened"),
)

# Answers given with a button that are stored as their English words (the intake's "when",
# "who", "witnesses" and "contact" buttons): shown in the reader's language by :func:`fixed`.
FIXED_ANSWERS = frozenset(
    {
        N_("Just now"),
        N_("Earlier today"),
        N_("Another day"),
        N_("I don't know who"),
        N_("No one"),
        N_("Not sure"),
        N_("Message me here"),
        N_("Please don't contact me"),
        N_("Message me here only if they need to ask me something"),
        N_("Through the team member who took the report"),
    }
)


def fixed(value: str) -> str:
    """A stored answer in the reader's language when it is one a button gave, else as written
    (a person's own words are never translated)."""
    return _(value) if value in FIXED_ANSWERS else value
