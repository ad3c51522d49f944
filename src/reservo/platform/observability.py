"""Prometheus metrics and JSON logs (structlog) carrying correlation and tenant ids."""

from __future__ import annotations

import logging
import sys

import structlog
from prometheus_client import Counter, Gauge, Histogram

from reservo.platform.context import correlation_id
from reservo.platform.tracing import current_trace_id

HTTP_REQUESTS = Counter("reservo_http_requests_total", "HTTP requests", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "reservo_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_PUBLISHED = Counter("reservo_outbox_published_total", "Outbox rows relayed to the bus", ["service"])
OUTBOX_LAG = Gauge("reservo_outbox_unsent", "Outbox rows not yet relayed (last seen)", ["service"])
EVENTS_HANDLED = Counter(
    "reservo_events_handled_total", "Events handled by consumers", ["consumer", "type", "outcome"]
)
DEAD_LETTERS = Gauge("reservo_dead_letters", "Dead letters not yet replayed", ["service"])


def _add_correlation(
    _logger: object, _name: str, event: structlog.types.EventDict
) -> structlog.types.EventDict:
    cid = correlation_id.get()
    if cid is not None:
        event.setdefault("correlation_id", cid)
    trace_id = current_trace_id()
    if trace_id is not None:
        event.setdefault("trace_id", trace_id)
    return event


def configure_logging(level: str = "INFO", json: bool = True, service: str | None = None) -> None:
    """`service` names the process's service(s) on every line (the field log shippers group by)."""

    def _add_service(
        _logger: object, _name: str, event: structlog.types.EventDict
    ) -> structlog.types.EventDict:
        if service:
            event.setdefault("service", service)
        return event

    processors: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        _add_service,
        _add_correlation,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        # Colour codes only on a terminal: log files get plain lines.
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()),
    ]
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )
