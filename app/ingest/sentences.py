"""Splitting one paragraph into sentences: ICU's sentence rules, then per-language repairs.

ICU (through PyICU) proposes the breaks. It already keeps decimals ("0,071", "1.6"),
thousands ("10.000"), URLs and e-mail addresses whole, does not break before a lower-case word
after a full stop ("etc. y"), nor between "?" and a closing quote followed by a comma
("“¿Vienes?”, dijo"), and splits Chinese and Japanese at 。！？.

What it gets wrong is repaired here, with the lists of non-breaking prefixes in
``app.ingest.nonbreaking``:

- a full stop after an abbreviation or an initial ("Sr. López", "EE. UU. a las", "J. R. R.
  Tolkien", "z. B. Berlin") ends no sentence: strong prefixes always continue, weak ones only
  before a lower-case word or a digit ("a. m. con" continues, "EE. UU. El presidente" breaks);
- "?" or "!" followed by a lower-case word does not end the sentence ("“Why?” she asked");
- a closing quote or bracket cut off by a space stays with its sentence (French "« Oui ! »");
- a German ordinal stays with what it numbers ("am 3. Juli", "im 19. Jahrhundert");
- a list number alone ("1.") is not a sentence;
- "…" before an upper-case word ends a sentence, as "..." already does in ICU, and so can a
  full stop before a dialogue dash ("No. —¿Vienes? —preguntó.").

ICU's own abbreviation filter (the ``ss=standard`` locale option) is not used for splitting,
only offered by ``icu_sentences`` for comparison: it matches the end of the word before a full
stop, not the whole word, so Spanish "tiene." or "usted." pass for its abbreviations "ene." and
"ed.", German "hier." for "r.", and real sentence ends are lost.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

import icu

from app.ingest.nonbreaking import Prefixes, prefixes_for

# Marks that can open a sentence or a quotation; skipped when looking at the first word.
_OPENERS = "\"'“‘«‹„‚([{¿¡—–-「『（"
# Marks that close a quotation or a bracket in the languages we know best.
_CLOSERS = "\"'”’»›)]}）」』"
# How many whitespace-separated parts an abbreviation can have ("a. e. c.").
_MAX_PARTS = 4
_ORDINAL = re.compile(r"\d{1,3}\.")
_NUMBER = re.compile(r"\d+\.?")
_LIST_MARKER = re.compile(r"(?:\d{1,3}|[IVXLC]+)\.")
_LEADING_OPENERS = re.compile(rf"[\s{re.escape(_OPENERS)}]*")
_ELLIPSIS_THEN_SPACE = re.compile(r"…[\"'”’»›]*\s+")
_STOP_THEN_DASH = re.compile(r"[.!?…][\"'”’»›)]*\s+(?=[—–])")


class SplitCase(NamedTuple):
    """A paragraph in ``language`` and the sentences it should be split into."""

    language: str
    paragraph: str
    sentences: tuple[str, ...]


Splitter = Callable[[str, str], list[str]]


class _Strength(Enum):
    """How firmly an abbreviation keeps its sentence going (see ``app.ingest.nonbreaking``)."""

    STRONG = "strong"
    WEAK = "weak"


def split_sentences(text: str, language: str) -> list[str]:
    """Return the sentences of the paragraph ``text`` in ``language`` (ISO 639-1), trimmed.

    Only whitespace between sentences is dropped: joined together, the sentences hold every
    other character of ``text`` in order. An empty or blank text has no sentences.
    """
    prefixes = prefixes_for(language)
    ends: list[int] = []
    start = 0
    for candidate in _candidate_breaks(text, language):
        cut = _past_orphaned_closers(text, candidate)
        if start < cut < len(text) and _sentence_ends(text[start:cut], text[cut:], prefixes):
            ends.append(cut)
            start = cut
    return _cut(text, ends)


def unit_sentences(texts: Sequence[str], language: str) -> list[tuple[int, str]]:
    """(unit position, sentence) for every sentence of ``texts`` (paragraphs or headings)
    in order; a unit with no sentence break is one sentence, a blank one is kept whole."""
    return [
        (position, sentence)
        for position, text in enumerate(texts)
        for sentence in split_sentences(text, language) or [text]
    ]


def icu_sentences(text: str, language: str, *, suppressions: bool = False) -> list[str]:
    """Return the sentences ICU alone finds in ``text``, trimmed; the baseline for evaluation.

    With ``suppressions`` the locale gets ICU's ``ss=standard`` option (its abbreviation lists).
    """
    return _cut(text, _icu_breaks(text, _locale_id(language, suppressions)))


def evaluate_splits(
    cases: Iterable[SplitCase], split: Splitter = split_sentences
) -> tuple[int, int]:
    """Return how many ``cases`` ``split`` gets exactly right, and how many cases there are."""
    outcomes = [tuple(split(case.paragraph, case.language)) == case.sentences for case in cases]
    return sum(outcomes), len(outcomes)


def _candidate_breaks(text: str, language: str) -> list[int]:
    """Return the offsets inside ``text`` where a sentence might end, in order.

    Besides ICU's breaks: after "…" (see ``_ellipsis_breaks``), and before a dash that opens a
    line of dialogue ("No. —¿Vienes?"), where ICU never breaks (Unicode counts dashes as
    continuing a sentence).
    """
    breaks = set(_icu_breaks(text, _locale_id(language, suppressions=False)))
    breaks.update(_ellipsis_breaks(text))
    breaks.update(match.end() for match in _STOP_THEN_DASH.finditer(text))
    return sorted(breaks)


def _locale_id(language: str, suppressions: bool) -> str:
    """Return the ICU locale ID for ``language``, with ICU's abbreviation filter if asked."""
    return f"{language}@ss=standard" if suppressions else language


def _icu_breaks(text: str, locale_id: str) -> list[int]:
    """Return the offsets (in code points) of ICU's sentence breaks inside ``text``."""
    iterator, lock = _shared_break_iterator(locale_id)
    # An iterator holds the text it walks: one text at a time, whichever thread asks.
    with lock:
        iterator.setText(text)
        utf16_offsets = list(iterator)
    return [offset for offset in _code_point_offsets(text, utf16_offsets) if offset < len(text)]


@lru_cache(maxsize=64)
def _shared_break_iterator(locale_id: str) -> tuple[icu.BreakIterator, threading.Lock]:
    """Return ICU's sentence iterator for ``locale_id`` and its lock, built once (it is slow)."""
    return icu.BreakIterator.createSentenceInstance(icu.Locale(locale_id)), threading.Lock()


def _code_point_offsets(text: str, utf16_offsets: list[int]) -> list[int]:
    """Return ICU's UTF-16 offsets into ``text`` as Python string offsets."""
    if not text or max(text) < "\U00010000":
        return utf16_offsets  # no surrogate pairs: both count the same
    offset_of: dict[int, int] = {}
    units = 0
    for offset, char in enumerate(text):
        offset_of[units] = offset
        units += 2 if char >= "\U00010000" else 1
    offset_of[units] = len(text)
    return [offset_of[utf16_offset] for utf16_offset in utf16_offsets]


def _ellipsis_breaks(text: str) -> list[int]:
    """Return the offsets after a "…" that is followed by an upper-case word.

    ICU does not count "…" as a sentence end. An ellipsis inside brackets, "(…)", marks a cut in
    a quotation and is left alone.
    """
    breaks = []
    for match in _ELLIPSIS_THEN_SPACE.finditer(text):
        after_bracket = match.start() > 0 and text[match.start() - 1] in "(["
        first_letter = _past_openers(text[match.end() :])[:1]
        if not after_bracket and first_letter.isupper():
            breaks.append(match.end())
    return breaks


def _past_orphaned_closers(text: str, offset: int) -> int:
    """Return ``offset`` moved past closing marks that ICU cut off from their sentence.

    ICU breaks after "? " in French "« Oui ! » répond-il", leaving "»" at the start of the next
    piece; the mark and the space after it belong to the sentence before.
    """
    if offset == 0 or not text[offset - 1].isspace():
        return offset
    end = offset
    while end < len(text) and _is_closing_mark(text, end):
        end += 1
    if end == offset:
        return offset
    while end < len(text) and text[end].isspace():
        end += 1
    return end


def _is_closing_mark(text: str, offset: int) -> bool:
    """Return True when the character at ``offset`` closes a quotation or bracket.

    A quote followed by a letter or digit opens one instead (German "»Ja«", straight quotes).
    """
    following = text[offset + 1 : offset + 2]
    return text[offset] in _CLOSERS and not following.isalnum()


def _sentence_ends(sentence: str, rest: str, prefixes: Prefixes) -> bool:
    """Return True when a sentence really ends between ``sentence`` and ``rest``."""
    return bool(rest.strip()) and not _sentence_goes_on(sentence, rest, prefixes)


def _sentence_goes_on(sentence: str, rest: str, prefixes: Prefixes) -> bool:
    """Return True when ``rest`` continues ``sentence`` although ICU broke between them."""
    strength = _prefix_strength(sentence, prefixes)
    return (
        _is_list_marker(sentence)
        or _starts_with_lower_case_word(rest)
        or strength is _Strength.STRONG
        or (strength is _Strength.WEAK and _starts_with_digit(rest))
        or _is_inside_abbreviation(sentence, rest, prefixes)
        or _is_ordinal_of_next_word(sentence, rest, prefixes)
    )


def _prefix_strength(sentence: str, prefixes: Prefixes) -> _Strength | None:
    """Return the strength of the abbreviation or initial ``sentence`` ends with, if any.

    The longest abbreviation wins, so that "a. C." is the weak era, not the initial "C.".
    """
    for ending in _abbreviation_endings(sentence):
        if ending in prefixes.strong:
            return _Strength.STRONG
        if ending in prefixes.weak:
            return _Strength.WEAK
    words = sentence.split()
    if words and _is_initials(words[-1].lstrip(_OPENERS)):
        return _Strength.STRONG
    return None


def _abbreviation_endings(sentence: str) -> list[str]:
    """Return the last 1 to 4 dotted words of ``sentence`` joined without spaces, longest first.

    "llegó a EE. UU." gives ["EE.UU.", "UU."]: multi-part abbreviations are listed without
    inner spaces, and every part of one ends with a full stop.
    """
    words = sentence.split()[-_MAX_PARTS:]
    endings = []
    for count in range(1, len(words) + 1):
        parts = words[-count:]
        parts[0] = parts[0].lstrip(_OPENERS)
        if not all(part.endswith(".") and len(part) > 1 for part in parts):
            break
        endings.append("".join(parts))
    return endings[::-1]


def _is_initials(word: str) -> bool:
    """Return True for one or more dotted capital letters: "J.", "R.", "J.R.R."."""
    letters = word.split(".")
    return (
        word.endswith(".")
        and letters[-1] == ""
        and all(len(letter) == 1 and letter.isupper() for letter in letters[:-1])
    )


def _is_inside_abbreviation(sentence: str, rest: str, prefixes: Prefixes) -> bool:
    """Return True when ``sentence`` ends with the first parts of an abbreviation ``rest`` ends.

    ICU breaks "EE. | UU." because "UU" is upper case; "EE." alone is no abbreviation.
    """
    following = "".join(rest.split()[:_MAX_PARTS])
    return any(
        following.startswith(tail)
        for ending in _abbreviation_endings(sentence)
        for tail in prefixes.continuations.get(ending, ())
    )


def _is_ordinal_of_next_word(sentence: str, rest: str, prefixes: Prefixes) -> bool:
    """Return True when ``sentence`` ends with an ordinal number ("3.") that ``rest`` goes on.

    Only for languages that write ordinals with a full stop (``prefixes.months`` set): before a
    month or another number ("am 3. Juli", "3. 7. 2024"), or after a word that announces an
    ordinal ("im 19. Jahrhundert", "den 2. Platz"). "auf Platz 3. Dann …" still breaks.
    """
    words = sentence.split()
    if not prefixes.months or not words or not _ORDINAL.fullmatch(words[-1].lstrip(_OPENERS)):
        return False
    following = rest.split()[0].rstrip(",;:")
    if following in prefixes.months or _NUMBER.fullmatch(following):
        return True
    return len(words) > 1 and words[-2].lstrip(_OPENERS).lower() in prefixes.ordinal_leads


def _is_list_marker(sentence: str) -> bool:
    """Return True when ``sentence`` is only a list number: "1.", "IV."."""
    return bool(_LIST_MARKER.fullmatch(sentence.strip()))


def _starts_with_lower_case_word(text: str) -> bool:
    """Return True when the first word of ``text`` (past opening marks) is all lower case.

    A word with a capital inside ("iPhone", "eBay") does not count: it can start a sentence.
    """
    word = re.match(r"[^\W\d_]*", _past_openers(text)).group()
    return word[:1].islower() and not any(letter.isupper() for letter in word)


def _starts_with_digit(text: str) -> bool:
    """Return True when ``text`` (past whitespace and opening marks) starts with a digit."""
    return _past_openers(text)[:1].isdigit()


def _past_openers(text: str) -> str:
    """Return ``text`` without the whitespace and opening marks it starts with."""
    return text[_LEADING_OPENERS.match(text).end() :]


def _cut(text: str, ends: list[int]) -> list[str]:
    """Return the trimmed, non-empty pieces of ``text`` between the offsets ``ends``."""
    bounds = [0, *ends, len(text)]
    pieces = (text[start:end].strip() for start, end in zip(bounds, bounds[1:], strict=False))
    return [piece for piece in pieces if piece]
