"""``alinea compare``: one original and several versions side by side, from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from app.cli.common import project_id, user_errors
from app.compare.export import FORMATS
from app.errors import InvalidRequest
from app.services.comparisons import LEVELS

DETECT = ("", "-", "auto")


class _CompareGroup(click.Group):
    """``alinea compare ORIGINAL VERSION...`` builds; ``alinea compare show|add|export``
    work on a stored comparison. Anything that is not a subcommand's name is a build."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["build", *args]
        return super().parse_args(ctx, args)


@click.group("compare", cls=_CompareGroup)
def compare_group() -> None:
    """Compare one original with several translations or versions of it.

    \b
    alinea compare ORIGINAL VERSION...      build a comparison; prints its scores and id
    alinea compare show ID                  the columns and the document-level scores
    alinea compare add ID VERSION           align one more version, leaving the others
    alinea compare export ID --format tmx -o FILE
    """


@compare_group.command("build")
@click.argument("original")
@click.argument("versions", nargs=-1, required=True)
@click.option(
    "--lang",
    "langs",
    multiple=True,
    help="Language of each VERSION, in order (repeat it; '-' to detect one).",
)
@click.option("--original-lang", help="Language of ORIGINAL (detected when omitted).")
@click.option("--label", "labels", multiple=True, help="A column name for each VERSION, in order.")
@click.option("--title", help="The comparison's title (default: from the original's).")
@click.option(
    "--mt",
    "machine",
    is_flag=True,
    help="Add Apertium's translation of the original as a reference version, into each "
    "version language Apertium has.",
)
@click.option("--no-mt", is_flag=True, help="Leave out the machine-translation scorer.")
@click.option("--project", help="The project it goes into (default: the default project).")
@click.pass_obj
@user_errors
def compare_build(
    obj,
    original: str,
    versions: tuple[str, ...],
    langs: tuple[str, ...],
    original_lang: str | None,
    labels: tuple[str, ...],
    title: str | None,
    machine: bool,
    no_mt: bool,
    project: str | None,
) -> None:
    """Align each VERSION with ORIGINAL and line them all up; prints the scores, then the
    comparison's id alone on the last line.

    ORIGINAL and each VERSION are files or document ids.
    """
    from app.services import comparisons
    from app.store import db as store_db

    if len(langs) > len(versions) or len(labels) > len(versions):
        raise InvalidRequest("give at most one --lang and one --label per version")
    sessions = obj.sessions()
    source = _read(obj, original, original_lang)
    inputs = []
    for k, reference in enumerate(versions):
        lang = langs[k] if k < len(langs) and langs[k] not in DETECT else None
        label = labels[k] if k < len(labels) else None
        document = _read(obj, reference, lang)
        inputs.append(comparisons.VersionInput(document, label))
    if machine:
        inputs += _machine_versions(source, inputs)
    computed = comparisons.compute_all(sessions, source, inputs, _stage_printer(), use_mt=not no_mt)
    with store_db.transaction(sessions) as session:
        comparison = comparisons.store_all(
            session, source, computed, title, project_id(obj, project)
        )
        comparison_id = comparison.id
    _print_comparison(obj, comparison_id, "paragraph")
    click.echo(comparison_id)


def _read(obj, reference: str, lang: str | None):
    """A document id or a file, as typed, read as a document."""
    from app.services.pairing import Side, read_side

    return read_side(obj.sessions(), obj.settings, Side.typed(reference, lang, None))


def _machine_versions(source, inputs):
    from app.services import comparisons
    from app.store.comparisons import VersionKind

    out = []
    for language in sorted({i.document.language for i in inputs} - {source.language}):
        translated = comparisons.machine_version(source, language)
        if translated is None:
            click.echo(f"Apertium has no {source.language}→{language} pair; no MT", err=True)
            continue
        out.append(
            comparisons.VersionInput(translated, f"Apertium MT ({language})", VersionKind.MACHINE)
        )
    return out


def _stage_printer():
    """Each version's stages on stderr, once per stage."""
    seen: set[tuple[int, str]] = set()

    def report(number: int, count: int, stage: str, done: int, total: int) -> None:
        if (number, stage) not in seen:
            seen.add((number, stage))
            click.echo(f"version {number} of {count}: {stage}", err=True)

    return report


@compare_group.command("add")
@click.argument("comparison_id", type=int)
@click.argument("version")
@click.option("--lang", help="Language of VERSION (detected when omitted).")
@click.option("--label", help="The column's name.")
@click.pass_obj
@user_errors
def compare_add(obj, comparison_id: int, version: str, lang: str | None, label: str | None):
    """Align VERSION (a file or a document id) with the comparison's original and add it as
    the last column; the other versions are left as they are."""
    from app import services
    from app.services import comparisons
    from app.store import db as store_db

    sessions = obj.sessions()
    with sessions() as session:
        comparison = comparisons.get(session, comparison_id)
        original = services.loaded_from_store(comparison.original)
    document = _read(obj, version, lang)
    (item, pair), *_ = comparisons.compute_all(
        sessions, original, [comparisons.VersionInput(document, label)], _stage_printer()
    )
    with store_db.transaction(sessions) as session:
        comparison = comparisons.get(session, comparison_id)
        added = comparisons.store_version(session, comparison, pair, item.label)
        click.echo(f"added column {added.position + 1}: {added.label}", err=True)
    _print_comparison(obj, comparison_id, "paragraph")


@compare_group.command("show")
@click.argument("comparison_id", type=int)
@click.option("--level", type=click.Choice(LEVELS), default="paragraph", show_default=True)
@click.pass_obj
@user_errors
def compare_show(obj, comparison_id: int, level: str) -> None:
    """The comparison's columns and pair alignments, and the document-level scores."""
    _print_comparison(obj, comparison_id, level)


def _print_comparison(obj, comparison_id: int, level: str) -> None:
    from app.services import comparison_view, comparisons

    with obj.sessions()() as session:
        comparison = comparisons.get(session, comparison_id)
        pivot = comparisons.pivot(session, comparison, level)
        click.echo(f"comparison {comparison.id}: {comparison.title}")
        click.echo(f"{len(pivot.rows)} rows at {level} level")
        for column in pivot.columns:
            where = f", alignment {column.alignment_id}" if column.alignment_id else ""
            click.echo(
                f"  column {column.index} ({column.language}, {column.kind}{where}): {column.label}"
            )
        click.echo("")
        click.echo(comparison_view.scores_table(pivot))


@compare_group.command("export")
@click.argument("comparison_id", type=int)
@click.option(
    "--format", "format_name", type=click.Choice(sorted(FORMATS)), default="tmx", show_default=True
)
@click.option("--level", type=click.Choice(LEVELS), default="paragraph", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
@user_errors
def compare_export(obj, comparison_id: int, format_name: str, level: str, output: Path) -> None:
    """Write the comparison's rows: multilingual TMX, CSV or TSV (a column per version), or
    JSON Lines."""
    from app.services import comparison_view, comparisons, files

    with obj.sessions()() as session:
        comparison = comparisons.get(session, comparison_id)
        pivot = comparisons.pivot(session, comparison, level)
        chunks = comparison_view.export_chunks(
            pivot, comparison.id, comparison.title, format_name, datetime.now(UTC)
        )
        files.write_atomically(output, lambda handle: handle.writelines(chunks))
    click.echo(f"wrote {len(pivot.rows)} rows to {output}", err=True)


def register(group: click.Group) -> None:
    group.add_command(compare_group)
