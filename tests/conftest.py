"""Test fixtures: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL is found at ``HANSA_TEST_PG_URL`` (default: the local server, user postgres).
Each test session (each xdist worker) creates its own database and drops it at the end.
When the server is down, PostgreSQL tests are skipped with a loud reason on a developer
machine and the run fails in CI (``CI=true``) or with ``HANSA_REQUIRE_PG=1``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hansa.db import migrate
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.schema import metadata

PG_ADMIN_URL = os.environ.get(
    "HANSA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = (
    os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    or os.environ.get("HANSA_REQUIRE_PG") == "1"
)

# Cheap password hashing in tests only (the production default is argon2id t=3, 64 MiB).
os.environ.setdefault("HANSA_AUTH_ARGON2_TIME_COST", "1")
os.environ.setdefault("HANSA_AUTH_ARGON2_MEMORY_KIB", "1024")
for _alias in ("DATABASE_URL", "JWT_SECRET", "ERP_CONFIG_PATH", "HANSA_DATABASE_URL"):
    os.environ.pop(_alias, None)


def _admin_engine() -> Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


def _pg_problem() -> str | None:
    try:
        with _admin_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as exc:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {str(exc.orig).splitlines()[0]}"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Long tests first (the docs' worked examples take minutes each), so pytest-xdist
    # hands them to different workers early instead of one worker ending the run alone.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_PG and not hasattr(session.config, "workerinput"):
        problem = _pg_problem()
        if problem:
            pytest.exit(
                f"{problem} — PostgreSQL is required in CI; start it and re-run", returncode=3
            )


class PgServer:
    """Creates and drops databases on the test server."""

    def __init__(self, worker: str) -> None:
        self.prefix = f"hansa_test_{worker}_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []

    def create(self, suffix: str = "") -> str:
        name = f"{self.prefix}{suffix}"
        with _admin_engine().connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with _admin_engine().connect() as conn:
            for name in self.created:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_server(worker_id: str) -> Iterator[PgServer]:
    problem = _pg_problem()
    if problem:
        if REQUIRE_PG:
            pytest.fail(f"{problem} — PostgreSQL tests are required here (CI)", pytrace=False)
        pytest.skip(f"{problem} — PostgreSQL tests SKIPPED")
    server = PgServer(worker_id)
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def worker_id(request: pytest.FixtureRequest) -> str:
    return str(getattr(request.config, "workerinput", {}).get("workerid", "main"))


@pytest.fixture(scope="session")
def pg_migrated_url(pg_server: PgServer) -> str:
    url = pg_server.create("_main")
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hansa.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


def _truncate_all(url: str) -> None:
    engine = sa.create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        # Append-only tables refuse TRUNCATE by trigger; the test server's superuser
        # may switch triggers off for this session's cleanup.
        conn.execute(sa.text("SET session_replication_role = replica"))
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database of the test's backend."""
    if backend == "sqlite":
        target = tmp_path / "hansa.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    url = str(request.getfixturevalue("pg_migrated_url"))
    _truncate_all(url)
    return url


@pytest.fixture
def empty_db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database of the test's backend with no schema at all."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create(f"_{uuid.uuid4().hex[:6]}")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = create_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> Callable[..., UnitOfWork]:
    def make(readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(engine, readonly=readonly)

    return make


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated data directory and settings file for CLI and API tests."""
    data = tmp_path / "home"
    monkeypatch.setenv("HANSA_HOME", str(data))
    monkeypatch.setenv("HANSA_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("HANSA_USER", raising=False)
    monkeypatch.delenv("HANSA_PASSWORD", raising=False)
    return data
