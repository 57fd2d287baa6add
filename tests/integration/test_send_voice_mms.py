"""textboost.send_voice and textboost.send_mms (from a URL or a camera)."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.camera import Camera
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    setup_test_component_platform,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.textboost.const import (
    CONF_VOICE_GENDER,
    CONF_VOICE_LANGUAGE,
)
from sandbox import Sandbox
from tests.helpers import NUMBER, OTHER, bodies, call_action

IMAGE = b"\xff\xd8\xff\xe0 a person at the door \xff\xd9"
EXTERNAL_URL = "https://home.example.com"


def accepted(number: str, uid: str) -> dict[str, Any]:
    """The response entry of an accepted voice message or MMS."""
    return {
        "recipient": number,
        "state": "accepted",
        "uid": uid,
        "status": "Enroute",
        "cost": 0.05,
        "segments": 1,
        "encoding": None,
        "error": None,
    }


# Voice


@pytest.mark.usefixtures("init_integration")
async def test_send_voice(hass: HomeAssistant, account: Sandbox) -> None:
    """A voice message is read in the chosen language and voice."""
    response = await call_action(
        hass,
        "send_voice",
        recipients=["+31 6 1234 5678"],
        message="The smoke alarm in the kitchen went off",
        language="nl-nl",
        gender="male",
        sender_id="3197010203040",
    )

    assert bodies(account) == [
        {
            "recipient": NUMBER,
            "type": "voice",
            "message": "The smoke alarm in the kitchen went off",
            "language": "nl-nl",
            "gender": "male",
            "sender_id": "3197010203040",
        }
    ]
    (stored,) = account.sent_messages()
    assert (stored.type, stored.language, stored.gender) == ("voice", "nl-nl", "male")
    assert response == {
        "queue_id": None,
        "requests": 1,
        "server_message": None,
        "recipients": [accepted(NUMBER, stored.uid)],
    }


@pytest.mark.usefixtures("init_integration")
async def test_voice_defaults(hass: HomeAssistant, account: Sandbox) -> None:
    """Without options, English (UK) read by a female voice."""
    await call_action(hass, "send_voice", recipients=[NUMBER, OTHER], message="Hello")

    assert bodies(account) == [
        {
            "recipient": f"{NUMBER},{OTHER}",
            "type": "voice",
            "message": "Hello",
            "language": "en-gb",
            "gender": "female",
        }
    ]


@pytest.mark.parametrize(
    "entry_options", [{CONF_VOICE_LANGUAGE: "de-de", CONF_VOICE_GENDER: "male"}]
)
@pytest.mark.usefixtures("init_integration")
async def test_voice_defaults_from_the_options(
    hass: HomeAssistant, account: Sandbox
) -> None:
    """The options choose the voice unless the action does."""
    await call_action(hass, "send_voice", recipients=[NUMBER], message="Hallo")
    await call_action(
        hass, "send_voice", recipients=[NUMBER], message="Hello", language="en-us"
    )

    assert [(b["language"], b["gender"]) for b in bodies(account)] == [
        ("de-de", "male"),
        ("en-us", "male"),
    ]


# MMS from a URL


@pytest.mark.usefixtures("init_integration")
async def test_send_mms_from_a_url(hass: HomeAssistant, account: Sandbox) -> None:
    """The picture's URL and the text are passed on."""
    response = await call_action(
        hass,
        "send_mms",
        recipients=[NUMBER],
        message="Someone is at the door",
        media_url="https://cdn.example.com/door/latest.jpg",
    )

    assert bodies(account) == [
        {
            "recipient": NUMBER,
            "type": "mms",
            "message": "Someone is at the door",
            "media_url": "https://cdn.example.com/door/latest.jpg",
        }
    ]
    (stored,) = account.sent_messages()
    assert stored.media_url == "https://cdn.example.com/door/latest.jpg"
    assert response["recipients"] == [accepted(NUMBER, stored.uid)]


@pytest.mark.usefixtures("init_integration")
async def test_send_mms_without_text(hass: HomeAssistant, account: Sandbox) -> None:
    """An MMS may be a picture alone."""
    await call_action(
        hass,
        "send_mms",
        recipients=[NUMBER],
        media_url="http://cdn.example.com/door.png",
    )

    assert bodies(account) == [
        {
            "recipient": NUMBER,
            "type": "mms",
            "media_url": "http://cdn.example.com/door.png",
        }
    ]


# MMS from a camera


class DoorCamera(Camera):
    """A camera that always sees the same picture."""

    _attr_name = "Front door"

    def __init__(self, image: bytes | None) -> None:
        super().__init__()
        self._image = image

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        return self._image


def _files(folder: Path) -> list[Path]:
    return list(folder.iterdir())


@pytest.fixture
async def camera(hass: HomeAssistant) -> str:
    """A camera entity, and an external URL the provider can fetch from."""
    setup_test_component_platform(hass, "camera", [DoorCamera(IMAGE)])
    assert await async_setup_component(hass, "camera", {"camera": {"platform": "test"}})
    await hass.async_block_till_done()
    await hass.config.async_update(external_url=EXTERNAL_URL)
    return "camera.front_door"


@pytest.mark.usefixtures("init_integration")
async def test_send_mms_from_a_camera(
    hass: HomeAssistant,
    account: Sandbox,
    camera: str,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    media_folder: Path,
) -> None:
    """A snapshot is published at an unguessable URL, until its last fetch."""
    response = await call_action(
        hass,
        "send_mms",
        recipients=[NUMBER],
        message="Someone is at the door",
        camera_entity_id=camera,
    )

    (body,) = bodies(account)
    media_url = body.pop("media_url")
    assert body == {
        "recipient": NUMBER,
        "type": "mms",
        "message": "Someone is at the door",
    }
    match = re.fullmatch(
        re.escape(EXTERNAL_URL) + r"(/api/textboost/media/[\w-]{43}\.jpeg)", media_url
    )
    assert match is not None
    (stored,) = account.sent_messages()
    assert response["recipients"] == [accepted(NUMBER, stored.uid)]

    client = await hass_client_no_auth()
    fetched = await client.get(match.group(1))
    assert fetched.status == HTTPStatus.OK
    assert fetched.content_type == "image/jpeg"
    assert await fetched.read() == IMAGE
    guessed = await client.get("/api/textboost/media/" + "A" * 43 + ".jpeg")
    assert guessed.status == HTTPStatus.NOT_FOUND

    # Kept for the queue lifetime (60 min) and the provider's day to fetch it.
    freezer.tick(timedelta(hours=25))
    assert (await client.get(match.group(1))).status == HTTPStatus.OK
    freezer.tick(timedelta(seconds=1))
    expired = await client.get(match.group(1))
    assert expired.status == HTTPStatus.NOT_FOUND

    # The next snapshot clears the expired ones away.
    await call_action(hass, "send_mms", recipients=[NUMBER], camera_entity_id=camera)
    assert len(_files(media_folder)) == 1


@pytest.mark.usefixtures("init_integration")
async def test_each_snapshot_has_its_own_url(
    hass: HomeAssistant, account: Sandbox, camera: str
) -> None:
    """Two snapshots never share a URL."""
    for _ in range(2):
        await call_action(
            hass, "send_mms", recipients=[NUMBER], camera_entity_id=camera
        )

    first, second = (body["media_url"] for body in bodies(account))
    assert first != second


@pytest.mark.usefixtures("init_integration")
async def test_camera_without_a_picture(
    hass: HomeAssistant, account: Sandbox, camera: str
) -> None:
    """A camera that gives no picture fails the action, and nothing is sent."""
    with pytest.raises(HomeAssistantError) as caught:
        await call_action(
            hass, "send_mms", recipients=[NUMBER], camera_entity_id="camera.garage"
        )

    assert not isinstance(caught.value, ServiceValidationError)
    assert str(caught.value) == (
        "Could not take a snapshot of camera.garage. "
        "Check that the camera is on and works"
    )
    assert bodies(account) == []
