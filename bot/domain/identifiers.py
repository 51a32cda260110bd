"""The one way the bot compares a person's name or username.

Conflicts of interest (is a team member named in a report?), the people-of-concern register,
``/screen`` and linking cases about the same person all compare names here, so a name written
one way is found written any other way:

- Unicode NFKC (fullwidth letters, ligatures) and case folding; accents dropped; a dotless
  ``ı`` as ``i`` (its capital is ``I``, so "IŞIK" is "Işık");
- characters that show nothing removed: Unicode's default-ignorable code points (zero-width
  space and joiners, soft hyphen, word joiner, bidi marks and isolates, variation selectors)
  and every other format character (category Cf);
- ``_`` and space alike; web addresses percent-decoded;
- for one identifier (:func:`identifier_key`): ``@``, wiki namespace prefixes in the languages
  of Wikimedia projects (``User:``, ``Benutzerin:``, ``Участница:``, see
  :mod:`bot.wiki_prefixes`, others by shape), wiki link brackets and pipes, and user-page web
  addresses stripped.

A name is named in a text when its key is one of the text's runs of words (:func:`grams`),
so a surname or a given name alone names only someone whose name, username or id is that one
word, as the register has always matched; "malice" never names "Alice". :func:`extract` picks the
likely identifiers out of a report's "who" text, for linking cases.

Pure functions, no I/O; the register stores only keyed hashes of these keys.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

from bot.domain.clean_text import INVISIBLE as _INVISIBLE
from bot.domain.stopwords import ENGLISH as ENGLISH_STOPWORDS
from bot.domain.stopwords import stopwords
from bot.domain.wiki_prefixes import CONTRIBUTIONS, USER, USER_TALK

MAX_WORDS = 6  # the longest identifier (in words) that is matched inside a text
MIN_CHARS = 3  # shorter keys ("jo", "al") would match far too much; an ideograph counts two
MAX_TEXT = 2000  # only the start of a very long "who" text is indexed

_PUNCTUATION = str.maketrans(
    {c: '"' for c in "“”„‟«»「」"} | {c: "'" for c in "‘’‚‛ʼ´`"} | {c: "-" for c in "\u2010\u2011"}
)
_LETTERS = str.maketrans({"ı": "i"})
_WEB_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)
_URL = re.compile(r"^https?://[^/\s]+/(?:wiki/|w/index\.php\?title=)?(?P<rest>.*)$")
_LINK = re.compile(r"\[\[\s*([^\[\]|]+?)\s*(?:\|[^\[\]]*)?\]\]")
_WRAPPING = " \"'<>()[]{},;."
_TOKEN = re.compile(r"\w(?:[\w.@+'-]*\w)?")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@([\w.]{3,})")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
# "word(s):name" (no space after the colon, as wikis write it): a namespace of any wiki
_NAMESPACE = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){0,2}:(?=\S)")
_SPECIAL_PAGE = re.compile(r"^[^\W\d_]+:[^\W\d_]+/(?=\S)")  # "special:contributions/name"
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")
# Capitalised words that start sentences or describe rather than name someone, per language
# (bot/domain/stopwords.py); English's, the default.
STOPWORDS = ENGLISH_STOPWORDS


def clean(text: str) -> str:
    """``text`` in NFKC without the characters that show nothing, one form of quote and hyphen,
    web addresses percent-decoded; case is kept."""
    if "%" in text:
        text = _WEB_ADDRESS.sub(lambda m: unquote(m.group(0)), text)
    text = text.translate(_INVISIBLE).translate(_PUNCTUATION)
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


def fold(text: str) -> str:
    """:func:`clean`, casefolded, accents removed, underscores and runs of space as one space."""
    text = clean(text).casefold().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).replace("_", " ")
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """The words of a folded text: e-mail addresses stay whole, ``@`` and ``User:`` fall away."""
    return _TOKEN.findall(fold(text))


def _alternatives(names: Iterable[str]) -> str:
    folded = sorted({fold(name) for name in names}, key=len, reverse=True)
    return "|".join(re.escape(name) for name in folded)


_KNOWN_PREFIX = re.compile(
    rf"^(?:(?:{_alternatives(CONTRIBUTIONS)}) ?/ ?|(?:{_alternatives(USER_TALK + USER)}) ?: ?)"
)


def _page(rest: str) -> str:
    """The page a wiki address's path names: ``user:jo doe`` of ``zh-hans/user:jo doe?x=1``."""
    rest = re.split(r"[?&#]", rest, maxsplit=1)[0]
    if ":" in rest:
        rest = rest[rest.rfind("/", 0, rest.index(":")) + 1 :]
    return rest


def _strip_prefixes(text: str) -> str:
    """Take away ``@``, ``w:de:``, ``user:``, ``special:contributions/`` from the front of a
    folded identifier, and a subpage after a user page (``user:jo/sandbox``)."""
    handle = text.startswith("@")
    stripped = False
    for _ in range(4):
        text = text.lstrip("@ ")
        found = _KNOWN_PREFIX.match(text) or _SPECIAL_PAGE.match(text)
        if found is None and not handle and not _DOMAIN.match(text.split(":", 1)[-1]):
            found = _NAMESPACE.match(text)
        if found is None:
            break
        text, stripped = text[found.end() :], True
    return text.split("/", 1)[0] if stripped else text


def _unwrap(text: str) -> str:
    """The identifier inside a folded ``[[link|shown]]``, quotes, brackets or a wiki address."""
    link = _LINK.fullmatch(text.strip())
    if link:
        text = link.group(1)
    text = text.strip(_WRAPPING)
    url = _URL.match(text)
    if url:
        text = _page(url.group("rest")).strip(_WRAPPING)
    return _strip_prefixes(text.split("|", 1)[0].strip())


def long_enough(key: str) -> bool:
    """At least :data:`MIN_CHARS` characters, an East Asian wide character counting two."""
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in key)
    return width >= MIN_CHARS


def identifier_key(raw: str, language: str = "") -> str | None:
    """The canonical form of one identifier, or ``None`` when it is too short or too vague to
    match on (a single common word of English or ``language``, fewer than :data:`MIN_CHARS`
    characters, too many words)."""
    words = tokens(_unwrap(fold(raw)))
    key = " ".join(words)
    if not words or len(words) > MAX_WORDS or not long_enough(key):
        return None
    common = stopwords(language)
    if all(word in common for word in words):
        return None
    return key


def name_keys(names: Iterable[str], language: str = "") -> set[str]:
    """The keys of several names (a member's name, id and usernames), the vague ones left out."""
    keys = {identifier_key(name, language) for name in names}
    return {key for key in keys if key is not None}


def grams(text: str, limit: int | None = MAX_TEXT, language: str = "") -> set[str]:
    """Every run of 1 to :data:`MAX_WORDS` words of a text (of its first ``limit`` characters),
    folded, but a single common word (of English or ``language``): an identifier is named in the
    text when its key is in this set."""
    common = stopwords(language)
    words = tokens(text if limit is None else text[:limit])
    found: set[str] = set()
    for start in range(len(words)):
        for size in range(1, MAX_WORDS + 1):
            run = words[start : start + size]
            if len(run) < size:
                break
            key = " ".join(run)
            if long_enough(key) and not (size == 1 and run[0] in common):
                found.add(key)
    return found


class NameKeys(frozenset[str]):
    """The keys of someone's names worked out once (:func:`name_keys`), to check many texts
    against the same names: :func:`names_in` takes it in place of the names themselves."""

    @classmethod
    def of(cls, names: Iterable[str]) -> NameKeys:
        return cls(name_keys(names))


def names_in(text: str, names: Iterable[str]) -> bool:
    """Whether ``text`` (all of it) names anyone by one of ``names`` (or by one of the keys of a
    :class:`NameKeys`)."""
    keys = names if isinstance(names, NameKeys) else name_keys(names)
    return bool(keys) and not keys.isdisjoint(grams(text, limit=None))


def _looks_like_username(word: str) -> bool:
    """``JoDoe``, ``AliceWMAT``, ``jodoe42``: inner capitals or digits, as usernames have."""
    if len(word) < MIN_CHARS or not any(c.isalpha() for c in word):
        return False
    inner_capital = any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))
    return inner_capital or (any(c.isdigit() for c in word) and word[0].isalpha())


def _name_runs(text: str, common: frozenset[str]) -> list[str]:
    """Runs of two to four capitalised words ("Jo Doe", "Jean-Luc Martin") within a clause,
    minus leading sentence words such as "The" or "He" (``common``, folded)."""
    names: list[str] = []
    for clause in re.split(r"[,;.!?()\[\]{}<>|\"]|\s-\s|\n", text):
        run: list[str] = []
        for word in [*clause.split(), ""]:
            if _WORD.fullmatch(word) and word[0].isupper():
                run.append(word)
                continue
            while run and fold(run[0]) in common:
                run = run[1:]
            if 2 <= len(run) <= 4:
                names.append(" ".join(run))
            run = []
    return names


def _spelled(names: Iterable[str]) -> str:
    """Alternatives as written and folded ("Użytkownik", "uzytkownik"), ``_`` or space alike."""
    forms = {form for name in names if len(name) > 2 for form in (name, fold(name))}
    ordered = sorted(forms, key=len, reverse=True)
    return "|".join(re.escape(form).replace(r"\ ", "[ _]") for form in ordered)


_NAME_CHARS = r"[^\s,;:()\[\]{}<>|\"/]"
_WIKI_USER = re.compile(
    rf"(?<!\w)(?:(?:{_spelled(USER_TALK + USER)})[ _]?:[ _]?|(?:{_spelled(CONTRIBUTIONS)})/)"
    rf"(?=({_NAME_CHARS}+(?:\s{_NAME_CHARS}+){{0,3}}))",  # a look-ahead: "User:A and User:B"
    re.IGNORECASE,
)


def _wiki_users(text: str) -> list[str]:
    """Names after a user page prefix: the first word, and capitalised words after it."""
    found: list[str] = []
    for match in _WIKI_USER.finditer(text):
        first, *more = match.group(1).split()
        kept = [first]
        for word in more:
            if not word[0].isupper():
                break
            kept.append(word)
        found.append(" ".join(kept))
    return found


def extract(text: str, language: str = "") -> set[str]:
    """Keys of the identifiers a free text names: e-mail addresses, ``@handles``, wiki user
    names, capitalised full names and username-like words. ``language`` (the report's) adds its
    common words to English's, so they are not taken for names."""
    text = clean(text[:MAX_TEXT])
    found: list[str] = []
    found += _EMAIL.findall(text)
    found += _HANDLE.findall(text)
    found += _wiki_users(text)
    found += _name_runs(text, stopwords(language))
    found += [w for w in re.findall(r"[\w.-]+", text) if _looks_like_username(w)]
    return name_keys(found, language)
