"""Running the API under Uvicorn (one process, or several workers)."""

from __future__ import annotations

import os

import uvicorn

from hansa.settings import Settings


def run_server(
    settings: Settings, *, host: str | None, port: int | None, workers: int | None
) -> None:
    host = host or settings.api_host
    port = port or settings.api_port
    workers = workers or settings.api_workers
    # Worker processes build their own settings: hand them what this process resolved.
    os.environ["HANSA_DATABASE_URL"] = settings.resolved_database_url
    os.environ["HANSA_HOME"] = str(settings.home)
    uvicorn.run(
        "hansa.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )
