"""Core messages as Slack Block Kit with mrkdwn.

Every span is escaped (``&``, ``<``, ``>``), so ``<!channel>``, ``<!here>`` or ``<@U123>`` typed
by a reporter shows as text and notifies nobody; ``verbatim`` stops Slack from turning bare names
and links into mentions. Long text is cut into sections, and sections into messages, within
Slack's limits (https://docs.slack.dev/reference/block-kit/blocks/section-block): a section's
text at most 3000 characters, a message at most 50 blocks, a button's text at most 75.

Slack does not say which characters it counts, and emoji-heavy text has been refused below 3000
characters; so lengths here are UTF-8 bytes, which are never fewer than characters counted in any
other way: what fits in 3000 bytes fits in 3000 characters however Slack counts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.ports.events import Choice, Outbound
from bot.text.richtext import Rich, Span
from bot.text.splitting import fit, split, utf8_bytes

SECTION_LIMIT = 3000
MAX_BLOCKS = 50  # in a message
MAX_VIEW_BLOCKS = 100  # in a Home tab
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_ROW = 5
FALLBACK_LIMIT = 300  # our choice: the notification shows a line, not the message

_MARKS = {"bold": "*", "italic": "_", "code": "`"}

OPEN_DM_ACTION = "fsb_open_dm"
REPORT_FORM_ACTION = "fsb_report_form"
TOKEN_ACTION_PREFIX = "fsb:"


def escape(text: str) -> str:
    """Text shown as it is in mrkdwn; the inverse is adapters.slack.escaping.from_slack."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: Rich) -> str:
    parts: list[str] = []
    for span in text.spans:
        escaped = escape(span.text)
        mark = _MARKS.get(span.style)
        stripped = escaped.strip()
        if mark and stripped:
            # Slack only styles a run that starts and ends with a non-space character.
            lead = escaped[: len(escaped) - len(escaped.lstrip())]
            trail = escaped[len(escaped.rstrip()) :]
            parts.append(f"{lead}{mark}{stripped}{mark}{trail}")
        else:
            parts.append(escaped)
    return "".join(parts)


def _button(choice: Choice) -> dict[str, Any]:
    label = fit(choice.label, BUTTON_TEXT_LIMIT, slack_length)
    button: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": label}}
    if choice.link == "private_chat":
        button["action_id"] = OPEN_DM_ACTION
    elif choice.link == "report_form":
        button["action_id"] = REPORT_FORM_ACTION
        button["style"] = "primary"
    else:
        button["action_id"] = TOKEN_ACTION_PREFIX + choice.token
        button["value"] = choice.token
    return button


def slack_length(text: str) -> int:
    """A text's length for Slack's limits, in UTF-8 bytes (see the module's docstring)."""
    return utf8_bytes(text)


def mrkdwn_length(span: Span) -> int:
    """A span's length once rendered as mrkdwn: escapes and style marks included."""
    return slack_length(to_mrkdwn(Rich((span,))))


def _section(piece: Rich) -> dict[str, Any]:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": to_mrkdwn(piece), "verbatim": True},
    }


def text_pieces(text: Rich) -> list[Rich]:
    """The text cut into pieces of at most 3000 bytes of mrkdwn each; blank pieces left out."""
    return [piece for piece in split(text, SECTION_LIMIT, mrkdwn_length) if piece.plain.strip()]


def _button_rows(message: Outbound) -> list[dict[str, Any]]:
    return [
        {
            "type": "actions",
            "elements": [_button(c) for c in message.choices[i : i + BUTTONS_PER_ROW]],
        }
        for i in range(0, len(message.choices), BUTTONS_PER_ROW)
    ]


@dataclass(frozen=True)
class Part:
    """One Slack message of an outbound message: its blocks and its notification text."""

    blocks: list[dict[str, Any]]
    text: str


def parts(message: Outbound) -> list[Part]:
    """The message as one or more Slack messages of at most 50 blocks each: the text's sections
    in order, the rows of buttons with the last. Nothing is left out."""
    rows = _button_rows(message)
    pieces = text_pieces(message.text)
    groups = [pieces[i : i + MAX_BLOCKS] for i in range(0, len(pieces), MAX_BLOCKS)] or [[]]
    room = MAX_BLOCKS - len(rows)
    if len(groups[-1]) > room:  # the buttons need room beside the last sections
        last = groups.pop()
        groups += [last[:room], last[room:]]
    return [
        Part(
            [_section(piece) for piece in group] + (rows if index == len(groups) - 1 else []),
            _fallback(group[0] if group else message.text),
        )
        for index, group in enumerate(groups)
    ]


def blocks(message: Outbound) -> list[dict[str, Any]]:
    """Blocks for a Home tab (one view, at most 100 blocks): sections, then rows of buttons."""
    rows = _button_rows(message)
    sections = [_section(piece) for piece in text_pieces(message.text)]
    room = MAX_VIEW_BLOCKS - len(rows)
    if len(sections) > room:
        note = {"type": "context", "elements": [{"type": "mrkdwn", "text": "(shortened)"}]}
        sections = [*sections[: room - 1], note]
    return sections + rows


def _fallback(text: Rich) -> str:
    """A message's plain notification text (shown in notifications and to screen readers): its
    first line, shortened to fit."""
    first = text.plain.strip().split("\n", 1)[0]
    return escape(fit(first, FALLBACK_LIMIT, slack_length))
