"""The composition root both interfaces share: settings -> engine -> units of work."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from hansa.db import migrate
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.identity import AuthConfig
from hansa.secretfiles import ensure_secrets, field_keyring, jwt_secret, store_field_keyring
from hansa.settings import Settings

if TYPE_CHECKING:  # the parties package loads when personal data is first needed
    from hansa.parties import Keyring


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
        return AuthConfig.from_settings(self.settings, jwt_secret(self.settings))

    @cached_property
    def field_keys(self) -> Keyring:
        """The keys that encrypt personal data fields (the keyring file)."""
        from hansa.parties import Keyring

        return Keyring.from_json(field_keyring(self.settings))

    def rotate_field_keys(self) -> tuple[Keyring, Keyring]:
        """Add a new active field key to the keyring file; the keyrings before and after.
        The file is written first, so values re-encrypted afterwards never name a key
        that is not on disk."""
        from hansa.parties import Keyring

        before = Keyring.from_json(field_keyring(self.settings))
        after = before.rotated()
        store_field_keyring(self.settings, after.to_json())
        self.__dict__["field_keys"] = after
        return before, after

    def initialise(self) -> list[Path]:
        """Make this installation usable: generate missing secrets (0600) and bring the
        schema to the newest migration. Returns the secret files it created."""
        created = ensure_secrets(self.settings)
        migrate.upgrade(self.engine)
        return created

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
