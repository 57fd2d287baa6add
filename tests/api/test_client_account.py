"""Account endpoints: ``me`` and ``balance``, over real HTTP to the sandbox."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from decimal import Decimal

import pytest

from custom_components.textboost.api import Balance, Profile, TextBoostClient
from sandbox import BalanceShape

from .helpers import assert_request


async def test_me_returns_the_profile(client: TextBoostClient, sandbox) -> None:
    profile = await client.me()

    expected = sandbox.state.profile
    assert isinstance(profile, Profile)
    assert profile.uid == expected.uid
    assert (profile.first_name, profile.last_name) == ("Sandy", "Box")
    assert profile.name == "Sandy Box"
    assert profile.email == "sandbox@example.com"
    assert profile.locale == "en"
    assert profile.timezone == "Europe/Amsterdam"
    assert profile.last_access_at is not None
    assert_request(sandbox.requests[-1], "GET", "me")


async def test_me_does_not_keep_the_echoed_token(
    client: TextBoostClient, sandbox
) -> None:
    profile = await client.me()

    assert "api_token" not in {f.name for f in fields(profile)}
    assert not hasattr(profile, "api_token")
    assert sandbox.token not in repr(profile)
    assert sandbox.token not in str(asdict(profile))


async def test_me_without_a_time_zone_defaults_to_utc(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.state.profile.timezone = ""
    assert (await client.me()).timezone == "UTC"


@pytest.mark.parametrize(
    ("shape", "key", "amount"),
    [
        (BalanceShape.REMAINING_UNIT, "remaining_unit", Decimal("1234.50")),
        (BalanceShape.REMAINING_BALANCE, "remaining_balance", Decimal("1234.50")),
        (BalanceShape.SMS_CREDIT_BALANCE, "sms_credit_balance", Decimal("1234")),
    ],
)
async def test_balance_reads_each_server_shape(
    client: TextBoostClient, sandbox, shape: BalanceShape, key: str, amount: Decimal
) -> None:
    sandbox.balance_shape = shape

    balance = await client.balance()

    assert balance == Balance(
        amount=amount,
        unlimited=False,
        expires_local=datetime(2030, 12, 31, 23, 59),
        source_key=key,
    )
    assert_request(sandbox.requests[-1], "GET", "balance")


@pytest.mark.parametrize(
    ("shown", "amount"),
    [
        ("9,99,999", Decimal("999999")),
        ("1,234.50", Decimal("1234.50")),
        ("$1,234.50", Decimal("1234.50")),
        ("€ 1.234,50", Decimal("1234.50")),
    ],
)
async def test_balance_reads_display_strings(
    client: TextBoostClient, sandbox, shown: str, amount: Decimal
) -> None:
    sandbox.state.balance_display = shown

    balance = await client.balance()

    assert (balance.amount, balance.unlimited) == (amount, False)


async def test_balance_unlimited_has_no_amount(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.state.unlimited = True

    balance = await client.balance()

    assert (balance.amount, balance.unlimited) == (None, True)


async def test_sms_credit_balance_is_an_integer(
    client: TextBoostClient, sandbox
) -> None:
    sandbox.balance_shape = BalanceShape.SMS_CREDIT_BALANCE
    sandbox.state.balance = Decimal(987654)

    balance = await client.balance()

    assert balance.amount == Decimal(987654)
    assert balance.source_key == "sms_credit_balance"


@pytest.mark.parametrize(
    ("expires_on", "expires_local"),
    [
        (datetime(2026, 12, 31, 23, 59), datetime(2026, 12, 31, 23, 59)),
        (datetime(2027, 1, 2, 0, 5), datetime(2027, 1, 2, 0, 5)),
        (None, None),
    ],
)
async def test_balance_expiry_is_naive_account_time(
    client: TextBoostClient,
    sandbox,
    expires_on: datetime | None,
    expires_local: datetime | None,
) -> None:
    sandbox.state.expires_on = expires_on

    balance = await client.balance()

    assert balance.expires_local == expires_local
