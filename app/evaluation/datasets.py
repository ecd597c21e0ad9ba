"""Loaders for the gold evaluation sets kept read-only in ``shared/eval-data``.

The data stay outside the repository; every loader reads them from ``data_root()``:
an explicit ``root``, else the ``ALINEA_EVAL_DATA`` environment variable, else
``DEFAULT_ROOT`` (``shared/eval-data`` beside the repository).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import Literal

from .links import Link, read_links
from .verses import read_verse_ids

ENV_VAR = "ALINEA_EVAL_DATA"
DEFAULT_ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "eval-data"

TEXT_BERG_DIR = Path("vecalign") / "bleualign_data"
TEXT_BERG_SPLITS: dict[str, tuple[str, ...]] = {
    "dev": ("dev",),
    "test": tuple(f"test{number}" for number in range(7)),
}
BIBLE_DIR = Path("bertalign") / "data" / "bible"
BIBLE_TEXT = "001"
# The Bible's books, for paragraph-level figures: the paragraph models are fitted on
# Genesis (with the other sets' dev parts) and judged on the other three books. The
# sentence level is judged on the whole text, as published figures are, and nothing at
# that level is fitted on it.
BIBLE_SPLITS: dict[str, tuple[str, ...]] = {"dev": ("Gen",), "test": ("Exo", "Lev", "Num")}
NTREX_DIR = Path("NTREX")
NTREX_SOURCE = "newstest2019-src.eng.txt"
# NTREX-128 also has ref-2.spa (a second reference) and ref.spa-MX (Mexican Spanish).
NTREX_SPANISH = "newstest2019-ref.spa.txt"

Split = Literal["dev", "test"]


class EvalDataMissing(Exception):
    """The evaluation-data folder, or a file expected in it, does not exist."""


@dataclass(frozen=True)
class EvalDocument:
    """One document pair to align, with its gold links when the set has them."""

    name: str
    src_lines: list[str]
    tgt_lines: list[str]
    src_lang: str
    tgt_lang: str
    gold: list[Link] | None


def data_root(root: Path | str | None = None) -> Path:
    """Return the evaluation-data folder: ``root``, else $ALINEA_EVAL_DATA, else DEFAULT_ROOT.

    Raises EvalDataMissing when that folder does not exist.
    """
    if root is None:
        root = os.environ.get(ENV_VAR) or DEFAULT_ROOT
    root = Path(root)
    if not root.is_dir():
        raise EvalDataMissing(
            f"evaluation data folder not found: {root} "
            f"(set {ENV_VAR} to the folder holding vecalign/, bertalign/ and NTREX/)"
        )
    return root


def _require(path: Path) -> Path:
    """Return ``path`` if it is a file; raise EvalDataMissing otherwise."""
    if not path.is_file():
        raise EvalDataMissing(f"evaluation data file not found: {path}")
    return path


def _read_lines(path: Path) -> list[str]:
    """Return the lines of a UTF-8 text file without their ``\\n`` or ``\\r\\n`` endings.

    Only newlines end a line: str.splitlines would also split on characters such as U+2028
    inside a sentence and shift every later line number the gold refers to.
    """
    lines = _require(path).read_text(encoding="utf-8-sig").split("\n")
    if lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    return [line.removesuffix("\r") for line in lines]


def _read_gold(path: Path) -> list[Link]:
    """Return the gold links stored at ``path``."""
    return read_links(_require(path))


def text_berg_document(name: str, root: Path | str | None = None) -> EvalDocument:
    """Return the Text+Berg de-fr document ``name`` ("dev", "test0".."test6") with its gold."""
    folder = data_root(root) / TEXT_BERG_DIR
    return EvalDocument(
        name=name,
        src_lines=_read_lines(folder / f"{name}.de"),
        tgt_lines=_read_lines(folder / f"{name}.fr"),
        src_lang="de",
        tgt_lang="fr",
        gold=_read_gold(folder / f"{name}.defr"),
    )


def text_berg(split: Split, root: Path | str | None = None) -> list[EvalDocument]:
    """Return the Text+Berg documents of ``split``: "dev" (1, tuning) or "test" (7)."""
    if split not in TEXT_BERG_SPLITS:
        raise ValueError(f"unknown Text+Berg split {split!r}; expected 'dev' or 'test'")
    return [text_berg_document(name, root) for name in TEXT_BERG_SPLITS[split]]


def _bible_folder(root: Path | str | None) -> Path:
    return data_root(root) / BIBLE_DIR


def bible(root: Path | str | None = None) -> EvalDocument:
    """Return the en-zh Bible text with its verse-level gold links."""
    folder = _bible_folder(root)
    return EvalDocument(
        name=BIBLE_TEXT,
        src_lines=_read_lines(folder / "en" / BIBLE_TEXT),
        tgt_lines=_read_lines(folder / "zh" / BIBLE_TEXT),
        src_lang="en",
        tgt_lang="zh",
        gold=_read_gold(folder / "gold" / f"{BIBLE_TEXT}.align"),
    )


def bible_books(split: Split, root: Path | str | None = None) -> EvalDocument:
    """The Bible's books of ``split`` (``BIBLE_SPLITS``), as one document whose lines
    and gold links are counted from its first line."""
    if split not in BIBLE_SPLITS:
        raise ValueError(f"unknown Bible split {split!r}; expected 'dev' or 'test'")
    whole = bible(root)
    src_books, tgt_books = ([v.split(":")[0] for v in side] for side in bible_verse_ids(root))
    books = set(BIBLE_SPLITS[split])
    src_range, tgt_range = _run_of(src_books, books), _run_of(tgt_books, books)
    gold = []
    for link in whole.gold or []:
        inside = [k in src_range for k in link.src] + [k in tgt_range for k in link.tgt]
        if all(inside):
            gold.append(
                Link(
                    tuple(k - src_range.start for k in link.src),
                    tuple(k - tgt_range.start for k in link.tgt),
                )
            )
        elif any(inside):
            raise ValueError(f"a Bible gold link crosses the edge of {split}: {link}")
    return EvalDocument(
        name=f"{BIBLE_TEXT} {'-'.join(BIBLE_SPLITS[split])}",
        src_lines=whole.src_lines[src_range.start : src_range.stop],
        tgt_lines=whole.tgt_lines[tgt_range.start : tgt_range.stop],
        src_lang=whole.src_lang,
        tgt_lang=whole.tgt_lang,
        gold=gold,
    )


def _run_of(labels: list[str], wanted: set[str]) -> range:
    """The positions of ``labels`` in ``wanted``, which must be one unbroken run."""
    positions = [k for k, label in enumerate(labels) if label in wanted]
    if not positions or positions[-1] - positions[0] + 1 != len(positions):
        raise ValueError(f"the books {sorted(wanted)} are not one run of the Bible's lines")
    return range(positions[0], positions[-1] + 1)


def bible_verse_ids(root: Path | str | None = None) -> tuple[list[str], list[str]]:
    """Return the verse id of each English and of each Chinese Bible sentence."""
    folder = _bible_folder(root)
    return (
        read_verse_ids(_require(folder / "en.verse")),
        read_verse_ids(_require(folder / "zh.verse")),
    )


def bible_bertalign_links(root: Path | str | None = None) -> list[Link]:
    """Return Bertalign's stored output on the Bible (``auto/001.align``; a reference, not gold)."""
    return read_links(_require(_bible_folder(root) / "auto" / f"{BIBLE_TEXT}.align"))


def _document_spans(ids: list[str]) -> list[tuple[str, int, int]]:
    """Return (document id, first line, end line) for each run of equal ids, in order.

    Raises ValueError when a document's lines are not contiguous.
    """
    spans: list[tuple[str, int, int]] = []
    start = 0
    for name, run in groupby(ids):
        end = start + len(list(run))
        spans.append((name, start, end))
        start = end
    names = [name for name, _, _ in spans]
    if len(set(names)) != len(names):
        raise ValueError("DOCUMENT_IDS.tsv: a document's lines are not contiguous")
    return spans


def _one_to_one(count: int) -> list[Link]:
    """Return the links pairing line i with line i, for ``count`` lines."""
    return [Link((index,), (index,)) for index in range(count)]


def ntrex_documents(
    root: Path | str | None = None,
    reference: str = NTREX_SPANISH,
    split: str | None = None,
    perturbed: bool = False,
) -> list[EvalDocument]:
    """Return the 123 NTREX en->es document pairs, each with its 1-1 gold.

    ``reference`` names the Spanish file in ``NTREX-128`` (default: the Spain reference).
    ``split``: "dev" (every third document, from the first: 41) or "test" (the other
    82); None: all. ``perturbed``: see ``perturb``.
    """
    documents = _ntrex_all(root, reference)
    if split is not None:
        if split not in NTREX_SPLITS:
            raise ValueError(f"unknown NTREX split {split!r}")
        documents = [d for k, d in enumerate(documents) if (k % 3 == 0) == (split == "dev")]
    return [perturb(d) for d in documents] if perturbed else documents


NTREX_SPLITS = ("dev", "test")
# Shares of the original line pairs turned into each kind of link by ``perturb``.
PERTURB_RATES = {"merge_source": 0.08, "merge_target": 0.08, "drop_target": 0.04,
                 "drop_source": 0.04}  # fmt: skip


def perturb(document: EvalDocument) -> EvalDocument:
    """A harder version of a 1-1 document pair, with a known gold: here and there two
    consecutive source lines are joined into one (a 2-1 link), or two target lines
    (1-2), or a target line is dropped (its source line becomes an omission) or a
    source line (an insertion). The choices are random but fixed by the document's
    name, so every run sees the same texts."""
    import random
    import zlib

    rng = random.Random(zlib.crc32(document.name.encode("utf-8")))
    src, tgt, gold = [], [], []
    k, n = 0, len(document.src_lines)
    rates = PERTURB_RATES
    while k < n:
        roll = rng.random()
        pair = k + 1 < n
        if pair and roll < rates["merge_source"]:
            gold.append(Link((len(src),), (len(tgt), len(tgt) + 1)))
            src.append(document.src_lines[k] + " " + document.src_lines[k + 1])
            tgt += document.tgt_lines[k : k + 2]
            k += 2
            continue
        roll -= rates["merge_source"]
        if pair and roll < rates["merge_target"]:
            gold.append(Link((len(src), len(src) + 1), (len(tgt),)))
            src += document.src_lines[k : k + 2]
            tgt.append(document.tgt_lines[k] + " " + document.tgt_lines[k + 1])
            k += 2
            continue
        roll -= rates["merge_target"]
        if roll < rates["drop_target"]:
            gold.append(Link((len(src),), ()))
            src.append(document.src_lines[k])
        elif roll - rates["drop_target"] < rates["drop_source"]:
            gold.append(Link((), (len(tgt),)))
            tgt.append(document.tgt_lines[k])
        else:
            gold.append(Link((len(src),), (len(tgt),)))
            src.append(document.src_lines[k])
            tgt.append(document.tgt_lines[k])
        k += 1
    return EvalDocument(document.name, src, tgt, document.src_lang, document.tgt_lang, gold)


def with_omissions(document: EvalDocument) -> EvalDocument:
    """``document`` with, here and there, one side of a two-sided gold link left out of
    its text, at ``perturb``'s rates: the other side's lines become an omission (the
    target's left out) or an addition (the source's). For gold sets that hold no
    one-sided line, such as the Bible's, so that what is fitted on them also learns to
    leave untranslated text alone. Random but fixed by the document's name."""
    import random
    import zlib

    rng = random.Random(zlib.crc32(f"omissions {document.name}".encode()))
    dropped_src: set[int] = set()
    dropped_tgt: set[int] = set()
    kept: list[Link] = []
    drop_target = PERTURB_RATES["drop_target"]
    drop_source = drop_target + PERTURB_RATES["drop_source"]
    for link in document.gold or []:
        roll = rng.random() if link.src and link.tgt else 1.0
        if roll < drop_target:
            dropped_tgt.update(link.tgt)
            kept.append(Link(link.src, ()))
        elif roll < drop_source:
            dropped_src.update(link.src)
            kept.append(Link((), link.tgt))
        else:
            kept.append(link)
    src_lines, src_at = _without(document.src_lines, dropped_src)
    tgt_lines, tgt_at = _without(document.tgt_lines, dropped_tgt)
    gold = [
        Link(tuple(src_at[k] for k in link.src), tuple(tgt_at[k] for k in link.tgt))
        for link in kept
    ]
    return replace(document, src_lines=src_lines, tgt_lines=tgt_lines, gold=gold)


def _without(lines: list[str], dropped: set[int]) -> tuple[list[str], dict[int, int]]:
    """``lines`` less the ``dropped`` ones, and each kept line's new index."""
    kept = [k for k in range(len(lines)) if k not in dropped]
    return [lines[k] for k in kept], {old: new for new, old in enumerate(kept)}


def _ntrex_all(root: Path | str | None, reference: str) -> list[EvalDocument]:
    folder = data_root(root) / NTREX_DIR
    ids = [line.strip() for line in _read_lines(folder / "DOCUMENT_IDS.tsv")]
    src = _read_lines(folder / "NTREX-128" / NTREX_SOURCE)
    tgt = _read_lines(folder / "NTREX-128" / reference)
    if not len(ids) == len(src) == len(tgt):
        raise ValueError(
            f"NTREX files disagree in length: {len(ids)} document ids, "
            f"{len(src)} source lines, {len(tgt)} lines in {reference}"
        )
    return [
        EvalDocument(
            name=name,
            src_lines=src[start:end],
            tgt_lines=tgt[start:end],
            src_lang="en",
            tgt_lang="es",
            gold=_one_to_one(end - start),
        )
        for name, start, end in _document_spans(ids)
    ]
