"""TSV export: the shared contract, then what the csv module reads back."""

from __future__ import annotations

import csv
from pathlib import Path

from app.formats.tsv import TsvExporter
from app.segments import BeadStatus

from .exporter_contract import META, ExporterContract, export, make_pair

HEADER = ["source", "target", "similarity", "status", "note"]


def read_rows(path: Path) -> list[list[str]]:
    """Return every row of the TSV file at ``path``, header included."""
    with path.open(encoding="utf-8", newline="") as fileobj:
        return list(csv.reader(fileobj, dialect="excel-tab"))


class TestTsvExporter(ExporterContract):
    ExporterClass = TsvExporter

    def read_back(self, path: Path) -> list[tuple[str, str]]:
        header, *rows = read_rows(path)
        assert header == HEADER
        return [(source, target) for source, target, *_ in rows]


class TestTsvSpecifics:
    def test_header_then_one_row_per_pair(self, tmp_path: Path) -> None:
        pairs = [
            make_pair(1, "Plain.", "Simple.", 0.8734),
            make_pair(2, "No score.", "Sin puntuación.", None, BeadStatus.AUTOMATIC),
            make_pair(3, "Rejected.", "Rechazado.", 0.1, BeadStatus.REJECTED),
        ]
        assert read_rows(export(TsvExporter(), pairs, tmp_path)) == [
            HEADER,
            ["Plain.", "Simple.", "0.873", "confirmed", ""],
            ["No score.", "Sin puntuación.", "", "automatic", ""],
            ["Rejected.", "Rechazado.", "0.100", "rejected", ""],
        ]

    def test_tab_quote_and_newline_inside_text_are_quoted(self, tmp_path: Path) -> None:
        source = 'Column\tsplit, "quoted" and\nbroken line'
        target = 'Columna\tpartida, «citada», "entre comillas" y\r\nlínea rota'
        pairs = [make_pair(1, source, target), make_pair(2, "Next.", "Siguiente.")]
        rows = read_rows(export(TsvExporter(), pairs, tmp_path))

        assert len(rows) == 3
        assert rows[1][:2] == [source, target]
        assert rows[2][:2] == ["Next.", "Siguiente."]

    def test_one_line_per_pair_when_texts_have_no_line_break(self, tmp_path: Path) -> None:
        pairs = [make_pair(i, f'Line {i}, with "quotes".', f"Línea {i}.") for i in range(5)]
        text = "".join(TsvExporter().iter_chunks(pairs, META))
        lines = text.splitlines()

        assert len(lines) == 1 + 5
        assert lines[0] == "source\ttarget\tsimilarity\tstatus\tnote"

    def test_lone_surrogates_are_dropped(self, tmp_path: Path) -> None:
        # Half of an emoji cannot be encoded in UTF-8: it would abort the write.
        pairs = [make_pair(1, "Broken \ud83d emoji.", "Emoji roto.")]
        rows = read_rows(export(TsvExporter(), pairs, tmp_path))
        assert rows[1][0] == "Broken  emoji."


class TestTsvNotesAndOneSided:
    def test_a_reviewer_s_note_goes_into_the_note_column(self, tmp_path: Path) -> None:
        pairs = [make_pair(1, "Uno.", "One.", note="check the name")]
        rows = read_rows(export(TsvExporter(), pairs, tmp_path))
        assert rows[1][-1] == "check the name"

    def test_one_sided_pairs_are_kept_only_when_asked(self, tmp_path: Path) -> None:
        pairs = [make_pair(1, "Uno.", "One."), make_pair(2, "", "Shopping Cart", None)]
        assert len(read_rows(export(TsvExporter(), pairs, tmp_path))) == 2
        kept = read_rows(export(TsvExporter(one_sided=True), pairs, tmp_path))
        assert [row[:2] for row in kept[1:]] == [["Uno.", "One."], ["", "Shopping Cart"]]
