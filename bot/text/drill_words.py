"""Words of drills and test pages (bot/services/drills.py, bot/services/testpages.py): the
``DRILL`` mark, the practice stories, the answers to /drill and /testpage, and the debrief."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.drills import Debrief, DrillEnd, PagedStep
from bot.domain.team import Team
from bot.text.richtext import Rich, bold, lines, rich
from bot.text.views import clock_time

MARK = "DRILL"


def marked(text: Rich) -> Rich:
    """``DRILL · `` before the first line of a message about a drill case (once)."""
    if text.plain.startswith(MARK):
        return text
    return rich(bold(MARK), " · ", text)


@dataclass(frozen=True)
class DrillStory:
    """A made-up report a drill opens with (the seed stories, retold; seed-scenarios.md)."""

    title: str
    account: str
    who: str
    affiliation: str
    where: str


_NOTE = "This is a drill: nothing happened and nobody here is real. "
STORIES: dict[str, DrillStory] = {
    "generic": DrillStory(
        "a short practice report",
        _NOTE + "Please acknowledge it as you would a real report, then resolve it.",
        "",
        "unknown",
        "venue",
    ),
    "1": DrillStory(
        "a known name on the registration list",
        _NOTE + "Reviewing registrations, an organizer recognised a username recently discussed"
        " on a noticeboard for alleged off-wiki harassment. They are registered to attend.",
        "a registered participant, username made up for the drill",
        "participant",
        "online",
    ),
    "2": DrillStory(
        "someone from the event next door",
        _NOTE + "A participant says a person from the other event at the venue keeps inviting"
        " them to hang out after clear refusals, and only when they are away from others.",
        "a person from the other event, grey backpack",
        "other_event",
        "nearby_event",
    ),
    "3": DrillStory(
        "a heated debate on the way to the event",
        _NOTE + "A participant says another participant harassed them during a heated argument"
        " on the train to the event. Both are booked into the same shared accommodation.",
        "another participant from a different affiliate group",
        "participant",
        "travel",
    ),
    "4": DrillStory(
        "a report about a board member, after the event",
        _NOTE + "After the event, a participant reports repeated unwanted attention and"
        " personal-space violations by a board member of an affiliate group.",
        "a board member of an affiliate group",
        "board_staff",
        "venue",
    ),
}


def story_for(word: str) -> tuple[str, DrillStory] | None:
    """The story ``word`` names (``1`` to ``4``; nothing for the generic one), as (key, story)."""
    key = word.strip().lower() or "generic"
    story = STORIES.get(key)
    return (key, story) if story is not None else None


def spell(span: timedelta) -> str:
    """``"45 s"``, ``"4 min 05 s"``, ``"1 h 02 min"``: a debrief's durations."""
    total = max(0, round(span.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds:02d} s" if seconds else f"{minutes} min"
    return f"{seconds} s"


def precise(seconds: float) -> str:
    """A delivery time: ``"0.4 s"``, ``"12.0 s"``."""
    return f"{max(0.0, seconds):.1f} s"


LEADS_ONLY = rich("Only a lead can start or stop a drill.")
NO_DRILL = rich("No drill is running. /drill starts one.")
STORIES_HELP = rich(
    "There is no such story. Use /drill alone for a short practice report, or /drill 1, 2, 3"
    " or 4 for one of the seed stories."
)


def already_running(code: str) -> Rich:
    """Why /drill started nothing: one drill runs at a time."""
    return marked(rich("A drill is already running: ", bold(code), ". /drill stop ends it."))


def started(code: str, story: DrillStory, limit: timedelta) -> Rich:
    """The lead's answer to /drill: what happens now and when it ends."""
    return lines(
        rich(bold(f"Drill {code} has started"), f" ({story.title})."),
        "It pages the team as a real report would: the escalation chain, whoever is on duty"
        " now, the real waits. Every message about it starts with DRILL.",
        f"It ends when it is resolved, with /drill stop, or after {spell(limit)}. You then get"
        " a debrief here, and the drill case is purged. It is never counted.",
    )


def not_in_register(code: str) -> Rich:
    """Why /person from or link refuses a drill case."""
    return marked(
        rich(bold(code), " is a drill: its people are made up, so it is never in the register.")
    )


def over(code: str) -> Rich:
    """A drill's pages and channel line once it has ended."""
    return rich(bold(code), " · the drill has ended. Nothing to do; thank you for taking part.")


def stopped_for(debrief: Rich, starter: str) -> Rich:
    """The answer to /drill stop for a lead who did not start it."""
    return lines(rich(f"Stopped. {starter}, who started it, has the debrief:"), debrief)


_ENDED = {
    DrillEnd.RESOLVED: "it was resolved",
    DrillEnd.STOPPED: "stopped with /drill stop",
    DrillEnd.TIME_LIMIT: "its time limit was reached",
}


def _who(team: Team, member_id: str) -> str:
    external = team.config.external_contact(member_id)
    if team.member(member_id) is None and external is not None:
        return external.name
    return team.member_name(member_id)


def _page_line(team: Team, debrief: Debrief, page: PagedStep) -> Rich:
    names = [team.member_name(m) for m in page.members] + [_who(team, e) for e in page.externals]
    step = f"step {page.step + 1}" + (f", round {page.round + 1}" if page.round else "")
    after = spell(page.at - debrief.started_at)
    return rich(f"  {clock_time(team, page.at)} (+{after}) {step}: ", ", ".join(names))


def _answered(team: Team, debrief: Debrief) -> list[Rich | str]:
    found: list[Rich | str] = []
    if debrief.acknowledged_by is not None and debrief.acknowledged_after is not None:
        found.append(
            rich(
                bold("Acknowledged"),
                f" by {team.member_name(debrief.acknowledged_by)}"
                f" after {spell(debrief.acknowledged_after)}.",
            )
        )
    else:
        found.append(rich(bold("Nobody acknowledged it."), " A real report would still wait."))
    if debrief.exhausted:
        found.append("The escalation chain ran out: the leads were told it reached nobody.")
    if debrief.resolved_after is not None:
        found.append(f"Resolved after {spell(debrief.resolved_after)}.")
    return found


def _skips(team: Team, debrief: Debrief) -> list[Rich | str]:
    found: list[Rich | str] = []
    seen: set[tuple[str, str]] = set()
    for skip in debrief.skipped:
        if (skip.who, skip.reason) not in seen:
            seen.add((skip.who, skip.reason))
            found.append(f"  {_who(team, skip.who)}: {skip.reason}")
    found += [f"  Step {step + 1}: {why}" for step, why in debrief.skipped_steps]
    return [bold("Skipped:"), *found] if found else ["Nobody and no step was skipped."]


def _undelivered(team: Team, items: Sequence[str]) -> list[Rich | str]:
    if not items:
        return ["Every message was delivered."]
    special = {"channel": "the team channel post", "external": "a message to an outside contact"}
    names = [special.get(item) or f"a message to {_who(team, item)}" for item in items]
    return [bold("Not delivered:"), *(f"  {name}" for name in names)]


def debrief_text(team: Team, code: str, story: str, debrief: Debrief) -> Rich:
    """The debrief the lead who started a drill reads when it ends."""
    title = STORIES.get(story, STORIES["generic"]).title
    pages: list[Rich | str] = [_page_line(team, debrief, p) for p in debrief.steps]
    return lines(
        rich(bold(f"Debrief of drill {code}"), f" ({title})"),
        f"Started {clock_time(team, debrief.started_at)}, ended"
        f" {clock_time(team, debrief.ended_at)} ({spell(debrief.ended_at - debrief.started_at)}):"
        f" {_ENDED[debrief.ended]}.",
        bold("Paged:") if pages else rich(bold("Nobody was paged.")),
        *pages,
        *_answered(team, debrief),
        *_skips(team, debrief),
        *_undelivered(team, debrief.undelivered),
        "The drill case is purged in a minute. It was never counted.",
    )


# -- test pages -------------------------------------------------------------------------------

TEST_PAGES_FOR_HANDLERS = rich("Test pages are for safety contacts and leads.")
TEST_PAGE_LEADS_ONLY = rich("Only a lead can send a test page to someone else.")
STALE_TEST_PAGE = rich("That test page is no longer known.")


def no_member(name: str) -> Rich:
    """/testpage NAME named nobody on the team."""
    return rich(f"I know no team member called {name}. Use a name or id from the team file.")


def several_members(name: str, names: Sequence[str]) -> Rich:
    """/testpage NAME named several members (their names given)."""
    return rich(f"{name} could be {', '.join(names)}. Please use their id from the team file.")


def no_address(name: str) -> Rich:
    """/testpage: the member has no id on a running platform."""
    return rich(
        f"{name} can't be paged: the team file has no id for them on a platform the bot runs on."
    )


def unreachable(name: str) -> Rich:
    """/testpage: the platform said the member blocked the bot or never started it."""
    return rich(
        f"{name} can't be paged: the platform said they blocked the bot or never started a chat"
        " with it. They need to open a chat with the bot (on Telegram, press Start)."
    )


def test_page_failed(name: str, own: bool) -> Rich:
    """For whoever asked: the test page bounced (the member is unreachable)."""
    who = "you" if own else name
    return lines(
        bold(f"The test page could not reach {who}."),
        "The platform said the bot is blocked or was never started. A real page would not reach"
        f" {'you' if own else 'them'} either: open a chat with the bot (on Telegram, press Start).",
    )


def test_page(asker: str, own: bool) -> Rich:
    """The page itself (it goes out as a real page does)."""
    by = "You asked for this test page." if own else f"{asker} sent you this test page."
    return lines(
        bold("Test page"),
        f"{by} It is not a case. Please press Acknowledge, as you would for a real page.",
    )


def test_page_sent(name: str, own: bool) -> Rich:
    """The answer to /testpage before delivery."""
    who = "you" if own else name
    return rich(f"A test page is on its way to {who}. I'll tell you when it is delivered.")


def test_page_delivered(name: str, own: bool, seconds: float) -> Rich:
    """For whoever asked: delivery took ``seconds`` (outbox to the platform)."""
    who = "you" if own else name
    return rich(
        bold(f"The test page reached {who} in {precise(seconds)}"),
        " (from being queued to the platform's confirmation).",
    )


def test_page_acknowledged(name: str, span: timedelta) -> Rich:
    """For a lead who paged someone else: they pressed Acknowledge."""
    return rich(f"{name} acknowledged the test page after {spell(span)}.")


def test_page_ack_reply(span: timedelta) -> Rich:
    """For the member who pressed Acknowledge on a test page."""
    return rich(
        bold("Test page acknowledged"),
        f" after {spell(span)}. A real page reaches you the same way.",
    )


def test_page_done(name: str) -> Rich:
    """The page once acknowledged."""
    return lines(bold("Test page"), f"Acknowledged by {name}. It was not a case.")
