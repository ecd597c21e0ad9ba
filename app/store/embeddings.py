"""The embedding cache in the database: vectors keyed by model and text hash."""

from __future__ import annotations

import numpy as np
from sqlalchemy import insert, select
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
        items = sorted(vectors.items())
        with self._sessions() as session, session.begin():
            known = set()
            for first in range(0, len(items), CHUNK):
                chunk = [h for h, _ in items[first : first + CHUNK]]
                known.update(
                    session.scalars(
                        select(Embedding.text_hash).where(
                            Embedding.model == model, Embedding.text_hash.in_(chunk)
                        )
                    )
                )
            rows = [
                {"model": model, "text_hash": h, "vector": np.asarray(v, np.float32).tobytes()}
                for h, v in items
                if h not in known
            ]
            if rows:
                # One multi-row INSERT per batch, not one ORM object per vector.
                session.execute(insert(Embedding), rows)
