"""Every web address in a translation ends where a link should end.

Home Assistant turns addresses in form descriptions into links. A character
written straight after an address (a full stop, a Chinese full stop, a
bracket) becomes part of the link, which then opens a wrong address.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import pytest

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / "textboost"
FILES = [
    INTEGRATION / "strings.json",
    *sorted((INTEGRATION / "translations").glob("*.json")),
]
#: An address runs until the next white space.
_ADDRESS = re.compile(r"https?://\S*")
#: What a well-formed address is made of (RFC 3986), ending in no punctuation.
_CLEAN = re.compile(
    r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*[A-Za-z0-9/_~#=-]|https?://"
)


def _texts(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}" if path else key)
    elif isinstance(node, str):
        yield path, node


def _addresses(file: Path) -> list[tuple[str, str]]:
    strings = json.loads(file.read_text(encoding="utf-8"))
    return [
        (key, address)
        for key, text in _texts(strings)
        for address in _ADDRESS.findall(text)
    ]


@pytest.mark.parametrize("file", FILES, ids=lambda f: f.name)
def test_every_address_is_followed_by_a_space_or_the_end(file: Path) -> None:
    addresses = _addresses(file)
    assert addresses, "the base URL help holds an example address"
    bad = [(key, a) for key, a in addresses if not _CLEAN.fullmatch(a)]
    assert bad == []


def test_the_check_catches_an_address_run_into_a_full_stop() -> None:
    for text in (
        "https://x.example/api/v3/。必须",
        "https://x.example/api/v3/.",
        "http://\uff09",
    ):
        assert not _CLEAN.fullmatch(_ADDRESS.findall(text)[0])
    for text in ("https://x.example/api/v3/ is", "http:// or", "https://x.example"):
        assert _CLEAN.fullmatch(_ADDRESS.findall(text)[0])
