"""services.yaml describes exactly the actions that are registered."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import selector as ha_selector
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol

from custom_components.textboost.api import VOICE_LANGUAGES, VoiceGender
from custom_components.textboost.const import DOMAIN
from custom_components.textboost.services.messages import ENCODINGS
from tests.metadata.repository import (
    SERVICES_YAML,
    STRINGS,
    select_options,
)


def _schema_fields(schema: vol.Schema) -> dict[str, vol.Marker]:
    return {str(marker): marker for marker in schema.schema}


async def test_services_yaml_matches_registered_actions(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """services.yaml names exactly the registered actions and their fields."""
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert set(registered) == set(SERVICES_YAML)
    for name, service in registered.items():
        described = SERVICES_YAML[name].get("fields", {})
        assert isinstance(service.schema, vol.Schema), name
        fields = _schema_fields(service.schema)
        assert set(fields) == set(described), name
        for key, marker in fields.items():
            required = described[key].get("required", False)
            assert isinstance(marker, vol.Required) == required, f"{name}.{key}"
            if "default" in described[key]:
                assert marker.default() == described[key]["default"], f"{name}.{key}"


def test_every_service_field_has_a_valid_selector() -> None:
    """Every field has a selector that Home Assistant's selector code accepts."""
    for name, service in SERVICES_YAML.items():
        for key, spec in service.get("fields", {}).items():
            assert "selector" in spec, f"{name}.{key}"
            ha_selector.validate_selector(spec["selector"])


def test_select_options_match_the_code() -> None:
    """The choices a selector offers are the ones the action accepts."""
    assert select_options("send_sms", "encoding") == list(ENCODINGS)
    assert select_options("send_voice", "language") == list(VOICE_LANGUAGES)
    assert set(select_options("send_voice", "gender")) == {g.value for g in VoiceGender}


async def test_home_assistant_describes_every_action(hass: HomeAssistant) -> None:
    """Home Assistant builds a description, with translated names, for each action.

    The actions are registered by ``async_setup``, without an account; that
    also keeps other integrations' descriptions (notify's) out of the way.
    """
    assert await async_setup_component(hass, DOMAIN, {})
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == set(SERVICES_YAML)
    for name, description in descriptions.items():
        if "name" in description:  # Home Assistant 2026 leaves names to the frontend
            assert description["name"] == STRINGS["services"][name]["name"]
        assert set(description["fields"]) == set(SERVICES_YAML[name].get("fields", {}))
