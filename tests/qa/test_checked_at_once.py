"""Flags are there as soon as an alignment exists, and follow every review change."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.services import review
from app.services.exchange import import_bilingual, read_bilingual
from app.services.review import Operation
from app.store import db as store_db
from app.store import models
from tests.review.conftest import apply, fresh_flags, states, version

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="es" segtype="paragraph" o-tmf="x" adminlang="en"
 datatype="plaintext" creationtool="t" creationtoolversion="1"/><body>
<tu><tuv xml:lang="es"><seg>El billete cuesta 25 euros.</seg></tuv>
<tuv xml:lang="en"><seg>The ticket costs 30 euros.</seg></tuv></tu>
<tu><tuv xml:lang="es"><seg>Hace buen tiempo.</seg></tuv>
<tuv xml:lang="en"><seg>The weather is fine.</seg></tuv></tu>
</body></tmx>
"""


def stored_flags(sessions, alignment_id: int) -> list[list[dict]]:
    return [bead.flags for bead in states(sessions, alignment_id)]


def test_a_new_alignment_has_its_flags_without_running_qa(sessions, demo_alignment):
    flags = stored_flags(sessions, demo_alignment)
    assert any(flags), "the corpus alignment has one-sided passages, flagged as omissions"
    assert flags == fresh_flags(sessions, demo_alignment)


def test_the_sentence_level_of_a_new_pair_is_checked_too(sessions, corpus_pair):
    from app.services import pairs

    es, en = corpus_pair
    pair = pairs.compute(sessions, es, en)
    with store_db.transaction(sessions) as session:
        paragraph_id = pairs.store(session, pair).id
        sentence_id = session.scalar(
            select(models.Alignment.id).where(models.Alignment.parent_id == paragraph_id)
        )
    assert any(stored_flags(sessions, sentence_id))
    assert stored_flags(sessions, sentence_id) == fresh_flags(sessions, sentence_id)


def test_an_imported_tmx_file_is_checked_at_once(sessions, tmp_path: Path):
    path = tmp_path / "memory.tmx"
    path.write_text(TMX, encoding="utf-8")
    with store_db.transaction(sessions) as session:
        alignment_id = import_bilingual(session, read_bilingual(path)).id
    first, second = stored_flags(sessions, alignment_id)
    assert [flag["check"] for flag in first] == ["numbers", "numbers"]
    assert second == []


def test_merging_and_undoing_keep_the_stored_flags_current(sessions, demo_alignment):
    beads = states(sessions, demo_alignment)
    # A two-sided pair followed by a one-sided one: the merge leaves no omission behind.
    position = next(
        k
        for k in range(len(beads) - 1)
        if not beads[k].one_sided and beads[k + 1].one_sided and beads[k + 1].flags
    )
    apply(sessions, demo_alignment, Operation("merge_next", position))
    merged = stored_flags(sessions, demo_alignment)
    assert merged == fresh_flags(sessions, demo_alignment)
    assert merged[position] != beads[position].flags + beads[position + 1].flags

    with store_db.transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))
    assert stored_flags(sessions, demo_alignment) == [bead.flags for bead in beads]


def test_confirming_a_pair_leaves_its_flags_alone(sessions, demo_alignment):
    beads = states(sessions, demo_alignment)
    flagged = next(k for k, bead in enumerate(beads) if bead.flags)
    apply(sessions, demo_alignment, Operation("status", flagged, status="confirmed"))
    after = states(sessions, demo_alignment)
    assert after[flagged].status == "confirmed"
    assert after[flagged].flags == beads[flagged].flags
