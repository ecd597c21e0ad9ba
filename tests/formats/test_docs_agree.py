"""The formats and QA checks the documentation lists by hand are those of the registries."""

from __future__ import annotations

import re
from pathlib import Path

from app.formats import EXPORT_FORMATS
from app.formats.registry import read_extensions
from app.qa import CHECK_NAMES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INTERCHANGE = (ROOT / "docs" / "interchange.md").read_text(encoding="utf-8")
NUMBERS = {5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def section(text: str, start: str, end: str) -> str:
    """The part of ``text`` from ``start`` to the next ``end``."""
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]


def first_cells(table: str) -> list[str]:
    """The first cell of each row of a markdown table, header and rule left out."""
    rows = [line for line in table.splitlines() if line.startswith("|")]
    return [row.split("|")[1].strip() for row in rows[2:]]


def test_the_interchange_table_lists_every_format_with_its_extension() -> None:
    table = section(INTERCHANGE, "| format (`--format`)", "\n\n")
    listed = {}
    for cell in first_cells(table):
        found = re.fullmatch(r"`(\w+)` \((.*)\)", cell)
        assert found is not None, cell
        listed[found.group(1)] = found.group(2)
    assert set(listed) == set(EXPORT_FORMATS)
    for name, entry in EXPORT_FORMATS.items():
        if entry.files == 1:
            assert listed[name] == f"`{entry.extensions[0]}`"
        else:
            assert f"`{entry.download}`" in listed[name]
    assert f"one of {NUMBERS[len(EXPORT_FORMATS)]} formats" in INTERCHANGE


def test_the_interchange_page_names_the_extensions_imports_recognise() -> None:
    said = section(INTERCHANGE, "By name alone it knows", ".\n")
    assert set(re.findall(r"`(\.\w+)`", said)) == set(read_extensions())


def test_the_readme_lists_every_format() -> None:
    table = section(README, "| format | for |", "\n\n")
    listed = {name for cell in first_cells(table) for name in re.findall(r"`(\w+)`", cell)}
    assert listed == set(EXPORT_FORMATS)
    also = re.search(r"alinea export 1 --format (\w+) .*# also (.*)", README)
    assert also is not None
    assert {also.group(1), *also.group(2).split(", ")} == set(EXPORT_FORMATS)


def test_the_readme_lists_every_check_by_its_id() -> None:
    said = section(README, "Every new alignment is checked at once", "\n\n")
    commands_left_out = re.sub(r"`alinea [^`]*`", "", said)
    assert re.findall(r"`(\w+)`", commands_left_out) == [*CHECK_NAMES]
