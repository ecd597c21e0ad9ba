"""Imports that would expand past what one request or one document should hold: a padded DOCX
whose one huge part hides behind a big incompressible one, and documents with too many
segments, from every importer. One line, exit 1, nothing stored; both databases."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from app.ingest import IngestError, load_text
from app.ingest.docx import MAX_PART
from bench.fuzz.harnesses import docx_parts

from .test_catalogue import alinea, refused  # noqa: F401 - the fixture is used by name

PARAGRAPH = b"<w:p><w:r><w:t>Una frase de relleno que se repite sin fin.</w:t></w:r></w:p>"


def padded_docx(document_mb: int, random_mb: int = 2) -> bytes:
    """A valid DOCX whose word/document.xml unpacks to ``document_mb`` MB of paragraphs, beside
    ``random_mb`` MB of random bytes stored uncompressed, which keep the whole archive's
    ratio low. Written in chunks: the huge part never sits in memory."""
    parts = dict(docx_parts())
    original = parts.pop("word/document.xml")
    head, tail = original.split(b"<w:body>", 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            entry.write(head + b"<w:body>")
            chunk = PARAGRAPH * (1024 * 1024 // len(PARAGRAPH))
            for _ in range(document_mb):
                entry.write(chunk)
            entry.write(tail)
        archive.writestr(
            zipfile.ZipInfo("word/media/image1.png"), os.urandom(random_mb * 1024 * 1024)
        )
    return buffer.getvalue()


def overall_ratio(data: bytes) -> float:
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    return sum(i.file_size for i in infos) / sum(i.compress_size for i in infos)


def test_a_padded_docx_with_a_huge_document_part_is_refused_before_it_is_inflated(
    alinea,  # noqa: F811
    database_url,
    tmp_path,
    monkeypatch,
):
    # The audit's file: 150 MB of document.xml beside 2 MB of random bytes.
    data = padded_docx(150)
    assert overall_ratio(data) < 100  # the whole archive looks like an ordinary DOCX
    path = tmp_path / "padded.docx"
    path.write_bytes(data)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *_a, **_k: pytest.fail("inflated"))

    line = refused(alinea, database_url, path)

    assert line == (
        "Error: padded.docx: its part word/document.xml expands to 150 MB, more than the "
        "32 MB one part may have; it is refused"
    )


def test_a_padded_docx_under_the_part_size_is_refused_by_the_part_s_ratio(
    alinea,  # noqa: F811
    database_url,
    tmp_path,
):
    data = padded_docx(MAX_PART // (1024 * 1024) - 2)
    assert overall_ratio(data) < 100
    path = tmp_path / "padded.docx"
    path.write_bytes(data)

    line = refused(alinea, database_url, path)

    assert line.startswith("Error: padded.docx: its part word/document.xml expands ")
    assert line.endswith(" times when unpacked, which only a zip bomb does; it is refused")


def test_an_ordinary_docx_with_a_picture_still_imports():
    data = padded_docx(0, random_mb=3)

    loaded = load_text(data, "article.docx", lang="es")

    assert [segment.text for segment in loaded.segments][:1] == ["Fuzz"]


# The segment cap, on every importer ------------------------------------------------------


def paragraphs(count: int) -> str:
    return "\n\n".join(f"Párrafo número {k} del documento." for k in range(count))


def html_page(count: int) -> str:
    body = "".join(f"<p>Párrafo número {k} del documento.</p>" for k in range(count))
    return f"<html><body><article>{body}</article></body></html>"


def markdown(count: int) -> str:
    return paragraphs(count)


def tmx(count: int) -> str:
    units = "".join(
        f'<tu><tuv xml:lang="es"><seg>Frase {k}.</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Sentence {k}.</seg></tuv></tu>'
        for k in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="es" '
        'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="test" creationtool="t" '
        f'creationtoolversion="1"/><body>{units}</body></tmx>'
    )


def docx_file(count: int) -> bytes:
    import docx

    document = docx.Document()
    for k in range(count):
        document.add_paragraph(f"Párrafo número {k} del documento.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("article.txt", paragraphs),
        ("article.md", markdown),
        ("article.html", html_page),
        ("article.docx", docx_file),
    ],
)
def test_a_document_with_more_segments_than_the_cap_is_refused(
    alinea,  # noqa: F811
    database_url,
    tmp_path,
    name,
    make,
):
    content = make(6)
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")

    line = refused(alinea, database_url, path, "--lang", "es", ALINEA_MAX_SEGMENTS="5")

    assert line == (
        f"Error: {name}: the document has 6 segments, more than the 5 one document may have "
        "(ALINEA_MAX_SEGMENTS)"
    )
    # At the cap, it imports.
    result = alinea("import", str(path), "--lang", "es", ALINEA_MAX_SEGMENTS="6")
    assert result.exit_code == 0, result.output


def test_a_bilingual_file_with_more_units_than_the_cap_is_refused(
    alinea,  # noqa: F811
    database_url,
    tmp_path,
):
    path = tmp_path / "memory.tmx"
    path.write_text(tmx(6), encoding="utf-8")

    line = refused(alinea, database_url, path, ALINEA_MAX_SEGMENTS="5")

    assert line == (
        "Error: memory.tmx: the file has 6 units, more than the 5 one alignment may have "
        "(ALINEA_MAX_SEGMENTS)"
    )


def test_a_presegmented_file_with_more_lines_than_the_cap_is_refused(
    alinea,  # noqa: F811
    tmp_path,
):
    source, target = tmp_path / "es.txt", tmp_path / "en.txt"
    source.write_text("\n".join(f"Frase {k}." for k in range(6)) + "\n", encoding="utf-8")
    target.write_text("\n".join(f"Sentence {k}." for k in range(6)) + "\n", encoding="utf-8")

    result = alinea(
        "align", "--presegmented", "--fast", str(source), str(target),
        "--src-lang", "es", "--tgt-lang", "en", ALINEA_MAX_SEGMENTS="5",
    )  # fmt: skip

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: es.txt: the document has 6 segments, more than the 5 one document may have "
        "(ALINEA_MAX_SEGMENTS)"
    ]


def test_an_upload_with_more_segments_than_the_cap_is_refused():
    with pytest.raises(IngestError, match="more than the 5 one document may have"):
        load_text(paragraphs(6).encode(), "upload.txt", lang="es", max_segments=5)
