"""The catalogue of bad inputs: what a translator may be sent, and the exact answer they get.

Each refused file gives one line on stderr, a non-zero exit and no row written; each accepted
one is checked for what it holds. docs/reliability.md lists the same cases with their messages.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.ingest import IngestError, load_document
from app.store import db as store_db
from app.store import models
from bench.fuzz.harnesses import docx_parts

from .conftest import time_cap

MODELS = (models.Document, models.Segment, models.Alignment, models.Bead)


def row_counts(database_url: str) -> dict[str, int]:
    engine = store_db.make_engine(database_url)
    with engine.connect() as connection:
        counts = {
            model.__tablename__: connection.scalar(select(func.count()).select_from(model))
            for model in MODELS
        }
    engine.dispose()
    return counts


@pytest.fixture
def alinea(database_url, tmp_path):
    """Run ``alinea`` on the test database; returns click's Result."""

    def invoke(*args: str, **env: str):
        environment = {
            "DATABASE_URL": database_url,
            "ALINEA_INSTANCE": str(tmp_path / "instance"),
            **env,
        }
        with time_cap():
            return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)

    return invoke


def refused(alinea, database_url, path: Path, *args: str, **env: str) -> str:
    """Import ``path``; check it is refused cleanly and nothing is written; return the line."""
    before = row_counts(database_url)
    result = alinea("import", str(path), *args, **env)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert row_counts(database_url) == before
    return lines[0]


# --- Document files that are refused ----------------------------------------------------------


def zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A 60 KB DOCX whose document.xml inflates to 60 MB of spaces."""
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b" " * 60_000_000})


def oversized_docx() -> bytes:
    """A DOCX whose entries add up to more than 200 MB once inflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/padding.bin", "w") as entry:
            chunk = b"\0" * (1 << 20)
            for _ in range(201):
                entry.write(chunk)
    return buffer.getvalue()


def lying_docx() -> bytes:
    """A DOCX whose document.xml claims 100 bytes but inflates to 5 MB: zipfile stops at the
    claimed size, so the lie is caught without inflating the rest."""
    parts = {"word/document.xml": b"<" + b"a" * 5_000_000}
    parts.update((name, content) for name, content in docx_parts().items() if name not in parts)
    data = bytearray(zip_bytes(parts))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(header)
        size_at = at + (22 if header == b"PK\x03\x04" else 24)
        data[size_at : size_at + 4] = (100).to_bytes(4, "little")
    return bytes(data)


REFUSED: list[tuple[str, Callable[[], bytes], str]] = [
    ("empty.txt", lambda: b"", "empty.txt: the file is empty"),
    ("blank.txt", lambda: b"  \n\t\r\n   \n", "blank.txt: the file contains only whitespace"),
    (
        "report.pdf",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n",
        "report.pdf: this looks like a binary file (PDF document), not text",
    ),
    (
        "photo.txt",
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
        "photo.txt: this looks like a binary file (PNG image), not text",
    ),
    (
        "archive.zip",
        lambda: zip_bytes({"a.txt": b"hello"}),
        "archive.zip: this looks like a binary file (ZIP archive or DOCX/ODT/EPUB document), "
        "not text",
    ),
    (
        "cut.txt",
        lambda: "Una canción".encode()[:-2],
        "cut.txt: the file is UTF-8 but ends in the middle of a character, so it looks cut "
        "short; check that it was copied whole",
    ),
    (
        "noise.txt",
        lambda: bytes(range(1, 32)) * 40,
        "noise.txt: this looks like a binary file, not text",
    ),
    ("huge.docx", oversized_docx, "huge.docx: the document expands to more than 200 MB"),
    ("lying.docx", lying_docx, "lying.docx: not a readable DOCX file (BadZipFile)"),
    (
        "notes.docx",
        lambda: b"Just text with a .docx name",
        "notes.docx: not a DOCX file (it is not a zip archive)",
    ),
    ("menu.html", lambda: b"<html><body><nav></nav></body></html>", None),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_document_is_refused_with_one_line_and_nothing_written(
    alinea, database_url, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content())

    line = refused(alinea, database_url, path)

    assert line == f"Error: {message or name + ': no main text found in the page'}"


def test_a_docx_zip_bomb_is_refused_by_its_ratio_before_it_is_inflated(
    alinea, database_url, tmp_path, monkeypatch
):
    bomb = zip_bomb_docx()
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    infos = zipfile.ZipFile(io.BytesIO(bomb)).infolist()
    ratio = sum(info.file_size for info in infos) // sum(info.compress_size for info in infos)
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda *_: pytest.fail("inflated the bomb"))

    line = refused(alinea, database_url, path)

    assert ratio > 500
    assert line == (
        f"Error: bomb.docx: the document expands {ratio} times when unpacked, which only a "
        "zip bomb does; it is refused"
    )


def test_a_200_mb_file_is_refused_by_its_size_before_it_is_read(
    alinea, database_url, tmp_path, monkeypatch
):
    huge = tmp_path / "huge.txt"
    subprocess.run(["truncate", "-s", "200M", str(huge)], check=True)  # sparse: no disk used
    opened: list[str] = []
    real_open = Path.open

    def watching_open(self, *args, **kwargs):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watching_open)

    line = refused(alinea, database_url, huge)

    assert line == "Error: huge.txt: the file is too large (200 MB; the limit is 20 MB)"
    assert "huge.txt" not in opened


def test_the_import_size_cap_is_configurable(alinea, database_url, tmp_path):
    text = tmp_path / "two-kb.txt"
    text.write_text("A sentence of English text.\n" * 80)

    line = refused(alinea, database_url, text, ALINEA_MAX_IMPORT_MB="0.001")

    assert line == "Error: two-kb.txt: the file is too large (2.2 KB; the limit is 1 KB)"


def test_a_nonsense_import_cap_is_a_clear_error(alinea, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Some text.")

    result = alinea("import", str(text), ALINEA_MAX_IMPORT_MB="lots")

    assert result.exit_code == 1
    assert result.stderr == (
        "Error: ALINEA_MAX_IMPORT_MB must be a number of megabytes, not 'lots'\n"
    )


# --- Document files that are accepted, and what they hold ---------------------------------


def imported(alinea, path: Path, *args: str) -> models.Document:
    result = alinea("import", str(path), *args)
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip().splitlines()[-1])


def stored_texts(database_url: str, document_id: int) -> list[str]:
    engine = store_db.make_engine(database_url)
    with store_db.make_session_factory(engine)() as session:
        texts = [segment.text for segment in session.get(models.Document, document_id).segments]
    engine.dispose()
    return texts


def test_mixed_line_endings_give_the_right_paragraphs(alinea, database_url, tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        b"The first paragraph ends here.\r\n\r\nThe second paragraph\nwraps onto a second "
        b"line.\r\rThe third paragraph.\n"
    )

    document_id = imported(alinea, path, "--lang", "en")

    assert stored_texts(database_url, document_id) == [
        "The first paragraph ends here.",
        "The second paragraph wraps onto a second line.",
        "The third paragraph.",
    ]


def test_utf16_without_a_byte_order_mark_is_read(alinea, database_url, tmp_path):
    path = tmp_path / "utf16.txt"
    text = "Ceci est un texte français.\n\nIl a deux paragraphes, écrits en UTF-16."
    path.write_bytes(text.encode("utf-16-le"))

    document_id = imported(alinea, path)

    assert stored_texts(database_url, document_id) == text.split("\n\n")


def test_html_scripts_are_dropped(alinea, database_url, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>News</title><script>document.title='pwned'</script></head><body>"
        "<p>The mayor opened the new bridge over the river on Monday morning.</p>"
        "<script>alert('xss')</script><p onclick=\"alert(2)\">Traffic is expected to ease "
        "in the coming weeks.</p><noscript>enable scripts</noscript></body></html>"
    )

    document_id = imported(alinea, path, "--lang", "en")

    texts = stored_texts(database_url, document_id)
    assert texts == [
        "News",
        "The mayor opened the new bridge over the river on Monday morning.",
        "Traffic is expected to ease in the coming weeks.",
    ]


def test_ten_thousand_nested_tags_are_refused_clearly_not_half_read(alinea, database_url, tmp_path):
    # libxml2 stops at 256 levels and would drop the rest of the page without a word.
    page = tmp_path / "nested.html"
    page.write_text(
        "<html><body><p>A first paragraph that sits near the top of the page.</p>"
        + "<div>" * 10_000 + "<p>The deepest paragraph.</p>" + "</div>" * 10_000
        + "</body></html>"
    )  # fmt: skip

    line = refused(alinea, database_url, page)

    assert line == (
        "Error: nested.html: the page nests its tags more than 256 deep, which no real page "
        "does; its text cannot be read reliably (save it as plain text instead)"
    )


def test_deep_but_ordinary_nesting_is_read(tmp_path):
    page = tmp_path / "deep.html"
    sentence = "The deepest paragraph of this page still holds its sentence of text."
    page.write_text(
        "<html><body>" + "<div>" * 200 + f"<p>{sentence}</p>" + "</div>" * 200
        + "</body></html>"
    )  # fmt: skip

    with time_cap():
        document = load_document(page, lang="en")

    assert sentence in document.text


def test_a_one_character_document_imports_with_its_language(alinea, database_url, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("a")

    document_id = imported(alinea, path, "--lang", "en")

    assert stored_texts(database_url, document_id) == ["a"]


# --- XML: entities, external references, broken TMX and XLIFF ------------------------------

LAUGHS = (
    '<!DOCTYPE tmx [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
)


def tmx(body: str, header: str = 'srclang="en"', doctype: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{doctype}<tmx version="1.4"><header {header}/>'
        f"<body>{body}</body></tmx>"
    )


PAIR = '<tu><tuv xml:lang="en"><seg>{}</seg></tuv><tuv xml:lang="es"><seg>Hola</seg></tuv></tu>'

BILINGUAL_REFUSED = [
    (
        "laughs.tmx",
        tmx(PAIR.format("&h;"), doctype=LAUGHS),
        "laughs.tmx: the file declares XML entities, which are refused for safety (they can "
        "expand without limit or read other files)",
    ),
    (
        "xxe.tmx",
        tmx(PAIR.format("&x;"), doctype='<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
        "xxe.tmx: the file declares XML entities, which are refused for safety (they can "
        "expand without limit or read other files)",
    ),
    (
        "remote-dtd.xlf",
        '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd">'
        '<xliff version="1.2"><file source-language="en" target-language="fr"><body/></file>'
        "</xliff>",
        "remote-dtd.xlf: the file contains no translation units",
    ),
    (
        "nolang.tmx",
        tmx("<tu><tuv><seg>Hello</seg></tuv><tuv><seg>Hola</seg></tuv></tu>", header=""),
        "nolang.tmx: the file does not say its source language",
    ),
    (
        "onelang.tmx",
        tmx('<tu><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>'),
        "onelang.tmx: the file does not say its target language",
    ),
    (
        "noseg.tmx",
        tmx('<tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="es"/></tu>'),
        "noseg.tmx: one side of the file has no text at all",
    ),
    (
        "badlang.tmx",
        tmx(PAIR.format("Hi"), header='srclang="english\nplease"'),
        "badlang.tmx: unknown source language 'english please'",
    ),
    (
        "notarget.xlf",
        '<xliff version="1.2"><file source-language="en"><body><trans-unit id="1">'
        "<source>Hi</source><target>Salut</target></trans-unit></body></file></xliff>",
        "notarget.xlf: the file does not say its target language",
    ),
    (
        "cut.tmx",
        tmx(PAIR.format("Hello"))[:-20],
        "cut.tmx: not well-formed XML (unclosed token: line 1, column 147)",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), BILINGUAL_REFUSED, ids=[r[0] for r in BILINGUAL_REFUSED]
)
def test_a_bad_bilingual_file_is_refused_with_one_line_and_nothing_written(
    alinea, database_url, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_text(content)

    assert refused(alinea, database_url, path) == f"Error: {message}"


def test_a_tuv_without_seg_among_good_units_becomes_a_one_sided_pair(
    alinea, database_url, tmp_path
):
    path = tmp_path / "partial.tmx"
    without_seg = '<tu><tuv xml:lang="en"><seg>Bye</seg></tuv><tuv xml:lang="es"/></tu>'
    path.write_text(tmx(PAIR.format("Hello") + without_seg))

    result = alinea("import", str(path))

    assert result.exit_code == 0, result.output
    assert "2 pairs, en → es" in result.stderr
    assert row_counts(database_url)["beads"] == 2


def test_a_refused_bilingual_file_after_reading_writes_nothing(alinea, database_url, tmp_path):
    # The reader accepts it; the import refuses it once both sides are known: still no row.
    path = tmp_path / "sourceonly.xlf"
    path.write_text(
        '<xliff version="1.2"><file source-language="en" target-language="de"><body>'
        '<trans-unit id="1"><source>Only a source</source></trans-unit></body></file></xliff>'
    )

    line = refused(alinea, database_url, path)

    assert line == "Error: sourceonly.xlf: one side of the file has no text at all"


def test_a_document_loader_never_raises_anything_but_ingest_errors_on_the_catalogue(tmp_path):
    # The same files through the service's loader (the web upload path would use it).
    for name, content, _message in REFUSED:
        path = tmp_path / name
        path.write_bytes(content())
        with pytest.raises(IngestError), time_cap():
            load_document(path, lang="en")


def docx_with_doctype(doctype: str, reference: str) -> bytes:
    """The DOCX template with ``doctype`` declared in document.xml and ``reference`` used."""
    parts = dict(docx_parts())
    document = parts["word/document.xml"]
    at = document.index(b"<w:document")
    body = document[at:].replace(b"One paragraph.", f"Before {reference} after.".encode())
    parts["word/document.xml"] = document[:at] + doctype.encode() + body
    return zip_bytes(parts)


def test_an_entity_bomb_inside_a_docx_is_refused(alinea, database_url, tmp_path):
    path = tmp_path / "laughs.docx"
    path.write_bytes(docx_with_doctype(LAUGHS.replace("tmx", "w:document"), "&h;"))

    line = refused(alinea, database_url, path)

    assert line == "Error: laughs.docx: not a readable DOCX file (XMLSyntaxError)"


def test_an_external_entity_inside_a_docx_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    path = tmp_path / "xxe.docx"
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
    path.write_bytes(docx_with_doctype(doctype, "&x;"))

    with time_cap():
        document = load_document(path, lang="en")

    assert "TOP-SECRET-CONTENT" not in document.text
    assert "Before" in document.text
