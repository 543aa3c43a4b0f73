"""Secret files: generated once, created with mode 0600, never printed or logged."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from hansa.kernel.errors import ConfigurationError
from hansa.settings import Settings

JWT_KEY_FILE = "jwt.key"
FIELD_KEYRING_FILE = "field-keys.json"


def write_private(path: Path, content: str) -> None:
    """Create *path* readable by its owner only; an existing file is not overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


def replace_private(path: Path, content: str) -> None:
    """Atomically replace *path* with *content*, mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    os.replace(tmp, path)


def ensure_secrets(settings: Settings) -> list[Path]:
    """Generate the JWT key and the field-encryption keyring if missing; returns the
    files created."""
    created = []
    jwt_path = settings.secrets_dir / JWT_KEY_FILE
    if settings.auth_jwt_secret is None and not jwt_path.exists():
        write_private(jwt_path, secrets.token_urlsafe(48))
        created.append(jwt_path)
    keyring_path = settings.secrets_dir / FIELD_KEYRING_FILE
    if not keyring_path.exists():
        key_id = "k1"
        keyring = {
            "active": key_id,
            "keys": {key_id: base64.b64encode(secrets.token_bytes(32)).decode()},
        }
        write_private(keyring_path, json.dumps(keyring))
        created.append(keyring_path)
    return created


def jwt_secret(settings: Settings) -> str:
    """The JWT signing key: from the settings if given, else the generated key file."""
    if settings.auth_jwt_secret is not None:
        return settings.auth_jwt_secret.get_secret_value()
    path = settings.secrets_dir / JWT_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        raise ConfigurationError(
            f"no JWT key at {path}; run 'hansa init' or set HANSA_JWT_SECRET",
            code="config.no_jwt_key",
        ) from None
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read {path}: {exc.strerror}", code="config.no_jwt_key"
        ) from None


def field_keyring(settings: Settings) -> str:
    """The field-encryption keyring file's text (JSON: the active key id and the keys)."""
    path = settings.secrets_dir / FIELD_KEYRING_FILE
    try:
        return path.read_text()
    except FileNotFoundError:
        raise ConfigurationError(
            f"no field-encryption keyring at {path}; run 'hansa init'",
            code="config.no_field_keyring",
        ) from None
    except OSError as exc:
        raise ConfigurationError(
            f"cannot read {path}: {exc.strerror}", code="config.no_field_keyring"
        ) from None


def store_field_keyring(settings: Settings, content: str) -> None:
    """Replace the keyring file atomically (0600): a rotation adds a key, never drops one."""
    replace_private(settings.secrets_dir / FIELD_KEYRING_FILE, content)
