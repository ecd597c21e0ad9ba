"""Validating ISO 639-1 language codes and detecting the language of a text with lingua.

Detection looks at every language lingua knows unless the caller names fewer, and says
how sure it is: a doubtful guess is reported with the document, and a guess too weak to
act on is refused, so that a wrong language never silently picks the wrong scorers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from app.ingest.errors import IngestError, shown

DEFAULT_LANGUAGES: tuple[str, ...] = tuple(
    sorted(language.iso_code_639_1.name.lower() for language in Language.all())
)
"""Languages considered by detection when the caller names none: all that lingua knows."""

HIGH_ACCURACY_UP_TO = 8
"""Detectors for at most this many languages use lingua's high-accuracy mode.

It matters for texts under about 120 characters only (longer ones are read by trigrams in
either mode), but loads up to five n-gram models per language on first use: about 1.2 GB
for all languages against 75 MB in low-accuracy mode. A few candidates (QA's check of
one pair's two languages) stay small in either mode and gain accuracy on short texts."""

WINDOW_CHARS = 500
"""Characters in each window of the sample; plenty for lingua's trigram statistics."""

MAX_WINDOWS = 8
"""Windows taken across a long text, so that detection reads at most a few thousand
characters wherever they are, and a foreign heading or quotation weighs one window."""

REFUSE_BELOW = 0.5
"""Below this confidence no language holds even half the evidence: detection refuses."""

REFUSE_MARGIN = 0.2
"""A best guess ahead of the runner-up by less than this is a coin toss: refused too."""

CONFIDENT_FROM = 0.8
"""A detection below this confidence (but not refused) is reported as doubtful."""


class UncertainLanguage(IngestError):
    """The language of a text cannot be detected well enough: the user must name it."""


@dataclass(frozen=True)
class Detection:
    """A detected language, how sure detection is (0 to 1), and the next best guess."""

    language: str
    confidence: float
    runner_up: str | None = None
    runner_up_confidence: float = 0.0
    # When the candidates were restricted: a confident detection among every language that
    # names a language outside them, the sign that the restriction forced a wrong answer.
    elsewhere: Detection | None = None

    @property
    def doubtful(self) -> bool:
        """True when the guess is usable but weak enough that the user should check it."""
        return self.confidence < CONFIDENT_FROM or self.elsewhere is not None

    def doubt(self) -> str | None:
        """Why the user should check the guess, in a few words; None when it is sure."""
        if self.elsewhere is not None:
            return (
                f"the language was detected as {self.language} among the languages allowed,"
                f" but among all languages it is {self.elsewhere.describe()}"
            )
        if self.doubtful:
            return f"the language was detected with low confidence ({self.alternatives()})"
        return None

    def describe(self) -> str:
        """The language and its confidence, e.g. ``es (detected, 0.98)``."""
        return f"{self.language} (detected, {self.confidence:.2f})"

    def alternatives(self) -> str:
        """The guess and the runner-up with their confidence, e.g. ``is 0.62, then fo 0.31``."""
        best = f"{self.language} {self.confidence:.2f}"
        if self.runner_up is None:
            return best
        return f"{best}, then {self.runner_up} {self.runner_up_confidence:.2f}"


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
    """Return the lower-case ISO 639-1 code of the language of ``text``; see ``detect``."""
    return detect(text, candidates).language


def detect(text: str, candidates: Iterable[str] | None = None) -> Detection:
    """Detect the language of ``text`` among ``candidates`` (default: every language).

    The confidence of each language is averaged over windows spread across the text.
    Raises UncertainLanguage when the text has nothing to detect a language from, or
    when the best guess is too weak (see ``REFUSE_BELOW`` and ``REFUSE_MARGIN``), and
    IngestError for an unknown candidate code.
    """
    codes = DEFAULT_LANGUAGES if candidates is None else candidates
    detector = _detector(frozenset(validate_language(code) for code in codes))
    ranked = _ranked(_confidences(detector, text))
    if not ranked:
        raise UncertainLanguage(
            "cannot detect the language of the text; choose the language explicitly"
        )
    (language, confidence), *rest = ranked
    runner_up, runner_up_confidence = rest[0] if rest else (None, 0.0)
    detection = Detection(language, confidence, runner_up, runner_up_confidence)
    if confidence < REFUSE_BELOW or confidence - runner_up_confidence < REFUSE_MARGIN:
        raise UncertainLanguage(
            f"cannot tell the language of the text with confidence ({detection.alternatives()});"
            " choose the language explicitly"
        )
    return detection


def detect_document(text: str, candidates: Iterable[str] | None = None) -> Detection:
    """``detect`` for a document to import; when ``candidates`` leave out languages, the
    detection also says whether the text is confidently in one of those."""
    detection = detect(text, candidates)
    if candidates is None or set(DEFAULT_LANGUAGES) <= set(candidates):
        return detection
    try:
        overall = detect(text)
    except UncertainLanguage:
        return detection
    if overall.doubtful or overall.language in set(candidates):
        return detection
    return replace(detection, elsewhere=overall)


def _confidences(detector: LanguageDetector, text: str) -> list[dict[str, float]]:
    """Return lingua's confidence per language for each window of ``text`` with letters."""
    found = []
    for window in windows(text):
        values = detector.compute_language_confidence_values(window)
        if values and values[0].value > 0:
            found.append({v.language.iso_code_639_1.name.lower(): v.value for v in values})
    return found


def _ranked(confidences: list[dict[str, float]]) -> list[tuple[str, float]]:
    """Return (language, mean confidence over the windows), the most likely first."""
    if not confidences:
        return []
    totals: dict[str, float] = {}
    for window in confidences:
        for language, value in window.items():
            totals[language] = totals.get(language, 0.0) + value
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [(language, total / len(confidences)) for language, total in ranked if total > 0]


@lru_cache(maxsize=8)
def _detector(codes: frozenset[str]) -> LanguageDetector:
    """Return a lingua detector for ``codes``, built once per set and process.

    Building is instant; lingua loads each language's models the first time a text needs
    them and keeps them for the detector's life, which the cache makes the process's.
    """
    if not codes:
        raise IngestError("no candidate languages given for language detection")
    iso_codes = [IsoCode639_1.from_str(code) for code in sorted(codes)]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*iso_codes)
    if len(codes) > HIGH_ACCURACY_UP_TO:
        builder = builder.with_low_accuracy_mode()
    return builder.build()


def windows(text: str) -> list[str]:
    """Return up to ``MAX_WINDOWS`` pieces of ``text`` spread evenly from start to end.

    Each holds about ``WINDOW_CHARS`` characters, cut where no word is split; a text
    shorter than two windows is one window, read whole.
    """
    if len(text) < 2 * WINDOW_CHARS:
        return [text]
    count = min(MAX_WINDOWS, len(text) // WINDOW_CHARS)
    step = (len(text) - WINDOW_CHARS) / (count - 1)
    return [
        _whole_words(text, round(k * step), round(k * step) + WINDOW_CHARS) for k in range(count)
    ]


def _whole_words(text: str, start: int, end: int) -> str:
    """Return ``text[start:end]`` without the words cut at either edge."""
    if start > 0 and not text[start - 1].isspace():
        space = _next_space(text, start, end)
        start = space + 1 if space < end else start
    if end < len(text) and not text[end].isspace():
        space = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
        end = space if space > start else end
    return text[start:end]


def _next_space(text: str, start: int, end: int) -> int:
    """Return the index of the first whitespace in ``text[start:end]``, or ``end``."""
    for index in range(start, end):
        if text[index].isspace():
            return index
    return end
