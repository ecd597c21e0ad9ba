"""What a bead's component scores mean, in words: the feature registry's label and
meaning, for the review page's "Scores" panel and its tooltips."""

from __future__ import annotations

from app.align import features


def score_meaning(name: str) -> str:
    """A component score's meaning ("label: meaning"); the name itself for a score the
    registry does not know."""
    meaning = features.meaning(name)
    return f"{features.label(name)}: {meaning}" if meaning else name
