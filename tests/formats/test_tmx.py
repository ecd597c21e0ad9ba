"""TMX export: the shared contract, then what translate-toolkit and xml.etree read back."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from translate.misc.xml_helpers import getXMLlang
from translate.storage import tmx

from app.formats import ExportMeta, TmxReader
from app.formats.tmx import TmxExporter
from app.segments import BeadStatus, PairRecord

from .exporter_contract import META, ExporterContract, export, make_pair

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DATE = re.compile(r"^\d{8}T\d{6}Z$")

AWKWARD_SOURCE = 'AT&T <b> "quoted" ’ «» \u0001 control char'
AWKWARD_TARGET = 'AT&T <b> «citado» ’ "comillas" \u0001 carácter de control'
ACCENTED = ("Crème brûlée, naïve façade, Ångström.", "Crema catalana, ñandú, pingüino, acción.")
EMOJI = ("Rocket 🚀 and astronaut 👩‍🚀.", "Cohete 🚀 y astronauta 👩‍🚀.")


def awkward_pairs() -> list[PairRecord]:
    """Return the three pairs of the round-trip tests: markup-like, accented, emoji."""
    return [
        make_pair(1, AWKWARD_SOURCE, AWKWARD_TARGET, 0.8734, note='Check "AT&T" <b>'),
        make_pair(2, *ACCENTED, None, BeadStatus.AUTOMATIC),
        make_pair(3, *EMOJI, 1.0, changed_at=datetime(2024, 6, 1, 12, 0, 0, tzinfo=UTC)),
    ]


def parse_tmx(path: Path) -> tmx.tmxfile:
    """Return the file at ``path`` as parsed by translate-toolkit."""
    return tmx.tmxfile.parsefile(str(path))


def props(tu: ET.Element) -> dict[str, str | None]:
    """Return the ``<prop>`` values of a ``<tu>`` by type."""
    return {prop.get("type", ""): prop.text for prop in tu.findall("prop")}


class TestTmxExporter(ExporterContract):
    ExporterClass = TmxExporter

    def read_back(self, path: Path) -> list[tuple[str, str]]:
        return [(unit.source, unit.target) for unit in parse_tmx(path).units]


class TestReadByTranslateToolkit:
    def test_units_texts_and_languages(self, tmp_path: Path) -> None:
        store = parse_tmx(export(TmxExporter(), awkward_pairs(), tmp_path))

        assert len(store.units) == 3
        # The header names only the source language (store.gettargetlanguage() stays None),
        # so the target language is checked on each unit's tuv elements.
        assert store.getsourcelanguage() == "en"
        expected = [
            # The control character XML cannot carry shows as its placeholder's text.
            (
                AWKWARD_SOURCE.replace("\u0001", "U+0001"),
                AWKWARD_TARGET.replace("\u0001", "U+0001"),
            ),
            ACCENTED,
            EMOJI,
        ]
        for unit, (source, target) in zip(store.units, expected, strict=True):
            assert unit.source == source
            assert unit.target == target
            assert unit.gettarget("es") == target
            assert [getXMLlang(node) for node in unit.getlanguageNodes()] == ["en", "es"]

    def test_ids_and_notes(self, tmp_path: Path) -> None:
        store = parse_tmx(export(TmxExporter(), awkward_pairs(), tmp_path))

        assert [unit.getid() for unit in store.units] == ["1", "2", "3"]
        assert store.units[0].getnotes() == 'Check "AT&T" <b>'
        assert store.units[1].getnotes() == ""


class TestReadByElementTree:
    def test_header(self, tmp_path: Path) -> None:
        root = ET.parse(export(TmxExporter(), awkward_pairs(), tmp_path)).getroot()

        assert root.tag == "tmx"
        assert root.get("version") == "1.4"
        header = root.find("header")
        assert header is not None
        assert header.attrib == {
            "creationtool": "Alinea",
            "creationtoolversion": "0.1.0",
            "segtype": "paragraph",
            "o-tmf": "Alinea",
            "adminlang": "en",
            "srclang": "en",
            "datatype": "plaintext",
            "creationdate": "20240517T093005Z",
        }
        assert TMX_DATE.match(header.get("creationdate", ""))

    def test_starts_with_the_xml_declaration(self, tmp_path: Path) -> None:
        text = export(TmxExporter(), [], tmp_path).read_text(encoding="utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">')

    def test_units_props_and_child_order(self, tmp_path: Path) -> None:
        units = ET.parse(export(TmxExporter(), awkward_pairs(), tmp_path)).findall("body/tu")

        assert [tu.get("tuid") for tu in units] == ["1", "2", "3"]
        assert props(units[0]) == {"x-similarity": "0.873", "x-status": "confirmed"}
        assert props(units[1]) == {"x-status": "automatic"}  # no similarity, no prop
        assert props(units[2]) == {"x-similarity": "1.000", "x-status": "confirmed"}
        # The TMX DTD wants note*, prop*, then tuv+ inside a tu.
        assert [child.tag for child in units[0]] == ["note", "prop", "prop", "tuv", "tuv"]
        assert [tuv.get(XML_LANG) for tuv in units[0].findall("tuv")] == ["en", "es"]

    def test_changedate_only_when_changed_and_in_utc(self, tmp_path: Path) -> None:
        madrid_summer = timezone(timedelta(hours=2))
        pairs = [
            make_pair(1, "Unchanged.", "Sin cambios."),
            make_pair(
                2,
                "Changed.",
                "Cambiado.",
                changed_at=datetime(2024, 6, 1, 14, 0, 0, tzinfo=madrid_summer),
            ),
        ]
        units = ET.parse(export(TmxExporter(), pairs, tmp_path)).findall("body/tu")

        assert "changedate" not in units[0].attrib
        assert units[1].get("changedate") == "20240601T120000Z"
        assert TMX_DATE.match(units[1].get("changedate", ""))

    def test_naive_creation_date_is_read_as_utc(self, tmp_path: Path) -> None:
        meta = ExportMeta("en", "es", datetime(2024, 1, 2, 3, 4, 5), "0.1.0")
        chunks = TmxExporter().iter_chunks([], meta)
        header = ET.fromstring("".join(chunks)).find("header")
        assert header is not None
        assert header.get("creationdate") == "20240102T030405Z"

    def test_escapes_quotes_and_markup_in_attributes(self, tmp_path: Path) -> None:
        meta = ExportMeta(
            source_lang="en",
            target_lang="es",
            created_at=META.created_at,
            tool_version="1.0 \"beta\" <&> 'x'\tfinal",
            source_name='Report "A&B" <draft>.docx',
            target_name="Informe\nfinal.docx",
            alignment_id=42,
        )
        root = ET.fromstring("".join(TmxExporter().iter_chunks([], meta)))
        header = root.find("header")
        assert header is not None
        assert header.get("creationtoolversion") == "1.0 \"beta\" <&> 'x'\tfinal"
        assert props(header) == {
            "x-source-name": 'Report "A&B" <draft>.docx',
            "x-target-name": "Informe\nfinal.docx",
            "x-alignment-id": "42",
        }

    def test_segtype_follows_the_level_of_the_pairs(self) -> None:
        meta = ExportMeta("en", "es", META.created_at, "0.1.0", level="sentence")
        header = ET.fromstring("".join(TmxExporter().iter_chunks([], meta))).find("header")
        assert header is not None
        assert header.get("segtype") == "sentence"

    def test_segtype_is_a_parameter(self) -> None:
        chunks = TmxExporter(segtype="sentence").iter_chunks([], META)
        header = ET.fromstring("".join(chunks)).find("header")
        assert header is not None
        assert header.get("segtype") == "sentence"

    def test_unknown_segtype_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown TMX segtype 'line'"):
            TmxExporter(segtype="line")


class TestCharactersXmlCannotCarry:
    def test_each_is_written_as_a_placeholder_and_read_back(self, tmp_path: Path) -> None:
        forbidden = "\x01\x08\x0b\x0c\x1f\ufffe\uffff"
        kept = "tab\tnewline\ncr\rdel\x7f nel\x85 bmp\ufffd astral\U0001f680"
        pairs = [make_pair(1, forbidden + kept, kept + forbidden)]
        path = export(TmxExporter(), pairs, tmp_path)
        seg = ET.parse(path).find("body/tu/tuv/seg")
        assert seg is not None
        assert [ph.text for ph in seg.findall("ph")][:3] == ["U+0001", "U+0008", "U+000B"]
        assert {ph.get("type") for ph in seg.findall("ph")} == {"x-cp"}
        unit = TmxReader().read_path(path).units[0]
        assert (unit.source, unit.target) == (forbidden + kept, kept + forbidden)

    def test_whitespace_and_line_breaks_survive(self, tmp_path: Path) -> None:
        texts = ("  Indented\r\nthen\ttabbed  ", "  Sangrado\r\nluego\ttabulado  ")
        path = export(TmxExporter(), [make_pair(1, *texts)], tmp_path)
        unit = parse_tmx(path).units[0]
        assert (unit.source, unit.target) == texts

    def test_lone_surrogates_do_not_break_the_file(self, tmp_path: Path) -> None:
        # Half of an emoji (a lone surrogate) cannot even be encoded in UTF-8.
        pairs = [make_pair(1, "Broken \ud83d emoji.", "Emoji \udc00 roto.")]
        unit = parse_tmx(export(TmxExporter(), pairs, tmp_path)).units[0]
        assert (unit.source, unit.target) == ("Broken  emoji.", "Emoji  roto.")

    def test_side_made_only_of_control_characters_is_kept(self, tmp_path: Path) -> None:
        pairs = [make_pair(1, "Only control chars.", "\x01\x02"), make_pair(2, "Kept.", "Sí.")]
        units = TmxReader().read_path(export(TmxExporter(), pairs, tmp_path)).units
        assert [(unit.source, unit.target) for unit in units] == [
            ("Only control chars.", "\x01\x02"),
            ("Kept.", "Sí."),
        ]

    def test_a_note_shows_a_replacement_character_where_xml_cannot_carry_one(
        self, tmp_path: Path
    ) -> None:
        pairs = [make_pair(1, "A.", "B.", note="bell\x07here")]
        note = ET.parse(export(TmxExporter(), pairs, tmp_path)).find("body/tu/note")
        assert note is not None and note.text == "bell\ufffdhere"
