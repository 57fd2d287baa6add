"""Camera snapshots published at a URL the provider can fetch, for MMS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
import secrets
from typing import Final

from aiohttp import web
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

MEDIA_PATH: Final = "/api/textboost/media"
MEDIA_LIFETIME: Final = timedelta(hours=24)
DATA_MEDIA: HassKey[dict[str, Snapshot]] = HassKey(f"{DOMAIN}_media")


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A published camera image."""

    content: bytes
    content_type: str
    expires: float


def external_url(hass: HomeAssistant) -> str:
    """Home Assistant's address on the internet, or a clear error."""
    try:
        return get_url(hass, allow_internal=False, allow_ip=True)
    except NoURLAvailableError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="no_external_url"
        ) from err


async def async_publish_snapshot(hass: HomeAssistant, camera_entity_id: str) -> str:
    """Take a snapshot and return the unguessable URL it is served at."""
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
    published = hass.data.setdefault(DATA_MEDIA, {})
    now = dt_util.utcnow().timestamp()
    for key in [k for k, v in published.items() if v.expires < now]:
        del published[key]
    token = secrets.token_urlsafe(32)
    published[token] = Snapshot(
        image.content, image.content_type, now + MEDIA_LIFETIME.total_seconds()
    )
    extension = image.content_type.rpartition("/")[2] or "jpeg"
    return f"{base}{MEDIA_PATH}/{token}.{extension}"


class SnapshotView(HomeAssistantView):
    """Serves published snapshots to the provider, without authentication.

    Each URL carries a random 256-bit token and expires after a day.
    """

    url = MEDIA_PATH + "/{name}"
    name = "api:textboost:media"
    requires_auth = False

    async def get(self, request: web.Request, name: str) -> web.Response:
        """Return the image, or 404 for an unknown or expired token."""
        hass = request.app[KEY_HASS]
        token = name.partition(".")[0]
        snapshot = hass.data.get(DATA_MEDIA, {}).get(token)
        if snapshot is None or snapshot.expires < dt_util.utcnow().timestamp():
            return web.Response(status=HTTPStatus.NOT_FOUND)
        return web.Response(body=snapshot.content, content_type=snapshot.content_type)
