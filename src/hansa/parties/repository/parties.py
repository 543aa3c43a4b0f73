"""Parties, their name words, tags and contacts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from hansa.db.uow import update_versioned
from hansa.parties.tables import contacts, name_words, parties, sequences, tags

SORTABLE = {"name": parties.c.search_name, "code": parties.c.code, "id": parties.c.id}


def next_number(conn: sa.Connection, prefix: str) -> int:
    """The next number of *prefix* (C, V): the counter row stays locked until commit, so
    concurrent additions queue instead of colliding."""
    insert = (sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert)(sequences)
    query = (
        insert.values(prefix=prefix, last_number=1)
        .on_conflict_do_update(
            index_elements=["prefix"], set_={"last_number": sequences.c.last_number + 1}
        )
        .returning(sequences.c.last_number)
    )
    return int(conn.execute(query).scalar_one())


def insert_parties(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert party rows; their ids in the same order."""
    query = parties.insert().returning(parties.c.id, sort_by_parameter_order=True)
    return [int(r.id) for r in conn.execute(query, list(rows))]


def reindex(conn: sa.Connection, party_ids: Iterable[int]) -> None:
    """Rebuild the name words of these parties from their stored search names: one row
    per word for an active party, none for an archived one."""
    ids = list(party_ids)
    conn.execute(name_words.delete().where(name_words.c.party_id.in_(ids)))
    query = sa.select(
        parties.c.id, parties.c.search_name, parties.c.is_customer, parties.c.is_vendor
    ).where(parties.c.id.in_(ids), parties.c.active.is_(True))
    rows = [
        {
            "party_id": r.id,
            "word": word,
            "search_name": r.search_name,
            "is_customer": r.is_customer,
            "is_vendor": r.is_vendor,
        }
        for r in conn.execute(query)
        for word in sorted({w[:100] for w in r.search_name.split()})
    ]
    if rows:
        conn.execute(name_words.insert(), rows)


def set_tags(conn: sa.Connection, party_tags: Mapping[int, Iterable[str]]) -> None:
    conn.execute(tags.delete().where(tags.c.party_id.in_(list(party_tags))))
    rows = [{"party_id": pid, "tag": t} for pid, ts in party_tags.items() for t in ts]
    if rows:
        conn.execute(tags.insert(), rows)


def tags_of(conn: sa.Connection, party_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    query = sa.select(tags).where(tags.c.party_id.in_(party_ids)).order_by(tags.c.tag)
    for r in conn.execute(query):
        found.setdefault(r.party_id, []).append(r.tag)
    return {pid: tuple(ts) for pid, ts in found.items()}


def find_row(conn: sa.Connection, key: str | int) -> sa.Row[Any] | None:
    """A party row by id (a number) or code (``C00001``)."""
    text = str(key).strip()
    where = parties.c.id == int(text) if text.isdigit() else parties.c.code == text.upper()
    return conn.execute(sa.select(parties).where(where)).first()


def rows_by_ids(conn: sa.Connection, ids: Sequence[int]) -> list[sa.Row[Any]]:
    query = sa.select(parties).where(parties.c.id.in_(ids)).order_by(parties.c.search_name)
    return list(conn.execute(query))


def _role_filter(role: str | None) -> list[sa.ColumnElement[bool]]:
    if role == "customer":
        return [parties.c.is_customer.is_(True)]
    if role == "vendor":
        return [parties.c.is_vendor.is_(True)]
    return []


def page(
    conn: sa.Connection,
    *,
    role: str | None,
    include_archived: bool,
    tag: str | None,
    sort_by: str,
    descending: bool,
    offset: int,
    limit: int,
) -> tuple[list[sa.Row[Any]], int]:
    """One page of parties and the number of parties matching."""
    where = _role_filter(role)
    if not include_archived:
        where.append(parties.c.active.is_(True))
    if tag:
        where.append(
            parties.c.id.in_(sa.select(tags.c.party_id).where(tags.c.tag == tag).scalar_subquery())
        )
    column = SORTABLE[sort_by]
    order = [column.desc() if descending else column.asc(), parties.c.id]
    query = sa.select(parties).where(*where).order_by(*order).offset(offset).limit(limit)
    total = conn.execute(sa.select(sa.func.count()).select_from(parties).where(*where))
    return list(conn.execute(query)), int(total.scalar_one())


def _prefix(column: sa.ColumnElement[str], prefix: str, dialect: str) -> sa.ColumnElement[bool]:
    """*column* starts with *prefix*, in a form the engine answers from a B-tree index:
    a binary range on SQLite, ``LIKE 'x%'`` on PostgreSQL (the index uses
    ``text_pattern_ops``, which ignores the locale's collation)."""
    if dialect == "sqlite":
        return sa.and_(column >= prefix, column < prefix + "\U0010ffff")
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped + "%", escape="\\")


def search_ids(
    conn: sa.Connection, words: Sequence[str], role: str | None, limit: int
) -> list[int]:
    """Ids of active parties having, for every word of *words*, a name word that starts
    with it; in name order. Each word is one range of the words index; the ranges are
    intersected, so no party row is read."""
    dialect = conn.dialect.name
    roles = {"customer": name_words.c.is_customer, "vendor": name_words.c.is_vendor}
    selects = [
        sa.select(name_words.c.party_id, name_words.c.search_name).where(
            _prefix(name_words.c.word, word, dialect),
            *([roles[role].is_(True)] if role else []),
        )
        for word in words
    ]
    both = selects[0] if len(selects) == 1 else sa.intersect(*selects)
    found = both.subquery()
    query = (
        sa.select(found.c.party_id, found.c.search_name)
        .distinct()  # a party may have two words starting with one prefix
        .order_by(found.c.search_name, found.c.party_id)
        .limit(limit)
    )
    return [int(r.party_id) for r in conn.execute(query)]


def ids_by_hash(
    conn: sa.Connection, column: str, digest: str, role: str | None, limit: int
) -> list[int]:
    query = (
        sa.select(parties.c.id)
        .where(parties.c[column] == digest, parties.c.active.is_(True), *_role_filter(role))
        .order_by(parties.c.search_name, parties.c.id)
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]


def update_party(
    conn: sa.Connection, party_id: int, code: str, version: int, values: Mapping[str, Any]
) -> None:
    update_versioned(
        conn, parties, parties.c.id == party_id, version, dict(values), f"party {code}"
    )


def delete_party(conn: sa.Connection, party_id: int) -> None:
    for table in (name_words, tags, contacts):
        conn.execute(table.delete().where(table.c.party_id == party_id))
    conn.execute(parties.delete().where(parties.c.id == party_id))


def insert_contact(conn: sa.Connection, values: Mapping[str, Any]) -> int:
    query = contacts.insert().values(**values).returning(contacts.c.id)
    return int(conn.execute(query).scalar_one())


def contact_rows(conn: sa.Connection, party_id: int) -> list[sa.Row[Any]]:
    query = sa.select(contacts).where(contacts.c.party_id == party_id).order_by(contacts.c.id)
    return list(conn.execute(query))


def delete_contacts(conn: sa.Connection, party_id: int) -> None:
    conn.execute(contacts.delete().where(contacts.c.party_id == party_id))


def all_rows(conn: sa.Connection, table: sa.Table) -> list[sa.Row[Any]]:
    return list(conn.execute(sa.select(table)))


def update_by_id(
    conn: sa.Connection, table: sa.Table, row_id: Any, values: Mapping[str, Any]
) -> None:
    pk = next(iter(table.primary_key.columns))
    conn.execute(table.update().where(pk == row_id).values(**values))
