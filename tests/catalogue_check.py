"""Checking the translation catalogues against the code: every text the code wraps for
translation (extracted the way ``.ci/catalogues`` extracts it) has a translation in every shipped
catalogue, with the same ``{placeholders}``, in every plural form; and each compiled ``.mo`` says
what its ``.po`` says."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "bot" / "locale"
# The keywords of .ci/catalogues: _, N_, ngettext, pgettext and the commands' _one(audience, does)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "_one": (2,)}
METHODS = [("bot/**.py", "python"), ("handlers/**.py", "python"), ("adapters/**.py", "python")]
_FIELD = re.compile(r"\{(\w*)[^{}]*\}")

MessageId = str | tuple[str, str]


def wrapped_texts(root: Path = ROOT) -> set[tuple[str | None, MessageId]]:
    """(context, message id) of every text the code wraps; a plural's id is (singular, plural)."""
    found: set[tuple[str | None, MessageId]] = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(root), METHODS, keywords=KEYWORDS
    ):
        ident = message if isinstance(message, str) else (message[0], message[1])
        found.add((context, ident))
    return found


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields of a text, sorted (``{{`` is a brace, not a field)."""
    return sorted(_FIELD.findall(text.replace("{{", "").replace("}}", "")))


def catalogue(language: str) -> Catalog:
    with open(LOCALE / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


def problems(texts: Iterable[tuple[str | None, MessageId]], cat: Catalog) -> list[str]:
    """What is wrong with ``cat`` for these texts, in words; empty when nothing is."""
    found: list[str] = []
    for context, ident in sorted(texts, key=repr):
        key = ident if isinstance(ident, str) else ident[0]
        message = cat.get(key, context=context)
        if message is None or not message.string or message.fuzzy:
            found.append(f"{cat.locale}: no translation of {ident!r}")
            continue
        sources = [ident] if isinstance(ident, str) else list(ident)
        wanted = placeholders(sources[0])
        if any(placeholders(source) != wanted for source in sources):
            found.append(f"source forms differ in placeholders: {ident!r}")
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        if isinstance(ident, tuple) and len(forms) != cat.num_plurals:
            found.append(
                f"{cat.locale}: {len(forms)} plural forms of {ident!r}, not {cat.num_plurals}"
            )
        for form in forms:
            if not form:
                found.append(f"{cat.locale}: an empty plural form of {ident!r}")
            elif placeholders(form) != wanted:
                shown = placeholders(form)
                found.append(f"{cat.locale}: placeholders of {ident!r} are {shown}, not {wanted}")
    return found


def stale_compiled(language: str) -> list[str]:
    """Messages whose compiled ``.mo`` translation is not the ``.po``'s (compile again)."""
    cat = catalogue(language)
    with open(LOCALE / language / "LC_MESSAGES" / "messages.mo", "rb") as file:
        compiled = gettext.GNUTranslations(file)
    found: list[str] = []
    for message in cat:
        if not message.id or not message.string or message.fuzzy:
            continue
        if isinstance(message.id, str):
            if message.context:
                shown = compiled.pgettext(message.context, message.id)
            else:
                shown = compiled.gettext(message.id)
            if shown != message.string:
                found.append(f"{language}: {message.id!r}")
        else:
            forms = list(message.string)
            for n in range(0, 120):
                shown = compiled.ngettext(message.id[0], message.id[1], n)
                if shown != forms[_plural_index(cat, n)]:
                    found.append(f"{language}: {message.id!r} for {n}")
                    break
    return found


def _plural_index(cat: Catalog, n: int) -> int:
    """Which plural form ``n`` takes in ``cat``'s language (its Plural-Forms expression)."""
    return int(gettext.c2py(cat.plural_expr)(n))
