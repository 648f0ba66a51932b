"""Logging (masked, structured), Prometheus metrics and health endpoints for Inson services."""

from inson_runtime.observability.http import (
    CORRELATION_HEADER,
    ObservabilityMiddleware,
    ReadinessCheck,
    RequestLedger,
    install_observability,
    observability_router,
)
from inson_runtime.observability.logging import (
    bind_log_ids,
    configure_logging,
    current_correlation_id,
    get_logger,
    log_context,
    new_correlation_id,
    route_stdlib_loggers,
    unbind_log_ids,
)
from inson_runtime.observability.masking import (
    mask_personal_data,
    mask_text,
    mask_value,
    personal_keys,
    register_personal_keys,
)
from inson_runtime.observability.metrics import ConsumeOutcome, ServiceMetrics, get_or_create

__all__ = [
    "CORRELATION_HEADER",
    "ConsumeOutcome",
    "ObservabilityMiddleware",
    "ReadinessCheck",
    "RequestLedger",
    "ServiceMetrics",
    "bind_log_ids",
    "configure_logging",
    "current_correlation_id",
    "get_logger",
    "get_or_create",
    "install_observability",
    "log_context",
    "mask_personal_data",
    "mask_text",
    "mask_value",
    "new_correlation_id",
    "observability_router",
    "personal_keys",
    "register_personal_keys",
    "route_stdlib_loggers",
    "unbind_log_ids",
]
