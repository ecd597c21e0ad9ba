"""How long a reviewer waits, in Chromium, for a confirm, a merge and a split to show.

Run from the repository root (Debian's Chromium and the playwright package are needed):

    .venv/bin/python bench/review_latency.py [--rounds 20] [--copies 8]

It stores the corpus pair ``--copies`` times end to end (8 copies: 224 pairs, so the first
page holds 200), with the aligner's own beads and scores, serves the app with werkzeug on a
free port over a throw-away SQLite file, opens the alignment page in headless Chromium at
1280×800, and times, from the key press to the moment the page shows the result (the pair's
new status; one pair fewer; one pair more):

- ``c`` on an unreviewed pair (confirm),
- ``m`` on a pair (merge with the next: until the pair shows both pairs' segments), then
- a split of the merged pair where the page proposes: ``s`` opens the choice (not timed),
  then Enter (an older page: the dialog's Split button), until the pair shows the first
  part.

For a merge and a split it also times how long until the page has nothing left to do: the
page shows the changed pairs first and asks for their new scores in a second request
(``merge, scored``).

Each round takes a different pair, made current by a click (Playwright scrolls to it) and
drawn before the key is pressed; the page is not reloaded between rounds unless the page
itself reloads after an edit. The first round of each operation loads the scorers'
models and is reported apart. Figures are printed as a Markdown table (median, 95th
percentile, slowest) for docs/benchmarks.md. The same script measures an older checkout
(one whose page reloads after each edit): run it with that checkout as the working
directory.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from app.config import Settings  # noqa: E402
from app.ingest import DEFAULT_LANGUAGES, LoadedDocument, load_document  # noqa: E402
from app.segments import BeadSpan  # noqa: E402
from app.services import add_document, align_plain, store_alignment  # noqa: E402
from app.store import db as store_db  # noqa: E402
from app.web import create_app  # noqa: E402

CORPUS = ROOT / "corpora" / "dw-2025-02-17-mexico-border"
CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 60_000


def repeated(document: LoadedDocument, copies: int) -> LoadedDocument:
    """The document ``copies`` times over, each copy marked so that no two are equal."""
    from dataclasses import replace

    from app.segments import Segment

    segments = []
    for copy in range(copies):
        for segment in document.segments:
            segments.append(Segment(f"{segment.text} ({copy + 1})", segment.kind))
    text = "\n\n".join(segment.text for segment in segments)
    return replace(
        document,
        segments=segments,
        text=text,
        checksum=f"{document.checksum[:48]}{copies:016d}",
        title=f"{document.title} ×{copies}",
    )


def build(url: str, copies: int) -> int:
    """Store the repeated pair with the aligner's beads for one copy, shifted per copy."""
    es = load_document(CORPUS / "es.txt", lang="es")
    en = load_document(CORPUS / "en.txt", lang="en")
    one = align_plain(es, en)
    beads = []
    for copy in range(copies):
        ds, dt = copy * len(es.segments), copy * len(en.segments)
        beads += [
            BeadSpan(
                b.src_start + ds,
                b.src_end + ds,
                b.tgt_start + dt,
                b.tgt_end + dt,
                b.similarity,
                dict(b.scores),
            )
            for b in one.beads
        ]
    store_db.upgrade(url)
    sessions = store_db.make_session_factory(store_db.make_engine(url))
    with store_db.transaction(sessions) as session:
        source = add_document(session, repeated(es, copies))
        target = add_document(session, repeated(en, copies))
        # The aligner's result type, whichever module of the checkout defines it.
        result = type(one)(beads, one.method, dict(one.parameters))
        return store_alignment(session, source, target, result).id


def serve(url: str, instance: Path):
    settings = Settings(database_url=url, instance_path=instance, languages=DEFAULT_LANGUAGES)
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def two_sided(page) -> list[int]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('article.bead'))
              .filter(b => !b.classList.contains('one-sided'))
              .map(b => parseInt(b.dataset.position, 10))"""
    )


def select(page, base: str, position: int) -> None:
    """Make pair ``position`` the current one (not timed): click it, or open it; then let
    the page draw it, as it has for a reviewer who reads the pair before pressing a key."""
    bead = page.locator(f"#bead-{position}")
    if bead.count():
        bead.locator(".shape").click()
    else:
        page.goto(f"{base}#bead-{position}")
    page.wait_for_selector(f"#bead-{position}.current")
    page.evaluate(DRAWN)


IDLE = "() => !document.body.classList.contains('busy')"
# Drawn and idle: two animation frames, then a moment the browser has nothing to do. Without
# this wait, a key pressed just after the script's own jump across the page paid for
# drawing the pairs the jump revealed, a cost no reviewer who reads the pair pays.
DRAWN = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
    () => requestIdleCallback(done, { timeout: 1000 }))))"""
# The pair at a position has the given numbers of segments and is the current pair (a page
# that reloads after an edit shows the same number of pairs, so counting them would not do).
SHAPED = """([p, s, t]) => { const b = document.getElementById('bead-' + p);
    return b && b.classList.contains('current')
        && b.dataset.srcLen === String(s) && b.dataset.tgtLen === String(t); }"""


def shape(page, position: int) -> tuple[int, int]:
    bead = page.locator(f"#bead-{position}")
    return int(bead.get_attribute("data-src-len")), int(bead.get_attribute("data-tgt-len"))


def timed(page, press, shown: str, arg, settled: list[float] | None = None) -> float:
    """Milliseconds from ``press()`` until the JavaScript condition ``shown`` holds; with
    ``settled``, also (appended there) until the page has nothing left to do (a change's
    scores, asked for after the change is shown)."""
    start = time.perf_counter()
    press()
    page.wait_for_function(shown, arg=arg, timeout=WAIT_MS, polling="raf")
    shown_ms = (time.perf_counter() - start) * 1000
    page.wait_for_function(IDLE, timeout=WAIT_MS, polling="raf")
    if settled is not None:
        settled.append((time.perf_counter() - start) * 1000)
    return shown_ms


def run(page, base: str, rounds: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {
        "confirm": [],
        "merge": [],
        "merge, scored": [],
        "split": [],
        "split, scored": [],
    }
    page.goto(base)
    page.wait_for_selector("article.bead.current")
    positions = [p for p in two_sided(page) if p < 190]
    step = max(1, len(positions) // (rounds + 1))
    chosen = positions[::step][: rounds + 1]
    for position in chosen:
        select(page, base, position)
        figures["confirm"].append(
            timed(
                page,
                lambda: page.keyboard.type("c"),
                "p => { const b = document.getElementById('bead-' + p);"
                " return b && b.classList.contains('status-confirmed'); }",
                position,
            )
        )
    for position in chosen:
        select(page, base, position)
        first, second = shape(page, position), shape(page, position + 1)
        merged = (first[0] + second[0], first[1] + second[1])
        figures["merge"].append(
            timed(
                page,
                lambda: page.keyboard.type("m"),
                SHAPED,
                [position, *merged],
                figures["merge, scored"],
            )
        )
        select(page, base, position)
        # Where the page proposes to cut (the server's default): half of each side, or
        # the two sides apart when that leaves everything in the first part.
        cut = (-(-merged[0] // 2), -(-merged[1] // 2))
        if cut == merged:
            cut = (merged[0], 0)

        # The reviewer opens the split and looks where to cut (not timed), then confirms.
        page.keyboard.type("s")
        dialog = page.locator("#split-dialog[open]")
        if dialog.count():
            # An older page: a dialog with the cut proposed in number boxes.
            confirm = dialog.locator("button[type=submit]").click
        else:
            page.locator(f"#bead-{position} .split-bar").wait_for()

            def confirm() -> None:
                page.keyboard.press("Enter")

        figures["split"].append(
            timed(page, confirm, SHAPED, [position, *cut], figures["split, scored"])
        )
    return figures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--copies", type=int, default=8)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        alignment_id = build(url, args.copies)
        server, thread = serve(url, Path(folder) / "instance")
        base = f"http://127.0.0.1:{server.server_port}/alignments/{alignment_id}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                figures = run(page, base, args.rounds)
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=10)
    print(
        f"checkout: {ROOT}; {args.copies} copies of the corpus pair; machine: "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print()
    print("| operation | first (ms) | rounds | median (ms) | p95 (ms) | slowest (ms) |")
    print("|---|---|---|---|---|---|")
    for name, values in figures.items():
        first, rest = values[0], values[1:]
        print(
            f"| {name} | {first:.0f} | {len(rest)} | {statistics.median(rest):.0f} | "
            f"{percentile(rest, 0.95):.0f} | {max(rest):.0f} |"
        )


if __name__ == "__main__":
    main()
