"""From an instant to the account's wall clock, only when that is exact.

The server reads ``schedule_time`` as ``Y-m-d H:i`` in the time zone of the
account profile (``me.timezone``), seconds dropped (WIRE-NOTES, "Sending
rules"). Some instants have no such text that means them and only them:

* an instant with seconds: the text drops them, so the message would go early
  (rounding up instead would make it needlessly late);
* an instant whose wall time occurs twice when the clocks go back (a *fold*):
  the server reads the first occurrence, up to an hour (30 minutes on Lord
  Howe Island) early for the second;
* a wall time the clocks skip, or an offset with seconds (local mean times of
  old dates): the text would name another instant;
* an account zone this Home Assistant does not know: the text would be read
  in a zone the integration cannot convert to.

For those, :func:`server_schedule_time` returns None, and the caller holds the
message in the outbox and sends it at the instant itself: never early, never
later than the outbox's own timer.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo


def account_zone(zone: tzinfo, zone_name: str) -> tzinfo | None:
    """The account's zone, or None when it is not the one the profile names.

    ``zone`` is what Home Assistant resolved ``zone_name`` (``me.timezone``)
    to; it falls back to UTC for a name it does not know.
    """
    if isinstance(zone, ZoneInfo) and zone.key == zone_name:
        return zone
    return None


def server_schedule_time(instant: datetime, zone: tzinfo | None) -> datetime | None:
    """The naive wall time in ``zone`` that the server reads as ``instant``.

    ``instant`` is an aware datetime. Returns None when no ``Y-m-d H:i`` text
    in ``zone`` means exactly ``instant`` (see the module docstring), or when
    ``zone`` is None (unknown).
    """
    if zone is None or instant.second or instant.microsecond:
        return None
    wall = instant.astimezone(zone).replace(tzinfo=None)
    if wall.second or wall.microsecond:
        return None
    target = instant.astimezone(UTC)
    # Both readings of the wall time (before and after a fold or a gap) must
    # be the instant: then the text is unambiguous, whatever the server picks.
    for fold in (0, 1):
        if wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) != target:
            return None
    return wall
