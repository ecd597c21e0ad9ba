"""The declarative base every table module maps onto, and the column types they share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import JSON, Float, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import DateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite hands back naive datetimes, all stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
# The largest id a row can have: PostgreSQL's ``integer`` (SQLite's are wider, but no id past
# this is ever made). Asking either database for a larger one is an error, not a miss.
MAX_ID = 2**31 - 1


def possible_id(value: int) -> bool:
    """Whether ``value`` could be the id of a stored row."""
    return 0 < value <= MAX_ID


created = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow)]


# Named constraints, so that later migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dict[str, Any]: JSON,
        datetime: DateTime(timezone=True),
        float: Float(),
    }
