"""The review workbench over HTTP: operations, undo and redo, conflicts, pages, map, history."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from app.store import models

from .conftest import HOSTILE, stored_beads
from .pages import bead_rows, positions

JSON = {"Accept": "application/json"}


def alignment_version(sessions, alignment_id: int) -> int:
    with sessions() as session:
        return session.get(models.Alignment, alignment_id).version


def post_operation(client, sessions, alignment_id: int, op: str, position: int, **extra):
    data = {"op": op, "position": position, "version": alignment_version(sessions, alignment_id)}
    return client.post(
        f"/alignments/{alignment_id}/operations", data={**data, **extra}, headers=JSON
    )


def test_an_operation_answers_the_script_with_the_changed_rows(client, sessions, demo_alignment):
    before = len(stored_beads(sessions, demo_alignment))

    response = post_operation(client, sessions, demo_alignment, "merge_next", 3)

    assert response.status_code == 200
    assert response.json["location"] == f"/alignments/{demo_alignment}#bead-3"
    # Pairs are numbered from 1 for the reviewer: position 3 is pair 4.
    assert response.json["summary"] == "merged pair 4 with the next"
    assert len(stored_beads(sessions, demo_alignment)) == before - 1
    # The two pairs became one: the script replaces them with this row, in place.
    assert (response.json["start"], response.json["removed"], response.json["added"]) == (3, 2, 1)
    rows = positions(response.json["rows"])
    assert rows == [3]
    assert response.json["state"]["total"] == before - 1
    assert response.json["state"]["can_undo"] is True


def test_a_plain_form_gets_a_redirect_to_the_filtered_page(client, sessions, demo_alignment):
    response = client.post(
        f"/alignments/{demo_alignment}/operations",
        data={
            "op": "shift_down target",
            "position": 3,
            "version": alignment_version(sessions, demo_alignment),
            "next": f"/alignments/{demo_alignment}?sort=similarity",
        },
    )

    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/alignments/{demo_alignment}?sort=similarity")
    assert response.headers["Location"].endswith("#bead-3")


def test_split_with_a_chosen_point_and_undo_redo_through_the_page(client, sessions, demo_alignment):
    merged = post_operation(client, sessions, demo_alignment, "merge_next", 3)
    assert merged.status_code == 200
    after_merge = [
        (b.src_start, b.src_end, b.tgt_start, b.tgt_end)
        for b in stored_beads(sessions, demo_alignment)
    ]

    split = post_operation(client, sessions, demo_alignment, "split", 3, src_cut="1", tgt_cut="0")
    assert split.status_code == 200
    bead = stored_beads(sessions, demo_alignment)[3]
    assert (bead.src_end - bead.src_start, bead.tgt_end - bead.tgt_start) == (1, 0)

    version = alignment_version(sessions, demo_alignment)
    undone = client.post(
        f"/alignments/{demo_alignment}/undo", data={"version": version}, headers=JSON
    )
    assert undone.status_code == 200
    spans = [
        (b.src_start, b.src_end, b.tgt_start, b.tgt_end)
        for b in stored_beads(sessions, demo_alignment)
    ]
    assert spans == after_merge
    page = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)
    assert 'id="redo-button"' in page and not re.search(r'id="redo-button"[^>]*disabled', page)

    version = alignment_version(sessions, demo_alignment)
    redone = client.post(
        f"/alignments/{demo_alignment}/redo", data={"version": version}, headers=JSON
    )
    assert redone.status_code == 200
    assert stored_beads(sessions, demo_alignment)[3].tgt_end == bead.tgt_end


def test_a_stale_operation_is_a_409_with_a_message_for_the_script(client, sessions, demo_alignment):
    stale = alignment_version(sessions, demo_alignment)
    post_operation(client, sessions, demo_alignment, "status", 3, status="confirmed")
    before = [b.version for b in stored_beads(sessions, demo_alignment)]

    response = client.post(
        f"/alignments/{demo_alignment}/operations",
        data={"op": "merge_next", "position": 3, "version": stale},
        headers=JSON,
    )

    assert response.status_code == 409
    assert "changed by someone else" in response.json["error"]
    assert [b.version for b in stored_beads(sessions, demo_alignment)] == before


def test_the_conflict_notice_is_shown_on_the_reloaded_page(client, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}?notice=conflict").get_data(as_text=True)

    assert 'id="notice"' in html
    assert "your change was not saved" in html


def test_an_impossible_operation_is_a_400_that_says_why(client, sessions, demo_alignment):
    response = post_operation(client, sessions, demo_alignment, "merge_previous", 0)

    assert response.status_code == 400
    assert response.json["error"] == "The first pair has no previous pair to merge with."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"op": "fold", "position": "1", "version": "1"}, "there is no operation"),
        ({"op": "merge_next", "position": "x", "version": "1"}, "position must be a whole number"),
        ({"op": "merge_next", "position": "1"}, "version must be a whole number"),
    ],
)
def test_a_malformed_operation_is_a_400(client, demo_alignment, data, message):
    response = client.post(f"/alignments/{demo_alignment}/operations", data=data, headers=JSON)

    assert response.status_code == 400
    assert message in response.json["error"].lower()


def test_a_long_alignment_is_served_in_pages_of_200(client, long_alignment):
    first = client.get(f"/alignments/{long_alignment}").get_data(as_text=True)
    last = client.get(f"/alignments/{long_alignment}?page=3").get_data(as_text=True)

    assert positions(first) == list(range(200))
    assert positions(last) == list(range(400, 450))
    assert "page 1 of 3" in first and "Pairs 401–450 of 450" in last


def test_jumping_to_a_pair_opens_its_page_at_it(client, long_alignment):
    response = client.get(f"/alignments/{long_alignment}?at=321")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/alignments/{long_alignment}?page=2#bead-321"


def test_the_queue_sorts_by_similarity_lowest_first(client, sessions, long_alignment):
    html = client.get(f"/alignments/{long_alignment}?sort=similarity").get_data(as_text=True)

    beads = stored_beads(sessions, long_alignment)
    expected = sorted(beads, key=lambda b: (b.similarity, b.position))[:200]
    assert positions(html) == [b.position for b in expected]


def test_a_similarity_range_and_the_qa_flag_filter(client, sessions, long_alignment):
    ranged = client.get(
        f"/alignments/{long_alignment}?min_similarity=0.5&max_similarity=0.6"
    ).get_data(as_text=True)
    flagged = client.get(f"/alignments/{long_alignment}?flagged=1").get_data(as_text=True)

    beads = stored_beads(sessions, long_alignment)
    expected = [b.position for b in beads if 0.5 <= b.similarity < 0.6]
    assert positions(ranged)[:200] == expected[:200]
    assert positions(flagged) == [5, 300]
    assert "number mismatch in 300" in flagged


def test_text_search_finds_either_side_and_takes_wildcards_literally(client, long_alignment):
    source_side = client.get(f"/alignments/{long_alignment}?q=ES+PARAGRAPH+42+TEXT").get_data(
        as_text=True
    )
    target_side = client.get(f"/alignments/{long_alignment}?q=en paragraph 417 text").get_data(
        as_text=True
    )
    wildcard = client.get(f"/alignments/{long_alignment}?q=paragraph_4").get_data(as_text=True)

    assert positions(source_side) == [42]
    assert positions(target_side) == [417]
    assert positions(wildcard) == []


def test_a_text_search_matching_many_pairs_pages_like_any_filter(client, sessions, long_alignment):
    post_operation(client, sessions, long_alignment, "merge_next", 5)  # positions shift
    every = [f"/alignments/{long_alignment}?q=text&page={page}" for page in (1, 2, 3)]
    combined = [f"{url}&status=automatic" for url in every]

    pages = [positions(client.get(url).get_data(as_text=True)) for url in every]
    same = [positions(client.get(url).get_data(as_text=True)) for url in combined]
    ones = positions(
        client.get(f"/alignments/{long_alignment}?q=paragraph+1").get_data(as_text=True)
    )
    jump = client.get(f"/alignments/{long_alignment}?q=text&at=420")

    assert pages == [list(range(200)), list(range(200, 400)), list(range(400, 449))]
    assert same == pages  # the same beads through the SQL filter
    # "paragraph 1" is in pairs 1, 10-19 and 100-199; pair 5 now holds 5 and 6.
    assert ones == [k - 1 if k > 6 else k for k in (1, *range(10, 20), *range(100, 200))]
    assert jump.headers["Location"] == f"/alignments/{long_alignment}?page=3&q=text#bead-420"


def test_next_unreviewed_skips_confirmed_pairs(client, sessions, long_alignment):
    post_operation(client, sessions, long_alignment, "status", 11, status="confirmed")

    response = client.get(f"/alignments/{long_alignment}/next?after=10")

    assert response.headers["Location"] == f"/alignments/{long_alignment}?at=12"


def test_the_history_pages_show_who_did_what_escaped(client, sessions, hostile_alignment):
    post_operation(client, sessions, hostile_alignment, "note", 1, note=HOSTILE)

    whole = client.get(f"/alignments/{hostile_alignment}/history").get_data(as_text=True)
    bead = client.get(f"/alignments/{hostile_alignment}/history?position=1").get_data(as_text=True)
    other = client.get(f"/alignments/{hostile_alignment}/history?position=0").get_data(as_text=True)

    # Position 1 is the second pair: pairs are numbered from 1 for the reviewer.
    assert "noted pair 2" in whole and "local" in whole
    assert "noted pair 2" in bead
    assert "noted pair 2" not in other
    assert HOSTILE not in whole


def test_the_map_links_every_cell_to_its_pair(client, sessions, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}/map").get_data(as_text=True)

    links = re.findall(rf'href="/alignments/{demo_alignment}\?at=(\d+)"', html)
    assert [int(k) for k in links] == [b.position for b in stored_beads(sessions, demo_alignment)]
    assert "<svg" in html and "polyline" in html


def test_the_map_of_a_long_alignment_is_downsampled(client, long_alignment, monkeypatch):
    from app.web import alignment_map

    monkeypatch.setattr(alignment_map, "MAX_CELLS", 100)
    html = client.get(f"/alignments/{long_alignment}/map").get_data(as_text=True)

    assert len(re.findall(r"<rect ", html)) == 90  # 450 beads, 5 per cell
    assert "a run of 5 pairs" in html


def test_the_index_lists_paragraph_alignments_with_a_link_to_their_sentences(
    client, sentence_alignment
):
    parent, child = sentence_alignment

    html = client.get("/").get_data(as_text=True)

    assert f'href="/alignments/{parent}"' in html
    assert f'href="/alignments/{child}"' in html and ">Sentences</a>" in html
    assert html.count(">Review</a>") == 1  # the sentence alignment has no row of its own


def test_the_sentence_view_shows_sentences_not_paragraphs(client, sentence_alignment):
    parent, child = sentence_alignment

    html = client.get(f"/alignments/{child}").get_data(as_text=True)

    rows = bead_rows(html)
    assert [row.source for row in rows] == [[("p", "Frase uno.")], [("p", "Frase dos.")]]
    assert [row.target for row in rows] == [[("p", "Sentence one.")], [("p", "Sentence two.")]]
    assert f'href="/alignments/{parent}">Paragraphs' in html


def test_the_help_overlay_lists_the_keyboard_shortcuts(client, demo_alignment):
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    for key in (
        "<kbd>c</kbd>",
        "<kbd>m</kbd>",
        "<kbd>s</kbd>",
        "<kbd>u / Ctrl+Z</kbd>",
        "<kbd>?</kbd>",
    ):
        assert key in html


def test_a_reviewer_may_not_edit_text(client, sessions, demo_alignment):
    version = alignment_version(sessions, demo_alignment)

    response = client.post(
        f"/alignments/{demo_alignment}/segments/target/2",
        data={"text": "Changed.", "version": version},
        headers=JSON,
    )
    page = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    assert response.status_code == 403
    assert "may review pairs but not change" in response.json["error"]
    assert "Edit text" not in page


def test_an_editor_corrects_a_segment_and_the_page_shows_it(app, client, sessions, demo_alignment):
    # In single-user mode the local user's role is ALINEA_LOCAL_ROLE (reviewer unless set).
    app.config["ALINEA_SETTINGS"] = replace(app.config["ALINEA_SETTINGS"], local_role="editor")
    version = alignment_version(sessions, demo_alignment)

    response = client.post(
        f"/alignments/{demo_alignment}/segments/target/2",
        data={"text": "A corrected <b>paragraph</b>.", "version": version},
        headers=JSON,
    )
    page = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)

    assert response.status_code == 200
    assert "A corrected &lt;b&gt;paragraph&lt;/b&gt;." in page
    assert "Edit text" in page


def test_exports_read_the_texts_at_the_alignment_s_own_level(client, sentence_alignment):
    parent, child = sentence_alignment

    paragraphs = client.get(f"/alignments/{parent}/export?format=tsv").get_data(as_text=True)
    sentences = client.get(f"/alignments/{child}/export?format=tsv").get_data(as_text=True)

    assert "Párrafo con" in paragraphs and "Frase" not in paragraphs
    assert "Frase uno." in sentences and "Sentence two." in sentences
    assert "Párrafo" not in sentences


def test_the_map_draws_every_pair_inside_it_with_its_review_status(
    client, sessions, demo_alignment
):
    beads = stored_beads(sessions, demo_alignment)
    post_operation(client, sessions, demo_alignment, "status", 0, status="confirmed")

    html = client.get(f"/alignments/{demo_alignment}/map").get_data(as_text=True)

    width, height = (int(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', html).groups())
    cells = re.findall(
        r'class="map-cell band-(\S+) status-(\S+)" x="(\d+)" y="(\d+)" width="(\d+)" '
        r'height="(\d+)"',
        html,
    )
    assert len(cells) == len(beads)
    # Pairs only in the translation come after the original's end: still inside the map.
    for _band, _status, x, y, w, h in cells:
        assert int(x) + int(w) <= width and int(y) + int(h) <= height
    assert cells[0][1] == "confirmed"
    assert {band for band, *_ in cells if band == "none"}
    assert 'role="img"' not in html
