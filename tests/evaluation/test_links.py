"""Link notation: parsing, formatting, files, and errors that name the bad line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evaluation import (
    Link,
    format_link,
    format_links,
    parse_link,
    parse_links,
    read_links,
    write_links,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[0]:[0]", Link((0,), (0,))),
        ("[0, 1]:[2]", Link((0, 1), (2,))),
        ("[1,2]:[1,2,3]", Link((1, 2), (1, 2, 3))),
        ("[]:[5]", Link((), (5,))),
        ("[3]:[]", Link((3,), ())),
        ("  [ 4 ] : [ 5 ]  ", Link((4,), (5,))),
        ("[10, 11]:[13]\r", Link((10, 11), (13,))),
    ],
)
def test_a_line_parses_into_its_link(line: str, expected: Link) -> None:
    assert parse_link(line) == expected


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        (Link((0,), (0,)), "[0]:[0]"),
        (Link((0, 1), (2,)), "[0, 1]:[2]"),
        (Link((), (5,)), "[]:[5]"),
        (Link((3,), ()), "[3]:[]"),
    ],
)
def test_a_link_is_written_in_the_gold_file_notation(link: Link, expected: str) -> None:
    assert format_link(link) == expected


@pytest.mark.parametrize(
    ("link", "one_sided", "empty"),
    [
        (Link((0,), (0,)), False, False),
        (Link((), (5,)), True, False),
        (Link((3,), ()), True, False),
        (Link((), ()), False, True),
    ],
)
def test_insertions_and_omissions_are_one_sided(link: Link, one_sided: bool, empty: bool) -> None:
    assert (link.one_sided, link.empty) == (one_sided, empty)


def test_formatting_then_parsing_gives_back_the_same_links() -> None:
    text = "[0]:[0]\n[1, 2]:[1]\n[]:[2]\n[3]:[]\n[4]:[3, 4, 5]\n"
    links = parse_links(text)
    assert format_links(links) == text
    assert parse_links(format_links(links)) == links


def test_links_written_to_a_file_read_back_unchanged(tmp_path: Path) -> None:
    links = [Link((0,), (0, 1)), Link((), (2,)), Link((1, 2), ()), Link((3,), (3,))]
    path = tmp_path / "out.align"
    write_links(path, links)
    assert path.read_bytes() == b"[0]:[0, 1]\n[]:[2]\n[1, 2]:[]\n[3]:[3]\n"
    assert read_links(path) == links


def test_blank_lines_are_skipped() -> None:
    assert parse_links("\n[0]:[0]\n\n[1]:[1]\n\n") == [Link((0,), (0,)), Link((1,), (1,))]


@pytest.mark.parametrize(
    ("text", "line_number"),
    [
        ("[0]:[0]\n[1]-[1]\n", 2),
        ("[0]:[x]\n", 1),
        ("[0]:[0]\n[1]:[-1]\n", 2),
        ("[0:[1]\n", 1),
        ("[0]:[1]:[2]\n", 1),
        ("[0,]:[1]\n", 1),
        ("[0]:[0]\n\n[1]:[1.5]\n", 3),
        ("0:1\n", 1),
    ],
)
def test_a_bad_line_raises_value_error_naming_its_line(text: str, line_number: int) -> None:
    with pytest.raises(ValueError, match=rf"^line {line_number}: "):
        parse_links(text)


def test_a_bad_file_raises_value_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.align"
    path.write_text("[0]:[0]\n[1]:[oops]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.align: line 2: 'oops'"):
        read_links(path)
