"""Behaviour every exporter shares, written once against an ``ExporterClass`` attribute.

A format's test class subclasses ``ExporterContract``, sets ``ExporterClass`` and says how
to read its files back, the way translate-toolkit's store tests share ``test_base``.
The class name does not start with ``Test`` so pytest only collects the subclasses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from app.formats import EXPORTERS, Exporter, ExportMeta, get_exporter
from app.segments import BeadStatus, PairRecord

META = ExportMeta(
    source_lang="en",
    target_lang="es",
    created_at=datetime(2024, 5, 17, 9, 30, 5, tzinfo=UTC),
    tool_version="0.1.0",
)

STREAM_SIZE = 200_000


def make_pair(
    position: int,
    source: str,
    target: str,
    similarity: float | None = 0.5,
    status: BeadStatus = BeadStatus.CONFIRMED,
    note: str | None = None,
    changed_at: datetime | None = None,
) -> PairRecord:
    """Return a PairRecord with defaults for what a test does not care about."""
    return PairRecord(position, source, target, similarity, status, note, changed_at)


def export(exporter: Exporter, pairs: Iterable[PairRecord], tmp_path: Path) -> Path:
    """Write ``pairs`` with ``exporter`` to a file under ``tmp_path``; returns its path."""
    path = tmp_path / f"export{exporter.extension}"
    with path.open("w", encoding="utf-8", newline="") as fileobj:
        exporter.write(pairs, META, fileobj)
    return path


class ExporterContract:
    """Shared tests; subclasses set ``ExporterClass`` and implement ``read_back``."""

    ExporterClass: ClassVar[type[Exporter]]

    def read_back(self, path: Path) -> list[tuple[str, str]]:
        """Return the (source, target) texts of the file at ``path``, in file order."""
        raise NotImplementedError

    def test_describes_its_format(self) -> None:
        assert self.ExporterClass.name.isidentifier()
        assert self.ExporterClass.extension == f".{self.ExporterClass.name}"
        assert "/" in self.ExporterClass.media_type

    def test_is_registered_under_its_name(self) -> None:
        assert EXPORTERS[self.ExporterClass.name] is self.ExporterClass
        assert isinstance(get_exporter(self.ExporterClass.name), self.ExporterClass)

    def test_round_trips_texts_in_order(self, tmp_path: Path) -> None:
        texts = [
            ("Hello, world.", "Hola, mundo."),
            ('AT&T <b> "quoted" ’ «» 🚀', "AT&T <b> «citado» ’ 🚀"),
            ("Two\nlines\twith a tab", "Dos\nlíneas\tcon tabulador"),
        ]
        pairs = [make_pair(i, source, target) for i, (source, target) in enumerate(texts)]
        assert self.read_back(export(self.ExporterClass(), pairs, tmp_path)) == texts

    def test_skips_one_sided_pairs(self, tmp_path: Path) -> None:
        pairs = [
            make_pair(0, "Kept.", "Conservado."),
            make_pair(1, "Omitted in the translation.", ""),
            make_pair(2, "", "Añadido en la traducción."),
            make_pair(3, "Whitespace only.", " \n\t"),
            make_pair(4, "Also kept.", "También conservado."),
        ]
        assert self.read_back(export(self.ExporterClass(), pairs, tmp_path)) == [
            ("Kept.", "Conservado."),
            ("Also kept.", "También conservado."),
        ]

    def test_written_is_the_number_of_pairs_in_the_file(self, tmp_path: Path) -> None:
        pairs = [
            make_pair(0, "Kept.", "Conservado."),
            make_pair(1, "Omitted in the translation.", ""),
            make_pair(2, "Also kept.", "También conservado."),
        ]
        exporter = self.ExporterClass()
        path = export(exporter, pairs, tmp_path)
        assert exporter.written == len(self.read_back(path)) == 2

    def test_exports_no_pairs_as_an_empty_file(self, tmp_path: Path) -> None:
        assert self.read_back(export(self.ExporterClass(), [], tmp_path)) == []

    def test_write_writes_exactly_the_chunks(self, tmp_path: Path) -> None:
        pairs = [make_pair(0, "One.", "Uno."), make_pair(1, "Two.", "Dos.")]
        path = export(self.ExporterClass(), pairs, tmp_path)
        chunks = self.ExporterClass().iter_chunks(pairs, META)
        with path.open(encoding="utf-8", newline="") as written:
            assert written.read() == "".join(chunks)

    def test_streams_pairs_without_collecting_them(self) -> None:
        produced = 0

        def pairs() -> Iterator[PairRecord]:
            nonlocal produced
            for position in range(STREAM_SIZE):
                produced += 1
                yield make_pair(position, f"Source {position}.", f"Destino {position}.")

        chunks = self.ExporterClass().iter_chunks(pairs(), META)
        assert produced == 0  # nothing happens until the first chunk is asked for

        next(chunks)  # the head of the file needs no pair
        assert produced == 0
        first_pair_chunk = next(chunks)
        assert "Source 0." in first_pair_chunk
        assert produced == 1

        # The rest still comes through, one chunk after another, without being kept.
        remaining = sum(1 for chunk in chunks if "Source" in chunk)
        assert remaining == STREAM_SIZE - 1
        assert produced == STREAM_SIZE
