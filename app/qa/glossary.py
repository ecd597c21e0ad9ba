"""A project glossary (source term → accepted target terms) read from CSV, and its check.

The CSV has two columns, source term and target term, with an optional header row
``source,target``; a third column (a note) is ignored. A source term may have several
accepted translations, on several rows or separated by ``|``. Terms are matched without
case or accents, at the start of a word, so "frontera" also finds "fronteras".
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.align.anchors import fold
from app.ingest.errors import IngestError, one_line
from app.ingest.text import decode_text
from app.qa.base import Check, QaPair

MAX_GLOSSARY_BYTES = 5 * 1024 * 1024
MAX_TERMS = 50_000


@dataclass(frozen=True)
class Term:
    """A source term with its accepted translations, kept folded for matching."""

    source: str
    targets: tuple[str, ...]
    pattern: re.Pattern[str]


def term_pattern(term: str) -> re.Pattern[str]:
    """Return a pattern finding folded ``term`` at the start of a word in folded text."""
    return re.compile(r"(?<!\w)" + re.escape(fold(term)))


@dataclass(frozen=True)
class Glossary:
    """Term pairs to enforce; build one with ``read_glossary`` or ``parse_glossary``."""

    terms: tuple[Term, ...]

    def __len__(self) -> int:
        return len(self.terms)


def parse_glossary(text: str, name: str = "glossary") -> Glossary:
    """Return the glossary in CSV ``text``; raise IngestError when it has no usable row."""
    try:
        accepted = _accepted_terms(text, name)
    except csv.Error as error:
        raise IngestError(f"{name}: not a readable CSV file ({one_line(error)})") from None
    if not accepted:
        raise IngestError(f"{name}: the glossary has no terms")
    if len(accepted) > MAX_TERMS:
        raise IngestError(f"{name}: the glossary has more than {MAX_TERMS} terms")
    terms = tuple(
        Term(source, tuple(dict.fromkeys(targets)), term_pattern(source))
        for source, targets in accepted.items()
    )
    return Glossary(terms)


def _accepted_terms(text: str, name: str) -> dict[str, list[str]]:
    """Return the accepted targets of each source term in CSV ``text``; csv.Error escapes."""
    accepted: dict[str, list[str]] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and [c.casefold() for c in cells[:2]] == ["source", "target"]:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise IngestError(f"{name}: row {number} needs a source term and a target term")
        targets = [t.strip() for t in cells[1].split("|") if t.strip()]
        accepted.setdefault(cells[0], []).extend(targets)
        if len(accepted) > MAX_TERMS:
            break
    return accepted


def read_glossary(path: str | os.PathLike[str]) -> Glossary:
    """Return the glossary in the CSV file at ``path``; raise IngestError."""
    file = Path(path)
    if not file.is_file():
        raise IngestError(f"{file.name}: no such glossary file")
    if file.stat().st_size > MAX_GLOSSARY_BYTES:
        raise IngestError(f"{file.name}: the glossary is larger than 5 MB")
    return parse_glossary(decode_text(file.read_bytes(), file.name), file.name)


class GlossaryCheck(Check):
    """Flags source terms whose accepted translation is absent from the target."""

    check_id = "glossary"
    description = "a glossary term is not translated as the glossary says"
    # Runs only when a glossary is given (``alinea qa --glossary``).
    by_default = False

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary

    def problems(self, pair: QaPair) -> Iterator[str]:
        source, target = fold(pair.source), fold(pair.target)
        for term in self.glossary.terms:
            if not term.pattern.search(source):
                continue
            if not any(term_pattern(accepted).search(target) for accepted in term.targets):
                choices = " or ".join(f"'{accepted}'" for accepted in term.targets)
                yield f"'{term.source}' should be translated as {choices}"
