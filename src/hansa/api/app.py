"""The FastAPI application: routes, the one error handler, request context."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from hansa import __version__, events
from hansa.api import problems
from hansa.api.middleware import RequestContext
from hansa.api.routes import (
    audit,
    auth,
    crm,
    health,
    inventory,
    inventory_counting,
    inventory_stock,
    ledger,
    ledger_fx,
    ledger_matching,
    ledger_taxes,
    parties,
    system,
    users,
)
from hansa.kernel.errors import HansaError
from hansa.observability import configure_logging
from hansa.runtime import Runtime
from hansa.settings import Settings, load_settings

log = logging.getLogger("hansa.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API for *settings* (default: loaded from file and environment)."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_format)
    runtime = Runtime(settings)

    dispatcher = events.Dispatcher(runtime.uow)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        dispatcher.start()
        yield
        dispatcher.stop()
        runtime.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Hansa ERP API",
        version=__version__,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        description="Every route uses the same services and permissions as the CLI. "
        "Errors are RFC 9457 problem details with a stable `code`.",
    )
    app.state.runtime = runtime
    app.add_middleware(RequestContext)

    @app.exception_handler(HansaError)
    async def hansa_error(request: Request, exc: HansaError) -> JSONResponse:
        return problems.from_error(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        detail = f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
        return problems.problem(
            400,
            "Invalid input",
            detail,
            "hansa.invalid_input",
            request.url.path,
            extra={"errors": errors},
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "http.not_found", 405: "http.method_not_allowed"}.get(
            exc.status_code, f"http.{exc.status_code}"
        )
        return problems.problem(
            exc.status_code, str(exc.detail), str(exc.detail), code, request.url.path
        )

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problems.problem(
            500,
            "Internal error",
            "an unexpected error occurred; the request id identifies it in the server log",
            "hansa.internal",
            request.url.path,
        )

    for router in (
        health.router,
        auth.router,
        users.router,
        audit.router,
        system.router,
        ledger.router,
        ledger.reports,
        ledger_fx.router,
        ledger_taxes.router,
        ledger_taxes.reports,
        ledger_matching.router,
        ledger_matching.reports,
        parties.customers,
        parties.vendors,
        parties.router,
        crm.router,
        inventory.router,
        inventory_stock.router,
        inventory_stock.reports,
        inventory_counting.router,
    ):
        app.include_router(router)
    return app
