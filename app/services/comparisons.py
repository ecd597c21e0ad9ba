"""Comparisons: building them (one pair alignment per version) and reading them as rows.

A version is aligned with the original by the same two-level alignment as ``alinea
align`` (``app.services.pairs``), checked by the QA checks, and stored as an ordinary
alignment that the review page opens. The comparison's rows are derived from those
alignments' stored beads each time they are read (``app.compare.pivot``), so a review
change in any pair alignment shows in the comparison at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, sessionmaker

from app import services
from app.align.result import Progress
from app.compare.pivot import PivotRow, build_pivot
from app.errors import InvalidRequest, NotFound
from app.ingest import LoadedDocument
from app.segments import Segment
from app.services import pairs
from app.services.qa import run_qa
from app.store import models
from app.store import segments as store_segments
from app.store.beads import outline
from app.store.comparisons import Comparison, ComparisonVersion, VersionKind
from app.store.queries import sentence_level

LEVELS = ("paragraph", "sentence")
MAX_VERSIONS = 20


# ---------------------------------------------------------------- building


def compute_version(
    sessions: sessionmaker[Session],
    original: LoadedDocument,
    version: LoadedDocument,
    progress: Progress | None = None,
    use_mt: bool = True,
) -> pairs.PairAlignment:
    """Align one version with the original at both levels; writes nothing."""
    if original.checksum == version.checksum:
        raise InvalidRequest(
            f"{version.title} holds the same text as the original; give a different version"
        )
    return pairs.compute(sessions, original, version, progress, use_mt=use_mt)


def create(
    session: Session, original: LoadedDocument, title: str | None, project_id: int | None
) -> Comparison:
    """A comparison of ``original`` (stored unless already there) with no version yet."""
    document = services.add_document(session, original, project_id)
    comparison = Comparison(
        title=(title or f"Versions of {original.title}")[:500],
        original_id=document.id,
        project_id=project_id,
    )
    session.add(comparison)
    session.flush()
    return comparison


def store_version(
    session: Session,
    comparison: Comparison,
    pair: pairs.PairAlignment,
    label: str | None = None,
    kind: VersionKind = VersionKind.GIVEN,
) -> ComparisonVersion:
    """Store a computed pair alignment (both levels, QA flags) as the comparison's next column."""
    if pair.source.checksum != comparison.original.checksum:
        raise InvalidRequest("this version was aligned with another original")
    if len(comparison.versions) >= MAX_VERSIONS:
        raise InvalidRequest(f"a comparison holds at most {MAX_VERSIONS} versions")
    if any(v.document.checksum == pair.target.checksum for v in comparison.versions):
        raise InvalidRequest(f"{pair.target.title} is already a version in this comparison")
    alignment = pairs.store(session, pair, comparison.project_id)
    run_qa(session, alignment)
    sentences = sentence_level(session, alignment.id)
    if sentences is not None:
        run_qa(session, sentences)
    position = max((v.position for v in comparison.versions), default=-1) + 1
    version = ComparisonVersion(
        comparison_id=comparison.id,
        position=position,
        document_id=alignment.target_id,
        alignment_id=alignment.id,
        label=(label or pair.target.title)[:200],
        kind=kind.value,
    )
    session.add(version)
    session.flush()
    session.refresh(comparison, ["versions"])
    return version


def machine_version(original: LoadedDocument, language: str) -> LoadedDocument | None:
    """The original translated by Apertium into ``language``, paragraph by paragraph, or
    None when Apertium lacks the pair."""
    from app.align import mt

    mode = mt.direction(original.language, language)
    if mode is None:
        return None
    texts = mt.translate([segment.text for segment in original.segments], mode)
    segments = [
        Segment(text, segment.kind) for text, segment in zip(texts, original.segments, strict=True)
    ]
    text = "\n\n".join(texts)
    return LoadedDocument(
        title=f"Apertium {mode} of {original.title}"[:500],
        language=language,
        text=text,
        segments=segments,
        checksum=hashlib.sha256(("machine\n" + text).encode("utf-8")).hexdigest(),
        origin=f"apertium {mode}",
    )


def get(session: Session, comparison_id: int) -> Comparison:
    comparison = session.get(Comparison, comparison_id)
    if comparison is None:
        raise NotFound(f"there is no comparison {comparison_id}")
    return comparison


def list_comparisons(session: Session, where=None) -> list[Comparison]:
    query = select(Comparison).order_by(Comparison.id.desc())
    if where is not None:
        query = query.where(where)
    return list(session.scalars(query))


def find(session: Session, original_checksum: str, version_checksums: list[str]) -> int | None:
    """The newest comparison of that original with exactly those versions, in that order."""
    for comparison in list_comparisons(session):
        if comparison.original.checksum != original_checksum:
            continue
        if [v.document.checksum for v in comparison.versions] == version_checksums:
            return comparison.id
    return None


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Column:
    """A column of the comparison: 0 is the original, 1.. the versions in their order."""

    index: int
    label: str
    language: str
    document_id: int
    alignment_id: int | None
    kind: str


@dataclass(frozen=True)
class BeadInfo:
    id: int
    src_start: int
    src_end: int
    tgt_start: int
    tgt_end: int
    similarity: float | None
    status: str


class Pivot:
    """The comparison at one level: its columns and rows, read from the stored beads.

    Texts and QA flags are read only where needed: ``load(rows)`` fetches those of the
    given rows (a page), ``load_all()`` every one (summary, export, sorting by divergence);
    a text asked for before it was loaded is fetched then.
    """

    def __init__(
        self,
        session: Session,
        columns: list[Column],
        beads: list[list[BeadInfo]],
        lengths: list[int],
        level: str,
        alignments: list[int],
    ) -> None:
        self.session, self.columns, self.beads = session, columns, beads
        self.lengths, self.level, self.alignments = lengths, level, alignments
        self.rows: list[PivotRow] = build_pivot(lengths[0], beads)
        self._texts: list[dict[int, str]] = [{} for _ in columns]
        self._flags: dict[int, tuple[dict, ...]] = {}
        self._all_flags = False

    # -- loading

    def load(self, rows: Sequence[PivotRow]) -> None:
        for column in self.columns:
            wanted: set[int] = set()
            for row in rows:
                start, end = self._span(row, column.index)
                wanted.update(range(start, end))
            self._fetch_texts(column.index, wanted - self._texts[column.index].keys())
        bead_ids = {
            self.beads[k][index].id
            for row in rows
            for k, cell in enumerate(row.cells)
            for index in cell.beads
        }
        self._fetch_flags(bead_ids - self._flags.keys())

    def load_all(self) -> None:
        self.load_columns([column.index for column in self.columns])
        self.load_all_flags()

    def load_columns(self, columns: Sequence[int]) -> None:
        """Every text of the given columns."""
        for column in columns:
            missing = set(range(self.lengths[column])) - self._texts[column].keys()
            self._fetch_texts(column, missing)

    def load_all_flags(self) -> None:
        if not self._all_flags:
            self._fetch_flags({b.id for beads in self.beads for b in beads} - self._flags.keys())
            self._all_flags = True

    def _fetch_texts(self, column: int, positions: set[int]) -> None:
        if not positions:
            return
        segment = models.Segment
        document_id = self.columns[column].document_id
        low, high = min(positions), max(positions)
        if high - low < 4 * len(positions):
            # Mostly contiguous (a page in document order, or everything): one range.
            queries = [store_segments.condition(document_id, self.level, low, high + 1)]
        else:
            # Scattered (a page of rows sorted by score): the positions themselves.
            where = store_segments.condition(document_id, self.level)
            ordered = sorted(positions)
            queries = [
                and_(where, segment.position.in_(ordered[k : k + 500]))
                for k in range(0, len(ordered), 500)
            ]
        store = self._texts[column]
        for query in queries:
            found = self.session.execute(select(segment.position, segment.text).where(query))
            for position, text in found:
                if position in positions:
                    store[position] = text

    def _fetch_flags(self, bead_ids: set[int]) -> None:
        ordered = sorted(bead_ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            found = self.session.execute(
                select(models.Bead.id, models.Bead.flags).where(models.Bead.id.in_(chunk))
            )
            for bead_id, flags in found:
                self._flags[bead_id] = tuple(flags or ())
        for bead_id in bead_ids:
            self._flags.setdefault(bead_id, ())

    # -- reading

    def _span(self, row: PivotRow, column: int) -> tuple[int, int]:
        if column == 0:
            return row.src_start, row.src_end
        cell = row.cells[column - 1]
        return cell.start, cell.end

    def segments(self, row: PivotRow, column: int) -> list[str]:
        start, end = self._span(row, column)
        store = self._texts[column]
        missing = {p for p in range(start, end) if p not in store}
        if missing:
            self._fetch_texts(column, missing)
        return [store.get(p, "") for p in range(start, end)]

    def all_texts(self, column: int) -> list[str]:
        """Every segment of the column's document at this level, in order."""
        self._fetch_texts(column, set(range(self.lengths[column])) - self._texts[column].keys())
        return [self._texts[column][p] for p in range(self.lengths[column])]

    def text(self, row: PivotRow, column: int, joiner: str = "\n\n") -> str:
        return joiner.join(self.segments(row, column))

    def similarity(self, row: PivotRow, column: int) -> float | None:
        """The version's similarity to the original in this row, as the aligner scored its
        beads (mean over them, a one-sided bead counting 0); None for an empty row."""
        cell = row.cells[column - 1]
        beads = [self.beads[column - 1][k] for k in cell.beads]
        if not beads:
            return None
        return round(sum(b.similarity or 0.0 for b in beads) / len(beads), 4)

    def flags(self, row: PivotRow, column: int) -> list[dict]:
        cell = row.cells[column - 1]
        ids = [self.beads[column - 1][k].id for k in cell.beads]
        missing = {i for i in ids if i not in self._flags}
        if missing:
            self._fetch_flags(missing)
        return [flag for i in ids for flag in self._flags[i]]

    def statuses(self, row: PivotRow, column: int) -> set[str]:
        cell = row.cells[column - 1]
        return {self.beads[column - 1][k].status for k in cell.beads}


def columns(comparison: Comparison) -> list[Column]:
    original = comparison.original
    out = [Column(0, "Original", original.language, original.id, None, "original")]
    for k, version in enumerate(comparison.versions, start=1):
        out.append(
            Column(
                k,
                version.label,
                version.document.language,
                version.document_id,
                version.alignment_id,
                version.kind,
            )
        )
    return out


def pivot(session: Session, comparison: Comparison, level: str = "paragraph") -> Pivot:
    """The comparison's rows at ``level``, from the pair alignments' beads as stored now."""
    if level not in LEVELS:
        raise InvalidRequest(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    cols = columns(comparison)
    alignment_ids = [
        _level_alignment(session, c.alignment_id, level) for c in cols[1:] if c.alignment_id
    ]
    beads = [_beads(session, alignment_id) for alignment_id in alignment_ids]
    lengths = _lengths(session, [c.document_id for c in cols], level)
    return Pivot(session, cols, beads, lengths, level, alignment_ids)


def _level_alignment(session: Session, paragraph_id: int, level: str) -> int:
    if level == "paragraph":
        return paragraph_id
    child = sentence_level(session, paragraph_id)
    if child is None:
        raise NotFound("a version of this comparison has no sentence level")
    return child.id


def _beads(session: Session, alignment_id: int) -> list[BeadInfo]:
    return [
        BeadInfo(r.id, r.src_start, r.src_end, r.tgt_start, r.tgt_end, r.similarity, r.status)
        for r in outline(session, alignment_id)
    ]


def _lengths(session: Session, document_ids: list[int], level: str) -> list[int]:
    segment = models.Segment
    counts = dict(
        session.execute(
            select(segment.document_id, func.count())
            .where(segment.document_id.in_(set(document_ids)), segment.level == level)
            .group_by(segment.document_id)
        ).all()
    )
    return [counts.get(document_id, 0) for document_id in document_ids]


def same_language_pairs(cols: Sequence[Column]) -> list[tuple[int, int]]:
    """Every pair of columns (earlier, later) in one language: the pairs that get word
    differences and metrics."""
    return [
        (a.index, b.index)
        for a in cols
        for b in cols
        if a.index < b.index and a.language == b.language
    ]


def diff_base(cols: Sequence[Column], index: int) -> int | None:
    """The column whose text column ``index`` is marked against: the nearest earlier
    column in the same language."""
    for earlier in range(index - 1, -1, -1):
        if cols[earlier].language == cols[index].language:
            return earlier
    return None


# ---------------------------------------------------------------- one build


@dataclass(frozen=True)
class VersionInput:
    """A version to add: the document, and how the columns call it."""

    document: LoadedDocument
    label: str | None = None
    kind: VersionKind = VersionKind.GIVEN


# Called with (version number from 1, versions in all, the pair's stage, done, total).
BuildReport = Callable[[int, int, str, int, int], None]


def compute_all(
    sessions: sessionmaker[Session],
    original: LoadedDocument,
    versions: Sequence[VersionInput],
    report: BuildReport | None = None,
    use_mt: bool = True,
) -> list[tuple[VersionInput, pairs.PairAlignment]]:
    """Align every version with the original, one after the other; writes nothing.

    The original's embeddings are cached in the store after the first version, so each
    further version costs about its own side only.
    """
    if not versions:
        raise InvalidRequest("give at least one version to compare with the original")
    if len(versions) > MAX_VERSIONS:
        raise InvalidRequest(f"a comparison holds at most {MAX_VERSIONS} versions")
    seen: dict[str, str] = {}
    for version in versions:
        checksum, title = version.document.checksum, version.document.title
        if checksum in seen:
            raise InvalidRequest(
                f"{title} and {seen[checksum]} hold the same text; give each version once"
            )
        seen[checksum] = title
    computed = []
    for number, version in enumerate(versions, start=1):
        progress = None
        if report is not None:
            progress = Progress.reporting(_numbered(report, number, len(versions)))
        computed.append(
            (version, compute_version(sessions, original, version.document, progress, use_mt))
        )
    return computed


def _numbered(report: BuildReport, number: int, count: int):
    return lambda stage, done, total: report(number, count, stage, done, total)


def store_all(
    session: Session,
    original: LoadedDocument,
    computed: Sequence[tuple[VersionInput, pairs.PairAlignment]],
    title: str | None = None,
    project_id: int | None = None,
) -> Comparison:
    """A new comparison with every computed version, in one transaction (the caller's)."""
    comparison = create(session, original, title, project_id)
    for version, pair in computed:
        store_version(session, comparison, pair, version.label, version.kind)
    return comparison
