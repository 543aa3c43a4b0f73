"""The audit trail: hash-chained, append-only in the database, tampering detected."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import hansa.audit
from hansa.audit import AuditRecord, record, verify
from hansa.audit.domain import GENESIS, expected_hash, first_broken_link
from hansa.db.uow import UnitOfWork
from hansa.kernel import checks, clock
from hansa.kernel.actor import SYSTEM, Actor
from hansa.kernel.errors import Conflict, PermissionDenied

AUDITOR = Actor("auditor", permissions=frozenset({"*"}))
AUDIT_ROWS = sa.text("SELECT id, actor, action, after, hash FROM audit_log ORDER BY id")

Uow = Callable[..., UnitOfWork]


def write_three_records(uow_factory: Uow) -> list[AuditRecord]:
    written = []
    for number, name in enumerate(["ada", "grace", "edsger"], start=1):
        with uow_factory() as uow:
            written.append(
                record(uow, SYSTEM, "identity.user.create", "user", number, after={"name": name})
            )
            uow.commit()
    return written


def stored(engine: Engine) -> list[sa.Row[tuple[object, ...]]]:
    with engine.connect() as conn:
        return list(conn.execute(AUDIT_ROWS))


@pytest.fixture
def attacker(engine: Engine) -> Iterator[Callable[[str], None]]:
    """Runs SQL with the database's append-only protection switched off, as someone with
    direct database access could. The protection is restored afterwards (the PostgreSQL
    test database is shared by the whole session)."""

    def tamper(statement: str) -> None:
        with engine.begin() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_immutable_update")
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_immutable_delete")
            else:
                conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable")
            conn.exec_driver_sql(statement)

    yield tamper
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_immutable")


# --- writing the chain ---------------------------------------------------------------


def test_records_form_a_chain_from_the_genesis_hash(uow_factory: Uow, engine: Engine) -> None:
    written = write_three_records(uow_factory)
    assert [r.id for r in written] == [1, 2, 3]
    assert written[0].prev_hash == GENESIS
    assert written[1].prev_hash == written[0].hash
    assert written[2].prev_hash == written[1].hash
    assert [(row.id, row.hash) for row in stored(engine)] == [(r.id, r.hash) for r in written]


def test_a_record_keeps_who_did_what_to_which_entity(uow_factory: Uow) -> None:
    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with clock.fixed(at), uow_factory() as uow:
        record(uow, AUDITOR, "identity.user.rename", "user", 7, before={"n": "a"}, after={"n": "b"})
        uow.commit()
    (listed,) = hansa.audit.list_records(uow_factory(), AUDITOR)
    assert (listed.actor, listed.action, listed.entity_type, listed.entity_id) == (
        "auditor",
        "identity.user.rename",
        "user",
        "7",
    )
    assert (listed.before, listed.after) == ('{"n":"a"}', '{"n":"b"}')
    assert listed.at == at


def test_an_untouched_chain_verifies(uow_factory: Uow) -> None:
    write_three_records(uow_factory)
    result = verify(uow_factory(), AUDITOR)
    assert result.ok
    assert result.broken is None
    assert result.checked == 3


def test_an_empty_audit_log_verifies(uow_factory: Uow) -> None:
    result = verify(uow_factory(), AUDITOR)
    assert result.ok
    assert result.checked == 0


def test_a_rolled_back_transaction_leaves_no_audit_record(uow_factory: Uow, engine: Engine) -> None:
    with uow_factory() as uow:
        record(uow, SYSTEM, "identity.user.create", "user", 1)

    def failing_change() -> None:
        with uow_factory() as uow:
            record(uow, SYSTEM, "identity.user.create", "user", 2)
            raise RuntimeError("the change failed after auditing it")

    with pytest.raises(RuntimeError):
        failing_change()
    assert stored(engine) == []
    with uow_factory() as uow:  # the next record still starts the chain
        assert record(uow, SYSTEM, "identity.user.create", "user", 3).prev_hash == GENESIS


def test_concurrent_writers_extend_one_unbroken_chain(uow_factory: Uow, engine: Engine) -> None:
    writers, each = 4, 5
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for n in range(each):
                with uow_factory() as uow:
                    record(uow, SYSTEM, "test.concurrent", "writer", f"{writer}-{n}")
                    uow.commit()
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert [row.id for row in stored(engine)] == list(range(1, writers * each + 1))
    result = verify(uow_factory(), AUDITOR)
    assert result.ok
    assert result.checked == writers * each


def test_verifying_needs_the_audit_read_permission(uow_factory: Uow) -> None:
    clerk = Actor("clerk", permissions=frozenset({"identity.user.read"}))
    with pytest.raises(PermissionDenied) as caught:
        verify(uow_factory(), clerk)
    assert caught.value.code == "identity.permission_denied"


# --- the database refuses changes ----------------------------------------------------


def test_an_update_of_an_audit_row_is_refused_by_the_database(
    uow_factory: Uow, engine: Engine
) -> None:
    write_three_records(uow_factory)
    before = stored(engine)

    def rewrite_history() -> None:
        with uow_factory() as uow:
            uow.conn.execute(sa.text("UPDATE audit_log SET after = '{}' WHERE id = 2"))
            uow.commit()

    with pytest.raises(Conflict, match="append-only"):
        rewrite_history()
    assert stored(engine) == before


def test_a_delete_of_an_audit_row_is_refused_by_the_database(
    uow_factory: Uow, engine: Engine
) -> None:
    write_three_records(uow_factory)
    before = stored(engine)

    def erase_history() -> None:
        with uow_factory() as uow:
            uow.conn.execute(sa.text("DELETE FROM audit_log WHERE id = 2"))
            uow.commit()

    with pytest.raises(Conflict, match="append-only"):
        erase_history()
    assert stored(engine) == before


def test_the_database_refuses_changes_even_outside_a_unit_of_work(
    uow_factory: Uow, engine: Engine
) -> None:
    write_three_records(uow_factory)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'mallory'"))
    assert {row.id for row in stored(engine)} == {1, 2, 3}


# --- tamper detection ----------------------------------------------------------------


def test_an_altered_record_is_reported_by_verify(
    uow_factory: Uow, attacker: Callable[[str], None]
) -> None:
    write_three_records(uow_factory)
    attacker('UPDATE audit_log SET after = \'{"name":"mallory"}\' WHERE id = 2')
    result = verify(uow_factory(), AUDITOR)
    assert not result.ok
    assert result.broken is not None
    assert result.broken.record_id == 2
    assert "altered" in result.broken.reason
    assert result.checked == 2


def test_a_deleted_middle_record_is_reported_by_verify(
    uow_factory: Uow, attacker: Callable[[str], None]
) -> None:
    write_three_records(uow_factory)
    attacker("DELETE FROM audit_log WHERE id = 2")
    result = verify(uow_factory(), AUDITOR)
    assert not result.ok
    assert result.broken is not None
    assert result.broken.record_id == 3  # the record that no longer links to its predecessor
    assert "does not link" in result.broken.reason


def test_the_audit_chain_check_names_the_altered_record(
    uow_factory: Uow, engine: Engine, attacker: Callable[[str], None]
) -> None:
    (chain_check,) = [c for c in checks.registered() if c.name == "audit.chain"]
    write_three_records(uow_factory)
    with engine.connect() as conn:
        assert list(chain_check.run(conn)) == []

    attacker("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    with engine.connect() as conn:
        (problem,) = chain_check.run(conn)
    assert problem.check == "audit.chain"
    assert problem.ref == "2"
    assert "audit record 2" in problem.message


# --- the chain rules (pure) ----------------------------------------------------------


def make_chain(count: int, prev_hash: str = GENESIS, first_id: int = 1) -> list[AuditRecord]:
    chain = []
    for record_id in range(first_id, first_id + count):
        entry = AuditRecord(
            id=record_id,
            at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=record_id),
            actor="system",
            action="test.write",
            entity_type="thing",
            entity_id=str(record_id),
            before=None,
            after=f'{{"n":{record_id}}}',
            request_id="r1",
            prev_hash=prev_hash,
            hash="",
        )
        entry = replace(entry, hash=expected_hash(entry, prev_hash))
        chain.append(entry)
        prev_hash = entry.hash
    return chain


def test_an_intact_chain_has_no_broken_link() -> None:
    chain = make_chain(5)
    assert first_broken_link(chain) == (None, 5, chain[-1].hash)


def test_an_empty_chain_has_no_broken_link() -> None:
    assert first_broken_link([]) == (None, 0, GENESIS)


@pytest.mark.parametrize(
    "change",
    [
        {"actor": "mallory"},
        {"action": "test.erase"},
        {"entity_id": "99"},
        {"before": '{"n":0}'},
        {"after": None},
        {"request_id": "r2"},
        {"at": datetime(2030, 1, 1, tzinfo=UTC)},
    ],
)
def test_changing_any_field_breaks_the_chain_at_that_record(change: dict[str, Any]) -> None:
    chain = make_chain(4)
    chain[2] = replace(chain[2], **change)
    broken, checked, last_good = first_broken_link(chain)
    assert broken is not None
    assert broken.record_id == 3
    assert "altered" in broken.reason
    assert checked == 3
    assert last_good == chain[1].hash


def test_a_removed_record_breaks_the_chain_at_the_next_one() -> None:
    chain = make_chain(4)
    del chain[1]
    broken, _, _ = first_broken_link(chain)
    assert broken is not None
    assert broken.record_id == 3
    assert "does not link" in broken.reason


def test_a_record_with_a_recomputed_hash_still_breaks_the_link_to_the_next() -> None:
    chain = make_chain(3)
    forged = replace(chain[1], actor="mallory")
    chain[1] = replace(forged, hash=expected_hash(forged, forged.prev_hash))
    broken, _, _ = first_broken_link(chain)
    assert broken is not None
    assert broken.record_id == 3


def test_the_chain_can_be_verified_in_batches() -> None:
    first = make_chain(3)
    second = make_chain(3, prev_hash=first[-1].hash, first_id=4)
    broken, checked, last_good = first_broken_link(first)
    assert (broken, checked) == (None, 3)
    assert first_broken_link(second, last_good) == (None, 3, second[-1].hash)
    broken, _, _ = first_broken_link(second)  # a batch does not start the chain
    assert broken is not None
    assert broken.record_id == 4


def test_truncating_the_audit_log_is_refused_on_postgresql(
    uow_factory: Callable[..., UnitOfWork], backend: str
) -> None:
    if backend != "postgresql":
        return  # SQLite has no TRUNCATE; its DELETE trigger is tested above
    with uow_factory() as uow:
        record(uow, SYSTEM, "test.thing", "thing", 1)
        uow.commit()
    with pytest.raises(Conflict, match="append-only"), uow_factory() as uow:
        uow.conn.execute(sa.text("TRUNCATE audit_log"))
    assert verify(uow_factory(), SYSTEM).checked == 1


def test_a_disabled_trigger_is_reported_by_the_checks(
    uow_factory: Callable[..., UnitOfWork], backend: str
) -> None:
    from hansa import system

    name = "audit_log_immutable_update" if backend == "sqlite" else "audit_log_immutable"
    statement = (
        f"DROP TRIGGER {name}"
        if backend == "sqlite"
        else f"ALTER TABLE audit_log DISABLE TRIGGER {name}"
    )
    with uow_factory() as uow:
        uow.conn.execute(sa.text(statement))
        uow.commit()
    try:
        outcomes = system.run_checks(
            uow_factory(readonly=True), SYSTEM, ["schema.immutability_triggers"]
        )
        (outcome,) = outcomes
        assert not outcome.ok
        assert name in outcome.problems[0].message
    finally:
        with uow_factory() as uow:
            if backend == "sqlite":
                uow.conn.execute(
                    sa.text(
                        "CREATE TRIGGER audit_log_immutable_update BEFORE UPDATE ON audit_log "
                        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
                    )
                )
            else:
                uow.conn.execute(sa.text(f"ALTER TABLE audit_log ENABLE TRIGGER {name}"))
            uow.commit()
