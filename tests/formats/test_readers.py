"""Reading TMX and XLIFF: round trips with our exporters, other tools' files, hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.formats import TmxExporter, TmxReader, Xliff12Exporter, XliffExporter, XliffReader
from app.formats.reader import reader_for
from app.ingest import IngestError
from app.segments import BeadStatus

from .exporter_contract import export, make_pair

PAIRS = [
    make_pair(0, "Hola, mundo.", "Hello, world.", 0.91, BeadStatus.CONFIRMED),
    make_pair(1, "AT&T <b> «x»", 'AT&T <b> "x"', 0.5, BeadStatus.AUTOMATIC),
    make_pair(2, "Dos\nlíneas", "Two\nlines", None, BeadStatus.REJECTED),
]

FORMATS = [(TmxExporter, TmxReader), (XliffExporter, XliffReader), (Xliff12Exporter, XliffReader)]


@pytest.mark.parametrize(("exporter_class", "reader_class"), FORMATS)
def test_export_then_import_gives_the_same_pairs_languages_and_statuses(
    exporter_class, reader_class, tmp_path: Path
) -> None:
    path = export(exporter_class(), PAIRS, tmp_path)
    document = reader_class().read_path(path)
    assert (document.source_lang, document.target_lang) == ("en", "es")
    assert [(u.source, u.target, u.status) for u in document.units] == [
        (p.source, p.target, p.status) for p in PAIRS
    ]
    assert [u.similarity for u in document.units] == [0.91, 0.5, None]


def test_a_foreign_tmx_becomes_confirmed_units_with_inline_codes_dropped() -> None:
    data = """<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header srclang="en-US" segtype="sentence" o-tmf="x" adminlang="en"
 creationtool="x" creationtoolversion="1" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="en-US">
<seg>Press <bpt i="1">&lt;b&gt;</bpt>Enter<ept i="1">&lt;/b&gt;</ept>.</seg>
 </tuv>
     <tuv xml:lang="fr-FR"><seg>Appuyez sur Entrée.</seg></tuv></tu>
 <tu><tuv lang="EN-US"><seg>Only English.</seg></tuv></tu>
</body></tmx>""".encode()
    document = TmxReader().read_bytes(data, "memory.tmx")
    assert (document.source_lang, document.target_lang) == ("en", "fr")
    assert [(u.source, u.target, u.status) for u in document.units] == [
        ("Press Enter.", "Appuyez sur Entrée.", BeadStatus.CONFIRMED),
        ("Only English.", "", BeadStatus.CONFIRMED),
    ]


def test_a_foreign_xliff12_reads_states_as_statuses() -> None:
    data = b"""<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="a" source-language="de" target-language="en" datatype="plaintext"><body>
<group><trans-unit id="1"><source>Ja</source><target state="translated">Yes</target>
</trans-unit></group>
<trans-unit id="2"><source>Nein</source><target state="new">No</target></trans-unit>
</body></file></xliff>"""
    units = XliffReader().read_bytes(data, "a.xlf").units
    assert [(u.source, u.target, u.status) for u in units] == [
        ("Ja", "Yes", BeadStatus.CONFIRMED),
        ("Nein", "No", BeadStatus.AUTOMATIC),
    ]


def test_an_xliff2_unit_with_several_segments_is_one_pair() -> None:
    data = b"""<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en"
 trgLang="it"><file id="f"><unit id="u"><segment state="final"><source>A.</source>
<target>Uno.</target></segment><ignorable><source> </source><target> </target></ignorable>
<segment state="final"><source>B.</source><target>Due.</target></segment></unit></file></xliff>"""
    units = XliffReader().read_bytes(data, "b.xlf").units
    assert [(u.source, u.target, u.status) for u in units] == [
        ("A. B.", "Uno. Due.", BeadStatus.CONFIRMED)
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&d;</seg></tuv>
<tuv xml:lang="es"><seg>x</seg></tuv></tu></body></tmx>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en"
 target-language="es" original="x" datatype="plaintext"><body><trans-unit id="1">
<source>&secret;</source><target>x</target></trans-unit></body></file></xliff>"""


@pytest.mark.parametrize(
    ("reader_class", "data"), [(TmxReader, BILLION_LAUGHS), (XliffReader, XXE)]
)
def test_hostile_xml_is_refused_with_a_clear_message(reader_class, data: bytes) -> None:
    with pytest.raises(IngestError, match="refused for safety"):
        reader_class().read_bytes(data, "hostile")


def test_an_external_dtd_is_never_fetched() -> None:
    data = b"""<?xml version="1.0"?><!DOCTYPE tmx PUBLIC "x" "http://127.0.0.1:9/tmx.dtd">
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg></tuv>
<tuv xml:lang="es"><seg>b</seg></tuv></tu></body></tmx>"""
    assert TmxReader().read_bytes(data, "x.tmx").units[0].target == "b"


@pytest.mark.parametrize(
    ("reader_class", "data", "message"),
    [
        (TmxReader, b"<tmx><header srclang='en'>", "not well-formed XML"),
        (TmxReader, b"<html><body/></html>", "not a TMX file"),
        (XliffReader, b"<tmx version='1.4'/>", "not an XLIFF file"),
        (XliffReader, b"<xliff version='3.0'/>", "unsupported XLIFF version"),
        (TmxReader, b"   ", "the file is empty"),
        (TmxReader, b"%PDF-1.4 binary", "not well-formed XML"),
        (
            TmxReader,
            b"<tmx version='1.4'><header srclang='en'/><body/></tmx>",
            "does not say its target language",
        ),
    ],
)
def test_malformed_or_wrong_type_files_get_a_clear_error(reader_class, data, message) -> None:
    with pytest.raises(IngestError, match=message):
        reader_class().read_bytes(data, "bad")


def test_readers_refuse_files_over_their_size_cap(tmp_path: Path) -> None:
    path = export(TmxExporter(), [make_pair(0, "a" * 2000, "b")], tmp_path)
    with pytest.raises(IngestError, match="larger than"):
        TmxReader(max_bytes=1000).read_path(path)


@pytest.mark.parametrize(
    ("name", "format_name"),
    [("a.tmx", "tmx"), ("a.XLF", "xliff"), ("a.xliff", "xliff"), ("a.txt", None)],
)
def test_readers_are_chosen_by_extension(name: str, format_name: str | None) -> None:
    reader = reader_for(name)
    assert (reader.name if reader else None) == format_name
