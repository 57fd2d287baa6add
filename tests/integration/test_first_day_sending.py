"""Rough edges of a first day: what a send says, voices in capitals, notify data.

* ``server_message`` is the server's text only when it says something; its
  boilerplate ("Your message was successfully delivered" next to Enroute,
  "Message is scheduled successfully." for an immediate send) is not a fact.
* Voice ``language``/``gender`` are accepted in any case and sent as the
  server's lower-case codes.
* Notify ``data`` that only one message type uses is refused with another
  type, instead of being dropped; ``encoding`` works as in the action.
"""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from sandbox import Sandbox
from tests.helpers import NUMBER, OTHER, bodies, call_action, send_sms, translated

pytestmark = pytest.mark.usefixtures("init_integration")


async def notify(hass: HomeAssistant, **data: Any) -> None:
    await hass.services.async_call("notify", "textboost_sms", data, blocking=True)


# What the send response says


@pytest.mark.parametrize(
    "recipients", [[NUMBER], [NUMBER, OTHER]], ids=["one-number", "several"]
)
async def test_server_boilerplate_is_not_presented_as_a_fact(
    hass: HomeAssistant, account: Sandbox, recipients: list[str]
) -> None:
    response = await send_sms(hass, recipients=recipients, message="Hi")

    assert response["server_message"] is None
    assert {r["status"] for r in response["recipients"]} == {"Enroute"}


async def test_a_refusal_in_the_server_message_is_kept(
    hass: HomeAssistant, account: Sandbox
) -> None:
    account.state.blacklist.add(OTHER)
    response = await send_sms(hass, recipients=[NUMBER, OTHER], message="Hi")
    assert response["server_message"] == "Number contains in the blacklist"


# Voice in capitals


@pytest.mark.parametrize(
    ("language", "gender"),
    [("en-GB", "Female"), ("NL-NL", "MALE"), (" en-gb ", "female")],
)
async def test_voice_language_and_gender_in_any_case(
    hass: HomeAssistant, account: Sandbox, language: str, gender: str
) -> None:
    await call_action(
        hass,
        "send_voice",
        recipients=[NUMBER],
        message="The alarm went off",
        language=language,
        gender=gender,
    )
    [body] = bodies(account)
    assert (body["language"], body["gender"]) == (
        language.strip().lower(),
        gender.lower(),
    )


async def test_notify_voice_in_capitals(hass: HomeAssistant, account: Sandbox) -> None:
    await notify(
        hass,
        message="The alarm went off",
        target=[NUMBER],
        data={"type": "voice", "language": "en-GB", "gender": "Female"},
    )
    [body] = bodies(account)
    assert (body["type"], body["language"], body["gender"]) == (
        "voice",
        "en-gb",
        "female",
    )


async def test_an_unknown_language_is_named_as_given(
    hass: HomeAssistant, account: Sandbox
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await call_action(
            hass, "send_voice", recipients=[NUMBER], message="Hi", language="EN-XX"
        )
    assert str(caught.value) == translated("invalid_language", language="EN-XX")
    assert bodies(account) == []


# Notify data that belongs to another type


@pytest.mark.parametrize(
    ("data", "key", "needs"),
    [
        ({"language": "en-gb"}, "language", "voice"),
        ({"gender": "female", "type": "sms"}, "gender", "voice"),
        ({"media_url": "https://example.com/a.jpg"}, "media_url", "mms"),
        ({"type": "voice", "encoding": "unicode"}, "encoding", "sms"),
    ],
    ids=[
        "language-without-type",
        "gender-with-sms",
        "media-url-with-sms",
        "encoding-with-voice",
    ],
)
async def test_notify_data_of_another_type_is_refused_clearly(
    hass: HomeAssistant,
    account: Sandbox,
    data: dict[str, str],
    key: str,
    needs: str,
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await notify(hass, message="Hi", target=[NUMBER], data=data)

    assert str(caught.value) == translated(
        "notify_data_needs_type", data_key=key, type=needs
    )
    assert bodies(account) == []


# Notify encoding, as the action


async def test_notify_encoding_unicode(hass: HomeAssistant, account: Sandbox) -> None:
    await notify(hass, message="Hi", target=[NUMBER], data={"encoding": "unicode"})
    [body] = bodies(account)
    assert body["type"] == "unicode"


async def test_notify_encoding_gsm7_refuses_other_characters(
    hass: HomeAssistant, account: Sandbox
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await notify(hass, message="Hi 🙂", target=[NUMBER], data={"encoding": "gsm7"})
    assert str(caught.value) == translated("not_gsm7", characters="🙂")
    assert bodies(account) == []


async def test_notify_unknown_encoding(hass: HomeAssistant, account: Sandbox) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await notify(hass, message="Hi", target=[NUMBER], data={"encoding": "utf8"})
    assert str(caught.value) == translated("invalid_notify_encoding", encoding="utf8")
    assert bodies(account) == []
