"""Instant to account wall clock, in every zone: exact or held, never early."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings, strategies as st

from custom_components.textboost.schedule import account_zone, server_schedule_time

ZONES = sorted(available_timezones())
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def server_reads(wall: datetime, zone: ZoneInfo, fold: int) -> datetime:
    """The instant the server takes "Y-m-d H:i" in ``zone`` to mean."""
    return wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)


@settings(max_examples=400, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    instant=st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2060, 1, 1)
    ).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)),
)
def test_a_wall_time_is_given_exactly_when_it_names_the_instant(
    zone_name: str, instant: datetime
) -> None:
    zone = ZoneInfo(zone_name)
    wall = server_schedule_time(instant, zone)
    local = instant.astimezone(zone).replace(tzinfo=None)
    exact = local.second == 0 and all(
        server_reads(local, zone, fold) == instant for fold in (0, 1)
    )
    if wall is None:
        assert not exact, "held although the wall time was exact"
    else:
        assert wall == local
        assert wall.second == wall.microsecond == 0
        for fold in (0, 1):
            assert server_reads(wall, zone, fold) == instant


@settings(max_examples=200, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    instant=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1)
    ).map(lambda d: d.replace(tzinfo=UTC)),
)
def test_seconds_are_never_dropped(zone_name: str, instant: datetime) -> None:
    wall = server_schedule_time(instant, ZoneInfo(zone_name))
    if instant.second or instant.microsecond:
        assert wall is None


def test_amsterdam_fold_of_2030_minute_by_minute() -> None:
    """02:00 to 02:59 happen twice on 27 October 2030: every one of them is held."""
    start = datetime(2030, 10, 26, 23, 58, tzinfo=UTC)
    held = []
    for minute in range(4 * 60):
        instant = start + timedelta(minutes=minute)
        if server_schedule_time(instant, AMSTERDAM) is None:
            held.append(instant)
    assert held[0] == datetime(2030, 10, 27, 0, 0, tzinfo=UTC)
    assert held[-1] == datetime(2030, 10, 27, 1, 59, tzinfo=UTC)
    assert len(held) == 120
    assert (
        server_schedule_time(datetime(2030, 10, 27, 1, 30, tzinfo=UTC), AMSTERDAM)
        is None
    )
    assert server_schedule_time(
        datetime(2030, 10, 27, 2, 0, tzinfo=UTC), AMSTERDAM
    ) == datetime(2030, 10, 27, 3, 0)


def test_no_zone_no_wall_time() -> None:
    assert server_schedule_time(datetime(2030, 1, 1, tzinfo=UTC), None) is None


def test_account_zone_is_the_one_the_profile_names() -> None:
    assert account_zone(AMSTERDAM, "Europe/Amsterdam") is AMSTERDAM
    kolkata = ZoneInfo("Asia/Calcutta")
    assert account_zone(kolkata, "Asia/Calcutta") is kolkata
    # Home Assistant's fallback for a name it does not know
    assert account_zone(UTC, "America/Ciudad_Juarez") is None
    assert account_zone(ZoneInfo("UTC"), "Etc/Unknown") is None
