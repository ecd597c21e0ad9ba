"""One fuzz harness per importer: feed it any bytes, it must answer with a clear error or a result.

Shared by the coverage-guided fuzzer (``bench/fuzz/run.py``), the seed replay and the smoke
run in the test suite (``tests/fuzz``), and the property-based tests (``tests/hostile``).

A harness returns normally when the importer accepted the input (and its result is sane) or
refused it with its own error type (``IngestError`` or another ``AlineaError``) whose message is
one short line. Anything else escapes: that is a crash to fix.
"""

from __future__ import annotations

import io
import socket
import socketserver
import threading
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from functools import lru_cache

from app.errors import AlineaError
from app.ingest import IngestError, load_text
from app.ingest.docx import read_docx
from app.ingest.url import read_url
from app.segments import Segment

EXPECTED_ERRORS = (IngestError, AlineaError)
"""The importers' own error types: a refusal with a message for the user."""

MAX_MESSAGE = 600
"""The longest message a refusal may have: one line the user can read."""

# A few candidate languages keep detection quick while still exercising it.
LANGUAGES = ("en", "es", "de", "fr")


class BadResult(AssertionError):
    """The importer returned, but what it returned (or its message) breaks a promise."""


def check_message(error: BaseException) -> None:
    """Raise BadResult unless ``error``'s message is one non-empty line of reasonable length."""
    message = str(error)
    if not message.strip():
        raise BadResult(f"{type(error).__name__} with an empty message")
    if "\n" in message or "\r" in message:
        raise BadResult(f"{type(error).__name__} message spans several lines: {message[:200]!r}")
    if len(message) > MAX_MESSAGE:
        raise BadResult(f"{type(error).__name__} message of {len(message)} characters")


def check_segments(segments: list[Segment]) -> None:
    """Raise BadResult unless ``segments`` are non-empty, tidy texts."""
    if not segments:
        raise BadResult("an import returned no segments instead of refusing")
    for segment in segments:
        if not segment.text or segment.text != segment.text.strip():
            raise BadResult(f"an untidy segment: {segment.text[:80]!r}")


def guarded(harness: Callable[[bytes], object]) -> Callable[[bytes], None]:
    """Wrap ``harness`` so that the importer's own errors count as a clear refusal."""

    def run(data: bytes) -> None:
        try:
            harness(data)
        except EXPECTED_ERRORS as error:
            check_message(error)

    run.__name__ = harness.__name__
    run.__doc__ = harness.__doc__
    return run


def _document(data: bytes, name: str) -> None:
    loaded = load_text(data, name, languages=LANGUAGES)
    check_segments(loaded.segments)
    if loaded.language not in LANGUAGES:
        raise BadResult(f"detected language {loaded.language!r} was not a candidate")


@guarded
def fuzz_text(data: bytes) -> None:
    """Plain text: decoding, binary detection, paragraphs, language detection."""
    _document(data, "fuzz.txt")


@guarded
def fuzz_markdown(data: bytes) -> None:
    """Markdown through markdown-it."""
    _document(data, "fuzz.md")


@guarded
def fuzz_html(data: bytes) -> None:
    """HTML through trafilatura and lxml."""
    _document(data, "fuzz.html")


# --- DOCX -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def docx_parts() -> dict[str, bytes]:
    """The parts of a small valid DOCX, by name, stored (not deflated) so mutations stay local."""
    import docx

    document = docx.Document()
    document.add_heading("Fuzz", level=1)
    document.add_paragraph("One paragraph.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "cell"
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def docx_with(parts: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    """A DOCX (zip) holding ``parts``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# The part a DOCX harness input replaces, by its first byte modulo 4 (0: the whole file).
DOCX_PARTS = (None, "word/document.xml", "word/styles.xml", "[Content_Types].xml")


def docx_input(data: bytes) -> bytes:
    """The DOCX file a harness input stands for: the input itself, or a template with one part
    replaced by the input's remaining bytes (so that the fuzzer reaches python-docx's XML)."""
    if not data:
        return data
    part = DOCX_PARTS[data[0] % len(DOCX_PARTS)]
    if part is None:
        return data[1:]
    return docx_with({**docx_parts(), part: data[1:]})


@guarded
def fuzz_docx(data: bytes) -> None:
    """DOCX through zipfile and python-docx."""
    check_segments(read_docx(docx_input(data), "fuzz.docx"))


# --- URL --------------------------------------------------------------------------------------


class _RawServer(socketserver.ThreadingTCPServer):
    """A loopback server answering every request with the bytes of the current input."""

    daemon_threads = True
    allow_reuse_address = True
    response = b""


class _RawHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.settimeout(2)
        received = b""
        try:
            while b"\r\n\r\n" not in received and len(received) < 65536:
                chunk = self.request.recv(4096)
                if not chunk:
                    break
                received += chunk
            self.request.sendall(self.server.response)
        except OSError:
            pass


@lru_cache(maxsize=1)
def raw_server() -> _RawServer:
    """The one loopback server of this process, started on first use."""
    server = _RawServer(("127.0.0.1", 0), _RawHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def loopback_only():
    """Refuse any name lookup but this machine's while the block runs: a fuzzed redirect may
    name any host, and the fuzzer must never send traffic anywhere but 127.0.0.1."""
    original = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "off-machine lookup refused by the harness")
        return original("127.0.0.1", *args, **kwargs)

    socket.getaddrinfo = getaddrinfo
    try:
        yield
    finally:
        socket.getaddrinfo = original


STATUS_LINES = (b"200 OK", b"200 OK", b"301 Moved", b"404 Not Found", b"500 Oops", b"204 No")
CONTENT_TYPES = (b"text/html", b"text/html; charset=utf-8", b"application/xhtml+xml",
                 b"text/plain", b"text/html; charset=bogus", b"")  # fmt: skip


def http_response(data: bytes) -> bytes:
    """The raw HTTP response a harness input stands for.

    An input whose first byte is below 128 is sent as it is (any bytes at all); otherwise it is
    a well-formed response with a status and content type picked by the next byte, a declared
    length that may lie, and the rest as the body.
    """
    if not data or data[0] < 128:
        return data[1:]
    pick = data[1] if len(data) > 1 else 0
    body = data[2:]
    status = STATUS_LINES[pick % len(STATUS_LINES)]
    content_type = CONTENT_TYPES[(pick // 8) % len(CONTENT_TYPES)]
    length = len(body) + (pick // 64) - 1 if pick // 64 else len(body)
    head = b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type
    head += b"\r\nContent-Length: " + str(max(length, 0)).encode() + b"\r\nConnection: close"
    if status.startswith(b"301"):
        head += b"\r\nLocation: /elsewhere.html"
    return head + b"\r\n\r\n" + body


@guarded
def fuzz_url(data: bytes) -> None:
    """A web page downloaded from a loopback server that answers with the input's bytes."""
    server = raw_server()
    server.response = http_response(data)
    port = server.server_address[1]
    with loopback_only():
        url = f"http://127.0.0.1:{port}/page.html"
        check_segments(read_url(url, timeout=2.0, allow_private=True, deadline=10.0))


# --- Bilingual files and glossaries ----------------------------------------------------------


@guarded
def fuzz_tmx(data: bytes) -> None:
    """TMX through defusedxml and the TMX reader."""
    from app.formats import TmxReader

    document = TmxReader().read_bytes(data, "fuzz.tmx")
    _check_bilingual(document)


@guarded
def fuzz_xliff(data: bytes) -> None:
    """XLIFF 1.x and 2.x through defusedxml and the XLIFF reader."""
    from app.formats import XliffReader

    document = XliffReader().read_bytes(data, "fuzz.xlf")
    _check_bilingual(document)


def _check_bilingual(document) -> None:
    if not document.units:
        raise BadResult("a bilingual file with no units was accepted")
    for code in (document.source_lang, document.target_lang):
        if not code or code != code.strip().lower():
            raise BadResult(f"an untidy language code {code!r}")


@guarded
def fuzz_glossary(data: bytes) -> None:
    """A glossary CSV, decoded and parsed as ``alinea glossary import`` does."""
    from app.ingest import decode_text
    from app.qa import parse_glossary

    glossary = parse_glossary(decode_text(data, "fuzz.csv"), "fuzz.csv")
    if len(glossary) == 0:
        raise BadResult("an empty glossary was accepted")


HARNESSES: dict[str, Callable[[bytes], None]] = {
    "text": fuzz_text,
    "markdown": fuzz_markdown,
    "html": fuzz_html,
    "docx": fuzz_docx,
    "url": fuzz_url,
    "tmx": fuzz_tmx,
    "xliff": fuzz_xliff,
    "glossary": fuzz_glossary,
}
"""Every importer's harness, by the name ``run.py`` and ``tests/fuzz_seeds/`` use."""
