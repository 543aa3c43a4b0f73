"""Autogenerate the next Alembic revision from the table definitions (development only).

    .venv/bin/python scripts/new_migration.py "ledger: accounts and entries"

It builds a scratch SQLite database at the current head, compares it with
``hansa.schema.metadata`` and writes ``NNNN_<message>.py``; review it, add triggers with
``hansa.db.ddl``, then run the test suite (it checks both engines for drift).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from hansa.db import migrate
from hansa.db.engine import create_engine


def main(message: str) -> None:
    number = f"{len(migrate.history()) + 1:04d}"
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        migrate.upgrade(engine)
        with engine.begin() as conn:
            command.revision(migrate._config(conn), message=message, autogenerate=True,
                             rev_id=number)
        engine.dispose()
    print(f"wrote src/hansa/db/migrations/versions/{number}_*.py (alembic shortens the slug)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
