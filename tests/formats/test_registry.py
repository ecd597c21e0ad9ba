"""The package surface: registry, exporter lookup, metadata and the abstract base."""

from __future__ import annotations

import dataclasses
import re

import pytest

import app.formats
from app.formats import EXPORTERS, Exporter, ExportMeta, get_exporter
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
