"""The composition root both interfaces share: settings -> engine -> units of work."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy.engine import Engine

from hansa.db import migrate
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.identity import AuthConfig
from hansa.secretfiles import jwt_secret
from hansa.settings import Settings


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._schema_checked = False

    @property
    def database_url(self) -> str:
        return self.settings.resolved_database_url

    @cached_property
    def engine(self) -> Engine:
        return create_engine(self.database_url, pool_size=self.settings.database_pool_size)

    @cached_property
    def auth(self) -> AuthConfig:
        s = self.settings
        return AuthConfig(
            jwt_secret=jwt_secret(s),
            access_token_minutes=s.auth_access_token_minutes,
            refresh_token_days=s.auth_refresh_token_days,
            lockout_threshold=s.auth_lockout_threshold,
            lockout_minutes=s.auth_lockout_minutes,
            password_min_length=s.auth_password_min_length,
            argon2_time_cost=s.auth_argon2_time_cost,
            argon2_memory_kib=s.auth_argon2_memory_kib,
        )

    def ensure_schema(self) -> None:
        """Refuse to work on a schema that is behind (checked once per process)."""
        if not self._schema_checked:
            migrate.ensure_current(self.engine)
            self._schema_checked = True

    def uow(self, *, readonly: bool = False) -> UnitOfWork:
        self.ensure_schema()
        return UnitOfWork(self.engine, readonly=readonly)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
