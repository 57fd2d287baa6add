"""The API base URL a user typed becomes the v3 API root."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.textboost.api import (
    DEFAULT_BASE_URL,
    InvalidBaseUrl,
    TextBoostClient,
    normalize_base_url,
)

from .conftest import PLACEHOLDER_TOKEN


@pytest.mark.parametrize(
    ("typed", "root"),
    [
        ("https://host", "https://host/api/v3/"),
        ("https://host/", "https://host/api/v3/"),
        ("https://host/api/v3", "https://host/api/v3/"),
        ("https://host/api/v3/", "https://host/api/v3/"),
        ("https://host/api/http/", "https://host/api/v3/"),
        ("  https://host:8443/sms/  ", "https://host:8443/sms/api/v3/"),
        ("HTTPS://host", "https://host/api/v3/"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/api/v3/"),
        ("http://localhost", "http://localhost/api/v3/"),
        ("http://[::1]:8080/api/v3", "http://[::1]:8080/api/v3/"),
        (DEFAULT_BASE_URL, DEFAULT_BASE_URL),
    ],
)
def test_normalize_base_url(typed: str, root: str) -> None:
    assert normalize_base_url(typed) == root


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("http://example.com", "insecure"),
        ("http://192.168.1.10", "insecure"),
        ("ftp://host", "scheme"),
        ("host/api/v3", "scheme"),
        ("", "scheme"),
        ("https://", "host"),
        ("https://user:secret@host", "host"),
        ("https://host/?token=1", "host"),
        ("https://host/#top", "host"),
        ("https://[::1", "host"),
        ("https://host:99999", "host"),
        ("https://host:port", "host"),
    ],
)
def test_normalize_base_url_refuses(typed: str, reason: str) -> None:
    with pytest.raises(InvalidBaseUrl) as caught:
        normalize_base_url(typed)
    assert caught.value.reason == reason
    assert str(caught.value) == f"Invalid API base URL ({reason})"


def test_invalid_base_url_is_a_value_error() -> None:
    assert issubclass(InvalidBaseUrl, ValueError)


async def test_client_uses_the_normalised_root_and_the_default() -> None:
    async with aiohttp.ClientSession() as session:
        assert TextBoostClient(session, PLACEHOLDER_TOKEN).base_url == DEFAULT_BASE_URL
        custom = TextBoostClient(session, PLACEHOLDER_TOKEN, "https://sms.example")
        assert custom.base_url == "https://sms.example/api/v3/"


async def test_client_refuses_an_insecure_base_url() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(InvalidBaseUrl):
            TextBoostClient(session, PLACEHOLDER_TOKEN, "http://example.com")


async def test_client_repr_names_the_root_but_not_the_token() -> None:
    async with aiohttp.ClientSession() as session:
        client = TextBoostClient(session, PLACEHOLDER_TOKEN, "https://sms.example")
    assert repr(client) == "TextBoostClient(base_url='https://sms.example/api/v3/')"
    assert PLACEHOLDER_TOKEN not in repr(client)
    assert PLACEHOLDER_TOKEN not in str(client)
