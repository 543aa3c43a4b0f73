"""Party search on 100,000 parties: name words (any case, any accents) and exact e-mail.

    .venv/bin/python bench/parties_search.py [--db URL] [--parties 100000] [--runs 21]

The parties are built FAST in bulk: the rows are made by the same code the service
stores a party with (``party_row``: personal fields AES-256-GCM encrypted, keyed hashes,
the accent-free search name; ``name_words``), then inserted with executemany in chunks
of 10,000 (no audit record per party: that is what makes the service path slow, and
search does not read it). On PostgreSQL the load ends with VACUUM ANALYZE, as
autovacuum would do soon after in production. Names mix accented first and last
names (Zoë, Müller...).

Then, in the same run (median of --runs, each a fresh read-only unit of work):

- service: ``hansa.parties.search_parties`` for ``"zoë mül"`` (two word prefixes),
  ``"MULLER"`` (one word, many matches: the first 50 in name order) and an e-mail
  address (keyed hash, exact);
- baseline: the same SQL statements the service issues, over the DBAPI;
- naive: ``WHERE lower(name) LIKE '%muller%'`` (what search would cost without the
  word index, and without accent folding).

Prints JSON and writes bench/results/parties_search-<backend>.json. Target: < 50 ms per
search on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

import sqlalchemy as sa

from hansa import parties
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from hansa.parties.service.codec import name_words
from hansa.parties.service.parties import party_row
from hansa.parties.tables import name_words as words_table
from hansa.parties.tables import parties as parties_table
from ledger_support import mark, median_ms, raw_connection, scratch_database, write_results

FIRST = [
    "Zoë",
    "Anaïs",
    "José",
    "Jürgen",
    "Åsa",
    "Chloé",
    "Søren",
    "Hans",
    "Grace",
    "Ada",
    "Noël",
    "Björn",
    "Renée",
    "Ælfric",
    "Luis",
    "Mia",
    "Omar",
    "Priya",
    "Kenji",
    "Olga",
]
LAST = [
    "Müller",
    "García",
    "Nuñez",
    "Ødegaard",
    "Łukasz",
    "Smith",
    "Dubois",
    "Rossi",
    "Kowalski",
    "Novák",
    "Öztürk",
    "Larsen",
    "Brontë",
    "Çelik",
    "Horváth",
    "Silva",
    "Jensen",
    "Petrović",
    "Kim",
    "Tanaka",
    "Ivanova",
    "Murphy",
    "Schäfer",
    "Lefèvre",
]
CHUNK = 10_000


def build(url: str, count: int, keys: parties.Keyring) -> tuple[float, str]:
    """Insert *count* parties; (seconds, one stored e-mail to search for)."""
    rng = random.Random(42)
    engine = create_engine(url)
    start = time.perf_counter()
    probe = ""
    with engine.begin() as conn:
        for low in range(1, count + 1, CHUNK):
            rows, words = [], []
            for n in range(low, min(low + CHUNK, count + 1)):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                name = f"{first} {last} {n}"
                email = f"{first[0]}.{last}.{n}@example.com".lower()
                probe = probe or email
                rows.append(
                    party_row(
                        keys,
                        f"C{n:05d}",
                        name,
                        {
                            "kind": "person",
                            "first_name": first,
                            "last_name": f"{last} {n}",
                            "is_customer": True,
                            "is_vendor": False,
                            "email": email,
                            "phone": f"+49 30 {n:07d}",
                            "payment_terms_days": 30,
                        },
                    )
                )
                words.extend(
                    {
                        "party_id": n,
                        "word": w,
                        "search_name": rows[-1]["search_name"],
                        "is_customer": True,
                        "is_vendor": False,
                    }
                    for w in name_words(name)
                )
            conn.execute(
                parties_table.insert(),
                [{"id": n, **r} for n, r in zip(range(low, low + len(rows)), rows, strict=True)],
            )
            conn.execute(words_table.insert(), words)
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('parties_parties', 'id'), :n)"),
                {"n": count},
            )
        else:
            conn.execute(sa.text("ANALYZE"))
    if engine.dialect.name == "postgresql":
        # What autovacuum does in steady state: statistics, and the visibility map that
        # lets the words index answer a search without reading the table.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE parties_parties"))
            conn.execute(sa.text("VACUUM ANALYZE parties_name_words"))
    engine.dispose()
    return time.perf_counter() - start, probe


def service_search(engine: Any, keys: parties.Keyring, query: str) -> list[parties.Party]:
    return parties.search_parties(UnitOfWork(engine, readonly=True), SYSTEM, keys, query)


def raw_word_search(conn: Any, words: list[str]) -> list[Any]:
    """The statements the service issues for a name search (one range of the words
    index per word, intersected; prefix ranges on SQLite, LIKE 'x%' on PostgreSQL),
    then the party rows."""
    m = mark(conn)
    sqlite = m == "?"
    cond = f"word >= {m} AND word < {m}" if sqlite else f"word LIKE {m}"
    one = f"SELECT party_id, search_name FROM parties_name_words WHERE {cond} AND is_customer"
    params: list[str] = []
    for w in words:
        params += [w, w + "\U0010ffff"] if sqlite else [w + "%"]
    sql = (
        f"SELECT DISTINCT party_id, search_name FROM ({' INTERSECT '.join([one] * len(words))})"
        " AS found ORDER BY search_name, party_id LIMIT 50"
    )
    ids = [r[0] for r in conn.execute(sql, params).fetchall()]
    if not ids:
        return []
    marks = ", ".join([m] * len(ids))
    return conn.execute(f"SELECT * FROM parties_parties WHERE id IN ({marks})", ids).fetchall()


def raw_hash_search(conn: Any, digest: str) -> list[Any]:
    m = mark(conn)
    return conn.execute(
        f"SELECT * FROM parties_parties WHERE email_hash = {m} AND active "
        "ORDER BY search_name, id LIMIT 50",
        [digest],
    ).fetchall()


def naive_contains(conn: Any) -> list[Any]:
    return conn.execute(
        "SELECT * FROM parties_parties WHERE lower(name) LIKE '%muller%' LIMIT 50"
    ).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default: a scratch SQLite file)")
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    keys = parties.Keyring.generate()
    with scratch_database(args.db) as (url, backend, _work):
        build_seconds, email = build(url, args.parties, keys)
        engine = create_engine(url)
        conn = raw_connection(url)
        queries = {
            "two word prefixes": "zoë mül",
            "one word, many matches": "MULLER",
            "exact e-mail": email.upper(),
        }
        results: dict[str, Any] = {}
        for label, query in queries.items():
            found = service_search(engine, keys, query)  # warm-up, and the answer
            ms, runs = median_ms(lambda q=query: service_search(engine, keys, q), args.runs)
            if "@" in query:
                digest = keys.blind_index("email", query.strip().casefold())
                base_ms, _ = median_ms(lambda d=digest: raw_hash_search(conn, d), args.runs)
            else:
                words = sorted(parties.search_key(query).split())
                base_ms, _ = median_ms(lambda w=words: raw_word_search(conn, w), args.runs)
            results[label] = {
                "query": query,
                "matches_shown": len(found),
                "first_match": found[0].name if found else None,
                "service_median_ms": ms,
                "service_runs_ms": runs,
                "baseline_same_sql_median_ms": base_ms,
            }
        naive_ms, _ = median_ms(lambda: naive_contains(conn), 5)
        conn.close()
        engine.dispose()
        write_results(
            "parties_search",
            backend,
            {
                "parties": args.parties,
                "build_seconds": round(build_seconds, 1),
                "searches": results,
                "naive_lower_like_contains_median_ms": naive_ms,
                "target_ms": 50,
                "all_under_target": all(r["service_median_ms"] < 50 for r in results.values()),
            },
        )


if __name__ == "__main__":
    main()
