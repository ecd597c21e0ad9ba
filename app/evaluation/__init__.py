"""Alignment evaluation against gold sets: link files, the Vecalign metric, the Bible verse
merge and loaders for the shared evaluation data. Pure code: no Flask, no database."""

from .datasets import (
    DEFAULT_ROOT,
    ENV_VAR,
    EvalDataMissing,
    EvalDocument,
    bible,
    bible_bertalign_links,
    bible_books,
    bible_verse_ids,
    data_root,
    ntrex_documents,
    text_berg,
    text_berg_document,
    with_omissions,
)
from .links import Link, format_link, format_links, parse_link, parse_links, read_links, write_links
from .metric import Counts, Scores, f1, score_document, score_documents
from .verses import merge_verses, read_verse_ids, score_verse_merged, verse_label

__all__ = [
    "DEFAULT_ROOT",
    "ENV_VAR",
    "Counts",
    "EvalDataMissing",
    "EvalDocument",
    "Link",
    "Scores",
    "bible",
    "bible_bertalign_links",
    "bible_books",
    "bible_verse_ids",
    "data_root",
    "f1",
    "format_link",
    "format_links",
    "merge_verses",
    "ntrex_documents",
    "parse_link",
    "parse_links",
    "read_links",
    "read_verse_ids",
    "score_document",
    "score_documents",
    "score_verse_merged",
    "text_berg",
    "text_berg_document",
    "with_omissions",
    "verse_label",
    "write_links",
]
