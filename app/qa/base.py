"""What every QA check shares: the pair it looks at, the flag it raises, the Check base.

Checks are pure code: they see plain ``QaPair`` values and return ``Flag`` values, and know
nothing about the database. A check may first ``learn`` from the whole alignment (the
length ratio it expects, the names the translation keeps), then looks at one pair at a time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class QaPair:
    """One bead as the checks see it: its texts, their languages, and whether it is one-sided.

    ``one_sided`` means the bead has no segment at all on one side (an omission or an
    insertion), as opposed to a side whose text merely is blank.
    """

    position: int
    source: str
    target: str
    source_lang: str
    target_lang: str
    one_sided: bool = False

    @property
    def two_sided(self) -> bool:
        """True when the bead has text on both sides."""
        return not self.one_sided and bool(self.source.strip()) and bool(self.target.strip())


@dataclass(frozen=True)
class Flag:
    """A problem found by a check, with a one-line explanation for the reviewer."""

    check: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """Return the flag as stored in ``Bead.flags`` and exported: {"check", "message"}."""
        return {"check": self.check, "message": self.message}


class Check(ABC):
    """One QA check. Subclasses set ``check_id`` and ``description`` and implement ``problems``.

    ``check_id`` names the check in the flags it raises, as stored in the database, shown
    in exports and accepted by ``--check``. A check that needs something to be given (the
    glossary) sets ``by_default`` to False: it is not part of the default run.
    """

    check_id: ClassVar[str]
    description: ClassVar[str]
    by_default: ClassVar[bool] = True
    # Most checks compare the two sides, which makes no sense when one side is missing.
    needs_both_sides: ClassVar[bool] = True

    def learn(self, pairs: Sequence[QaPair]) -> None:  # noqa: B027 - optional hook
        """Look at the whole alignment before checking pairs; by default learns nothing."""

    @abstractmethod
    def problems(self, pair: QaPair) -> Iterator[str]:
        """Yield one message per problem found in ``pair``."""

    def flags(self, pair: QaPair) -> list[Flag]:
        """Return the flags this check raises on ``pair``."""
        if self.needs_both_sides and not pair.two_sided:
            return []
        return [Flag(self.check_id, message) for message in self.problems(pair)]
