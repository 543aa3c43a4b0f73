"""The one MetaData every table belongs to, with a naming convention for constraints."""

from __future__ import annotations

import sqlalchemy as sa

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def version_column() -> sa.Column[int]:
    """The optimistic-lock column: every UPDATE sets ``version = version + 1`` where it
    still equals the version that was read; zero rows updated means a Conflict."""
    return sa.Column("version", sa.Integer, nullable=False, server_default="1")
