"""``/person`` and ``/screen``: the people-of-concern register, for safety contacts and leads.

Syntax (in a private chat)::

    /person add "Jo Doe" User:JoD jo@example.org @jodoe     quote a name of several words
    /person add Jo Doe | User:JoD, jo@example.org            or put the identifiers after a |
    /person from FS-7K3Q                                     the case's reported person, linked
    /person flag P-3 watch|banned [until 2027-08-14] [note]  the flag ends after that day
    /person unflag P-3
    /person link P-3 FS-7K3Q
    /person P-3                                              the entry, its flag and its cases
    /person list
    /screen <pasted list>   or a CSV file sent with /screen as its caption

Refusals change nothing. Nothing here is logged; changes that touch a case are in its audit trail.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.config.teamfile import Member
from bot.domain.clean_text import has_words
from bot.domain.identifiers import extract, identifier_key
from bot.domain.model import Case, Person
from bot.domain.team import Team
from bot.ports.events import Inbound
from bot.services import people, screening
from bot.text import drill_words, register_words
from bot.text.reader import _, current
from bot.text.richtext import Rich, bold, fill, lines, rich
from handlers.context import Request
from handlers.team.casework import case_for, handler_or_refuse

_PERSON_ID = re.compile(r"^p-?(\d{1,9})$|^(\d{1,9})$", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]*)"|(\S+)')
_SMART_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»"})


def _after_command(text: str) -> str:
    """What follows the command word, newlines kept (a pasted list is several lines)."""
    parts = text.strip().split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _words(text: str) -> list[str]:
    """Words, with "quoted phrases" as one word."""
    return [q or w for q, w in _QUOTED.findall(text.translate(_SMART_QUOTES)) if q or w]


def parse_add(text: str) -> tuple[str, list[str]]:
    """``"Jo Doe" id1 id2`` or ``Jo Doe | id1, id2``: the name and its identifiers."""
    text = text.translate(_SMART_QUOTES).strip()
    if "|" in text:
        name, _, rest = text.partition("|")
        separator = "," if "," in rest else None
        if separator:
            identifiers = [item.strip().strip('"') for item in rest.split(",")]
        else:
            identifiers = _words(rest)
        return " ".join(name.split()), [i for i in identifiers if i]
    words = _words(text)
    if not words:
        return "", []
    return " ".join(words[0].split()), words[1:]


def person_id(word: str) -> int | None:
    match = _PERSON_ID.match(word.strip())
    if match is None:
        return None
    return int(match.group(1) or match.group(2))


async def person(req: Request, args: list[str]) -> None:
    member = await handler_or_refuse(req)
    if member is None:
        return
    rest = _after_command(req.event.text)
    word, _, tail = rest.partition(" ")
    sub = word.strip().lower()
    if sub == "add":
        await _add(req, member, tail)
    elif sub == "from":
        await _from_case(req, member, tail.split())
    elif sub in ("flag", "unflag"):
        await _flag(req, member, sub, tail.split())
    elif sub == "link":
        await _link(req, member, tail.split())
    elif sub == "list":
        await _list(req, member)
    elif sub and person_id(sub) is not None:
        await _show(req, member, sub)
    else:
        await req.reply(register_words.usage())


async def _entry(req: Request, member: Member, word: str | None) -> Person | None:
    number = person_id(word) if word else None
    found = await people.get_visible(req.uow, member, number) if number is not None else None
    if found is None:
        shown = f"P-{number}" if number is not None else (word or _("an entry"))
        await req.reply(
            rich(
                _("I can't find {entry} on the register. /person list shows it.").format(
                    entry=shown
                )
            )
        )
    return found


def _added_text(person: Person, similar: list[str], ignored: list[str]) -> Rich:
    parts: list[Rich | str] = [
        fill(_("Added {code} to the register: {name}."), code=bold(person.code), name=person.name)
    ]
    if ignored:
        parts.append(
            _("Too short or too common to match on (kept, not matched): {words}").format(
                words=", ".join(ignored)
            )
        )
    if similar:
        parts.append(
            _("Possibly the same person as {codes} (a shared identifier).").format(
                codes=", ".join(similar)
            )
        )
    parts.append(
        _("Flag it with /person flag {code} watch, link it with /person link.").format(
            code=person.code
        )
    )
    return lines(*parts)


async def _add(req: Request, member: Member, text: str) -> None:
    name, identifiers = parse_add(text)
    if not has_words(name):
        await req.reply(register_words.name_needed())
        return
    person = await people.add(req.uow, member, name, identifiers)
    ignored = [raw for raw in [name, *identifiers] if identifier_key(raw) is None]
    await req.reply(_added_text(person, await people.similar(req.uow, member, person), ignored))


async def _drill_refused(req: Request, case: Case) -> bool:
    """A drill case (bot.drills) never reaches the register: its people are made up."""
    if case.is_drill:
        await req.reply(drill_words.not_in_register(case.code))
    return case.is_drill


async def _from_case(req: Request, member: Member, args: list[str]) -> None:
    found = await case_for(req, args, "/person from FS-7K3Q", "open")
    if found is None or await _drill_refused(req, found[1]):
        return
    case = found[1]
    report = await req.uow.tx.get_report(case.report_id)
    who = " ".join(report.body.who.split())
    if not who:
        await req.reply(
            fill(
                _("{code} does not say who was involved, so I added no one."), code=bold(case.code)
            )
        )
        return
    for person_id_ in await req.uow.tx.people_for_case(case.id):
        linked = await people.get_visible(req.uow, member, person_id_)
        if linked is not None:
            await req.reply(_linked_already(case.code, linked.code))
            return
    person = await people.add(
        req.uow, member, who, sorted(extract(who)), what=f"added from {case.code}"
    )
    await people.link(req.uow, member, person, case)
    similar = await people.similar(req.uow, member, person)
    await req.reply(
        lines(
            fill(
                _("Added {person} from {code}, linked to it."),
                person=bold(person.code),
                code=bold(case.code),
            ),
            rich(_("Name: "), person.name),
            rich(
                _("Identifiers found: "),
                ", ".join(person.identifiers) or _("none (it matches by its name only)"),
            ),
            _("Possibly the same person as {codes}.").format(codes=", ".join(similar))
            if similar
            else "",
        )
    )


_FLAG = re.compile(
    r"^\s*(?P<id>\S+)\s+(?P<flag>\S+)(?:\s+until\s+(?P<until>\S+))?(?:\s+(?P<note>.*))?$",
    re.IGNORECASE | re.DOTALL,
)


async def _flag(req: Request, member: Member, sub: str, args: list[str]) -> None:
    person = await _entry(req, member, args[0] if args else None)
    if person is None:
        return
    uow = req.uow
    if sub == "unflag":
        await people.set_flag(uow, member, person, None, None, "")
        await req.reply(fill(_("{code} is no longer flagged."), code=bold(person.code)))
        return
    how = _("Use /person flag {code} watch|banned [until YYYY-MM-DD] [note].").format(
        code=person.code
    )
    raw = _after_command(req.event.text).strip().split(maxsplit=1)
    match = _FLAG.match(raw[1] if len(raw) > 1 else "")
    if match is None or match.group("flag").lower() not in people.FLAGS:
        await req.reply(rich(how))
        return
    until = None
    if match.group("until"):
        try:
            day = date.fromisoformat(match.group("until"))
        except ValueError:
            await req.reply(
                rich(_("Write the end date as YYYY-MM-DD, for example until 2027-08-14."))
            )
            return
        until = people.end_of_day(day, uow)
        if until <= uow.now:
            await req.reply(
                rich(_("{day} is already over; give a later end date.").format(day=day))
            )
            return
    note = (match.group("note") or "").strip()
    await people.set_flag(uow, member, person, match.group("flag").lower(), until, note)
    await req.reply(
        fill(
            _(
                "{code} is flagged {flag}. On-duty contacts see it in every shift handoff while"
                " it lasts."
            ),
            code=bold(person.code),
            flag=people.flag_words(person, uow),
        )
    )


async def _link(req: Request, member: Member, args: list[str]) -> None:
    person = await _entry(req, member, args[0] if args else None)
    if person is None:
        return
    if len(args) < 2:
        await req.reply(
            rich(
                _("Please add the case code: /person link {code} FS-7K3Q").format(code=person.code)
            )
        )
        return
    found = await case_for(req, args[1:], f"/person link {person.code} FS-7K3Q", "open")
    if found is None or await _drill_refused(req, found[1]):
        return
    case = found[1]
    if not await people.link(req.uow, member, person, case):
        await req.reply(_linked_already(person.code, case.code))
        return
    await req.reply(
        fill(_("{one} is now linked to {other}."), one=bold(person.code), other=bold(case.code))
    )


def _linked_already(one: str, other: str) -> Rich:
    return fill(_("{one} is already linked to {other}."), one=bold(one), other=bold(other))


async def _list(req: Request, member: Member) -> None:
    entries = await people.visible(req.uow, member)
    if not entries:
        await req.reply(rich(_("The register is empty. /person add starts it.")))
        return
    shown: list[Rich | str] = [bold(_("People of concern ({count})").format(count=len(entries)))]
    for person in entries:
        codes = await people.codes_for(req.uow, member, person.case_ids)
        cases = f" · {', '.join(codes)}" if codes else ""
        shown.append(
            rich(
                "  ",
                bold(person.code),
                " · ",
                person.name,
                f" · {people.flag_words(person, req.uow)}",
            )
            + cases
        )
    await req.reply(lines(*shown))


async def _show(req: Request, member: Member, word: str) -> None:
    person = await _entry(req, member, word)
    if person is None:
        return
    uow, team = req.uow, req.uow.team
    linked = await people.case_lines(uow, member, person.case_ids)
    named = await people.case_lines(
        uow,
        member,
        [
            case_id
            for case_id in await uow.tx.cases_matching(people.keys_of(person), set())
            if case_id not in person.case_ids
        ],
    )
    history = [
        rich(
            "  ",
            current().pattern(team.local(_from_ts(entry["at"], req)), "EEE dd MMM HH:mm"),
            f" · {entry['what']} · {team.member_name(str(entry['by']))}",
        )
        for entry in person.history[-10:]
    ]
    await req.reply(
        lines(
            rich(bold(person.code), " · ", bold(person.name)),
            rich(bold(_("Identifiers: ")), ", ".join(person.identifiers) or _("none")),
            rich(bold(_("Flag: ")), people.flag_words(person, uow)),
            rich(bold(_("Note: ")), person.note) if person.note else "",
            rich(bold(_("Linked cases:")), "" if linked else _(" none you can open")),
            *linked,
            bold(_("Also named in:")) if named else "",
            *named,
            bold(_("History:")),
            *history,
        )
    )


def _from_ts(value: object, req: Request) -> datetime:
    return datetime.fromtimestamp(float(str(value)), req.uow.now.tzinfo)


# -- /screen -------------------------------------------------------------------------------------


def wants_file(event: Inbound, team: Team) -> bool:
    """Whether an event is a ``/screen`` with a file that a handler sent: the only file the bot
    ever reads (a reporter's attachments stay references)."""
    command = event.command
    if not event.private or event.attachment is None or command is None or event.edited:
        return False
    member = team.member_for(event.sender.platform, event.sender.user_id)
    return command[0] == "/screen" and member is not None and team.is_handler(member)


async def screen(req: Request, args: list[str]) -> None:
    member = await handler_or_refuse(req)
    if member is None:
        return
    text = _after_command(req.event.text)
    if req.event.attachment is not None:
        upload = req.upload
        if upload is None:
            await req.reply(
                rich(_("I can't read files here. Paste the list after /screen instead."))
            )
            return
        if upload.problem is not None:
            await req.reply(rich(upload.problem))
            return
        text = screening.decode(upload.data)
    if not text.strip():
        await req.reply(
            rich(
                _(
                    "Paste the registration list after /screen (one per line, or a CSV with a"
                    " header row such as name,username,email), or send the CSV file with /screen"
                    " as its caption. Only people flagged watch or banned are looked for."
                )
            )
        )
        return
    await req.reply(await screening.screen(req.uow, member, text))
