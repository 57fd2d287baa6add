"""The README documents what exists."""

from __future__ import annotations

from custom_components.textboost.const import (
    EVENT_MESSAGE_DROPPED,
    EVENT_MESSAGE_RECEIVED,
    EVENT_MESSAGE_STATUS,
    EVENT_OUTCOME_UNKNOWN,
)
from tests.metadata.repository import (
    README,
    SERVICES_YAML,
    STRINGS,
)


def test_readme_starts_with_the_two_developer_commands() -> None:
    top = "\n".join(README.splitlines()[:40])
    assert "scripts/develop" in top
    assert "scripts/setup && scripts/test" in top


def test_readme_documents_every_action_event_and_option() -> None:
    for name in SERVICES_YAML:
        assert f"textboost.{name}" in README, name
    for event in (
        EVENT_MESSAGE_STATUS,
        EVENT_MESSAGE_DROPPED,
        EVENT_OUTCOME_UNKNOWN,
        EVENT_MESSAGE_RECEIVED,
    ):
        assert event in README, event
    for label in STRINGS["options"]["step"]["init"]["data"].values():
        assert label in README, label
    for label in STRINGS["config"]["step"]["user"]["data"].values():
        assert label in README, label
