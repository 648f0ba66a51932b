"""The window console: the web page window operators work their queue in."""

from referral.console.routes import install

__all__ = ["install"]
