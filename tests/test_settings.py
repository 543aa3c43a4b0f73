"""Settings precedence: defaults, then the TOML file, then environment, then options."""

from __future__ import annotations

from pathlib import Path

import pytest

from hansa.kernel.errors import ConfigurationError
from hansa.settings import field_to_key, key_to_field, load_settings


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("HANSA_CONFIG", str(path))
    monkeypatch.setenv("HANSA_HOME", str(tmp_path / "home"))
    for name in (
        "HANSA_DATABASE_URL",
        "DATABASE_URL",
        "HANSA_LOG_LEVEL",
        "LOG_LEVEL",
        "ERP_CONFIG_PATH",
        "JWT_SECRET",
        "HANSA_API_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    return path


def test_the_embedded_default_is_an_sqlite_file_in_the_data_directory(
    config_file: Path, tmp_path: Path
) -> None:
    settings = load_settings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'home' / 'hansa.db'}"


def test_file_then_environment_then_options(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text('[log]\nlevel = "ERROR"\n[api]\nport = 9000\n')
    assert load_settings().log_level == "ERROR"
    assert load_settings().api_port == 9000
    monkeypatch.setenv("HANSA_LOG_LEVEL", "INFO")
    assert load_settings().log_level == "INFO"
    assert load_settings(log_level="DEBUG").log_level == "DEBUG"


@pytest.mark.parametrize(
    ("alias", "field", "value"),
    [
        ("DATABASE_URL", "database_url", "postgresql+psycopg://u@h/db"),
        ("REDIS_URL", "redis_url", "redis://cache:6379/1"),
        ("LOG_LEVEL", "log_level", "DEBUG"),
    ],
)
def test_the_familiar_environment_names_are_honoured(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, alias: str, field: str, value: str
) -> None:
    monkeypatch.setenv(alias, value)
    assert getattr(load_settings(), field) == value


def test_jwt_secret_alias_is_kept_secret(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWT_SECRET", "s" * 40)
    settings = load_settings()
    assert settings.auth_jwt_secret is not None
    assert settings.auth_jwt_secret.get_secret_value() == "s" * 40
    assert "s" * 40 not in repr(settings)


def test_erp_config_path_moves_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANSA_CONFIG", raising=False)
    other = tmp_path / "elsewhere.toml"
    other.write_text("[api]\nport = 8123\n")
    monkeypatch.setenv("ERP_CONFIG_PATH", str(other))
    assert load_settings().api_port == 8123


def test_a_bad_value_names_the_setting(config_file: Path) -> None:
    config_file.write_text("[api]\nport = 70000\n")
    with pytest.raises(ConfigurationError, match=r"api\.port") as caught:
        load_settings()
    assert caught.value.code == "config.invalid"


def test_an_unknown_key_in_the_file_is_refused(config_file: Path) -> None:
    config_file.write_text("[database]\nulr = 'typo'\n")
    with pytest.raises(ConfigurationError, match=r"database\.ulr") as caught:
        load_settings()
    assert caught.value.code == "config.unknown_key"


def test_a_malformed_file_is_a_configuration_error(config_file: Path) -> None:
    config_file.write_text("[database\n")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert caught.value.code == "config.unreadable"


def test_keys_and_fields_map_both_ways() -> None:
    assert key_to_field("database.url") == "database_url"
    assert field_to_key("auth_lockout_minutes") == "auth.lockout_minutes"
    assert field_to_key("home") == "home"
