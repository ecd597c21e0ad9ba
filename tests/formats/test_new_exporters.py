"""The CSV, JSONL, XLIFF 2.1 and XLIFF 1.2 exporters: the shared contract and their specifics."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from lxml import etree
from translate.storage import xliff, xliff2

from app.formats import CsvExporter, DetailedPair, JsonlExporter, Xliff12Exporter, XliffExporter
from app.formats.xliff import METADATA_NS, XLIFF2_NS
from app.formats.xliff_common import XliffReader
from app.segments import BeadStatus

from .exporter_contract import META, STREAM_SIZE, ExporterContract, export, make_pair


def detailed(position: int, source: str, target: str, status: BeadStatus, **extra) -> DetailedPair:
    return DetailedPair(position, source, target, extra.pop("similarity", 0.8), status, **extra)


MIXED = [
    detailed(0, "Hola.", "Hello.", BeadStatus.CONFIRMED, scores={"chrf": 0.4}),
    detailed(
        1, "Dos.", "Two.", BeadStatus.AUTOMATIC, flags=({"check": "numbers", "message": "x"},)
    ),
    detailed(2, "Tres.", "Three.", BeadStatus.REJECTED, note="wrong <pair>"),
]


class TestCsv(ExporterContract):
    ExporterClass = CsvExporter

    def read_back(self, path: Path) -> list[tuple[str, str]]:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        return [(row["source"], row["target"]) for row in rows]


def test_csv_has_a_header_and_the_flags(tmp_path: Path) -> None:
    path = export(CsvExporter(), MIXED, tmp_path)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["position", "source", "target", "similarity", "status", "flags", "note"]
    assert rows[2][5] == "numbers: x"
    assert rows[3][6] == "wrong <pair>"


def test_csv_keeps_one_sided_pairs_as_half_empty_rows_when_asked(tmp_path: Path) -> None:
    pairs = [make_pair(0, "Sólo origen.", ""), make_pair(1, "A.", "B.")]
    path = export(CsvExporter(one_sided=True), pairs, tmp_path)
    assert TestCsv().read_back(path) == [("Sólo origen.", ""), ("A.", "B.")]


class TestJsonl(ExporterContract):
    ExporterClass = JsonlExporter

    def read_back(self, path: Path) -> list[tuple[str, str]]:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [(obj["source"], obj["target"]) for obj in map(json.loads, lines)]

    def test_streams_pairs_without_collecting_them(self) -> None:
        # JSON Lines has no head: the first chunk is already the first pair.
        produced = 0

        def pairs():
            nonlocal produced
            for position in range(STREAM_SIZE):
                produced += 1
                yield make_pair(position, f"Source {position}.", f"Destino {position}.")

        chunks = JsonlExporter().iter_chunks(pairs(), META)
        assert produced == 0
        assert "Source 0." in next(chunks) and produced == 1
        assert sum(1 for _ in chunks) == STREAM_SIZE - 1


def test_jsonl_has_every_score_and_flag(tmp_path: Path) -> None:
    lines = export(JsonlExporter(), MIXED, tmp_path).read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    assert objects[0]["scores"] == {"chrf": 0.4}
    assert objects[0]["source_lang"] == "en" and objects[0]["similarity"] == 0.8
    assert objects[1]["flags"] == [{"check": "numbers", "message": "x"}]
    assert [obj["status"] for obj in objects] == ["confirmed", "automatic", "rejected"]


class TestXliff(ExporterContract):
    ExporterClass = XliffExporter

    def read_back(self, path: Path) -> list[tuple[str, str]]:
        units = (
            XliffReader().read_bytes(path.read_bytes(), path.name).units
            if self._has_units(path)
            else []
        )
        return [(unit.source, unit.target) for unit in units]

    @staticmethod
    def _has_units(path: Path) -> bool:
        return b"<unit " in path.read_bytes()


class TestXliff12(ExporterContract):
    ExporterClass = Xliff12Exporter

    def test_describes_its_format(self) -> None:
        # XLIFF 1.2 files end in .xlf by convention; the name tells the versions apart.
        assert (self.ExporterClass.name, self.ExporterClass.extension) == ("xliff12", ".xlf")

    def read_back(self, path: Path) -> list[tuple[str, str]]:
        if b"<trans-unit" not in path.read_bytes():
            return []
        units = XliffReader().read_bytes(path.read_bytes(), path.name).units
        return [(unit.source, unit.target) for unit in units]


def test_xliff21_states_and_metadata_follow_the_review(tmp_path: Path) -> None:
    document = etree.parse(str(export(XliffExporter(), MIXED, tmp_path)))
    segments = document.findall(f".//{{{XLIFF2_NS}}}segment")
    assert [s.get("state") for s in segments] == ["final", "initial", "initial"]
    assert segments[2].get("subState") == "alinea:rejected"
    metas = document.findall(f".//{{{METADATA_NS}}}meta")
    assert ("numbers", "x") in {(m.get("type"), m.text) for m in metas}
    assert ("score:chrf", "0.400") in {(m.get("type"), m.text) for m in metas}


def test_translate_toolkit_reads_our_xliff21(tmp_path: Path) -> None:
    path = export(XliffExporter(), MIXED, tmp_path)
    store = xliff2.Xliff2File.parsefile(str(path))
    units = [unit for unit in store.units if unit.source]
    assert [unit.source for unit in units] == ["Hola.", "Dos.", "Tres."]
    assert [unit.target for unit in units] == ["Hello.", "Two.", "Three."]
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "es")
    assert [unit.isapproved() for unit in units] == [True, False, False]


def test_translate_toolkit_reads_our_xliff12(tmp_path: Path) -> None:
    path = export(Xliff12Exporter(), MIXED, tmp_path)
    store = xliff.xlifffile.parsefile(str(path))
    units = [unit for unit in store.units if unit.source]
    assert len(units) == 3
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("en", "es")
    assert [unit.isapproved() for unit in units] == [True, False, False]
    assert [unit.target for unit in units] == ["Hello.", "Two.", "Three."]
    assert "numbers: x" in units[1].getnotes()


def test_meta_is_exported_once_per_file(tmp_path: Path) -> None:
    text = export(Xliff12Exporter(), MIXED, tmp_path).read_text(encoding="utf-8")
    assert text.count('source-language="en"') == 1
    assert META.tool_version in text
