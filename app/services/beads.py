"""Writing an edit of beads with their QA flags kept current.

``app.store.beads.write_beads`` stores the edit and returns the pairs whose segments
changed; those are checked again here in the same transaction
(``app.services.qa.recheck``), so the stored flags always describe the pairs as they are.
Review use cases and the sentence level's cascade write beads through this.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.review.beads import Edit
from app.services.qa import recheck
from app.store import beads as store
from app.store import models


def write_beads(
    session: Session, alignment_id: int, edit: Edit, loaded: store.Loaded | None = None
) -> list[models.Bead]:
    """Replace the beads at the edit's positions (see ``app.store.beads.write_beads``) and
    check the reshaped ones again; returns them."""
    return write_edits(session, alignment_id, [edit], loaded)


def write_edits(
    session: Session, alignment_id: int, edits: list[Edit], loaded: store.Loaded | None = None
) -> list[models.Bead]:
    """Several edits of one alignment (each at positions the ones before it leave in
    place, as ``loaded`` read them), then one check of all the reshaped beads: the checks
    learn from the alignment as it is once every edit is in."""
    reshaped = [
        bead for edit in edits for bead in store.write_beads(session, alignment_id, edit, loaded)
    ]
    recheck(session, alignment_id, reshaped)
    return reshaped
