"""The people-of-concern register and matching across cases (story 1).

Only safety contacts and leads see any of it. History is kept about *reported people*: a report
that names someone on the register, or someone another case names, tells its handler so; nothing
is ever counted about reporters, the reporter is never told, and the team channel hears nothing.

A case's "who" text is reduced at opening to blind indexes (:func:`index_case`): the identifiers
it names ("id") and every run of a few words ("gram"). Two cases are about the same person when an
id of one is a gram of the other; a register entry names a case when one of its keys is a gram of
the case. So matching never decrypts a report. Register entries are few and are decrypted freely.

An entry that names the member looking (their name, id, a username from the team file or a name a
platform showed for them) is not shown to them, like a case that names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.config.teamfile import Member
from bot.domain.identifiers import extract, grams, name_keys
from bot.domain.model import STATE_FOR_TEAM, Case, CaseState, Person, ReportBody
from bot.services import conflicts, member_names
from bot.text.reader import N_, _, current, ngettext
from bot.text.richtext import Rich, bold, rich
from bot.text.views import OUTCOME_WORDS
from bot.uow import UnitOfWork

FLAGS = ("watch", "banned")
FLAG_WORDS = {"watch": N_("watch"), "banned": N_("banned")}
MAX_NAME = 200
MAX_NOTE = 1000


def keys_of(person: Person) -> set[str]:
    """The normalised forms an entry is matched by: its name and every identifier."""
    return name_keys([person.name, *person.identifiers])


async def names_member(uow: UnitOfWork, person: Person, member: Member) -> bool:
    """Whether a register entry names ``member`` by any name they go by
    (bot/services/member_names.py)."""
    return not keys_of(person).isdisjoint(name_keys(await member_names.names_of(uow, member)))


async def index_case(uow: UnitOfWork, case: Case, body: ReportBody) -> None:
    """Keep what the report's "who" text names as blind indexes, for matching later; never a
    drill's (bot.drills): its people are made up."""
    if body.who.strip() and not case.is_drill:
        await uow.tx.add_case_keys(
            case.id, extract(body.who, body.language), grams(body.who, language=body.language)
        )


def flag_words(person: Person, uow: UnitOfWork) -> str:
    """``"watch until 2027-08-14"``, ``"banned"``, ``"watch (ended 2027-08-12)"``, ``"no flag"``."""
    if person.flag is None:
        return _("no flag")
    flag = _(FLAG_WORDS.get(person.flag, person.flag))
    if person.flag_until is None:
        return flag
    last_day = last_day_of(person.flag_until, uow)
    if person.flag_at(uow.now) is None:
        return _("{flag} (ended {day})").format(flag=flag, day=last_day)
    return _("{flag} until {day}").format(flag=flag, day=last_day)


def last_day_of(end: datetime, uow: UnitOfWork) -> date:
    """The flag's end date as given: it lasts to the end of that day, team time."""
    return (uow.team.local(end) - timedelta(seconds=1)).date()


def end_of_day(day: date, uow: UnitOfWork) -> datetime:
    return uow.team.config.to_utc(datetime.combine(day + timedelta(days=1), time()))


async def visible(uow: UnitOfWork, member: Member) -> list[Person]:
    """The register as this member may see it."""
    if not uow.team.is_handler(member):
        return []
    return [p for p in await uow.tx.list_people() if not await names_member(uow, p, member)]


async def get_visible(uow: UnitOfWork, member: Member, person_id: int) -> Person | None:
    person = await uow.tx.get_person(person_id)
    if person is None or not uow.team.is_handler(member):
        return None
    if await names_member(uow, person, member):
        return None
    return person


async def cases_for(uow: UnitOfWork, member: Member, case_ids: list[int]) -> list[Case]:
    """These cases as far as ``member`` may see them (bot.rights), oldest first."""
    found: list[Case] = []
    for case_id in sorted(set(case_ids)):
        case = await uow.tx.get_case(case_id)
        if case is None:
            continue
        report = await uow.tx.get_report(case.report_id)
        if await conflicts.may_see(uow, case, report.body, member):
            found.append(case)
    return found


async def codes_for(uow: UnitOfWork, member: Member, case_ids: list[int]) -> list[str]:
    """The codes of these cases that ``member`` may open, oldest first."""
    return [case.code for case in await cases_for(uow, member, case_ids)]


async def case_lines(uow: UnitOfWork, member: Member, case_ids: list[int]) -> list[Rich]:
    """One line for each of these cases ``member`` may open: its code, its state, and its
    outcome (a sanction such as an event ban) with the day it was decided, or the day it opened
    while it has none. So a handler checking what is known need not open every case."""
    shown: list[Rich] = []
    for case in await cases_for(uow, member, case_ids):
        line = rich("  ", bold(case.code), f" · {_(STATE_FOR_TEAM[case.state])}")
        decided = await _decided(uow, case) if case.outcome else None
        if case.outcome and decided is not None:
            words = _(OUTCOME_WORDS.get(case.outcome, case.outcome))
            line += f" · {words}, {_day(uow, decided)}"
        else:
            line += _(" · opened {day}").format(day=_day(uow, case.created_at))
        shown.append(line)
    return shown


async def _decided(uow: UnitOfWork, case: Case) -> datetime | None:
    """When the case's outcome was recorded (its latest resolution)."""
    moment = None
    for entry in await uow.tx.audit_for(case.id):
        if entry.kind == "state_changed" and entry.detail.get("new") == CaseState.RESOLVED:
            moment = entry.at
    return moment


def _day(uow: UnitOfWork, moment: datetime) -> str:
    return current().pattern(uow.team.local(moment), "dd MMM yyyy")


def _history(person: Person, uow: UnitOfWork, member: Member, what: str) -> None:
    person.history.append({"at": uow.now.timestamp(), "by": member.id, "what": what})


async def similar(uow: UnitOfWork, member: Member, person: Person) -> list[str]:
    """Codes of other entries sharing a key with this one (a likely duplicate)."""
    ids = await uow.tx.people_matching(keys_of(person))
    found = []
    for other_id in ids:
        other = await get_visible(uow, member, other_id)
        if other is not None and other.id != person.id:
            found.append(other.code)
    return found


async def add(
    uow: UnitOfWork, member: Member, name: str, identifiers: list[str], what: str = "added"
) -> Person:
    person = Person(
        id=0,
        name=name[:MAX_NAME],
        identifiers=[i[:MAX_NAME] for i in identifiers],
        created_at=uow.now,
        created_by=member.id,
    )
    _history(person, uow, member, what)
    person.id = await uow.tx.add_person(person, keys_of(person))
    return person


async def link(uow: UnitOfWork, member: Member, person: Person, case: Case) -> bool:
    """Link an entry to a case (recorded in the case's audit trail); False if already linked."""
    if not await uow.tx.link_person(person.id, case.id, uow.now):
        return False
    person.case_ids.append(case.id)
    _history(person, uow, member, f"linked to {case.code}")
    await uow.tx.save_person(person, uow.now)
    await uow.audit(case, f"member:{member.id}", "register_linked", person=person.code)
    return True


async def set_flag(
    uow: UnitOfWork,
    member: Member,
    person: Person,
    flag: str | None,
    until: datetime | None,
    note: str,
) -> None:
    """Flag (or with ``None`` unflag) an entry; each linked case's audit trail records it."""
    person.flag = flag
    person.flag_until = until if flag else None
    person.note = note[:MAX_NOTE] if flag else ""
    words = f"flagged {flag_words(person, uow)}" if flag else "unflagged"
    _history(person, uow, member, words)
    await uow.tx.save_person(person, uow.now)
    for case_id in person.case_ids:
        case = await uow.tx.get_case(case_id)
        if case is not None:
            await uow.audit(
                case,
                f"member:{member.id}",
                "register_flagged" if flag else "register_unflagged",
                person=person.code,
                flag=flag,
            )


# -- matching a case ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Matches:
    other_cases: list[int]
    people: list[Person]


async def matches(uow: UnitOfWork, case: Case, body: ReportBody) -> Matches:
    """Other cases about the same reported person, and register entries naming them; none for
    a drill case (bot.drills), whose people are made up."""
    if case.is_drill:
        return Matches([], [])
    case_grams = grams(body.who, language=body.language)
    other = set(await uow.tx.cases_matching(extract(body.who, body.language), case_grams))
    people_ids = set(await uow.tx.people_matching(case_grams))
    people_ids.update(await uow.tx.people_for_case(case.id))
    people: list[Person] = []
    for person_id in sorted(people_ids):
        person = await uow.tx.get_person(person_id)
        if person is None:
            continue
        people.append(person)
        other.update(person.case_ids)
        other.update(await uow.tx.cases_matching(keys_of(person), set()))
    other.discard(case.id)
    return Matches(sorted(other), people)


async def case_history(uow: UnitOfWork, case: Case, body: ReportBody, member: Member) -> list[Rich]:
    """What a handler reads about the reported person's history, if anything.

    Only codes the member may open are listed, and only entries that do not name them."""
    if not uow.team.is_handler(member):
        return []
    found = await matches(uow, case, body)
    shown: list[Rich] = []
    codes = await codes_for(uow, member, found.other_cases)
    if codes:
        also = ngettext(
            "this person appears in {count} other case: {codes}.",
            "this person appears in {count} other cases: {codes}.",
            len(codes),
        )
        shown.append(
            rich(bold(_("Also reported: ")), also.format(count=len(codes), codes=", ".join(codes)))
        )
    for person in found.people:
        if await names_member(uow, person, member):
            continue
        shown.append(
            rich(bold(_("On the register: ")), f"{person.code} · {flag_words(person, uow)}.")
        )
    return shown


# -- the shift handoff ---------------------------------------------------------------------------


async def watch_lines(uow: UnitOfWork, member: Member) -> list[Rich | str]:
    """Active watch and banned entries for the member starting a shift."""
    flagged = [p for p in await visible(uow, member) if p.flag_at(uow.now)]
    if not flagged:
        return [_("Watch notes: none.")]
    parts: list[Rich | str] = [bold(_("Watch notes (people of concern, for you only):"))]
    for person in flagged:
        line = rich("  ", bold(person.code), " ", person.name, f" · {flag_words(person, uow)}")
        if person.note:
            line += rich(": ", person.note)
        parts.append(line)
    return parts
