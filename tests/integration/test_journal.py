"""The outbox journal: what was reported written survives a kill, at a cost
proportional to the change."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
import os
from pathlib import Path
import signal
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from custom_components.textboost.outbox.store import COMPACT_MIN_BYTES, Journal


class _Executor:
    """What the journal needs of Home Assistant: an executor."""

    def async_add_executor_job(
        self, target: Callable[..., Any], *args: Any
    ) -> asyncio.Future[Any]:
        return asyncio.get_running_loop().run_in_executor(None, target, *args)


def journal(path: Path) -> Journal:
    """A journal on ``path`` outside Home Assistant."""
    return Journal(_Executor(), path)  # type: ignore[arg-type]


ENTRY = {"id": "x", "message": {"recipients": ["31612345678"], "message": "Leak"}}

_WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from custom_components.textboost.outbox.store import Journal

    class Executor:
        def async_add_executor_job(self, target, *args):
            return asyncio.get_running_loop().run_in_executor(None, target, *args)

    async def main(path):
        store = Journal(Executor(), Path(path))
        await store.async_load()
        for number in range(1_000_000):
            await store.async_write({f"entry/{number}": {"id": number, "text": "Leak"}})
            print(number, flush=True)  # reported queued: on disk

    asyncio.run(main(sys.argv[1]))
    """
)


async def test_a_kill_loses_nothing_that_was_reported_written(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    writer = subprocess.Popen(  # noqa: ASYNC220 (a child to kill, on purpose)
        [sys.executable, "-c", _WRITER, str(path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert writer.stdout is not None
    reported: list[int] = []
    for line in writer.stdout:  # the child writes as fast as it can
        reported.append(int(line))
        if len(reported) == 300:
            os.kill(writer.pid, signal.SIGKILL)  # no clean stop
            break
    reported.extend(int(line) for line in writer.stdout)
    writer.wait()
    assert writer.returncode == -signal.SIGKILL

    values, bad = await journal(path).async_load()

    assert {f"entry/{number}" for number in reported} <= set(values)
    assert bad == 0


async def test_a_line_cut_short_is_ignored_and_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    first = journal(path)
    await first.async_load()
    await first.async_write({"entry/a": ENTRY})
    with path.open("ab") as file:
        file.write(b'{"k":"entry/b","v":{"id"')  # killed in the middle

    second = journal(path)
    values, bad = await second.async_load()
    await second.async_write({"entry/c": ENTRY})

    assert (values, bad) == ({"entry/a": ENTRY}, 0)
    assert [json.loads(line)["k"] for line in path.read_text().splitlines()] == [
        "entry/a",
        "entry/c",
    ]


async def test_unreadable_lines_are_counted_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text(
        'not json\n{"k":"entry/a","v":[1]}\n{"v":{}}\n{"k":"entry/b","v":{}}\n'
    )

    values, bad = await journal(path).async_load()

    assert (values, bad) == ({"entry/b": {}}, 3)


async def test_concurrent_additions_share_one_write(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    store = journal(path)
    await store.async_load()

    await asyncio.gather(
        *(store.async_write({f"entry/{n}": ENTRY}) for n in range(100))
    )

    assert len(path.read_text().splitlines()) == 100
    assert store.stats.appends <= 2  # the first, then all the others at once


async def test_sequential_changes_cost_what_changed_and_compact(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    store = journal(path)
    await store.async_load()

    for number in range(700):
        await store.async_write({f"entry/{number}": ENTRY})
        await store.async_write({f"entry/{number}": None})
    await store.async_write({"entry/kept": ENTRY})

    line = len(json.dumps({"k": "entry/0000", "v": ENTRY}, separators=(",", ":")))
    assert store.stats.bytes_written < 3 * 1_400 * line  # linear, not quadratic
    assert store.stats.compactions >= 1
    assert path.stat().st_size < COMPACT_MIN_BYTES + 2 * line
    assert await journal(path).async_load() == ({"entry/kept": ENTRY}, 0)


async def test_removing_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    store = journal(path)
    await store.async_write({"entry/a": ENTRY})

    await store.async_remove()
    await store.async_remove()  # already gone: fine

    assert not path.exists()


@pytest.mark.parametrize("value", [None, ENTRY])
async def test_first_write_creates_the_file(tmp_path: Path, value: Any) -> None:
    path = tmp_path / "new" / "journal.jsonl"
    store = journal(path)
    assert await store.async_load() == ({}, 0)

    await store.async_write({"entry/a": value})

    assert await journal(path).async_load() == (
        ({"entry/a": ENTRY}, 0) if value else ({}, 0)
    )
