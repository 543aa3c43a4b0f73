"""Parties: /api/v1/customers, /vendors (one role each) and /parties (both roles,
contacts, archive, GDPR). Personal data is returned decrypted to those allowed to read
the party; amounts are decimal strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, Field

from hansa import parties
from hansa.api.deps import ActorDep, ReadUowDep, RuntimeDep, UowDep
from hansa.api.payload import as_json


def field_keys(rt: RuntimeDep) -> parties.Keyring:
    return rt.field_keys


KeysDep = Annotated[parties.Keyring, Depends(field_keys)]
router = APIRouter(prefix="/api/v1/parties", tags=["parties"])


class PartyIn(BaseModel):
    name: str | None = Field(None, max_length=200, description="An organisation's name.")
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    company: str | None = Field(None, max_length=200, description="Where a person works.")
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=64)
    address: str | None = Field(None, max_length=500, description="Billing address.")
    shipping_address: str | None = Field(None, max_length=500)
    tax_id: str | None = Field(None, max_length=64)
    notes: str | None = Field(None, max_length=5000)
    payment_terms_days: int = 0
    credit_limit: Decimal | None = None
    currency: str | None = None
    tags: list[str] = []


class PartyPatch(BaseModel):
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    shipping_address: str | None = None
    tax_id: str | None = None
    notes: str | None = None
    payment_terms_days: int | None = None
    credit_limit: Decimal | None = None
    currency: str | None = None
    tags: list[str] | None = None
    customer: bool | None = None
    vendor: bool | None = None
    expected_version: int | None = None


class ContactIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: str | None = None
    email: str | None = None
    phone: str | None = None


RENAMED = {"company": "organisation", "address": "billing_address"}


def _changes(body: PartyPatch) -> dict[str, Any]:
    given = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    return {RENAMED.get(k, k): v for k, v in given.items()}


def role_router(role: Literal["customer", "vendor"]) -> APIRouter:
    """The routes of /api/v1/customers or /api/v1/vendors."""
    routes = APIRouter(prefix=f"/api/v1/{role}s", tags=["parties"])

    @routes.get("")
    def list_(
        actor: ActorDep,
        uow: ReadUowDep,
        keys: KeysDep,
        page: int = Query(1, ge=1),
        limit: int = Query(50, ge=1, le=500),
        sort_by: Literal["name", "code", "id"] = "name",
        order: Literal["asc", "desc"] = "asc",
        tag: str | None = None,
        include_archived: bool = False,
    ) -> Any:
        return as_json(
            parties.list_parties(
                uow,
                actor,
                keys,
                role=role,
                include_archived=include_archived,
                tag=tag,
                page=page,
                limit=limit,
                sort_by=sort_by,
                order=order,
            )
        )

    @routes.get("/search")
    def search(
        actor: ActorDep,
        uow: ReadUowDep,
        keys: KeysDep,
        q: str = Query(..., min_length=1),
        limit: int = Query(50, ge=1, le=500),
    ) -> Any:
        return as_json(parties.search_parties(uow, actor, keys, q, role=role, limit=limit))

    @routes.post("", status_code=status.HTTP_201_CREATED)
    def add(body: PartyIn, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
        fields = body.model_dump()
        fields["organisation"] = fields.pop("company")
        fields["billing_address"] = fields.pop("address")
        return as_json(
            parties.add_party(
                uow, actor, keys, customer=role == "customer", vendor=role == "vendor", **fields
            )
        )

    return routes


customers = role_router("customer")
vendors = role_router("vendor")


@router.get("")
def list_parties(
    actor: ActorDep,
    uow: ReadUowDep,
    keys: KeysDep,
    role: Literal["customer", "vendor"] | None = None,
    tag: str | None = None,
    page: int = Query(1, ge=1),
    limit: int = Query(50, ge=1, le=500),
) -> Any:
    return as_json(
        parties.list_parties(uow, actor, keys, role=role, tag=tag, page=page, limit=limit)
    )


@router.get("/search")
def search_parties(
    actor: ActorDep,
    uow: ReadUowDep,
    keys: KeysDep,
    q: str = Query(..., min_length=1),
    role: Literal["customer", "vendor"] | None = None,
    limit: int = Query(50, ge=1, le=500),
) -> Any:
    """Name words, a code, or an exact e-mail, phone or tax id; both roles unless asked."""
    return as_json(parties.search_parties(uow, actor, keys, q, role=role, limit=limit))


@router.get("/{key}")
def get_party(key: str, actor: ActorDep, uow: ReadUowDep, keys: KeysDep) -> Any:
    """A party by id or code, with its contacts."""
    return as_json(parties.get_party(uow, actor, keys, key))


@router.patch("/{key}")
def update_party(key: str, body: PartyPatch, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    return as_json(
        parties.update_party(
            uow, actor, keys, key, _changes(body), expected_version=body.expected_version
        )
    )


@router.delete("/{key}")
def delete_party(
    key: str, actor: ActorDep, uow: UowDep, keys: KeysDep, archive_if_used: bool = False
) -> Any:
    """Delete a party without history; one with history is refused (409/422 problem),
    or archived with ``archive_if_used=true``."""
    return {"outcome": parties.delete_party(uow, actor, keys, key, archive_if_used=archive_if_used)}


@router.post("/{key}/archive")
def archive_party(
    key: str, actor: ActorDep, uow: UowDep, keys: KeysDep, restore: bool = False
) -> Any:
    return as_json(parties.archive_party(uow, actor, keys, key, archived=not restore))


@router.post("/{key}/contacts", status_code=status.HTTP_201_CREATED)
def add_contact(key: str, body: ContactIn, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    return as_json(parties.add_contact(uow, actor, keys, key, **body.model_dump()))


@router.get("/{key}/gdpr-export")
def gdpr_export(key: str, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    """Every personal datum held about the party (audited)."""
    return parties.export_personal_data(uow, actor, keys, key)


@router.post("/{key}/gdpr-erase")
def gdpr_erase(key: str, actor: ActorDep, uow: UowDep, keys: KeysDep) -> Any:
    """Replace the party's personal data with a pseudonym; accounting stays intact."""
    return as_json(parties.erase_party(uow, actor, keys, key))
