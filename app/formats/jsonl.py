"""JSON Lines export: one JSON object per pair, with every score and flag.

The first line is not a pair: it is never written, so that every line has the same shape;
the languages are repeated in each object instead, which also makes lines self-contained
when a file is split or shuffled. U+2028, U+2029 and U+0085 are written as ``\\u`` escapes:
JSON allows them raw, but readers that split lines with Python's ``str.splitlines()`` (and
JavaScript before ES2019) would take them for line breaks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from app.formats.base import (
    Exporter,
    ExportMeta,
    as_utc,
    encodable,
    exportable,
    flags_of,
    scores_of,
)
from app.formats.registry import FileFormat, register_format
from app.segments import PairRecord

# What splitlines() breaks at that json.dumps leaves raw (it escapes the C0 controls).
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def pair_object(pair: PairRecord, meta: ExportMeta) -> dict[str, Any]:
    """Return the JSON object of ``pair``."""
    return {
        "position": pair.position,
        "source_lang": meta.source_lang,
        "target_lang": meta.target_lang,
        "source": encodable(pair.source),
        "target": encodable(pair.target),
        "similarity": pair.similarity,
        "scores": dict(scores_of(pair)),
        "status": str(pair.status),
        "flags": [dict(flag) for flag in flags_of(pair)],
        "note": pair.note,
        "changed_at": None if pair.changed_at is None else as_utc(pair.changed_at).isoformat(),
    }


class JsonlExporter(Exporter):
    """Exports pairs as JSON Lines."""

    supports_one_sided = True
    options = frozenset({"one_sided"})

    def __init__(self, one_sided: bool = False) -> None:
        """Keep one-sided pairs as objects with an empty side when ``one_sided``."""
        self.one_sided = one_sided

    def iter_chunks(self, pairs: Iterable[PairRecord], meta: ExportMeta) -> Iterator[str]:
        """Yield one line per pair; an export of no pairs is an empty file."""
        self.written = 0
        for pair in exportable(pairs, self.one_sided):
            # ensure_ascii=False keeps the texts readable; JSON escapes the line breaks, and
            # the translation escapes the characters some readers take for line breaks.
            line = json.dumps(pair_object(pair, meta), ensure_ascii=False)
            self.written += 1
            yield line.translate(_LINE_BREAKS) + "\n"


register_format(
    FileFormat(
        name="jsonl",
        title="JSON Lines (one pair per line, with scores and flags)",
        extensions=(".jsonl",),
        media_type="application/jsonl",
        exporter=JsonlExporter,
    )
)
