"""An append-only file of records that could not be written to the database yet.

Several worker processes may append while one replays, so every step takes an ``flock``: an
appender re-opens the file if a replayer renamed it away between ``open`` and ``flock``; the
replayer renames the file aside (new appends start a fresh one) and deletes it only once every
line is in the database. Files set aside are named by the time they were set aside, and replayed in
that order, so records reach the database in the order they were written.

A record the database refuses for what it holds (not because the database is away) is moved to
``rejected.jsonl`` with the reason, and the replay goes on with the next one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import time
import uuid
from pathlib import Path
from typing import Callable

log = logging.getLogger("precheck.store")

_TIMED = re.compile(r"checks-(\d{20})-")


def _order(path: Path) -> tuple[int, str]:
    # Files set aside before they were named by time carry a random id: their last write time places them.
    m = _TIMED.match(path.name)
    return (int(m.group(1)) if m else path.stat().st_mtime_ns, path.name)


class Spool:
    def __init__(self, directory: Path):
        self.dir = directory
        self.path = directory / "checks.jsonl"

    def append(self, record: dict) -> None:
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            line = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: JSON's \ud800 escape keeps it exactly
            line = (json.dumps(record, separators=(",", ":")) + "\n").encode("ascii")
        self.dir.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    if os.fstat(fd).st_ino != os.stat(self.path).st_ino:
                        continue  # renamed away by a replayer after we opened it
                except FileNotFoundError:
                    continue
                os.write(fd, line)
                os.fsync(fd)  # the client is told its record is queued: it must survive a crash
                return
            finally:
                os.close(fd)  # closing releases the lock

    def pending(self) -> int:
        """Records waiting, counted by lines (cheap enough for a health endpoint)."""
        total = 0
        for p in self._files():
            with open(p, "rb") as fh:
                total += sum(1 for line in fh if line.strip())
        return total

    def _files(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return self._set_aside() + ([self.path] if self.path.exists() else [])

    def _set_aside(self) -> list[Path]:
        return sorted(self.dir.glob("*.replay"), key=_order)

    def replay(self, write: Callable[[dict], None], refused: tuple[type[Exception], ...] = ()) -> int:
        """Hand every queued record to ``write``, oldest first; stops (keeping the rest) at the first
        failure, except ``refused`` ones: that record is moved to ``rejected.jsonl`` and the rest go on."""
        if not self.dir.is_dir():
            return 0
        with open(self.dir / "replay.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._rotate()
            done = 0
            for path in self._set_aside():
                done += self._replay_file(path, write, refused)
            return done

    def _rotate(self) -> None:
        if not self.path.exists():
            return
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.rename(self.path, self.dir / f"checks-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.replay")
        finally:
            os.close(fd)

    def reject(self, record: dict, reason: str) -> None:
        """Keep a record the database will not take, with the reason, for a person to look at."""
        self.dir.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"reason": reason, "record": record}, ensure_ascii=True, separators=(",", ":"))
        with open(self.dir / "rejected.jsonl", "a", encoding="ascii") as fh:
            fh.write(line + "\n")

    def _replay_file(self, path: Path, write: Callable[[dict], None],
                     refused: tuple[type[Exception], ...]) -> int:
        lines = path.read_bytes().splitlines()
        done = 0
        for i, raw in enumerate(lines):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                # A torn last line from a crash mid-write: keep it for a person to look at.
                log.error("spool %s line %d is not JSON; moved aside", path.name, i + 1)
                with open(self.dir / "unreadable.jsonl", "ab") as bad:
                    bad.write(raw + b"\n")
                continue
            try:
                write(record)
            except refused as e:
                log.error("the database refused queued check %s (%s); moved to rejected.jsonl",
                          record.get("id"), e)
                self.reject(record, str(e)[:500])
                continue
            except Exception:
                # Keep what is left (the written ones are idempotent, but rewriting is cheap).
                rest = b"\n".join(lines[i:]) + b"\n"
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(rest)
                os.replace(tmp, path)
                raise
            done += 1
        path.unlink()
        return done
