"""Details of the exchange formats, one behaviour each: spreadsheet guard, JSONL line breaks,
XLIFF 1.2 statuses, characters XML cannot carry, unit ids, recognising a file by content."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree

from app.formats import (
    CsvExporter,
    DetailedPair,
    JsonlExporter,
    Xliff12Exporter,
    XliffExporter,
    XliffReader,
)
from app.formats.reader import root_element, sniff_reader
from app.formats.spreadsheet import neutralise_formula
from app.formats.xliff import XLIFF2_NS
from app.formats.xliff12 import XLIFF12_NS
from app.formats.xmltext import UnitIds, is_nmtoken
from app.segments import BeadStatus

from .exporter_contract import META, export


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+34 600 000 000", "'+34 600 000 000"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
        ("'already quoted", "'already quoted"),
    ],
)
def test_a_formula_like_cell_gets_an_apostrophe(cell: str, written: str) -> None:
    assert neutralise_formula(cell) == written


def test_the_csv_guard_covers_notes_and_flags_too(tmp_path: Path) -> None:
    flag = {"check": "@mention", "message": "looks like a handle"}
    pair = DetailedPair(
        0, "A.", "B.", 0.5, BeadStatus.CONFIRMED, note="=HYPERLINK(x)", flags=(flag,)
    )
    with export(CsvExporter(), [pair], tmp_path).open(encoding="utf-8", newline="") as handle:
        row = list(csv.DictReader(handle))[0]
    assert (row["note"], row["flags"]) == ("'=HYPERLINK(x)", "'@mention: looks like a handle")


def test_jsonl_escapes_what_splitlines_would_break_at(tmp_path: Path) -> None:
    pair = DetailedPair(0, "a\u2028b\u2029c\x85d", "e\x0bf\x0cg\x1ch", 0.5, BeadStatus.CONFIRMED)
    text = export(JsonlExporter(), [pair], tmp_path).read_text(encoding="utf-8")
    assert len(text.splitlines()) == 1
    assert "\\u2028" in text and "\\u2029" in text and "\\u0085" in text
    assert json.loads(text)["source"] == "a\u2028b\u2029c\x85d"


@pytest.mark.parametrize(
    ("status", "approved", "state"),
    [
        (BeadStatus.CONFIRMED, "yes", "final"),
        (BeadStatus.AUTOMATIC, "no", "needs-review-translation"),
        (BeadStatus.REJECTED, "no", "x-rejected"),
    ],
)
def test_xliff12_tells_every_status_apart_and_reads_it_back(
    status, approved, state, tmp_path: Path
) -> None:
    pair = DetailedPair(0, "A.", "B.", 0.5, status)
    path = export(Xliff12Exporter(), [pair], tmp_path)
    unit = etree.parse(str(path)).find(f".//{{{XLIFF12_NS}}}trans-unit")
    assert unit is not None
    assert unit.get("approved") == approved
    assert unit.find(f"{{{XLIFF12_NS}}}target").get("state") == state
    assert XliffReader().read_path(path).units[0].status is status


def test_xliff2_writes_a_control_character_as_cp(tmp_path: Path) -> None:
    pair = DetailedPair(0, "bell\x07", "campana\x07", 0.5, BeadStatus.CONFIRMED)
    path = export(XliffExporter(), [pair], tmp_path)
    cp = etree.parse(str(path)).find(f".//{{{XLIFF2_NS}}}source/{{{XLIFF2_NS}}}cp")
    assert cp is not None and cp.get("hex") == "0007"
    assert XliffReader().read_path(path).units[0].source == "bell\x07"


def test_unit_ids_are_kept_and_never_repeated() -> None:
    ids = UnitIds(prefix="u", valid=is_nmtoken)
    handed = [
        ids.of("intro", 0),
        ids.of("intro", 1),  # a split bead keeps its imported id: the second gets a suffix
        ids.of(None, 2),
        ids.of("has space", 3),  # not an NMTOKEN: made of the position
        ids.of("u2", 4),  # an imported id meeting a made-up one
    ]
    assert handed == ["intro", "intro-2", "u2", "u3", "u2-2"]
    # Leading zeros make another id; a huge number is no reason to use much memory.
    assert [ids.of("u05", 5), ids.of(None, 5), ids.of("u99999999999", 6)] == [
        "u05",
        "u5",
        "u99999999999",
    ]
    assert ids.of("u99999999999", 7) == "u99999999999-2"


def test_xliff2_ids_come_from_the_import_or_the_position(tmp_path: Path) -> None:
    pairs = [
        DetailedPair(0, "A.", "B.", 0.5, BeadStatus.CONFIRMED, unit_id="tu-17"),
        DetailedPair(1, "C.", "D.", 0.5, BeadStatus.CONFIRMED),
    ]
    path = export(XliffExporter(), pairs, tmp_path)
    units = etree.parse(str(path)).findall(f".//{{{XLIFF2_NS}}}unit")
    assert [unit.get("id") for unit in units] == ["tu-17", "u1"]
    assert [unit.unit_id for unit in XliffReader().read_path(path).units] == ["tu-17", "u1"]


@pytest.mark.parametrize(
    ("head", "root"),
    [
        (b'<?xml version="1.0"?>\n<!-- made by hand -->\n<tmx version="1.4">', "tmx"),
        (b'\xef\xbb\xbf<!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx>', "tmx"),
        (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0">', "xliff"),
        ('<?xml version="1.0" encoding="UTF-16"?><xliff>'.encode("utf-16"), "xliff"),
        (b"<x:xliff xmlns:x='urn:oasis:names:tc:xliff:document:1.2'>", "xliff"),
        (b"<html><body>not bilingual</body></html>", "html"),
        (b"Plain text, no markup.", None),
    ],
)
def test_the_root_element_is_found_after_the_prologue(head: bytes, root: str | None) -> None:
    assert root_element(head) == root


def test_only_tmx_and_xliff_roots_have_a_reader() -> None:
    assert sniff_reader(b"<tmx version='1.4'>").name == "tmx"
    assert sniff_reader(b"<xliff version='1.2'>").name == "xliff"
    assert sniff_reader(b"<html>") is None


def test_meta_level_defaults_to_paragraph() -> None:
    assert META.level == "paragraph"
