"""The Bible verse merge: labelling test links with a verse and merging runs of one verse."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evaluation import (
    Link,
    merge_verses,
    parse_links,
    read_verse_ids,
    score_verse_merged,
    verse_label,
)

# Sentence i of each side lies in verse SRC_VERSES[i] / TGT_VERSES[i].
SRC_VERSES = ["A", "A", "B", "C"]
TGT_VERSES = ["A", "B", "B", "C"]


def links(*lines: str) -> list[Link]:
    """Return the links written one per argument."""
    return parse_links("\n".join(lines))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[0]:[0]", "A"),
        ("[0, 1]:[0]", "A"),
        ("[2]:[1, 2]", "B"),
        ("[]:[2]", "B"),
        ("[3]:[]", "C"),
        ("[1]:[1]", None),  # the sides lie in different verses
        ("[1, 2]:[1]", None),  # the source spans two verses
        ("[2]:[0, 1]", None),  # the target spans two verses
        ("[]:[]", None),
    ],
)
def test_a_link_is_labelled_with_the_one_verse_holding_all_its_sentences(
    line: str, expected: str | None
) -> None:
    assert verse_label(links(line)[0], SRC_VERSES, TGT_VERSES) == expected


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        pytest.param(
            links("[0]:[0]", "[1]:[]", "[2]:[1]", "[]:[2]", "[3]:[3]"),
            links("[0, 1]:[0]", "[2]:[1, 2]", "[3]:[3]"),
            id="runs of one verse merge, one-sided links included",
        ),
        pytest.param(
            links("[0]:[1]", "[1]:[2]", "[2]:[3]"),
            links("[0]:[1]", "[1]:[2]", "[2]:[3]"),
            id="unlabelled links stay apart even when consecutive",
        ),
        pytest.param(
            links("[0]:[]", "[2]:[1]", "[1]:[0]"),
            links("[0]:[]", "[2]:[1]", "[1]:[0]"),
            id="links of one verse that are not consecutive stay apart",
        ),
        pytest.param(
            links("[0]:[]", "[1]:[1]", "[]:[0]"),
            links("[0]:[]", "[1]:[1]", "[]:[0]"),
            id="an unlabelled link breaks a run of one verse",
        ),
    ],
)
def test_consecutive_links_of_one_verse_are_merged(test: list[Link], expected: list[Link]) -> None:
    assert merge_verses(test, SRC_VERSES, TGT_VERSES) == expected


def test_merged_sentence_links_score_fully_against_verse_gold() -> None:
    test = links("[0]:[0]", "[1]:[]", "[2]:[1]", "[]:[2]", "[3]:[3]")
    gold = links("[0, 1]:[0]", "[2]:[1, 2]", "[3]:[3]")
    assert score_verse_merged(test, gold, SRC_VERSES, TGT_VERSES).scores().strict_f1 == 1.0


def test_a_sentence_without_a_verse_id_raises_value_error() -> None:
    with pytest.raises(ValueError, match="source sentence 4 has no verse id"):
        verse_label(Link((4,), (0,)), SRC_VERSES, TGT_VERSES)


def test_verse_ids_are_read_one_per_line(tmp_path: Path) -> None:
    path = tmp_path / "en.verse"
    path.write_bytes(b"Gen:1:1\r\nGen:1:2\r\nGen:1:2\r\n")
    assert read_verse_ids(path) == ["Gen:1:1", "Gen:1:2", "Gen:1:2"]


def test_an_empty_verse_id_raises_value_error_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "en.verse"
    path.write_text("Gen:1:1\n\nGen:1:2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: empty verse id"):
        read_verse_ids(path)
