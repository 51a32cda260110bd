"""How the transparency report hides small counts, so a public figure cannot pick out a person.

A public "event ban: 1" can identify someone, and so can a total that lets a reader subtract:
with "reports received: 12" and every outcome but one shown, the hidden one is 12 minus the rest;
with every day shown exactly, the total is their sum, whatever the report says it is. So:

1. A count from 1 to ``min_count - 1`` reads "fewer than N" (N is ``min_count``, default 5). A
   zero reads 0: it names nobody.
2. If any count in the report is hidden, every other count, totals included, is rounded to the
   nearest multiple of N and reads "about 15" (never below N, since it was at least N). The
   outcomes and the days (or weeks, months) both add up to the number received; rounding both
   sides and the total leaves a hidden cell a range however the figures are subtracted. This is
   the rule statistics offices publish under: small counts suppressed, the rest rounded to 5.
3. A time to acknowledgement (a median, a percentile) is shown only over N or more cases.

``min_count = 1`` hides nothing: every count is exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """A count as published: exact, hidden ("fewer than N") or rounded ("about N")."""

    value: int  # the count, its rounding, or 0 when hidden
    hidden: bool = False
    rounded: bool = False
    min_count: int = 1

    @property
    def text(self) -> str:
        if self.hidden:
            return f"fewer than {self.min_count}"
        if self.rounded:
            return f"about {self.value}"
        return str(self.value)


def any_hidden(counts: Iterable[int], min_count: int) -> bool:
    """Whether rule 1 hides any of ``counts``."""
    return any(0 < n < min_count for n in counts)


def publish(count: int, min_count: int, rounding: bool) -> Shown:
    """``count`` under rules 1 and 2; ``rounding`` when something in the report is hidden."""
    if 0 < count < min_count:
        return Shown(0, hidden=True, min_count=min_count)
    if rounding and count and min_count > 1:
        nearest = max(min_count, min_count * int(count / min_count + 0.5))
        return Shown(nearest, rounded=True, min_count=min_count)
    return Shown(count, min_count=min_count)
