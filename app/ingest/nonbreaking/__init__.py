"""Non-breaking prefixes: abbreviations after which a full stop does not end a sentence.

Each language module (``es``, ``en``, ``de``, ``fr``; ``common`` for every language and as
the fallback) lists its abbreviations in two strengths:

- ``STRONG``: a full stop after them never ends a sentence: titles ("Sr.", "Dr."), "p. ej.",
  "z. B.", "núm." (which always has a number after it);
- ``WEAK``: they can end a sentence, so the sentence goes on only when the next word starts in
  lower case or with a digit: "etc.", "a. m.", "EE. UU.", "No." (English "No. 5" but "No. That
  is wrong.").

Entries are whitespace-separated and written without inner spaces ("EE.UU.", "p.ej."); the
splitter matches them with or without spaces between their parts ("EE. UU." and "EE.UU.").
An entry that starts in lower case also matches capitalised, at the start of a sentence
("Vgl.", "P. ej.").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from app.ingest.nonbreaking import common, de, en, es, fr

_LANGUAGE_MODULES: dict[str, ModuleType] = {"de": de, "en": en, "es": es, "fr": fr}


@dataclass(frozen=True)
class Prefixes:
    """The non-breaking prefixes of one language, capitalised variants included.

    ``continuations`` maps the first parts of a multi-part abbreviation ("EE.") to the parts
    that complete it ("UU."). ``months`` and ``ordinal_leads`` are only set for languages that
    write ordinal numbers with a full stop (German "am 3. Juli", "im 19. Jahrhundert").
    """

    strong: frozenset[str]
    weak: frozenset[str]
    continuations: dict[str, frozenset[str]]
    months: frozenset[str] = frozenset()
    ordinal_leads: frozenset[str] = frozenset()


def supported_languages() -> tuple[str, ...]:
    """Return the codes of the languages with their own list; the others use ``common``."""
    return tuple(sorted(_LANGUAGE_MODULES))


@lru_cache(maxsize=64)
def prefixes_for(language: str) -> Prefixes:
    """Return the non-breaking prefixes for ``language`` (an ISO 639-1 code, "es-MX" works)."""
    module = _LANGUAGE_MODULES.get(language.split("-")[0].split("_")[0].lower())
    own_strong = _entries(getattr(module, "STRONG", ""))
    own_weak = _entries(getattr(module, "WEAK", ""))
    # A language's own weak entry overrides a common strong one: it knows its words better.
    strong = (_entries(common.STRONG) | own_strong) - own_weak
    weak = (_entries(common.WEAK) | own_weak) - strong
    return Prefixes(
        strong=strong,
        weak=weak,
        continuations=_continuations(strong | weak),
        months=frozenset(getattr(module, "MONTHS", "").split()),
        ordinal_leads=frozenset(getattr(module, "ORDINAL_LEADS", "").split()),
    )


def _entries(listing: str) -> frozenset[str]:
    """Return the entries of a whitespace-separated ``listing``, with capitalised variants."""
    entries = set(listing.split())
    entries |= {entry[0].upper() + entry[1:] for entry in entries if entry[0].islower()}
    return frozenset(entries)


def _continuations(entries: frozenset[str]) -> dict[str, frozenset[str]]:
    """Return, for each leading run of parts of a multi-part entry, the rests that complete it."""
    rests: dict[str, set[str]] = {}
    for entry in entries:
        parts = entry.split(".")[:-1]  # "EE.UU." -> ["EE", "UU"]
        for count in range(1, len(parts)):
            head = ".".join(parts[:count]) + "."
            rests.setdefault(head, set()).add(entry[len(head) :])
    return {head: frozenset(tails) for head, tails in rests.items()}
