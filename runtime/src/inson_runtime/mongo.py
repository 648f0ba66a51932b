"""MongoDB connection shared by the event store and projections."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import (
    AutoReconnect,
    ConnectionFailure,
    ExecutionTimeout,
    NetworkTimeout,
    NotPrimaryError,
    ServerSelectionTimeoutError,
    WTimeoutError,
)

Document = dict[str, Any]

# Errors after which the same operation may succeed if tried again later:
# the server is down, restarting, or failing over.
TRANSIENT_MONGO_ERRORS: tuple[type[Exception], ...] = (
    AutoReconnect,
    ConnectionFailure,
    ExecutionTimeout,
    NetworkTimeout,
    NotPrimaryError,
    ServerSelectionTimeoutError,
    WTimeoutError,
)


def connect(url: str, *, timeout_ms: int = 5000) -> AsyncMongoClient[Document]:
    return AsyncMongoClient(
        url,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        # Writes that time out are retried by the driver once; our own retry
        # loops handle longer outages.
        retryWrites=True,
        appname="inson",
    )


async def ping(client: AsyncMongoClient[Document]) -> bool:
    try:
        await client.admin.command("ping")
    except TRANSIENT_MONGO_ERRORS:
        return False
    return True
