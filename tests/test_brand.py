"""The brand images follow Home Assistant's brand rules.

Home Assistant 2026.3 and later serve ``custom_components/textboost/brand/``
itself (the brands proxy); earlier versions show a placeholder. The rules are
those of the home-assistant/brands repository: PNG with transparency, trimmed
to their content, icons square (256 and 512 px), logos with the shortest side
between 128 and 256 px, and each ``@2x`` exactly twice its 1x image.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from PIL import Image
import pytest

from custom_components.textboost.const import DOMAIN

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / DOMAIN / "brand"
ICONS = ("icon", "dark_icon")
LOGOS = ("logo", "dark_logo")
NAMES = [f"{base}{suffix}.png" for base in ICONS + LOGOS for suffix in ("", "@2x")]


def _size(name: str) -> tuple[int, int]:
    with Image.open(BRAND / name) as image:
        return image.size


def test_brand_holds_exactly_the_eight_images() -> None:
    assert sorted(p.name for p in BRAND.iterdir()) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_brand_image_is_a_transparent_png(name: str) -> None:
    with Image.open(BRAND / name) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0, "the background must be transparent"


@pytest.mark.parametrize("base", ICONS + LOGOS)
def test_2x_image_is_exactly_twice_the_1x_image(base: str) -> None:
    width, height = _size(f"{base}.png")
    assert _size(f"{base}@2x.png") == (2 * width, 2 * height)


@pytest.mark.parametrize("base", ICONS)
def test_icons_are_square_at_256_and_512(base: str) -> None:
    assert _size(f"{base}.png") == (256, 256)
    assert _size(f"{base}@2x.png") == (512, 512)


@pytest.mark.parametrize("base", LOGOS)
def test_logos_are_landscape_with_a_short_side_of_128_to_256(base: str) -> None:
    width, height = _size(f"{base}.png")
    assert width > height
    assert 128 <= height <= 256


@pytest.mark.parametrize("name", NAMES)
def test_brand_image_has_no_transparent_margin(name: str) -> None:
    """The content touches the edges (both sides of an icon's longer extent)."""
    with Image.open(BRAND / name) as image:
        left, top, right, bottom = image.getchannel("A").getbbox()
        width, height = image.size
    if name.startswith(LOGOS):
        assert (left, top, right, bottom) == (0, 0, width, height)
    else:
        assert (left, right) == (0, width) or (top, bottom) == (0, height)


async def test_home_assistant_serves_the_brand_images(
    hass: HomeAssistant, hass_client: Any
) -> None:
    """On Home Assistant 2026.3 and later the brands proxy serves brand/ itself."""
    try:
        importlib.import_module("homeassistant.components.brands")
    except ImportError:
        pytest.skip("this Home Assistant has no brands proxy (before 2026.3)")
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()
    response = await client.get(f"/api/brands/integration/{DOMAIN}/icon.png")
    assert response.status == 200
    assert await response.read() == (BRAND / "icon.png").read_bytes()
