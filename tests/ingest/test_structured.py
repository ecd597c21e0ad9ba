"""Markdown, HTML, DOCX and URL imports give the same paragraphs as the plain text."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest

from app.ingest import IngestError, load_document, load_text, load_url
from app.segments import Segment, SegmentKind

BOILERPLATE_HEAD = (
    "<nav><a href='/'>Home</a> · <a href='/news'>News</a> · <a href='/about'>About us</a></nav>"
    "<header><p>Subscribe to our newsletter</p></header>"
)
BOILERPLATE_TAIL = "<footer><p>© 2025 Example Media · Privacy · Cookies · Imprint</p></footer>"


def as_markdown(segments: list[Segment]) -> str:
    return "\n\n".join(
        f"## {s.text}" if s.kind is SegmentKind.HEADING else s.text.replace("*", r"\*")
        for s in segments
    )


def as_html(segments: list[Segment]) -> str:
    body = "".join(
        f"<h2>{html.escape(s.text)}</h2>"
        if s.kind is SegmentKind.HEADING
        else f"<p>{html.escape(s.text)}</p>"
        for s in segments
    )
    title = html.escape(segments[0].text)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"{BOILERPLATE_HEAD}<article>{body}</article>{BOILERPLATE_TAIL}</body></html>"
    )


def as_docx(segments: list[Segment], path: Path) -> Path:
    document = docx.Document()
    for segment in segments:
        if segment.kind is SegmentKind.HEADING:
            document.add_heading(segment.text, level=2)
        else:
            document.add_paragraph(segment.text)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def originals() -> dict[str, list[Segment]]:
    root = Path(__file__).resolve().parents[2] / "corpora" / "dw-2025-02-17-mexico-border"
    return {lang: load_document(root / f"{lang}.txt").segments for lang in ("es", "en")}


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_the_corpus_imports_into_the_same_paragraphs(originals, tmp_path, lang, suffix) -> None:
    segments = originals[lang]
    path = tmp_path / f"{lang}{suffix}"
    if suffix == ".md":
        path.write_text(as_markdown(segments), encoding="utf-8")
    elif suffix == ".html":
        path.write_text(as_html(segments), encoding="utf-8")
    else:
        as_docx(segments, path)
    loaded = load_document(path)
    assert [s.text for s in loaded.segments] == [s.text for s in segments]
    assert [s.kind for s in loaded.segments] == [s.kind for s in segments]
    assert loaded.language == lang


def test_docx_tables_come_in_body_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Left cell.", "Right cell."
    document.add_paragraph("After the table.")
    document.save(str(tmp_path / "t.docx"))
    texts = [s.text for s in load_document(tmp_path / "t.docx", lang="en").segments]
    assert texts == ["Before the table.", "Left cell.", "Right cell.", "After the table."]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.docx", b"not a zip at all", "not a DOCX file"),
        ("a.docx", b"PK\x05\x06" + b"\x00" * 18, "not a Word document|not a DOCX file"),
        ("a.html", b"%PDF-1.4 ...", "binary file"),
        ("a.html", b"<html><body><nav>Home</nav></body></html>", "no main text"),
        ("a.md", b"", "empty"),
    ],
)
def test_malformed_files_get_a_clear_error(name: str, data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        load_text(data, name, lang="en")


def test_structured_files_have_a_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("Some text. " * 200, encoding="utf-8")
    with pytest.raises(IngestError, match="too large"):
        load_document(path, lang="en", max_bytes=1000)


PAGES: dict[str, tuple[str, bytes]] = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path not in PAGES:
            self.send_error(404, "Not Found")
            return
        content_type, body = PAGES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_a_url_imports_the_main_text_of_the_page(server, originals) -> None:
    PAGES["/es.html"] = ("text/html", as_html(originals["es"]).encode("utf-8"))
    loaded = load_url(f"{server}/es.html", allow_private=True)
    assert [s.text for s in loaded.segments] == [s.text for s in originals["es"]]
    assert loaded.origin == f"{server}/es.html" and loaded.language == "es"


@pytest.mark.parametrize(
    ("path", "page", "message"),
    [
        ("/missing", None, "404"),
        ("/data.json", ("application/json", b"{}"), "not a web page"),
        ("/huge.html", ("text/html", b"<p>" + b"x" * (6 * 1024 * 1024) + b"</p>"), "larger"),
    ],
)
def test_url_problems_get_a_clear_error(server, path, page, message) -> None:
    if page is not None:
        PAGES[path] = page
    with pytest.raises(IngestError, match=message):
        load_url(f"{server}{path}", lang="en", allow_private=True)


def test_only_web_addresses_are_downloaded() -> None:
    with pytest.raises(IngestError, match="only http and https"):
        load_url("file:///etc/passwd")
