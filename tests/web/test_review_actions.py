"""Confirming, rejecting and annotating pairs, and what happens when that goes wrong."""

from __future__ import annotations

import pytest

from .conftest import stored_bead, stored_beads, two_sided
from .pages import bead_rows, progress_text


def first_pair(sessions, alignment_id: int, index: int = 0):
    return two_sided(stored_beads(sessions, alignment_id))[index]


def test_confirming_a_pair_records_it_and_counts_it_in_the_progress(
    client, sessions, demo_alignment
):
    bead = first_pair(sessions, demo_alignment, 3)

    response = client.post(
        f"/beads/{bead.id}/status", data={"status": "confirmed", "version": bead.version}
    )

    assert response.status_code == 303
    assert response.headers["Location"] == f"/alignments/{demo_alignment}#bead-{bead.position}"
    after = stored_bead(sessions, bead.id)
    assert after.status == "confirmed"
    assert after.version == bead.version + 1
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)
    total = len(stored_beads(sessions, demo_alignment))
    assert progress_text(html) == f"1/{total}"
    [row] = [row for row in bead_rows(html) if row.position == bead.position]
    assert row.status == "confirmed"


def test_rejecting_a_pair_records_it(client, sessions, demo_alignment):
    bead = first_pair(sessions, demo_alignment)

    response = client.post(
        f"/beads/{bead.id}/status", data={"status": "rejected", "version": bead.version}
    )

    assert response.status_code == 303
    after = stored_bead(sessions, bead.id)
    assert (after.status, after.version) == ("rejected", bead.version + 1)
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)
    assert '<span id="rejected-count">1</span> rejected' in html


def test_a_decision_can_be_undone(client, sessions, demo_alignment):
    bead = first_pair(sessions, demo_alignment)
    client.post(f"/beads/{bead.id}/status", data={"status": "confirmed", "version": bead.version})

    client.post(
        f"/beads/{bead.id}/status", data={"status": "automatic", "version": bead.version + 1}
    )

    after = stored_bead(sessions, bead.id)
    assert (after.status, after.version) == ("automatic", bead.version + 2)


def test_a_note_is_saved_shown_and_can_be_cleared(client, sessions, demo_alignment):
    bead = first_pair(sessions, demo_alignment)

    response = client.post(
        f"/beads/{bead.id}/note",
        data={"note": "  Check the <em>figures</em> & dates.  ", "version": bead.version},
    )

    assert response.status_code == 303
    after = stored_bead(sessions, bead.id)
    assert (after.note, after.version) == ("Check the <em>figures</em> & dates.", bead.version + 1)
    html = client.get(f"/alignments/{demo_alignment}").get_data(as_text=True)
    assert "Check the &lt;em&gt;figures&lt;/em&gt; &amp; dates." in html

    client.post(f"/beads/{bead.id}/note", data={"note": " ", "version": after.version})
    assert stored_bead(sessions, bead.id).note is None


def test_one_sided_beads_take_notes_too(client, sessions, demo_alignment):
    bead = next(b for b in stored_beads(sessions, demo_alignment) if b.one_sided)

    client.post(f"/beads/{bead.id}/note", data={"note": "Lead dropped", "version": 1})

    assert stored_bead(sessions, bead.id).note == "Lead dropped"


def test_the_reviewer_returns_to_the_filtered_page_at_the_pair(client, sessions, demo_alignment):
    bead = first_pair(sessions, demo_alignment)
    page = f"/alignments/{demo_alignment}?max_similarity=0.8&status=automatic"

    response = client.post(
        f"/beads/{bead.id}/status",
        data={"status": "confirmed", "version": bead.version, "next": page},
    )

    assert response.headers["Location"] == f"{page}#bead-{bead.position}"


@pytest.mark.parametrize(
    "next_page",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_a_next_page_off_the_site_is_ignored(client, sessions, demo_alignment, next_page):
    bead = first_pair(sessions, demo_alignment)

    response = client.post(
        f"/beads/{bead.id}/note",
        data={"note": "x", "version": bead.version, "next": next_page},
    )

    assert response.headers["Location"] == f"/alignments/{demo_alignment}#bead-{bead.position}"


def test_a_stale_page_gets_a_409_and_changes_nothing(client, sessions, demo_alignment):
    bead = first_pair(sessions, demo_alignment)
    page = f"/alignments/{demo_alignment}?status=automatic"
    client.post(f"/beads/{bead.id}/status", data={"status": "confirmed", "version": bead.version})

    # A second reviewer, whose page still shows the first version.
    rejected = client.post(
        f"/beads/{bead.id}/status",
        data={"status": "rejected", "version": bead.version, "next": page},
    )
    noted = client.post(f"/beads/{bead.id}/note", data={"note": "no", "version": bead.version})

    for response in (rejected, noted):
        assert response.status_code == 409
        html = response.get_data(as_text=True)
        assert "changed by someone else" in html
        assert "Reload the page" in html
    assert f'href="{page}#bead-{bead.position}"' in rejected.get_data(as_text=True)
    after = stored_bead(sessions, bead.id)
    assert (after.status, after.note, after.version) == ("confirmed", None, bead.version + 1)


def test_an_unknown_pair_is_a_404_page(client, demo_alignment):
    for action, data in (("status", {"status": "confirmed"}), ("note", {"note": "x"})):
        response = client.post(f"/beads/999999/{action}", data={**data, "version": 1})

        assert response.status_code == 404
        assert "There is no pair 999999" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {"status": "approved", "version": "1"},
        {"status": "", "version": "1"},
        {"version": "1"},
        {"status": "confirmed"},
        {"status": "confirmed", "version": "one"},
        {"status": "confirmed", "version": "-1"},
    ],
)
def test_a_bad_status_form_is_a_400_and_changes_nothing(client, sessions, demo_alignment, data):
    bead = first_pair(sessions, demo_alignment)

    response = client.post(f"/beads/{bead.id}/status", data=data)

    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    after = stored_bead(sessions, bead.id)
    assert (after.status, after.version) == ("automatic", bead.version)


def test_a_note_form_without_a_note_is_a_400(client, sessions, demo_alignment):
    bead = first_pair(sessions, demo_alignment)

    response = client.post(f"/beads/{bead.id}/note", data={"version": bead.version})

    assert response.status_code == 400
    assert stored_bead(sessions, bead.id).version == bead.version


def test_the_actions_only_accept_posts(client, sessions, demo_alignment):
    bead = first_pair(sessions, demo_alignment)

    response = client.get(f"/beads/{bead.id}/status")

    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert "Not allowed" in response.get_data(as_text=True)
