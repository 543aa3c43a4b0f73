"""Schema migrations: Alembic, one linear history shipped inside the package."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hansa.db.migrations import HEAD
from hansa.db.uow import translate
from hansa.kernel.errors import ConfigurationError, InvalidInput

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = sa.table("alembic_version", sa.column("version_num", sa.String))


def _config(conn: sa.Connection | None = None) -> Config:
    from alembic.config import Config  # Alembic loads slowly; only migrations need it.

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    return config


@cache
def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision (``HEAD`` in the migrations package; a test keeps it equal to
    what Alembic finds, so commands need not load Alembic just to check the schema)."""
    return HEAD


def alembic_head() -> str | None:
    return _script().get_current_head()


def history() -> list[str]:
    """Revision ids from the first to the head."""
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


def current(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.select(VERSION_TABLE.c.version_num)).scalar_one_or_none()


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
    if now == HEAD:
        return Status(now, HEAD, [])
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
        _run(engine, lambda cfg: _command().upgrade(cfg, target))
    return status(engine)


def downgrade(engine: Engine, steps: int = 1) -> Status:
    if steps < 1:
        raise InvalidInput("--steps must be at least 1", code="migrate.bad_steps")
    before = status(engine)
    done = len(history()) - len(before.pending)
    target = "base" if steps >= done else f"-{steps}"
    if done:
        _run(engine, lambda cfg: _command().downgrade(cfg, target))
    return status(engine)


def _command() -> Any:
    from alembic import command

    return command


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
