"""Splitting and joining segments over HTTP: only for roles that may edit text."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from app.store import models

from .conftest import stored_beads
from .test_workbench import JSON, alignment_version


def segment_texts(sessions, alignment_id: int, side: str) -> list[str]:
    with sessions() as session:
        alignment = session.get(models.Alignment, alignment_id)
        document_id = alignment.source_id if side == "source" else alignment.target_id
        return list(
            session.scalars(
                select(models.Segment.text)
                .where(
                    models.Segment.document_id == document_id, models.Segment.level == "paragraph"
                )
                .order_by(models.Segment.position)
            )
        )


def post(client, sessions, alignment_id: int, path: str, **data):
    data["version"] = data.get("version", alignment_version(sessions, alignment_id))
    return client.post(f"/alignments/{alignment_id}/{path}", data=data, headers=JSON)


def test_a_reviewer_may_neither_split_nor_join(client, sessions, demo_alignment):
    split = post(client, sessions, demo_alignment, "segments/target/2/split", offset=5)
    join = post(client, sessions, demo_alignment, "segments/target/2/join")
    page = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    assert split.status_code == join.status_code == 403
    assert "Split segment" not in page and "Join with segment" not in page


def test_an_editor_splits_a_segment_undoes_and_joins(app, client, sessions, demo_alignment):
    app.config["ALINEA_SETTINGS"] = replace(app.config["ALINEA_SETTINGS"], local_role="editor")
    beads = stored_beads(sessions, demo_alignment)
    bead = next(b for b in beads if b.tgt_end - b.tgt_start == 1 and b.src_end > b.src_start)
    k = bead.tgt_start
    original = segment_texts(sessions, demo_alignment, "target")
    words = original[k].split(" ")
    offset = len(words[0]) + 1

    page = client.get(f"/alignments/{demo_alignment}?at={bead.position}", follow_redirects=True)
    split = post(client, sessions, demo_alignment, f"segments/target/{k}/split", offset=offset)

    assert "Split segment" in page.get_data(as_text=True)
    assert split.status_code == 200
    assert split.json["location"].endswith(f"#bead-{bead.position}")
    after = segment_texts(sessions, demo_alignment, "target")
    assert after[k : k + 2] == [words[0], " ".join(words[1:])]
    html = client.get(split.json["location"].split("#")[0]).get_data(as_text=True)
    # The two parts share the pair; segments are numbered from 1 for the reviewer.
    assert f"Join with segment {k + 2}</button>" in html
    history = client.get(f"/alignments/{demo_alignment}/history").get_data(as_text=True)
    assert f"split translated segment {k + 1} of pair {bead.position + 1} in two" in history
    assert f"<q>{words[0]}</q>" in history

    stale = post(
        client,
        sessions,
        demo_alignment,
        f"segments/target/{k}/join",
        version=split.json["version"] - 1,
    )
    assert stale.status_code == 409

    undone = post(client, sessions, demo_alignment, "undo")
    assert undone.status_code == 200
    assert segment_texts(sessions, demo_alignment, "target") == original

    redone = post(client, sessions, demo_alignment, "redo")
    joined = post(client, sessions, demo_alignment, f"segments/target/{k}/join")
    assert redone.status_code == joined.status_code == 200
    assert segment_texts(sessions, demo_alignment, "target")[k] == original[k]


def test_a_join_across_pairs_is_explained(app, client, sessions, demo_alignment):
    app.config["ALINEA_SETTINGS"] = replace(app.config["ALINEA_SETTINGS"], local_role="editor")
    beads = stored_beads(sessions, demo_alignment)
    last = beads[0].tgt_end - 1

    response = post(client, sessions, demo_alignment, f"segments/target/{last}/join")
    bad_offset = post(client, sessions, demo_alignment, "segments/target/0/split", offset="x")

    assert response.status_code == 400
    assert "merge the pairs first" in response.json["error"]
    assert bad_offset.status_code == 400
