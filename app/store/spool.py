"""An append-only file of records that could not be written to the database yet.

Several worker processes may append while one replays, so every step takes an ``flock``: an
appender re-opens the file if a replayer renamed it away between ``open`` and ``flock``; the
replayer renames the file aside (new appends start a fresh one) and deletes it only once every
line is in the database.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import uuid
from pathlib import Path
from typing import Callable

log = logging.getLogger("precheck.store")


class Spool:
    def __init__(self, directory: Path):
        self.dir = directory
        self.path = directory / "checks.jsonl"

    def append(self, record: dict) -> None:
        line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
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
        return sorted(self.dir.glob("*.replay")) + ([self.path] if self.path.exists() else [])

    def replay(self, write: Callable[[dict], None]) -> int:
        """Hand every queued record to ``write``; stops (keeping the rest) at the first failure."""
        if not self.dir.is_dir():
            return 0
        with open(self.dir / "replay.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._rotate()
            done = 0
            for path in sorted(self.dir.glob("*.replay")):
                done += self._replay_file(path, write)
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
            os.rename(self.path, self.dir / f"checks-{uuid.uuid4().hex}.replay")
        finally:
            os.close(fd)

    def _replay_file(self, path: Path, write: Callable[[dict], None]) -> int:
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
