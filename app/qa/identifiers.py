"""URLs, e-mail addresses, hashtags and @handles that differ between the sides.

These are never translated, so each must appear on both sides exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from app.align.anchors import URL
from app.qa.base import Check, QaPair

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
HASHTAG = re.compile(r"(?<![\w&#])#\w*[^\W\d]\w*")
HANDLE = re.compile(r"(?<![\w.@])@\w{2,}")


def identifiers(text: str) -> Counter[str]:
    """Return the URLs, e-mail addresses, hashtags and handles of ``text``, normalised."""
    found: Counter[str] = Counter()
    found.update(url.rstrip("/") for url in URL.findall(text))
    rest = URL.sub(" ", text)
    found.update(address.lower() for address in EMAIL.findall(rest))
    rest = EMAIL.sub(" ", rest)
    found.update(tag.casefold() for tag in HASHTAG.findall(rest))
    found.update(handle.casefold() for handle in HANDLE.findall(rest))
    return found


class IdentifiersCheck(Check):
    """Flags URLs, e-mail addresses, hashtags and handles not found on the other side."""

    check_id = "identifiers"
    description = "a URL, e-mail address or hashtag differs"

    def problems(self, pair: QaPair) -> Iterator[str]:
        source, target = identifiers(pair.source), identifiers(pair.target)
        for item in source - target:
            yield f"'{item}' of the source is missing in the target"
        for item in target - source:
            yield f"'{item}' of the target is not in the source"
