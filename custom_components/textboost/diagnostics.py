"""Diagnostics: what a maintainer needs, without secrets or personal data."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_TOKEN
from homeassistant.core import HomeAssistant

from .const import CONF_PHONE, CONF_WEBHOOK_ID
from .data import TextBoostConfigEntry

TO_REDACT = {
    CONF_API_TOKEN,
    "api_token",
    "email",
    "first_name",
    "last_name",
    CONF_PHONE,
    "to",
    "recipients",
    "title",
    "unique_id",
    "uid",
    CONF_WEBHOOK_ID,
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: TextBoostConfigEntry
) -> dict[str, Any]:
    """What a maintainer needs, with every ``TO_REDACT`` key shown as ``**REDACTED**``.

    Keys: ``entry`` (title, unique id, data, options, subentries), ``account``
    (the last read: profile, balance as a decimal string in the account's
    currency, its source key, plan expiry as ISO 8601, time zone, low or not),
    ``groups`` (read ok, how many, how many contacts in all), ``outbox``
    (``Outbox.summary()``), ``receiving`` (``Receiver.summary()``),
    ``guard_rails`` (``GuardRails.summary()``) and ``rate_limit`` (the last rate-limit headers the
    client saw, or None). Raises nothing: it reads what is in memory.
    """
    data = entry.runtime_data
    account = data.account.data
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
                "subentries": [
                    {
                        "type": sub.subentry_type,
                        "title": sub.title,
                        "data": dict(sub.data),
                    }
                    for sub in entry.subentries.values()
                ],
            },
            "account": {
                "last_update_success": data.account.last_update_success,
                "profile": asdict(account.profile),
                "balance": {
                    "amount": str(account.amount)
                    if account.amount is not None
                    else None,
                    "unlimited": account.balance.unlimited,
                    "source_key": account.balance.source_key,
                    "expires_at": account.expires_at.isoformat()
                    if account.expires_at
                    else None,
                },
                "time_zone": str(account.time_zone),
                "low_balance": data.account.is_low(account),
            },
            "groups": {
                "last_update_success": data.groups.last_update_success,
                "count": len(data.groups.groups),
                "contacts": sum(g.contacts or 0 for g in data.groups.groups.values()),
            },
            "outbox": data.outbox.summary(),
            "receiving": data.receiver.summary(),
            "guard_rails": data.guard.summary(),
            "rate_limit": asdict(data.client.rate_limit)
            if data.client.rate_limit
            else None,
        },
        TO_REDACT,
    )
