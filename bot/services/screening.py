"""Checking a registration list against the flagged people on the register (``/screen``).

A list is pasted after the command or sent as a CSV file. With a header row naming its columns
(name, username, e-mail, ...), only those columns are compared; without one, every value is. Several
lines: one registration per line, its values separated by commas (or semicolons or tabs). A single
line: each comma-separated item is a registration of its own. A value may be written as
organizers paste it (``User:Jo_Doe``, ``[[User:Jo Doe|Jo]]``, a user page's web address, an
e-mail address) and is compared the one way names are (:mod:`bot.identifiers`).

The answer names, for each matching registration, only where it is in the list, the value that
matched, the flag and the codes of linked cases the member may open: nothing else about the person.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from bot.config.teamfile import Member
from bot.domain.identifiers import fold, grams
from bot.services import people
from bot.text.reader import _, ngettext
from bot.text.richtext import Rich, bold, lines, rich
from bot.uow import UnitOfWork

MAX_ROWS = 20_000
MAX_SHOWN = 60  # matching lines listed in one answer
# Header words of the columns worth comparing; others (t-shirt size, diet, ...) are ignored.
_IDENTITY_WORDS = ("name", "user", "mail", "handle", "account", "telegram", "slack", "wiki", "nick")
# Words an identity column's label is made of; a first row with any other word in its identity
# cells is a registration, not a header.
_LABEL_WORDS = frozenset(
    """name names full first last given family sur surname surnames user users username usernames
    e mail email emails address addresses handle handles account accounts telegram slack wiki
    wikimedia wikipedia meta nick nickname nicknames login id participant participants attendee
    registrant your contact display real preferred badge public on in of the as for and or
    """.split()  # noqa: SIM905
)
_VALUE_CHARS = "@:/[]|"


@dataclass(frozen=True)
class Registration:
    where: str  # "line 3" or "item 2"
    values: list[tuple[str, str]]  # (column, value)


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    return data.decode("cp1252", errors="replace")


def _delimiter(sample: str) -> str:
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _is_label(cell: str) -> bool:
    """A column label naming identities ("Name", "Wiki username", "E-mail address"): only
    label words, one of them an identity word. "User:Jo_Doe" or "Nick Jones" is a value."""
    words = re.findall(r"[^\W\d_]+", fold(cell))
    return (
        bool(words)
        and all(word in _LABEL_WORDS for word in words)
        and any(identity in word for word in words for identity in _IDENTITY_WORDS)
    )


def is_header(row: list[str]) -> bool:
    """A header row: a label for at least one identity column, and no cell like a value (an
    e-mail address, a ``User:`` prefix, a web address, a wiki link)."""
    return any(_is_label(cell) for cell in row) and not any(
        char in cell for cell in row for char in _VALUE_CHARS
    )


def registrations(text: str) -> list[Registration]:
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not numbered:
        return []
    rows = list(csv.reader((line for _, line in numbered), delimiter=_delimiter(text[:4000])))[
        :MAX_ROWS
    ]
    header = rows[0] if is_header(rows[0]) else None
    if header is None and len(rows) == 1:
        items = [cell.strip() for cell in rows[0] if cell.strip()]
        return [Registration(f"item {i}", [("value", v)]) for i, v in enumerate(items, start=1)]
    found: list[Registration] = []
    start = 1 if header else 0
    wanted = [
        i
        for i, cell in enumerate(header or [])
        if any(word in fold(cell) for word in _IDENTITY_WORDS)
    ]
    for (number, _cells), row in zip(numbered[start:], rows[start:], strict=False):
        if header is not None:
            values = [(header[i].strip(), row[i].strip()) for i in wanted if i < len(row)]
        else:
            values = [("value", cell.strip()) for cell in row]
        values = [(column, value) for column, value in values if value]
        if values:
            found.append(Registration(f"line {number}", values))
    return found


async def screen(uow: UnitOfWork, member: Member, text: str) -> Rich:
    """The answer to ``/screen``: which registrations match a person flagged now."""
    listed = registrations(text)
    if not listed:
        return rich(
            _(
                "I found no registrations in that. Paste the list after /screen (one per line,"
                " or a CSV with a header row), or send the CSV file with /screen as its caption."
            )
        )
    flagged = [
        (person, people.keys_of(person))
        for person in await people.visible(uow, member)
        if person.flag_at(uow.now)
    ]
    shown: list[Rich | str] = []
    matched = 0
    for registration in listed:
        for column, value in registration.values:
            value_grams = grams(value)
            hits = [person for person, keys in flagged if keys & value_grams]
            if not hits:
                continue
            matched += 1
            if len(shown) < MAX_SHOWN:
                for person in hits:
                    codes = await people.codes_for(uow, member, person.case_ids)
                    cases = (
                        _("cases {codes}").format(codes=", ".join(codes))
                        if codes
                        else _("no case you can open")
                    )
                    shown.append(
                        rich(
                            "  ",
                            _("{where} ({column} {value}): {flag}, {cases}").format(
                                where=_place(registration.where),
                                column=column,
                                value=value[:80],
                                flag=people.flag_words(person, uow),
                                cases=cases,
                            ),
                        )
                    )
            break  # one line per registration
    checked = ngettext(
        "{count} registration checked", "{count} registrations checked", len(listed)
    ).format(count=len(listed))
    against = ngettext(
        "against {count} flagged person.", "against {count} flagged people.", len(flagged)
    ).format(count=len(flagged))
    head = rich(bold(_("Screening: ")), f"{checked} {against} ")
    if not matched:
        return rich(head, _("No registration matches a flagged person."))
    more = matched - min(matched, MAX_SHOWN)
    return lines(
        head + ngettext("{count} match:", "{count} matches:", matched).format(count=matched),
        *shown,
        "  " + _("... and {count} more.").format(count=more) if more > 0 else "",
        _("This answer is for you only; /person list shows the register."),
    )


def _place(where: str) -> str:
    """``"line 3"`` or ``"item 2"`` (a :class:`Registration`'s place) in the reader's words."""
    kind, _space, number = where.partition(" ")
    if kind == "line":
        return _("line {number}").format(number=number)
    if kind == "item":
        return _("item {number}").format(number=number)
    return where
