"""Export, import, export again: the same file, for every format Alinea both reads and writes.

Only what names a moment or a row of this database may differ: creation and change dates,
and the id of the alignment that wrote the file (an import becomes a new alignment).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.formats import EXPORTERS, READERS

LEVELS = ("paragraph", "sentence")
READ_AND_WRITTEN = ("tmx", "xliff", "xliff12")
EVERYTHING = ("--status", "automatic", "--status", "confirmed", "--status", "rejected")

_MOMENTS = [
    (re.compile(r'(creationdate|changedate)="\d{8}T\d{6}Z"'), r'\1="…"'),
    (re.compile(r'(<prop type="x-alignment-id">)\d+<'), r"\1…<"),
    (re.compile(r'(<mda:meta type="alignment-id">)\d+<'), r"\1…<"),
    (re.compile(r'(<note from="alinea:alignment-id">)\d+<'), r"\1…<"),
]


def without_moments(text: str) -> str:
    """Return ``text`` with its dates and alignment ids blanked."""
    for pattern, replacement in _MOMENTS:
        text = pattern.sub(replacement, text)
    return text


def export(run, alignment_id: int, format_name: str, path: Path, *options: str) -> str:
    result = run("export", str(alignment_id), "--format", format_name, "-o", str(path), *options)
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def import_file(run, path: Path) -> int:
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert "imported as alignment" in result.stderr
    return int(result.stdout.strip().splitlines()[-1])


def test_the_formats_read_and_written_are_these() -> None:
    readable = {"tmx"} | {name for name in EXPORTERS if name.startswith("xliff")}
    assert set(READ_AND_WRITTEN) == readable and set(READERS) == {"tmx", "xliff"}


def test_without_moments_blanks_only_dates_and_ids() -> None:
    text = '<tu tuid="3" changedate="20240102T030405Z"><prop type="x-alignment-id">17</prop>'
    assert (
        without_moments(text) == '<tu tuid="3" changedate="…"><prop type="x-alignment-id">…</prop>'
    )


SELECTIONS = {
    # Every pair, rejected and one-sided ones too.
    "everything": (*EVERYTHING, "--one-sided"),
    # The default: rejected pairs stay out, so the unit ids have gaps to keep.
    "default": (),
}


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("format_name", READ_AND_WRITTEN)
def test_export_import_export_gives_the_same_file(
    run, awkward, tmp_path, format_name, level, selection
):
    extension = EXPORTERS[format_name].extension
    options = SELECTIONS[selection]
    first = export(
        run, awkward.paragraph, format_name, tmp_path / f"first{extension}", "--level", level,
        *options,
    )  # fmt: skip
    imported = import_file(run, tmp_path / f"first{extension}")
    second = export(run, imported, format_name, tmp_path / f"second{extension}", *options)
    assert without_moments(second) == without_moments(first)


def test_an_xliff_imported_after_a_tmx_of_the_same_pairs_keeps_its_own_names(
    run, awkward, tmp_path
):
    # The same texts come in twice; each file still gets back the names it gave.
    original = export(run, awkward.paragraph, "xliff12", tmp_path / "pairs.xlf", *EVERYTHING)
    export(run, awkward.paragraph, "tmx", tmp_path / "pairs.tmx", *EVERYTHING)
    import_file(run, tmp_path / "pairs.tmx")
    imported = import_file(run, tmp_path / "pairs.xlf")
    again = export(run, imported, "xliff12", tmp_path / "again.xlf", *EVERYTHING)
    assert 'original="Informe «final» &amp; &lt;b&gt;.docx"' in again
    assert without_moments(again) == without_moments(original)


def test_a_foreign_file_without_names_gets_titles_of_its_own(run, tmp_path, database_url):
    from sqlalchemy import create_engine, text

    foreign = tmp_path / "memory.tmx"
    foreign.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" segtype="sentence"'
        ' creationtool="x" creationtoolversion="1" o-tmf="x" adminlang="en"'
        ' datatype="plaintext"/><body><tu tuid="a-7"><tuv xml:lang="en"><seg>Hello.</seg></tuv>'
        '<tuv xml:lang="es"><seg>Hola.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    imported = import_file(run, foreign)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        titles = connection.execute(text("SELECT title FROM documents ORDER BY id")).scalars()
        assert list(titles) == ["memory.tmx (en)", "memory.tmx (es)"]
    engine.dispose()
    again = export(run, imported, "tmx", tmp_path / "again.tmx")
    assert 'tuid="a-7"' in again and 'segtype="sentence"' in again
