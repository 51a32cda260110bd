"""The report as one form, as the core offers it to a platform that can show forms (Slack's
modal): its fields, in the intake's order with the intake's choices. An adapter builds the form
from :meth:`bot.ports.platform.Core.form_fields` and checks a submission with
:meth:`~bot.ports.platform.Core.form_problems` before it acknowledges it, so a person sees their
mistakes in the form itself (handlers/participant/report_form.py declares them)."""

from __future__ import annotations

from dataclasses import dataclass

MAX_FIELD = 3000  # Slack's plain-text input limit; also plenty for one answer (characters)


@dataclass(frozen=True)
class Field:
    """One question of the form.

    ``kind`` is ``choice``, ``multi_choice`` or ``text``; ``options`` are (value, label) pairs for
    the choices (empty for text); ``optional`` says it may be left empty; ``multiline`` asks for
    a larger text box.
    """

    name: str
    label: str
    kind: str  # choice | text | multi_choice
    options: list[tuple[str, str]]  # (value, label) for choices
    optional: bool
    multiline: bool = False
