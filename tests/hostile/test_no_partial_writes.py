"""An import is all or nothing: whatever the file, a refused import leaves every table as it was,
and a failure half-way through the writes (the database going away) rolls back what came first."""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from app.cli import main
from bench.fuzz.harnesses import docx_input

from .conftest import time_cap
from .test_catalogue import row_counts
from .test_importer_properties import SEEDS, mutated, seeds

KINDS = {
    "txt": "text",
    "md": "markdown",
    "html": "html",
    "docx": "docx",
    "tmx": "tmx",
    "xlf": "xliff",
}
_names = itertools.count()


def import_file(database_url, tmp_path, extension: str, data: bytes):
    path = tmp_path / f"input-{next(_names)}.{extension}"
    path.write_bytes(data)
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}
    with time_cap():
        return CliRunner().invoke(main, ["import", str(path)], env=env, catch_exceptions=False)


@st.composite
def hostile_file(draw) -> tuple[str, bytes]:
    extension = draw(st.sampled_from(sorted(KINDS)))
    data = draw(st.one_of(mutated(seeds(KINDS[extension])), st.binary(max_size=500)))
    if extension == "docx" and data:
        data = docx_input(data)  # the seeds stand for a template with one part replaced
    return extension, data


@settings(max_examples=25)
@given(case=hostile_file())
def test_a_refused_import_writes_nothing_and_says_one_line(database_url, tmp_path, case):
    extension, data = case
    before = row_counts(database_url)

    result = import_file(database_url, tmp_path, extension, data)

    after = row_counts(database_url)
    if result.exit_code == 0:
        assert after["documents"] >= before["documents"]
    else:
        assert result.exit_code == 1
        assert after == before
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith("Error: ")


def test_the_database_failing_half_way_through_an_import_leaves_nothing(
    database_url, tmp_path, monkeypatch
):
    from app.services import exchange

    real_add = exchange.add_document
    calls = []

    def add_then_fail(session, loaded, *project, **options):
        calls.append(loaded.title)
        if len(calls) == 2:  # the source document is written; the target's insert fails
            raise OperationalError("INSERT INTO documents", {}, Exception("server closed"))
        return real_add(session, loaded, *project, **options)

    monkeypatch.setattr(exchange, "add_document", add_then_fail)
    before = row_counts(database_url)

    memory = (SEEDS / "tmx" / "memory.tmx").read_bytes()
    result = import_file(database_url, tmp_path, "tmx", memory)

    assert result.exit_code == 1
    assert result.stderr == "Error: cannot use the database: server closed\n"
    assert len(calls) == 2
    assert row_counts(database_url) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "bad.csv: the file is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "bad.csv: this looks like a binary file (PNG image), "
         "not text"),
        (b"source,target\nonly one column\n", "bad.csv: row 2 needs a source term and a target "
         "term"),
        (b'a,"' + b"x" * 140_000 + b'"\n', "bad.csv: not a readable CSV file (field larger than "
         "field limit (131072))"),
    ],
)  # fmt: skip
def test_a_refused_glossary_is_not_saved(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    instance = tmp_path / "instance"

    result = CliRunner().invoke(
        main,
        ["glossary", "import", str(path), "--name", "terms"],
        env={"ALINEA_INSTANCE": str(instance), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"},
    )

    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert not (instance / "glossaries" / "terms.csv").exists()


@pytest.mark.parametrize("name", ["../../etc/cron.d/evil", "a/b", "..", "x y", ""])
def test_a_glossary_name_cannot_leave_the_glossary_folder(tmp_path, name):
    path = tmp_path / "terms.csv"
    path.write_text("frontera,border\n")
    instance = tmp_path / "instance"

    result = CliRunner().invoke(
        main,
        ["glossary", "import", str(path), "--name", name],
        env={"ALINEA_INSTANCE": str(instance), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"},
    )

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: '{name}': a glossary name has only letters, digits, - and _\n"
    )
    assert not any(tmp_path.rglob("evil*"))
