"""Where the bytes of a media item come from: an attachment, a ``data:`` URL, or (when probing) the web.

Attachments are keyed by the reference as written in the draft (the CLI) or by file name (the
upload endpoint), so an item matches by its URL, then by the last path segment of it. Remote images
are fetched only through the shared SSRF guard (``app.net.guard``).
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..document import Document, Media

if TYPE_CHECKING:
    from ..settings import Settings

log = logging.getLogger("precheck")

_DATA_URL = re.compile(r"(?is)^data:(image/[\w.+-]+)?((?:;[\w-]+=[^;,]*)*)(;base64)?,(.*)$")


class TooLarge(Exception):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


def basename(ref: str) -> str:
    path = urlsplit(ref).path if "://" in ref else ref.split("?", 1)[0].split("#", 1)[0]
    return unquote(path.replace("\\", "/").rsplit("/", 1)[-1])


def decode_data_url(url: str, max_bytes: int) -> bytes | None:
    """The bytes of a ``data:`` URL (base64 or percent-encoded), or None when it is not one."""
    m = _DATA_URL.match(url.strip())
    if not m:
        return None
    payload = m.group(4)
    if m.group(3):
        compact = re.sub(r"\s+", "", payload)
        if len(compact) * 3 // 4 > max_bytes:
            raise TooLarge(len(compact) * 3 // 4)
        try:
            return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=False)
        except (binascii.Error, ValueError):
            return b""
    data = unquote(payload).encode("utf-8", "surrogateescape")
    if len(data) > max_bytes:
        raise TooLarge(len(data))
    return data


def references(m: Media) -> list[str]:
    refs = [r for r in (m.url, *getattr(m, "alternates", ())) if r]
    return refs


def attached(doc: Document, m: Media) -> tuple[str, bytes] | None:
    """(the key it was found under, the bytes) for an item whose image was handed in with the draft."""
    if not doc.attachments:
        return None
    refs = references(m)
    for ref in refs:
        if ref in doc.attachments:
            return ref, doc.attachments[ref]
    by_name = {}
    for key in doc.attachments:
        by_name.setdefault(basename(key), key)
    for ref in refs:
        key = by_name.get(basename(ref))
        if key is not None and basename(ref):
            return key, doc.attachments[key]
    return None


def remote(m: Media) -> str | None:
    for ref in references(m):
        if urlsplit(ref).scheme.lower() in ("http", "https"):
            return ref
    return None


def fetch_all(urls: list[str], max_bytes: int, budget: float, settings: Settings) -> dict[str, bytes | Exception]:
    """Fetch images through the SSRF guard on the shared network loop, all at once, within ``budget`` s."""
    if not urls:
        return {}
    import asyncio

    from ..net import guard, loop

    async def one(url: str) -> bytes | Exception:
        try:
            res = await guard.fetch(url, "GET", max_bytes=max_bytes + 1, max_redirects=5,
                                    allow_private=settings.allow_private_targets, link_timeout=settings.link_timeout)
        except Exception as e:  # refused by the guard, timeout, connection error: not an image we can read
            return e
        if res.status != 200:
            return RuntimeError(f"HTTP {res.status}")
        if res.truncated or len(res.content) > max_bytes:
            return TooLarge(len(res.content))
        return res.content

    async def every() -> list[bytes | Exception]:
        return await asyncio.gather(*(one(u) for u in urls))

    try:
        results = loop.run(every(), timeout=budget)
    except TimeoutError:
        log.info("media fetch budget of %.1f s spent; %d images not inspected", budget, len(urls))
        return {}
    return dict(zip(urls, results))
