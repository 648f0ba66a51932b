"""Partner webhook endpoints over HTTP: one POST per attempt, its failure named in a few words."""

from __future__ import annotations

from collections.abc import Mapping

import httpx


class HttpWebhooks:
    def __init__(self, client: httpx.AsyncClient, *, timeout_s: float) -> None:
        self.client = client
        self.timeout_s = timeout_s

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> str | None:
        """None when the partner took it, else what went wrong (never the URL: it may
        carry the partner's credentials)."""
        try:
            response = await self.client.post(
                url, content=body, headers=dict(headers), timeout=self.timeout_s
            )
        except httpx.TimeoutException:
            return "timed out"
        except httpx.HTTPError as exc:
            return f"unreachable: {type(exc).__name__}"
        if response.is_success:
            return None
        return f"HTTP {response.status_code}"
