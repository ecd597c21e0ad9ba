"""Running the aligner on the gold sets and scoring it: what ``alinea eval`` prints.

Every document goes through ``align_presegmented``, the code path of
``alinea align --presegmented``, so the figures are those a user gets.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.align.embed import MemoryCache
from app.align.levels import align_presegmented
from app.align.sentence_evidence import sentence_stage, with_sentences
from app.evaluation import datasets, errors, metric, verses
from app.evaluation.links import Link, write_links
from app.segments import BeadSpan


@dataclass
class Report:
    name: str
    links: list[list[Link]]
    scores: metric.Scores
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    documents: int
    src_sentences: int
    tgt_sentences: int
    extra: dict[str, object] = field(default_factory=dict)


def links_of(beads: list[BeadSpan]) -> list[Link]:
    return [
        Link(tuple(range(b.src_start, b.src_end)), tuple(range(b.tgt_start, b.tgt_end)))
        for b in beads
    ]


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time so far, user and system, of this process and of the child processes it
    waited for (Apertium): on a shared machine a steadier measure than wall-clock time."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def evaluate(
    name: str,
    documents: list[datasets.EvalDocument],
    fast: bool,
    out_dir: Path | None,
    log: Callable[[str], None] = print,
    use_mt: bool = True,
    level: str = "sentence",
) -> tuple[Report, list[tuple[BeadSpan, bool]]]:
    """Align and score documents; return the report and every two-sided bead with its
    correctness (for the confidence analysis)."""
    started, cpu_started = time.perf_counter(), cpu_seconds()
    counts, judged, all_links = None, [], []
    cache = MemoryCache()
    choices: dict[str, dict] = {}
    models: set[str] = set()
    for document in documents:
        result = align_presegmented(
            document.src_lines,
            document.tgt_lines,
            document.src_lang,
            document.tgt_lang,
            fast=fast,
            use_mt=use_mt,
            cache=cache,
            level=level,
        )
        if sentence_stage(result):
            # As an upload: sentences aligned inside the paragraph beads, which the
            # paragraphs' similarities then weigh.
            result = with_sentences(
                result,
                document.src_lines,
                document.tgt_lines,
                document.src_lang,
                document.tgt_lang,
                fast=fast,
                use_mt=use_mt,
                cache=cache,
            ).paragraphs
        choice = result.parameters.get("scorer_choice", {})
        choices[repr(sorted(choice.items()))] = choice
        models.add(str(result.parameters.get("model")))
        links = links_of(result.beads)
        all_links.append(links)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            write_links(out_dir / f"{document.name}.align", links)
        gold = document.gold or []
        c = metric.score_document(links, gold)
        counts = c if counts is None else counts + c
        gold_set = {(g.src, g.tgt) for g in gold}
        judged += [
            (b, (link.src, link.tgt) in gold_set)
            for b, link in zip(result.beads, links, strict=True)
            if b.similarity is not None
        ]
        log(f"  {document.name}: {len(document.src_lines)}/{len(document.tgt_lines)} {level}s")
    report = Report(
        name=name,
        links=all_links,
        scores=counts.scores(),
        seconds=time.perf_counter() - started,
        cpu_seconds=cpu_seconds() - cpu_started,
        peak_rss_mb=peak_rss_mb(),
        documents=len(documents),
        src_sentences=sum(len(d.src_lines) for d in documents),
        tgt_sentences=sum(len(d.tgt_lines) for d in documents),
        extra={"scorer_choice": list(choices.values()), "models": sorted(models)},
    )
    return report, judged


def error_kinds(
    links: list[list[Link]], documents: list[datasets.EvalDocument]
) -> dict[str, object]:
    """The wrong links by kind (``errors.KINDS``), pooled over documents, with the gold
    one-sided lines put in beads and the gold links no monotone alignment can produce."""
    kinds: dict[str, int] = dict.fromkeys(errors.KINDS, 0)
    missed = blocked = one_sided = 0
    for predicted, document in zip(links, documents, strict=True):
        gold = document.gold or []
        for kind, count in errors.classify(predicted, gold).items():
            kinds[kind] += count
        missed += errors.missed_one_sided(predicted, gold)
        blocked += len(errors.unreachable(gold))
        one_sided += sum(1 for g in gold if g.one_sided)
    return {
        "wrong_links": kinds,
        "gold_one_sided": one_sided,
        "gold_one_sided_put_in_beads": missed,
        "gold_unreachable": blocked,
    }


def verse_merged(report_links: list[Link], root: Path | None = None) -> metric.Scores:
    """Bible figures as published: test links merged by verse, then scored."""
    document = datasets.bible(root)
    src_verses, tgt_verses = datasets.bible_verse_ids(root)
    return verses.score_verse_merged(report_links, document.gold, src_verses, tgt_verses).scores()


def confidence(judged: list[tuple[BeadSpan, bool]], bins: int = 5) -> dict[str, object]:
    """How well the similarity finds the wrong beads.

    Returns the share of all wrong beads found among the 10% of beads with the lowest
    similarity, the Brier score (the mean squared difference between the similarity,
    read as the probability that the bead is right, and what it is: 1 right, 0 wrong),
    and a reliability table: for bins of predicted probability, the mean prediction and
    the observed share of right beads.
    """
    ordered = sorted(judged, key=lambda item: item[0].similarity)
    wrong = sum(1 for _, right in ordered if not right)
    lowest = ordered[: max(1, len(ordered) // 10)]
    caught = sum(1 for _, right in lowest if not right)
    brier = sum((b.similarity - right) ** 2 for b, right in ordered) / max(1, len(ordered))
    table = []
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        members = [
            (b.similarity, right)
            for b, right in ordered
            if low <= b.similarity < high or (k == bins - 1 and b.similarity == 1.0)
        ]
        if members:
            table.append(
                {
                    "range": f"{low:.1f}-{high:.1f}",
                    "beads": len(members),
                    "predicted": round(sum(p for p, _ in members) / len(members), 3),
                    "observed": round(sum(1 for _, r in members if r) / len(members), 3),
                }
            )
    return {
        "beads": len(ordered),
        "wrong": wrong,
        "wrong_in_lowest_10_percent": caught,
        "share_of_wrong_in_lowest_10_percent": round(caught / wrong, 3) if wrong else None,
        "brier": round(brier, 4) if ordered else None,
        "reliability": table,
    }
