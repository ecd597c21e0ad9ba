"""Rule-based machine translation with Debian's Apertium, for the MT scorer.

Apertium is a separate program (``apt-get install apertium apertium-eng-spa``), found
on the PATH. Translations are batched: one ``apertium -f line`` process translates many
segments, one per line, so its start-up (about a quarter of a second) is paid once per
batch, not once per segment. Line breaks inside a segment are turned into spaces first,
so a newline is a safe separator; the output must have as many lines as the input, and
a batch whose output does not is split in halves until the culprit is found.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import cache

EXECUTABLE = "apertium"
INSTALL_HINT = "install it with: apt-get install apertium apertium-eng-spa"

# Apertium names its language data by ISO 639-3 code (older pairs by ISO 639-1).
ISO_639_3 = {
    "af": "afr", "an": "arg", "ar": "ara", "ast": "ast", "be": "bel", "bg": "bul",
    "br": "bre", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan", "de": "deu",
    "el": "ell", "en": "eng", "eo": "epo", "es": "spa", "et": "est", "eu": "eus",
    "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle", "gd": "gla", "gl": "glg",
    "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "is": "isl",
    "it": "ita", "kk": "kaz", "lt": "lit", "lv": "lav", "mk": "mkd", "ms": "msa",
    "mt": "mlt", "nb": "nob", "nl": "nld", "nn": "nno", "no": "nor", "oc": "oci",
    "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sc": "srd", "se": "sme",
    "sk": "slk", "sl": "slv", "sq": "sqi", "sr": "srp", "sv": "swe", "tr": "tur",
    "tt": "tat", "uk": "ukr", "ur": "urd", "uz": "uzb",
}  # fmt: skip

# Characters that end a line for Apertium's line format (or for Python's split).
LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
# Apertium marks words it could not generate with '#' (and transfer gaps with '@').
MARKS = re.compile(r"(?<!\S)[#@](?=\w)")
BATCH_LINES = 2000
BATCH_CHARS = 400_000
# Apertium translates about 200,000 characters a second on one core here; the timeout
# allows a machine ten times slower, plus start-up.
SECONDS_BASE = 30.0
CHARS_PER_SECOND = 20_000


class ApertiumError(RuntimeError):
    """Apertium is missing, lacks the language pair, failed or took too long."""


def available() -> bool:
    return shutil.which(EXECUTABLE) is not None


@cache
def installed_directions() -> frozenset[str]:
    """The translation directions ``apertium -l`` lists (empty without Apertium)."""
    if not available():
        return frozenset()
    try:
        listed = subprocess.run(
            [EXECUTABLE, "-l"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in listed.stdout.splitlines() if line.strip())


def direction(src_lang: str, tgt_lang: str) -> str | None:
    """The installed Apertium direction translating ``src_lang`` into ``tgt_lang``."""
    installed = installed_directions()
    for src in (ISO_639_3.get(src_lang), src_lang):
        for tgt in (ISO_639_3.get(tgt_lang), tgt_lang):
            if src and tgt and f"{src}-{tgt}" in installed:
                return f"{src}-{tgt}"
    return None


def clean(text: str) -> str:
    """One line of input for Apertium: no line breaks, no NUL."""
    return LINE_BREAKS.sub(" ", text.replace("\x00", " ")).strip()


def translate(texts: Sequence[str], mode: str) -> list[str]:
    """Translate every text with the Apertium direction ``mode`` (e.g. "spa-eng")."""
    if not available():
        raise ApertiumError(f"{EXECUTABLE} is not installed; {INSTALL_HINT}")
    lines = [clean(t) for t in texts]
    out: list[str] = []
    for batch in _batches(lines):
        out += _translate_batch(batch, mode)
    return out


def _batches(lines: list[str]) -> list[list[str]]:
    batches, current, chars = [], [], 0
    for line in lines:
        if current and (len(current) >= BATCH_LINES or chars + len(line) > BATCH_CHARS):
            batches.append(current)
            current, chars = [], 0
        current.append(line)
        chars += len(line) + 1
    if current:
        batches.append(current)
    return batches


def _translate_batch(lines: list[str], mode: str) -> list[str]:
    if not any(lines):
        return list(lines)
    text = "".join(line + "\n" for line in lines)
    timeout = SECONDS_BASE + len(text) / CHARS_PER_SECOND
    try:
        done = subprocess.run(
            [EXECUTABLE, "-u", "-f", "line", mode],
            input=text,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as error:
        raise ApertiumError(f"{EXECUTABLE} is not installed; {INSTALL_HINT}") from error
    except subprocess.TimeoutExpired as error:
        raise ApertiumError(
            f"{EXECUTABLE} {mode} took more than {timeout:.0f} s for {len(lines)} segments"
        ) from error
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise ApertiumError(f"{EXECUTABLE} {mode} failed (exit {done.returncode}): {reason}")
    output = done.stdout.split("\n")
    if output and output[-1] == "":
        output.pop()
    if len(output) != len(lines):
        if len(lines) == 1:
            # One segment came back as several lines: keep them as one translation.
            return [" ".join(output)]
        middle = len(lines) // 2
        return _translate_batch(lines[:middle], mode) + _translate_batch(lines[middle:], mode)
    return [MARKS.sub("", line).strip() for line in output]
