"""The ``alinea`` command: import, align, export, serve, and the demo.

Commands are thin: they parse arguments, call ``app.services`` and report. Every
problem with the user's input ends in a one-line error on stderr, a non-zero exit, and
nothing written.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app import __version__
from app.align.result import Progress
from app.bundled import DEMO_CORPUS
from app.cli_common import not_written as _not_written
from app.cli_common import project_id as _project_id
from app.cli_common import resolve_document as _resolve
from app.cli_common import temporary_file as _temporary_file
from app.cli_common import user_errors
from app.cli_common import write_atomically as _write_atomically
from app.config import Settings, SettingsError
from app.errors import AlineaError, InvalidRequest, NotFound
from app.formats import EXPORT_FORMATS
from app.ingest import IngestError, LoadedDocument, UncertainLanguage, load_document
from app.qa import CHECK_NAMES
from app.store import db as store_db

CORPUS = DEMO_CORPUS


@dataclass
class Context:
    """What every command shares: the settings and, once needed, one database engine."""

    settings: Settings
    _engine: Engine | None = None

    def sessions(self) -> sessionmaker[Session]:
        """Sessions on a database whose schema is up to date."""
        if self._engine is None:
            engine = store_db.make_engine(self.settings.database_url)
            try:
                store_db.check_schema(engine)
            except BaseException:
                engine.dispose()
                raise
            self._engine = engine
        return store_db.make_session_factory(self._engine)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


@click.group()
@click.version_option(__version__, prog_name="alinea")
@click.option(
    "--database-url",
    envvar="DATABASE_URL",
    help="SQLAlchemy URL of the database (default: a SQLite file under ./instance).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Align an original text with its translation, review the pairs, export them."""
    environ = {**os.environ, "DATABASE_URL": database_url} if database_url else None
    try:
        settings = Settings.from_env(environ)
    except (SettingsError, AlineaError) as error:
        raise click.ClickException(str(error)) from error
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close)


@main.group("db")
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@click.pass_obj
@user_errors
def db_upgrade(obj: Context) -> None:
    """Create or update the schema by applying the migrations."""
    store_db.upgrade(obj.settings.database_url)
    click.echo(f"database at revision {store_db.head_revision()}", err=True)


PROJECT_OPTION = click.option(
    "--project",
    help="The project the documents and alignments go into (default: the default project).",
)


@main.command("import")
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
    from app.ingest import load_url
    from app.ingest.url import is_url
    from app.services import add_document, exchange

    project_id = _project_id(obj, project)
    if not is_url(file) and exchange.is_bilingual(file):
        click.echo(_import_bilingual(obj, Path(file), project_id))
        return
    settings = obj.settings
    with language_option("--lang"):
        if is_url(file):
            loaded = load_url(
                file,
                lang=lang,
                languages=settings.languages,
                allow_private=allow_private or settings.url_allow_private,
                deadline=settings.url_deadline,
                max_segments=settings.max_segments,
            )
        else:
            loaded = load_document(
                Path(file),
                lang=lang,
                languages=settings.languages,
                max_bytes=settings.max_import_bytes,
                max_segments=settings.max_segments,
            )
    if not is_url(file) and (assumed := _assumed_format(Path(file))):
        click.echo(assumed, err=True)
    with store_db.transaction(obj.sessions()) as session:
        document = add_document(session, loaded, project_id)
        click.echo(
            f"{loaded.origin}: {len(loaded.segments)} segments,"
            f" language {language_of(loaded, 'given')}",
            err=True,
        )
        if loaded.language_warning:
            click.echo(f"warning: {loaded.language_warning} with --lang", err=True)
        click.echo(document.id)


@contextlib.contextmanager
def language_option(option: str):
    """Name the option that gives the language when detection cannot tell it."""
    try:
        yield
    except UncertainLanguage as error:
        raise UncertainLanguage(f"{error} with {option}") from None


def language_of(loaded: LoadedDocument, otherwise: str) -> str:
    """The document's language and how it was found: ``es (detected, 0.98)``, ``es (given)``."""
    if loaded.detection is not None:
        return loaded.detection.describe()
    return f"{loaded.language} ({otherwise})"


def echo_languages(src: LoadedDocument, tgt: LoadedDocument, src_how: str, tgt_how: str) -> None:
    """Print on stderr the languages that choose the scorers, and how they were found."""
    click.echo(
        f"source: {language_of(src, src_how)}, target: {language_of(tgt, tgt_how)}", err=True
    )


TEXT_SUFFIXES = ("", ".txt", ".text")


def _assumed_format(file: Path) -> str | None:
    """Return a line saying a file of unknown extension is read as plain text, or None."""
    from app.ingest.document import STRUCTURED_READERS

    suffix = file.suffix.lower()
    if suffix in TEXT_SUFFIXES or suffix in STRUCTURED_READERS or not file.is_file():
        return None
    return (
        f"{file.name}: the extension {file.suffix} is not one Alinea knows and the file is "
        "not TMX or XLIFF; it was read as plain text"
    )


def _import_bilingual(obj: Context, file: Path, project_id: int | None = None) -> int:
    """Import a TMX or XLIFF file as an alignment; returns its id."""
    from app.services import exchange

    bilingual = exchange.read_bilingual(file, obj.settings.max_segments)
    with store_db.transaction(obj.sessions()) as session:
        alignment = exchange.import_bilingual(session, bilingual, project_id)
        click.echo(
            f"{file}: {len(alignment.beads)} pairs, {bilingual.source_lang} → "
            f"{bilingual.target_lang}, imported as alignment {alignment.id}",
            err=True,
        )
        return alignment.id


@main.command("align")
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
    project_id = _project_id(obj, project)
    if presegmented:
        alignment_id = align_lines(
            obj, source, target, src_lang, tgt_lang, links, fast, project_id, use_mt=not no_mt
        )
    else:
        alignment_id = align_pair(
            obj, source, target, src_lang, tgt_lang, project_id, use_mt=not no_mt
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
    from app.store.embeddings import StoreEmbeddingCache

    sessions = obj.sessions()
    with language_option("--src-lang"):
        src = load_lines(Path(source), src_lang, obj.settings)
    with language_option("--tgt-lang"):
        tgt = load_lines(Path(target), tgt_lang, obj.settings)
    if src.checksum == tgt.checksum:
        raise InvalidRequest(
            f"{source} and {target} hold the same text; give an original and its translation"
        )
    echo_languages(src, tgt, "given", "given")
    with _progress_bar() as progress:
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
        _write_atomically(links_path, lambda handle: handle.write(text))
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


def load_lines(path: Path, lang: str | None, settings: Settings) -> LoadedDocument:
    """A one-sentence-per-line file as a document whose segments are its lines."""
    import hashlib

    from app.ingest import read_text_file, validate_language
    from app.ingest.document import check_segment_count
    from app.ingest.language import detect_document
    from app.segments import Segment

    text = read_text_file(path, settings.max_import_bytes)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    check_segment_count(lines, path.name, settings.max_segments)
    detection = None
    if lang:
        language = validate_language(lang)
    else:
        try:
            detection = detect_document(text, settings.languages)
        except IngestError as error:
            raise type(error)(f"{path.name}: {error}") from None
        language = detection.language
    return LoadedDocument(
        title=path.stem,
        language=language,
        text=text,
        segments=[Segment(line) for line in lines],
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=str(path),
        detection=detection,
    )


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

    sessions = obj.sessions()
    with language_option("--src-lang"):
        src = _resolve(sessions, source, src_lang, obj.settings)
    with language_option("--tgt-lang"):
        tgt = _resolve(sessions, target, tgt_lang, obj.settings)
    if src.checksum == tgt.checksum:
        raise InvalidRequest(
            f"{source} and {target} hold the same text; give an original and its translation"
        )
    echo_languages(src, tgt, _how_known(source, src_lang), _how_known(target, tgt_lang))
    with _progress_bar() as progress:
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


def _how_known(reference: str, lang: str | None) -> str:
    """How a side's language is known when it was not detected now."""
    stored = reference.isdigit() and not Path(reference).exists()
    return "stored document" if stored else "given"


class _progress_bar:
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


STATUSES = ("automatic", "confirmed", "rejected")


@main.command("export")
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
    type=click.Choice(STATUSES),
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
    from app.formats import EXPORTERS, get_exporter
    from app.segments import BeadStatus
    from app.services import exchange

    kept = ("confirmed",) if confirmed_only else statuses or ("automatic", "confirmed")
    selection = exchange.ExportFilter(
        statuses=frozenset(BeadStatus(status) for status in kept),
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
        if format_name == "moses":
            count, written = _write_moses(pairs, meta, output)
        else:
            exporter = get_exporter(format_name, one_sided=one_sided, bom=bom, formula_guard=guard)
            _write_atomically(output, lambda handle: exporter.write(pairs, meta, handle))
            count, written = exporter.written, str(output)
        kept_one_sided = (
            one_sided
            and EXPORTERS.get(format_name) is not None
            and (EXPORTERS[format_name].supports_one_sided)
        )
        left_out = 0 if kept_one_sided else exchange.count_one_sided(session, alignment, selection)
    click.echo(f"wrote {count} pairs ({selection.describe()}) to {written}", err=True)
    if left_out:
        how = (
            f"{format_name} cannot hold them"
            if one_sided
            else "--one-sided keeps them in "
            + ", ".join(sorted(name for name, kind in EXPORTERS.items() if kind.supports_one_sided))
        )
        click.echo(f"left out {left_out} one-sided pairs ({how})", err=True)


def _write_moses(pairs, meta, output: Path) -> tuple[int, str]:
    """Write the two Moses files (or a zip of them) atomically; returns the number of pairs
    written and what was written."""
    from app.formats import moses

    directory = output.resolve().parent
    if not directory.is_dir():
        raise NotFound(f"{output}: the folder {directory} does not exist")
    try:
        if output.suffix == ".zip":
            descriptor, temporary = _temporary_file(directory, output.name)
            try:
                with open(descriptor, "wb") as handle:
                    count = moses.write_zip(pairs, meta, handle, output.stem)
                os.replace(temporary, output)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            return count, str(output)
        with tempfile.TemporaryDirectory(dir=directory, prefix=f".{output.name}.") as folder:
            source, target, count = moses.write_files(pairs, meta, Path(folder), output.name)
            os.replace(source, directory / source.name)
            os.replace(target, directory / target.name)
    except OSError as error:
        raise _not_written(output, error) from error
    return count, f"{directory / source.name} and {directory / target.name}"


@main.command("qa")
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
    from app.services.qa import run_qa

    terms = read_glossary(_glossary_path(obj, glossary)) if glossary else None
    with store_db.transaction(obj.sessions()) as session:
        report = run_qa(session, services.get_alignment(session, alignment_id), terms)
    click.echo(report.describe(), err=True)
    click.echo(report.flagged)


def _glossary_path(obj: Context, reference: str) -> Path:
    """Return the glossary file ``reference`` names: a path, or a saved glossary's name."""
    path = Path(reference)
    if path.exists():
        return path
    saved = obj.settings.instance_path / "glossaries" / f"{reference}.csv"
    if not saved.exists():
        raise NotFound(f"{reference}: no such glossary file or saved glossary")
    return saved


@main.group("glossary")
def glossary_group() -> None:
    """Manage glossaries (term pairs checked by 'qa --glossary')."""


@glossary_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", default="default", show_default=True, help="The name to save it under.")
@click.pass_obj
@user_errors
def glossary_import(obj: Context, file: Path, name: str) -> None:
    """Check a glossary CSV FILE (source,target) and save it under NAME for 'qa'."""
    from app.qa import read_glossary

    if not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidRequest(f"'{name}': a glossary name has only letters, digits, - and _")
    glossary = read_glossary(file)
    folder = obj.settings.instance_path / "glossaries"
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / f"{name}.csv", lambda handle: handle.write(_csv_text(file)))
    click.echo(f"glossary {name!r}: {len(glossary)} terms", err=True)


def _csv_text(file: Path) -> str:
    from app.ingest import decode_text

    return decode_text(file.read_bytes(), file.name)


EMBEDDED_OPTION = click.option(
    "--no-embedded-worker",
    "no_embedded",
    is_flag=True,
    help="Run no background jobs in this process (leave them to `alinea worker`).",
)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@EMBEDDED_OPTION
@click.pass_obj
@user_errors
def serve_command(obj: Context, host: str, port: int, no_embedded: bool) -> None:
    """Serve the review UI, and run background jobs when no worker does.

    With Redis and no `alinea worker` on the queue, a worker runs inside the server;
    without Redis, the server runs the jobs itself. Either stops with the server.
    """
    require_free_port(host, port)
    serve(obj, host, port, embedded=not no_embedded)


def require_free_port(host: str, port: int) -> None:
    """Raise InvalidRequest, saying what to do, when ``host:port`` cannot be listened on."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise InvalidRequest(f"cannot serve on {host}: {error.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server will: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise InvalidRequest(
                    f"port {port} on {host} is already in use (another Alinea, or another "
                    f"program, is serving there); stop it or choose another port with "
                    f"--port {port + 1} (make demo PORT={port + 1})"
                ) from None
            raise InvalidRequest(f"cannot serve on {host}:{port}: {error.strerror}") from None


def serve(obj: Context, host: str, port: int, embedded: bool = True) -> None:
    import signal

    import waitress

    from app.jobs.embedded import choose_runner
    from app.web import create_app
    from app.web.logs import configure_logging

    configure_logging(obj.settings.log_level)
    app = create_app(obj.settings)
    runner = choose_runner(obj.settings, embedded)
    if runner is not None:
        runner.start()
        app.extensions["alinea.runner"] = runner
        click.echo(f"Background jobs run on {runner.label}", err=True)
    elif embedded:
        click.echo("Background jobs run on the workers already serving the queue", err=True)
    # A polite stop (SIGTERM) ends like Ctrl+C: the job runner is stopped with the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"Alinea is serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    try:
        waitress.serve(app, host=host, port=port, threads=8)
    finally:
        if runner is not None:
            runner.stop()


@main.command("demo")
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

    es = load_document(CORPUS / "es.txt", lang="es")
    en = load_document(CORPUS / "en.txt", lang="en")
    with obj.sessions()() as session:
        existing = services.find_alignment(session, es.checksum, en.checksum)
        if existing is not None:
            return existing.id
    return align_pair(obj, str(CORPUS / "es.txt"), str(CORPUS / "en.txt"), "es", "en")


def _demo_comparison(obj: Context) -> int:
    """The corpus article with its two English versions side by side, made once."""
    from app.services import comparisons

    es = load_document(CORPUS / "es.txt", lang="es")
    versions = [
        comparisons.VersionInput(load_document(CORPUS / "en.txt", lang="en"), "published"),
        comparisons.VersionInput(load_document(CORPUS / "en-literal.txt", lang="en"), "literal"),
    ]
    sessions = obj.sessions()
    with sessions() as session:
        existing = comparisons.find(session, es.checksum, [v.document.checksum for v in versions])
        if existing is not None:
            return existing
    computed = comparisons.compute_all(sessions, es, versions)
    with store_db.transaction(sessions) as session:
        return comparisons.store_all(session, es, computed, "DW article: two English versions").id


def _register_eval() -> None:
    from app.evaluation.cli import eval_command

    main.add_command(eval_command)


def _register_accounts() -> None:
    from app.cli_accounts import project_group, user_group

    main.add_command(user_group)
    main.add_command(project_group)


_register_accounts()


def _register_compare() -> None:
    from app import cli_compare

    cli_compare.register(main)


_register_compare()


_register_eval()


@main.command("worker")
@click.option("--burst", is_flag=True, help="Quit once the queue is empty.")
@click.option("--queue", "queue_name", help="The queue to work on (default: $ALINEA_QUEUE).")
@click.option(
    "--simple", is_flag=True, help="Run jobs in this process instead of a forked one per job."
)
@click.pass_obj
@user_errors
def worker_command(obj: Context, burst: bool, queue_name: str | None, simple: bool) -> None:
    """Run background jobs (alignments, batches) from the Redis queue at $REDIS_URL.

    Start as many workers as there are cores to spare, on any machines that reach the
    same Redis and database.
    """
    from app.jobs import worker

    obj.sessions()  # refuse an outdated schema before taking any job
    worker.start(obj.settings, queue_name, burst, simple)


@main.group("jobs", invoke_without_command=True)
@click.option("--state", type=click.Choice(["queued", "running", "done", "failed", "cancelled"]))
@click.option("--batch", help="Only the jobs of this batch.")
@click.option("--limit", default=50, show_default=True, type=int)
@click.pass_context
@user_errors
def jobs_group(ctx: click.Context, state: str | None, batch: str | None, limit: int) -> None:
    """List the background jobs, newest first; `alinea jobs show ID` shows one."""
    if ctx.invoked_subcommand is not None:
        return
    from app.services import jobs as job_service

    sessions = _reaped_sessions(ctx.obj)
    with sessions() as session:
        rows = job_service.list_jobs(session, state, batch, limit)
        if not rows:
            click.echo("no jobs", err=True)
        for job in rows:
            click.echo(_job_line(job_service.describe(job)))


def _reaped_sessions(obj: Context):
    """Sessions, after settling the jobs whose worker died, so that listings tell the truth."""
    from app.jobs import queue as job_queue
    from app.services import jobs as job_service

    sessions = obj.sessions()
    enqueue = None
    if job_queue.unavailable_reason(obj.settings.jobs) is None:
        enqueue = job_queue.enqueuer(obj.settings.jobs)
    job_service.reap(sessions, obj.settings.jobs.stale_after, enqueue)
    return sessions


def _job_line(view: dict) -> str:
    progress = f"{view['percent']:5.1f}%"
    detail = view["stage"] or ""
    if view["state"] == "done":
        detail = f"alignment {view['alignment_id']}"
    elif view["state"] in ("failed", "cancelled"):
        detail = view["error"] or ""
    elif view["eta_seconds"] is not None:
        detail += f", about {_duration(view['eta_seconds'])} left"
    return f"{view['id']:>6}  {view['state']:<9}  {progress}  {view['title']}  {detail}"


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


@jobs_group.command("cancel")
@click.argument("job_ids", type=int, nargs=-1, required=True)
@click.pass_obj
@user_errors
def jobs_cancel(obj: Context, job_ids: tuple[int, ...]) -> None:
    """Cancel queued or running jobs; a running one stops at its next progress report
    and stores nothing."""
    import getpass

    from app.services import jobs as job_service

    sessions = obj.sessions()
    for job_id in job_ids:
        with sessions() as session:
            job_service.get_job(session, job_id)  # a clear error for an unknown id
        if job_service.cancel(sessions, job_id, f"{getpass.getuser()} (command line)"):
            click.echo(f"job {job_id} cancelled")
        else:
            click.echo(f"job {job_id} had already finished; nothing was cancelled", err=True)


@jobs_group.command("show")
@click.argument("job_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the job as JSON.")
@click.pass_obj
@user_errors
def jobs_show(obj: Context, job_id: int, as_json: bool) -> None:
    """Show one job: state, stage, progress, ETA, result or error."""
    import json

    from app.services import jobs as job_service

    with _reaped_sessions(obj)() as session:
        view = job_service.describe(job_service.get_job(session, job_id))
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    lines = [
        f"job {view['id']}: {view['kind']} {view['title']}",
        f"state: {view['state']} (attempt {view['attempts']} of {view['max_attempts']},"
        f" queue {view['queue']}{', batch ' + view['batch'] if view['batch'] else ''})",
        f"progress: {view['percent']:.1f}%"
        + (f", {view['stage']} {view['stage_done']}/{view['stage_total']}" if view["stage"] else "")
        + (f", about {_duration(view['eta_seconds'])} left" if view["eta_seconds"] else ""),
    ]
    if view["worker"]:
        lines.append(f"worker: {view['worker']} (heartbeat {view['heartbeat_at']})")
    lines.append(
        f"created {view['created_at']}, started {view['started_at'] or '-'},"
        f" finished {view['finished_at'] or '-'}"
    )
    if view["alignment_id"]:
        result = view["result"]
        lines.append(
            f"result: alignment {view['alignment_id']}: {result.get('beads')} beads,"
            f" {result.get('one_sided')} one-sided, mean similarity {result.get('mean_similarity')}"
        )
    if view["error"]:
        lines.append(f"error: {view['error']}")
    for note in view["notes"]:
        lines.append(f"note ({note['at']}): {note['message']}")
    click.echo("\n".join(lines))


@main.command("batch")
@click.argument("pairs_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Align the pairs of files in this folder, named by --pattern.",
)
@click.option(
    "--pattern",
    default="{name}.{lang}.txt",
    show_default=True,
    help="With --dir: how the files are named; {name} pairs them, {lang} tells the side.",
)
@click.option("--langs", help="With --dir: the source and target languages, e.g. es,en.")
@click.option(
    "--local",
    "processes",
    type=click.IntRange(1, 64),
    help="Run on N processes of this machine, without Redis.",
)
@click.option("--queue", "queue_name", help="The queue to use (default: $ALINEA_QUEUE).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the summary as JSON to this file.",
)
@click.pass_obj
@user_errors
def batch_command(
    obj: Context,
    pairs_file: Path | None,
    folder: Path | None,
    pattern: str,
    langs: str | None,
    processes: int | None,
    queue_name: str | None,
    report_path: Path | None,
) -> None:
    """Import and align many document pairs, one background job per pair.

    PAIRS_FILE is a TSV file: source path, target path, and optionally source language,
    target language and title. Or, with --dir and --langs, every pair of files named
    NAME.SRC.txt and NAME.TGT.txt in a folder (see --pattern). The jobs go to the queue
    for `alinea worker`s, or with --local N run here. The batch is followed until every
    pair is done; a summary follows: pairs done, failed and why, mean similarity, and the
    pairs that look like no translation of each other.
    """
    import json
    import time

    from app.jobs import batch

    if (pairs_file is None) == (folder is None):
        raise InvalidRequest("give a PAIRS_FILE or --dir FOLDER, not both or neither")
    if folder is not None:
        codes = [code.strip() for code in (langs or "").split(",") if code.strip()]
        if len(codes) != 2:
            raise InvalidRequest("--dir needs --langs SRC,TGT, e.g. --langs es,en")
        from app.ingest import validate_language

        src, tgt = (validate_language(code) for code in codes)
        specs = batch.pairs_in_folder(folder, src, tgt, pattern)
    else:
        specs = batch.read_pairs_file(pairs_file)
    sessions = obj.sessions()
    started = time.monotonic()
    label, ids = batch.submit(sessions, obj.settings, specs, processes is not None, queue_name)
    where = f"{processes} local processes" if processes else "the queue"
    click.echo(f"batch {label}: {len(ids)} pairs, jobs {ids[0]}-{ids[-1]}, on {where}", err=True)
    pool = batch.LocalPool(obj.settings, processes) if processes else None
    try:
        if pool is not None:
            pool.start(ids)
        with _batch_bar(len(ids)) as show:
            jobs = batch.follow(sessions, obj.settings, label, show, pool)
    finally:
        if pool is not None:
            pool.close()
    summary = batch.report(jobs, label, time.monotonic() - started)
    if report_path is not None:
        text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
        _write_atomically(report_path, lambda handle: handle.write(text))
    for line in batch.summary_lines(summary):
        click.echo(line, err=True)
    click.echo(f"{summary['done']} done, {summary['failed']} failed")


class _batch_bar:
    """A tqdm bar over the batch's pairs, advanced by each job's percent."""

    def __init__(self, pairs: int) -> None:
        self.pairs = pairs

    def __enter__(self):
        from tqdm import tqdm

        self._bar = tqdm(total=self.pairs, unit="pair", file=sys.stderr, disable=None)

        def show(jobs) -> None:
            finished = sum(1 for job in jobs if job.job_state.finished)
            running = sum(job.percent for job in jobs if not job.job_state.finished) / 100
            self._bar.n = round(finished + running, 2)
            failed = sum(1 for job in jobs if job.state == "failed")
            self._bar.set_postfix(done=finished - failed, failed=failed, refresh=False)
            self._bar.refresh()

        return show

    def __exit__(self, *exc) -> None:
        self._bar.close()
