"""A real CAT tool reads our TMX: OmegaT, headless, fills a project from the confirmed pairs.

The TMX export goes into the project's ``tm/auto`` folder, whose exact matches OmegaT
inserts as translations; ``--mode=console-translate`` then writes the translated document.
The test skips without Debian's ``omegat`` unless ALINEA_REQUIRE_OMEGAT=1 (set by .ci/run,
which installs it), which turns the skip into a failure.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.align.result import AlignmentResult
from app.ingest import LoadedDocument
from app.segments import BeadSpan, Segment
from app.services import add_document, sentences, store_alignment
from app.store import models
from app.store.db import transaction

# Paragraphs of (English, Spanish) sentences; the second paragraph stays unconfirmed.
ARTICLE = [
    [
        ("The border wall is long.", "El muro fronterizo es largo."),
        ("It crosses three deserts.", "Cruza tres desiertos."),
    ],
    [("Migrants wait in Tijuana.", "Los migrantes esperan en Tijuana.")],
    [
        ("Shelters are full.", "Los albergues están llenos."),
        ("Volunteers bring water.", "Los voluntarios llevan agua."),
    ],
]
CONFIRMED_PARAGRAPHS = (0, 2)
# At sentence level, one sentence of the last paragraph is left unconfirmed too.
CONFIRMED_SENTENCES = (0, 1, 3)

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>EN</source_lang>
    <target_lang>ES</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneSpanishTokenizer</target_tok>
    <sentence_seg>{sentence_seg}</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def omegat() -> str:
    """The path of Debian's ``omegat`` launcher, or a skip (a failure when required)."""
    found = shutil.which("omegat")
    if found is None:
        reason = "OmegaT is not installed (apt-get install omegat)"
        if os.environ.get("ALINEA_REQUIRE_OMEGAT") == "1":
            pytest.fail(reason + " (ALINEA_REQUIRE_OMEGAT=1)")
        pytest.skip(reason)
    return found


def document(title: str, language: str, paragraphs: list[str]) -> LoadedDocument:
    text = "\n\n".join(paragraphs)
    return LoadedDocument(
        title=title,
        language=language,
        text=text,
        segments=[Segment(paragraph) for paragraph in paragraphs],
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=f"hand-made/{title}",
    )


def one_to_one(count: int) -> list[BeadSpan]:
    return [BeadSpan(k, k + 1, k, k + 1, 0.9, {}) for k in range(count)]


def confirm(session, alignment_id: int, positions: tuple[int, ...]) -> None:
    beads = sorted(
        session.query(models.Bead).filter_by(alignment_id=alignment_id),
        key=lambda bead: bead.sort_key,
    )
    for position in positions:
        beads[position].status = "confirmed"


@pytest.fixture
def article(sessions) -> int:
    """The article aligned at both levels, partly confirmed; returns the paragraph level's id."""
    english = [" ".join(en for en, _ in paragraph) for paragraph in ARTICLE]
    spanish = [" ".join(es for _, es in paragraph) for paragraph in ARTICLE]
    pairs = [pair for paragraph in ARTICLE for pair in paragraph]
    with transaction(sessions) as session:
        source = add_document(session, document("Border article", "en", english))
        target = add_document(session, document("Artículo frontera", "es", spanish))
        parent = store_alignment(
            session, source, target, AlignmentResult(one_to_one(len(ARTICLE)), "by-hand/1", {})
        )
        english_sentences = [(k, en) for k, paragraph in enumerate(ARTICLE) for en, _ in paragraph]
        spanish_sentences = [(k, es) for k, paragraph in enumerate(ARTICLE) for _, es in paragraph]
        sentences.store_sentences(session, source, english_sentences)
        sentences.store_sentences(session, target, spanish_sentences)
        child = sentences.store_sentence_alignment(
            session, parent, AlignmentResult(one_to_one(len(pairs)), "by-hand/1", {})
        )
        session.flush()
        confirm(session, parent.id, CONFIRMED_PARAGRAPHS)
        confirm(session, child.id, CONFIRMED_SENTENCES)
        return parent.id


def translate_with_omegat(tmx: Path, folder: Path, sentence_seg: bool) -> str:
    """Translate the English article in a new OmegaT project with ``tmx`` in tm/auto."""
    project = folder / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / sub).mkdir(parents=True)
    (project / "omegat.project").write_text(
        PROJECT.format(sentence_seg=str(sentence_seg).lower()), encoding="utf-8"
    )
    english = [" ".join(en for en, _ in paragraph) for paragraph in ARTICLE]
    (project / "source" / "article.txt").write_text("\n\n".join(english) + "\n", encoding="utf-8")
    shutil.copy(tmx, project / "tm" / "auto" / tmx.name)
    completed = subprocess.run(
        [omegat(), str(project), "--mode=console-translate"],
        capture_output=True,
        text=True,
        timeout=300,
        # OmegaT keeps its preferences in the home folder: a throw-away one.
        env={**os.environ, "HOME": str(folder / "home"), "DISPLAY": ""},
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return (project / "target" / "article.txt").read_text(encoding="utf-8")


def test_omegat_fills_the_confirmed_paragraphs_from_a_paragraph_tmx(run, article, tmp_path):
    tmx = tmp_path / "confirmed.tmx"
    result = run("export", str(article), "--format", "tmx", "--status", "confirmed",
                 "-o", str(tmx))  # fmt: skip
    assert result.exit_code == 0, result.output
    translated = translate_with_omegat(tmx, tmp_path, sentence_seg=False).split("\n\n")
    for k, paragraph in enumerate(ARTICLE):
        spanish = " ".join(es for _, es in paragraph)
        english = " ".join(en for en, _ in paragraph)
        expected = spanish if k in CONFIRMED_PARAGRAPHS else english
        assert translated[k].strip() == expected


def test_omegat_fills_the_confirmed_sentences_from_a_sentence_tmx(run, article, tmp_path):
    tmx = tmp_path / "confirmed.tmx"
    result = run("export", str(article), "--format", "tmx", "--status", "confirmed",
                 "--level", "sentence", "-o", str(tmx))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert 'segtype="sentence"' in tmx.read_text(encoding="utf-8")
    translated = translate_with_omegat(tmx, tmp_path, sentence_seg=True)
    pairs = [pair for paragraph in ARTICLE for pair in paragraph]
    for k, (english, spanish) in enumerate(pairs):
        if k in CONFIRMED_SENTENCES:
            assert spanish in translated and english not in translated
        else:
            assert english in translated and spanish not in translated
