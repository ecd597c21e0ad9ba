"""The ``alinea`` command: import, align, export, serve, and the demo.

Commands are thin: they parse arguments, call ``app.services`` and report. Every
problem with the user's input ends in a one-line error on stderr, a non-zero exit, and
nothing written.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import __version__
from app.align.aligner import Progress
from app.config import Settings
from app.errors import AlineaError, InvalidRequest, NotFound
from app.ingest import IngestError, LoadedDocument, load_document
from app.store import db as store_db

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "dw-2025-02-17-mexico-border"


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


def user_errors(command):
    """Turn the errors a user can fix into one line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (AlineaError, IngestError, store_db.SchemaOutdated) as error:
            raise click.ClickException(str(error)) from error
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise click.ClickException(f"cannot use the database: {reason}") from error

    return wrapper


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
    settings = Settings.from_env()
    if database_url:
        settings = Settings.from_env({**os.environ, "DATABASE_URL": database_url})
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


@main.command("import")
@click.argument("file")
@click.option("--lang", help="ISO 639-1 code of the text's language (detected when omitted).")
@click.pass_obj
@user_errors
def import_command(obj: Context, file: str, lang: str | None) -> None:
    """Import FILE as a document; prints its id on the last line.

    FILE is a text, Markdown, HTML or DOCX file, or an http(s) URL of a web page. A TMX
    or XLIFF file becomes an alignment with its pairs; then the alignment's id is printed.
    """
    from app.formats import reader_for
    from app.ingest import load_url
    from app.ingest.url import is_url
    from app.services import add_document

    if not is_url(file) and reader_for(file) is not None:
        click.echo(_import_bilingual(obj, Path(file)))
        return
    if is_url(file):
        loaded = load_url(file, lang=lang, languages=obj.settings.languages)
    else:
        loaded = load_document(Path(file), lang=lang, languages=obj.settings.languages)
    with store_db.transaction(obj.sessions()) as session:
        document = add_document(session, loaded)
        click.echo(
            f"{loaded.origin}: {len(loaded.segments)} segments, language {loaded.language}",
            err=True,
        )
        click.echo(document.id)


def _import_bilingual(obj: Context, file: Path) -> int:
    """Import a TMX or XLIFF file as an alignment; returns its id."""
    from app.services import exchange

    bilingual = exchange.read_bilingual(file)
    with store_db.transaction(obj.sessions()) as session:
        alignment = exchange.import_bilingual(session, bilingual)
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
    if presegmented:
        alignment_id = align_lines(
            obj, source, target, src_lang, tgt_lang, links, fast, use_mt=not no_mt
        )
    else:
        alignment_id = align_pair(obj, source, target, src_lang, tgt_lang, use_mt=not no_mt)
    click.echo(alignment_id)


def align_lines(
    obj: Context,
    source: str,
    target: str,
    src_lang: str | None,
    tgt_lang: str | None,
    links_path: Path | None,
    fast: bool,
    use_mt: bool = True,
) -> int:
    """Align two one-sentence-per-line files; store them and optionally write the links."""
    from app import services
    from app.align.choice import describe as describe_choice
    from app.evaluation.links import format_links
    from app.evaluation.run import links_of
    from app.services.sentences import align_presegmented
    from app.store.embeddings import StoreEmbeddingCache

    sessions = obj.sessions()
    src = load_lines(Path(source), src_lang, obj.settings)
    tgt = load_lines(Path(target), tgt_lang, obj.settings)
    if src.checksum == tgt.checksum:
        raise InvalidRequest(
            f"{source} and {target} hold the same text; give an original and its translation"
        )
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
    if links_path is not None:
        text = format_links(links_of(result.beads))
        _write_atomically(links_path, lambda handle: handle.write(text))
    with store_db.transaction(sessions) as session:
        source_doc = services.add_document(session, src)
        target_doc = services.add_document(session, tgt)
        alignment = services.store_alignment(session, source_doc, target_doc, result)
        click.echo(
            f"aligned {len(src.segments)} with {len(tgt.segments)} lines: "
            f"{len(result.beads)} beads; model {result.parameters.get('model')}",
            err=True,
        )
        click.echo(describe_choice(result.parameters["scorer_choice"]), err=True)
        return alignment.id


def load_lines(path: Path, lang: str | None, settings: Settings) -> LoadedDocument:
    """A one-sentence-per-line file as a document whose segments are its lines."""
    import hashlib

    from app.ingest import detect_language, read_text_file, validate_language
    from app.segments import Segment

    text = read_text_file(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    language = validate_language(lang) if lang else detect_language(text, settings.languages)
    return LoadedDocument(
        title=path.stem,
        language=language,
        text=text,
        segments=[Segment(line) for line in lines],
        checksum=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        origin=str(path),
    )


def align_pair(
    obj: Context,
    source: str,
    target: str,
    src_lang: str | None,
    tgt_lang: str | None,
    use_mt: bool = True,
) -> int:
    """Align two documents at paragraph level, then sentence level inside each bead."""
    from app import services
    from app.align.choice import describe as describe_choice
    from app.services import sentences
    from app.store.embeddings import StoreEmbeddingCache

    sessions = obj.sessions()
    src = _resolve(sessions, source, src_lang, obj.settings)
    tgt = _resolve(sessions, target, tgt_lang, obj.settings)
    if src.checksum == tgt.checksum:
        raise InvalidRequest(
            f"{source} and {target} hold the same text; give an original and its translation"
        )
    with _progress_bar() as progress:
        result = services.align_plain(src, tgt, progress, use_mt=use_mt)
    src_sentences = sentences.document_sentences(src.segments, src.language)
    tgt_sentences = sentences.document_sentences(tgt.segments, tgt.language)
    sentence_result = sentences.align_within_beads(
        result.beads,
        src_sentences,
        tgt_sentences,
        src.language,
        tgt.language,
        use_mt=use_mt,
        cache=StoreEmbeddingCache(sessions),
    )
    # Documents and both levels are written together, so a failure leaves nothing behind.
    with store_db.transaction(sessions) as session:
        source_doc = services.add_document(session, src)
        target_doc = services.add_document(session, tgt)
        alignment = services.store_alignment(session, source_doc, target_doc, result)
        sentences.store_sentences(session, source_doc, src_sentences)
        sentences.store_sentences(session, target_doc, tgt_sentences)
        sentences.store_sentence_alignment(session, alignment, sentence_result)
        one_sided = sum(1 for bead in result.beads if bead.similarity is None)
        click.echo(
            f"aligned {source_doc.title!r} ({source_doc.language}, {len(src.segments)} segments)"
            f" with {target_doc.title!r} ({target_doc.language}, {len(tgt.segments)} segments):"
            f" {len(result.beads)} beads, {one_sided} one-sided;"
            f" scorers: {', '.join(result.scorers)}",
            err=True,
        )
        click.echo(f"paragraphs: {describe_choice(result.parameters['scorer_choice'])}", err=True)
        click.echo(
            f"sentences: {describe_choice(sentence_result.parameters['scorer_choice'])}",
            err=True,
        )
        return alignment.id


def _resolve(sessions, reference: str, lang: str | None, settings: Settings) -> LoadedDocument:
    """A document id already in the store, or a file to import."""
    from app import services

    path = Path(reference)
    if reference.isdigit() and not path.exists():
        with sessions() as session:
            return services.loaded_from_store(services.get_document(session, int(reference)))
    if not path.exists():
        raise NotFound(f"{reference}: no such file, and not a document id")
    return load_document(path, lang=lang, languages=settings.languages)


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


EXPORT_FORMATS = ("csv", "jsonl", "moses", "tmx", "tsv", "xliff", "xliff12")
STATUSES = ("automatic", "confirmed", "rejected")


@main.command("export")
@click.argument("alignment_id", type=int)
@click.option(
    "--format", "format_name", type=click.Choice(EXPORT_FORMATS), default="tmx", show_default=True
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
    help="Export only pairs whose similarity is at least this.",
)
@click.option("--level", type=click.Choice(["paragraph", "sentence"]), default="paragraph")
@click.option("--flagged/--unflagged", default=None, help="Only pairs with / without QA flags.")
@click.option("--check", "checks", multiple=True, help="Only pairs flagged by this QA check.")
@click.option(
    "--one-sided", is_flag=True, help="Keep one-sided pairs as half-empty units (XLIFF, CSV...)."
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
    level: str,
    flagged: bool | None,
    checks: tuple[str, ...],
    one_sided: bool,
) -> None:
    """Export ALIGNMENT's pairs to OUTPUT in one of several formats, with filters."""
    from app import services
    from app.segments import BeadStatus
    from app.services import exchange

    chosen = ("confirmed",) if confirmed_only else statuses or ("automatic", "confirmed")
    selection = exchange.ExportFilter(
        statuses=frozenset(BeadStatus(status) for status in chosen),
        min_similarity=min_similarity,
        level=level,
        flagged=flagged,
        checks=frozenset(checks),
        one_sided=one_sided,
    )
    with obj.sessions()() as session:
        alignment = services.get_alignment(session, alignment_id)
        meta = services.export_meta(alignment, __version__, datetime.now(UTC))
        counter = _Counter(exchange.iter_export_pairs(session, alignment, selection))
        if format_name == "moses":
            written = _write_moses(counter, meta, output)
        else:
            _write_atomically(output, _exporter_writer(format_name, one_sided, counter, meta))
            written = str(output)
    click.echo(f"wrote {counter.count} pairs ({selection.describe()}) to {written}", err=True)


def _exporter_writer(format_name: str, one_sided: bool, pairs, meta):
    """Return a function writing ``pairs`` in ``format_name`` to a text file."""
    from app.formats import EXPORTERS, get_exporter

    options = {"one_sided": True} if one_sided and EXPORTERS[format_name].supports_one_sided else {}
    exporter = get_exporter(format_name, **options)
    return lambda handle: exporter.write(pairs, meta, handle)


def _write_moses(pairs, meta, output: Path) -> str:
    """Write the two Moses files (or a zip of them) atomically; returns what was written."""
    from app.formats import moses

    directory = output.resolve().parent
    if not directory.is_dir():
        raise NotFound(f"{output}: the folder {directory} does not exist")
    if output.suffix == ".zip":
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.")
        try:
            with open(descriptor, "wb") as handle:
                moses.write_zip(pairs, meta, handle, output.stem)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return str(output)
    with tempfile.TemporaryDirectory(dir=directory, prefix=f".{output.name}.") as folder:
        source, target, _count = moses.write_files(pairs, meta, Path(folder), output.name)
        os.replace(source, directory / source.name)
        os.replace(target, directory / target.name)
    return f"{directory / source.name} and {directory / target.name}"


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


class _Counter:
    def __init__(self, items):
        self._items, self.count = items, 0

    def __iter__(self):
        for item in self._items:
            self.count += 1
            yield item


def _write_atomically(path: Path, write) -> None:
    """Write to a temporary file beside ``path`` and rename it into place when complete."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise NotFound(f"{path}: the folder {directory} does not exist")
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.")
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_obj
@user_errors
def serve_command(obj: Context, host: str, port: int) -> None:
    """Serve the review UI."""
    serve(obj, host, port)


def serve(obj: Context, host: str, port: int) -> None:
    import waitress

    from app import create_app

    app = create_app(obj.settings)
    click.echo(f"Alinea is serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    waitress.serve(app, host=host, port=port, threads=8)


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Import and align only; do not start the server.")
@click.pass_obj
@user_errors
def demo_command(obj: Context, host: str, port: int, no_serve: bool) -> None:
    """Set up the database, align the bundled article pair, and serve the UI."""
    store_db.upgrade(obj.settings.database_url)
    alignment_id = _demo_alignment(obj)
    click.echo(f"demo alignment: http://{host}:{port}/alignments/{alignment_id}", err=True)
    if not no_serve:
        serve(obj, host, port)
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


def _register_eval() -> None:
    from app.evaluation.cli import eval_command

    main.add_command(eval_command)


_register_eval()
