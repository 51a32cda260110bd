"""Words of test pages (bot/services/testpages.py): the page itself, and what whoever asked for
it hears about its delivery and acknowledgement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.text.drill_words import precise, spell
from bot.text.reader import N_, _
from bot.text.richtext import Rich, bold, fill, lines, rich

TEST_PAGES_FOR_HANDLERS = N_("Test pages are for safety contacts and leads.")
TEST_PAGE_LEADS_ONLY = N_("Only a lead can send a test page to someone else.")
STALE_TEST_PAGE = N_("That test page is no longer known.")


def no_member(name: str) -> Rich:
    """/testpage NAME named nobody on the team."""
    return rich(
        _("I know no team member called {name}. Use a name or id from the team file.").format(
            name=name
        )
    )


def several_members(name: str, names: Sequence[str]) -> Rich:
    """/testpage NAME named several members (their names given)."""
    return rich(
        _("{name} could be {names}. Please use their id from the team file.").format(
            name=name, names=", ".join(names)
        )
    )


def no_address(name: str) -> Rich:
    """/testpage: the member has no id on a running platform."""
    return rich(
        _(
            "{name} can't be paged: the team file has no id for them on a platform the bot runs on."
        ).format(name=name)
    )


def unreachable(name: str) -> Rich:
    """/testpage: the platform said the member blocked the bot or never started it."""
    return rich(
        _(
            "{name} can't be paged: the platform said they blocked the bot or never started a"
            " chat with it. They need to open a chat with the bot (on Telegram, press Start)."
        ).format(name=name)
    )


def test_page_failed(name: str, own: bool) -> Rich:
    """For whoever asked: the test page bounced (the member is unreachable)."""
    if own:
        return lines(
            bold(_("The test page could not reach you.")),
            _(
                "The platform said the bot is blocked or was never started. A real page would"
                " not reach you either: open a chat with the bot (on Telegram, press Start)."
            ),
        )
    return lines(
        bold(_("The test page could not reach {name}.").format(name=name)),
        _(
            "The platform said the bot is blocked or was never started. A real page would not"
            " reach them either: open a chat with the bot (on Telegram, press Start)."
        ),
    )


def test_page(asker: str, own: bool) -> Rich:
    """The page itself (it goes out as a real page does)."""
    by = (
        _("You asked for this test page.")
        if own
        else _("{name} sent you this test page.").format(name=asker)
    )
    return lines(
        bold(_("Test page")),
        _("{by} It is not a case. Please press Acknowledge, as you would for a real page.").format(
            by=by
        ),
    )


def test_page_sent(name: str, own: bool) -> Rich:
    """The answer to /testpage before delivery."""
    if own:
        return rich(_("A test page is on its way to you. I'll tell you when it is delivered."))
    return rich(
        _("A test page is on its way to {name}. I'll tell you when it is delivered.").format(
            name=name
        )
    )


def test_page_delivered(name: str, own: bool, seconds: float) -> Rich:
    """For whoever asked: delivery took ``seconds`` (outbox to the platform)."""
    took = precise(seconds)
    headline = (
        _("The test page reached you in {took}").format(took=took)
        if own
        else _("The test page reached {name} in {took}").format(name=name, took=took)
    )
    return rich(bold(headline), _(" (from being queued to the platform's confirmation)."))


def test_page_acknowledged(name: str, span: timedelta) -> Rich:
    """For a lead who paged someone else: they pressed Acknowledge."""
    return rich(
        _("{name} acknowledged the test page after {after}.").format(name=name, after=spell(span))
    )


def test_page_ack_reply(span: timedelta) -> Rich:
    """For the member who pressed Acknowledge on a test page."""
    return fill(
        _("{acknowledged} after {after}. A real page reaches you the same way."),
        acknowledged=bold(_("Test page acknowledged")),
        after=spell(span),
    )


def test_page_done(name: str) -> Rich:
    """The page once acknowledged."""
    return lines(
        bold(_("Test page")), _("Acknowledged by {name}. It was not a case.").format(name=name)
    )
