"""Splitting text into headings and paragraphs."""

from pathlib import Path

import pytest

from app.ingest import read_text_file, split_segments
from app.segments import Segment, SegmentKind

HEADING = SegmentKind.HEADING
PARAGRAPH = SegmentKind.PARAGRAPH


def texts(text: str) -> list[str]:
    """Return only the texts of the segments of ``text``."""
    return [segment.text for segment in split_segments(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one line\nwrapped here.", ["one line wrapped here."]),
        ("a clause,\nthen more.", ["a clause, then more."]),
        ("Sentence ends.\nlower case next.", ["Sentence ends.", "lower case next."]),
        ("Ends with a quote.”\nand more.", ["Ends with a quote.”", "and more."]),
        ("Ends in brackets (really?)\nand more.", ["Ends in brackets (really?)", "and more."]),
        ("Said: «¿Qué?»\ny luego.", ["Said: «¿Qué?»", "y luego."]),
        ("Introduces a list:\nfirst item", ["Introduces a list:", "first item"]),
        ("No punctuation\nCapital next", ["No punctuation", "Capital next"]),
        ("No punctuation\n2025 was a year.", ["No punctuation", "2025 was a year."]),
        ("three\nwrapped\nlines.", ["three wrapped lines."]),
    ],
    ids=[
        "soft wrap",
        "soft wrap after comma",
        "hard break after full stop",
        "hard break after closing quote",
        "hard break after closing bracket",
        "hard break after guillemets",
        "hard break after colon",
        "hard break before capital",
        "hard break before digit",
        "several soft wraps",
    ],
)
def test_a_line_break_is_a_soft_wrap_only_mid_sentence_before_lower_case(
    text: str, expected: list[str]
) -> None:
    assert texts(text) == expected


def test_blank_and_whitespace_only_lines_separate_blocks() -> None:
    text = "First paragraph.\n\n \t \n\n\nSecond paragraph.\n"
    assert texts(text) == ["First paragraph.", "Second paragraph."]


def test_runs_of_spaces_collapse_and_segments_are_stripped() -> None:
    assert texts("  Too   many  spaces  here.  ") == ["Too many spaces here."]


def test_tabs_inside_a_line_are_kept_as_content() -> None:
    # A table row or a line of code: its tabs separate cells and must survive the import.
    assert texts("\tName\tAge\tCity  \n") == ["Name\tAge\tCity"]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Chapter One", HEADING),
        ("Trump Pushes Mexico into “Vicious Circle” on Border", HEADING),
        ("Hunting Migrants, Not Criminals", HEADING),
        ("A short sentence.", PARAGRAPH),
        ("Is this a question?", PARAGRAPH),
        ("Introducing:", PARAGRAPH),
        ("A clause cut short,", PARAGRAPH),
        ("He said “stop.”", PARAGRAPH),
        ("* * *", PARAGRAPH),
        (" ".join(["word"] * 13), PARAGRAPH),
        ("x" * 101, PARAGRAPH),
    ],
    ids=[
        "short title",
        "title with quotes",
        "title with inner comma",
        "full stop",
        "question mark",
        "colon",
        "comma",
        "full stop inside quote",
        "no letters",
        "too many words",
        "too many characters",
    ],
)
def test_a_lone_short_line_without_final_punctuation_is_a_heading(
    line: str, kind: SegmentKind
) -> None:
    assert split_segments(f"Body text.\n\n{line}\n\nMore body text.")[1] == Segment(line, kind)


def test_short_lines_inside_a_multi_line_block_are_not_headings() -> None:
    assert split_segments("Shopping Cart\nScroll to Top") == [
        Segment("Shopping Cart", PARAGRAPH),
        Segment("Scroll to Top", PARAGRAPH),
    ]


def test_empty_text_has_no_segments() -> None:
    assert split_segments("\n \n") == []


def test_the_english_dw_article_splits_into_its_28_segments(english_article: Path) -> None:
    segments = split_segments(read_text_file(english_article))

    assert len(segments) == 28
    headings = [i for i, segment in enumerate(segments) if segment.kind is HEADING]
    assert headings == [0, 4, 8, 12, 17]
    assert segments[0].text == "Trump Pushes Mexico into “Vicious Circle” on Border"
    assert segments[1].text.endswith(
        "to stop the fentanyl trade and illegal migration. "
        "Photo: Luis Perea/Xinhua/dpa/picture alliance"
    )
    assert [segments[i].text for i in headings[1:]] == [
        "Betting on Failed Militarization",
        "Hunting Migrants, Not Criminals",
        "Opening the Door to Interventionism",
        "The Danger of Destabilizing Mexico",
    ]
    assert [segment.text for segment in segments[22:]] == [
        "Original article by Sandra Weiss, Deutsche Welle, February 17, 2025.",
        "Translated by Schools for Chiapas.",
        "Want to receive our weekly blog digest in your inbox?",
        "We don’t spam! Read our privacy policy for more info.",
        "Shopping Cart",
        "Scroll to Top",
    ]
    assert all(segment.kind is PARAGRAPH for segment in segments[22:])


def test_an_editors_tag_in_brackets_is_not_a_heading():
    assert split_segments("Final paragraph.\n\n(ers/rml)") == [
        Segment("Final paragraph.", SegmentKind.PARAGRAPH),
        Segment("(ers/rml)", SegmentKind.PARAGRAPH),
    ]
