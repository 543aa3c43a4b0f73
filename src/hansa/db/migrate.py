"""Schema migrations: Alembic, one linear history shipped inside the package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from hansa.db.uow import translate
from hansa.kernel.errors import ConfigurationError, InvalidInput

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config(conn: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    revision = _script().get_current_head()
    assert revision is not None
    return revision


def history() -> list[str]:
    """Revision ids from the first to the head."""
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


def current(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class Status:
    current: str | None
    head: str
    pending: list[str]

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def status(engine: Engine) -> Status:
    try:
        with engine.connect() as conn:
            now = current(conn)
    except sa.exc.DBAPIError as exc:
        raise translate(exc) from None
    revisions = history()
    done = revisions.index(now) + 1 if now in revisions else 0
    if now is not None and now not in revisions:
        raise ConfigurationError(
            f"the database is at revision {now}, which this version of Hansa does not know; "
            "upgrade Hansa",
            code="db.unknown_revision",
        )
    return Status(now, head(), revisions[done:])


def upgrade(engine: Engine, steps: int | None = None) -> Status:
    before = status(engine)
    if steps is not None and steps < 1:
        raise InvalidInput("--steps must be at least 1", code="migrate.bad_steps")
    target = "head" if steps is None else f"+{min(steps, len(before.pending))}"
    if before.pending:
        _run(engine, lambda cfg: command.upgrade(cfg, target))
    return status(engine)


def downgrade(engine: Engine, steps: int = 1) -> Status:
    if steps < 1:
        raise InvalidInput("--steps must be at least 1", code="migrate.bad_steps")
    before = status(engine)
    done = len(history()) - len(before.pending)
    target = "base" if steps >= done else f"-{steps}"
    if done:
        _run(engine, lambda cfg: command.downgrade(cfg, target))
    return status(engine)


def _run(engine: Engine, action: object) -> None:
    try:
        with engine.begin() as conn:
            action(_config(conn))  # type: ignore[operator]
    except sa.exc.DBAPIError as exc:
        raise translate(exc) from None


def ensure_current(engine: Engine) -> None:
    """Refuse to run against a schema that is behind (or was never created)."""
    state = status(engine)
    if state.current is None:
        raise ConfigurationError(
            "this database has no Hansa schema yet; run 'hansa init' (or 'hansa migrate up')",
            code="db.not_initialised",
        )
    if not state.is_current:
        raise ConfigurationError(
            f"the database schema is {len(state.pending)} migration(s) behind "
            f"({state.current} < {state.head}); run 'hansa migrate up'",
            code="db.schema_behind",
        )
