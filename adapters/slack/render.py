"""Core messages as Slack Block Kit with mrkdwn.

Every span is escaped (``&``, ``<``, ``>``), so ``<!channel>``, ``<!here>`` or ``<@U123>`` typed
by a reporter shows as text and notifies nobody; ``verbatim`` stops Slack from turning bare names
and links into mentions. Long text is cut into sections within Slack's limits.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Choice, Outbound
from bot.richtext import Rich, split, utf16_units

SECTION_LIMIT = 3000
MAX_BLOCKS = 50
BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_ROW = 5
FALLBACK_LIMIT = 300
# Text is cut by its length once escaped (& -> &amp; is five), in UTF-16 units to be safe; the
# margin is for the style marks (*, _, `) around our own labels.
_PER_SECTION = SECTION_LIMIT - 200

_MARKS = {"bold": "*", "italic": "_", "code": "`"}

OPEN_DM_ACTION = "fsb_open_dm"
REPORT_FORM_ACTION = "fsb_report_form"
TOKEN_ACTION_PREFIX = "fsb:"


def escape(text: str) -> str:
    """Text shown as it is in mrkdwn; the inverse is adapters.slack.escaping.from_slack."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped_units(text: str) -> int:
    return utf16_units(escape(text))


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
    label = choice.label[:BUTTON_TEXT_LIMIT]
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


def text_blocks(text: Rich) -> list[dict[str, Any]]:
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": to_mrkdwn(piece), "verbatim": True}}
        for piece in split(text, _PER_SECTION, _escaped_units)
        if piece.plain.strip()
    ]


def blocks(message: Outbound) -> list[dict[str, Any]]:
    """Sections for the text, then rows of buttons; never more than Slack's 50 blocks."""
    rows = [
        {
            "type": "actions",
            "elements": [_button(c) for c in message.choices[i : i + BUTTONS_PER_ROW]],
        }
        for i in range(0, len(message.choices), BUTTONS_PER_ROW)
    ]
    sections = text_blocks(message.text)
    room = MAX_BLOCKS - len(rows)
    if len(sections) > room:
        note = {"type": "context", "elements": [{"type": "mrkdwn", "text": "(shortened)"}]}
        sections = [*sections[: room - 1], note]
    return sections + rows


def fallback(message: Outbound) -> str:
    """The plain notification text (shown in notifications and to screen readers)."""
    plain = message.text.plain
    first = plain.split("\n", 1)[0]
    return escape(first[:FALLBACK_LIMIT])
