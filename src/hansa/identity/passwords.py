"""Password hashing with argon2id.

Hashing is deliberately slow, so services call these functions outside a database
transaction. Verifying against a missing hash still does the work of one verification,
so an unknown user name takes as long to refuse as a wrong password.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from hansa.identity.domain import AuthConfig

_DUMMY_PASSWORD = "not a password of anyone"  # noqa: S105 - hashed only to spend time


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1, type=Type.ID)


def _for(cfg: AuthConfig) -> PasswordHasher:
    return _hasher(cfg.argon2_time_cost, cfg.argon2_memory_kib)


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return _hasher(time_cost, memory_kib).hash(_DUMMY_PASSWORD)


def hash_password(cfg: AuthConfig, password: str) -> str:
    return _for(cfg).hash(password)


def verify_password(cfg: AuthConfig, stored_hash: str | None, password: str) -> bool:
    """Whether *password* matches *stored_hash*; never raises for a bad or missing hash."""
    if stored_hash is None:
        _verify(_for(cfg), _dummy_hash(cfg.argon2_time_cost, cfg.argon2_memory_kib), password)
        return False
    return _verify(_for(cfg), stored_hash, password)


def _verify(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(cfg: AuthConfig, stored_hash: str) -> bool:
    """Whether *stored_hash* was made with other parameters than *cfg* asks for now."""
    try:
        return _for(cfg).check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True
