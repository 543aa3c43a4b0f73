"""Field encryption: AES-256-GCM with a key id stored beside every value, and keyed
hashes (HMAC-SHA256) that let exact search work on encrypted fields.

A stored value reads ``k2:<base64(nonce || ciphertext+tag)>``; the key id says which
key of the keyring decrypts it, so keys can rotate while old values stay readable.
The hash key is derived from the keyring's first key and does not rotate, so a rotation
re-encrypts values but never breaks search while it runs.

>>> ring = Keyring.generate()
>>> ring.decrypt(ring.encrypt("ada@example.com"))
'ada@example.com'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hansa.parties.errors import KeyringProblem

NONCE_BYTES = 12
KEY_BYTES = 32
_INDEX_LABEL = b"hansa.parties.blind-index.v1"


@dataclass(frozen=True)
class Keyring:
    """Field keys by id and the id of the key new values are encrypted with."""

    keys: Mapping[str, bytes] = field(repr=False)
    active: str

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise KeyringProblem(f"the field keyring has no active key {self.active!r}")
        if any(len(k) != KEY_BYTES for k in self.keys.values()):
            raise KeyringProblem("field keys must be 32 bytes (AES-256)")

    @classmethod
    def generate(cls) -> Keyring:
        return cls({"k1": secrets.token_bytes(KEY_BYTES)}, "k1")

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        """Read the keyring file: ``{"active": "k1", "keys": {"k1": "<base64>"}}``."""
        try:
            data = json.loads(text)
            keys = {str(k): base64.b64decode(v) for k, v in data["keys"].items()}
            return cls(keys, str(data["active"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise KeyringProblem("the field keyring file is malformed") from None

    def to_json(self) -> str:
        keys = {k: base64.b64encode(v).decode() for k, v in self.keys.items()}
        return json.dumps({"active": self.active, "keys": keys})

    def rotated(self) -> Keyring:
        """A keyring with one more key (``k<n+1>``), which becomes the active one."""
        numbers = [int(k[1:]) for k in self.keys if k[1:].isdigit()]
        new_id = f"k{max(numbers, default=0) + 1}"
        return Keyring({**self.keys, new_id: secrets.token_bytes(KEY_BYTES)}, new_id)

    def encrypt(self, plaintext: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active]).encrypt(
            nonce, plaintext.encode(), self.active.encode()
        )
        return f"{self.active}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        key_id, _, payload = stored.partition(":")
        if key_id not in self.keys:
            raise KeyringProblem(f"the field keyring lacks key {key_id!r} needed to decrypt")
        raw = base64.b64decode(payload)
        try:
            plain = AESGCM(self.keys[key_id]).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], key_id.encode()
            )
        except InvalidTag:
            raise KeyringProblem(f"a value does not decrypt with key {key_id!r}") from None
        return plain.decode()

    def key_id_of(self, stored: str) -> str:
        return stored.partition(":")[0]

    def blind_index(self, kind: str, normalised: str) -> str:
        """HMAC-SHA256 of a normalised value, keyed per kind (email, phone, tax id)."""
        first = self.keys[min(self.keys, key=_key_order)]
        key = hmac.new(first, _INDEX_LABEL + b"/" + kind.encode(), hashlib.sha256).digest()
        return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def _key_order(key_id: str) -> tuple[int, str]:
    return (int(key_id[1:]) if key_id[1:].isdigit() else 1 << 30, key_id)
