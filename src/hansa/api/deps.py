"""Request dependencies: the runtime, units of work and the authenticated actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from hansa import identity
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import Actor
from hansa.kernel.errors import Unauthenticated
from hansa.runtime import Runtime

bearer = HTTPBearer(auto_error=False, description="An access token or an API key")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


RuntimeDep = Annotated[Runtime, Depends(runtime)]


def uow(rt: RuntimeDep) -> UnitOfWork:
    return rt.uow()


def read_uow(rt: RuntimeDep) -> UnitOfWork:
    return rt.uow(readonly=True)


def current_actor(
    rt: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> Actor:
    token = credentials.credentials if credentials else api_key
    if not token:
        raise Unauthenticated(
            "send 'Authorization: Bearer <token>' or 'X-API-Key: <key>'",
            code="identity.no_credentials",
        )
    return identity.authenticate(rt.uow(readonly=True), rt.auth, token)


UowDep = Annotated[UnitOfWork, Depends(uow)]
ReadUowDep = Annotated[UnitOfWork, Depends(read_uow)]
ActorDep = Annotated[Actor, Depends(current_actor)]

# Database ids are 64-bit; a larger number can name nothing (and would overflow SQLite).
IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
