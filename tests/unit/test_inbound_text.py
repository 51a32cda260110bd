"""Properties of text at the boundary: whatever a platform sends is made valid text with its
printable content kept; Slack's escaping is undone exactly once; long text is cut within a
platform's own measure and loses nothing; pieces of an account keep the order they were written
in, whatever order they arrive in, and an edit finds the piece it corrects."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from fakes.slack_api import render_mrkdwn, slack_escape
from fakes.telegram_api import _utf16_len, parse_html
from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.escaping import from_slack
from adapters.slack.render import escape, text_pieces, to_mrkdwn
from adapters.telegram.render import chunks
from bot.domain import pieces
from bot.domain.clean_text import clean
from bot.domain.model import PlatformUser, ReportBody
from bot.ports.events import Forwarded, Inbound
from bot.text.richtext import Rich, Span

# Any code point at all, lone surrogates and controls included (st.text() leaves surrogates out).
any_text = st.lists(st.integers(0, 0x10FFFF).map(chr), max_size=60).map("".join)
NOW = datetime(2027, 8, 11, 10, 0, tzinfo=UTC)


def _category(char: str) -> str:
    return unicodedata.category(char)


@given(any_text)
def test_cleaning_any_string_gives_valid_text(text: str) -> None:
    cleaned = clean(text)
    cleaned.encode("utf-8")  # no lone surrogate left: this would raise
    assert not [c for c in cleaned if _category(c) == "Cs"]
    assert not [c for c in cleaned if _category(c) == "Cc" and c not in "\t\n"]
    assert clean(cleaned) == cleaned
    assert len(cleaned) <= len(text)


@given(st.text())
def test_cleaning_keeps_every_printable_character_in_order(text: str) -> None:
    cleaned = clean(text)
    assert [c for c in cleaned if c != "\n"] == [
        c for c in text if c == "\t" or _category(c) != "Cc"
    ]


def test_the_given_inputs_are_cleaned() -> None:
    assert clean("an account with \ud800 in it") == "an account with \ufffd in it"
    assert clean("NUL\x00 bell\x07 escape\x1b[0m DEL\x7f C1\x9b") == "NUL bell escape[0m DEL C1"
    assert clean("line\r\nline\rline\x0bline\x85line") == "line\nline\nline\nline\nline"
    assert clean("\ud83d\ude00 paired") == "\U0001f600 paired"  # a pair written as two halves
    family = "👨\u200d👩\u200d👧"  # zero-width joiners are format characters, kept
    assert clean(family) == family


@given(any_text, any_text, any_text)
def test_an_inbound_event_cleans_everything_it_carries(text: str, name: str, origin: str) -> None:
    event = Inbound(
        sender=PlatformUser("telegram", "555", name),
        chat_id="555",
        private=True,
        text=text,
        form={"who": text, "excluded": [name]},
        forwarded=Forwarded("user", origin, NOW, username=origin),
    )
    assert event.text == clean(text)
    assert event.sender.display_name == clean(name)
    assert event.form == {"who": clean(text), "excluded": [clean(name)]}
    assert event.forwarded is not None and event.forwarded.name == clean(origin)


@given(st.text())
def test_slack_escaping_is_undone_exactly_once(text: str) -> None:
    assert from_slack(slack_escape(text)) == text  # what Slack sends, decoded: what was typed
    assert from_slack(escape(escape(text))) == escape(text)  # never twice
    assert render_mrkdwn(escape(text)) == text  # what the bot shows reads as typed


@given(st.text(min_size=1, max_size=1000).filter(lambda t: t == t.strip()))
def test_a_page_shows_slack_text_exactly_as_typed(text: str) -> None:
    (piece,) = text_pieces(Rich((Span(from_slack(slack_escape(text))),)))
    assert render_mrkdwn(to_mrkdwn(piece)) == text


def test_the_given_slack_inputs_read_as_typed() -> None:
    assert from_slack("R&amp;D room &lt;2nd floor&gt;") == "R&D room <2nd floor>"
    assert from_slack("&amp;lt; is how you write &lt;") == "&lt; is how you write <"
    assert from_slack("<http://x|x>") == "x"
    assert from_slack("<https://x.org/a?b=1&amp;c=2>") == "https://x.org/a?b=1&c=2"
    assert from_slack("<https://x.org|click here>") == "click here (https://x.org)"
    assert from_slack("<@U0BOB> and <@U0LENA|lena>") == "@U0BOB and @lena"
    assert from_slack("<#C0GEN|general> <!here> <!subteam^S1|@safety>") == "#general @here @safety"
    assert from_slack("<!date^1392734382^{date}|Feb 18, 2014>") == "Feb 18, 2014"


def _no_space(text: str) -> str:
    return "".join(text.split())


@given(st.text(min_size=1, max_size=200), st.integers(1, 40))
def test_telegram_pieces_are_within_4096_units_whatever_the_text(text: str, copies: int) -> None:
    long = Rich((Span("Header\n", "bold"), Span(text * copies * 3)))
    for piece in chunks(long):
        shown, _ = parse_html(piece)  # as Telegram reads it
        assert _utf16_len(shown) <= 4096


@given(st.permutations(list(range(1, 9))))
def test_pieces_keep_the_order_written_whatever_order_they_arrive_in(order: list[int]) -> None:
    body = ReportBody()
    pieces.add(body, "account", "typed on the console", ref="", at=NOW)
    for number in order:
        pieces.add(body, "account", f"part {number}", ref=f"telegram:{number + 100}", at=NOW)
    assert body.account == ["typed on the console", *(f"part {n}" for n in range(1, 9))]
    for number in order:  # every edit finds its own piece
        change = pieces.correct(body, f"telegram:{number + 100}", f"PART {number}", NOW)
        assert change is not None and change.original == f"part {number}"
    assert body.account == ["typed on the console", *(f"PART {n}" for n in range(1, 9))]


def test_a_replaced_answer_is_not_corrected_by_an_edit_of_the_old_message() -> None:
    body = ReportBody(who="Jo")
    pieces.record(body, "who", ref="telegram:7", at=NOW)
    body.who = "I don't know who"  # "Back", then a button
    assert pieces.correct(body, "telegram:7", "Jo Doe", NOW) is None
    assert body.who == "I don't know who"
    forwarded = Forwarded("hidden_user", "Jo D.", NOW)
    index = pieces.add(
        body, "account", "see you", ref="slack:1700.000200", at=NOW, forwarded=forwarded
    )
    assert pieces.forwarded(pieces.piece(body, "account", index)) == forwarded
