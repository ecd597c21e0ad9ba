"""Narrowing the alignment page to the pairs that need attention."""

from __future__ import annotations

import pytest

from app.store import models

from .conftest import stored_beads, two_sided
from .pages import positions


def page(client, alignment_id: int, query: str) -> str:
    response = client.get(f"/alignments/{alignment_id}?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def weaker_than(beads, threshold: float) -> list[int]:
    return [b.position for b in beads if b.similarity is not None and b.similarity < threshold]


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.995])
def test_a_similarity_threshold_shows_only_the_weaker_pairs(
    client, sessions, demo_alignment, threshold
):
    beads = stored_beads(sessions, demo_alignment)
    expected = weaker_than(beads, threshold)

    html = page(client, demo_alignment, f"max_similarity={threshold}")

    assert positions(html) == expected
    assert f"Showing {len(expected)} of {len(beads)} pairs" in html


def test_the_threshold_separates_weak_pairs_from_strong_and_one_sided_ones(
    client, sessions, hostile_alignment
):
    # The demo pairs all score high; this hand-made alignment has 0.93, 0.42 and a
    # one-sided bead without a similarity.
    beads = stored_beads(sessions, hostile_alignment)
    assert weaker_than(beads, 0.5) == [1]

    assert positions(page(client, hostile_alignment, "max_similarity=0.5")) == [1]
    assert positions(page(client, hostile_alignment, "max_similarity=1")) == [0, 1]


def test_the_status_filter_shows_the_confirmed_pairs(client, sessions, demo_alignment):
    pairs = two_sided(stored_beads(sessions, demo_alignment))
    for bead in (pairs[2], pairs[5]):
        client.post(
            f"/beads/{bead.id}/status", data={"status": "confirmed", "version": bead.version}
        )

    assert positions(page(client, demo_alignment, "status=confirmed")) == [
        pairs[2].position,
        pairs[5].position,
    ]
    not_reviewed = positions(page(client, demo_alignment, "status=automatic"))
    assert pairs[2].position not in not_reviewed
    assert len(not_reviewed) == len(stored_beads(sessions, demo_alignment)) - 2


def test_the_one_sided_filter_shows_omissions_and_additions(client, sessions, demo_alignment):
    expected = [b.position for b in stored_beads(sessions, demo_alignment) if b.one_sided]

    assert positions(page(client, demo_alignment, "one_sided=1")) == expected


def test_empty_filter_fields_mean_no_filter(client, sessions, demo_alignment):
    html = page(client, demo_alignment, "max_similarity=&status=&one_sided=")

    assert len(positions(html)) == len(stored_beads(sessions, demo_alignment))


def test_a_filter_nothing_matches_says_so(client, demo_alignment):
    html = page(client, demo_alignment, "max_similarity=0")

    assert positions(html) == []
    assert "No pairs match this filter" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("max_similarity=abc", "max_similarity must be a number between 0 and 1"),
        ("max_similarity=1.5", "max_similarity must be a number between 0 and 1"),
        ("max_similarity=nan", "max_similarity must be a number between 0 and 1"),
        ("status=approved", "status must be one of automatic, confirmed, rejected"),
        ("one_sided=yes", "one_sided must be 1 or 0"),
    ],
)
def test_an_invalid_filter_is_a_400_that_says_what_is_wrong(client, demo_alignment, query, message):
    response = client.get(f"/alignments/{demo_alignment}?{query}")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message.capitalize() in html
    assert f'href="/alignments/{demo_alignment}"' in html  # the way back to all pairs


def test_doubtful_first_puts_the_missing_lead_and_every_web_leftover_on_top(
    client, sessions, demo_alignment
):
    beads = stored_beads(sessions, demo_alignment)
    # The corpus gold: the lead (original paragraph 1) has no translation, and translated
    # segments 22-27 are web-page leftovers (credits, newsletter prompt, shop links).
    lead = next(b.position for b in beads if (b.src_start, b.src_end) == (1, 2))
    leftovers = {b.position for b in beads if b.src_start == b.src_end and b.tgt_start >= 22}
    assert len(leftovers) == 6

    first_eight = positions(page(client, demo_alignment, "sort=doubt"))[:8]

    assert lead in first_eight
    assert leftovers <= set(first_eight)


def test_doubtful_first_puts_a_broken_pair_above_every_sound_one(client, sessions, demo_alignment):
    from app.services import review
    from app.store.db import transaction

    beads = stored_beads(sessions, demo_alignment)

    def one_to_one(bead) -> bool:
        return bead.src_end - bead.src_start == 1 == bead.tgt_end - bead.tgt_start

    # Two 1-1 pairs: moving the second's translation up gives the first an unrelated
    # paragraph (and leaves the second's original alone).
    position = next(
        k for k in range(4, len(beads)) if one_to_one(beads[k]) and one_to_one(beads[k - 1])
    )
    with transaction(sessions) as session:
        version = session.get(models.Alignment, demo_alignment).version
        review.apply_operation(
            session,
            demo_alignment,
            version,
            review.Operation("shift_up", position, side="target"),
        )

    order = positions(page(client, demo_alignment, "sort=doubt"))
    sound = [b.position for b in two_sided(stored_beads(sessions, demo_alignment))]
    broken = position - 1
    assert all(order.index(broken) < order.index(k) for k in sound if k != broken)


def test_a_reviewed_pair_is_no_longer_doubtful(client, sessions, demo_alignment):
    from app.services import review
    from app.store.db import transaction

    lead = next(
        b.position
        for b in stored_beads(sessions, demo_alignment)
        if (b.src_start, b.src_end) == (1, 2)
    )
    with transaction(sessions) as session:
        version = session.get(models.Alignment, demo_alignment).version
        review.apply_operation(
            session, demo_alignment, version, review.Operation("status", lead, status="rejected")
        )

    assert positions(page(client, demo_alignment, "sort=doubt"))[-1] == lead


def test_two_flags_saying_the_same_thing_show_once():
    from app.web.rows import flag_messages

    bead = models.Bead(
        flags=[
            {"check": "empty", "message": "the target is empty: this passage has no translation"},
            {"check": "omission", "message": "likely omission: no translation"},
            {"check": "numbers", "message": "number 3 missing"},
            {"check": "numbers", "message": "number 3 missing"},
        ]
    )

    assert flag_messages(bead) == [
        ("omission", "likely omission: no translation"),
        ("numbers", "number 3 missing"),
    ]
