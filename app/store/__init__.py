"""The store: table modules on one declarative base, sessions, the embedding cache.

Importing the package maps every table, so ``Base.metadata`` is whole wherever any model is
used (the migrations' checks compare against it).
"""

from app.store import accounts, comparisons, jobs, models  # noqa: F401
from app.store.base import Base

__all__ = ["Base"]
