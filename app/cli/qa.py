"""``alinea qa`` and ``alinea glossary``: the translation checks, and the glossaries they use."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import Context, user_errors
from app.store import db as store_db


@click.command("qa")
@click.argument("alignment_id", type=int)
@click.option(
    "--glossary",
    help="A glossary CSV (source,target), or the name of one saved by 'glossary import'.",
)
@click.pass_obj
@user_errors
def qa_command(obj: Context, alignment_id: int, glossary: str | None) -> None:
    """Run the QA checks on ALIGNMENT and store the flags on its pairs."""
    from app import services
    from app.qa import read_glossary
    from app.services import glossaries
    from app.services.qa import run_qa

    terms = None
    if glossary:
        terms = read_glossary(glossaries.find(obj.settings.instance_path, glossary))
    with store_db.transaction(obj.sessions()) as session:
        report = run_qa(session, services.get_alignment(session, alignment_id), terms)
    click.echo(report.describe(), err=True)
    click.echo(report.flagged)


@click.group("glossary")
def glossary_group() -> None:
    """Manage glossaries (term pairs checked by 'qa --glossary')."""


@glossary_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", default="default", show_default=True, help="The name to save it under.")
@click.pass_obj
@user_errors
def glossary_import(obj: Context, file: Path, name: str) -> None:
    """Check a glossary CSV FILE (source,target) and save it under NAME for 'qa'."""
    from app.services import glossaries

    glossary = glossaries.save(obj.settings.instance_path, file, name)
    click.echo(f"glossary {name!r}: {len(glossary)} terms", err=True)


def register(group: click.Group) -> None:
    group.add_command(qa_command)
    group.add_command(glossary_group)
