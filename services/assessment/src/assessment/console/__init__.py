"""The social worker's tablet app at /tablet/: an offline-first page over the API."""

from assessment.console.routes import install

__all__ = ["install"]
