"""Liveness, readiness and metrics (no authentication)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from hansa.api.deps import RuntimeDep
from hansa.db import migrate

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
def ready(rt: RuntimeDep) -> dict[str, Any]:
    """The database is reachable and its schema is current (503 problem otherwise)."""
    migrate.ensure_current(rt.engine)
    return {"status": "ready", "schema": migrate.head()}


@router.get("/metrics")
async def metrics() -> Response:
    """Prometheus metrics of this worker."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
