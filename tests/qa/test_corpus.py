"""The checks on the corpus pair: silent on correct pairs, loud on planted problems."""

from __future__ import annotations

import pytest

from app.qa import QaPair, default_checks, run_checks


def qa_pairs(corpus_pair, corpus_result, targets: list[str]) -> list[QaPair]:
    es, en = corpus_pair
    return [
        QaPair(
            k,
            " ".join(s.text for s in es.segments[b.src_start : b.src_end]),
            " ".join(targets[b.tgt_start : b.tgt_end]),
            es.language,
            en.language,
            b.one_sided,
        )
        for k, b in enumerate(corpus_result.beads)
    ]


def test_no_two_sided_pair_of_the_corpus_is_flagged(corpus_pair, corpus_result) -> None:
    pairs = qa_pairs(corpus_pair, corpus_result, [s.text for s in corpus_pair[1].segments])
    flags = run_checks(pairs, default_checks())
    assert {p.position: f for p, f in zip(pairs, flags, strict=True) if p.two_sided and f} == {}


def plant(targets: list[str], old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in the one target segment holding it; returns its index."""
    (index,) = [k for k, text in enumerate(targets) if old in text]
    targets[index] = targets[index].replace(old, new)
    return index


@pytest.fixture(scope="module")
def planted(corpus_pair, corpus_result):
    """The corpus pair with five planted problems: {expected check: bead position}, flags."""
    es, en = corpus_pair
    targets = [s.text for s in en.segments]
    segments = {
        "numbers": plant(targets, "139 arrests", "193 arrests"),
        "names": plant(targets, "security expert Falko Ernst told DW", "a security expert told DW"),
        "length": plant(
            targets,
            "The academic community also has serious doubts about the effectiveness of using "
            "the National Guard to combat organized crime. ",
            "",
        ),
        "quotes": plant(targets, "its institutional objective.”", "its institutional objective."),
        "untranslated": plant(targets, "Estimates from the citizen organization", "@@"),
    }
    spanish = next(s.text for s in es.segments if s.text.startswith("Las estimaciones"))
    targets[segments["untranslated"]] = spanish
    pairs = qa_pairs(corpus_pair, corpus_result, targets)
    beads = {
        check: next(
            k for k, b in enumerate(corpus_result.beads) if b.tgt_start <= index < b.tgt_end
        )
        for check, index in segments.items()
    }
    return beads, pairs, run_checks(pairs, default_checks())


@pytest.mark.parametrize("check", ["numbers", "names", "length", "quotes", "untranslated"])
def test_each_planted_problem_is_flagged_by_its_check(planted, check: str) -> None:
    beads, _pairs, flags = planted
    assert check in {flag.check for flag in flags[beads[check]]}


def test_only_the_planted_pairs_are_flagged(planted) -> None:
    beads, pairs, flags = planted
    flagged = {p.position for p, f in zip(pairs, flags, strict=True) if p.two_sided and f}
    assert flagged == set(beads.values())
