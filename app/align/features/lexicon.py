"""``lexicon``: words paired by a lexicon learnt from the document itself
(``app.align.lexicon``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.align import lexicon as learnt
from app.align.features.registry import Feature

if TYPE_CHECKING:
    from app.align.features.sides import SideArrays
from app.align.features.spaces import RunSpace, space_cosine

lexicon = space_cosine("lexicon")


def attach_lexicon(src: SideArrays, tgt: SideArrays, pairs) -> learnt.Lexicon:
    """Learn a lexicon from the sentence pairs ``pairs`` (source index, target index)
    and give both sides their vectors over it, for the ``lexicon`` feature."""
    found = learnt.learn(src.tokens(), tgt.tokens(), pairs)
    s_vectors, t_vectors = learnt.vectors(src.tokens(), tgt.tokens(), found)
    src.lexicon, tgt.lexicon = RunSpace(s_vectors), RunSpace(t_vectors)
    return found


FEATURE = Feature(
    "lexicon",
    label="document lexicon",
    meaning="words that the document's own translations pair, learnt from a first alignment",
    compute=lexicon,
    needs="lexicon",
)
