"""Reference data the assessment service reads: the social-worker directory."""

from __future__ import annotations

from assessment.reference.workers import (
    WORKER_COUNT_PILOT,
    WORKERS_FILE_ENV,
    Supervisor,
    Worker,
    WorkerDataError,
    inson_center_of,
    reload_workers,
    supervisor_of,
    supervisors,
    worker,
    workers,
    workers_covering,
    workers_source,
)

__all__ = [
    "WORKERS_FILE_ENV",
    "WORKER_COUNT_PILOT",
    "Supervisor",
    "Worker",
    "WorkerDataError",
    "inson_center_of",
    "reload_workers",
    "supervisor_of",
    "supervisors",
    "worker",
    "workers",
    "workers_covering",
    "workers_source",
]
