"""Structured logs (JSON when not on a terminal). The API's Prometheus metrics are in
``hansa.api.middleware``, so that the CLI does not load the metrics client."""

from __future__ import annotations

import logging
import sys

import structlog

_configured: tuple[str, str] | None = None


def configure_logging(level: str | None = None, fmt: str = "auto") -> None:
    """Set up structlog once per process; *level* None keeps WARNING (or the setting)."""
    global _configured
    wanted = ((level or "WARNING").upper(), fmt)
    if _configured == wanted:
        return
    _configured = wanted
    json_lines = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json_lines else structlog.dev.ConsoleRenderer()
    )
    processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=processors,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(wanted[0])
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *processors,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
