"""Actions on the outbox: retry the queued messages now, or drop them."""

from __future__ import annotations

from homeassistant.core import ServiceCall, ServiceResponse

from ..data import TextBoostConfigEntry


async def async_retry_queued(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Try the queued retries now: ``{"retried": int, "queued": int}``.

    ``retried`` counts the messages tried, ``queued`` those that still wait.
    """
    outbox = entry.runtime_data.outbox
    retried = await outbox.async_retry_now()
    return {"retried": retried, "queued": outbox.pending_count}


async def async_clear_queue(
    call: ServiceCall, entry: TextBoostConfigEntry
) -> ServiceResponse:
    """Drop every queued and scheduled message: ``{"cleared": int}``."""
    return {"cleared": await entry.runtime_data.outbox.async_clear()}
