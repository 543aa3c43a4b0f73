"""Tokens: password -> access + refresh; refresh; logout."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from hansa import identity
from hansa.api.deps import RuntimeDep

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class PasswordLogin(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    access_expires_at: datetime
    refresh_expires_at: datetime
    username: str


def _tokens(pair: identity.TokenPair) -> TokenResponse:
    return TokenResponse(**{f: getattr(pair, f) for f in TokenResponse.model_fields})


@router.post("/token", response_model=TokenResponse)
def token(body: PasswordLogin, rt: RuntimeDep) -> TokenResponse:
    """Exchange a user name and password for an access and a refresh token."""
    return _tokens(identity.login(rt.uow(), rt.auth, body.username, body.password))


@router.post("/refresh", response_model=TokenResponse)
def refresh(body: RefreshRequest, rt: RuntimeDep) -> TokenResponse:
    """Rotate: the refresh token given can never be used again."""
    return _tokens(identity.refresh(rt.uow(), rt.auth, body.refresh_token))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(body: RefreshRequest, rt: RuntimeDep) -> None:
    """Revoke the session of this refresh (or access) token at once."""
    identity.logout(rt.uow(), rt.auth, body.refresh_token)
