"""``alinea demo``: the bundled article pair aligned and compared, and the UI served."""

from __future__ import annotations

import click

from app.bundled import DEMO_CORPUS
from app.cli.align import align_pair
from app.cli.common import Context, user_errors
from app.cli.serve import EMBEDDED_OPTION, require_free_port, serve
from app.ingest import load_document
from app.store import db as store_db


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Import and align only; do not start the server.")
@EMBEDDED_OPTION
@click.pass_obj
@user_errors
def demo_command(obj: Context, host: str, port: int, no_serve: bool, no_embedded: bool) -> None:
    """Set up the database, align the bundled article pair, and serve the UI (which runs
    the background jobs of "New alignment" itself when no worker does)."""
    if not no_serve:
        # Before the work and the address are reported, not after.
        require_free_port(host, port)
    store_db.upgrade(obj.settings.database_url)
    alignment_id = _demo_alignment(obj)
    click.echo(f"demo alignment: http://{host}:{port}/alignments/{alignment_id}", err=True)
    comparison_id = _demo_comparison(obj)
    click.echo(f"demo comparison: http://{host}:{port}/comparisons/{comparison_id}", err=True)
    if not no_serve:
        serve(obj, host, port, embedded=not no_embedded)
    click.echo(alignment_id)


def _demo_alignment(obj: Context) -> int:
    """The corpus pair's alignment, made once and found again on later runs."""
    from app import services

    es = load_document(DEMO_CORPUS / "es.txt", lang="es")
    en = load_document(DEMO_CORPUS / "en.txt", lang="en")
    with obj.sessions()() as session:
        existing = services.find_alignment(session, es.checksum, en.checksum)
        if existing is not None:
            return existing.id
    return align_pair(obj, str(DEMO_CORPUS / "es.txt"), str(DEMO_CORPUS / "en.txt"), "es", "en")


def _demo_comparison(obj: Context) -> int:
    """The corpus article with its two English versions side by side, made once."""
    from app.services import comparisons

    es = load_document(DEMO_CORPUS / "es.txt", lang="es")
    versions = [
        comparisons.VersionInput(load_document(DEMO_CORPUS / name, lang="en"), label)
        for name, label in (("en.txt", "published"), ("en-literal.txt", "literal"))
    ]
    sessions = obj.sessions()
    with sessions() as session:
        existing = comparisons.find(session, es.checksum, [v.document.checksum for v in versions])
        if existing is not None:
            return existing
    computed = comparisons.compute_all(sessions, es, versions)
    with store_db.transaction(sessions) as session:
        return comparisons.store_all(session, es, computed, "DW article: two English versions").id


def register(group: click.Group) -> None:
    group.add_command(demo_command)
