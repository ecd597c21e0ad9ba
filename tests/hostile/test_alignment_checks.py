"""Pairs of documents that are no original and translation: the answer the translator gets.

Two texts in one language are aligned with a warning (two editions or versions of one text are
worth comparing, so the alignment is not refused); two unrelated texts are aligned with a warning
and a low overall score; a document with itself is refused; one-character documents align.
The warnings are kept in the alignment's parameters and shown by the CLI and the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from app.config import Settings
from app.ingest import DEFAULT_LANGUAGES
from app.store import db as store_db
from app.store import models
from app.web import create_app

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border"

BREAD = """How to bake sourdough bread at home

Feed your starter the night before, so that it is bubbly and active in the morning.

Mix the flour and water and let the dough rest for an hour before adding the salt.

Fold the dough every half hour for the first two hours of the bulk fermentation.

Shape the loaf gently, place it in a floured basket and leave it in the fridge overnight.

Bake it in a very hot covered pot for twenty minutes, then uncovered until the crust is dark.
"""


@pytest.fixture
def workspace(tmp_path):
    """A migrated SQLite database and a way to run ``alinea`` on it."""
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    store_db.upgrade(url)
    env = {"DATABASE_URL": url, "ALINEA_INSTANCE": str(tmp_path / "instance")}

    def run(*args: str):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    run.url = url
    run.tmp = tmp_path
    return run


def stored_alignment(url: str, alignment_id: int) -> models.Alignment:
    engine = store_db.make_engine(url)
    with store_db.make_session_factory(engine)() as session:
        alignment = session.get(models.Alignment, alignment_id)
        alignment.beads  # loaded while the session is open  # noqa: B018
    engine.dispose()
    return alignment


def page_of(workspace, alignment_id: int) -> str:
    settings = Settings(
        database_url=workspace.url,
        instance_path=workspace.tmp / "instance",
        languages=DEFAULT_LANGUAGES,
    )
    app = create_app(settings, TESTING=True)
    try:
        return app.test_client().get(f"/alignments/{alignment_id}").get_data(as_text=True)
    finally:
        app.extensions["alinea.engine"].dispose()


def warnings_in(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    return [line.removeprefix("warning: ") for line in lines if line.startswith("warning: ")]


def test_texts_that_are_not_translations_get_a_warning_and_a_low_score(workspace):
    bread = workspace.tmp / "bread.txt"
    bread.write_text(BREAD)

    result = workspace("align", str(CORPUS / "es.txt"), str(bread))

    assert result.exit_code == 0, result.output
    alignment = stored_alignment(workspace.url, int(result.stdout.split()[-1]))
    score = alignment.parameters["overall_score"]
    assert score < 0.3
    one_sided = sum(1 for bead in alignment.beads if bead.similarity is None)
    assert one_sided > len(alignment.beads) * 0.8  # the aligner paired almost nothing
    expected = (
        f"the documents do not look like translations of each other: overall score {score:.2f}, "
        f"{one_sided} of {len(alignment.beads)} pairs one-sided; check that the right "
        "files were chosen"
    )
    assert warnings_in(result.stderr) == [expected]
    assert alignment.parameters["warnings"] == [expected]
    assert f"overall score {score:.2f}" in result.stderr
    page = page_of(workspace, alignment.id)
    assert "Check this alignment:" in page
    assert "do not look like translations of each other" in page


def test_the_real_translation_gets_no_warning_and_a_high_score(workspace):
    result = workspace("align", str(CORPUS / "es.txt"), str(CORPUS / "en.txt"))

    assert result.exit_code == 0, result.output
    assert warnings_in(result.stderr) == []
    alignment = stored_alignment(workspace.url, int(result.stdout.split()[-1]))
    assert alignment.parameters["overall_score"] > 0.6
    assert "Check this alignment:" not in page_of(workspace, alignment.id)


def test_two_documents_in_the_same_language_align_with_a_warning(workspace):
    first, second = workspace.tmp / "first.txt", workspace.tmp / "second.txt"
    first.write_text("The river rose overnight.\n\nThe bridge was closed in the morning.")
    second.write_text("Overnight the river rose.\n\nIn the morning the bridge was closed.")

    result = workspace("align", str(first), str(second), "--src-lang", "en", "--tgt-lang", "en")

    assert result.exit_code == 0, result.output
    assert warnings_in(result.stderr) == [
        "both documents are in the same language (en); an alignment usually pairs an original "
        "with its translation into another language"
    ]
    page = page_of(workspace, int(result.stdout.split()[-1]))
    assert "both documents are in the same language (en)" in page


def test_a_document_aligned_with_itself_is_refused(workspace):
    path = str(CORPUS / "en.txt")

    by_file = workspace("align", path, path)
    document_id = workspace("import", path).stdout.split()[-1]
    by_id = workspace("align", document_id, document_id)

    assert by_file.exit_code == by_id.exit_code == 1
    assert by_file.stderr == (
        f"Error: {path} and {path} hold the same text; give an original and its translation\n"
    )
    assert by_id.stderr == (
        f"Error: {document_id} and {document_id} hold the same text; give an original and its "
        "translation\n"
    )
    assert stored_counts(workspace.url) == (1, 0)


def stored_counts(url: str) -> tuple[int, int]:
    engine = store_db.make_engine(url)
    with store_db.make_session_factory(engine)() as session:
        counts = (
            session.query(models.Document).count(),
            session.query(models.Alignment).count(),
        )
    engine.dispose()
    return counts


def test_one_character_documents_align(workspace):
    source, target = workspace.tmp / "a.txt", workspace.tmp / "b.txt"
    source.write_text("a")
    target.write_text("b")

    result = workspace("align", str(source), str(target), "--src-lang", "en", "--tgt-lang", "es")

    assert result.exit_code == 0, result.output
    alignment = stored_alignment(workspace.url, int(result.stdout.split()[-1]))
    assert [(b.src_start, b.src_end, b.tgt_start, b.tgt_end) for b in alignment.beads] == [
        (0, 1, 0, 1)
    ]
