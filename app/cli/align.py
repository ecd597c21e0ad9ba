"""``alinea align``: align an original with its translation, at paragraph and sentence
level, or line by line for presegmented files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.align.result import Progress
from app.cli.common import PROJECT_OPTION, Context, project_id, user_errors
from app.cli.documents import language_of
from app.errors import InvalidRequest
from app.ingest import LoadedDocument
from app.store import db as store_db


@click.command("align")
@click.argument("source")
@click.argument("target")
@click.option("--src-lang", help="Language of SOURCE when it is a file (detected otherwise).")
@click.option("--tgt-lang", help="Language of TARGET when it is a file (detected otherwise).")
@click.option(
    "--presegmented",
    is_flag=True,
    help="The files hold one sentence per line: align the lines as they are.",
)
@click.option(
    "--links",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --presegmented: also write the links as [i,j]:[k] lines (0-based line numbers).",
)
@click.option("--fast", is_flag=True, help="With --presegmented: no neural model.")
@PROJECT_OPTION
@click.option("--no-mt", is_flag=True, help="Leave out the machine-translation (Apertium) scorer.")
@click.pass_obj
@user_errors
def align_command(
    obj: Context,
    source: str,
    target: str,
    src_lang: str | None,
    tgt_lang: str | None,
    presegmented: bool,
    links: Path | None,
    fast: bool,
    project: str | None,
    no_mt: bool,
) -> None:
    """Align SOURCE (the original) with TARGET (its translation).

    Each is a document id or a file path, imported on the fly. Prints the new
    alignment's id alone on the last line. The scorers are chosen for the language pair
    (an embedding model that knows both languages, Apertium where it has the pair,
    anchors and length always) and printed on stderr.
    """
    if (links or fast) and not presegmented:
        raise InvalidRequest("--links and --fast go with --presegmented")
    chosen_project = project_id(obj, project)
    if presegmented:
        alignment_id = align_lines(
            obj, source, target, src_lang, tgt_lang, links, fast, chosen_project, not no_mt
        )
    else:
        alignment_id = align_pair(
            obj, source, target, src_lang, tgt_lang, chosen_project, use_mt=not no_mt
        )
    click.echo(alignment_id)


def align_lines(
    obj: Context,
    source: str,
    target: str,
    src_lang: str | None,
    tgt_lang: str | None,
    links_path: Path | None,
    fast: bool,
    project_id: int | None = None,
    use_mt: bool = True,
) -> int:
    """Align two one-sentence-per-line files; store them and optionally write the links."""
    from app import services
    from app.align.choice import describe as describe_choice
    from app.align.levels import align_presegmented
    from app.evaluation.links import format_links
    from app.evaluation.run import links_of
    from app.services.files import write_atomically
    from app.services.pairing import Side, prepare_pair
    from app.store.embeddings import StoreEmbeddingCache

    sessions = obj.sessions()
    src, tgt = prepare_pair(
        sessions,
        obj.settings,
        Side(source, src_lang, path=Path(source), lines=True, language_hint="--src-lang"),
        Side(target, tgt_lang, path=Path(target), lines=True, language_hint="--tgt-lang"),
    )
    echo_languages(src, tgt, "given", "given")
    with ProgressBar() as progress:
        result = align_presegmented(
            [s.text for s in src.segments],
            [s.text for s in tgt.segments],
            src.language,
            tgt.language,
            fast=fast,
            use_mt=use_mt,
            cache=StoreEmbeddingCache(sessions),
            planned=progress.planned,
            progress=progress.embedded,
        )
    result.parameters["warnings"] = services.language_warnings(src, tgt)
    if links_path is not None:
        text = format_links(links_of(result.beads))
        write_atomically(links_path, lambda handle: handle.write(text))
    with store_db.transaction(sessions) as session:
        source_doc = services.add_document(session, src, project_id)
        target_doc = services.add_document(session, tgt, project_id)
        alignment = services.store_alignment(session, source_doc, target_doc, result)
        click.echo(
            f"aligned {len(src.segments)} with {len(tgt.segments)} lines: "
            f"{len(result.beads)} beads; model {result.parameters.get('model')}",
            err=True,
        )
        click.echo(describe_choice(result.parameters["scorer_choice"]), err=True)
        for warning in result.parameters["warnings"]:
            click.echo(f"warning: {warning}", err=True)
        return alignment.id


def align_pair(
    obj: Context,
    source: str,
    target: str,
    src_lang: str | None,
    tgt_lang: str | None,
    project_id: int | None = None,
    use_mt: bool = True,
) -> int:
    """Align two documents at paragraph level, then sentence level inside each bead."""
    from app.align.choice import describe as describe_choice
    from app.services import pairs
    from app.services.pairing import Side, prepare_pair

    sessions = obj.sessions()
    source_side = Side.typed(source, src_lang, "--src-lang")
    target_side = Side.typed(target, tgt_lang, "--tgt-lang")
    src, tgt = prepare_pair(sessions, obj.settings, source_side, target_side)
    echo_languages(src, tgt, _how_known(source_side), _how_known(target_side))
    with ProgressBar() as progress:
        pair = pairs.compute(sessions, src, tgt, progress, use_mt=use_mt)
    # Documents and both levels are written together, so a failure leaves nothing behind.
    with store_db.transaction(sessions) as session:
        alignment = pairs.store(session, pair, project_id)
        figures = pairs.figures(pair)
        click.echo(
            f"aligned {alignment.source.title!r} ({src.language}, {len(src.segments)} segments)"
            f" with {alignment.target.title!r} ({tgt.language}, {len(tgt.segments)} segments):"
            f" {figures.beads} beads, {figures.one_sided} one-sided;"
            f" scorers: {', '.join(pair.paragraphs.scorers)}; overall score"
            f" {pair.paragraphs.parameters['overall_score']:.2f}",
            err=True,
        )
        paragraph_choice = pair.paragraphs.parameters["scorer_choice"]
        click.echo(f"paragraphs: {describe_choice(paragraph_choice)}", err=True)
        sentence_choice = pair.sentences.parameters["scorer_choice"]
        click.echo(f"sentences: {describe_choice(sentence_choice)}", err=True)
        for warning in pair.paragraphs.parameters["warnings"]:
            click.echo(f"warning: {warning}", err=True)
        return alignment.id


def echo_languages(src: LoadedDocument, tgt: LoadedDocument, src_how: str, tgt_how: str) -> None:
    """Print on stderr the languages that choose the scorers, and how they were found."""
    click.echo(
        f"source: {language_of(src, src_how)}, target: {language_of(tgt, tgt_how)}", err=True
    )


def _how_known(side) -> str:
    """How a side's language is known when it was not detected now."""
    return "stored document" if side.stored else "given"


class ProgressBar:
    """A tqdm bar on stderr for the embedding step; silent when stderr is not a terminal."""

    def __enter__(self) -> Progress:
        from tqdm import tqdm

        self._bar = None

        def planned(total: int) -> None:
            self._bar = tqdm(
                total=total, desc="embedding", unit="text", file=sys.stderr, disable=None
            )

        def embedded(count: int) -> None:
            if self._bar is not None:
                self._bar.update(count)

        return Progress(planned=planned, embedded=embedded)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()


def register(group: click.Group) -> None:
    group.add_command(align_command)
