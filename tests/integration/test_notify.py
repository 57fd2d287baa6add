"""Notify: the legacy notify.textboost_sms service, and a notify entity per recipient."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.notify import NotifyEntityFeature
from homeassistant.config_entries import SOURCE_REAUTH, ConfigSubentryData
from homeassistant.const import ATTR_SUPPORTED_FEATURES, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.textboost.const import CONF_PHONE, DOMAIN, EVENT_MESSAGE_STATUS
from sandbox import Fault, Sandbox
from tests.helpers import ACCOUNT_UID, NUMBER, OTHER, bodies

MOM = NUMBER
DAD = OTHER
OTHER = "447700900123"


async def notify(hass: HomeAssistant, **data: Any) -> None:
    """Call the legacy notify service of the account."""
    await hass.services.async_call("notify", "textboost_sms", data, blocking=True)


# The legacy service: notify.textboost_sms


@pytest.mark.usefixtures("init_integration")
async def test_numbers_and_a_group(hass: HomeAssistant, account: Sandbox) -> None:
    """Targets are numbers as typed and contact groups by name."""
    account.add_group("Family", contacts=2)

    await notify(
        hass,
        message="The garage door is open",
        target=["+31 6 1234 5678", "family", "31610000002"],
        data={"sender_id": "HomeAlarm"},
    )

    assert bodies(account) == [
        {
            "recipient": f"{MOM},31610000002,31610000001",
            "type": "plain",
            "message": "The garage door is open",
            "sender_id": "HomeAlarm",
        }
    ]


@pytest.mark.usefixtures("init_integration")
async def test_title_is_the_first_line(hass: HomeAssistant, account: Sandbox) -> None:
    """A notification's title heads the text."""
    await notify(hass, title="Garage", message="The door is open", target=[MOM])

    assert bodies(account)[0]["message"] == "Garage\nThe door is open"


@pytest.mark.usefixtures("init_integration")
async def test_voice_call(hass: HomeAssistant, account: Sandbox) -> None:
    """``data.type: voice`` calls and reads the message aloud."""
    await notify(
        hass,
        message="Smoke in the kitchen",
        target=[MOM],
        data={"type": "voice", "language": "nl-nl", "gender": "male"},
    )

    assert bodies(account) == [
        {
            "recipient": MOM,
            "type": "voice",
            "message": "Smoke in the kitchen",
            "language": "nl-nl",
            "gender": "male",
        }
    ]


@pytest.mark.usefixtures("init_integration")
async def test_voice_with_default_voice(hass: HomeAssistant, account: Sandbox) -> None:
    """A voice call without language and gender uses the defaults."""
    await notify(hass, message="Hi", target=[MOM], data={"type": "Voice"})

    assert bodies(account)[0] == {
        "recipient": MOM,
        "type": "voice",
        "message": "Hi",
        "language": "en-gb",
        "gender": "female",
    }


@pytest.mark.usefixtures("init_integration")
async def test_picture_message(hass: HomeAssistant, account: Sandbox) -> None:
    """``data.type: mms`` sends the picture at ``media_url``."""
    await notify(
        hass,
        message="Someone is at the door",
        target=[MOM, OTHER],
        data={"type": "mms", "media_url": "https://cdn.example.com/door.jpg"},
    )

    assert bodies(account) == [
        {
            "recipient": f"{MOM},{OTHER}",
            "type": "mms",
            "message": "Someone is at the door",
            "media_url": "https://cdn.example.com/door.jpg",
        }
    ]


@pytest.mark.parametrize(
    ("data", "target", "key", "message"),
    [
        pytest.param(
            {"type": "fax"},
            [MOM],
            "invalid_notify_type",
            "Unknown message type fax. Use sms, voice or mms",
            id="unknown-type",
        ),
        pytest.param(
            {"priority": "high", "color": "red"},
            [MOM],
            "unknown_notify_data",
            "Unknown notify data: color, priority. Use sender_id, type, encoding, media_url, "
            "camera_entity_id, language or gender",
            id="unknown-data",
        ),
        pytest.param(
            {},
            [MOM, "+31 6 12", "06-CALL-ME"],
            "invalid_recipients",
            "These are not phone numbers: +31 6 12. Use 7 to 15 digits with the "
            "country code, for example +31 6 1234 5678",
            id="mistyped-number",
        ),
        pytest.param(
            {},
            [MOM, "Neighbours"],
            "unknown_group",
            "No contact group is named Neighbours. Check the name or uid with the "
            "textboost.list_groups action",
            id="unknown-group",
        ),
        pytest.param(
            {},
            None,
            "no_notify_target",
            "The notification has no target. Give phone numbers or contact groups "
            "as target, or add recipients to the TextBoost account",
            id="no-target",
        ),
        pytest.param(
            {"type": "voice", "language": "tlh"},
            [MOM],
            "invalid_language",
            "The language tlh is not available for voice messages. Pick one from "
            "the list",
            id="unknown-language",
        ),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_notify_mistakes(
    hass: HomeAssistant,
    account: Sandbox,
    data: dict[str, Any],
    target: list[str] | None,
    key: str,
    message: str,
) -> None:
    """A mistake in a notification is named, and nothing is sent."""
    account.add_group("Family", contacts=1)
    call: dict[str, Any] = {"message": "Hi", "data": data}
    if target is not None:
        call["target"] = target

    with pytest.raises(ServiceValidationError) as caught:
        await notify(hass, **call)

    assert caught.value.translation_key == key
    assert str(caught.value) == message
    assert bodies(account) == []


@pytest.mark.usefixtures("init_integration")
async def test_group_named_like_a_number(hass: HomeAssistant, account: Sandbox) -> None:
    """A known group is a group, even when its name looks like a number."""
    account.add_group("112 112 112", contacts=1)
    await hass.config_entries.async_reload(
        hass.config_entries.async_entries(DOMAIN)[0].entry_id
    )
    await hass.async_block_till_done()

    await notify(hass, message="Drill at noon", target=["112 112 112"])

    assert bodies(account)[0]["recipient"] == "31610000001"


@pytest.mark.parametrize("saved_recipients", [[("Mom", MOM), ("Dad", DAD)]])
@pytest.mark.usefixtures("init_integration")
async def test_without_target_the_saved_recipients(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Without a target, the account's saved recipients get the message."""
    await notify(hass, message="Dinner is ready")

    assert bodies(account) == [
        {"recipient": f"{MOM},{DAD}", "type": "plain", "message": "Dinner is ready"}
    ]


@pytest.mark.parametrize("saved_recipients", [[("Mom", MOM)]])
@pytest.mark.usefixtures("init_integration")
async def test_driven_by_an_alert(
    hass: HomeAssistant, account: Sandbox, freezer: FrozenDateTimeFactory
) -> None:
    """The alert integration nags through notify.textboost_sms until it stops."""
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"front_door": {}}}
    )
    assert await async_setup_component(
        hass,
        "alert",
        {
            "alert": {
                "front_door": {
                    "name": "Front door open",
                    "entity_id": "input_boolean.front_door",
                    "state": "on",
                    "repeat": 30,
                    "title": "Front door",
                    "message": "The front door has been open for a while",
                    "notifiers": ["textboost_sms"],
                    "data": {"sender_id": "HomeAlarm"},
                }
            }
        },
    )
    await hass.async_block_till_done()

    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.front_door"}
    )
    await hass.async_block_till_done()

    expected = {
        "recipient": MOM,
        "type": "plain",
        "message": "Front door\nThe front door has been open for a while",
        "sender_id": "HomeAlarm",
    }
    assert bodies(account) == [expected]

    freezer.tick(timedelta(minutes=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert bodies(account) == [expected, expected]

    await hass.services.async_call(
        "input_boolean", "turn_off", {"entity_id": "input_boolean.front_door"}
    )
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(bodies(account)) == 2


# A notify entity per saved recipient


@pytest.mark.platforms(Platform.NOTIFY)
@pytest.mark.parametrize("saved_recipients", [[("Mom", MOM), ("Dad", DAD)]])
async def test_notify_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.parametrize("saved_recipients", [[("Mom", MOM), ("Dad", DAD)]])
@pytest.mark.usefixtures("init_integration")
async def test_recipient_entity(hass: HomeAssistant, account: Sandbox) -> None:
    """notify.send_message texts the recipient; the title is the first line."""
    state = hass.states.get("notify.mom")
    assert state is not None
    assert state.attributes[ATTR_SUPPORTED_FEATURES] == NotifyEntityFeature.TITLE
    entity = er.async_get(hass).async_get("notify.mom")
    assert entity is not None
    assert entity.config_subentry_id is not None
    device = dr.async_get(hass).async_get(entity.device_id or "")
    assert device is not None
    assert (device.name, device.model) == ("Mom", "SMS recipient")
    [account_device] = [
        d
        for d in dr.async_entries_for_config_entry(
            dr.async_get(hass), entity.config_entry_id or ""
        )
        if d.identifiers == {(DOMAIN, ACCOUNT_UID)}
    ]
    assert device.via_device_id == account_device.id

    await hass.services.async_call(
        "notify",
        "send_message",
        {
            "entity_id": "notify.mom",
            "title": "Reminder",
            "message": "Call the plumber",
        },
        blocking=True,
    )
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.dad", "message": "Bins out"},
        blocking=True,
    )

    assert bodies(account) == [
        {"recipient": MOM, "type": "plain", "message": "Reminder\nCall the plumber"},
        {"recipient": DAD, "type": "plain", "message": "Bins out"},
    ]
    assert hass.states.get("notify.mom").state != "unknown"


@pytest.mark.parametrize("saved_recipients", [[("Mom", MOM)]])
async def test_only_recipient_subentries_are_entities(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, account: Sandbox
) -> None:
    """A subentry of another kind is neither an entity nor a default target."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=dict(mock_config_entry.data),
        subentries_data=[
            *(
                ConfigSubentryData(
                    data=dict(sub.data),
                    subentry_type=sub.subentry_type,
                    title=sub.title,
                    unique_id=sub.unique_id,
                )
                for sub in mock_config_entry.subentries.values()
            ),
            ConfigSubentryData(
                data={CONF_PHONE: DAD},
                subentry_type="future_kind",
                title="Dad",
                unique_id=DAD,
            ),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert hass.states.get("notify.mom") is not None
    assert hass.states.get("notify.dad") is None
    await notify(hass, message="Hi")
    assert bodies(account)[0]["recipient"] == MOM


async def test_not_a_yaml_platform(hass: HomeAssistant) -> None:
    """The notify service comes with the account, not from YAML."""
    assert await async_setup_component(
        hass, "notify", {"notify": [{"platform": DOMAIN, "name": "from_yaml"}]}
    )
    await hass.async_block_till_done()

    assert not hass.services.has_service("notify", "from_yaml")


# A partial failure is never silent (no response to read through notify)

TARGETS = ["+31 6 1234 5670", "+31 6 1234 5671", "+31 6 1234 5672"]


@pytest.mark.usefixtures("init_integration")
async def test_a_refused_target_is_logged_and_reported_by_event(
    hass: HomeAssistant, account: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    account.state.blacklist.add("31612345670")
    statuses = async_capture_events(hass, EVENT_MESSAGE_STATUS)

    await notify(hass, message="Smoke alarm", target=TARGETS)

    [request] = account.requests_to("sms/send")
    assert request.body["recipient"] == "31612345670,31612345671,31612345672"
    [sent] = statuses  # the send's answer: one event
    refused = [r for r in sent.data["recipients"] if r["status"] == "Rejected"]
    assert refused == [
        {
            "uid": None,
            "to": "31612345670",
            "status": "Rejected",
            "error": "Number contains in the blacklist",
        }
    ]
    assert (
        "Notify: the message to …670 was refused: Number contains in the blacklist"
        in caplog.text
    )
    assert "31612345670" not in caplog.text  # the number is masked


@pytest.mark.usefixtures("init_integration")
async def test_a_notify_that_reached_nobody_raises(
    hass: HomeAssistant, account: Sandbox
) -> None:
    account.state.blacklist.update({"31612345670", "31612345671"})

    with pytest.raises(HomeAssistantError) as raised:
        await notify(hass, message="Smoke alarm", target=TARGETS[:2])

    assert raised.value.translation_key == "send_rejected"


@pytest.mark.usefixtures("init_integration")
async def test_a_success_answer_that_accepted_nobody_raises(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """The server says "success" but names every number as refused."""
    account.inject_response(
        200,
        json.dumps(
            {
                "status": "success",
                "message": "Number contains in the blacklist",
                "data": [],
            }
        ).encode(),
        "application/json",
        path="sms/send",
    )

    with pytest.raises(HomeAssistantError) as raised:
        await notify(hass, message="Smoke alarm", target=TARGETS[:2])

    assert raised.value.translation_key == "send_refused_all"
    assert str(raised.value) == (
        "TextBoost sent the message to none of its recipients: "
        "…670: Number contains in the blacklist; …671: Number contains in the "
        "blacklist. Check the numbers, or remove them from the blacklist on the "
        "TextBoost website, then send again"
    )


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("saved_recipients", [[("Mom", MOM)]])
async def test_a_recipient_entity_whose_number_is_refused_raises(
    hass: HomeAssistant, account: Sandbox
) -> None:
    account.state.blacklist.add(MOM)

    with pytest.raises(HomeAssistantError) as raised:
        await hass.services.async_call(
            "notify",
            "send_message",
            {"entity_id": "notify.mom", "message": "Bins out"},
            blocking=True,
        )

    assert raised.value.translation_key == "send_rejected"
    assert "Number contains in the blacklist" in str(raised.value)


@pytest.mark.usefixtures("init_integration")
async def test_notify_when_the_groups_cannot_be_read(
    hass: HomeAssistant, account: Sandbox
) -> None:
    account.inject(Fault.HTTP_500_HTML, path="contacts")

    with pytest.raises(HomeAssistantError) as raised:
        await notify(hass, message="Smoke alarm", target=["Family"])

    assert raised.value.translation_key == "service_unavailable"
    assert account.requests_to("sms/send") == []


@pytest.mark.parametrize(
    ("path", "target"), [("sms/send", NUMBER), ("contacts", "Family")]
)
async def test_a_refused_token_through_notify_starts_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    path: str,
    target: str,
) -> None:
    """Whether the send or the group look-up finds the token refused."""
    account.inject(Fault.UNAUTHENTICATED, path=path)

    with pytest.raises(HomeAssistantError) as raised:
        await notify(hass, message="Smoke alarm", target=[target])

    assert raised.value.translation_key == "auth_failed"
    await hass.async_block_till_done()
    flows = init_integration.async_get_active_flows(hass, {SOURCE_REAUTH})
    assert len(list(flows)) == 1
