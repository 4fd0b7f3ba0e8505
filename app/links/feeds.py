"""Threat feeds into the deny list: URLhaus CSV exports and plain host lists (one host, URL or
hosts-file line per line). Hosts are appended to the company overlay
``<data_dir>/lexicons/domains/deny.txt``, which the next load (or reload) of the service reads.

A URLhaus row names a URL, and many such URLs sit on shared hosting (github.com, drive.google.com);
a host in the allow list is therefore never added, so a feed cannot block the company's own or
trusted domains wholesale.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from .. import lexicon
from .rules import _within, normalize_host

_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_SINKHOLES = {"0.0.0.0", "127.0.0.1", "::1", "::", "localhost", "broadcasthost", "local"}


class FeedError(ValueError):
    """The file is not a feed this importer understands."""


@dataclass
class ImportResult:
    path: Path
    format: str
    added: int
    already: int
    skipped_allowed: int
    invalid: int


def _host_of(token: str) -> str | None:
    token = token.strip().strip('"').strip()
    if not token:
        return None
    if "://" in token:
        try:
            token = urlsplit(token).hostname or ""
        except ValueError:
            return None
    else:
        token = token.split("/", 1)[0]
        if token.count(":") == 1:
            token = token.split(":", 1)[0]  # host:port
    host = normalize_host(token)
    if host in _SINKHOLES:
        return None
    return host if _HOST.match(host) or _IPV4.match(host) or ":" in host else None


def parse_feed(text: str) -> tuple[str, list[str | None]]:
    """(format, hosts): ``None`` marks a line that named no usable host."""
    lines = [l for l in text.splitlines() if l.strip()]
    data = [l for l in lines if not l.lstrip().startswith("#")]
    if not data:
        raise FeedError("no entries (only comments or empty lines)")
    is_urlhaus = any("urlhaus" in l.lower() for l in lines[:20] if l.lstrip().startswith("#")) or \
        re.match(r'^"?\d+"?,"?\d{4}-\d\d-\d\d', data[0]) is not None
    if is_urlhaus:
        hosts: list[str | None] = []
        for row in csv.reader(io.StringIO("\n".join(data))):
            url = next((c for c in row if c.strip().lower().startswith(("http://", "https://"))), None)
            hosts.append(_host_of(url) if url else None)
        return "urlhaus", hosts
    hosts = []
    for line in data:
        tokens = lexicon.strip_comment(line).split()
        if not tokens:
            continue
        if len(tokens) >= 2 and tokens[0] in _SINKHOLES | {"0.0.0.0", "127.0.0.1"}:
            hosts.extend(_host_of(t) for t in tokens[1:])  # hosts-file format: "0.0.0.0 evil.example"
        else:
            hosts.append(_host_of(tokens[0]))
    return "hosts", hosts


def import_feed(path: Path, overlay: Path, lexicon_dirs: list[Path]) -> ImportResult:
    """Add the feed's hosts to ``overlay/domains/deny.txt``; returns what was done."""
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise FeedError(f"{path}: {e.strerror or e}") from None
    if b"\x00" in raw[:4096]:
        raise FeedError(f"{path}: a binary file, not a CSV or host list (unzip URLhaus exports first)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FeedError(f"{path}: not valid UTF-8 (byte {e.start})") from None
    fmt, found = parse_feed(text)
    valid = [h for h in found if h]
    if not valid:
        raise FeedError(f"{path}: no host names or URLs found ({len(found)} lines read)")

    target = overlay / "domains" / "deny.txt"
    allow = frozenset(normalize_host(h) for h in lexicon.read_lines(lexicon_dirs, "domains/allow.txt"))
    present = {normalize_host(h) for h in lexicon.read_lines([*lexicon_dirs, overlay], "domains/deny.txt")}
    new: list[str] = []
    already = skipped = 0
    for host in dict.fromkeys(valid):
        if host in present:
            already += 1
        elif _within(host, allow):
            skipped += 1
        else:
            new.append(host)
    if new:
        target.parent.mkdir(parents=True, exist_ok=True)
        old = target.read_text(encoding="utf-8") if target.exists() else \
            "# Company deny list: hosts added by `precheck links import-feed` (and the admin API).\n"
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        block = f"# {len(new)} hosts from {Path(path).name} ({fmt}), {stamp}\n" + "\n".join(new) + "\n"
        _atomic_write(target, old + ("" if old.endswith("\n") else "\n") + block)
    return ImportResult(target, fmt, len(new), already, skipped, len(found) - len(valid))


def _atomic_write(target: Path, text: str) -> None:
    # A reader (the service reloading) sees the old file or the new one, never half of it.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".deny-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, target)
