"""Validating ISO 639-1 language codes and detecting the language of a text with lingua."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from app.ingest.errors import IngestError, shown

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "es", "de", "fr", "it", "pt", "nl", "pl", "ru", "tr", "ar", "zh", "ja", "ko",
)  # fmt: skip
"""Languages considered by ``detect_language`` when the caller names none.

Kept modest on purpose: lingua's memory use and load time grow with every language.
"""

SAMPLE_CHARS = 5000
"""How much of a text ``detect_language`` looks at; a few thousand characters are plenty."""


def validate_language(code: str) -> str:
    """Return ``code`` as a lower-case ISO 639-1 code lingua knows; raise IngestError if not."""
    normalised = code.strip().lower()
    try:
        IsoCode639_1.from_str(normalised)
    except ValueError:
        raise IngestError(
            f"unknown language code '{shown(code)}'; use an ISO 639-1 code such as en, es, de"
        ) from None
    return normalised


def detect_language(text: str, candidates: Iterable[str] | None = None) -> str:
    """Return the lower-case ISO 639-1 code of the language of ``text``.

    Only ``candidates`` (default ``DEFAULT_LANGUAGES``) are considered. Raises IngestError
    for an unknown candidate code, or when the text has nothing to detect a language from.
    """
    codes = DEFAULT_LANGUAGES if candidates is None else candidates
    detector = _detector(frozenset(validate_language(code) for code in codes))
    language = detector.detect_language_of(_sample(text))
    if language is None:
        raise IngestError("cannot detect the language of the text; choose the language explicitly")
    return language.iso_code_639_1.name.lower()


@lru_cache(maxsize=8)
def _detector(codes: frozenset[str]) -> LanguageDetector:
    """Return a lingua detector for ``codes``, built once per set because building is slow."""
    if not codes:
        raise IngestError("no candidate languages given for language detection")
    iso_codes = [IsoCode639_1.from_str(code) for code in sorted(codes)]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*iso_codes).build()


def _sample(text: str) -> str:
    """Return the first ``SAMPLE_CHARS`` characters of ``text``, cut where no word is split."""
    if len(text) <= SAMPLE_CHARS:
        return text
    head = text[:SAMPLE_CHARS]
    cut = max(head.rfind(" "), head.rfind("\n"))
    return head[:cut] if cut > 0 else head
