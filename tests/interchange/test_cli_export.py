"""``alinea export`` and ``alinea import`` as a translator sharing files uses them: the counts
it reports, the files' permissions, spreadsheet-safe CSV, the level, files by content."""

from __future__ import annotations

import csv
import os
import stat
from pathlib import Path

import pytest

from .conftest import AWKWARD_PARAGRAPHS


def export(run, alignment_id: int, format_name: str, path: Path, *options: str, **env: str):
    result = run(
        "export", str(alignment_id), "--format", format_name, "-o", str(path), *options, **env
    )
    assert result.exit_code == 0, result.output
    return result


# The awkward alignment has 5 two-sided paragraph pairs (one rejected) and 1 one-sided one.
@pytest.mark.parametrize(
    ("format_name", "written"),
    [("tmx", 4), ("moses", 4), ("tsv", 5), ("csv", 5), ("jsonl", 5), ("xliff", 5), ("xliff12", 5)],
)
def test_the_count_printed_is_the_number_of_pairs_in_the_file(
    run, awkward, tmp_path, format_name, written
) -> None:
    result = export(run, awkward.paragraph, format_name, tmp_path / "out.txt", "--one-sided")
    assert result.stderr.startswith(f"wrote {written} pairs (")


@pytest.mark.parametrize("format_name", ["tmx", "csv", "moses"])
def test_exported_files_get_the_permissions_of_any_new_file(
    run, awkward, tmp_path, format_name
) -> None:
    previous = os.umask(0o022)
    try:
        export(run, awkward.paragraph, format_name, tmp_path / "shared.zip")
    finally:
        os.umask(previous)
    files = [path for path in tmp_path.iterdir() if path.name.startswith("shared")]
    assert files
    assert {stat.S_IMODE(path.stat().st_mode) for path in files} == {0o644}


def test_a_stricter_umask_is_respected(run, awkward, tmp_path) -> None:
    previous = os.umask(0o077)
    try:
        export(run, awkward.paragraph, "tmx", tmp_path / "private.tmx")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "private.tmx").stat().st_mode) == 0o600


def read_rows(path: Path, dialect: str = "excel") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, dialect=dialect))


FORMULA_SOURCE, FORMULA_TARGET = AWKWARD_PARAGRAPHS[4][0]


@pytest.mark.parametrize(("format_name", "dialect"), [("csv", "excel"), ("tsv", "excel-tab")])
def test_cells_a_spreadsheet_would_run_are_guarded_by_default(
    run, awkward, tmp_path, format_name, dialect
) -> None:
    path = tmp_path / f"pairs.{format_name}"
    export(run, awkward.paragraph, format_name, path)
    last = read_rows(path, dialect)[-1]
    assert (last["source"], last["target"]) == (f"'{FORMULA_SOURCE}", f"'{FORMULA_TARGET}")
    # A text that does not start like a formula is untouched.
    assert read_rows(path, dialect)[0]["source"] == "A bell\x07rings here. " + (
        'He said "AT&T" and &amp; <b>bold</b>.'
    )


def test_the_guard_can_be_turned_off_by_flag_or_by_setting(run, awkward, tmp_path) -> None:
    by_flag, by_setting = tmp_path / "flag.csv", tmp_path / "setting.csv"
    export(run, awkward.paragraph, "csv", by_flag, "--no-formula-guard")
    export(run, awkward.paragraph, "csv", by_setting, ALINEA_CSV_FORMULA_GUARD="0")
    for path in (by_flag, by_setting):
        assert read_rows(path)[-1]["source"] == FORMULA_SOURCE
    # The flag wins over the setting.
    forced = tmp_path / "forced.csv"
    export(run, awkward.paragraph, "csv", forced, "--formula-guard", ALINEA_CSV_FORMULA_GUARD="0")
    assert read_rows(forced)[-1]["source"] == f"'{FORMULA_SOURCE}"


def test_bom_starts_the_csv_with_a_byte_order_mark_for_excel(run, awkward, tmp_path) -> None:
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    export(run, awkward.paragraph, "csv", plain)
    export(run, awkward.paragraph, "csv", marked, "--bom")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()


@pytest.mark.parametrize("level", ["paragraph", "sentence"])
def test_the_tmx_declares_the_level_exported(run, awkward, tmp_path, level) -> None:
    path = tmp_path / "pairs.tmx"
    export(run, awkward.paragraph, "tmx", path, "--level", level)
    assert f'segtype="{level}"' in path.read_text(encoding="utf-8")


def test_a_tmx_or_xliff_under_any_name_is_imported_as_an_alignment(run, awkward, tmp_path):
    xliff = tmp_path / "pairs.xliff"
    export(run, awkward.paragraph, "xliff12", xliff)
    renamed = xliff.rename(tmp_path / "pairs.xlf12")
    result = run("import", str(renamed))
    assert result.exit_code == 0, result.output
    assert "4 pairs, en → es, imported as alignment" in result.stderr
    alignment_id = result.stdout.strip()
    # The id printed is an alignment's: it exports.
    export(run, int(alignment_id), "tmx", tmp_path / "again.tmx")


def test_an_xliff_saved_as_tmx_is_read_as_xliff(run, awkward, tmp_path) -> None:
    misnamed = tmp_path / "pairs.tmx"
    export(run, awkward.paragraph, "xliff", misnamed)
    result = run("import", str(misnamed))
    assert result.exit_code == 0, result.output
    assert "4 pairs, en → es, imported as alignment" in result.stderr


def test_a_file_of_unknown_extension_says_it_was_read_as_text(run, tmp_path) -> None:
    notes = tmp_path / "notes.memo"
    notes.write_text("A short note about the border wall and its long history.\n", "utf-8")
    result = run("import", str(notes), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "notes.memo: the extension .memo is not one Alinea knows" in result.stderr
    assert "read as plain text" in result.stderr
