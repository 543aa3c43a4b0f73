"""Leads, stages, opportunities and activities."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from hansa.db.uow import update_versioned
from hansa.kernel.money import currency_places, quantize
from hansa.parties.domain.crm import DEFAULT_STAGES, Opportunity, Stage
from hansa.parties.tables import activities, leads, opportunities, parties
from hansa.parties.tables import stages as stages_table


def party_has_history(conn: sa.Connection, party_id: int) -> bool:
    """Whether activities, leads or opportunities refer to the party."""
    return any(
        conn.execute(sa.select(t.c.id).where(t.c.party_id == party_id).limit(1)).first() is not None
        for t in (activities, leads, opportunities)
    )


def insert(conn: sa.Connection, table: sa.Table, values: Mapping[str, Any]) -> int:
    return int(conn.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())


@dataclass(frozen=True)
class History:
    leads: list[sa.Row[Any]]
    opportunities: list[sa.Row[Any]]
    activities: list[sa.Row[Any]]


def _lead_ids(party_id: int) -> sa.ScalarSelect[Any]:
    return sa.select(leads.c.id).where(leads.c.party_id == party_id).scalar_subquery()


def _activity_filter(party_id: int) -> sa.ColumnElement[bool]:
    return sa.or_(
        activities.c.party_id == party_id,
        activities.c.lead_id.in_(_lead_ids(party_id)),
        activities.c.opportunity_id.in_(
            sa.select(opportunities.c.id)
            .where(opportunities.c.party_id == party_id)
            .scalar_subquery()
        ),
    )


def history_of(conn: sa.Connection, party_id: int) -> History:
    """The leads, opportunities and activities of a party (and of its leads)."""
    return History(
        list(conn.execute(sa.select(leads).where(leads.c.party_id == party_id))),
        list(conn.execute(sa.select(opportunities).where(opportunities.c.party_id == party_id))),
        list(
            conn.execute(
                sa.select(activities).where(_activity_filter(party_id)).order_by(activities.c.at)
            )
        ),
    )


def erase_history(conn: sa.Connection, party_id: int, pseudonym: str, erased_subject: str) -> None:
    """Clear the personal data of the party's leads and activities."""
    conn.execute(
        activities.update()
        .where(_activity_filter(party_id))
        .values(subject_enc=erased_subject, notes_enc=None)
    )
    conn.execute(leads.update().where(leads.c.party_id == party_id).values(_erased(pseudonym)))


def erase_lead(conn: sa.Connection, lead_id: int, pseudonym: str, erased_subject: str) -> None:
    """Clear the personal data of one lead and its activities."""
    conn.execute(
        activities.update()
        .where(activities.c.lead_id == lead_id)
        .values(subject_enc=erased_subject, notes_enc=None)
    )
    conn.execute(leads.update().where(leads.c.id == lead_id).values(_erased(pseudonym)))


def _erased(pseudonym: str) -> dict[str, Any]:
    return {
        "name": pseudonym,
        "organisation": None,
        "email_enc": None,
        "email_hash": None,
        "phone_enc": None,
    }


def lead_row(conn: sa.Connection, lead_id: int) -> tuple[sa.Row[Any], str | None] | None:
    query = (
        sa.select(leads, parties.c.code)
        .outerjoin(parties, parties.c.id == leads.c.party_id)
        .where(leads.c.id == lead_id)
    )
    row = conn.execute(query).first()
    return None if row is None else (row, row.code)


def lead_rows(conn: sa.Connection, status: Any = None) -> list[tuple[sa.Row[Any], str | None]]:
    query = sa.select(leads, parties.c.code).outerjoin(parties, parties.c.id == leads.c.party_id)
    if status is not None:
        query = query.where(leads.c.status == status.value)
    return [(r, r.code) for r in conn.execute(query.order_by(leads.c.id))]


def update_lead(conn: sa.Connection, lead_id: int, version: int, values: Mapping[str, Any]) -> None:
    update_versioned(conn, leads, leads.c.id == lead_id, version, dict(values), f"lead {lead_id}")


def stages(conn: sa.Connection) -> list[Stage]:
    """The pipeline stages in order; the defaults are stored the first time they are
    read (opportunities refer to stored stages)."""
    if conn.execute(sa.select(stages_table.c.name).limit(1)).first() is None:
        conn.execute(stages_table.insert(), [vars(s) for s in DEFAULT_STAGES])
    query = sa.select(stages_table).order_by(stages_table.c.sequence, stages_table.c.name)
    return [Stage(r.name, r.sequence, r.probability, r.outcome) for r in conn.execute(query)]


def put_stage(conn: sa.Connection, stage: Stage) -> None:
    values = {"sequence": stage.sequence, "probability": stage.probability}
    updated = conn.execute(
        stages_table.update().where(stages_table.c.name == stage.name).values(**values)
    )
    if updated.rowcount == 0:
        conn.execute(stages_table.insert().values(name=stage.name, outcome=stage.outcome, **values))


def opportunity_rows(conn: sa.Connection, opp_id: int | None = None) -> list[Opportunity]:
    query = sa.select(opportunities, parties.c.code).outerjoin(
        parties, parties.c.id == opportunities.c.party_id
    )
    if opp_id is not None:
        query = query.where(opportunities.c.id == opp_id)
    return [
        Opportunity(
            r.id,
            r.name,
            r.code,
            r.stage,
            quantize(r.expected_revenue, currency_places(r.currency)),
            r.currency,
            r.probability,
            r.close_date,
            r.owner,
            r.version,
        )
        for r in conn.execute(query.order_by(opportunities.c.id))
    ]


def update_opportunity(
    conn: sa.Connection, opp_id: int, version: int, values: Mapping[str, Any]
) -> None:
    update_versioned(
        conn,
        opportunities,
        opportunities.c.id == opp_id,
        version,
        dict(values),
        f"opportunity {opp_id}",
    )


def activity_rows(
    conn: sa.Connection,
    *,
    id_: int | None = None,
    party_id: int | None = None,
    lead_id: int | None = None,
    opportunity_id: int | None = None,
) -> list[sa.Row[Any]]:
    query = sa.select(activities, parties.c.code.label("party_code")).outerjoin(
        parties, parties.c.id == activities.c.party_id
    )
    if id_ is not None:
        query = query.where(activities.c.id == id_)
    if party_id is not None:
        query = query.where(_activity_filter(party_id))
    if lead_id is not None:
        query = query.where(activities.c.lead_id == lead_id)
    if opportunity_id is not None:
        query = query.where(activities.c.opportunity_id == opportunity_id)
    return list(conn.execute(query.order_by(activities.c.at, activities.c.id)))


def mark_done(conn: sa.Connection, activity_id: int) -> None:
    conn.execute(
        activities.update()
        .where(activities.c.id == activity_id)
        .values(done=True, version=activities.c.version + 1)
    )
