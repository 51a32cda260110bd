"""The report being written: its step, the way back, its answers so far. Saved in the store on
every change (handlers/participant/intake.py), so a restart resumes where the person was."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.domain.model import ReportBody
from bot.text.reader import _
from bot.uow import Button, button
from handlers.participant.report_steps import STEPS, asked


@dataclass
class Draft:
    step: str = "danger"
    history: list[str] = field(default_factory=list)
    editing: bool = False
    body: ReportBody = field(default_factory=ReportBody)

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": "report",
            "step": self.step,
            "history": self.history,
            "editing": self.editing,
            "body": self.body.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        return cls(
            step=data["step"],
            history=list(data["history"]),
            editing=bool(data["editing"]),
            body=ReportBody.from_dict(data["body"]),
        )


def next_step(draft: Draft) -> str:
    """The next question not yet answered. A draft begun when the questions came in another
    order (stored before an update) is asked what it skipped before its summary."""
    order = [step.name for step in STEPS]
    index = order.index(draft.step) + 1 if draft.step in order else len(order)
    answered = {*draft.history, draft.step}
    for name in [*order[index:], *order[:index]]:
        if asked(name, draft.body) and name not in answered:
            return name
    return "summary"


# A draft holding words written when nothing was asked (handlers/participant/unprompted.py):
# "kept" offers what to do with them, "which" asks which open report they belong to.
HELD_STEPS = ("kept", "which")


def way_back() -> list[Button]:
    """The buttons under every "stopped" or "nothing to stop" answer: a way back in."""
    return [button(_("I need help now"), "help.now"), button(_("Report something"), "menu.report")]
