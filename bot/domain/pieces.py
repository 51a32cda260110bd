"""What a reporter wrote, piece by piece: the message each free-text answer came from, whether it
was forwarded, and how it was corrected.

A report's fields (:class:`bot.domain.ReportBody`) hold the current wording; ``body.pieces`` holds
one record for each answer that came from a message::

    {"field": "account", "index": 2, "ref": "telegram:41", "at": "2027-08-11T10:02:00+00:00",
     "text": the current wording,
     "forwarded": Forwarded.to_dict(), only for a forwarded message,
     "original": the first wording, and "corrections": [{"at": ..., "text": ...}], once corrected}

``ref`` (``Inbound.message_ref``) finds the piece an edit corrects. ``text`` is checked against
the field, so a record whose answer has since been replaced (a button pressed instead, "Back" and
a new answer) is never matched or shown. The records live in the report body, so they are
encrypted and purged with it, and an anonymous report, which is not linked to its reporter, cannot
be found from their edits either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.domain.addresses import Forwarded
from bot.domain.model import ReportBody

# Fields holding several answers, each its own message; the others hold one.
LIST_FIELDS = frozenset({"account", "location_now"})
# How a handler reads the name of each field (the audit trail, a correction's notice).
TITLES = {
    "account": "What happened",
    "when": "When",
    "where_detail": "Where",
    "who": "Who was involved",
    "witnesses": "Witnesses",
    "contact": "Contact",
    "outcome": "Outcome they would like",
    "location_now": "Where they are now",
}
_NUMBER = re.compile(r"^\d{1,30}(\.\d{1,12})?$")


@dataclass(frozen=True)
class Correction:
    """One applied correction: which answer, its first wording, the wording it replaced and the
    new one."""

    field: str
    index: int
    original: str
    before: str
    text: str

    @property
    def title(self) -> str:
        return TITLES.get(self.field, self.field)


def current(body: ReportBody, field: str, index: int = 0) -> str | None:
    """The answer's wording now, or ``None`` when there is no such answer."""
    value = getattr(body, field, None)
    if field in LIST_FIELDS:
        if isinstance(value, list) and 0 <= index < len(value):
            return str(value[index])
        return None
    return value if isinstance(value, str) else None


def _live(body: ReportBody, piece: dict[str, Any]) -> bool:
    return current(body, str(piece["field"]), int(piece["index"])) == str(piece["text"])


def piece(body: ReportBody, field: str, index: int = 0) -> dict[str, Any] | None:
    """The record of the answer at ``field`` (and ``index``), if it came from a message."""
    for found in body.pieces:
        if found["field"] == field and found["index"] == index and _live(body, found):
            return found
    return None


def find(body: ReportBody, ref: str) -> dict[str, Any] | None:
    """The record of the answer that came from message ``ref``, if it is still an answer."""
    if not ref:
        return None
    for found in body.pieces:
        if found["ref"] == ref and _live(body, found):
            return found
    return None


def _record(
    field: str, index: int, text: str, ref: str, at: datetime, forwarded: Forwarded | None
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "field": field,
        "index": index,
        "ref": ref,
        "at": at.isoformat(),
        "text": text,
    }
    if forwarded is not None:
        record["forwarded"] = forwarded.to_dict()
    return record


def record(
    body: ReportBody,
    field: str,
    *,
    ref: str,
    at: datetime,
    forwarded: Forwarded | None = None,
) -> None:
    """Remember that the single answer ``field`` (as it stands now) came from message ``ref``.
    Records of answers since replaced are dropped; nothing is kept for a message without a ref
    that was not forwarded (the console's), since nothing could find or show it."""
    text = current(body, field)
    body.pieces = [p for p in body.pieces if _live(body, p) and p["field"] != field]
    if text is not None and (ref or forwarded is not None):
        body.pieces.append(_record(field, 0, text, ref, at, forwarded))


def _order(ref: str) -> tuple[str, Decimal] | None:
    """Messages in one chat are numbered in the order they were sent (Telegram's message_id,
    Slack's ts), so two refs of one platform compare in that order."""
    platform, _, number = ref.partition(":")
    return (platform, Decimal(number)) if _NUMBER.match(number) else None


def add(
    body: ReportBody,
    field: str,
    text: str,
    *,
    ref: str,
    at: datetime,
    forwarded: Forwarded | None = None,
) -> int:
    """Add one answer to a list field (``account``, ``location_now``) where it belongs among the
    others in the order they were sent: messages of a long paste may arrive out of order (a
    webhook delivers several at once), and are still kept in the order written. Returns its
    index."""
    values: list[str] = getattr(body, field)
    position = len(values)
    key = _order(ref) if ref else None
    if key is not None:
        while position > 0:
            before = piece(body, field, position - 1)
            other = _order(before["ref"]) if before and before["ref"] else None
            if other is None or other[0] != key[0] or other[1] < key[1]:
                break
            position -= 1
    values.insert(position, text)
    for other_piece in body.pieces:
        if other_piece["field"] == field and other_piece["index"] >= position:
            other_piece["index"] += 1
    if ref or forwarded is not None:
        body.pieces.append(_record(field, position, text, ref, at, forwarded))
    return position


def correct(body: ReportBody, ref: str, text: str, at: datetime) -> Correction | None:
    """Apply an edit of message ``ref``: the answer reads ``text`` from now on, and its first
    wording and every correction (with its time) are kept. ``None`` when no answer came from that
    message, or the wording did not change (an edit of formatting only)."""
    found = find(body, ref)
    if found is None or found["text"] == text:
        return None
    field, index = str(found["field"]), int(found["index"])
    before = str(found["text"])
    if field in LIST_FIELDS:
        getattr(body, field)[index] = text
    else:
        setattr(body, field, text)
    found.setdefault("original", before)
    found.setdefault("corrections", []).append({"at": at.isoformat(), "text": text})
    found["text"] = text
    return Correction(field, index, str(found["original"]), before, text)


def forwarded(found: dict[str, Any] | None) -> Forwarded | None:
    """Where the answer's message was forwarded from, if it was forwarded."""
    if found is None or not found.get("forwarded"):
        return None
    return Forwarded.from_dict(found["forwarded"])


def last_correction(found: dict[str, Any] | None) -> tuple[datetime, str] | None:
    """When the answer was last corrected, and its first wording; ``None`` if never."""
    if found is None or not found.get("corrections"):
        return None
    return datetime.fromisoformat(found["corrections"][-1]["at"]), str(found["original"])


def corrections(body: ReportBody) -> list[tuple[datetime, str]]:
    """Every correction of an answer still in the report: (when, the field's title)."""
    return sorted(
        (datetime.fromisoformat(c["at"]), TITLES.get(p["field"], p["field"]))
        for p in body.pieces
        if _live(body, p)
        for c in p.get("corrections", [])
    )
