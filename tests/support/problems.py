"""The one check that a response is an RFC 9457 problem with a stable code."""

from __future__ import annotations

from typing import Any

import httpx


def assert_problem(response: httpx.Response, status: int, code: str, **fields: Any) -> dict[str, Any]:
    """Assert `response` is a problem+json with this status and `code` (and these extra `fields`,
    e.g. reason="expired"); returns its body for further checks."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert (body.get("status"), body.get("code")) == (status, code), body
    assert {"type", "title"} <= body.keys(), body
    for key, value in fields.items():
        assert body.get(key) == value, body
    return body
