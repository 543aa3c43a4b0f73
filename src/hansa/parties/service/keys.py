"""Key rotation: re-encrypt every personal data value with the new active key."""

from __future__ import annotations

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel.actor import Actor
from hansa.parties.domain.crypto import Keyring
from hansa.parties.repository import parties as repo
from hansa.parties.tables import ENCRYPTED

ROTATE = "parties.keys.rotate"


def require_rotation(actor: Actor) -> None:
    """Check the permission before the interface writes a new key to the keyring file."""
    actor.require(ROTATE)


@use_case
def reencrypt_fields(uow: UnitOfWork, actor: Actor, keys: Keyring) -> int:
    """Re-encrypt, in one transaction, every stored value not yet under the active key
    of *keys* (which must still hold the old keys); returns how many were re-encrypted.
    Keyed hashes do not depend on the active key, so search keeps working throughout."""
    actor.require(ROTATE)
    count = 0
    with uow:
        for table, columns in ENCRYPTED.items():
            for row in repo.all_rows(uow.conn, table):
                values = {
                    c: keys.encrypt(keys.decrypt(row._mapping[c]))
                    for c in columns
                    if row._mapping[c] and keys.key_id_of(row._mapping[c]) != keys.active
                }
                if values:
                    repo.update_by_id(uow.conn, table, row.id, values)
                    count += len(values)
        audit.record(
            uow, actor, "parties.keys.rotate", "field_keyring", keys.active, after={"values": count}
        )
        uow.commit()
    return count
