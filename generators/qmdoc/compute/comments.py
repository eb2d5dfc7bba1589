"""Customers' own words: redaction, themes and the publishable decision.

A comment is one non-empty cell of a comment column. This module decides nothing about files or
pages; it turns comment texts into figures and into texts that are safe to publish.

**Redaction** (:func:`redact`) replaces every e-mail address, URL, phone number, Chinese resident
ID number and declared personal value by one redaction. :class:`Redacted` keeps the surviving text
pieces, so a page joins them with the marker of its own language (``[redacted]`` is the English
one and the default); a customer who typed a marker-like text is never confused with a redaction.
Detection runs on a copy of the text whose full-width characters (``１３８``, ``＠``, ideographic
space) are folded to ASCII one for one, so the offsets stay those of the original. Kinds:

* ``email``: ``local@domain.tld`` (ASCII; ``＠`` folded), also directly between Chinese characters.
* ``url``: starts with ``http://``, ``https://`` or ``www.`` and runs over ASCII URL characters,
  so Chinese text directly after it is kept; trailing ``.,;:!?`` are not part of it. A bare
  domain (``example.com``) is not a URL here.
* ``id_number``: a Chinese resident ID, 18 characters (6-digit area code starting 1..9, birth date
  19xx/20xx (or 18xx) with a valid month and day, 3 digits, a check digit or ``X``) or the old
  15-digit form (area code, ``YYMMDD``, 3 digits). The check digit is not verified: a mistyped ID
  number is still somebody's ID number.
* ``phone``: see the rule below.
* ``personal``: the exact values of the columns the instrument declares personal (names,
  companies, order numbers), passed for the whole export, not only the respondent's row. Latin
  text is matched case-insensitively and never inside a longer word: where a value begins or ends
  with a Latin letter or digit, the neighbouring character must not be one. Chinese has no word
  boundaries, so a value is matched wherever it occurs (a name ``王伟`` is also redacted inside
  ``王伟强``: over-redaction is the safe side). Values shorter than 2 characters, and values of
  only digits with 4 digits or fewer (they would hit scores, years and quantities), are ignored.

Where spans of several kinds overlap they become one redaction, counted once, under the first
kind in :data:`KINDS` among them; spans that merely touch stay separate redactions.

**Phone or quantity.** A number is a phone number only in one of these shapes (digits counted
without separators; a separator is one space or hyphen, and for international numbers also a dot
or a parenthesised group):

1. International: ``+`` or ``00`` and a country code, then groups, 8 or more digits in all
   (``+49 30 1234567``, ``+1 (555) 123-4567``, ``+86 (0)21 6234 5678``, ``0049 30 1234567``).
2. Chinese mobile: 11 digits ``1[3-9]x xxxx xxxx``, unbroken or grouped 3-4-4 (``13812345678``,
   ``139-1234-5678``, ``138 1234 5678``), also after the country code 86 without a plus
   (``8613812345678``, as some survey platforms store it).
3. Chinese landline: trunk 0 and area code (``010``, ``02x``, ``0xxx`` with x in 3..9 first),
   optionally in parentheses, then 7 or 8 digits starting 2..9, unbroken or grouped 3-4 or 4-4,
   optionally an extension ``-801`` or ``转801`` (``021-62345678``, ``0755-8888 8888``,
   ``(021) 6234 5678``).
4. North American 3-3-4 with separators (``555-123-4567``, ``(555) 123-4567``).
5. After a phone word (``电话``, ``手机``, ``座机``, ``传真``, ``tel``, ``phone``, ``mobile``,
   ``fax``, ``call me``, ...): any run of 7 to 15 digits, so local numbers like ``6234 5678``.

A phone number stands alone: no Latin letter (also accented, ``À``..``ɏ``) or digit directly
before or after it, so digits inside a longer code (a file hash ``a3f13812345678bc``, an order
or serial number ``PO13812345678X``, ``SN021-62345678B``) are kept, and an international number
glued to a letter is kept whole, never cut short to the part before it. Chinese characters,
spaces and punctuation are no glue (``电话13812345678联系`` is redacted), nor is an opening
parenthesis (``Tel(021) 6234 5678``) or the phone word of shape 5 (``tel13812345678``).

Everything else is an ordinary number and is kept: numbers grouped with commas or with a decimal
point (``1,200,000``, ``¥12.50``), scores (``9分``, ``8/10``), years, ISO dates (``2025-03-14``,
4-2-2), percentages, quantities (``500 pcs``, ``3000件``) and short part numbers. An unbroken
11-digit number starting 13..19 or a 10..12-digit one starting with an area code is taken as a
phone number: quantities that large are written with commas or with 万/亿.

**Themes** (:func:`compile_themes`, :func:`comment_themes`): a comment counts once for a theme
when any of its keywords occurs. A keyword with a Chinese character is looked for in the jieba
segmentation of the comment (the keywords are added to jieba's dictionary first, so ``包装破损``
stays one word): it counts when it lies within one word (``速度`` in ``速度慢``) and never across
a word boundary (``准时`` is not in ``标准时间``). Any other keyword is matched on Latin word
boundaries, case-insensitively, with the endings s, es, d, ed and ing, and ing in place of a
final e (``delay`` also matches delays, delayed, delaying; ``invoice`` matches invoices, invoiced,
invoicing; nothing else: ``pricey`` is not ``price``); spaces in a keyword match any run of white
space.

The module is pure apart from jieba's dictionary, which is loaded once, quietly.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..models.survey import PUBLISHABLE_SPELLINGS, PublishableError, parse_publishable

__all__ = [
    "KINDS", "REDACTED", "PUBLISHABLE_SPELLINGS", "NON_ANSWERS", "Redacted", "PersonalValues",
    "Themes", "Comment", "WaveComments", "PublishableError", "redact", "personal_values",
    "compile_themes", "comment_themes", "parse_publishable", "wave_comments",
]

#: Kinds of redaction, in the order that decides the kind of overlapping spans.
KINDS: tuple[str, ...] = ("email", "url", "id_number", "phone", "personal")

#: The English marker of a redaction (the default of :meth:`Redacted.render`).
REDACTED = "[redacted]"

#: Answers that say "no comment"; like an empty cell they are not comments (compared
#: case-insensitively after stripping white space).
NON_ANSWERS: frozenset[str] = frozenset({
    "无", "没有", "暂无", "无建议", "没有建议", "no", "none", "n/a", "na", "nothing", "-", "/", "—",
})

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, folded one character for one.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_LATIN = "0-9A-Za-z\u00c0-\u024f"
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]++@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+", re.IGNORECASE)
_ID = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx]|[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3})(?![0-9A-Za-z])"
)
# a phone number is never glued to a Latin letter or digit (a hash, an order number), on either side
_ALONE_BEFORE = f"(?<![{_LATIN}])"
_ALONE_AFTER = f"(?![{_LATIN}])"
_PHONES = (
    # possessive: a number glued to a letter is no phone number, not a phone number cut short
    re.compile(f"(?<![{_LATIN}+])" + r"(?:\+|00)[1-9](?:[ \-.]?(?:\([0-9]{1,4}\)|[0-9]+))++" + _ALONE_AFTER),
    re.compile(_ALONE_BEFORE + r"(?:86[ \-]?)?1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4}" + _ALONE_AFTER),
    re.compile(
        r"(?:(?<![0-9])\(0(?:10|2[0-9]|[3-9][0-9]{2})\)|" + _ALONE_BEFORE + r"0(?:10|2[0-9]|[3-9][0-9]{2}))[ \-]?"
        r"[2-9][0-9]{2,3}[ \-]?[0-9]{4}(?:(?:-|转)[0-9]{1,5})?" + _ALONE_AFTER
    ),
    re.compile(r"(?:(?<![0-9])\([2-9][0-9]{2}\) ?|" + _ALONE_BEFORE + r"[2-9][0-9]{2}[\-. ])[2-9][0-9]{2}[\-. ][0-9]{4}"
               + _ALONE_AFTER),
    re.compile(
        r"(?i)(?<![A-Za-z])(?:联系电话|电话号码|手机号码|手机号|电话|手机|座机|传真|telephone|tel|phone|"
        r"mobile|cell|fax|whatsapp|(?:call|ring|reach|text) me(?: on| at)?)(?:\s*(?:is|是|为|[:：]))?"
        r"\s*(?P<number>[0-9](?:[ \-]?[0-9]){6,14})" + _ALONE_AFTER
    ),
)


# --------------------------------------------------------------------------- redaction


@dataclass(frozen=True)
class PersonalValues:
    """The declared personal values of an export, prepared once for all its comments.

    Attributes:
        values: the values that are matched (after dropping the ones too short to be safe), with
            runs of white space made one space, longest first.
        keys: each value case-folded: a comment is only searched for the values whose key it
            contains (case-folded, white space made single spaces), so thousands of names cost a
            substring test each, not a regular expression each.
    """

    values: tuple[str, ...]
    keys: tuple[str, ...]


def personal_values(values: Iterable[Any]) -> PersonalValues:
    """Prepare the values of the personal columns (None, NaN and blanks are skipped)."""
    kept: set[str] = set()
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        text = " ".join(str(value).translate(_FOLD).split())
        if len(text) < 2 or (text.isdigit() and len(text) <= 4):
            continue
        kept.add(text)
    ordered = tuple(sorted(kept, key=lambda v: (-len(v), v)))
    return PersonalValues(ordered, tuple(v.casefold() for v in ordered))


@functools.lru_cache(maxsize=256)
def _personal_pattern(values: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(_value_pattern, values)), re.IGNORECASE)


def _value_pattern(value: str) -> str:
    body = r"\s+".join(re.escape(part) for part in value.split(" "))
    before = f"(?<![{_LATIN}])" if re.match(f"[{_LATIN}]", value[0]) else ""
    after = f"(?![{_LATIN}])" if re.match(f"[{_LATIN}]", value[-1]) else ""
    return before + body + after


@dataclass(frozen=True)
class Redacted:
    """A comment after redaction.

    Attributes:
        pieces: the kept text, in order; one redaction stands between each two consecutive pieces
            (so there are ``len(kinds) + 1`` pieces, empty ones where redactions touch or a text
            starts or ends with one).
        kinds: the kind (one of :data:`KINDS`) of each redaction, in order.
    """

    pieces: tuple[str, ...]
    kinds: tuple[str, ...]

    @property
    def text(self) -> str:
        """The text with the English marker."""
        return self.render(REDACTED)

    @property
    def counts(self) -> dict[str, int]:
        """Redactions per kind, every kind of :data:`KINDS` present."""
        return {kind: self.kinds.count(kind) for kind in KINDS}

    def render(self, marker: str = REDACTED) -> str:
        """The text with ``marker`` (the page language's) in place of every redaction."""
        return marker.join(self.pieces)


def redact(text: str, personal: PersonalValues | Iterable[Any] = ()) -> Redacted:
    """Redact contact details, ID numbers and personal values from ``text`` (see the module)."""
    if not isinstance(personal, PersonalValues):
        personal = personal_values(personal)
    folded = text.translate(_FOLD)
    spans = sorted(_spans(folded, personal))
    merged: list[list[int]] = []  # [start, end, rank of the kind]
    for start, end, rank in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = min(merged[-1][2], rank)
        else:
            merged.append([start, end, rank])
    pieces, position = [], 0
    for start, end, _ in merged:
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return Redacted(tuple(pieces), tuple(KINDS[rank] for _, _, rank in merged))


def _spans(folded: str, personal: PersonalValues) -> Iterable[tuple[int, int, int]]:
    """``(start, end, rank in KINDS)`` of every detected span, overlapping ones included."""
    for match in _EMAIL.finditer(folded):
        yield match.start(), match.end(), 0
    for match in _URL.finditer(folded):
        end = match.start() + len(match.group().rstrip(".,;:!?"))
        yield match.start(), end, 1
    for match in _ID.finditer(folded):
        yield match.start(), match.end(), 2
    for index, pattern in enumerate(_PHONES):
        group = "number" if "number" in pattern.groupindex else 0
        for match in pattern.finditer(folded):
            if index == 0 and sum(c.isdigit() for c in match.group()) < 8:
                continue  # "+12%", "+5 points": too short for an international number
            yield match.start(group), match.end(group), 3
    key_text = " ".join(folded.casefold().split())
    present = tuple(v for v, key in zip(personal.values, personal.keys) if key in key_text)
    if present:
        for match in _personal_pattern(present).finditer(folded):
            yield match.start(), match.end(), 4


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class Themes:
    """A compiled theme dictionary.

    Attributes:
        names: the themes in declaration order.
        latin: theme -> one pattern over its Latin keywords (None when it has none).
        chinese: theme -> its keywords with a Chinese character, lower-cased.
        words: every Chinese keyword, sorted: the words added to jieba's dictionary.
    """

    names: tuple[str, ...]
    latin: Mapping[str, re.Pattern[str] | None]
    chinese: Mapping[str, frozenset[str]]
    words: tuple[str, ...]


def compile_themes(themes: Mapping[str, Sequence[str]]) -> Themes:
    """Compile ``{theme: [keywords]}`` (blank keywords are ignored)."""
    latin: dict[str, re.Pattern[str] | None] = {}
    chinese: dict[str, frozenset[str]] = {}
    for theme, keywords in themes.items():
        words = [" ".join(str(k).translate(_FOLD).split()).lower() for k in keywords]
        han = frozenset(w for w in words if _CJK.search(w))
        other = sorted({w for w in words if w and w not in han}, key=lambda w: (-len(w), w))
        chinese[theme] = han
        alternatives = "|".join(map(_keyword_pattern, other))
        pattern = f"(?<![{_LATIN}])(?:{alternatives})(?![{_LATIN}])"
        latin[theme] = re.compile(pattern, re.IGNORECASE) if other else None
    words = tuple(sorted(set().union(*chinese.values())))
    return Themes(tuple(themes), latin, chinese, words)


def _keyword_pattern(keyword: str) -> str:
    """A Latin keyword with its endings; a final e may also give way to ing (invoice, invoicing)."""
    body = r"\s+".join(map(re.escape, keyword.split(" ")))
    forms = body + "(?:s|es|d|ed|ing)?"
    return forms + "|" + body[:-1] + "ing" if keyword.endswith("e") else forms


def comment_themes(text: str, themes: Themes) -> frozenset[str]:
    """The themes ``text`` touches (each at most once)."""
    folded = text.translate(_FOLD)
    tokens: list[str] = []
    if themes.words and _CJK.search(folded):
        tokens = _tokenizer(themes.words).lcut(folded.lower(), HMM=False)  # keywords are lower-case
    found = set()
    for theme in themes.names:
        pattern = themes.latin[theme]
        if pattern is not None and pattern.search(folded):
            found.add(theme)
        elif any(word in token for word in themes.chinese[theme] for token in tokens):
            found.add(theme)
    return frozenset(found)


@functools.cache
def _jieba() -> Any:
    """jieba's default dictionary, loaded once. Its import may warn on current Pythons and
    setuptools (escape sequences in its source, ``pkg_resources``) and its loading logs to stderr:
    both are silenced here, and only here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.filterwarnings("ignore", message=".*pkg_resources", category=UserWarning)
        import jieba

        logger = logging.getLogger("jieba")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        try:
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
        finally:
            logger.setLevel(level)
    return tokenizer


@functools.lru_cache(maxsize=8)
def _tokenizer(words: tuple[str, ...]) -> Any:
    """A tokenizer with ``words`` added to a copy of the default dictionary, so that the result
    for one theme dictionary never depends on another one compiled before it."""
    base = _jieba()
    tokenizer = type(base)()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base.FREQ), base.total, True
    for word in words:
        if " " not in word:
            tokenizer.add_word(word)
    return tokenizer


# --------------------------------------------------------------------------- publishable


# --------------------------------------------------------------------------- one wave


@dataclass(frozen=True)
class Comment:
    """One comment cell: its text and whether the quality team marked it publishable."""

    text: str
    publishable: bool


@dataclass(frozen=True)
class WaveComments:
    """The comments of one wave.

    Attributes:
        n: comments (non-empty cells that are not one of :data:`NON_ANSWERS`).
        published: how many of them were marked publishable.
        themes: theme -> comments touching it, in declaration order; None (suppressed) when
            fewer than ``min_cell_n``, zero included.
        texts: the published comments, redacted, in input order (for pages only).
        redactions: kind -> redactions over the published comments.
    """

    n: int
    published: int
    themes: Mapping[str, int | None]
    texts: tuple[Redacted, ...]
    redactions: Mapping[str, int]

    @property
    def shares(self) -> dict[str, float | None]:
        """Theme -> its comments as a percentage of the wave's comments (``100 * themes[t] / n``);
        None where the count is suppressed."""
        return {t: None if k is None else 100 * k / self.n for t, k in self.themes.items()} if self.n else {}

    def as_json(self) -> dict[str, Any]:
        """``{"n", "published", "themes"}``; never the texts."""
        return {"n": self.n, "published": self.published, "themes": dict(self.themes)}


def wave_comments(
    comments: Iterable[Comment], themes: Themes, personal: PersonalValues, min_cell_n: int
) -> WaveComments:
    """Count, theme and redact the comments of one wave. Themes count every comment, publishable
    or not; only the publishable ones are redacted and kept."""
    n = 0
    counts = dict.fromkeys(themes.names, 0)
    texts: list[Redacted] = []
    for comment in comments:
        text = comment.text.strip()
        if not text or text.lower() in NON_ANSWERS:
            continue
        n += 1
        for theme in comment_themes(text, themes):
            counts[theme] += 1
        if comment.publishable:
            texts.append(redact(text, personal))
    redactions = {kind: sum(r.counts[kind] for r in texts) for kind in KINDS}
    shown = {theme: (c if c >= min_cell_n else None) for theme, c in counts.items()}
    return WaveComments(n, len(texts), shown, tuple(texts), redactions)
