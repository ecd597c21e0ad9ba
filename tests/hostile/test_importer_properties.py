"""Every importer, fed arbitrary bytes and mutations of valid files, either imports or refuses
with its own one-line error (see ``bench/fuzz/harnesses.py``), and always answers quickly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.ingest import IngestError
from bench.fuzz.harnesses import (
    HARNESSES,
    docx_parts,
    docx_with,
    fuzz_docx,
    fuzz_glossary,
    fuzz_html,
    fuzz_markdown,
    fuzz_text,
    fuzz_tmx,
    fuzz_url,
    fuzz_xliff,
)

from .conftest import time_cap

SEEDS = Path(__file__).resolve().parents[1] / "fuzz_seeds"


def seeds(importer: str) -> list[bytes]:
    return [path.read_bytes() for path in sorted((SEEDS / importer).iterdir())]


@st.composite
def mutated(draw, originals: list[bytes]) -> bytes:
    """A valid file with a few bytes replaced, deleted or inserted, or cut short."""
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(0, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(("replace", "delete", "insert", "cut")))
        if action == "replace":
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at:]
    return bytes(data)


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1")


@st.composite
def encoded_text(draw, alphabet=None) -> bytes:
    """Text of any characters (or of ``alphabet``) in one of the encodings people send."""
    text = draw(st.text(alphabet=st.characters() if alphabet is None else alphabet, max_size=400))
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


def check(harness, data: bytes) -> None:
    with time_cap():
        harness(data)


@pytest.mark.parametrize("importer", sorted(HARNESSES))
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_get_a_result_or_a_clear_error(importer, data):
    check(HARNESSES[importer], data)


@given(data=encoded_text())
@example(data="Título\r\n\r\nUno.\rDos.\nTres.".encode())
@example(data="Hello world, this is English text.".encode("utf-16-le"))
def test_text_in_any_encoding(data):
    check(fuzz_text, data)


MARKDOWN = st.sampled_from(list("#*_->|`[]()!\n\n  abcXYZ1.é<>&"))


@given(data=encoded_text(alphabet=MARKDOWN))
@example(data=b">" * 5000 + b" deep quote")
@example(data=b"- " * 3000 + b"deep list")
def test_markdown_made_of_markup_characters(data):
    check(fuzz_markdown, data)


@st.composite
def tag_soup(draw) -> bytes:
    """HTML-like text: random tags (some never closed) around words."""
    tags = ("p", "div", "span", "h1", "li", "ul", "table", "td", "script", "style", "main", "b")
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        tag = draw(st.sampled_from(tags))
        kind = draw(st.sampled_from(("open", "close", "text", "attr")))
        if kind == "open":
            parts.append(f"<{tag}>")
        elif kind == "close":
            parts.append(f"</{tag}>")
        elif kind == "attr":
            parts.append(f'<{tag} onclick="{draw(st.text(max_size=10))}">')
        else:
            parts.append(draw(st.text(max_size=40)))
    return "".join(parts).encode("utf-8", errors="replace")


@given(data=tag_soup())
def test_html_tag_soup(data):
    check(fuzz_html, data)


@given(data=st.one_of(mutated(seeds("html")), mutated(seeds("markdown")), mutated(seeds("text"))))
def test_mutated_documents(data):
    for harness in (fuzz_text, fuzz_markdown, fuzz_html):
        check(harness, data)


@st.composite
def damaged_docx(draw) -> bytes:
    """A valid DOCX with one part replaced by junk or a mutation, or its zip bytes damaged."""
    parts = dict(docx_parts())
    name = draw(st.sampled_from(sorted(parts)))
    if draw(st.booleans()):
        parts[name] = draw(mutated([parts[name]]))
    else:
        parts[name] = draw(st.binary(max_size=200))
    compression = draw(st.sampled_from((zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)))
    data = docx_with(parts, compression)
    if draw(st.booleans()):
        data = draw(mutated([data]))
    return b"\x00" + data


@given(data=damaged_docx())
def test_damaged_docx(data):
    check(fuzz_docx, data)


@given(data=st.one_of(mutated(seeds("url")), st.binary(max_size=600).map(lambda b: b"\x80" + b)))
def test_web_server_replies(data):
    check(fuzz_url, data)


@given(data=mutated(seeds("tmx")))
def test_mutated_tmx(data):
    check(fuzz_tmx, data)


@given(data=mutated(seeds("xliff")))
def test_mutated_xliff(data):
    check(fuzz_xliff, data)


CSV = st.sampled_from(list(',;"|\n\r\t ab\u00e9\u00df'))


@given(data=st.one_of(encoded_text(alphabet=CSV), mutated(seeds("glossary"))))
def test_glossary_csv(data):
    check(fuzz_glossary, data)


def test_the_docx_template_is_a_real_docx():
    # The DOCX strategies start from it: it must import.
    data = docx_with(docx_parts())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "word/document.xml" in archive.namelist()
    fuzz_docx(b"\x00" + data)


class PageServer:
    """``http.server`` in a thread, serving whatever page and content type the test sets."""

    def __init__(self) -> None:
        import http.server
        import threading

        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                self.send_response(200)
                self.send_header("Content-Type", owner.content_type)
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args) -> None:
                pass

        self.body, self.content_type = b"", "text/html"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/article.html"


@pytest.fixture(scope="module")
def page_server():
    server = PageServer()
    yield server
    server.server.shutdown()
    server.server.server_close()


@given(
    body=st.one_of(tag_soup(), mutated(seeds("html")), st.binary(max_size=500)),
    content_type=st.sampled_from(
        ["text/html", "text/html; charset=utf-8", "text/html; charset=nonsense", "text/plain"]
    ),
)
def test_a_web_page_from_a_local_server_imports_or_is_refused(page_server, body, content_type):
    from app.ingest import load_url

    page_server.body, page_server.content_type = body, content_type
    try:
        with time_cap():
            document = load_url(
                page_server.url, languages=["en", "es", "de", "fr"], allow_private=True
            )
    except IngestError as error:
        # Download problems name the address; problems with the text, the page's name.
        assert "\n" not in str(error)
        assert str(error).startswith((page_server.url, "article.html: "))
    else:
        assert document.segments and document.origin == page_server.url
