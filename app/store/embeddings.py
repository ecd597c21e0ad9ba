"""The embedding cache in the database: vectors keyed by model and text hash."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.store.models import Embedding

CHUNK = 500  # hashes per query, well under every backend's limit on bound parameters


class StoreEmbeddingCache:
    """``app.align.embed.EmbeddingCache`` on the ``embeddings`` table.

    Reads and writes use their own short transactions, so a cache write never holds
    locks while the aligner works, and a failed alignment still keeps its embeddings.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._sessions() as session:
            for first in range(0, len(hashes), CHUNK):
                rows = session.execute(
                    select(Embedding.text_hash, Embedding.vector).where(
                        Embedding.model == model,
                        Embedding.text_hash.in_(hashes[first : first + CHUNK]),
                    )
                )
                found.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
        return found

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        rows = [
            {"model": model, "text_hash": h, "vector": np.asarray(v, np.float32).tobytes()}
            for h, v in sorted(vectors.items())
        ]
        if not rows:
            return
        with self._sessions() as session, session.begin():
            # Two alignments that share a text (one original, two translations) embed it
            # at the same time; whichever stores second keeps the vectors already there.
            # One executemany of plain rows, not one ORM object per vector.
            session.execute(_insert_new(session.get_bind().dialect.name), rows)


def _insert_new(dialect: str):
    """An INSERT into ``embeddings`` that skips the (model, text hash) pairs already stored."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        raise NotImplementedError(f"no embedding cache for the {dialect} database")
    return dialect_insert(Embedding).on_conflict_do_nothing(
        index_elements=[Embedding.model, Embedding.text_hash]
    )
