"""strings.json, translations/en.json and every other translation agree."""

from __future__ import annotations

import re

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.textboost.const import DOMAIN
from tests.metadata.repository import (
    STRINGS,
    TRANSLATIONS,
    flatten,
    placeholders,
)

#: hassfest's rule for a translation key.
TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")


def test_en_json_equals_strings_json() -> None:
    """translations/en.json is strings.json, exactly."""
    assert TRANSLATIONS["en"] == STRINGS


def test_translation_keys_follow_hassfest_rules() -> None:
    for dotted in flatten(STRINGS):
        for part in dotted.split("."):
            assert TRANSLATION_KEY.match(part), dotted


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_translation_is_complete(language: str) -> None:
    """The same keys as strings.json, no empty text, the same placeholders."""
    english = flatten(STRINGS)
    translated = flatten(TRANSLATIONS[language])
    assert sorted(set(english) - set(translated)) == [], "missing keys"
    assert sorted(set(translated) - set(english)) == [], "keys strings.json lacks"
    for key, text in translated.items():
        assert isinstance(text, str), key
        assert text.strip(), f"{key} is empty"
        assert placeholders(text) == placeholders(english[key]), key


def test_strings_have_no_empty_text() -> None:
    for key, text in flatten(STRINGS).items():
        assert isinstance(text, str), key
        assert text.strip(), key


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
async def test_home_assistant_loads_the_translation(
    hass: HomeAssistant, language: str
) -> None:
    """Home Assistant's translation loader reads each file of the integration."""
    exceptions = await async_get_translations(hass, language, "exceptions", [DOMAIN])
    prefix = f"component.{DOMAIN}.exceptions."
    loaded = {k.removeprefix(prefix) for k in exceptions if k.startswith(prefix)}
    expected = {f"{k}.message" for k in TRANSLATIONS[language]["exceptions"]}
    assert loaded == expected
