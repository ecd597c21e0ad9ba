"""Moses export: two line-aligned plain-text files, one per language.

Line n of the source file translates line n of the target file, as Moses, fairseq and
OPUS tools expect. Line breaks and tabs inside a text become spaces, since a line is a
segment. The two files are written side by side as ``NAME.<src>`` and ``NAME.<tgt>``
(``write_files``), or bundled in one zip for a download (``write_zip``). One-sided pairs are
always left out: an empty line would teach a model to translate something into nothing.

This is not an ``Exporter`` (those produce one text stream): its registry entry says that it
writes two files, and names ``write_files`` and ``write_zip`` as its writers.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

from app.formats.base import ExportMeta, encodable, two_sided
from app.formats.registry import FileFormat, register_format
from app.segments import PairRecord

_BREAKS = re.compile(r"[\s\u2028\u2029\x85]+")


def one_line(text: str) -> str:
    """Return ``text`` on one line: every run of whitespace becomes one space."""
    return _BREAKS.sub(" ", encodable(text)).strip()


def file_names(stem: str, meta: ExportMeta) -> tuple[str, str]:
    """Return the names of the source and target files, e.g. ``corpus.es`` and ``corpus.en``."""
    source, target = meta.source_lang, meta.target_lang
    if source == target:
        # Same language on both sides (e.g. two versions of a text): keep the names apart.
        source, target = f"{source}.src", f"{target}.tgt"
    return f"{stem}.{source}", f"{stem}.{target}"


def write_lines(pairs: Iterable[PairRecord], source: TextIO, target: TextIO) -> int:
    """Write each two-sided pair as one line in each file; returns the number of lines."""
    count = 0
    for pair in two_sided(pairs):
        source_line, target_line = one_line(pair.source), one_line(pair.target)
        if source_line and target_line:
            source.write(source_line + "\n")
            target.write(target_line + "\n")
            count += 1
    return count


def write_files(
    pairs: Iterable[PairRecord], meta: ExportMeta, directory: Path, stem: str
) -> tuple[Path, Path, int]:
    """Write the two files into ``directory``; returns their paths and the number of lines."""
    source_name, target_name = file_names(stem, meta)
    source_path, target_path = directory / source_name, directory / target_name
    with (
        source_path.open("w", encoding="utf-8", newline="\n") as source,
        target_path.open("w", encoding="utf-8", newline="\n") as target,
    ):
        count = write_lines(pairs, source, target)
    return source_path, target_path, count


def write_zip(pairs: Iterable[PairRecord], meta: ExportMeta, fileobj: BinaryIO, stem: str) -> int:
    """Write a zip holding the two files to ``fileobj``; returns the number of lines.

    The pairs are read once; the two files are spooled to a temporary folder first, so
    memory stays constant whatever the size.
    """
    with tempfile.TemporaryDirectory(prefix="alinea-moses-") as folder:
        source_path, target_path, count = write_files(pairs, meta, Path(folder), stem)
        with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(source_path, source_path.name)
            archive.write(target_path, target_path.name)
    return count


register_format(
    FileFormat(
        name="moses",
        title="Moses (two line-aligned text files, zipped)",
        extensions=(".<source language>", ".<target language>", ".zip"),
        media_type="application/zip",
        files=2,
        write_files=write_files,
        write_zip=write_zip,
    )
)
