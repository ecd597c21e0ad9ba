"""Script injected anywhere a document or a reviewer can put text stays text in a real browser.

Payloads sit in the documents' titles, file names and text, in a score name and a QA flag, in a
note typed through the page, and in the address (search box, a bad filter). Each payload would
set ``window.__xss`` or open a dialog if it ran; the test checks that nothing ran and that no
element of the payload made it into the page's DOM (so escaping holds even without the
Content-Security-Policy behind it).
"""

from __future__ import annotations

import hashlib
import threading
from urllib.parse import quote

import pytest
from werkzeug.serving import make_server

from app.align.result import AlignmentResult
from app.config import Settings
from app.ingest import DEFAULT_LANGUAGES, LoadedDocument
from app.segments import BeadSpan, Segment, SegmentKind
from app.services import add_document, store_alignment
from app.store import db as store_db
from app.store import models
from app.web import create_app

PAYLOADS = (
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    "<script>window.__xss=(window.__xss||0)+1</script>",
    '"><svg onload="window.__xss=1;alert(1)">',
    '\'><iframe src="javascript:window.top.__xss=1"></iframe>',
)
ALL = " ".join(PAYLOADS)


def document(title: str, language: str, texts: list[str], origin: str) -> LoadedDocument:
    segments = [Segment(texts[0], SegmentKind.HEADING)] + [Segment(t) for t in texts[1:]]
    text = "\n\n".join(texts)
    return LoadedDocument(
        title=title,
        language=language,
        text=text,
        segments=segments,
        checksum=hashlib.sha256(text.encode()).hexdigest(),
        origin=origin,
    )


@pytest.fixture
def hostile_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'alinea.db'}"
    store_db.upgrade(url)
    app = create_app(
        Settings(database_url=url, instance_path=tmp_path / "inst", languages=DEFAULT_LANGUAGES)
    )
    sessions = app.extensions["alinea.sessions"]
    source = document(
        f"Título {ALL}",
        "es",
        [f"Encabezado {PAYLOADS[0]}", f"Párrafo {ALL}", "Otro párrafo."],
        f"uploads/{PAYLOADS[0]}.txt",
    )
    target = document(
        f"Title {ALL}",
        "en",
        [f"Heading {PAYLOADS[1]}", f"Paragraph {ALL}", "Another paragraph."],
        f"uploads/{PAYLOADS[2]}.txt",
    )
    result = AlignmentResult(
        beads=[
            BeadSpan(0, 1, 0, 1, 0.9, {"semantic": 0.9}),
            BeadSpan(1, 2, 1, 2, 0.4, {PAYLOADS[0]: 0.5}),
            BeadSpan(2, 3, 2, 3, 0.8, {}),
        ],
        method=f"by-hand {PAYLOADS[1]}",
        parameters={"scorers": [PAYLOADS[0]], "warnings": [f"check {PAYLOADS[0]}"]},
    )
    with store_db.transaction(sessions) as session:
        alignment = store_alignment(
            session, add_document(session, source), add_document(session, target), result
        )
        alignment.beads[1].flags = [{"check": "numbers", "message": f"flag {ALL}"}]
        alignment.beads[2].note = f"stored note {ALL}"
        alignment_id = alignment.id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", alignment_id, sessions
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["alinea.engine"].dispose()


def injected_elements(page) -> int:
    """Elements a payload would have created had it been parsed as markup."""
    return page.evaluate(
        """() => document.querySelectorAll(
            'img[src="x"], script:not([src]), svg[onload], iframe, [onerror], [onload]'
        ).length"""
    )


def test_no_payload_runs_or_becomes_markup_on_any_page(page, hostile_server):
    base, alignment_id, sessions = hostile_server
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = [
        "/",
        f"/alignments/{alignment_id}",
        f"/alignments/{alignment_id}/map",
        f"/alignments/{alignment_id}/history",
        f"/alignments/{alignment_id}?q={quote(PAYLOADS[0])}",
        f"/alignments/{alignment_id}?status={quote(PAYLOADS[1])}",
        f"/alignments/{alignment_id}/export?format={quote(PAYLOADS[2])}",
        f"/{quote(PAYLOADS[0])}",
    ]

    for address in pages:
        page.goto(base + address)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__xss") is None, address
        assert injected_elements(page) == 0, address

    # A note typed through the page: saved by the page's script, shown after its reload.
    page.goto(f"{base}/alignments/{alignment_id}")
    editor = page.locator("#bead-0 .note-editor")
    editor.locator("summary").click()
    editor.locator("textarea").fill(f"typed note {ALL}")
    editor.locator("button[type=submit]").click()
    page.wait_for_selector("#bead-0 p.note")
    assert "typed note <img src=x" in page.locator("#bead-0 p.note").inner_text()
    assert page.locator("#bead-1").inner_text().count("flag <img src=x") == 1
    assert page.evaluate("window.__xss") is None
    assert injected_elements(page) == 0
    assert dialogs == []
    with sessions() as session:
        notes = [bead.note for bead in session.query(models.Bead).order_by(models.Bead.sort_key)]
    assert notes[0] == f"typed note {ALL}"
