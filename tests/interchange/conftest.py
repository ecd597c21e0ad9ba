"""An alignment full of awkward text at both levels, the ``alinea`` command, the official schemas.

The schemas are not part of the repository: they are read from ``../shared/schemas`` beside
the clone (see that folder's README), and the tests that need them skip, saying so, when
the folder is absent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from app.align.result import AlignmentResult
from app.cli import main
from app.ingest import LoadedDocument
from app.segments import BeadSpan, Segment
from app.services import add_document, sentences, store_alignment
from app.store import models
from app.store.db import transaction

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "schemas"

LONG = " ".join(f"palabra{k % 97}" for k in range(700))[:5000]
"""A 5,000-character sentence, longer than any buffer a writer might assume."""

# Each paragraph pair is a list of sentence pairs; the sentences make the sentence level.
AWKWARD_PARAGRAPHS: list[list[tuple[str, str]]] = [
    [
        ("A bell\x07rings here.", "Suena una campana\x07aquí."),
        ('He said "AT&T" and &amp; <b>bold</b>.', "Dijo «AT&T» y &amp; <b>negrita</b>."),
    ],
    [
        ("Non\u00a0breaking\u00a0spaces and\ttabs\tinside.", "Espacios\u00a0duros y\ttabuladores."),
        ("Rocket 🚀 and astronaut 👩\u200d🚀.", "Arabic: مرحبا بالعالم 🚀."),
    ],
    [("Line\u2028separator and next\u0085line.", "Separador\u2028de línea y\u0085otra.")],
    [(LONG, LONG.upper())],
    [("=SUM(A1:A9) looks like a formula.", "-1 +2 @home also do.")],
]
ONE_SIDED = "Only in the original: the translator left this out."


@dataclass(frozen=True)
class Awkward:
    """The ids of the awkward alignment's two levels."""

    paragraph: int
    sentence: int


def _document(title: str, language: str, paragraphs: list[str]) -> LoadedDocument:
    text = "\n\n".join(paragraphs)
    return LoadedDocument(
        title=title,
        language=language,
        text=text,
        segments=[Segment(paragraph) for paragraph in paragraphs],
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=f"hand-made/{title}",
    )


def _one_to_one(count: int, extra_source: bool) -> list[BeadSpan]:
    spans = [
        BeadSpan(k, k + 1, k, k + 1, 0.5 + k / 100, {"chrf": 0.25 + k / 200, "length": 0.9})
        for k in range(count)
    ]
    if extra_source:
        spans.append(BeadSpan(count, count + 1, count, count, None, {}))
    return spans


def _review(session, alignment_id: int) -> None:
    """Give the beads every review status, notes and QA flags, as a reviewer would."""
    beads = session.query(models.Bead).filter_by(alignment_id=alignment_id)
    beads = sorted(beads, key=lambda bead: bead.sort_key)
    beads[0].status, beads[0].note = "confirmed", 'Checked: "AT&T" <b> «ok» & done'
    beads[1].flags = [{"check": "numbers", "message": "7 ≠ 8: a number differs"}]
    beads[2].status = "rejected"
    beads[3].status, beads[3].note = "confirmed", "Long one\twith a tab"


@pytest.fixture
def awkward(sessions) -> Awkward:
    """The awkward paragraphs aligned pair by pair, with their sentences aligned too."""
    source_paragraphs = [" ".join(s for s, _ in pairs) for pairs in AWKWARD_PARAGRAPHS]
    target_paragraphs = [" ".join(t for _, t in pairs) for pairs in AWKWARD_PARAGRAPHS]
    source_sentences = [(k, s) for k, pairs in enumerate(AWKWARD_PARAGRAPHS) for s, _ in pairs]
    target_sentences = [(k, t) for k, pairs in enumerate(AWKWARD_PARAGRAPHS) for _, t in pairs]
    count = len(AWKWARD_PARAGRAPHS)
    with transaction(sessions) as session:
        source = add_document(
            session, _document("Informe «final» & <b>.docx", "en", [*source_paragraphs, ONE_SIDED])
        )
        target = add_document(session, _document('Report "final".docx', "es", target_paragraphs))
        parent = store_alignment(
            session, source, target, AlignmentResult(_one_to_one(count, True), "by-hand/1", {})
        )
        sentences.store_sentences(session, source, [*source_sentences, (count, ONE_SIDED)])
        sentences.store_sentences(session, target, target_sentences)
        child = sentences.store_sentence_alignment(
            session,
            parent,
            AlignmentResult(_one_to_one(len(target_sentences), True), "by-hand/1", {}),
        )
        session.flush()
        _review(session, parent.id)
        _review(session, child.id)
        return Awkward(parent.id, child.id)


@pytest.fixture
def run(database_url, tmp_path):
    """Invoke ``alinea`` against the test database; returns click's Result."""
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}

    def invoke(*args: str, **extra_env: str):
        return runner.invoke(main, list(args), env={**env, **extra_env}, catch_exceptions=False)

    return invoke


def schema_file(name: str) -> Path:
    """Return the official schema ``name`` from ``../shared/schemas``; skip when absent."""
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(
            f"the official schema {name} is not in {SCHEMAS} (the folder beside the clone "
            "that CI provides); schema validation is skipped"
        )
    return path


def xliff2_schema(tmp_path: Path) -> etree.XMLSchema:
    """Return the XLIFF 2 core schema with the Metadata module, joined by a small wrapper."""
    core, metadata = schema_file("xliff_core_2.0.xsd"), schema_file("metadata.xsd")
    wrapper = tmp_path / "xliff2-with-metadata.xsd"
    wrapper.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
        '  <xs:import namespace="urn:oasis:names:tc:xliff:document:2.0"'
        f' schemaLocation="{core.as_uri()}"/>\n'
        '  <xs:import namespace="urn:oasis:names:tc:xliff:metadata:2.0"'
        f' schemaLocation="{metadata.as_uri()}"/>\n'
        "</xs:schema>\n",
        encoding="utf-8",
    )
    return etree.XMLSchema(etree.parse(str(wrapper)))


def validator(format_name: str, tmp_path: Path):
    """Return the official validator (lxml DTD or XMLSchema) of an XML format."""
    if format_name == "tmx":
        with schema_file("tmx14.dtd").open("rb") as handle:
            return etree.DTD(handle)
    if format_name == "xliff12":
        return etree.XMLSchema(etree.parse(str(schema_file("xliff-core-1.2-strict.xsd"))))
    return xliff2_schema(tmp_path)


def assert_valid(path: Path, format_name: str, tmp_path: Path) -> None:
    """Fail with the validator's messages unless the file at ``path`` is valid."""
    checker = validator(format_name, tmp_path)
    # No network and no DTD loading: the document is judged by the official files only.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.parse(str(path), parser)
    valid = checker.validate(document)
    assert valid, "\n".join(str(error) for error in checker.error_log)
