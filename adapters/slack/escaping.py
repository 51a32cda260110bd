"""Text from Slack, decoded exactly once.

Slack sends what a person typed with ``&``, ``<`` and ``>`` escaped (``&amp;``, ``&lt;``,
``&gt;``), and with links, mentions and channel names as ``<...>`` sequences. The core keeps what
the person saw when they wrote: this module decodes Slack's escaping once, and
``adapters.slack.render.escape`` encodes once for display, so ``R&D room <2nd floor>`` reads
exactly that on every page, never ``R&amp;D``. Mentions become plain words (``@U0BOB``,
``@here``), so showing a report never notifies anyone.
(https://api.slack.com/reference/surfaces/formatting#escaping)
"""

from __future__ import annotations

import re

_ENTITY = {"amp": "&", "lt": "<", "gt": ">"}
# One pass over the text: a control sequence <...> (a literal "<" always arrives as "&lt;", so
# every "<" starts one) or one of the three entities. A single pass never decodes twice:
# "&amp;lt;" (the person typed "&lt;") becomes "&lt;".
_TOKEN = re.compile(r"<([^<>]*)>|&(amp|lt|gt);")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def _entities(text: str) -> str:
    return re.sub(r"&(amp|lt|gt);", lambda m: _ENTITY[m.group(1)], text)


def _sequence(inner: str) -> str:
    """One ``<...>`` sequence as the words a person reads in Slack."""
    target, _, label = inner.partition("|")
    target, label = _entities(target), _entities(label)
    if target.startswith("@"):  # a person: <@U0BOB> or <@U0BOB|bob>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # a channel: <#C0TEAM|general>
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@safety>, <!date^...|fallback>
        name = target[1:].split("^", 1)[0]
        if label:
            return label
        return _SPECIAL.get(name, "@" + name)
    # A link: what was typed. A bare address Slack linked shows as itself; a link with other
    # words keeps the address too, since where it points may matter.
    if not label:
        return target
    bare = re.sub(r"^(https?://|mailto:|tel:)", "", target)
    if label in (target, bare):
        return label
    return f"{label} ({target})"


def from_slack(text: str) -> str:
    """What the person typed, from the text of a Slack message or slash command."""
    return _TOKEN.sub(lambda m: _ENTITY[m.group(2)] if m.group(2) else _sequence(m.group(1)), text)
