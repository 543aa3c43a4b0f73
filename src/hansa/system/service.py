"""Run the registered integrity checks; register the schema checks."""

from __future__ import annotations

import sqlalchemy as sa

import hansa.audit
import hansa.events
import hansa.identity
import hansa.inventory
import hansa.ledger  # noqa: F401
from hansa.db import migrate
from hansa.db.ddl import immutable_trigger_names
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import Actor
from hansa.kernel.checks import Problem, register, registered
from hansa.schema import metadata
from hansa.system import repository
from hansa.system.domain import CheckOutcome
from hansa.system.errors import UnknownCheck


@register("schema.current", "the database schema is at the newest migration")
def check_schema_current(conn: sa.Connection) -> list[Problem]:
    now, head = migrate.current(conn), migrate.head()
    if now == head:
        return []
    return [
        Problem(
            "schema.current",
            f"schema is at {now}, newest is {head}: run 'hansa migrate up'",
            ref=str(now),
        )
    ]


@register("schema.matches_models", "tables, columns and indexes match what Hansa expects")
def check_schema_matches(conn: sa.Connection) -> list[Problem]:
    return [
        Problem("schema.matches_models", f"schema drift: {diff}")
        for diff in repository.schema_differences(conn, metadata)
    ]


@register("schema.immutability_triggers", "append-only and books-stamp tables keep their triggers")
def check_triggers(conn: sa.Connection) -> list[Problem]:
    problems = []
    dialect = conn.dialect.name
    for table in metadata.sorted_tables:
        expected = set(table.info.get("triggers", {}).get(dialect, ()))
        if table.info.get("immutable"):
            expected |= immutable_trigger_names(table.name, dialect)
        if not expected:
            continue
        present = repository.triggers_of(conn, table.name)
        for name in sorted(expected):
            if not present.get(name, False):
                state = "disabled" if name in present else "missing"
                problems.append(
                    Problem(
                        "schema.immutability_triggers",
                        f"trigger {name} on {table.name} is {state}",
                        ref=name,
                    )
                )
    return problems


def run_checks(uow: UnitOfWork, actor: Actor, only: list[str] | None = None) -> list[CheckOutcome]:
    """Run every registered check (or those named) in one read-only transaction."""
    actor.require("system.check.run")
    checks = registered()
    if only:
        unknown = set(only) - {c.name for c in checks}
        if unknown:
            raise UnknownCheck(
                f"unknown check(s): {', '.join(sorted(unknown))}; "
                f"known: {', '.join(c.name for c in checks)}"
            )
        checks = [c for c in checks if c.name in only]
    outcomes = []
    with uow:
        for check in checks:
            try:
                problems = tuple(check.run(uow.conn))
                outcomes.append(CheckOutcome(check.name, check.description, problems))
            except sa.exc.DBAPIError as exc:
                uow.rollback()
                uow.conn.begin()
                outcomes.append(
                    CheckOutcome(
                        check.name, check.description, (), error=str(exc.orig).splitlines()[0]
                    )
                )
    return outcomes
