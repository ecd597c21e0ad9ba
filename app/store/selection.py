"""Which beads to take: one selection type for the review page's filter and for exports.

``BeadSelection`` says which beads (statuses, similarity thresholds, QA flags, one-sided or
not, a text) and in which order; ``conditions`` makes it SQL. The review page reads it from
its query parameters (``from_args``); exports build it with their own defaults
(``app.services.exchange.export_selection``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, bindparam, exists, func, or_

from app.errors import InvalidRequest
from app.segments import BeadStatus
from app.store import models, segments

STATUS_CHOICES = tuple(status.value for status in BeadStatus)

# "doubt": the pairs most likely wrong first (see ``app.store.queries.doubt``);
# "similarity": lowest first.
SORTS = ("position", "doubt", "similarity")


@dataclass(frozen=True)
class BeadSelection:
    """Which beads to take, and in which order; the default takes them all, in order.

    ``statuses``: the review statuses kept; None keeps every status.
    ``min_similarity``, ``max_similarity``: keep beads scored at least, or below, this
    (one-sided beads have no score, so they never pass a threshold); a confirmed bead
    passes ``min_similarity`` whatever its score unless ``similarity_for_confirmed``.
    ``flagged``: True keeps only beads with QA flags, False only those without, None both.
    ``checks``: keep only beads flagged by one of these checks (see ``accepts_flags``).
    ``one_sided``: True keeps only one-sided beads, False only two-sided ones, None both.
    ``level``: "paragraph", or "sentence" for the sentence alignment refining the one
    given (exports); None: the alignment itself.
    ``text``: beads with a segment containing it; ``sort``: one of ``SORTS``.
    """

    statuses: frozenset[BeadStatus] | None = None
    min_similarity: float | None = None
    max_similarity: float | None = None
    similarity_for_confirmed: bool = True
    flagged: bool | None = None
    checks: frozenset[str] = frozenset()
    one_sided: bool | None = None
    level: str | None = None
    text: str = ""
    sort: str = "position"
    # The beads whose text matches, once looked up (see ``app.store.queries.resolve_text``):
    # their positions by sort key, in document order.
    matches: Mapping[int, int] | None = field(default=None, compare=False)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> BeadSelection:
        """Read the review page's filter from query parameters; raise InvalidRequest naming
        a bad one. There, ``one_sided=1`` and ``flagged=1`` show only those beads.

        Empty values count as absent, because a GET form sends its empty fields.
        """
        sort = args.get("sort", "").strip() or "position"
        if sort not in SORTS:
            raise InvalidRequest(f"sort must be one of {', '.join(SORTS)}, not '{sort}'")
        status = parse_status(args.get("status", ""))
        return cls(
            max_similarity=parse_threshold(args.get("max_similarity", ""), "max_similarity"),
            min_similarity=parse_threshold(args.get("min_similarity", ""), "min_similarity"),
            statuses=None if status is None else frozenset({status}),
            one_sided=_parse_flag(args.get("one_sided", ""), "one_sided") or None,
            flagged=_parse_flag(args.get("flagged", ""), "flagged") or None,
            # No stored text holds a NUL (imports refuse them), and PostgreSQL refuses one in a
            # query parameter: drop it rather than fail the page.
            text=args.get("q", "").replace("\x00", "").strip()[:200],
            sort=sort,
        )

    @property
    def status(self) -> BeadStatus | None:
        """The one status kept, None when there are several (or every one)."""
        if self.statuses is None or len(self.statuses) != 1:
            return None
        return next(iter(self.statuses))

    @property
    def takes_one_sided(self) -> bool:
        """Whether one-sided beads can pass (an export then asks its format to keep them)."""
        return self.one_sided is not False

    @property
    def active(self) -> bool:
        """Whether the selection leaves some beads out (the order alone leaves none)."""
        return self.narrowing != BeadSelection()

    @property
    def narrowing(self) -> BeadSelection:
        """The selection without its order."""
        return replace(self, sort="position", matches=None)

    def as_args(self) -> dict[str, str]:
        """The review page's query parameters that select this again."""
        args: dict[str, str] = {}
        if self.max_similarity is not None:
            args["max_similarity"] = f"{self.max_similarity:g}"
        if self.min_similarity is not None:
            args["min_similarity"] = f"{self.min_similarity:g}"
        if self.status is not None:
            args["status"] = self.status.value
        if self.one_sided:
            args["one_sided"] = "1"
        if self.flagged:
            args["flagged"] = "1"
        if self.text:
            args["q"] = self.text
        if self.sort != "position":
            args["sort"] = self.sort
        return args

    def conditions(
        self,
        alignment: models.Alignment | None = None,
        bead: Any = models.Bead,
        with_flags: bool = True,
    ) -> list[ColumnElement[bool]]:
        """SQL conditions on beads; the text search needs the ``alignment`` it searches.

        ``bead`` holds the bead columns (the table, or a subquery's columns). Without
        ``with_flags``, the flag filters are left to ``accepts_flags``.
        """
        conditions: list[ColumnElement[bool]] = []
        if self.max_similarity is not None:
            # One-sided beads have no similarity (NULL), so they never match a threshold.
            conditions.append(bead.similarity < self.max_similarity)
        if self.min_similarity is not None:
            scored = bead.similarity >= self.min_similarity
            if not self.similarity_for_confirmed:
                # The reviewer's confirmation outweighs the aligner's score.
                scored = or_(scored, bead.status == BeadStatus.CONFIRMED.value)
            conditions.append(scored)
        if self.statuses is not None:
            conditions.append(bead.status.in_(sorted(status.value for status in self.statuses)))
        if self.one_sided:
            conditions.append(or_(bead.src_end == bead.src_start, bead.tgt_end == bead.tgt_start))
        elif self.one_sided is False:
            conditions += [bead.src_end > bead.src_start, bead.tgt_end > bead.tgt_start]
        if with_flags and self.flagged is not None:
            count = func.json_array_length(bead.flags)
            conditions.append(count > 0 if self.flagged else count == 0)
        if self.text and self.matches is not None:
            # Literal integers rather than one bound parameter each: a search for a common
            # word matches thousands of beads, and binding them costs more than the query
            # (and SQLite allows at most 32,766 parameters).
            keys = bindparam(
                "matched_keys", sorted(self.matches), expanding=True, literal_execute=True
            )
            conditions.append(bead.sort_key.in_(keys))
        elif self.text and alignment is not None:
            conditions.append(_text_condition(alignment, self.text))
        return conditions

    def accepts_flags(self, flags: Iterable[dict]) -> bool:
        """True when a bead with QA ``flags`` passes the flag filters."""
        if self.flagged is None and not self.checks:
            return True
        names = {str(flag.get("check")) for flag in flags}
        if self.flagged is not None and bool(names) != self.flagged:
            return False
        return not self.checks or bool(names & self.checks)

    def describe(self) -> str:
        """Return the selection in words, for a report line."""
        if self.statuses is None:
            parts = ["pairs of every status"]
        else:
            parts = [", ".join(sorted(status.value for status in self.statuses)) + " pairs"]
        if self.level is not None:
            parts.append(f"{self.level} level")
        if self.min_similarity is not None:
            parts.append(
                f"similarity ≥ {self.min_similarity:g}"
                + (" (confirmed pairs too)" if self.similarity_for_confirmed else "")
            )
        if self.max_similarity is not None:
            parts.append(f"similarity < {self.max_similarity:g}")
        if self.flagged is not None:
            parts.append("flagged only" if self.flagged else "unflagged only")
        if self.checks:
            parts.append("flagged by " + ", ".join(sorted(self.checks)))
        if self.one_sided is None:
            parts.append("one-sided included")
        elif self.one_sided:
            parts.append("one-sided only")
        if self.text:
            parts.append(f"containing '{self.text}'")
        return ", ".join(parts)


def _text_condition(alignment: models.Alignment, text: str) -> ColumnElement[bool]:
    """Beads with a segment containing ``text`` (any case) on either side."""
    pattern = "%" + _escape_like(text) + "%"

    def side(document_id: int, start, end) -> ColumnElement[bool]:
        return exists().where(
            segments.condition(document_id, alignment.level, start, end),
            models.Segment.text.ilike(pattern, escape="\\"),
        )

    return or_(
        side(alignment.source_id, models.Bead.src_start, models.Bead.src_end),
        side(alignment.target_id, models.Bead.tgt_start, models.Bead.tgt_end),
    )


def _escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_threshold(value: str, name: str) -> float | None:
    """Return a similarity threshold in [0, 1] from a form value, None when empty."""
    value = value.strip()
    if not value:
        return None
    try:
        threshold = float(value)
    except ValueError:
        raise InvalidRequest(f"{name} must be a number between 0 and 1, not '{value}'") from None
    # float() also accepts "nan" and "inf", which no similarity can be compared with.
    if not math.isfinite(threshold) or not 0 <= threshold <= 1:
        raise InvalidRequest(f"{name} must be a number between 0 and 1, not '{value}'")
    return threshold


def parse_status(value: str) -> BeadStatus | None:
    """Return the bead status named by a form value, None when empty."""
    value = value.strip()
    if not value:
        return None
    try:
        return BeadStatus(value)
    except ValueError:
        choices = ", ".join(STATUS_CHOICES)
        raise InvalidRequest(f"status must be one of {choices}, not '{value}'") from None


def _parse_flag(value: str, name: str) -> bool:
    value = value.strip()
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise InvalidRequest(f"{name} must be 1 or 0, not '{value}'")
