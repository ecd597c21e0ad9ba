"""axe-core, the accessibility checker, finds nothing on any page a reviewer uses; and the
keyboard reaches the first pair at once.

axe-core is vendored under tests/browser/vendor/axe-core/ (version 4.14.1 from npm,
MPL-2.0), so the test runs offline on a fresh clone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import jobs as job_service
from app.services.review import Operation, apply_operation
from app.store import models
from app.store.db import transaction

from .conftest import screenshot

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.1 A and AA, and axe's best practices (heading order, landmarks...).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def checked_page(browser):
    """A page whose context lets the test inject axe (the app's policy forbids inline script)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def reviewed(live_server, corpus_pair, corpus_result):
    """The demo alignment with a sentence level, a change in its history, and a finished job."""
    from app.align.levels import align_within_beads
    from app.ingest import unit_sentences
    from app.services import sentences

    live = live_server
    es, en = corpus_pair
    src = unit_sentences([s.text for s in es.segments], es.language)
    tgt = unit_sentences([s.text for s in en.segments], en.language)
    result = align_within_beads(corpus_result.beads, src, tgt, es.language, en.language, fast=True)
    with transaction(live.sessions) as session:
        parent = session.get(models.Alignment, live.alignment_id)
        sentences.store_sentences(session, parent.source, src)
        sentences.store_sentences(session, parent.target, tgt)
        child = sentences.store_sentence_alignment(session, parent, result)
        apply_operation(
            session, parent.id, parent.version, Operation("status", 0, status="confirmed")
        )
        job = job_service.create_job(
            session,
            "align",
            job_service.align_parameters({"document": parent.source_id}, {"document": 2}),
            "alinea-test",
            1,
        )
        job.state, job.percent, job.alignment_id = "done", 100.0, parent.id
        return live, child.id, job.id


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                 .then(r => r.violations.map(v => v.id + ': ' + v.help + ' — '
                      + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))""",
        TAGS,
    )
    return found


@pytest.mark.parametrize(
    "name",
    ["list", "review", "sentences", "map", "history", "job", "new-alignment"],
)
def test_axe_finds_no_violation(checked_page, reviewed, name):
    live, sentence_id, job_id = reviewed
    paths = {
        "list": "/",
        "review": f"/alignments/{live.alignment_id}",
        "sentences": f"/alignments/{sentence_id}",
        "map": f"/alignments/{live.alignment_id}/map",
        "history": f"/alignments/{live.alignment_id}/history",
        "job": f"/jobs/{job_id}",
        "new-alignment": "/alignments/new",
    }

    found = violations(checked_page, live.url + paths[name])

    assert found == [], "\n".join(found)


def test_the_skip_link_brings_the_keyboard_to_the_first_confirm(page, live_server):
    live = live_server
    page.goto(f"{live.url}/alignments/{live.alignment_id}")
    page.wait_for_selector("article.bead.current")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the pairs"
    page.keyboard.press("Enter")
    presses = 0
    while presses < 10:
        page.keyboard.press("Tab")
        presses += 1
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Confirm pair"):
            break
    screenshot(page, "12-skip-link")

    assert label == "Confirm pair 1"
    assert presses <= 5
