"""The ``next`` field of the forms can only send the reviewer back within the site."""

from __future__ import annotations

import pytest

from app.web.urls import safe_next


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/alignments/3", "/alignments/3"),
        ("/alignments/3?max_similarity=0.5&status=automatic", None),
        ("/alignments/3#bead-4", "/alignments/3"),
    ],
)
def test_paths_on_this_site_are_kept_without_their_fragment(target, expected):
    assert safe_next(target) == (expected or target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "alignments/3",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        " /alignments/3",
    ],
)
def test_anything_else_is_refused(target):
    assert safe_next(target) is None
