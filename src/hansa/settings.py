"""Settings: defaults, then the TOML file, then environment variables, then options.

The TOML file groups keys in sections (``[database] url = "..."``); the dotted key
``database.url`` names the same setting as the field ``database_url`` and the
environment variable ``HANSA_DATABASE_URL``. ``DATABASE_URL``, ``REDIS_URL``,
``JWT_SECRET``, ``LOG_LEVEL`` and ``ERP_CONFIG_PATH`` are honoured as aliases.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from hansa.kernel.errors import ConfigurationError, HansaError, InvalidInput

SECRET_KEYS = frozenset({"auth.jwt_secret"})


def default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hansa"


def config_path() -> Path:
    """Where the TOML settings file lives (``HANSA_CONFIG`` or ``ERP_CONFIG_PATH``)."""
    explicit = os.environ.get("HANSA_CONFIG") or os.environ.get("ERP_CONFIG_PATH")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "hansa" / "config.toml"


def _env(name: str, *aliases: str) -> AliasChoices:
    return AliasChoices(name, f"HANSA_{name.upper()}", *aliases)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="forbid", validate_default=True, case_sensitive=True)

    home: Path = Field(
        default_factory=default_home,
        validation_alias=_env("home"),
        description="Data directory: the embedded database, secrets and cached logins",
    )
    database_url: str = Field(
        default="",
        validation_alias=_env("database_url", "DATABASE_URL"),
        description="SQLAlchemy URL; empty means the SQLite file <home>/hansa.db",
    )
    database_pool_size: int = Field(
        default=10, ge=1, le=200, validation_alias=_env("database_pool_size")
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0", validation_alias=_env("redis_url", "REDIS_URL")
    )
    log_level: str = Field(
        default="WARNING",
        validation_alias=_env("log_level", "LOG_LEVEL"),
        pattern="^(?i:debug|info|warning|error|critical)$",
    )
    log_format: str = Field(
        default="auto", validation_alias=_env("log_format"), pattern="^(auto|json|console)$"
    )
    auth_jwt_secret: SecretStr | None = Field(
        default=None,
        min_length=32,
        validation_alias=_env("auth_jwt_secret", "HANSA_JWT_SECRET", "JWT_SECRET"),
        description="JWT signing key (32+ characters); by default a key file made at init",
    )
    auth_access_token_minutes: int = Field(
        default=15, ge=1, le=1440, validation_alias=_env("auth_access_token_minutes")
    )
    auth_refresh_token_days: int = Field(
        default=14, ge=1, le=365, validation_alias=_env("auth_refresh_token_days")
    )
    auth_lockout_threshold: int = Field(
        default=5, ge=1, le=100, validation_alias=_env("auth_lockout_threshold")
    )
    auth_lockout_minutes: int = Field(
        default=15, ge=1, le=10080, validation_alias=_env("auth_lockout_minutes")
    )
    auth_password_min_length: int = Field(
        default=10, ge=8, le=128, validation_alias=_env("auth_password_min_length")
    )
    auth_argon2_time_cost: int = Field(
        default=3, ge=1, le=20, validation_alias=_env("auth_argon2_time_cost")
    )
    auth_argon2_memory_kib: int = Field(
        default=65536, ge=1024, le=4194304, validation_alias=_env("auth_argon2_memory_kib")
    )
    api_host: str = Field(default="127.0.0.1", validation_alias=_env("api_host"))
    api_port: int = Field(default=8000, ge=1, le=65535, validation_alias=_env("api_port"))
    api_workers: int = Field(default=1, ge=1, le=64, validation_alias=_env("api_workers"))

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Earlier sources win: options, then environment, then the TOML file.
        return (init_settings, env_settings, TomlSource(settings_cls))

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'hansa.db'}"

    @property
    def shown_database_url(self) -> str:
        """The database URL with any password masked, for display."""
        return masked_url(self.resolved_database_url)

    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"


def masked_url(url: str) -> str:
    """*url* with its password replaced by ``***``.

    >>> masked_url("postgresql+psycopg://hansa:s3cret@db/acme")
    'postgresql+psycopg://hansa:***@db/acme'
    """
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"


def key_to_field(key: str, error: type[HansaError] = InvalidInput) -> str:
    """``database.url`` -> ``database_url``; unknown keys are refused."""
    name = key.replace(".", "_").replace("-", "_")
    if name not in Settings.model_fields:
        raise error(f"unknown setting {key!r}", code="config.unknown_key")
    return name


def field_to_key(name: str) -> str:
    section, _, rest = name.partition("_")
    return f"{section}.{rest}" if rest else section


def read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(
            f"cannot read settings file {path}: {exc}", code="config.unreadable"
        ) from None


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(flatten(value, dotted))
        else:
            flat[dotted] = value
    return flat


class TomlSource(PydanticBaseSettingsSource):
    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return {
            key_to_field(k, ConfigurationError): v
            for k, v in flatten(read_toml(config_path())).items()
        }


def load_settings(**overrides: Any) -> Settings:
    """Build the settings; a bad value is a ConfigurationError naming the setting."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        if where in Settings.model_fields:
            where = field_to_key(where)
        raise ConfigurationError(
            f"invalid setting {where}: {first['msg']}", code="config.invalid"
        ) from None
