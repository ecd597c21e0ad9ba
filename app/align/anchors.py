"""Anchors: the parts of a text that a translation keeps recognisably.

Numbers (compared by value across locales), names and other capitalised words
(compared fuzzily, without accents or case), and URLs. Extracted once per segment.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

# Languages that write 1.000,5 rather than 1,000.5.
DECIMAL_COMMA = frozenset(
    "es de fr it pt nl pl ru tr cs sk sl hr sr bg ro hu da sv nb nn no fi et lv lt uk el id vi ca"
    " gl eu".split()
)

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”«»]+[^\s<>\"“”«».,;:!?)\]]")
# Groups of digits may be separated by a point, a comma, a (narrow) no-break space, or
# an apostrophe as in Swiss 10'000.
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,'’\u00a0\u202f]\d+)*(?![\w])")
WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?…:;«»“”\"¿¡(。！？：；]\s*$")
NAME_MATCH_THRESHOLD = 85.0


@dataclass(frozen=True)
class Anchors:
    numbers: tuple[frozenset[float], ...]
    names: tuple[str, ...]
    urls: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.numbers or self.names or self.urls)

    def __add__(self, other: Anchors) -> Anchors:
        return Anchors(
            self.numbers + other.numbers, self.names + other.names, self.urls + other.urls
        )


EMPTY = Anchors((), (), ())


def number_values(token: str, language: str) -> frozenset[float]:
    """The values a written number can mean.

    '0,071' is 0.071 anywhere; '10.000' is ten thousand in Spanish and ten in English, so
    a lone separator followed by exactly three digits is read both ways unless the
    language settles it.
    """
    for separator in "\u00a0\u202f'’":
        token = token.replace(separator, " ")
    groups = re.split(r"[., ]", token)
    seps = re.findall(r"[., ]", token)
    if not seps:
        return frozenset({float(token)})
    if len(set(seps)) > 1:
        # Two kinds of separator: the last one is the decimal mark.
        integer, decimal = "".join(groups[:-1]), groups[-1]
        return frozenset({float(f"{integer}.{decimal}")})
    all_thousands = all(len(g) == 3 for g in groups[1:])
    as_thousands = float("".join(groups)) if all_thousands else None
    as_decimal = float(f"{''.join(groups[:-1])}.{groups[-1]}") if len(seps) == 1 else None
    if seps[0] == " ":
        return frozenset({v for v in (as_thousands,) if v is not None} or {float(groups[0])})
    if as_thousands is None:
        return frozenset({as_decimal}) if as_decimal is not None else frozenset()
    if as_decimal is None:
        return frozenset({as_thousands})
    decimal_mark = "," if language in DECIMAL_COMMA else "."
    if groups[0] == "0":
        return frozenset({as_decimal})
    return frozenset({as_decimal if seps[0] == decimal_mark else as_thousands})


def digits(token: str) -> str:
    """A written number's digits alone, without leading zeros: "10.000", "10,000" and
    "10'000" all give "10000" (a cheap key where the value cannot be settled)."""
    return re.sub(r"\D", "", token).lstrip("0") or "0"


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Lower case without accents: 'López' and 'LOPEZ' both become 'lopez'. Cached: a
    document folds the same words over and over (its QA checks fold every pair twice)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def capitalised_words(text: str) -> list[str]:
    """Capitalised words that do not open a sentence: mostly names and titles."""
    words = []
    for match in WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or len(word) < 2:
            continue
        before = text[: match.start()].rstrip()
        if not before or SENTENCE_END.search(before):
            continue
        words.append(fold(word))
    return words


def extract(text: str, language: str) -> Anchors:
    urls = tuple(URL.findall(text))
    stripped = URL.sub(" ", text)
    numbers = tuple(
        values for token in NUMBER.findall(stripped) if (values := number_values(token, language))
    )
    return Anchors(numbers, tuple(capitalised_words(stripped)), urls)


def agreement(a: Anchors, b: Anchors) -> float | None:
    """F1 of anchors matched one to one between the two sides; None when both have none."""
    total = len(a.numbers) + len(a.names) + len(a.urls)
    total += len(b.numbers) + len(b.names) + len(b.urls)
    if total == 0:
        return None
    matched = _match(a.numbers, b.numbers, lambda x, y: bool(x & y))
    matched += _match(a.names, b.names, _same_name)
    matched += _match(a.urls, b.urls, lambda x, y: x.rstrip("/") == y.rstrip("/"))
    return 2 * matched / total


def _same_name(a: str, b: str) -> bool:
    return a == b or fuzz.ratio(a, b) >= NAME_MATCH_THRESHOLD


def _match(left, right, same) -> int:
    """Greedy one-to-one matching; good enough for the handful of anchors in a bead."""
    unused = list(right)
    count = 0
    for item in left:
        for k, candidate in enumerate(unused):
            if same(item, candidate):
                count += 1
                del unused[k]
                break
    return count
