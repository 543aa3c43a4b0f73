"""The CLI's cached login: one entry per database, in a file only its owner can read."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from hansa.secretfiles import replace_private

FILE_NAME = "credentials.json"


def _key(database_url: str) -> str:
    return hashlib.sha256(database_url.encode()).hexdigest()[:32]


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(home: Path, database_url: str) -> dict[str, str] | None:
    entry = _read(home / FILE_NAME).get(_key(database_url))
    return entry if isinstance(entry, dict) else None


def store(home: Path, database_url: str, entry: dict[str, str]) -> None:
    path = home / FILE_NAME
    data = _read(path)
    data[_key(database_url)] = entry
    replace_private(path, json.dumps(data))


def forget(home: Path, database_url: str) -> bool:
    path = home / FILE_NAME
    data = _read(path)
    if data.pop(_key(database_url), None) is None:
        return False
    replace_private(path, json.dumps(data))
    return True
