"""Camera snapshots published at a URL the provider can fetch, for MMS.

A snapshot must stay reachable from the moment its MMS is accepted until the
server has fetched it for the last time it may need to: a queued MMS is sent
at the latest when its queue lifetime ends, a scheduled one at its schedule
(held by the outbox up to its queue lifetime longer), and the provider may
fetch the picture up to a day after sending. So each snapshot is kept until

    max(now, schedule) + queue lifetime + ``FETCH_WINDOW`` (24 h)

across restarts: it is a file in ``<config>/.storage/textboost_media/``,
written in the executor, named by a random 256-bit token (the URL's only
secret) and with its modification time set to the moment it expires. Expired
files are removed when Home Assistant starts and every hour, and are never
served. The folder holds at most ``MAX_BYTES``; a snapshot that would not fit
is refused with a translated error instead of removing a picture a waiting
message still needs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
import os
from pathlib import Path
import re
import secrets
from typing import Final

from aiohttp import web
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.helpers.storage import STORAGE_DIR
from homeassistant.util import dt as dt_util

from .const import DOMAIN

MEDIA_PATH: Final = "/api/textboost/media"
#: How long after sending the provider may still fetch a picture.
FETCH_WINDOW: Final = timedelta(hours=24)
#: The most the snapshot folder may hold, in bytes.
MAX_BYTES: Final = 100 * 1024 * 1024
SWEEP_INTERVAL: Final = timedelta(hours=1)
#: Picture types a camera gives, by file extension.
CONTENT_TYPES: Final = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
_NAME = re.compile(r"^([A-Za-z0-9_-]{43})\.([a-z]+)$")


def media_dir(hass: HomeAssistant) -> Path:
    """Where snapshots are kept: ``<config>/.storage/textboost_media``."""
    return Path(hass.config.path(STORAGE_DIR, f"{DOMAIN}_media"))


def keep_until(send_at: datetime | None, queue_lifetime: timedelta) -> datetime:
    """When a snapshot for an MMS sent at ``send_at`` (None: now) may go."""
    start = max(send_at, dt_util.utcnow()) if send_at else dt_util.utcnow()
    return start + queue_lifetime + FETCH_WINDOW


def external_url(hass: HomeAssistant) -> str:
    """Home Assistant's address on the internet, or a clear error."""
    try:
        return get_url(hass, allow_internal=False, allow_ip=True)
    except NoURLAvailableError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_external_url"
        ) from err


async def async_publish_snapshot(
    hass: HomeAssistant, camera_entity_id: str, until: datetime
) -> str:
    """Take a snapshot, keep it until ``until``; return its unguessable URL.

    Raises HomeAssistantError ``camera_failed`` when the camera gives no
    picture, ``media_storage_full`` when the folder has no room for it.
    """
    # camera is an optional companion (after_dependencies), loaded on use
    from homeassistant.components.camera import async_get_image  # noqa: PLC0415

    base = external_url(hass)
    try:
        image = await async_get_image(hass, camera_entity_id)
    except HomeAssistantError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="camera_failed",
            translation_placeholders={"entity_id": camera_entity_id},
        ) from err
    extension = next(
        (ext for ext, kind in CONTENT_TYPES.items() if kind == image.content_type),
        "jpeg",
    )
    name = f"{secrets.token_urlsafe(32)}.{extension}"
    stored = await hass.async_add_executor_job(
        _write, media_dir(hass), name, image.content, until.timestamp()
    )
    if not stored:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="media_storage_full",
            translation_placeholders={"megabytes": str(MAX_BYTES // 1024 // 1024)},
        )
    return f"{base}{MEDIA_PATH}/{name}"


def _write(folder: Path, name: str, content: bytes, expires: float) -> bool:
    """Write a snapshot unless the folder would exceed its bound (executor)."""
    _sweep(folder)
    folder.mkdir(parents=True, exist_ok=True)
    used = sum(path.stat().st_size for path in folder.iterdir())
    if used + len(content) > MAX_BYTES:
        return False
    path = folder / name
    partial = folder / f"{name}.part"
    partial.write_bytes(content)
    os.utime(partial, (expires, expires))
    partial.replace(path)
    return True


def _sweep(folder: Path) -> int:
    """Remove expired snapshots and left-over partial writes (executor)."""
    if not folder.is_dir():
        return 0
    now = dt_util.utcnow().timestamp()
    removed = 0
    for path in folder.iterdir():
        # A write cut short (".part") is never served, and goes the same way.
        if path.stat().st_mtime < now:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


async def async_sweep(hass: HomeAssistant) -> int:
    """Remove expired snapshots; return how many were removed."""
    return await hass.async_add_executor_job(_sweep, media_dir(hass))


async def async_setup_media(hass: HomeAssistant) -> None:
    """Serve snapshots; remove expired ones now and every hour."""
    hass.http.register_view(SnapshotView())
    await async_sweep(hass)

    async def _hourly(_now: datetime) -> None:
        await async_sweep(hass)

    async_track_time_interval(hass, _hourly, SWEEP_INTERVAL, cancel_on_shutdown=True)


def _read(folder: Path, name: str) -> bytes | None:
    """The snapshot's bytes, or None when it is unknown or expired (executor)."""
    path = folder / name
    try:
        if path.stat().st_mtime < dt_util.utcnow().timestamp():
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


class SnapshotView(HomeAssistantView):
    """Serves published snapshots to the provider, without authentication.

    Each URL carries a random 256-bit token; it answers until the snapshot
    expires (see the module docstring), then 404.
    """

    url = MEDIA_PATH + "/{name}"
    name = "api:textboost:media"
    requires_auth = False

    async def get(self, request: web.Request, name: str) -> web.Response:
        """Return the image, or 404 for an unknown or expired token."""
        hass = request.app[KEY_HASS]
        match = _NAME.match(name)
        if match is None or match.group(2) not in CONTENT_TYPES:
            return web.Response(status=HTTPStatus.NOT_FOUND)
        content = await hass.async_add_executor_job(_read, media_dir(hass), name)
        if content is None:
            return web.Response(status=HTTPStatus.NOT_FOUND)
        return web.Response(body=content, content_type=CONTENT_TYPES[match.group(2)])
