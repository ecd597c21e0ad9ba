"""``alinea user`` and ``alinea project``, and importing into a project."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from werkzeug.security import check_password_hash

from app.cli import main
from app.store import accounts, models
from app.store import db as store_db

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border"


@pytest.fixture
def run(database_url, tmp_path):
    runner = CliRunner()
    env = {"DATABASE_URL": database_url, "ALINEA_INSTANCE": str(tmp_path / "instance")}

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)

    return invoke


@pytest.fixture
def session_for(database_url):
    engine = store_db.make_engine(database_url)
    yield store_db.make_session_factory(engine)
    engine.dispose()


def test_user_add_makes_an_administrator_with_a_hashed_password(run, session_for, monkeypatch):
    monkeypatch.setattr(accounts, "PASSWORD_METHOD", "scrypt")  # the real default

    result = run("user", "add", "Ada", "--role", "admin", "--password-stdin", stdin="s3cret pw\n")

    assert result.exit_code == 0, result.output
    assert "user ada: administrator" in result.stderr
    with session_for() as session:
        ada = accounts.get_user(session, "ada")
        assert ada.is_admin and ada.active
        assert ada.password_hash.startswith("scrypt:")
        assert "s3cret" not in ada.password_hash
        assert check_password_hash(ada.password_hash, "s3cret pw")


def test_user_add_with_a_role_makes_a_member_of_the_project(run, session_for):
    assert run("project", "add", "news", "--title", "Newsroom").exit_code == 0

    result = run(
        "user",
        "add",
        "rita",
        "--role",
        "reviewer",
        "--project",
        "news",
        "--password-stdin",
        stdin="long enough\n",
    )
    plain = run("user", "add", "vera", "--role", "viewer", "--password-stdin", stdin="long enough")

    assert result.exit_code == 0 and plain.exit_code == 0
    with session_for() as session:
        assert [
            (m.project.name, m.role) for m in accounts.get_user(session, "rita").memberships
        ] == [("news", "reviewer")]
        assert [m.project.name for m in accounts.get_user(session, "vera").memberships] == [
            "default"
        ]
    listing = run("user", "list").stdout
    assert "rita\t-\tnews:reviewer" in listing
    assert "news\tNewsroom\trita:reviewer" in run("project", "list").stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ("user", "add", "bad name", "--role", "viewer", "--password-stdin"),
            "long enough\n",
            "not a valid user name",
        ),
        (
            ("user", "add", "sam", "--role", "viewer", "--password-stdin"),
            "short\n",
            "at least 8 characters",
        ),
        (("user", "add", "sam", "--role", "viewer", "--password-stdin"), "", "held no password"),
        (("user", "add", "sam", "--role", "viewer"), "", "--password-stdin"),
        (
            ("user", "add", "sam", "--role", "viewer", "--project", "nope", "--password-stdin"),
            "long enough\n",
            "there is no project 'nope'",
        ),
        (("project", "member", "add", "nope", "sam", "viewer"), None, "no project 'nope'"),
        (("project", "member", "add", "default", "nobody", "viewer"), None, "no user 'nobody'"),
        (("project", "member", "remove", "default", "nobody"), None, "no user 'nobody'"),
        (("user", "password", "nobody", "--password-stdin"), "long enough\n", "no user"),
    ],
)
def test_account_commands_refuse_bad_input_with_one_line(run, session_for, args, stdin, message):
    result = run(*args, stdin=stdin)

    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with session_for() as session:
        assert accounts.list_users(session) == []


def test_a_name_is_taken_once_whatever_its_case(run):
    run("user", "add", "ada", "--role", "admin", "--password-stdin", stdin="long enough\n")

    again = run("user", "add", "ADA", "--role", "viewer", "--password-stdin", stdin="long enough")

    assert again.exit_code == 1 and "already a user 'ada'" in again.stderr
    assert run("project", "add", "default").exit_code == 1


def test_members_are_added_changed_and_removed(run, session_for):
    run("project", "add", "news")
    run("user", "add", "rita", "--role", "viewer", "--password-stdin", stdin="long enough\n")

    assert run("project", "member", "add", "news", "rita", "viewer").exit_code == 0
    assert run("project", "member", "add", "news", "rita", "editor").exit_code == 0
    with session_for() as session:
        roles = accounts.roles_of(session, accounts.get_user(session, "rita"))
        news = accounts.get_project(session, "news")
        assert roles[news.id] == "editor"
    assert run("project", "member", "remove", "news", "rita").exit_code == 0
    again = run("project", "member", "remove", "news", "rita")
    assert again.exit_code == 1 and "not a member" in again.stderr


def test_password_disable_and_enable(run, session_for):
    run("user", "add", "rita", "--role", "viewer", "--password-stdin", stdin="long enough\n")
    with session_for() as session:
        token = accounts.get_user(session, "rita").session_token

    assert run("user", "password", "rita", "--password-stdin", stdin="even longer\n").exit_code == 0
    assert run("user", "disable", "rita").exit_code == 0
    with session_for() as session:
        rita = accounts.get_user(session, "rita")
        assert rita.verify_password("even longer") and not rita.active
        assert rita.session_token != token
    assert run("user", "enable", "rita").exit_code == 0


def test_import_and_align_put_documents_and_alignments_into_the_project(run, session_for):
    run("project", "add", "news")

    imported = run("import", str(CORPUS / "en.txt"), "--project", "news")
    aligned = run("align", str(CORPUS / "es.txt"), str(CORPUS / "en.txt"), "--project", "news")
    missing = run("import", str(CORPUS / "en.txt"), "--project", "nope")

    assert imported.exit_code == 0 and aligned.exit_code == 0
    assert missing.exit_code == 1 and "there is no project 'nope'" in missing.stderr
    with session_for() as session:
        news = accounts.get_project(session, "news").id
        assert {d.project_id for d in session.scalars(select(models.Document))} == {news}
        alignments = list(session.scalars(select(models.Alignment)))
        assert {a.level for a in alignments} == {"paragraph", "sentence"}
        assert {a.project_id for a in alignments} == {news}


def test_the_same_text_in_two_projects_is_two_documents(run, session_for):
    run("project", "add", "news")

    first = run("import", str(CORPUS / "en.txt"))
    again = run("import", str(CORPUS / "en.txt"))
    other = run("import", str(CORPUS / "en.txt"), "--project", "news")

    ids = [int(result.stdout.strip().splitlines()[-1]) for result in (first, again, other)]
    assert ids[0] == ids[1] != ids[2]
    with session_for() as session:
        assert session.get(models.Document, ids[0]).project_id is None  # the default project


def test_a_bad_setting_is_one_line_naming_the_variable(database_url, tmp_path):
    env = {
        "DATABASE_URL": database_url,
        "ALINEA_INSTANCE": str(tmp_path),
        "ALINEA_AUTH": "sometimes",
    }

    result = CliRunner().invoke(main, ["user", "list"], env=env)

    assert result.exit_code == 1
    assert "ALINEA_AUTH must be one of auto, login, not 'sometimes'" in result.stderr
