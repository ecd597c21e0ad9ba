"""Writing text into the XML formats (TMX, XLIFF): escaping, and characters XML cannot hold.

XML 1.0 cannot carry C0 controls other than tab, newline and CR, nor U+FFFE/U+FFFF, not
even as character references. A segment keeps them anyway: each format writes such a
character as an inline element of its own (``code_point`` gives its number), which the
readers turn back into the character (``app.formats.safexml.code_point_of``). Where no
element is allowed (notes, metadata values, attributes) the character is written as
U+FFFD REPLACEMENT CHARACTER, so that it shows rather than vanishes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Everything outside the XML 1.0 Char production: C0 controls other than tab, newline and
# CR, lone surrogates, and U+FFFE/U+FFFF.
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

REPLACEMENT = "\ufffd"

Placeholder = Callable[[int, int], str]
"""Returns the inline element standing for code point ``cp``, the ``n``-th one of a segment."""


def code_point(char: str) -> str:
    """Return the code point of ``char`` as four or more upper-case hex digits."""
    return f"{ord(char):04X}"


def _escape_xml_chars(text: str) -> str:
    # '&' goes first so the references added after it are not escaped again. '>' only
    # needs escaping inside ']]>', but always escaping it is simpler and harmless. CR goes
    # out as a reference because parsers turn a literal CR into a newline.
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def is_lone_surrogate(char: str) -> bool:
    """Return True for half of a UTF-16 pair, which cannot be encoded at all."""
    return "\ud800" <= char <= "\udfff"


def _replaced(match: re.Match[str]) -> str:
    # Lone surrogates only come from broken conversions and cannot even be encoded.
    return "" if is_lone_surrogate(match.group()) else REPLACEMENT


def escape_text(text: str) -> str:
    """Return ``text`` made safe as XML element content where no markup is allowed.

    Characters XML cannot carry become U+FFFD; lone surrogates are dropped.
    """
    if NOT_XML_CHAR.search(text) is not None:
        text = NOT_XML_CHAR.sub(_replaced, text)
    return _escape_xml_chars(text)


def escape_segment(text: str, placeholder: Placeholder) -> str:
    """Return segment ``text`` escaped, each character XML cannot carry as ``placeholder``.

    Lone surrogates are dropped: they are not characters, only halves of broken ones.
    """
    if NOT_XML_CHAR.search(text) is None:
        return _escape_xml_chars(text)
    parts: list[str] = []
    start, number = 0, 0
    for match in NOT_XML_CHAR.finditer(text):
        parts.append(_escape_xml_chars(text[start : match.start()]))
        if not is_lone_surrogate(match.group()):
            number += 1
            parts.append(placeholder(ord(match.group()), number))
        start = match.end()
    parts.append(_escape_xml_chars(text[start:]))
    return "".join(parts)


def escape_attribute(value: str) -> str:
    """Return ``value`` made safe inside a double-quoted XML attribute."""
    # Tab and newline go out as references because parsers normalise literal ones in
    # attribute values to spaces.
    return escape_text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def format_attributes(attributes: dict[str, str]) -> str:
    """Return ``attributes`` as ` name="value"` pairs, in the order given."""
    return "".join(f' {name}="{escape_attribute(value)}"' for name, value in attributes.items())


class UnitIds:
    """Hands out the unit ids of one export file: each unit's own id, never one twice.

    A pair imported from another file keeps that file's id; other pairs get one made of
    their position. Review edits can leave two beads with the same imported id (a split),
    and a made-up id can meet an imported one: the second comes out with a ``-2`` suffix.

    Ids of the made-up form (prefix and a number) are remembered as bits of a bitmap, so
    that an export of a million pairs keeps an eighth of a megabyte rather than a million
    strings; only other ids (imported ones) are kept in a set.
    """

    # Numbers beyond this are remembered in the set: a hostile imported id such as
    # "u99999999999" must not make the bitmap huge.
    BITMAP_LIMIT = 1 << 26

    def __init__(self, prefix: str = "", valid: Callable[[str], bool] = bool) -> None:
        self.prefix = prefix
        self.valid = valid
        self._numbers = bytearray()
        self._others: set[str] = set()

    def of(self, unit_id: str | None, position: int) -> str:
        """Return the id of the unit at ``position`` whose imported id is ``unit_id``."""
        if not unit_id and 0 <= position < self.BITMAP_LIMIT and not self._has(position):
            # The common case, worth its shortcut in an export of a million pairs.
            self._set(position)
            return f"{self.prefix}{position:d}"
        wanted = unit_id if unit_id and self.valid(unit_id) else f"{self.prefix}{position:d}"
        chosen, count = wanted, 1
        while self._used(chosen):
            count += 1
            chosen = f"{wanted}-{count}"
        self._mark(chosen)
        return chosen

    def _number(self, candidate: str) -> int | None:
        """The number of an id of the made-up form (no leading zeros), or None."""
        digits = candidate[len(self.prefix) :]
        if not candidate.startswith(self.prefix) or not (digits.isascii() and digits.isdigit()):
            return None
        if digits != "0" and digits.startswith("0"):
            return None
        number = int(digits)
        return number if number < self.BITMAP_LIMIT else None

    def _has(self, number: int) -> bool:
        byte = number >> 3
        return byte < len(self._numbers) and bool(self._numbers[byte] & (1 << (number & 7)))

    def _set(self, number: int) -> None:
        byte = number >> 3
        if byte >= len(self._numbers):
            # Grown by at least a quarter at a time, so that appending stays cheap.
            grow = max(byte + 1 - len(self._numbers), len(self._numbers) // 4)
            self._numbers.extend(bytes(grow))
        self._numbers[byte] |= 1 << (number & 7)

    def _used(self, candidate: str) -> bool:
        number = self._number(candidate)
        return candidate in self._others if number is None else self._has(number)

    def _mark(self, candidate: str) -> None:
        number = self._number(candidate)
        if number is None:
            self._others.add(candidate)
        else:
            self._set(number)


_NMTOKEN = re.compile(r"^[\w.:-]+$")


def is_nmtoken(value: str) -> bool:
    """Return True when ``value`` is an XML NMTOKEN (the type of XLIFF 2 ids)."""
    return bool(_NMTOKEN.match(value))
