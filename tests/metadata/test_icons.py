"""icons.json covers every entity and every action."""

from __future__ import annotations

import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers.icon import async_get_icons

from custom_components.textboost.const import DOMAIN
from tests.metadata.repository import (
    ICONS,
    SERVICES_YAML,
    STRINGS,
    flatten,
)

ICON = re.compile(r"^mdi:[a-z0-9]+(-[a-z0-9]+)*$")


def test_icons_cover_every_entity_and_action() -> None:
    """An icon for each entity translation key and each action, and nothing stale."""
    for platform, keys in STRINGS["entity"].items():
        assert set(ICONS["entity"].get(platform, {})) == set(keys), platform
    assert set(ICONS["entity"]) == set(STRINGS["entity"])
    assert set(ICONS["services"]) == set(SERVICES_YAML)
    for path, icon in flatten(ICONS).items():
        assert ICON.match(icon), path


async def test_home_assistant_loads_the_icons(hass: HomeAssistant) -> None:
    """Home Assistant's icon loader reads icons.json for entities and actions."""
    entity = await async_get_icons(hass, "entity", [DOMAIN])
    services = await async_get_icons(hass, "services", [DOMAIN])
    assert entity[DOMAIN] == ICONS["entity"]
    assert set(services[DOMAIN]) == set(SERVICES_YAML)
