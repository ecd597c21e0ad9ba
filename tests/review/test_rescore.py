"""Every structural fix is scored at once, with the alignment's own scorers (both
backends)."""

from __future__ import annotations

from app.services.review import Operation

from .conftest import apply, states


def two_sided_pair(sessions, alignment_id, after=0):
    return next(
        k
        for k, b in enumerate(states(sessions, alignment_id))
        if k >= after and b.src_len and b.tgt_len
    )


def test_a_merged_pair_gets_a_similarity_and_its_component_scores(sessions, demo_alignment):
    position = two_sided_pair(sessions, demo_alignment, 3)

    apply(sessions, demo_alignment, Operation("merge_next", position))

    beads = states(sessions, demo_alignment)
    merged = beads[position]
    assert merged.similarity is not None and 0 <= merged.similarity <= 1
    # The same components as the aligner gave the other pairs.
    aligned = next(b for b in beads[position + 1 :] if b.src_len and b.tgt_len)
    assert merged.scores and set(merged.scores) == set(aligned.scores)


def test_a_pair_put_back_as_it_was_gets_its_old_score_again(sessions, demo_alignment):
    position = two_sided_pair(sessions, demo_alignment, 3)
    original = states(sessions, demo_alignment)[position]
    following = states(sessions, demo_alignment)[position + 1]
    apply(sessions, demo_alignment, Operation("merge_next", position))

    apply(
        sessions,
        demo_alignment,
        Operation("split", position, src_cut=original.src_len, tgt_cut=original.tgt_len),
    )

    again = states(sessions, demo_alignment)
    # The same engine on the same texts: the same probability, to the last digit or so
    # (components that weigh a pair against its neighbours may differ, the neighbours
    # seen being only the changed stretch).
    assert abs(again[position].similarity - original.similarity) <= 0.002
    assert again[position].scores.keys() == original.scores.keys()
    assert abs(again[position + 1].similarity - following.similarity) <= 0.002


def test_a_pair_given_an_unrelated_paragraph_scores_lower_than_before(sessions, demo_alignment):
    beads = states(sessions, demo_alignment)

    def one_to_one(bead) -> bool:
        return bead.src_len == 1 == bead.tgt_len

    # Two one-to-one pairs in the body of the article (past the title, lead and caption).
    position = next(
        k for k in range(4, len(beads)) if one_to_one(beads[k]) and one_to_one(beads[k - 1])
    )

    # The next pair's translated paragraph moves up into the pair before.
    apply(sessions, demo_alignment, Operation("shift_up", position, side="target"))

    broken = states(sessions, demo_alignment)[position - 1]
    assert broken.tgt_len == beads[position - 1].tgt_len + 1
    assert broken.similarity is not None
    assert broken.similarity < beads[position - 1].similarity


def test_a_one_sided_pair_has_no_score(sessions, demo_alignment):
    position = two_sided_pair(sessions, demo_alignment, 3)

    apply(sessions, demo_alignment, Operation("detach", position, side="target", end="last"))

    after = states(sessions, demo_alignment)
    detached = [b for b in after[position : position + 3] if b.one_sided]
    assert detached and all(b.similarity is None for b in detached)


def test_scores_deferred_to_a_second_step_are_kept_by_undo_and_redo(sessions, demo_alignment):
    from app.services import review
    from app.store.db import transaction

    from .conftest import version

    before = states(sessions, demo_alignment)
    position = two_sided_pair(sessions, demo_alignment, 3)
    with transaction(sessions) as session:
        review.apply_operation(
            session,
            demo_alignment,
            version(sessions, demo_alignment),
            Operation("merge_next", position),
            score=False,
        )
    assert states(sessions, demo_alignment)[position].similarity is None

    with transaction(sessions) as session:
        outcome = review.score_latest(session, demo_alignment)

    merged = states(sessions, demo_alignment)[position]
    assert outcome is not None and outcome.start == position
    assert merged.similarity is not None and merged.scores
    with transaction(sessions) as session:
        assert review.score_latest(session, demo_alignment) is None  # nothing left to score
    with transaction(sessions) as session:
        review.undo(session, demo_alignment, version(sessions, demo_alignment))
    assert states(sessions, demo_alignment) == before
    with transaction(sessions) as session:
        review.redo(session, demo_alignment, version(sessions, demo_alignment))
    assert states(sessions, demo_alignment)[position] == merged


def test_a_deferred_score_reaches_a_pair_the_checks_flagged_meanwhile(sessions, demo_alignment):
    """The split leaves a pair QA flags at once (the translation too short for it); the
    second step still scores it and keeps its flags."""
    from app.services import review
    from app.store.db import transaction

    from .conftest import version

    position = two_sided_pair(sessions, demo_alignment, 3)
    apply(sessions, demo_alignment, Operation("merge_next", position))
    with transaction(sessions) as session:
        review.apply_operation(
            session,
            demo_alignment,
            version(sessions, demo_alignment),
            Operation("split", position, src_cut=1, tgt_cut=1),
            score=False,
        )
    unscored = states(sessions, demo_alignment)[position]
    assert unscored.similarity is None and unscored.flags

    with transaction(sessions) as session:
        assert review.score_latest(session, demo_alignment) is not None

    scored = states(sessions, demo_alignment)[position]
    assert scored.similarity is not None and scored.scores
    assert scored.flags == unscored.flags
