"""The readiness check's reports (bot/text/readiness_words.py says what each finding means): in
full for the operator and a lead in a private chat, as counts for the team channel, and the leads'
daily note before the event. Each in its reader's language; the operator's terminal reads
English (bot/main/readiness.py writes outside any reader).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import readiness as r
from bot.domain.readiness import Finding
from bot.text.reader import _, ngettext
from bot.text.readiness_words import KIND_NAMES, BotNames, Names, explain


def full_report(findings: Sequence[Finding], names: Names, bots: BotNames | None = None) -> str:
    """Every problem with what to do, for the operator and a lead in a private chat."""
    if not findings:
        return _("Ready: no problems found.")
    count = len(findings)
    out = [ngettext("{count} problem:", "{count} problems:", count).format(count=count)]
    for f in findings:
        problem, todo = explain(f, names, bots)
        mark = "!" if f.blocking else "-"
        out.append(f"{mark} {problem}\n  " + _("To do: {todo}").format(todo=todo))
    if r.blocking(findings):
        out.append(_("! marks a problem that stops a page from reaching someone."))
    return "\n".join(out)


def channel_report(findings: Sequence[Finding]) -> str:
    """The team channel's version: how many problems of each kind, no names."""
    if not findings:
        return _("Ready: no problems found.")
    lines = [_("Readiness check:")]
    for kind, count in r.counts(findings).items():
        lines.append(f"- {count} × {_(KIND_NAMES[kind]) if kind in KIND_NAMES else kind}")
    lines.append(_("A lead can send /ready in a private chat with me for the details."))
    return "\n".join(lines)


def daily_note(findings: Sequence[Finding], names: Names, bots: BotNames | None = None) -> str:
    """The leads' daily note before the event: who cannot be paged yet, and each one's step."""
    people = [f for f in findings if f.about_person]
    if not people:
        return _("Before the event: everyone on the team can be paged.")
    out = [_("Before the event: these people cannot be paged yet.")]
    for f in people:
        todo = explain(f, names, bots)[1]
        out.append(f"- {todo}")
    out.append(_("Send /ready for the full check."))
    return "\n".join(out)
