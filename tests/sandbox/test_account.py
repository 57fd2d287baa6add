"""Account routes: `GET me` is covered with authentication; here `GET balance`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import aiohttp
import pytest

from sandbox import BalanceShape, Sandbox

from .helpers import NOT_ENOUGH, call, send

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.mark.parametrize(
    ("shape", "value"),
    [
        (BalanceShape.REMAINING_UNIT, "1,234.50"),
        (BalanceShape.REMAINING_BALANCE, "1,234.50"),
        (BalanceShape.SMS_CREDIT_BALANCE, 1234),
    ],
)
async def test_balance_shapes(
    sandbox: Sandbox,
    session: aiohttp.ClientSession,
    shape: BalanceShape,
    value: str | int,
) -> None:
    sandbox.balance_shape = shape
    answer = await call(session, sandbox, "GET", "balance")
    assert answer.json == {
        "status": "success",
        "message": None,
        "data": {shape.value: value, "expired_on": "31 Dec 2030 11:59 PM"},
    }


@pytest.mark.parametrize("display", ["9,99,999", "$1,234.50", "Unlimited"])
async def test_balance_display_is_sent_verbatim(
    sandbox: Sandbox, session: aiohttp.ClientSession, display: str
) -> None:
    sandbox.state.balance_display = display
    sandbox.state.unlimited = True
    sandbox.state.expires_on = datetime.fromisoformat("2027-01-09 09:05")
    answer = await call(session, sandbox, "GET", "balance")
    assert answer.json["data"] == {
        "remaining_balance": display,
        "expired_on": "09 Jan 2027 9:05 AM",
    }


async def test_unlimited_balance_never_deducts(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.state.unlimited = True
    sandbox.state.balance = Decimal(0)
    sandbox.state.expires_on = None
    assert (await send(session, sandbox, recipient="31612345678", message="x"))[
        "status"
    ] == "success"
    assert sandbox.state.balance == Decimal(0)
    answer = await call(session, sandbox, "GET", "balance")
    assert answer.json["data"] == {"remaining_balance": "Unlimited", "expired_on": ""}


async def test_not_enough_balance(
    sandbox: Sandbox, session: aiohttp.ClientSession
) -> None:
    sandbox.state.balance = Decimal("0.09")
    envelope = await send(
        session, sandbox, recipient="31612345678,31612345679", message="hi"
    )
    assert envelope == {"status": "error", "message": NOT_ENOUGH}
    assert sandbox.sent_messages() == []
    assert sandbox.state.balance == Decimal("0.09")
