"""The field keyring: encryption round trip, rotation, refusals; concurrent numbering."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hansa import parties
from hansa.kernel.actor import SYSTEM
from tests.parties.support import Uows

KEYS = parties.Keyring.generate()


@given(st.text(max_size=200))
def test_every_text_round_trips_and_never_shows_in_its_ciphertext(text: str) -> None:
    sealed = KEYS.encrypt(text)

    assert KEYS.decrypt(sealed) == text
    assert sealed.startswith("k1:")
    assert len(text) < 4 or text not in sealed.partition(":")[2]


def test_the_same_value_encrypts_differently_but_hashes_the_same() -> None:
    assert KEYS.encrypt("ada@example.com") != KEYS.encrypt("ada@example.com")
    assert KEYS.blind_index("email", "ada@example.com") == KEYS.blind_index(
        "email", "ada@example.com"
    )
    assert KEYS.blind_index("email", "x") != KEYS.blind_index("phone", "x")


def test_rotation_keeps_old_keys_and_the_search_hash() -> None:
    rotated = KEYS.rotated().rotated()
    old = KEYS.encrypt("old value")

    assert rotated.active == "k3"
    assert sorted(rotated.keys) == ["k1", "k2", "k3"]
    assert rotated.decrypt(old) == "old value"
    assert rotated.blind_index("email", "a@b.c") == KEYS.blind_index("email", "a@b.c")
    assert parties.Keyring.from_json(rotated.to_json()) == rotated


@pytest.mark.parametrize(
    "text",
    ["not json", json.dumps({"keys": {}}), json.dumps({"active": "k9", "keys": {}})],
)
def test_a_malformed_keyring_is_refused_with_its_code(text: str) -> None:
    with pytest.raises(parties.KeyringProblem) as refused:
        parties.Keyring.from_json(text)
    assert refused.value.code == "parties.keyring"


def test_a_tampered_or_foreign_value_is_refused() -> None:
    sealed = KEYS.encrypt("secret")
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")

    with pytest.raises(parties.KeyringProblem):
        KEYS.decrypt(tampered)
    with pytest.raises(parties.KeyringProblem):
        parties.Keyring.generate().decrypt(sealed)


def test_concurrent_additions_get_distinct_gapless_codes(uow_factory: Uows) -> None:
    def add(n: int) -> str:
        return parties.add_party(
            uow_factory(), SYSTEM, parties.Keyring.generate(), name=f"P{n}"
        ).code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = sorted(pool.map(add, range(12)))

    assert codes == [f"C{n:05d}" for n in range(1, 13)]
