"""``alinea import``: a document from a file or a web page, or an alignment from a bilingual
file (TMX, XLIFF)."""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import PROJECT_OPTION, Context, project_id, user_errors
from app.ingest import LoadedDocument
from app.ingest.url import is_url
from app.store import db as store_db


@click.command("import")
@click.argument("file")
@click.option("--lang", help="ISO 639-1 code of the text's language (detected when omitted).")
@PROJECT_OPTION
@click.option(
    "--allow-private",
    is_flag=True,
    help="A URL may be on this machine or a private network (refused otherwise).",
)
@click.pass_obj
@user_errors
def import_command(
    obj: Context, file: str, lang: str | None, project: str | None, allow_private: bool
) -> None:
    """Import FILE as a document; prints its id on the last line.

    FILE is a text, Markdown, HTML or DOCX file, or an http(s) URL of a web page. A TMX
    or XLIFF file becomes an alignment with its pairs; then the alignment's id is printed.
    A URL is fetched only from a public server unless --allow-private (or
    ALINEA_URL_ALLOW_PRIVATE=1) is given, within ALINEA_URL_DEADLINE seconds.
    """
    from app.services import add_document, exchange, importing

    chosen_project = project_id(obj, project)
    if not is_url(file) and exchange.is_bilingual(file):
        click.echo(_import_bilingual(obj, Path(file), chosen_project))
        return
    with importing.language_hint("--lang"):
        loaded = importing.load_file_or_url(file, lang, obj.settings, allow_private)
    if not is_url(file) and (assumed := importing.assumed_format(Path(file))):
        click.echo(assumed, err=True)
    with store_db.transaction(obj.sessions()) as session:
        document = add_document(session, loaded, chosen_project)
        click.echo(
            f"{loaded.origin}: {len(loaded.segments)} segments,"
            f" language {language_of(loaded, 'given')}",
            err=True,
        )
        if loaded.language_warning:
            click.echo(f"warning: {loaded.language_warning} with --lang", err=True)
        click.echo(document.id)


def language_of(loaded: LoadedDocument, otherwise: str) -> str:
    """The document's language and how it was found: ``es (detected, 0.98)``, ``es (given)``."""
    if loaded.detection is not None:
        return loaded.detection.describe()
    return f"{loaded.language} ({otherwise})"


def _import_bilingual(obj: Context, file: Path, chosen_project: int | None) -> int:
    """Import a TMX or XLIFF file as an alignment; returns its id."""
    from app.services import exchange

    bilingual = exchange.read_bilingual(file, obj.settings.max_segments)
    with store_db.transaction(obj.sessions()) as session:
        alignment = exchange.import_bilingual(session, bilingual, chosen_project)
        click.echo(
            f"{file}: {len(alignment.beads)} pairs, {bilingual.source_lang} → "
            f"{bilingual.target_lang}, imported as alignment {alignment.id}",
            err=True,
        )
        return alignment.id


def register(group: click.Group) -> None:
    group.add_command(import_command)
