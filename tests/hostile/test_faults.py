"""Faults around Alinea: a database that is not there or goes away, a full disk during an
export, a server killed in the middle of a review."""

from __future__ import annotations

import errno
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.config import Settings
from app.ingest import DEFAULT_LANGUAGES
from app.store import db as store_db
from app.store import models
from app.web import create_app

ROOT = Path(__file__).resolve().parents[2]
ALINEA = [sys.executable, "-c", "from app.cli import main; main()"]
POSTGRES_SERVER = os.environ.get(
    "ALINEA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


def seeded_database(url: str, pairs: int = 30) -> int:
    """Migrate ``url`` and store a small alignment in it; return the alignment's id."""
    from tests.web.conftest import insert_synthetic_alignment

    store_db.upgrade(url)
    engine = store_db.make_engine(url)
    try:
        return insert_synthetic_alignment(store_db.make_session_factory(engine), pairs)
    finally:
        engine.dispose()


# --- The database unreachable at start ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql://postgres@127.0.0.1:1/alinea",
            "Error: cannot use the database: connection failed: connection to server at "
            '"127.0.0.1", port 1 failed: Connection refused',
        ),
        (
            "nonsense://somewhere/alinea",
            "Error: cannot use the database: Can't load plugin: sqlalchemy.dialects:nonsense",
        ),
        (
            "sqlite:////no/such/folder/alinea.db",
            "Error: cannot use the database: unable to open database file",
        ),
    ],
)
def test_serve_without_its_database_says_so_in_one_line(tmp_path, url, message):
    completed = subprocess.run(
        [*ALINEA, "serve", "--port", "9"],
        env={**os.environ, "DATABASE_URL": url, "ALINEA_INSTANCE": str(tmp_path / "instance")},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )

    assert completed.returncode == 1
    assert completed.stderr.splitlines() == [message]
    assert "Traceback" not in completed.stderr


def test_serve_on_an_empty_database_says_how_to_create_the_schema(tmp_path):
    result = CliRunner().invoke(
        main,
        ["serve", "--port", "9"],
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}", "ALINEA_INSTANCE": str(tmp_path)},
    )

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the database has no Alinea schema, but this version needs "
        f"{store_db.head_revision()}; run `alinea db upgrade`\n"
    )


# --- The database going away during requests ------------------------------------------------


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "The database cannot be reached" in html
    assert "Traceback" not in html and "sqlalchemy" not in html.lower()
    assert "psycopg" not in html and "sqlite3" not in html


def test_a_dropped_postgresql_database_gives_a_503_page(tmp_path):
    import psycopg

    name = f"alinea_fault_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(POSTGRES_SERVER, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        if os.environ.get("ALINEA_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL test server not reachable: {error}")
        pytest.skip(f"PostgreSQL test server not reachable: {error}")
    url = f"{POSTGRES_SERVER.rsplit('/', 1)[0]}/{name}".replace(
        "postgresql://", "postgresql+psycopg://", 1
    )
    alignment_id = seeded_database(url)
    settings = Settings(url, tmp_path / "instance", DEFAULT_LANGUAGES)
    app = create_app(settings, TESTING=True, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    try:
        assert client.get(f"/alignments/{alignment_id}").status_code == 200

        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

        assert_unavailable_page(client.get(f"/alignments/{alignment_id}"))
        assert_unavailable_page(client.get("/"))
        form = {"status": "confirmed", "version": "1"}
        assert_unavailable_page(client.post("/beads/1/status", data=form))
        answer = client.get("/", headers={"Accept": "application/json"})
        assert answer.status_code == 503
        assert answer.get_json()["title"] == "The database cannot be reached"
    finally:
        app.extensions["alinea.engine"].dispose()
        with psycopg.connect(POSTGRES_SERVER, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_vanished_sqlite_file_gives_a_503_page(tmp_path):
    path = tmp_path / "alinea.db"
    alignment_id = seeded_database(f"sqlite:///{path}")
    app = create_app(
        Settings(f"sqlite:///{path}", tmp_path / "instance", DEFAULT_LANGUAGES), TESTING=True
    )
    client = app.test_client()
    try:
        assert client.get(f"/alignments/{alignment_id}").status_code == 200
        # The disk holding the database goes away: no connection can open it again.
        app.extensions["alinea.engine"].dispose()
        for leftover in tmp_path.glob("alinea.db*"):
            leftover.unlink()
        path.mkdir()

        assert_unavailable_page(client.get(f"/alignments/{alignment_id}"))
    finally:
        app.extensions["alinea.engine"].dispose()


# --- A full disk while exporting -------------------------------------------------------------


@pytest.fixture
def exported(tmp_path):
    """A database with an alignment, and ``alinea export`` on it."""
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    alignment_id = seeded_database(url, pairs=500)
    env = {"DATABASE_URL": url, "ALINEA_INSTANCE": str(tmp_path / "instance")}

    def export(output: Path, *options: str):
        arguments = ["export", str(alignment_id), "-o", str(output), *options]
        return CliRunner().invoke(main, arguments, env=env)

    return export


class FullDisk:
    """A file handle that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, handle, room: int) -> None:
        self._handle, self._room = handle, room

    def write(self, data):
        if len(data) > self._room:
            self._handle.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


@pytest.fixture
def disk_fills_up(monkeypatch):
    """Every file opened for writing (but not the database) holds 4,000 bytes, then fails."""
    import builtins
    import io

    real_open = builtins.open

    def open_on_a_small_disk(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if any(flag in mode for flag in "wax"):
            return FullDisk(handle, 4_000)
        return handle

    monkeypatch.setattr(builtins, "open", open_on_a_small_disk)
    monkeypatch.setattr(io, "open", open_on_a_small_disk)  # what Path.open calls


@pytest.mark.parametrize("options", [("--format", name) for name in ("tmx", "tsv", "xliff")])
def test_a_full_disk_leaves_the_previous_export_whole_and_no_partial_file(
    exported, tmp_path, disk_fills_up, options
):
    output = tmp_path / "out" / "memory.export"
    output.parent.mkdir()
    output.write_text("the previous export, complete\n")

    result = exported(output, *options)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {output}: cannot write the file (No space left on device); nothing was written\n"
    )
    assert output.read_text() == "the previous export, complete\n"
    assert sorted(path.name for path in output.parent.iterdir()) == ["memory.export"]


def test_a_full_disk_during_a_moses_export_leaves_nothing(exported, tmp_path, disk_fills_up):
    folder = tmp_path / "out"
    folder.mkdir()

    result = exported(folder / "corpus", "--format", "moses")

    assert result.exit_code == 1
    assert "cannot write the file (No space left on device); nothing was written" in result.stderr
    assert list(folder.iterdir()) == []


def test_an_export_that_fits_is_written_whole(exported, tmp_path):
    output = tmp_path / "memory.tsv"

    result = exported(output, "--format", "tsv")

    assert result.exit_code == 0, result.output
    assert len(output.read_text().splitlines()) == 1 + 500  # the header, then every pair


# --- The server killed mid-review ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``alinea serve`` in a process of its own, on a SQLite file."""

    def __init__(self, tmp_path: Path, url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": url, "ALINEA_INSTANCE": str(tmp_path / "instance")}
        self.process = subprocess.Popen(
            [*ALINEA, "serve", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).close()
                return
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("alinea serve did not start") from None
                time.sleep(0.2)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


def test_every_acknowledged_edit_survives_a_killed_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    alignment_id = seeded_database(url, pairs=40)
    engine = store_db.make_engine(url)
    with store_db.make_session_factory(engine)() as session:
        beads = [
            (bead.id, bead.version)
            for bead in session.scalars(
                select(models.Bead)
                .where(models.Bead.alignment_id == alignment_id)
                .order_by(models.Bead.sort_key)
            )
        ]
    engine.dispose()

    server = Server(tmp_path, url)
    acknowledged: dict[int, tuple[str, str | None]] = {}
    try:
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = browser.open(f"{server.base}/alignments/{alignment_id}").read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        for number, (bead_id, version) in enumerate(beads[:30]):
            if number % 3 == 2:
                path, form = "note", {"note": f"note {number} <b>kept</b>", "version": version}
            else:
                status = "confirmed" if number % 3 == 0 else "rejected"
                path, form = "status", {"status": status, "version": version}
            request = urllib.request.Request(
                f"{server.base}/beads/{bead_id}/{path}",
                data=urllib.parse.urlencode({**form, "csrf_token": token}).encode(),
                headers={"Accept": "application/json"},
            )
            with browser.open(request, timeout=30) as response:
                assert response.status == 200
                json.loads(response.read())
            previous = acknowledged.get(bead_id, ("automatic", None))
            acknowledged[bead_id] = (
                (form["status"], previous[1]) if path == "status" else (previous[0], form["note"])
            )
    finally:
        server.kill()  # no clean shutdown: SIGKILL right after the last answer

    restarted = Server(tmp_path, url)
    try:
        engine = store_db.make_engine(url)
        with store_db.make_session_factory(engine)() as session:
            for bead_id, (status, note) in acknowledged.items():
                bead = session.get(models.Bead, bead_id)
                assert (bead.status, bead.note) == (status, note), bead_id
        engine.dispose()
        page = urllib.request.urlopen(f"{restarted.base}/alignments/{alignment_id}").read()
        assert b"note 29 &lt;b&gt;kept&lt;/b&gt;" in page
    finally:
        restarted.kill()
    assert len(acknowledged) == 30
