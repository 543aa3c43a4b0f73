"""Migrations on an empty database: status, upgrade, downgrade, schema checks, drift."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from hansa.db import migrate
from hansa.db.engine import create_engine
from hansa.kernel.errors import ConfigurationError, InvalidInput, Unavailable
from hansa.schema import metadata

HANSA_TABLES = set(metadata.tables)

NEXT_RELEASE_MIGRATION = '''
"""a later release adds a table"""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("next_release_notes", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("next_release_notes")
'''


@pytest.fixture
def empty_engine(empty_db_url: str) -> Iterator[Engine]:
    engine = create_engine(empty_db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def next_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This code base plus one more migration, as a newer Hansa would ship it; yields the
    head of the migrations shipped today."""
    shipped_head = migrate.head()
    directory = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__pycache__"))
    (directory / "versions" / "9001_next_release.py").write_text(
        textwrap.dedent(NEXT_RELEASE_MIGRATION).format(head=shipped_head)
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", directory)
    monkeypatch.setattr(migrate, "HEAD", "9001")
    migrate._script.cache_clear()
    yield shipped_head
    monkeypatch.undo()
    migrate._script.cache_clear()


def tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names()) - {"alembic_version"}


def test_the_declared_head_is_the_last_migration_alembic_finds() -> None:
    assert migrate.head() == migrate.alembic_head() == migrate.history()[-1]


def test_an_empty_database_has_every_migration_pending(empty_engine: Engine) -> None:
    state = migrate.status(empty_engine)
    assert state.current is None
    assert state.pending == migrate.history()
    assert state.head == migrate.history()[-1]
    assert not state.is_current


def test_upgrade_creates_the_schema_and_downgrade_removes_it_again(empty_engine: Engine) -> None:
    state = migrate.upgrade(empty_engine)
    assert state.is_current
    assert state.current == migrate.head()
    assert state.pending == []
    assert tables(empty_engine) == HANSA_TABLES

    state = migrate.downgrade(empty_engine, steps=len(migrate.history()))
    assert state.current is None
    assert state.pending == migrate.history()
    assert tables(empty_engine) == set()

    state = migrate.upgrade(empty_engine)
    assert state.is_current
    assert tables(empty_engine) == HANSA_TABLES


def test_upgrading_a_current_database_changes_nothing(empty_engine: Engine) -> None:
    first = migrate.upgrade(empty_engine)
    assert migrate.upgrade(empty_engine) == first


def test_the_migrated_schema_matches_the_table_definitions(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        drift = compare_metadata(context, metadata)
    assert drift == []


def test_the_audit_log_is_append_only_right_after_migrating(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id,"
                " request_id, prev_hash, hash) VALUES (1, '2026-01-01 00:00:00', 'system',"
                " 'test.write', 'test', '1', 'r', :zero, :zero)"
            ),
            {"zero": "0" * 64},
        )
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), empty_engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log"))


def test_ensure_current_refuses_a_database_without_a_schema(empty_engine: Engine) -> None:
    with pytest.raises(ConfigurationError) as caught:
        migrate.ensure_current(empty_engine)
    assert caught.value.code == "db.not_initialised"
    assert "hansa init" in caught.value.message


def test_ensure_current_accepts_a_database_at_head(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.ensure_current(empty_engine)


def test_ensure_current_refuses_a_schema_behind_a_newer_release(
    empty_engine: Engine, next_release: str
) -> None:
    state = migrate.upgrade(empty_engine, steps=len(migrate.history()) - 1)
    assert state.current == next_release
    assert state.pending == ["9001"]
    with pytest.raises(ConfigurationError) as caught:
        migrate.ensure_current(empty_engine)
    assert caught.value.code == "db.schema_behind"
    assert "1 migration(s) behind" in caught.value.message
    assert "hansa migrate up" in caught.value.message

    assert migrate.upgrade(empty_engine).current == "9001"
    migrate.ensure_current(empty_engine)
    assert "next_release_notes" in tables(empty_engine)

    assert migrate.downgrade(empty_engine, steps=1).current == next_release
    assert tables(empty_engine) == HANSA_TABLES


def test_a_database_from_a_newer_hansa_is_refused(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(ConfigurationError) as caught:
        migrate.status(empty_engine)
    assert caught.value.code == "db.unknown_revision"
    assert "ffff" in caught.value.message


@pytest.mark.parametrize("steps", [0, -1])
def test_migration_steps_must_be_positive(empty_engine: Engine, steps: int) -> None:
    for move in (migrate.upgrade, migrate.downgrade):
        with pytest.raises(InvalidInput) as caught:
            move(empty_engine, steps)
        assert caught.value.code == "migrate.bad_steps"
    assert migrate.status(empty_engine).current is None


def test_status_of_an_unreachable_database_is_unavailable() -> None:
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/hansa")
    with pytest.raises(Unavailable) as caught:
        migrate.status(engine)
    assert caught.value.code == "db.unavailable"
