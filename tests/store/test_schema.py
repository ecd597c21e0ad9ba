"""The schema comes from the migrations, matches the models, and is checked before use."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.store import Base, db


def test_migrations_build_the_schema_the_models_describe(database_url):
    engine = db.make_engine(database_url)

    def on_this_backend(item, name, type_, reflected, compare_to) -> bool:
        # An index the models keep for one backend only (``info["dialects"]``).
        dialects = getattr(item, "info", {}).get("dialects")
        return dialects is None or engine.dialect.name in dialects

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": on_this_backend})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_migrated_database_passes_the_schema_check(database_url):
    engine = db.make_engine(database_url)
    db.check_schema(engine)
    engine.dispose()


def test_an_empty_database_is_refused_with_the_command_to_run(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(db.SchemaOutdated, match="run `alinea db upgrade`"):
        db.check_schema(engine)
    engine.dispose()


def test_a_database_behind_the_head_revision_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db.upgrade(url)
    db.downgrade(url, "base")
    engine = db.make_engine(url)
    with pytest.raises(db.SchemaOutdated, match="alinea db upgrade"):
        db.check_schema(engine)
    engine.dispose()
