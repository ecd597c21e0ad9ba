"""The newcomer's path, end to end: a fresh instance folder, `alinea serve` and nothing
else started, two files uploaded on "New alignment", the progress followed, a review
(confirm, merge, split, undo, a QA flag seen), and TMX and XLIFF downloaded from the page
and read by translate-toolkit. Once with Redis (the server embeds a worker), once
without (the server runs the job itself)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from jobs.conftest import ALINEA, CORPUS, REDIS_URL, ROOT, children, redis_queue  # noqa: F401
from sqlalchemy import select
from translate.storage import tmx, xliff2

from app.store import beads as store_beads
from app.store import db as store_db
from app.store import models

from .conftest import capture, key, screenshot, settle, watch_progress

DOCS_SCREENSHOT = ROOT / "docs" / "job-progress.png"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["with-redis", "without-redis"])
def newcomer_server(request, tmp_path):
    """`alinea db upgrade` then `alinea serve` in a fresh instance folder, as a process."""
    instance = tmp_path / "instance"
    env = {**os.environ, "ALINEA_INSTANCE": str(instance), "ALINEA_JOB_HEARTBEAT": "1"}
    env.pop("DATABASE_URL", None)
    if request.param == "with-redis":
        env |= {"REDIS_URL": REDIS_URL, "ALINEA_QUEUE": request.getfixturevalue("redis_queue")}
    else:
        env["REDIS_URL"] = ""
    subprocess.run([*ALINEA, "db", "upgrade"], env=env, cwd=tmp_path, check=True)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [*ALINEA, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, tmp_path / "serve.log")
        yield url, instance / "alinea.db", server, request.param
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(30)
        log.close()


def _wait_until_up(url: str, server, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"alinea serve stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"alinea serve did not answer:\n{log.read_text()}")


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" not in status.read_text()
    except OSError:
        return False


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "gone"


def beads(database: Path, alignment_id: int) -> list:
    engine = store_db.make_engine(f"sqlite:///{database}")
    try:
        with store_db.make_session_factory(engine)() as session:
            return store_beads.bead_states(session, alignment_id)
    finally:
        engine.dispose()


def go_to(page, url: str, alignment_id: int, position: int) -> None:
    # From elsewhere, so that the page loads afresh and reads the pair from the address.
    page.goto("about:blank")
    page.goto(f"{url}/alignments/{alignment_id}#bead-{position}")
    page.wait_for_selector("article.bead.current")


def test_a_newcomer_aligns_reviews_and_exports_with_nothing_else_started(
    page, newcomer_server, tmp_path
):
    url, database, server, variant = newcomer_server
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    # Two files in, on "New alignment".
    page.goto(f"{url}/")
    page.click("text=New alignment")
    page.set_input_files("#source_file", str(CORPUS / "es.txt"))
    page.set_input_files("#target_file", str(CORPUS / "en.txt"))
    page.click("button[type=submit]")

    # The progress, followed by the page itself, run by the server.
    page.wait_for_selector("#job[data-state=running]", timeout=180_000)
    runner = page.inner_text("#job-runner")
    assert ("embedded" if variant == "with-redis" else "without Redis") in runner
    if watch_progress(page) is not None:
        # Caught while running: the bar shows what the figure says.
        assert float(page.get_attribute("#job-progress", "value") or 0) > 5
        screenshot(page, f"newcomer-progress-{variant}")
        if variant == "without-redis" and os.environ.get("ALINEA_RENEW_SCREENSHOT") == "1":
            capture(page, DOCS_SCREENSHOT)
    # When the job is done, the job page opens the alignment by itself.
    page.wait_for_url(re.compile(r"/alignments/\d+\?job=\d+"), timeout=300_000)
    page.wait_for_selector("article.bead")
    alignment_id = int(page.url.split("/alignments/", 1)[1].split("?")[0].split("#")[0])

    # A QA flag is there without any other command.
    assert page.locator(".flags .flag").count() > 0
    flagged = page.locator(".flags .flag").first.inner_text()
    assert flagged.strip()

    # Confirm two pairs.
    start = beads(database, alignment_id)
    two_sided = [k for k, bead in enumerate(start) if bead.src_len and bead.tgt_len]
    first, second = two_sided[1], two_sided[3]
    for position in (first, second):
        go_to(page, url, alignment_id, position)
        key(page, "c")
    assert [b.status for b in beads(database, alignment_id)].count("confirmed") == 2

    # Merge one pair with the next, then split it again, then undo the split.
    target = next(k for k in two_sided if k > second + 1 and k + 1 in two_sided)
    count = len(start)
    go_to(page, url, alignment_id, target)
    key(page, "m")
    assert len(beads(database, alignment_id)) == count - 1
    merged = beads(database, alignment_id)[target]
    # The split: "s", then a click between segments on each side, then Enter.
    page.keyboard.type("s")
    row = page.locator(f"#bead-{target}")
    row.locator(".cut").first.wait_for()
    row.locator('.cut[data-side="source"][data-cut="1"]').click()
    row.locator('.cut[data-side="target"][data-cut="1"]').click()
    version = page.locator(".beads").get_attribute("data-version")
    page.keyboard.press("Enter")
    settle(page, version)
    assert len(beads(database, alignment_id)) == count
    key(page, "u")
    after_undo = beads(database, alignment_id)
    assert len(after_undo) == count - 1
    assert (after_undo[target].src_len, after_undo[target].tgt_len) == (
        merged.src_len,
        merged.tgt_len,
    )

    # TMX and XLIFF, downloaded from the page, read by translate-toolkit.
    files = {}
    for name, extension in (("tmx", ".tmx"), ("xliff", ".xliff")):
        page.select_option("select[name=format]", name)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download").click()
        files[name] = tmp_path / f"pairs{extension}"
        download.value.save_as(files[name])
    memory = tmx.tmxfile.parsefile(str(files["tmx"]))
    exchange = xliff2.Xliff2File.parsefile(str(files["xliff"]))
    reviewed = beads(database, alignment_id)
    two_sided_now = sum(1 for bead in reviewed if bead.src_len and bead.tgt_len)
    assert len([unit for unit in memory.units if unit.source]) == two_sided_now
    units = [unit for unit in exchange.units if unit.source]
    assert len(units) == two_sided_now
    assert sum(1 for unit in units if unit.isapproved()) == 2
    assert exchange.getsourcelanguage() == "es" and exchange.gettargetlanguage() == "en"
    assert errors == []

    # Stopping the server stops what ran its jobs.
    helpers = children(server.pid)
    assert helpers, "the server runs its jobs in a child process"
    server.send_signal(signal.SIGTERM)
    assert server.wait(60) == 0
    deadline = time.monotonic() + 10  # multiprocessing's helper leaves when its pipe closes
    while time.monotonic() < deadline and any(alive(pid) for pid in helpers):
        time.sleep(0.2)
    assert not [pid for pid in helpers if alive(pid)], [command(pid) for pid in helpers]
    engine = store_db.make_engine(f"sqlite:///{database}")
    with store_db.make_session_factory(engine)() as session:
        assert session.scalar(
            select(models.Alignment.id).where(models.Alignment.id == alignment_id)
        )
    engine.dispose()
