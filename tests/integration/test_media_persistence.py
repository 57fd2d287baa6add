"""MMS camera snapshots stay reachable until the provider's last fetch, across restarts.

Rule (media.py): a snapshot is kept until max(now, schedule) + queue lifetime
+ 24 h, as a file in ``<config>/.storage/textboost_media/``; expired files are
removed at start and every hour; the folder holds at most 100 MB.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from http import HTTPStatus
import os
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.camera import Camera
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    setup_test_component_platform,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.textboost import media
from custom_components.textboost.const import DOMAIN
from sandbox import Sandbox
from tests.helpers import NUMBER, OTHER, advance, bodies, call_action, translated

IMAGE = b"\xff\xd8\xff\xe0 a person at the door \xff\xd9"
EXTERNAL_URL = "https://home.example.com"
URL = re.compile(re.escape(EXTERNAL_URL) + r"(/api/textboost/media/[\w-]{43}\.jpeg)")
#: the real location, before the test suite points it at a temporary folder
REAL_MEDIA_DIR = media.media_dir
HOUR = 3600


class DoorCamera(Camera):
    """A camera that always sees the same picture."""

    _attr_name = "Front door"

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        return IMAGE


@pytest.fixture
async def camera(hass: HomeAssistant) -> str:
    setup_test_component_platform(hass, "camera", [DoorCamera()])
    assert await async_setup_component(hass, "camera", {"camera": {"platform": "test"}})
    await hass.config.async_update(external_url=EXTERNAL_URL)
    await hass.async_block_till_done()
    return "camera.front_door"


async def fetch(client: Any, path: str) -> tuple[int, bytes]:
    response = await client.get(path)
    return response.status, await response.read()


def files(folder: Path) -> list[str]:
    """The names in the snapshot folder (none when it does not exist)."""
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def media_path(body: dict[str, Any]) -> str:
    match = URL.fullmatch(body["media_url"])
    assert match is not None
    return match.group(1)


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload the account, forget everything the integration kept in memory, load it."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    for key in [k for k in hass.data if isinstance(k, str) and k.startswith(DOMAIN)]:
        del hass.data[key]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_queued_mms_picture_survives_a_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    camera: str,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    media_folder: Path,
) -> None:
    """TextBoost unreachable, the MMS is queued, Home Assistant restarts: the picture is still there."""
    await account.refuse_connections()
    for _ in range(20):
        await asyncio.sleep(0)
    response = await call_action(
        hass, "send_mms", recipients=[NUMBER], message="Door", camera_entity_id=camera
    )
    assert [r["state"] for r in response["recipients"]] == ["queued"]

    await account.accept_connections()
    await restart(hass, init_integration)
    assert bodies(account) == []
    await advance(hass, freezer, 31)
    [body] = bodies(account)

    client = await hass_client_no_auth()
    assert await fetch(client, media_path(body)) == (HTTPStatus.OK, IMAGE)
    assert files(media_folder) == [media_path(body).rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    "recipients",
    [[NUMBER, OTHER], [NUMBER]],
    ids=["server-scheduled", "held-by-the-outbox"],
)
async def test_mms_scheduled_days_ahead_keeps_its_picture_until_the_last_fetch(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    account: Sandbox,
    camera: str,
    hass_client_no_auth: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    media_folder: Path,
    recipients: list[str],
) -> None:
    """Three days ahead: reachable at the schedule and for a day after, then gone."""
    send_at = dt_util.utcnow().replace(second=0, microsecond=0) + timedelta(days=3)
    await call_action(
        hass,
        "send_mms",
        recipients=recipients,
        camera_entity_id=camera,
        schedule=send_at.isoformat(),
    )
    client = await hass_client_no_auth()

    freezer.move_to(send_at)
    await advance(hass, freezer, 0)
    [body] = bodies(account)
    path = media_path(body)
    assert await fetch(client, path) == (HTTPStatus.OK, IMAGE)

    # the queue lifetime (60 min) and the provider's day after the schedule
    last_fetch = send_at + timedelta(minutes=60) + timedelta(hours=24)
    freezer.move_to(last_fetch)
    assert (await fetch(client, path))[0] == HTTPStatus.OK
    await advance(hass, freezer, 1)
    assert (await fetch(client, path))[0] == HTTPStatus.NOT_FOUND

    # the hourly sweep removes the file
    assert files(media_folder)
    # (async_track_time_interval runs it as a background task: wait for it)
    await advance(hass, freezer, HOUR, background=True)
    assert files(media_folder) == []


def _leave_snapshots(media_folder: Path) -> Path:
    """An expired snapshot, a live one and a cut-short write; return the live one."""
    media_folder.mkdir(parents=True)
    now = dt_util.utcnow().timestamp()
    old = media_folder / f"{'o' * 43}.jpeg"
    kept = media_folder / f"{'k' * 43}.jpeg"
    cut_short = media_folder / f"{'p' * 43}.jpeg.part"
    # a write cut short before its expiry was set: dated when it was written
    for path, expires in ((old, now - 1), (kept, now + HOUR), (cut_short, now - 5)):
        path.write_bytes(IMAGE)
        os.utime(path, (expires, expires))
    return kept


async def test_expired_pictures_are_removed_when_home_assistant_starts(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, media_folder: Path
) -> None:
    kept = _leave_snapshots(media_folder)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert files(media_folder) == [kept.name]


@pytest.mark.usefixtures("init_integration")
async def test_a_full_media_folder_refuses_the_snapshot_and_sends_nothing(
    hass: HomeAssistant,
    account: Sandbox,
    camera: str,
    monkeypatch: pytest.MonkeyPatch,
    media_folder: Path,
) -> None:
    monkeypatch.setattr(media, "MAX_BYTES", len(IMAGE) * 3 // 2)
    await call_action(hass, "send_mms", recipients=[NUMBER], camera_entity_id=camera)

    with pytest.raises(HomeAssistantError) as caught:
        await call_action(
            hass, "send_mms", recipients=[NUMBER], camera_entity_id=camera
        )

    assert str(caught.value) == translated("media_storage_full", megabytes="0")
    assert len(bodies(account)) == 1
    assert len(files(media_folder)) == 1


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    "name",
    ["A" * 43 + ".jpeg", "A" * 43 + ".exe", "..%2F..%2Fsecrets.yaml", "short.jpeg"],
)
async def test_unknown_or_malformed_names_are_not_found(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, name: str
) -> None:
    client = await hass_client_no_auth()
    status, _ = await fetch(client, f"/api/textboost/media/{name}")
    assert status in {HTTPStatus.NOT_FOUND, HTTPStatus.BAD_REQUEST}


def test_pictures_live_in_the_config_storage_folder(hass: HomeAssistant) -> None:
    assert REAL_MEDIA_DIR(hass) == Path(
        hass.config.config_dir, ".storage", "textboost_media"
    )


def test_keep_until_counts_from_the_schedule_or_now(
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to("2030-01-01 00:00:00+00:00")
    lifetime = timedelta(minutes=90)
    now = dt_util.utcnow()
    assert media.keep_until(None, lifetime) == now + timedelta(hours=25, minutes=30)
    later = datetime(2030, 1, 5, tzinfo=dt_util.UTC)
    assert media.keep_until(later, lifetime) == later + timedelta(hours=25, minutes=30)
    earlier = now - timedelta(hours=1)
    assert media.keep_until(earlier, lifetime) == now + timedelta(hours=25, minutes=30)
