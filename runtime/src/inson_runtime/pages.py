"""What the platform's own pages share: the window console, the KPI page, the tablet app.

Each is rendered on the server in one of the three scripts, chosen by ``?lang=``,
and sent with the same guard headers. Only the page's own files may run or
style it (no inline script or style, no other origin but those named): the
sign-in token lives in the page's sessionStorage, so a script from anywhere
else must not get to run next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from inson_contracts.codes.names import Language, language
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Each language is offered under its own name, whatever the page shows now.
LANGUAGE_NAMES: Mapping[Language, str] = MappingProxyType(
    {Language.UZ_LATN: "Oʻzbekcha", Language.UZ_CYRL: "Ўзбекча", Language.RU: "Русский"}
)


def page_language(tag: str | None, default: Language = Language.UZ_LATN) -> Language:
    """The script ``?lang=`` asks for (any case), or ``default`` for none or an unknown tag."""
    if tag is None:
        return default
    try:
        return language(tag)
    except ValueError:
        return default


def page_context(language: Language, label: Callable[[str, Language], str]) -> dict[str, Any]:
    """What every page's template gets: its language (``lang``), its labels in
    it (``t``) and the languages to switch to (``languages``)."""
    return {
        "lang": language.value,
        "t": lambda key: label(key, language),
        "languages": [(tag.value, text) for tag, text in LANGUAGE_NAMES.items()],
    }


def page_headers(
    *,
    connect_src: str = "'self'",
    directives: Sequence[str] = (),
    form_action: str = "'self'",
    cache_control: str = "no-store",
) -> dict[str, str]:
    """A page's guard headers. ``connect_src``: where its scripts may call;
    ``directives``: more of the policy (a service worker's, a manifest's)."""
    policy = (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src {connect_src}",
        *directives,
        "object-src 'none'",
        "base-uri 'none'",
        f"form-action {form_action}",
        "frame-ancestors 'none'",
    )
    return {
        "Content-Security-Policy": "; ".join(policy),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": cache_control,
    }


class PageAssets(StaticFiles):
    """A page's own files, never sniffed into another type and revalidated on
    each load (ETag: cheap, and a new release's script is never mixed with an
    old page)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-cache"
        return response
