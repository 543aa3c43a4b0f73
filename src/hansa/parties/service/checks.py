"""The integrity checks of parties and CRM, run by ``hansa check``."""

from __future__ import annotations

import re

import sqlalchemy as sa

from hansa.kernel.checks import Problem, register
from hansa.parties.tables import ENCRYPTED, name_words, parties

_SEALED = re.compile(r"k\d+:[A-Za-z0-9+/]+={0,2}")


@register("parties.name_index_current", "every active party's name words are indexed, no more")
def check_name_index(conn: sa.Connection) -> list[Problem]:
    stored = {
        (r.party_id, r.word, r.search_name, r.is_customer, r.is_vendor)
        for r in conn.execute(sa.select(name_words))
    }
    query = sa.select(
        parties.c.id, parties.c.search_name, parties.c.is_customer, parties.c.is_vendor
    ).where(parties.c.active.is_(True))
    expected = {
        (r.id, word[:100], r.search_name, r.is_customer, r.is_vendor)
        for r in conn.execute(query)
        for word in r.search_name.split()
    }
    wrong = sorted({row[0] for row in stored ^ expected})
    return [
        Problem("parties.name_index_current", f"party {pid}: name words out of date", str(pid))
        for pid in wrong[:100]
    ]


@register("parties.personal_data_sealed", "every personal data value is stored encrypted")
def check_sealed(conn: sa.Connection) -> list[Problem]:
    problems = []
    for table, columns in ENCRYPTED.items():
        pk = next(iter(table.primary_key.columns))
        for column in columns:
            query = sa.select(pk, table.c[column]).where(table.c[column].is_not(None))
            problems += [
                Problem(
                    "parties.personal_data_sealed",
                    f"{table.name}.{column} of row {row_id} is not encrypted",
                    f"{table.name}:{row_id}",
                )
                for row_id, value in conn.execute(query)
                if not _SEALED.fullmatch(value)
            ]
    return problems[:100]
