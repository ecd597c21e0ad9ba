"""``alinea eval``: align the public gold sets and print how well it went."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.align.choice import describe
from app.evaluation import datasets
from app.evaluation.paragraphs import paragraph_document
from app.evaluation.run import Report, confidence, error_kinds, evaluate, verse_merged


@click.command("eval")
@click.argument("dataset", type=click.Choice(["textberg", "bible", "ntrex"]))
@click.option(
    "--split",
    type=click.Choice(["dev", "test"]),
    default="test",
    show_default=True,
    help="Part to align (tuning used dev only). NTREX: dev is every third document. "
    "Bible: at paragraph level dev is Genesis and test the other three books; at "
    "sentence level the whole text.",
)
@click.option("--fast", is_flag=True, help="No neural model: character trigrams and length.")
@click.option("--no-mt", is_flag=True, help="Leave out the machine-translation scorer.")
@click.option(
    "--perturbed",
    is_flag=True,
    help="NTREX only: join and drop lines here and there (fixed per document), "
    "so the gold has 1-2, 2-1, 1-0 and 0-1 links.",
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding the gold sets (default: ../shared/eval-data or $ALINEA_EVAL_DATA).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the links scored, one [i,j]:[k] file per document.",
)
@click.option(
    "--level",
    type=click.Choice(["sentence", "paragraph"]),
    default="sentence",
    show_default=True,
    help="paragraph: paragraphs built from the sentence gold (merges and splits "
    "included, see app/evaluation/paragraphs.py), aligned by the paragraph model.",
)
@click.option(
    "--alone",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="With --level paragraph: the chance that an untranslated sentence becomes a "
    "one-sided paragraph of its own (else it stays in its paragraph).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def eval_command(dataset, split, fast, no_mt, perturbed, data, out, level, alone, as_json) -> None:
    """Align a gold set's documents and print strict and lax precision, recall and F1
    (counts pooled over documents), the scorers used, time and peak memory."""
    log = (lambda _line: None) if as_json else (lambda line: click.echo(line, err=True))
    if perturbed and dataset != "ntrex":
        raise click.UsageError("--perturbed goes with ntrex")
    try:
        documents = _documents(dataset, split, data, perturbed, level)
    except datasets.EvalDataMissing as error:
        raise click.ClickException(f"skipped: {error}") from error
    name = dataset if dataset == "bible" and level == "sentence" else f"{dataset} {split}"
    if perturbed:
        name += " perturbed"
    if level == "paragraph":
        documents = [paragraph_document(d, alone=alone) for d in documents]
        name += " paragraphs" + (f" (alone {alone})" if alone else "")
    report, judged = evaluate(name, documents, fast, out, log, use_mt=not no_mt, level=level)
    report.extra["level"] = level
    if dataset in ("textberg", "ntrex") or level == "paragraph":
        report.extra["confidence"] = confidence(judged)
    report.extra["errors"] = error_kinds(report.links, documents)
    if dataset == "bible" and level == "sentence":
        report.extra["verse_merged"] = _scores(verse_merged(report.links[0], data))
    _print(report, fast, as_json)


def _documents(
    dataset: str, split: str, data: Path | None, perturbed: bool, level: str
) -> list[datasets.EvalDocument]:
    if dataset == "textberg":
        return datasets.text_berg(split, data)
    if dataset == "bible" and level == "paragraph":
        return [datasets.bible_books(split, data)]
    if dataset == "bible":
        return [datasets.bible(data)]
    return datasets.ntrex_documents(data, split=split, perturbed=perturbed)


def _scores(scores) -> dict[str, float]:
    return {k: round(v, 4) for k, v in vars(scores).items()}


def _print(report: Report, fast: bool, as_json: bool) -> None:
    data = {
        "dataset": report.name,
        "mode": "fast" if fast else "full",
        "documents": report.documents,
        "sentences": [report.src_sentences, report.tgt_sentences],
        "scores": _scores(report.scores),
        "seconds": round(report.seconds, 2),
        "cpu_seconds": round(report.cpu_seconds, 2),
        "peak_rss_mb": round(report.peak_rss_mb, 1),
        **report.extra,
    }
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    s = report.scores
    click.echo(
        f"{report.name} ({data['mode']}): {report.documents} documents, "
        f"{report.src_sentences}/{report.tgt_sentences} {data['level']}s"
    )
    for choice in data.get("scorer_choice", []):
        click.echo(f"  {describe(choice)}")
    click.echo(f"  model: {', '.join(data.get('models', []))}")
    click.echo(
        f"  strict  P {s.strict_precision:.3f}  R {s.strict_recall:.3f}  F1 {s.strict_f1:.3f}"
    )
    click.echo(f"  lax     P {s.lax_precision:.3f}  R {s.lax_recall:.3f}  F1 {s.lax_f1:.3f}")
    if "verse_merged" in data:
        v = data["verse_merged"]
        click.echo(f"  verse-merged strict F1 {v['strict_f1']:.3f}  lax F1 {v['lax_f1']:.3f}")
    if "errors" in data:
        _print_errors(data["errors"])
    if "confidence" in data:
        c = data["confidence"]
        click.echo(
            f"  confidence: {c['wrong_in_lowest_10_percent']} of {c['wrong']} wrong beads "
            f"are among the 10% with the lowest similarity "
            f"({c['share_of_wrong_in_lowest_10_percent']}); Brier score {c.get('brier')}"
        )
        for row in c["reliability"]:
            click.echo(
                f"    similarity {row['range']}: {row['beads']} beads, predicted "
                f"{row['predicted']:.2f}, observed {row['observed']:.2f}"
            )
    click.echo(
        f"  time {report.seconds:.1f} s (CPU {report.cpu_seconds:.1f} s), "
        f"peak memory {report.peak_rss_mb:.0f} MB"
    )


def _print_errors(kinds: dict) -> None:
    wrong = kinds["wrong_links"]
    click.echo(f"  wrong links: {sum(wrong.values())}")
    for kind, count in wrong.items():
        click.echo(f"    {count:5d}  {kind}")
    click.echo(
        f"  gold one-sided lines: {kinds['gold_one_sided']}, "
        f"{kinds['gold_one_sided_put_in_beads']} of them put in beads; "
        f"gold links no monotone alignment can produce: {kinds['gold_unreachable']}"
    )


def register(group: click.Group) -> None:
    group.add_command(eval_command)
