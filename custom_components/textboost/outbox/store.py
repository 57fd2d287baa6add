"""The outbox journal: durable, with a cost proportional to the change.

Why a journal and not Home Assistant's ``Store``: ``Store`` rewrites the whole
file on every save (1,000 queued messages wrote 352 MB), and while Home
Assistant stops it writes nothing until its final write, so an in-flight mark
could not reach the disk before an attempt. SQLite (``sqlite3``) would do, but
each commit writes whole 4 KiB pages to its write-ahead log, ten times the
size of one record; a journal writes what changed and nothing else.

The file holds one JSON object a line: ``{"k": KEY, "v": VALUE}`` sets KEY,
``{"k": KEY, "v": null}`` forgets it. Keys are ``KIND/ID``.

* Every write is appended, flushed and ``fsync``-ed before ``async_write``
  returns: a record the caller saw written survives a SIGKILL (and a power
  cut) right after.
* Concurrent writers share one append (group commit): while one append runs
  in the executor, the records of every caller that arrives meanwhile are
  collected and written together by the next one.
* When the file is over ``COMPACT_MIN_BYTES`` and over twice the size of
  what is still live, it is rewritten with the live records only (to a
  temporary file, ``fsync``, atomic rename): the cost stays linear in the
  number of changes.
* A line cut short by a kill in the middle of an append is ignored on load
  and cut off before the next append.

All file work runs in the executor; nothing blocks the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import json
import logging
import os
from pathlib import Path
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_bytes

_LOGGER = logging.getLogger(__name__)

COMPACT_MIN_BYTES: Final = 64 * 1024


@dataclass(slots=True)
class JournalStats:
    """What the journal has written since it was opened (for benchmarks).

    ``bytes_written`` counts appends and compaction rewrites alike.
    """

    bytes_written: int = 0
    appends: int = 0
    compactions: int = 0


def journal_path(hass: HomeAssistant, entry_id: str) -> Path:
    """Where the outbox journal of a config entry lives (``.storage``).

    ``<config>/.storage/textboost.outbox.<entry_id>.jsonl`` (``hass.config.path``).
    """
    return Path(hass.config.path(".storage", f"textboost.outbox.{entry_id}.jsonl"))


class Journal:
    """An append-only key-value journal with group commit and compaction."""

    def __init__(self, hass: HomeAssistant, path: Path) -> None:
        """Bind to a file; ``async_load`` reads it."""
        self._hass = hass
        self._path = path
        #: Each live key's encoded line, for compaction.
        self._live: dict[str, bytes] = {}
        self._live_bytes = 0
        self._file_bytes = 0
        self._pending: list[bytes] = []
        self._durable = False
        self._queued = 0
        self._written = 0
        self._lock = asyncio.Lock()
        self.stats = JournalStats()

    async def async_load(self) -> tuple[dict[str, dict[str, Any]], int]:
        """Read the journal: every live record by key, and how many lines were bad.

        Returns ``({KEY: record dict}, bad line count)``; a missing file reads
        as empty. A last line cut short is cut off the file. Raises
        ``OSError`` when the file cannot be read.
        """
        return await self._hass.async_add_executor_job(self._load)

    def _load(self) -> tuple[dict[str, dict[str, Any]], int]:
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return {}, 0
        complete = raw[: raw.rfind(b"\n") + 1]
        if len(complete) != len(raw):
            # A kill cut the last append short: it was never reported written.
            with self._path.open("r+b") as file:
                file.truncate(len(complete))
        values: dict[str, dict[str, Any]] = {}
        bad = 0
        for line in complete.splitlines(keepends=True):
            try:
                record = json.loads(line)
                key, value = record["k"], record["v"]
            except (ValueError, TypeError, KeyError):
                bad += 1
                continue
            self._account(str(key), line if value is not None else None)
            if value is None:
                values.pop(key, None)
            elif isinstance(value, dict):
                values[key] = value
            else:
                bad += 1
        self._file_bytes = len(complete)
        return values, bad

    def _account(self, key: str, line: bytes | None) -> None:
        old = self._live.pop(key, None)
        if old is not None:
            self._live_bytes -= len(old)
        if line is not None:
            self._live[key] = line
            self._live_bytes += len(line)

    async def async_write(
        self, changes: dict[str, dict[str, Any] | None], *, durable: bool = True
    ) -> None:
        """Set (a dict) or forget (None) each key; return once it is written.

        ``durable`` writes are ``fsync``-ed before this returns (they survive
        a power cut); the others are in the operating system's cache (they
        survive a kill of Home Assistant). Raises ``OSError`` when the file
        cannot be written.
        """
        self._durable = self._durable or durable
        for key, value in changes.items():
            # orjson, through HA's json_bytes: compact, UTF-8, about ten times
            # faster than json.dumps for these small records.
            line = json_bytes({"k": key, "v": value}) + b"\n"
            self._pending.append(line)
            self._account(key, line if value is not None else None)
        self._queued += 1
        mine = self._queued
        async with self._lock:
            if self._written >= mine:
                return  # an append that started after ours was queued took it
            batch, self._pending = self._pending, []
            upto = self._queued
            durable, self._durable = self._durable, False
            compact = (
                self._file_bytes > COMPACT_MIN_BYTES
                and self._file_bytes > 2 * self._live_bytes
            )
            if compact:
                snapshot = b"".join(self._live.values())
                await self._hass.async_add_executor_job(self._rewrite, snapshot)
            else:
                await self._hass.async_add_executor_job(
                    self._append, b"".join(batch), durable
                )
            self._written = upto

    def _append(self, data: bytes, durable: bool) -> None:
        created = not self._path.exists()
        if created:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._path.open("ab") as file:
            file.write(data)
            file.flush()
            if durable:
                os.fsync(file.fileno())
        if created:
            _fsync_dir(self._path.parent)
        self._file_bytes += len(data)
        self.stats.bytes_written += len(data)
        self.stats.appends += 1

    def _rewrite(self, snapshot: bytes) -> None:
        temporary = self._path.with_suffix(".tmp")
        with temporary.open("wb") as file:
            file.write(snapshot)
            file.flush()
            os.fsync(file.fileno())
        temporary.replace(self._path)
        _fsync_dir(self._path.parent)
        _LOGGER.debug(
            "Outbox journal compacted from %d to %d bytes",
            self._file_bytes,
            len(snapshot),
        )
        self._file_bytes = len(snapshot)
        self.stats.bytes_written += len(snapshot)
        self.stats.compactions += 1

    async def async_remove(self) -> None:
        """Delete the journal (the entry was removed); no file is fine."""
        await self._hass.async_add_executor_job(self._path.unlink, True)


def _fsync_dir(directory: Path) -> None:
    """Make a new or renamed file's name durable too."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
