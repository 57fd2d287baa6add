"""`python -m sandbox`: arguments, demo data, running until stopped."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest

from sandbox import DEFAULT_TOKEN, BalanceShape, Sandbox
from sandbox.__main__ import banner, main, parse_args, run, seed_demo

pytestmark = pytest.mark.usefixtures("socket_enabled")


def test_parse_args() -> None:
    args = parse_args([])
    assert (args.host, args.port, args.token, args.balance_shape, args.seed) == (
        "127.0.0.1",
        8765,
        DEFAULT_TOKEN,
        BalanceShape.REMAINING_BALANCE,
        True,
    )
    args = parse_args(
        [
            "--host",
            "127.0.0.2",
            "--port",
            "9000",
            "--token",
            "1|t",
            "--balance-shape",
            "sms_credit_balance",
            "--no-seed",
        ]
    )
    assert (args.host, args.port, args.token, args.balance_shape, args.seed) == (
        "127.0.0.2",
        9000,
        "1|t",
        BalanceShape.SMS_CREDIT_BALANCE,
        False,
    )


async def test_banner_and_demo_data(sandbox: Sandbox) -> None:
    seed_demo(sandbox)
    names = {group.name: len(group.contacts) for group in sandbox.state.groups.values()}
    assert names == {"Family": 3, "On call": 2}
    assert len(sandbox.sent_messages()) == 2
    assert banner(sandbox) == (
        "TextBoost sandbox is running.\n"
        f"  Base URL: {sandbox.base_url}\n"
        f"  Token:    {DEFAULT_TOKEN}\n"
        "  Webhook:  not set (python -m sandbox webhook URL)\n"
        '  Text the house: python -m sandbox text --from +31612345001 "HEAT ON"\n'
    )


@pytest.mark.parametrize("seed", [True, False])
async def test_run_until_stopped(seed: bool) -> None:
    out = io.StringIO()
    stop = asyncio.Event()
    stop.set()
    argv = [
        "--port",
        "0",
        "--balance-shape",
        "remaining_unit",
        "--webhook-url",
        "http://127.0.0.1:8123/api/webhook/0123456789",
        "--webhook-encoding",
        "form",
    ]
    await run(argv if seed else [*argv, "--no-seed"], stop=stop, out=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "TextBoost sandbox is running."
    assert lines[1].startswith("  Base URL: http://127.0.0.1:")
    assert lines[1].endswith("/api/v3/")
    assert lines[2] == f"  Token:    {DEFAULT_TOKEN}"
    assert lines[3] == "  Webhook:  http://127.0.0.1:8123/api/webhook/0123**** (form)"


def test_main_stops_quietly_on_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def interrupted(coro: Any) -> None:
        seen.append(coro)
        coro.close()
        raise KeyboardInterrupt

    monkeypatch.setattr("sandbox.__main__.asyncio.run", interrupted)
    main(["--no-seed"])
    assert len(seen) == 1
