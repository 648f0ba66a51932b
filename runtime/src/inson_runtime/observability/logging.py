"""Structured, masked logging for Inson services.

Everything - our structlog calls and the stdlib loggers of uvicorn, aiokafka, FastStream and
PyMongo - ends in one handler whose `ProcessorFormatter` adds the service name, renders the
traceback, masks personal data and renders JSON (or a console line on a TTY). Correlation and
causation ids live in contextvars, so they follow a request or a consumed event through
`await`s and into threads started with a copied context.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final, cast

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from inson_runtime.observability.masking import mask_personal_data, set_fingerprints

__all__ = [
    "LOG_ID_KEYS",
    "bind_log_ids",
    "configure_logging",
    "current_correlation_id",
    "get_logger",
    "log_context",
    "new_correlation_id",
    "route_stdlib_loggers",
    "unbind_log_ids",
]

LOG_ID_KEYS: Final = ("correlation_id", "causation_id", "event_id", "event_type")

# Libraries that install their own handlers (and stop propagation) would bypass masking.
_LIBRARY_LOGGERS: Final = (
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "aiokafka",
    "faststream",
    "faststream.access",
    "faststream.access.kafka",
    "pymongo",
)


class _StdoutHandler(logging.Handler):
    """Writes to whatever `sys.stdout` is at emit time.

    A `StreamHandler` keeps the stream it was created with, which breaks once pytest swaps
    and closes its capture streams, and ignores `capsys`.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        except Exception:  # stdlib contract: report, never raise
            self.handleError(record)


def _add_service(service: str) -> Processor:
    def add_service(logger: WrappedLogger, method_name: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        # uvicorn's ANSI-coloured duplicate of the message, useless in JSON.
        event_dict.pop("color_message", None)
        return event_dict

    return add_service


def _level_number(level: str) -> int:
    number = logging.getLevelNamesMapping().get(level.strip().upper())
    if number is None:
        raise ValueError(f"unknown log level {level!r}")
    return number


def route_stdlib_loggers(*names: str) -> None:
    """Make the named stdlib loggers propagate to the root handler, dropping their own.

    Call again for loggers that are set up after `configure_logging`, e.g. FastStream's
    `faststream.access.kafka`, which gets a handler when the broker is created - or pass
    `logger=logging.getLogger("faststream")` to the broker to avoid that.
    """
    for name in names:
        library_logger = logging.getLogger(name)
        library_logger.handlers.clear()
        library_logger.propagate = True


def configure_logging(
    service: str,
    level: str = "INFO",
    json: bool | None = None,
    *,
    fingerprints: bool = True,
) -> None:
    """Configure structlog and the stdlib root logger; safe to call again (tests, reload)."""
    numeric_level = _level_number(level)
    render_json = not sys.stdout.isatty() if json is None else json
    set_fingerprints(fingerprints)

    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    # Processors for records from stdlib loggers; structlog calls did the same steps already.
    foreign_pre_chain: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        timestamper,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if render_json
        else structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=foreign_pre_chain,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _add_service(service),
            # Tracebacks are rendered to text here even for the console so that they are
            # masked too; pretty tracebacks are not worth a leaked PINFL in a local log.
            structlog.processors.format_exc_info,
            mask_personal_data,
            renderer,
        ],
    )

    handler = _StdoutHandler()
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for existing in [h for h in root.handlers if isinstance(h, _StdoutHandler)]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(numeric_level)

    route_stdlib_loggers(*_LIBRARY_LOGGERS)
    # PyMongo's command log at DEBUG carries whole documents; its JSON-in-JSON escaping
    # defeats key=value masking, so it stays off even when the service runs at DEBUG.
    logging.getLogger("pymongo.command").setLevel(max(numeric_level, logging.INFO))

    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.PositionalArgumentsFormatter(),
            timestamper,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # The chain above holds nothing per-configuration, so caching stays correct when
        # configure_logging runs again with another service name or renderer.
        cache_logger_on_first_use=True,
    )


def get_logger(name: str | None = None, **initial_values: Any) -> structlog.stdlib.BoundLogger:
    return cast(structlog.stdlib.BoundLogger, structlog.get_logger(name, **initial_values))


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def _ids(values: dict[str, object]) -> dict[str, str]:
    return {key: str(value) for key, value in values.items() if value is not None}


def bind_log_ids(
    *,
    correlation_id: object = None,
    causation_id: object = None,
    event_id: object = None,
    event_type: object = None,
    **extra: object,
) -> None:
    """Bind ids for the rest of the current context; `None` leaves a key as it was."""
    structlog.contextvars.bind_contextvars(
        **_ids(
            {
                "correlation_id": correlation_id,
                "causation_id": causation_id,
                "event_id": event_id,
                "event_type": event_type,
                **extra,
            }
        )
    )


def unbind_log_ids(*keys: str) -> None:
    """Unbind the given keys, by default all of `LOG_ID_KEYS`."""
    structlog.contextvars.unbind_contextvars(*(keys or LOG_ID_KEYS))


@contextmanager
def log_context(
    *,
    correlation_id: object = None,
    causation_id: object = None,
    event_id: object = None,
    event_type: object = None,
    **extra: object,
) -> Iterator[None]:
    """Bind ids for a block and restore the previous values afterwards (nesting is safe)."""
    ids = _ids(
        {
            "correlation_id": correlation_id,
            "causation_id": causation_id,
            "event_id": event_id,
            "event_type": event_type,
            **extra,
        }
    )
    with structlog.contextvars.bound_contextvars(**ids):
        yield


def current_correlation_id() -> str | None:
    """The correlation id bound in this context, to be copied onto published events."""
    value = structlog.contextvars.get_contextvars().get("correlation_id")
    return None if value is None else str(value)
