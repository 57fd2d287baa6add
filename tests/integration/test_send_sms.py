"""textboost.send_sms: what reaches the provider, and what the action answers."""

from __future__ import annotations

import json
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.textboost.api import phone
from custom_components.textboost.const import CONF_MAX_SEGMENTS, CONF_SENDER_ID
from sandbox import Fault, Sandbox
from tests.helpers import NUMBER, OTHER, bodies, call_action, send_sms


def accepted(
    number: str, uid: str, *, cost: float = 0.05, segments: int = 1, **extra: Any
) -> dict[str, Any]:
    """The response entry of a recipient the provider accepted."""
    return {
        "recipient": number,
        "state": "accepted",
        "uid": uid,
        "status": "Enroute",
        "cost": cost,
        "segments": segments,
        "encoding": "gsm7",
        "error": None,
        **extra,
    }


@pytest.mark.usefixtures("init_integration")
async def test_send_to_one_number(hass: HomeAssistant, account: Sandbox) -> None:
    """A number as people type it reaches the provider as digits."""
    response = await send_sms(
        hass, recipients=["+31 6 1234 5678"], message="The washing machine is done"
    )

    assert bodies(account) == [
        {"recipient": NUMBER, "type": "plain", "message": "The washing machine is done"}
    ]
    (stored,) = account.sent_messages()
    assert response == {
        "queue_id": None,
        "requests": 1,
        "server_message": None,
        "recipients": [accepted(NUMBER, stored.uid)],
    }


@pytest.mark.usefixtures("init_integration")
async def test_send_with_every_option(hass: HomeAssistant, account: Sandbox) -> None:
    """Sender ID and DLT template ID are passed on."""
    await send_sms(
        hass,
        recipients="0031 6 1234 5678",
        message="Water leak in the basement",
        sender_id="HomeAlarm",
        dlt_template_id="1107161234567890",
        encoding="gsm7",
    )

    assert bodies(account) == [
        {
            "recipient": NUMBER,
            "type": "plain",
            "message": "Water leak in the basement",
            "sender_id": "HomeAlarm",
            "dlt_template_id": "1107161234567890",
        }
    ]


@pytest.mark.usefixtures("init_integration")
async def test_send_to_several_numbers(hass: HomeAssistant, account: Sandbox) -> None:
    """Several numbers go in one request; each has its own uid and cost."""
    response = await send_sms(
        hass,
        recipients=["+31 6 1234 5678", OTHER, "+31612345678"],
        message="Dinner is ready",
    )

    assert bodies(account) == [
        {
            "recipient": f"{NUMBER},{OTHER}",
            "type": "plain",
            "message": "Dinner is ready",
        }
    ]
    first, second = account.sent_messages()
    assert response == {
        "queue_id": None,
        "requests": 1,
        "server_message": None,
        "recipients": [accepted(NUMBER, first.uid), accepted(OTHER, second.uid)],
    }


@pytest.mark.parametrize(
    ("sender_id", "sent"),
    [
        ("Home", "Home"),
        ("HomeAlarm01", "HomeAlarm01"),
        ("+31 6 1234 5678", NUMBER),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_sender_id(
    hass: HomeAssistant, account: Sandbox, sender_id: str, sent: str
) -> None:
    """A sender is up to 11 letters and digits, or a number sent as digits."""
    await send_sms(hass, recipients=[OTHER], message="Hi", sender_id=sender_id)

    assert bodies(account)[0]["sender_id"] == sent
    assert account.sent_messages()[0].sender == sent


@pytest.mark.parametrize("entry_options", [{CONF_SENDER_ID: "HomeAlarm"}])
@pytest.mark.usefixtures("init_integration")
async def test_sender_id_from_the_options(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Without a sender ID, the one of the options is used; a given one wins."""
    await send_sms(hass, recipients=[NUMBER], message="Hi")
    await send_sms(hass, recipients=[NUMBER], message="Hi", sender_id="Garage")

    assert [body["sender_id"] for body in bodies(account)] == ["HomeAlarm", "Garage"]


@pytest.mark.parametrize(
    ("refusal", "sender_id"),
    [
        ("Originator Garage is not authorized to send this message", "Garage"),
        ("Sender ID is required for sending messages.", None),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_a_refused_sender_id_says_which_option_to_set(
    hass: HomeAssistant, account: Sandbox, refusal: str, sender_id: str | None
) -> None:
    """An account that verifies sender IDs refuses the message: say what to set."""
    account.inject_response(
        200,
        json.dumps({"status": "error", "message": refusal}).encode(),
        "application/json",
        path="sms/send",
    )
    data = {"sender_id": sender_id} if sender_id else {}

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[NUMBER], message="Hi", **data)

    assert caught.value.translation_key == "sender_id_rejected"
    assert str(caught.value) == (
        f"TextBoost refused the sender ID: {refusal}. The account only sends from "
        "approved sender IDs: set one in the integration's options (Default sender "
        "ID), or give sender_id with the message"
    )
    assert account.sent_messages() == []


# Encoding and segments


@pytest.mark.parametrize(
    ("encoding", "text", "sent_type", "shown", "segments"),
    [
        ("auto", "Alarm: front door opened", "plain", "gsm7", 1),
        ("auto", "Température: 21 C, {ok} €", "plain", "gsm7", 1),
        ("auto", "Привет, дверь открыта", "unicode", "unicode", 1),
        ("auto", "Smoke detected 🔥", "unicode", "unicode", 1),
        ("auto", "x" * 161, "plain", "gsm7", 2),
        ("auto", "ж" * 71, "unicode", "unicode", 2),
        ("gsm7", "Alarm: front door opened", "plain", "gsm7", 1),
        ("unicode", "Alarm: front door opened", "unicode", "unicode", 1),
    ],
    ids=[
        "auto-ascii",
        "auto-gsm7-accents",
        "auto-cyrillic",
        "auto-emoji",
        "auto-two-gsm7-parts",
        "auto-two-unicode-parts",
        "forced-gsm7",
        "forced-unicode",
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_encoding(
    hass: HomeAssistant,
    account: Sandbox,
    encoding: str,
    text: str,
    sent_type: str,
    shown: str,
    segments: int,
) -> None:
    """Automatic encoding picks GSM-7 when the text fits it, else Unicode."""
    response = await send_sms(
        hass, recipients=[NUMBER], message=text, encoding=encoding
    )

    assert bodies(account) == [
        {"recipient": NUMBER, "type": sent_type, "message": text}
    ]
    (recipient,) = response["recipients"]
    assert (recipient["encoding"], recipient["segments"]) == (shown, segments)
    assert recipient["cost"] == pytest.approx(0.05 * segments)


@pytest.mark.usefixtures("init_integration")
async def test_gsm7_refuses_other_characters(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Forcing GSM-7 on a text it cannot carry names the characters."""
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(
            hass, recipients=[NUMBER], message="你好 🔥 世界, 你好", encoding="gsm7"
        )

    assert str(caught.value) == (
        "The text holds characters GSM-7 cannot carry (你 好 🔥 世 界). "
        "Choose Unicode or Automatic encoding, or remove them"
    )
    assert caught.value.translation_key == "not_gsm7"
    assert bodies(account) == []


@pytest.mark.parametrize(
    ("text", "segments"),
    [("x" * (153 * 6 + 1), 7), ("ж" * (67 * 6 + 1), 7), ("€" * 500, 7)],
    ids=["gsm7", "unicode", "gsm7-extension"],
)
@pytest.mark.usefixtures("init_integration")
async def test_too_many_segments(
    hass: HomeAssistant, account: Sandbox, text: str, segments: int
) -> None:
    """A text over the default maximum of 6 parts is refused, with its count."""
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, recipients=[NUMBER], message=text)

    assert str(caught.value) == (
        f"This text needs {segments} SMS parts, more than the maximum of 6. "
        "Shorten it, or raise the maximum in the integration's options"
    )
    assert bodies(account) == []


@pytest.mark.usefixtures("init_integration")
async def test_six_segments_are_allowed(hass: HomeAssistant, account: Sandbox) -> None:
    """The default maximum itself is fine."""
    response = await send_sms(hass, recipients=[NUMBER], message="x" * 153 * 6)

    assert response["recipients"][0]["segments"] == 6
    assert len(bodies(account)) == 1


@pytest.mark.parametrize("entry_options", [{CONF_MAX_SEGMENTS: 2}])
@pytest.mark.usefixtures("init_integration")
async def test_maximum_segments_from_the_options(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """The maximum comes from the options."""
    await send_sms(hass, recipients=[NUMBER], message="x" * 306)
    with pytest.raises(ServiceValidationError) as caught:
        await send_sms(hass, recipients=[NUMBER], message="x" * 307)

    assert caught.value.translation_placeholders == {"segments": "3", "maximum": "2"}
    assert len(bodies(account)) == 1


# Provider rejections and authentication


@pytest.mark.usefixtures("init_integration")
async def test_blacklisted_number(hass: HomeAssistant, account: Sandbox) -> None:
    """A refusal of the only recipient is an error with the provider's words."""
    account.state.blacklist.add(NUMBER)

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[NUMBER], message="Hi")

    assert not isinstance(caught.value, ServiceValidationError)
    assert str(caught.value) == (
        "TextBoost refused to send the message: Number contains in the blacklist"
    )
    assert len(bodies(account)) == 1
    assert account.sent_messages() == []


@pytest.mark.usefixtures("init_integration")
async def test_insufficient_balance(hass: HomeAssistant, account: Sandbox) -> None:
    """A balance too low for the message is the provider's message."""
    account.inject(Fault.INSUFFICIENT_BALANCE, path="sms/send")

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[NUMBER, OTHER], message="Hi")

    assert str(caught.value) == (
        "TextBoost refused to send the message: There is not enough balance "
        "available to send this message. Please recharge your account."
    )
    assert account.sent_messages() == []


@pytest.mark.usefixtures("init_integration")
async def test_one_of_several_blacklisted(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """When only some numbers are refused, the response says which and why."""
    account.state.blacklist.add(OTHER)

    response = await send_sms(hass, recipients=[NUMBER, OTHER], message="Hi")

    (stored,) = account.sent_messages()
    assert response["server_message"] == "Number contains in the blacklist"
    assert response["recipients"] == [
        accepted(NUMBER, stored.uid),
        {
            "recipient": OTHER,
            "state": "rejected",
            "uid": None,
            "status": None,
            "cost": None,
            "segments": 1,
            "encoding": "gsm7",
            "error": "Number contains in the blacklist",
        },
    ]


async def test_refused_token_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    """A refused token fails the action and asks the user for a new one."""
    account.inject(Fault.UNAUTHENTICATED, path="sms/send")

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[NUMBER], message="Hi")

    assert caught.value.translation_key == "auth_failed"
    assert str(caught.value).startswith("TextBoost refused the API token.")
    await hass.async_block_till_done()
    flows = init_integration.async_get_active_flows(hass, {SOURCE_REAUTH})
    assert len(list(flows)) == 1
    assert account.sent_messages() == []


# Contact groups


@pytest.mark.usefixtures("init_integration")
async def test_groups_by_name_and_uid(hass: HomeAssistant, account: Sandbox) -> None:
    """Groups join the numbers; every number is sent to once."""
    family = account.add_group("Family", contacts=3)
    neighbours = account.add_group("Neighbours")
    account.add_contact(neighbours, "+31 6 1000 0002")  # also in Family
    account.add_contact(neighbours, "31655555555")

    response = await send_sms(
        hass,
        recipients=["+31 6 1000 0001", NUMBER],
        groups=["FAMILY", neighbours],
        message="Street party tonight",
    )

    recipients = [
        "31610000001",
        NUMBER,
        "31610000002",
        "31610000003",
        "31655555555",
    ]
    assert bodies(account) == [
        {
            "recipient": ",".join(recipients),
            "type": "plain",
            "message": "Street party tonight",
        }
    ]
    assert [r["recipient"] for r in response["recipients"]] == recipients
    assert len(account.requests_to(f"contacts/{family}/all")) == 1


@pytest.mark.usefixtures("init_integration")
async def test_big_group_in_three_requests(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """260 contacts over 11 pages go out in requests of at most 100."""
    account.add_group("Big", contacts=260)

    response = await send_sms(hass, groups=["Big"], message="Hello everyone")

    sent = bodies(account)
    assert [len(body["recipient"].split(",")) for body in sent] == [100, 100, 60]
    assert len(account.requests_to("contacts/" + _uid(account, "Big") + "/all")) == 11
    everyone = [f"3161000{index:04d}" for index in range(1, 261)]
    assert ",".join(body["recipient"] for body in sent) == ",".join(everyone)
    assert response["requests"] == 3
    assert len(response["recipients"]) == 260


def _uid(account: Sandbox, name: str) -> str:
    return next(g.uid for g in account.state.groups.values() if g.name == name)


@pytest.mark.parametrize(
    "path", ["contacts", "contacts/{uid}/all"], ids=["groups", "contacts"]
)
@pytest.mark.usefixtures("init_integration")
async def test_group_cannot_be_read(
    hass: HomeAssistant, account: Sandbox, path: str
) -> None:
    """When a group cannot be read, nothing is sent."""
    uid = account.add_group("Family", contacts=3)
    account.inject(Fault.HTTP_500_HTML, path=path.format(uid=uid))

    with pytest.raises(HomeAssistantError) as caught:
        await send_sms(hass, recipients=[NUMBER], groups=["Family"], message="Hi")

    assert caught.value.translation_key == "service_unavailable"
    assert bodies(account) == []


async def test_a_refused_token_in_a_look_up_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, account: Sandbox
) -> None:
    account.inject(Fault.UNAUTHENTICATED, path="contacts")

    with pytest.raises(HomeAssistantError) as caught:
        await call_action(hass, "list_groups")

    assert caught.value.translation_key == "auth_failed"
    await hass.async_block_till_done()
    flows = init_integration.async_get_active_flows(hass, {SOURCE_REAUTH})
    assert len(list(flows)) == 1


@pytest.mark.usefixtures("init_integration")
async def test_each_number_is_normalised_once(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """Checked by the action, then trusted by the client: one pass per number."""
    with patch(
        "custom_components.textboost.api.phone.normalize_phone",
        wraps=phone.normalize_phone,
    ) as normalize:
        await send_sms(hass, recipients=["+31 6 1234 5678", OTHER], message="Hi")

    assert [c.args[0] for c in normalize.call_args_list] == ["+31 6 1234 5678", OTHER]
    assert bodies(account)[0]["recipient"] == f"{NUMBER},{OTHER}"
