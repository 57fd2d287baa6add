"""Assertions shared by the client tests."""

from __future__ import annotations

from typing import Any

REDACTED_BEARER = "Bearer **REDACTED**"


def assert_request(
    logged: Any,
    method: str,
    path: str,
    body: Any = None,
    query: dict[str, str] | None = None,
) -> None:
    """Assert exactly what reached the sandbox for one request."""
    assert (logged.method, logged.path, logged.family) == (method, path, "v3")
    assert logged.body == body
    assert logged.query == (query or {})
    assert logged.headers["Accept"] == "application/json"
    assert logged.headers["Authorization"] == REDACTED_BEARER
    if body is not None:
        assert logged.headers["Content-Type"] == "application/json"
    assert logged.fault is None
