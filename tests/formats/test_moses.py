"""Moses export: two line-aligned files, or a zip of them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from app.formats import moses

from .exporter_contract import META, make_pair

PAIRS = [
    make_pair(0, "Hello,\nworld.", "Hola,\tmundo."),
    make_pair(1, "Omitted.", ""),
    make_pair(2, "Bye.", "Adiós."),
]


def test_moses_writes_two_line_aligned_files(tmp_path: Path) -> None:
    source, target, count = moses.write_files(PAIRS, META, tmp_path, "corpus")
    assert (source.name, target.name, count) == ("corpus.en", "corpus.es", 2)
    assert source.read_text(encoding="utf-8") == "Hello, world.\nBye.\n"
    assert target.read_text(encoding="utf-8") == "Hola, mundo.\nAdiós.\n"


def test_moses_zip_holds_both_files() -> None:
    buffer = io.BytesIO()
    assert moses.write_zip(PAIRS, META, buffer, "corpus") == 2
    with zipfile.ZipFile(buffer) as archive:
        assert sorted(archive.namelist()) == ["corpus.en", "corpus.es"]
        assert archive.read("corpus.es").decode() == "Hola, mundo.\nAdiós.\n"
