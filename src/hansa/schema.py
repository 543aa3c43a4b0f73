"""Every table of Hansa in one MetaData (for migrations and schema tests)."""

import hansa.audit.tables
import hansa.events.tables
import hansa.identity.tables
import hansa.inventory.tables
import hansa.inventory.tables.counting
import hansa.ledger.tables
import hansa.ledger.tables.matching
import hansa.ledger.tables.taxes
import hansa.parties.tables  # noqa: F401
from hansa.db.metadata import metadata

__all__ = ["metadata"]
