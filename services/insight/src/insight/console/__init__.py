"""The KPI page: server-rendered figures and SVG charts in three scripts."""

from insight.console.routes import install

__all__ = ["install"]
