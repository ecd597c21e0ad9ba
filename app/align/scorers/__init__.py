"""Scorers behind one interface (see base.Scorer)."""

from app.align.scorers.anchor import AnchorScorer
from app.align.scorers.base import Scorer
from app.align.scorers.chrf import ChrfScorer
from app.align.scorers.embedding import EmbeddingScorer
from app.align.scorers.length import LengthScorer
from app.align.scorers.mt import MtScorer
from app.align.scorers.structure import StructureScorer

__all__ = [
    "AnchorScorer",
    "ChrfScorer",
    "EmbeddingScorer",
    "LengthScorer",
    "MtScorer",
    "Scorer",
    "StructureScorer",
]
