"""Which scorers align a language pair: the rule, applied the same way at both levels.

1. Semantic similarity from a bundled sentence-embedding model, unless ``--fast``:
   USE multilingual v3 where it knows both languages (16 languages, several times
   faster), else multilingual-e5-small where it knows both (about 100 languages), else
   none.
2. Machine translation where Debian's Apertium has the pair installed: the source is
   translated into the target language and compared with the target by chrF (if only
   the opposite direction is installed, the target is translated and compared with the
   source). Apertium is rule-based, so the fast mode uses it too. Off with
   ``use_mt=False`` (``--no-mt``).
3. Always: every feature that needs nothing but the texts (``app.align.features``):
   anchors (numbers, names, URLs, punctuation), length, character n-grams, structure.

For example: es-en gets USE + Apertium + anchors + length; sw-en gets e5 + anchors +
length; en-zh gets USE + anchors + length. The choice, with the reason for every
scorer left out, is recorded with the alignment (``parameters["scorer_choice"]``) and
printed by ``alinea align`` and ``alinea eval``.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.align import features
from app.align import mt as apertium
from app.align.encoders import E5_MODEL, USE_MODEL, model_for

# The features every model may weigh whatever the languages: those of the texts alone
# (the edge features only refine the search, and are not "scorers" a reader chooses).
ALWAYS = tuple(
    name
    for name, feature in features.FEATURES.items()
    if not feature.needs and name not in ("cut", "debris")
)
LABELS = {
    USE_MODEL: "USE multilingual v3",
    E5_MODEL: "multilingual-e5-small",
}


@dataclass(frozen=True)
class ScorerChoice:
    src_lang: str
    tgt_lang: str
    embedding: str | None = None  # USE_MODEL, E5_MODEL or None
    mt: str | None = None  # the Apertium direction, e.g. "spa-eng"
    mt_translates: str = "source"  # which side goes through Apertium
    notes: tuple[str, ...] = ()

    @property
    def scorers(self) -> list[str]:
        names = ["semantic"] if self.embedding else []
        names += ["mt"] if self.mt else []
        return names + list(ALWAYS)

    def summary(self) -> str:
        parts = []
        if self.embedding:
            parts.append(f"semantic ({LABELS[self.embedding]})")
        if self.mt:
            parts.append(f"mt (Apertium {self.mt}, {self.mt_translates} translated, chrF)")
        parts += list(ALWAYS)
        text = f"scorers for {self.src_lang}-{self.tgt_lang}: {', '.join(parts)}"
        return text + "".join(f"; {note}" for note in self.notes)

    def as_dict(self) -> dict[str, object]:
        return {
            "languages": [self.src_lang, self.tgt_lang],
            "scorers": self.scorers,
            "embedding_model": self.embedding,
            "mt": f"apertium {self.mt}" if self.mt else None,
            "mt_translates": self.mt_translates if self.mt else None,
            "notes": list(self.notes),
        }


def choose(
    src_lang: str,
    tgt_lang: str,
    *,
    fast: bool = False,
    use_mt: bool = True,
    use_embeddings: bool = True,
) -> ScorerChoice:
    """The scorers for aligning ``src_lang`` with ``tgt_lang`` (ISO 639-1 codes)."""
    notes = []
    embedding = None
    if fast:
        notes.append("no embedding model (fast mode)")
    elif not use_embeddings:
        notes.append("no embedding model (turned off)")
    else:
        embedding = model_for(src_lang, tgt_lang)
        if embedding is None:
            notes.append(f"no bundled embedding model knows both {src_lang} and {tgt_lang}")
    mt, translates = None, "source"
    if not use_mt:
        notes.append("no machine translation (turned off)")
    elif not apertium.available():
        notes.append("no machine translation (Apertium is not installed)")
    elif (mode := apertium.direction(src_lang, tgt_lang)) is not None:
        mt = mode
    elif (mode := apertium.direction(tgt_lang, src_lang)) is not None:
        mt, translates = mode, "target"
    else:
        notes.append(f"no machine translation (Apertium has no {src_lang}-{tgt_lang} pair)")
    return ScorerChoice(src_lang, tgt_lang, embedding, mt, translates, tuple(notes))


def describe(choice: dict) -> str:
    """One line for the scorers recorded with an alignment (``ScorerChoice.as_dict``)."""
    languages = "-".join(choice.get("languages", []))
    parts = []
    for name in choice.get("scorers", []):
        if name == "semantic" and choice.get("embedding_model"):
            parts.append(f"semantic ({choice['embedding_model']})")
        elif name == "mt" and choice.get("mt"):
            parts.append(f"mt ({choice['mt']} on the {choice['mt_translates']}, chrF)")
        else:
            parts.append(name)
    notes = "".join(f"; {note}" for note in choice.get("notes", []))
    return f"scorers for {languages}: {', '.join(parts)}{notes}"
