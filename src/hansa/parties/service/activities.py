"""Activities (calls, e-mails, meetings, notes, tasks) and the communication history."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.parties.domain.crm import (
    Activity,
    ActivityKind,
)
from hansa.parties.domain.crypto import Keyring
from hansa.parties.errors import BadPartyInput
from hansa.parties.repository import crm as repo
from hansa.parties.service.codec import opened
from hansa.parties.service.leads import load_lead
from hansa.parties.service.parties import load
from hansa.parties.service.pipeline import get_opportunity_within
from hansa.parties.tables import activities

READ, WRITE = "parties.lead.read", "parties.lead.write"


@use_case
def add_activity(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    *,
    kind: str,
    subject: str,
    notes: str | None = None,
    due_date: date | None = None,
    party: str | None = None,
    lead: int | None = None,
    opportunity: int | None = None,
) -> Activity:
    """Log a call, e-mail, meeting or note, or plan a task (with a due date), on a party,
    a lead or an opportunity. Subject and notes are encrypted."""
    actor.require(WRITE)
    if kind not in ActivityKind.__members__:
        raise BadPartyInput(f"an activity is {', '.join(ActivityKind)}, not {kind!r}")
    if [party, lead, opportunity].count(None) != 2:
        raise BadPartyInput("an activity is on exactly one party, lead or opportunity")
    if not subject.strip():
        raise BadPartyInput("an activity needs a subject")
    with uow:
        party_id = load(uow, keys, party).id if party else None
        if lead is not None:
            load_lead(uow, keys, lead)
        if opportunity is not None:
            get_opportunity_within(uow, opportunity)
        activity_id = repo.insert(
            uow.conn,
            activities,
            {
                "kind": kind,
                "subject_enc": keys.encrypt(subject.strip()),
                "notes_enc": keys.encrypt(notes) if notes else None,
                "due_date": due_date,
                "party_id": party_id,
                "lead_id": lead,
                "opportunity_id": opportunity,
                "owner": actor.username,
                "at": clock.now(),
            },
        )
        audit.record(
            uow,
            actor,
            "parties.activity.create",
            "activity",
            activity_id,
            after={"kind": kind, "due_date": due_date},
        )
        (activity,) = _activities(keys, repo.activity_rows(uow.conn, id_=activity_id))
        uow.commit()
    return activity


@use_case
def complete_activity(uow: UnitOfWork, actor: Actor, keys: Keyring, activity_id: int) -> Activity:
    actor.require(WRITE)
    with uow:
        found = _activities(keys, repo.activity_rows(uow.conn, id_=activity_id))
        if not found:
            raise BadPartyInput(
                f"there is no activity {activity_id}", code="parties.activity_not_found"
            )
        repo.mark_done(uow.conn, activity_id)
        audit.record(uow, actor, "parties.activity.done", "activity", activity_id)
        (activity,) = _activities(keys, repo.activity_rows(uow.conn, id_=activity_id))
        uow.commit()
    return activity


def activity_history(
    uow: UnitOfWork,
    actor: Actor,
    keys: Keyring,
    *,
    party: str | None = None,
    lead: int | None = None,
    opportunity: int | None = None,
) -> list[Activity]:
    """The communication history of a party (with its leads' and opportunities'), a
    lead or an opportunity, oldest first."""
    actor.require(READ)
    with uow:
        party_id = load(uow, keys, party).id if party else None
        rows = repo.activity_rows(
            uow.conn, party_id=party_id, lead_id=lead, opportunity_id=opportunity
        )
    return _activities(keys, rows)


def _activities(keys: Keyring, rows: list[sa.Row[Any]]) -> list[Activity]:
    return [
        Activity(
            r.id,
            ActivityKind(r.kind),
            opened(keys, r.subject_enc) or "",
            opened(keys, r.notes_enc),
            r.due_date,
            r.done,
            r.owner,
            r.at,
            r.party_code,
            r.lead_id,
            r.opportunity_id,
        )
        for r in rows
    ]
