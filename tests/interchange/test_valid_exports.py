"""Every export of an awkward alignment, at both levels, checked against the official schemas
and read back by translate-toolkit (XML formats) or the standard csv and json modules.

Awkward means: a control character, quotes, «», a literal ``&amp;``, ``<b>``, non-breaking
spaces, tabs, emoji, Arabic, U+2028 and U+0085, a 5,000-character sentence, a formula-like
cell, a one-sided pair, every review status, notes and QA flags.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree
from translate.storage import tmx, xliff, xliff2

from app.formats import EXPORTERS
from app.formats.xliff import XLIFF2_NS
from app.formats.xliff12 import XLIFF12_NS

from .conftest import AWKWARD_PARAGRAPHS, LONG, assert_valid

LEVELS = ("paragraph", "sentence")
XML_FORMATS = ("tmx", "xliff", "xliff12")


def expected_pairs(level: str) -> list[tuple[str, str]]:
    """The (source, target) texts of the automatic and confirmed pairs at ``level``.

    The third pair of each level is rejected, so it is not exported by default.
    """
    if level == "paragraph":
        pairs = [
            (" ".join(s for s, _ in group), " ".join(t for _, t in group))
            for group in AWKWARD_PARAGRAPHS
        ]
    else:
        pairs = [pair for group in AWKWARD_PARAGRAPHS for pair in group]
    return pairs[:2] + pairs[3:]


def export(run, alignment_id: int, format_name: str, level: str, path: Path, *options: str):
    result = run(
        "export", str(alignment_id), "--format", format_name, "--level", level, "-o", str(path),
        *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result


def test_every_format_is_checked_here() -> None:
    # A format added to the registry must be added to these tests too.
    assert set(EXPORTERS) == {*XML_FORMATS, "csv", "tsv", "jsonl"}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("format_name", XML_FORMATS)
def test_xml_exports_are_valid_against_the_official_schemas(
    run, awkward, tmp_path, format_name, level
) -> None:
    path = tmp_path / f"pairs.{format_name}"
    export(run, awkward.paragraph, format_name, level, path, "--status", "automatic",
           "--status", "confirmed", "--status", "rejected", "--one-sided")  # fmt: skip
    assert_valid(path, format_name, tmp_path)


def toolkit_units(format_name: str, path: Path):
    store_class = {"tmx": tmx.tmxfile, "xliff12": xliff.xlifffile, "xliff": xliff2.Xliff2File}
    store = store_class[format_name].parsefile(str(path))
    return [unit for unit in store.units if unit.source]


def shown_by_toolkit(text: str, format_name: str) -> str:
    """What translate-toolkit gives for ``text``: the bell's placeholder shows as its text
    in TMX and XLIFF 1.2; it ignores XLIFF 2's ``<cp>``."""
    return text.replace("\x07", "" if format_name == "xliff" else "U+0007")


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("format_name", XML_FORMATS)
def test_translate_toolkit_reads_texts_and_notes_intact(
    run, awkward, tmp_path, format_name, level
) -> None:
    path = tmp_path / f"pairs.{format_name}"
    export(run, awkward.paragraph, format_name, level, path)
    units = toolkit_units(format_name, path)
    assert [(unit.source, unit.target) for unit in units] == [
        (shown_by_toolkit(s, format_name), shown_by_toolkit(t, format_name))
        for s, t in expected_pairs(level)
    ]
    if format_name != "xliff":
        # translate-toolkit looks for XLIFF 2 notes inside <segment>, where the standard
        # allows none; Alinea's own reader reads them (see the round-trip tests).
        assert 'Checked: "AT&T" <b> «ok» & done' in units[0].getnotes()
    if format_name == "xliff12":
        # TMX and XLIFF 2 carry the flags in props and metadata, which it does not read.
        assert "numbers: 7 ≠ 8: a number differs" in units[1].getnotes()
    if format_name != "tmx":
        # Pairs 0 and 3 are confirmed (the rejected pair 2 is not exported).
        approved = [True, False, True] + [False] * (len(units) - 3)
        assert [unit.isapproved() for unit in units] == approved


@pytest.mark.parametrize("level", LEVELS)
def test_csv_and_tsv_keep_every_text_in_its_cell(run, awkward, tmp_path, level) -> None:
    for format_name, dialect in (("csv", "excel"), ("tsv", "excel-tab")):
        path = tmp_path / f"pairs.{format_name}"
        export(run, awkward.paragraph, format_name, level, path, "--no-formula-guard")
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, dialect=dialect))
        assert [(row["source"], row["target"]) for row in rows] == expected_pairs(level)


@pytest.mark.parametrize("level", LEVELS)
def test_jsonl_lines_survive_splitlines(run, awkward, tmp_path, level) -> None:
    path = tmp_path / "pairs.jsonl"
    export(run, awkward.paragraph, "jsonl", level, path)
    text = path.read_text(encoding="utf-8")
    assert "\u2028" not in text and "\x85" not in text
    objects = [json.loads(line) for line in text.splitlines()]
    assert [(obj["source"], obj["target"]) for obj in objects] == expected_pairs(level)
    assert objects[0]["scores"]["chrf"] == pytest.approx(0.25)


def test_the_long_sentence_is_whole_in_every_format(run, awkward, tmp_path) -> None:
    for format_name in XML_FORMATS:
        path = tmp_path / f"pairs.{format_name}"
        export(run, awkward.sentence, format_name, "sentence", path)
        texts = {unit.source for unit in toolkit_units(format_name, path)}
        assert LONG in texts and len(LONG) == 5000


@pytest.mark.parametrize(
    ("format_name", "spoil"),
    [
        # What the old XLIFF 1.2 export did: attributes in a namespace of its own.
        ("xliff12", lambda root: root.find(f".//{{{XLIFF12_NS}}}trans-unit").set(
            "{urn:alinea:xliff}status", "confirmed")),
        ("xliff", lambda root: root.find(f".//{{{XLIFF2_NS}}}segment").set("state", "approved")),
        ("tmx", lambda root: root.find(".//tu").set("status", "confirmed")),
    ],
)  # fmt: skip
def test_the_official_schemas_refuse_what_they_should(
    run, awkward, tmp_path, format_name, spoil
) -> None:
    path = tmp_path / f"pairs.{format_name}"
    export(run, awkward.paragraph, format_name, "paragraph", path)
    tree = etree.parse(str(path))
    spoil(tree.getroot())
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    with pytest.raises(AssertionError):
        assert_valid(path, format_name, tmp_path)


@pytest.mark.parametrize("format_name", XML_FORMATS)
def test_an_export_of_no_pairs_is_still_a_valid_file(run, awkward, tmp_path, format_name) -> None:
    path = tmp_path / f"nothing.{format_name}"
    export(run, awkward.paragraph, format_name, "paragraph", path, "--min-similarity", "0.99")
    assert_valid(path, format_name, tmp_path)
