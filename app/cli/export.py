"""``alinea export``: an alignment's pairs to a file, in one of several formats, filtered."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from app import __version__
from app.cli.common import Context, user_errors
from app.formats import EXPORT_FORMATS
from app.qa import CHECK_NAMES
from app.store.selection import STATUS_CHOICES


@click.command("export")
@click.argument("alignment_id", type=int)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(sorted(EXPORT_FORMATS)),
    default="tmx",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write; for moses, OUTPUT.<lang> twice, or one zip if OUTPUT ends in .zip.",
)
@click.option("--confirmed-only", is_flag=True, help="Export only the confirmed pairs.")
@click.option(
    "--status",
    "statuses",
    type=click.Choice(STATUS_CHOICES),
    multiple=True,
    help="Export pairs with this review status (repeatable; default automatic and confirmed).",
)
@click.option(
    "--min-similarity",
    type=click.FloatRange(0, 1),
    help="Export only pairs whose similarity is at least this (confirmed pairs always pass).",
)
@click.option(
    "--similarity-for-confirmed",
    is_flag=True,
    help="Apply --min-similarity to confirmed pairs too.",
)
@click.option("--level", type=click.Choice(["paragraph", "sentence"]), default="paragraph")
@click.option("--flagged/--unflagged", default=None, help="Only pairs with / without QA flags.")
@click.option(
    "--check",
    "checks",
    type=click.Choice(CHECK_NAMES),
    multiple=True,
    help="Only pairs flagged by this QA check (repeatable).",
)
@click.option(
    "--one-sided", is_flag=True, help="Keep one-sided pairs as half-empty units (XLIFF, CSV...)."
)
@click.option(
    "--bom", is_flag=True, help="CSV and TSV: start with a UTF-8 byte-order mark (for Excel)."
)
@click.option(
    "--formula-guard/--no-formula-guard",
    default=None,
    help="CSV and TSV: put an apostrophe before cells a spreadsheet would run as formulas "
    "(default on, or ALINEA_CSV_FORMULA_GUARD).",
)
@click.pass_obj
@user_errors
def export_command(
    obj: Context,
    alignment_id: int,
    format_name: str,
    output: Path,
    confirmed_only: bool,
    statuses: tuple[str, ...],
    min_similarity: float | None,
    similarity_for_confirmed: bool,
    level: str,
    flagged: bool | None,
    checks: tuple[str, ...],
    one_sided: bool,
    bom: bool,
    formula_guard: bool | None,
) -> None:
    """Export ALIGNMENT's pairs to OUTPUT in one of several formats, with filters.

    The count printed is that of the pairs in the file: formats that cannot hold a
    one-sided pair (TMX, Moses) leave them out even with --one-sided; how many one-sided
    pairs were left out is printed too.
    """
    from app import services
    from app.segments import BeadStatus
    from app.services import exchange, files

    kept = ("confirmed",) if confirmed_only else statuses
    selection = exchange.export_selection(
        statuses=frozenset(BeadStatus(status) for status in kept) or exchange.EXPORTED,
        min_similarity=min_similarity,
        similarity_for_confirmed=similarity_for_confirmed,
        level=level,
        flagged=flagged,
        checks=frozenset(checks),
        one_sided=one_sided,
    )
    guard = obj.settings.csv_formula_guard if formula_guard is None else formula_guard
    with obj.sessions()() as session:
        alignment = services.get_alignment(session, alignment_id)
        # The metadata of the level exported, so that a sentence-level file says so.
        chosen = exchange.alignment_at_level(session, alignment, level)
        meta = services.export_meta(chosen, __version__, datetime.now(UTC))
        pairs = exchange.iter_export_pairs(session, alignment, selection)
        entry = EXPORT_FORMATS[format_name]
        if entry.files > 1:
            count, written = files.write_several(entry, pairs, meta, output)
        else:
            exporter = entry.new_exporter(one_sided=one_sided, bom=bom, formula_guard=guard)
            files.write_atomically(output, lambda handle: exporter.write(pairs, meta, handle))
            count, written = exporter.written, str(output)
        kept_one_sided = one_sided and entry.supports_one_sided
        left_out = 0 if kept_one_sided else exchange.count_one_sided(session, alignment, selection)
    click.echo(f"wrote {count} pairs ({selection.describe()}) to {written}", err=True)
    if left_out:
        how = (
            f"{format_name} cannot hold them"
            if one_sided
            else "--one-sided keeps them in "
            + ", ".join(
                sorted(name for name, kind in EXPORT_FORMATS.items() if kind.supports_one_sided)
            )
        )
        click.echo(f"left out {left_out} one-sided pairs ({how})", err=True)


def register(group: click.Group) -> None:
    group.add_command(export_command)
