"""Which languages `alinea` works with: detected among every language and printed with their
confidence, named by the user when detection cannot tell, and choosing the embedding model."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.config import Settings
from app.ingest import DEFAULT_LANGUAGES
from app.store import db as store_db
from app.store import models
from app.web import create_app

TEXTS = Path(__file__).resolve().parents[1] / "ingest" / "data" / "languages"


@pytest.fixture
def run(database_url, tmp_path):
    """Invoke ``alinea`` against the test database; returns click's Result."""
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    return invoke


def stored(database_url: str, alignment_id: int) -> tuple[dict, str, str]:
    """The alignment's parameters and its documents' languages."""
    engine = store_db.make_engine(database_url)
    try:
        with store_db.make_session_factory(engine)() as session:
            alignment = session.get(models.Alignment, alignment_id)
            return alignment.parameters, alignment.source.language, alignment.target.language
    finally:
        engine.dispose()


def document_count(database_url: str) -> int:
    engine = store_db.make_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(models.Document))
    finally:
        engine.dispose()


def alignment_page(database_url: str, tmp_path: Path, alignment_id: int) -> str:
    settings = Settings(database_url, tmp_path / "instance", DEFAULT_LANGUAGES)
    app = create_app(settings, TESTING=True)
    try:
        return app.test_client().get(f"/alignments/{alignment_id}").get_data(as_text=True)
    finally:
        app.extensions["alinea.engine"].dispose()


def lines_file(path: Path, *texts: str) -> Path:
    """A one-paragraph-per-line file made of the paragraphs of ``texts``."""
    paragraphs = [p.replace("\n", " ") for text in texts for p in text.split("\n\n") if p.strip()]
    path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def test_an_icelandic_english_pair_is_detected_and_aligned_with_the_model_that_knows_both(
    run, database_url
):
    result = run("align", str(TEXTS / "is.txt"), str(TEXTS / "is-en.txt"))

    assert result.exit_code == 0, result.stderr
    assert "source: is (detected, 1.00), target: en (detected, 1.00)" in result.stderr
    assert "scorers for is-en: semantic (multilingual-e5-small)" in result.stderr
    parameters, source_lang, target_lang = stored(database_url, int(result.stdout.split()[-1]))
    assert (source_lang, target_lang) == ("is", "en")
    assert parameters["scorer_choice"]["embedding_model"] == "multilingual-e5-small"
    assert parameters["warnings"] == []


def test_presegmented_files_keep_the_languages_given(run, database_url, tmp_path):
    src = lines_file(tmp_path / "hu.txt", (TEXTS / "hu.txt").read_text(encoding="utf-8"))
    tgt = lines_file(tmp_path / "en.txt", (TEXTS / "hu-en.txt").read_text(encoding="utf-8"))

    given = run("align", "--presegmented", "--fast", str(src), str(tgt), "--src-lang", "fi")
    assert given.exit_code == 0, given.stderr
    assert "source: fi (given), target: en (detected, 1.00)" in given.stderr
    assert stored(database_url, int(given.stdout.split()[-1]))[1:] == ("fi", "en")


def test_a_doubtful_detection_is_printed_and_kept_with_the_alignment_for_its_page(
    run, database_url, tmp_path
):
    swahili, english = (
        (TEXTS / "sw.txt").read_text(encoding="utf-8"),
        [
            (TEXTS / name).read_text(encoding="utf-8")
            for name in ("sw-en.txt", "hu-en.txt", "is-en.txt")
        ],
    )
    src = lines_file(tmp_path / "sw.txt", swahili)
    # A translation that kept the original's paragraphs ahead of its own.
    tgt = lines_file(tmp_path / "en.txt", swahili, *english)

    result = run("align", "--presegmented", "--fast", str(src), str(tgt))

    assert result.exit_code == 0, result.stderr
    assert "target: en (detected, 0.6" in result.stderr
    warning = next(line for line in result.stderr.splitlines() if line.startswith("warning: "))
    assert warning.startswith(f"warning: {tgt}: the language was detected with low confidence")
    assert "then sw 0.3" in warning
    alignment_id = int(result.stdout.split()[-1])
    parameters = stored(database_url, alignment_id)[0]
    assert parameters["warnings"] == [warning.removeprefix("warning: ")]
    page = alignment_page(database_url, tmp_path, alignment_id)
    assert "Check this alignment:" in page
    assert "the language was detected with low confidence" in page


def test_a_text_whose_language_cannot_be_told_is_refused_naming_the_option(
    run, database_url, tmp_path
):
    greeting = tmp_path / "greeting.txt"
    greeting.write_text("Hola, ¿qué tal?\n", encoding="utf-8")
    english = str(TEXTS / "is-en.txt")

    as_source = run("align", str(greeting), english)
    as_target = run("align", english, str(greeting), "--src-lang", "en")
    imported = run("import", str(greeting))

    for result, option in (
        (as_source, "--src-lang"),
        (as_target, "--tgt-lang"),
        (imported, "--lang"),
    ):
        assert result.exit_code == 1
        assert result.stderr.startswith(
            "Error: greeting.txt: cannot tell the language of the text with confidence ("
        )
        assert result.stderr.rstrip().endswith(f"; choose the language explicitly with {option}")
    assert document_count(database_url) == 0
    given = run("import", str(greeting), "--lang", "es")
    assert given.exit_code == 0, given.stderr
    assert "language es (given)" in given.stderr


def test_import_prints_the_detected_language_and_warns_when_it_is_doubtful(run, tmp_path):
    note = tmp_path / "besked.txt"
    note.write_text("Jeg har ikke tid i dag.\n", encoding="utf-8")

    sure = run("import", str(TEXTS / "sw.txt"))
    doubtful = run("import", str(note))

    assert sure.exit_code == 0, sure.stderr
    assert "2 segments, language sw (detected, 1.00)" in sure.stderr
    assert "warning" not in sure.stderr
    assert doubtful.exit_code == 0, doubtful.stderr
    assert "language da (detected, 0.70)" in doubtful.stderr
    assert (
        f"warning: {note}: the language was detected with low confidence (da 0.70, then nb 0.30);"
        " if da is wrong, give the language explicitly with --lang"
    ) in doubtful.stderr
