"""RFC 9457 problem details: one shape for every error the API returns."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from hansa.kernel import context
from hansa.kernel.errors import HansaError

MEDIA_TYPE = "application/problem+json"


def problem(
    status: int,
    title: str,
    detail: str,
    code: str,
    instance: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:hansa:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": instance,
        "request_id": context.request_id(),
    }
    if extra:
        body.update(extra)
    # Set here too: a 500 is answered outside the request-context middleware.
    all_headers = {"X-Request-ID": body["request_id"], **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=all_headers)


def from_error(exc: HansaError, instance: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.kind.http_status == 401 else None
    return problem(
        exc.kind.http_status,
        exc.kind.title,
        exc.message,
        exc.code,
        instance,
        extra={"details": exc.details} if exc.details else None,
        headers=headers,
    )
