"""How surely a report's "who was involved?" names a team member (issue: a first name alone
sent a case above the team).

- A *strong* match: one of the member's names of several words whole ("Bob Builder",
  ``User:Bob_Builder``), a username from the team file, or a name a platform showed for them.
- A *weak* match: only the member's id, or one word of a longer name of theirs ("Bob" of
  "Bob Builder"), which many people outside the team share.

Either keeps the report from the member (bot/domain/rights.py :func:`conflict`: exclusion is the
safe side); only a strong match sends the case above the team (bot/services/cases.py). Names are
compared the one way of bot/domain/identifiers.py. Pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.identifiers import grams, identifier_key, name_keys


def strong_keys(member_id: str, names: Iterable[str]) -> frozenset[str]:
    """The keys of ``names`` (a member's names, id included) that name them surely: all but
    their id and the single words of their longer names."""
    keys = name_keys(names)
    words = {word for key in keys if " " in key for word in key.split()}
    own_id = identifier_key(member_id)
    weak = {key for key in keys if " " not in key and key in (words | {own_id})}
    return frozenset(keys - weak)


def named_strongly(text: str, member_id: str, names: Iterable[str]) -> bool:
    """Whether ``text`` names the member, who goes by ``names``, by a strong match."""
    keys = strong_keys(member_id, names)
    return bool(keys) and not keys.isdisjoint(grams(text, limit=None))
