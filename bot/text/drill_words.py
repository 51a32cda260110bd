"""Words of drills and test pages (bot/services/drills.py, bot/services/testpages.py): the
``DRILL`` mark, the practice stories, the answers to /drill and /testpage, and the debrief."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.domain.drills import Debrief, DrillEnd, PagedStep
from bot.domain.team import Team
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, fill, lines, rich
from bot.text.views import clock_time

MARK = N_("DRILL")


def marked(text: Rich) -> Rich:
    """``DRILL · `` before the first line of a message about a drill case (once), in the
    reader's language (``SIMULACRO · ``)."""
    mark = _(MARK)
    if text.plain.startswith((MARK, mark)):
        return text
    return rich(bold(mark), " · ", text)


@dataclass(frozen=True)
class DrillStory:
    """A made-up report a drill opens with (the seed stories, retold; seed-scenarios.md)."""

    title: str
    account: str
    who: str
    affiliation: str
    where: str


STORIES: dict[str, DrillStory] = {
    "generic": DrillStory(
        N_("a short practice report"),
        N_(
            "This is a drill: nothing happened and nobody here is real. "
            "Please acknowledge it as you would a real report, then resolve it."
        ),
        "",
        "unknown",
        "venue",
    ),
    "1": DrillStory(
        N_("a known name on the registration list"),
        N_(
            "This is a drill: nothing happened and nobody here is real. "
            "Reviewing registrations, an organizer recognised a username recently discussed"
            " on a noticeboard for alleged off-wiki harassment. They are registered to attend."
        ),
        N_("a registered participant, username made up for the drill"),
        "participant",
        "online",
    ),
    "2": DrillStory(
        N_("someone from the event next door"),
        N_(
            "This is a drill: nothing happened and nobody here is real. "
            "A participant says a person from the other event at the venue keeps inviting"
            " them to hang out after clear refusals, and only when they are away from others."
        ),
        N_("a person from the other event, grey backpack"),
        "other_event",
        "nearby_event",
    ),
    "3": DrillStory(
        N_("a heated debate on the way to the event"),
        N_(
            "This is a drill: nothing happened and nobody here is real. "
            "A participant says another participant harassed them during a heated argument"
            " on the train to the event. Both are booked into the same shared accommodation."
        ),
        N_("another participant from a different affiliate group"),
        "participant",
        "travel",
    ),
    "4": DrillStory(
        N_("a report about a board member, after the event"),
        N_(
            "This is a drill: nothing happened and nobody here is real. "
            "After the event, a participant reports repeated unwanted attention and"
            " personal-space violations by a board member of an affiliate group."
        ),
        N_("a board member of an affiliate group"),
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
    if hours and minutes:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=f"{minutes:02d}")
    if hours:
        return _("{hours} h").format(hours=hours)
    if minutes and seconds:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=f"{seconds:02d}")
    if minutes:
        return _("{minutes} min").format(minutes=minutes)
    return _("{seconds} s").format(seconds=seconds)


def precise(seconds: float) -> str:
    """A delivery time: ``"0.4 s"``, ``"12.0 s"``."""
    return _("{seconds} s").format(seconds=f"{max(0.0, seconds):.1f}")


LEADS_ONLY = N_("Only a lead can start or stop a drill.")
NO_DRILL = N_("No drill is running. /drill starts one.")
STORIES_HELP = N_(
    "There is no such story. Use /drill alone for a short practice report, or /drill 1, 2, 3"
    " or 4 for one of the seed stories."
)


def said(words: str) -> Rich:
    """One of the fixed answers above, in the reader's language."""
    return rich(_(words))


def already_running(code: str) -> Rich:
    """Why /drill started nothing: one drill runs at a time."""
    return marked(
        fill(_("A drill is already running: {code}. /drill stop ends it."), code=bold(code))
    )


def started(code: str, story: DrillStory, limit: timedelta) -> Rich:
    """The lead's answer to /drill: what happens now and when it ends."""
    return lines(
        rich(bold(_("Drill {code} has started").format(code=code)), f" ({_(story.title)})."),
        _(
            "It pages the team as a real report would: the escalation chain, whoever is on duty"
            " now, the real waits. Every message about it starts with {mark}."
        ).format(mark=_(MARK)),
        _(
            "It ends when it is resolved, with /drill stop, or after {limit}. You then get"
            " a debrief here, and the drill case is purged. It is never counted."
        ).format(limit=spell(limit)),
    )


def not_in_register(code: str) -> Rich:
    """Why /person from or link refuses a drill case."""
    return marked(
        fill(
            _("{code} is a drill: its people are made up, so it is never in the register."),
            code=bold(code),
        )
    )


def over(code: str) -> Rich:
    """A drill's pages and channel line once it has ended."""
    return fill(
        _("{code} · the drill has ended. Nothing to do; thank you for taking part."),
        code=bold(code),
    )


def stopped_for(debrief: Rich, starter: str) -> Rich:
    """The answer to /drill stop for a lead who did not start it."""
    return lines(
        rich(_("Stopped. {name}, who started it, has the debrief:").format(name=starter)), debrief
    )


_ENDED = {
    DrillEnd.RESOLVED: N_("it was resolved"),
    DrillEnd.STOPPED: N_("stopped with /drill stop"),
    DrillEnd.TIME_LIMIT: N_("its time limit was reached"),
}


def _who(team: Team, member_id: str) -> str:
    external = team.config.external_contact(member_id)
    if team.member(member_id) is None and external is not None:
        return external.name
    return team.member_name(member_id)


def _page_line(team: Team, debrief: Debrief, page: PagedStep) -> Rich:
    names = [team.member_name(m) for m in page.members] + [_who(team, e) for e in page.externals]
    step = (
        _("step {step}, round {round}").format(step=page.step + 1, round=page.round + 1)
        if page.round
        else _("step {step}").format(step=page.step + 1)
    )
    after = spell(page.at - debrief.started_at)
    return rich(f"  {clock_time(team, page.at)} (+{after}) {step}: ", ", ".join(names))


def _answered(team: Team, debrief: Debrief) -> list[Rich | str]:
    found: list[Rich | str] = []
    if debrief.acknowledged_by is not None and debrief.acknowledged_after is not None:
        found.append(
            fill(
                _("{acknowledged} by {name} after {after}."),
                acknowledged=bold(_("Acknowledged")),
                name=team.member_name(debrief.acknowledged_by),
                after=spell(debrief.acknowledged_after),
            )
        )
    else:
        found.append(
            rich(bold(_("Nobody acknowledged it.")), _(" A real report would still wait."))
        )
    if debrief.exhausted:
        found.append(_("The escalation chain ran out: the leads were told it reached nobody."))
    if debrief.resolved_after is not None:
        found.append(_("Resolved after {after}.").format(after=spell(debrief.resolved_after)))
    return found


def _skips(team: Team, debrief: Debrief) -> list[Rich | str]:
    found: list[Rich | str] = []
    seen: set[tuple[str, str]] = set()
    for skip in debrief.skipped:
        if (skip.who, skip.reason) not in seen:
            seen.add((skip.who, skip.reason))
            found.append(f"  {_who(team, skip.who)}: {skip.reason}")
    found += [
        "  " + _("Step {step}: {why}").format(step=step + 1, why=why)
        for step, why in debrief.skipped_steps
    ]
    return [bold(_("Skipped:")), *found] if found else [_("Nobody and no step was skipped.")]


def _undelivered(team: Team, items: Sequence[str]) -> list[Rich | str]:
    if not items:
        return [_("Every message was delivered.")]
    special = {
        "channel": _("the team channel post"),
        "external": _("a message to an outside contact"),
    }
    names = [
        special.get(item) or _("a message to {name}").format(name=_who(team, item))
        for item in items
    ]
    return [bold(_("Not delivered:")), *(f"  {name}" for name in names)]


def debrief_text(team: Team, code: str, story: str, debrief: Debrief) -> Rich:
    """The debrief the lead who started a drill reads when it ends."""
    title = _(STORIES.get(story, STORIES["generic"]).title)
    pages: list[Rich | str] = [_page_line(team, debrief, p) for p in debrief.steps]
    return lines(
        rich(bold(_("Debrief of drill {code}").format(code=code)), f" ({title})"),
        _("Started {start}, ended {end} ({took}): {how}.").format(
            start=clock_time(team, debrief.started_at),
            end=clock_time(team, debrief.ended_at),
            took=spell(debrief.ended_at - debrief.started_at),
            how=_(_ENDED[debrief.ended]),
        ),
        bold(_("Paged:")) if pages else rich(bold(_("Nobody was paged."))),
        *pages,
        *_answered(team, debrief),
        *_skips(team, debrief),
        *_undelivered(team, debrief.undelivered),
        _("The drill case is purged in a minute. It was never counted."),
    )
