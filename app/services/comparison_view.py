"""The comparison as pages, the summary and the exports read it: rows sorted, filtered,
paged, and the word differences and metrics of the rows shown.

Differences and sentence metrics are computed only for the rows of the page asked for;
sorting or filtering by divergence needs one cheap token distance per row and pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.compare.diff import Change, divergence, token_divergence, word_diff, words
from app.compare.metrics import CorpusScore, corpus_scores, sentence_scores
from app.compare.pivot import PivotRow
from app.errors import InvalidRequest
from app.services.comparisons import Column, Pivot, diff_base, same_language_pairs

PAGE_SIZE = 50
SORTS = ("order", "divergence", "similarity")


@dataclass(frozen=True)
class RowFilter:
    """What the reader asked for: order, the pair whose divergence counts, thresholds."""

    sort: str = "order"
    # (earlier column, later column); None: the largest divergence of any same-language pair.
    pair: tuple[int, int] | None = None
    min_divergence: float | None = None
    max_similarity: float | None = None
    flagged: bool = False

    @classmethod
    def from_args(cls, args, column_count: int) -> RowFilter:
        sort = args.get("sort", "order") or "order"
        if sort not in SORTS:
            raise InvalidRequest(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        return cls(
            sort=sort,
            pair=_pair(args.get("pair", ""), column_count),
            min_divergence=_fraction(args.get("min_divergence", ""), "min_divergence"),
            max_similarity=_fraction(args.get("max_similarity", ""), "max_similarity"),
            flagged=args.get("flagged", "") == "1",
        )

    def as_args(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.sort != "order":
            out["sort"] = self.sort
        if self.pair is not None:
            out["pair"] = f"{self.pair[0]}-{self.pair[1]}"
        if self.min_divergence is not None:
            out["min_divergence"] = str(self.min_divergence)
        if self.max_similarity is not None:
            out["max_similarity"] = str(self.max_similarity)
        if self.flagged:
            out["flagged"] = "1"
        return out

    @property
    def active(self) -> bool:
        return bool(
            self.min_divergence is not None or self.max_similarity is not None or self.flagged
        )


def _pair(value: str, column_count: int) -> tuple[int, int] | None:
    value = value.strip()
    if not value:
        return None
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) < 4 for p in parts):
        raise InvalidRequest(f"pair must look like 1-2 (two column numbers), not {value!r}")
    a, b = sorted(int(p) for p in parts)
    if a == b or b >= column_count:
        raise InvalidRequest(f"there is no pair of columns {value!r} in this comparison")
    return a, b


def _fraction(value: str, name: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise InvalidRequest(f"{name} must be a number between 0 and 1, not {value!r}") from None
    if not 0.0 <= number <= 1.0:
        raise InvalidRequest(f"{name} must be a number between 0 and 1, not {value!r}")
    return number


@dataclass(frozen=True)
class Piece:
    """A stretch of a cell's text as shown: "same", "ins" (not in the base) or "del" (only
    in the base)."""

    kind: str
    text: str


@dataclass
class CellView:
    column: Column
    segments: list[str]
    similarity: float | None = None
    flags: list[dict] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)
    # Against ``base``: the text as pieces, when it is marked.
    base: int | None = None
    pieces: list[Piece] | None = None


@dataclass
class RowView:
    number: int
    src_start: int
    src_end: int
    cells: list[CellView]
    divergence: float | None
    metrics: list[dict[str, Any]]

    @property
    def min_similarity(self) -> float | None:
        values = [c.similarity for c in self.cells[1:] if c.similarity is not None]
        return min(values) if values else None


@dataclass
class Page:
    rows: list[RowView]
    total: int
    page: int
    pages: int
    pairs: list[tuple[int, int]]


def divergence_of(pivot: Pivot, row: PivotRow, pairs: list[tuple[int, int]]) -> float | None:
    """The largest token divergence of the pairs in this row (None without pairs)."""
    if not pairs:
        return None
    # Each column's tokens once, however many pairs it is in.
    tokens: dict[int, list[str]] = {}
    for column in {k for pair in pairs for k in pair}:
        tokens[column] = words(pivot.text(row, column, " "))
    return max(token_divergence(tokens[a], tokens[b]) for a, b in pairs)


def row_similarity(pivot: Pivot, row: PivotRow) -> float | None:
    values = [pivot.similarity(row, k) for k in range(1, len(pivot.columns))]
    present = [v for v in values if v is not None]
    return min(present) if present else None


def page(pivot: Pivot, wanted: RowFilter, number: int = 1, size: int = PAGE_SIZE) -> Page:
    """One page of rows in the order and with the filters asked for."""
    pairs = [wanted.pair] if wanted.pair else same_language_pairs(pivot.columns)
    numbered = list(enumerate(pivot.rows))
    need_divergence = wanted.sort == "divergence" or wanted.min_divergence is not None
    divergences: dict[int, float | None] = {}
    if need_divergence:
        pivot.load_columns(sorted({k for pair in pairs for k in pair}))
        divergences = {n: divergence_of(pivot, row, pairs) for n, row in numbered}
    if wanted.flagged:
        pivot.load_all_flags()
        numbered = [
            (n, row)
            for n, row in numbered
            if any(pivot.flags(row, k) for k in range(1, len(pivot.columns)))
        ]
    if wanted.max_similarity is not None:
        numbered = [
            (n, row)
            for n, row in numbered
            if (s := row_similarity(pivot, row)) is not None and s <= wanted.max_similarity
        ]
    if wanted.min_divergence is not None:
        numbered = [
            (n, row) for n, row in numbered if (divergences[n] or 0.0) >= wanted.min_divergence
        ]
    if wanted.sort == "divergence":
        numbered.sort(key=lambda item: (-(divergences[item[0]] or 0.0), item[0]))
    elif wanted.sort == "similarity":
        numbered.sort(key=lambda item: (_low_first(row_similarity(pivot, item[1])), item[0]))
    total = len(numbered)
    pages = max(1, -(-total // size))
    number = min(max(number, 1), pages)
    shown = numbered[(number - 1) * size : number * size]
    pivot.load([row for _n, row in shown])
    rows = [row_view(pivot, n, row, pairs) for n, row in shown]
    return Page(rows, total, number, pages, pairs)


def _low_first(value: float | None) -> float:
    return -1.0 if value is None else value


def row_view(
    pivot: Pivot,
    number: int,
    row: PivotRow,
    pairs: list[tuple[int, int]],
    scores: bool = False,
) -> RowView:
    """A row with its texts, the versions' similarity and flags, word differences against
    each column's base, and each pair's divergence; with ``scores``, also the pairs'
    sentence-level chrF, BLEU and TER (milliseconds per pair, TER far more on a long
    paragraph: kept for the one-row view and the summary, not for pages of rows)."""
    cols = pivot.columns
    cells = []
    for column in cols:
        cell = CellView(column, pivot.segments(row, column.index))
        if column.index:
            cell.similarity = pivot.similarity(row, column.index)
            cell.flags = pivot.flags(row, column.index)
            cell.statuses = pivot.statuses(row, column.index)
        base = diff_base(cols, column.index)
        if base is not None:
            cell.base = base
            cell.pieces = pieces(word_diff(pivot.text(row, base), pivot.text(row, column.index)))
        cells.append(cell)
    metrics = []
    worst = None
    for a, b in pairs:
        ref, hyp = pivot.text(row, a, " "), pivot.text(row, b, " ")
        gap = divergence(ref, hyp)
        worst = gap if worst is None else max(worst, gap)
        metric: dict[str, Any] = {"pair": (a, b), "divergence": gap}
        if scores:
            metric |= sentence_scores(ref, hyp).as_dict()
        metrics.append(metric)
    return RowView(number, row.src_start, row.src_end, cells, worst, metrics)


def pieces(changes: list[Change]) -> list[Piece]:
    """The other version's text with what changed from the base marked, for display."""
    out: list[Piece] = []

    def add(kind: str, tokens) -> None:
        text = "".join(t.text + t.space for t in tokens)
        if not text:
            return
        if out and out[-1].kind == kind:
            out[-1] = Piece(kind, out[-1].text + text)
        else:
            out.append(Piece(kind, text))

    for change in changes:
        if change.tag == "equal":
            add("same", change.new)
        else:
            add("del", change.old)
            add("ins", change.new)
    return out


# ---------------------------------------------------------------- summary


@dataclass(frozen=True)
class PairSummary:
    reference: Column
    hypothesis: Column
    scores: list[CorpusScore]
    rows_differing: int
    mean_divergence: float


@dataclass(frozen=True)
class VersionSummary:
    column: Column
    mean_similarity: float | None
    one_sided_rows: int
    flagged_rows: int


def summary(pivot: Pivot) -> tuple[list[VersionSummary], list[PairSummary]]:
    """Per version, its agreement with the original; per same-language pair, sacrebleu's
    corpus scores over the rows (with signatures) and how many rows differ."""
    pivot.load_all()
    versions = []
    for column in pivot.columns[1:]:
        values = [pivot.similarity(row, column.index) for row in pivot.rows]
        present = [v for v in values if v is not None]
        versions.append(
            VersionSummary(
                column,
                round(sum(present) / len(present), 4) if present else None,
                sum(1 for row in pivot.rows if row.cells[column.index - 1].empty),
                sum(1 for row in pivot.rows if pivot.flags(row, column.index)),
            )
        )
    pair_summaries = []
    for a, b in same_language_pairs(pivot.columns):
        refs = [pivot.text(row, a, " ") for row in pivot.rows]
        hyps = [pivot.text(row, b, " ") for row in pivot.rows]
        gaps = [divergence(r, h) for r, h in zip(refs, hyps, strict=True)]
        pair_summaries.append(
            PairSummary(
                pivot.columns[a],
                pivot.columns[b],
                corpus_scores(refs, hyps),
                sum(1 for gap in gaps if gap > 0),
                round(sum(gaps) / len(gaps), 4) if gaps else 0.0,
            )
        )
    return versions, pair_summaries


def scores_table(pivot: Pivot) -> str:
    """The summary as plain text, for the command line."""
    versions, pair_summaries = summary(pivot)
    lines = ["column  language  mean similarity  flagged rows  rows left empty  label"]
    for v in versions:
        similarity = "—" if v.mean_similarity is None else f"{v.mean_similarity:.2f}"
        lines.append(
            f"{v.column.index:>6}  {v.column.language:<8}  {similarity:>15}  "
            f"{v.flagged_rows:>12}  {v.one_sided_rows:>15}  {v.column.label}"
        )
    if not pair_summaries:
        lines.append("no two columns share a language: no pair is scored")
    for p in pair_summaries:
        lines.append("")
        lines.append(
            f"columns {p.reference.index} → {p.hypothesis.index} ({p.reference.language}): "
            f"{p.rows_differing} of {len(pivot.rows)} rows differ, mean divergence "
            f"{p.mean_divergence:.2f}"
        )
        for score in p.scores:
            lines.append(f"  {score.name:<6} {score.score:>6.2f}  {score.signature}")
    return "\n".join(lines)


# ---------------------------------------------------------------- export


def export_chunks(pivot: Pivot, comparison_id: int, title: str, format_name: str, now):
    """The comparison in ``format_name`` (see ``app.compare.export.FORMATS``), in pieces."""
    from app import __version__
    from app.compare.export import FORMATS, ExportColumn, ExportInfo, ExportRow

    chosen = FORMATS.get(format_name)
    if chosen is None:
        raise InvalidRequest(
            f"unknown format {format_name!r}; choose one of {', '.join(sorted(FORMATS))}"
        )
    pivot.load_all()
    columns = [ExportColumn(c.index, c.label, c.language, c.kind) for c in pivot.columns]
    rows = (
        ExportRow(
            n,
            tuple(pivot.text(row, c.index) for c in pivot.columns),
            (None, *(pivot.similarity(row, c.index) for c in pivot.columns[1:])),
        )
        for n, row in enumerate(pivot.rows)
    )
    info = ExportInfo(comparison_id, title, pivot.level, now, __version__)
    return chosen.write(columns, rows, info)
