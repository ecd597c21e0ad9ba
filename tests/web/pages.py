"""Reading the review pages back in tests: the bead rows as data, not as markup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements without an end tag: they never open a scope.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class BeadRowView:
    """One ``article.bead`` of the alignment page, as a reviewer sees it."""

    position: int
    classes: set[str]
    source: list[tuple[str, str]] = field(default_factory=list)  # (tag, text) per segment
    target: list[tuple[str, str]] = field(default_factory=list)
    langs: dict[str, str] = field(default_factory=dict)  # side -> lang attribute
    missing: dict[str, str] = field(default_factory=dict)  # side -> placeholder text
    similarity: str | None = None
    only_in: str | None = None
    status: str | None = None
    score_names: list[str] = field(default_factory=list)
    has_status_form: bool = False


class _BeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.beads: list[BeadRowView] = []
        self.bead: BeadRowView | None = None
        self.stack: list[tuple[str, str | None]] = []  # (tag, role) inside the bead
        self.side: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = set(attributes.get("class", "").split())
        if tag == "article" and attributes.get("id", "").startswith("bead-"):
            position = int(attributes["id"].removeprefix("bead-"))
            self.bead = BeadRowView(position=position, classes=classes)
            self.stack = [(tag, None)]
            return
        if self.bead is None:
            return
        if tag == "form" and attributes.get("action", "").endswith("/status"):
            self.bead.has_status_form = True
        role = self._role(tag, classes, attributes)
        if tag not in VOID:
            self.stack.append((tag, role))

    def _role(self, tag: str, classes: set[str], attributes: dict[str, str]) -> str | None:
        assert self.bead is not None
        for side in ("source", "target"):
            if f"bead-{side}" in classes:
                self.bead.langs[side] = attributes.get("lang", "")
                return f"side:{side}"
        if "segment" in classes:
            getattr(self.bead, self._current_side()).append((tag, ""))
            return "segment"
        for role in ("missing", "similarity", "only-in", "status"):
            if role in classes:
                return role
        if tag == "dt" and self._inside("scores"):
            return "score-name"
        if "scores" in classes:
            return "scores"
        return None

    def _current_side(self) -> str:
        for _tag, role in reversed(self.stack):
            if role and role.startswith("side:"):
                return role.removeprefix("side:")
        raise AssertionError("a segment outside the source and target columns")

    def _inside(self, role: str) -> bool:
        return any(r == role for _tag, r in self.stack)

    def handle_endtag(self, tag: str) -> None:
        if self.bead is None or tag in VOID:
            return
        while self.stack:
            open_tag, _role = self.stack.pop()
            if open_tag == tag:
                break
        if not self.stack:
            self.beads.append(self.bead)
            self.bead = None

    def handle_data(self, data: str) -> None:
        if self.bead is None or not self.stack:
            return
        role = self.stack[-1][1]
        text = data.strip()
        if not text:
            return
        bead = self.bead
        if role == "segment":
            side = getattr(bead, self._current_side())
            tag, before = side[-1]
            side[-1] = (tag, f"{before} {text}".strip())
        elif role == "missing":
            bead.missing[self._current_side()] = text
        elif role == "similarity":
            bead.similarity = text
        elif role == "only-in":
            bead.only_in = text
        elif role == "status":
            bead.status = text
        elif role == "score-name":
            bead.score_names.append(text)


def bead_rows(html: str) -> list[BeadRowView]:
    parser = _BeadParser()
    parser.feed(html)
    parser.close()
    return parser.beads


def positions(html: str) -> list[int]:
    return [row.position for row in bead_rows(html)]


def progress_text(html: str) -> str:
    """The "confirmed/total" figure of the sticky review bar."""
    match = re.search(r'class="progress-count"><strong>([^<]+)</strong>', html)
    assert match, "the page shows no progress"
    return match.group(1)


def hidden_value(html: str, name: str) -> str:
    """The value of the first hidden input called ``name``."""
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"the page has no hidden {name} field"
    return match.group(1)
