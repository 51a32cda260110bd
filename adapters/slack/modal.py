"""The report form as a Slack modal, built from the core's form fields (same choices, same
checks), and read back from a ``view_submission``."""

from __future__ import annotations

from typing import Any

from bot.ports.forms import MAX_FIELD, Field
from bot.text.reader import _

CALLBACK_ID = "fsb_report"


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value}


def _element(field: Field) -> dict[str, Any]:
    if field.kind == "choice":
        return {
            "type": "static_select",
            "action_id": field.name,
            "placeholder": {"type": "plain_text", "text": _("Choose")},
            "options": [_option(v, label) for v, label in field.options],
        }
    if field.kind == "multi_choice":
        return {
            "type": "checkboxes",
            "action_id": field.name,
            "options": [_option(v, label) for v, label in field.options],
        }
    return {
        "type": "plain_text_input",
        "action_id": field.name,
        "multiline": field.multiline,
        "max_length": MAX_FIELD,
    }


def report_view(fields: list[Field], team_name: str, intro: str) -> dict[str, Any]:
    """The modal: ``intro`` (who reads a report, from the core's words), then the fields."""
    inputs = [
        {
            "type": "input",
            "block_id": field.name,
            "optional": field.optional,
            "label": {"type": "plain_text", "text": field.label[:2000]},
            "element": _element(field),
        }
        for field in fields
        if field.kind != "multi_choice" or field.options
    ]
    # plain text: a team's name or an external contact's is shown as written, never as markup
    header = {"type": "section", "text": {"type": "plain_text", "text": intro[:3000]}}
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": _("Report something")[:24]},
        "submit": {"type": "plain_text", "text": _("Send report")[:24]},
        "close": {"type": "plain_text", "text": _("Cancel")[:24]},
        "blocks": [header, *inputs],
        "private_metadata": team_name[:100],
    }


def form_values(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted answers by field name, in the shapes the core's form expects."""
    values: dict[str, Any] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        state = actions.get(block_id, {})
        kind = state.get("type")
        if kind in ("static_select", "radio_buttons"):
            selected = state.get("selected_option")
            values[block_id] = selected["value"] if selected else None
        elif kind == "checkboxes":
            values[block_id] = [o["value"] for o in state.get("selected_options") or []]
        else:
            values[block_id] = state.get("value")
    return values
