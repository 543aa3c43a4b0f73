"""Users, roles, the caller, and API keys."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from hansa import identity
from hansa.api.deps import ActorDep, IdPath, ReadUowDep, RuntimeDep, UowDep

router = APIRouter(prefix="/api/v1", tags=["identity"])


class UserOut(BaseModel):
    id: int
    username: str
    email: str | None
    roles: list[str]
    active: bool
    locked_until: datetime | None
    created_at: datetime
    last_login_at: datetime | None
    version: int


def _user(user: identity.User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        email=user.email,
        roles=list(user.roles),
        active=user.active,
        locked_until=user.locked_until,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        version=user.version,
    )


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    roles: list[str] = Field(min_length=1)
    email: str | None = None
    password: str | None = Field(default=None, max_length=1024)


class UserPatch(BaseModel):
    email: str | None = None
    roles: list[str] | None = None
    expected_version: int | None = Field(
        default=None, description="Refuse with 409 if the user changed since this version."
    )


class RoleOut(BaseModel):
    name: str
    description: str
    permissions: list[str]


class Me(BaseModel):
    username: str
    roles: list[str]
    via: str


@router.get("/me", response_model=Me)
def me(actor: ActorDep) -> Me:
    """Who the credentials belong to."""
    return Me(username=actor.username, roles=sorted(actor.roles), via=actor.via)


@router.get("/users", response_model=list[UserOut])
def list_users(actor: ActorDep, uow: ReadUowDep) -> list[UserOut]:
    return [_user(u) for u in identity.list_users(uow, actor)]


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def add_user(body: UserIn, actor: ActorDep, uow: UowDep, rt: RuntimeDep) -> UserOut:
    return _user(
        identity.add_user(
            uow,
            rt.auth,
            actor,
            username=body.username,
            roles=body.roles,
            email=body.email,
            password=body.password,
        )
    )


@router.get("/users/{username}", response_model=UserOut)
def get_user(username: str, actor: ActorDep, uow: ReadUowDep) -> UserOut:
    return _user(identity.get_user(uow, actor, username))


@router.patch("/users/{username}", response_model=UserOut)
def update_user(username: str, body: UserPatch, actor: ActorDep, uow: UowDep) -> UserOut:
    return _user(
        identity.update_user(
            uow,
            actor,
            username,
            email=body.email,
            roles=body.roles,
            expected_version=body.expected_version,
        )
    )


@router.post("/users/{username}/disable", response_model=UserOut)
def disable_user(username: str, actor: ActorDep, uow: UowDep) -> UserOut:
    return _user(identity.disable_user(uow, actor, username))


@router.post("/users/{username}/enable", response_model=UserOut)
def enable_user(username: str, actor: ActorDep, uow: UowDep) -> UserOut:
    return _user(identity.enable_user(uow, actor, username))


@router.get("/roles", response_model=list[RoleOut])
def list_roles(actor: ActorDep) -> list[RoleOut]:
    return [
        RoleOut(name=r.name, description=r.description, permissions=sorted(r.permissions))
        for r in identity.list_roles()
    ]


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_days: int | None = Field(default=None, ge=1, le=3650)
    username: str | None = None


class ApiKeyOut(BaseModel):
    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class NewApiKey(ApiKeyOut):
    key: str = Field(description="Shown once; Hansa stores only its hash.")


def _key(key: identity.ApiKey) -> dict[str, object]:
    return {f: getattr(key, f) for f in ApiKeyOut.model_fields}


@router.get("/apikeys", response_model=list[ApiKeyOut])
def list_api_keys(actor: ActorDep, uow: ReadUowDep) -> list[ApiKeyOut]:
    return [ApiKeyOut.model_validate(_key(k)) for k in identity.list_api_keys(uow, actor)]


@router.post("/apikeys", response_model=NewApiKey, status_code=status.HTTP_201_CREATED)
def create_api_key(body: ApiKeyIn, actor: ActorDep, uow: UowDep) -> NewApiKey:
    key, plaintext = identity.create_api_key(
        uow, actor, body.name, expires_days=body.expires_days, username=body.username
    )
    return NewApiKey.model_validate({**_key(key), "key": plaintext})


@router.delete("/apikeys/{key_id}", response_model=ApiKeyOut)
def revoke_api_key(key_id: IdPath, actor: ActorDep, uow: UowDep) -> ApiKeyOut:
    return ApiKeyOut.model_validate(_key(identity.revoke_api_key(uow, actor, key_id)))
