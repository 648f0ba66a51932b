"""What the platform's own pages share: the window console, the KPI page, the tablet app.

Each is rendered on the server in one of the three scripts, chosen by ``?lang=``,
and sent with the same guard headers. Only the page's own files may run or
style it (no inline script or style, no other origin but those named): the
sign-in token lives in the page's sessionStorage, so a script from anywhere
else must not get to run next to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from inson_contracts.codes.names import Language, language


def page_language(tag: str | None, default: Language = Language.UZ_LATN) -> Language:
    """The script ``?lang=`` asks for (any case), or ``default`` for none or an unknown tag."""
    if tag is None:
        return default
    try:
        return language(tag)
    except ValueError:
        return default


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
