"""The package surface: registry, exporter lookup, metadata and the abstract base."""

from __future__ import annotations

import dataclasses
import re

import pytest

import app.formats
from app.formats import (
    EXPORT_FORMATS,
    EXPORTERS,
    FORMATS,
    READERS,
    Exporter,
    ExportMeta,
    TmxReader,
    XliffReader,
    get_exporter,
    moses,
    reader_for,
)
from app.formats.registry import read_extensions
from app.formats.tmx import TmxExporter
from app.formats.tsv import TsvExporter

from .exporter_contract import META


def test_package_exports_the_public_api() -> None:
    for name in ("EXPORTERS", "get_exporter", "ExportMeta", "Exporter"):
        assert name in app.formats.__all__


def test_every_format_is_registered() -> None:
    assert sorted(EXPORTERS) == ["csv", "jsonl", "tmx", "tsv", "xliff", "xliff12"]
    assert EXPORTERS["tmx"] is TmxExporter
    assert EXPORTERS["tsv"] is TsvExporter


@pytest.mark.parametrize("name", ["csv", "jsonl", "tmx", "tsv", "xliff", "xliff12"])
def test_get_exporter_returns_a_fresh_instance(name: str) -> None:
    exporter = get_exporter(name)
    assert isinstance(exporter, EXPORTERS[name])
    assert exporter is not get_exporter(name)


@pytest.mark.parametrize("name", ["x", "moses", "", "TMX "])
def test_unknown_format_names_the_choices(name: str) -> None:
    message = f"unknown export format '{name}'; choose one of: csv, jsonl, tmx, tsv, xliff, xliff12"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        get_exporter(name)


def test_exporter_is_abstract() -> None:
    with pytest.raises(TypeError):
        Exporter()  # type: ignore[abstract]


def test_export_meta_is_frozen_with_optional_names() -> None:
    assert (META.source_name, META.target_name, META.alignment_id) == (None, None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        META.source_lang = "fr"  # type: ignore[misc]
    assert isinstance(META, ExportMeta)


def test_every_format_describes_itself_with_its_writer_and_reader() -> None:
    described = {
        name: (entry.extensions[0], entry.media_type, entry.download, entry.reader)
        for name, entry in FORMATS.items()
    }
    assert described == {
        "csv": (".csv", "text/csv", ".csv", None),
        "jsonl": (".jsonl", "application/jsonl", ".jsonl", None),
        "moses": (".<source language>", "application/zip", ".zip", None),
        "tmx": (".tmx", "application/x-tmx+xml", ".tmx", TmxReader),
        "tsv": (".tsv", "text/tab-separated-values", ".tsv", None),
        "xliff": (".xliff", "application/xliff+xml", ".xliff", XliffReader),
        "xliff12": (".xlf", "application/x-xliff+xml", ".xlf", XliffReader),
    }
    assert EXPORT_FORMATS == FORMATS
    for name, exporter in EXPORTERS.items():
        entry = FORMATS[name]
        assert (exporter.format, exporter.name, exporter.extension) == (
            entry,
            name,
            entry.extensions[0],
        )
        assert (exporter.title, exporter.media_type) == (entry.title, entry.media_type)


def test_moses_is_written_as_two_files_that_a_download_gets_zipped() -> None:
    entry = FORMATS["moses"]
    assert (entry.files, entry.exporter, entry.content_type) == (2, None, "application/zip")
    assert (entry.write_files, entry.write_zip) == (moses.write_files, moses.write_zip)
    assert FORMATS["tsv"].content_type == "text/tab-separated-values; charset=utf-8"


def test_the_import_side_takes_its_extensions_from_the_registry() -> None:
    extensions = read_extensions()
    assert set(extensions) == {".tmx", ".xliff", ".xlf2", ".xlf", ".sdlxliff", ".mxliff"}
    for name, entry in FORMATS.items():
        for extension in entry.extensions if entry.reader else ():
            reader = reader_for(f"file{extension.upper()}")
            assert type(reader) is entry.reader, name
    assert dict(READERS) == {"tmx": TmxReader, "xliff": XliffReader}
    assert reader_for("file.csv") is None
