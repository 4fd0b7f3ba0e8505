"""The account's own images and template decoration: not content, so they need no credit line.

A 135editor or WeChat template puts the same banner GIF, divider lines and the account's footer QR
logo into every post; asking for "图片来源" under each is noise that teaches authors to ignore the
media check. An image is the account's own when its address starts with a listed prefix or its
picture is within a few bits of a listed difference hash; it is decoration when its size and type
say so (a spacer, a divider line, a banner strip). The lists and thresholds are data
(``lexicons/media_own.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..document import Media
from .credit import _read_appending
from .image import ImageFacts

FILE = "media_own.toml"


def _bare(url: str) -> str:
    """The address without its scheme: "https://a.cn/x" and "//a.cn/x" both read "a.cn/x"."""
    url = url.strip()
    if "://" in url[:12]:
        url = url.split("://", 1)[1]
    return url.lstrip("/").lower()


@dataclass(frozen=True)
class OwnAssets:
    url_prefixes: tuple[str, ...] = ()
    hashes: tuple[int, ...] = ()
    max_distance: int = 6
    spacer_max_side: int = 24
    divider_min_ratio: float = 6.0
    divider_max_height: int = 60
    banner_types: tuple[str, ...] = ("image/gif",)
    banner_min_ratio: float = 2.5
    banner_max_height: int = 240

    @classmethod
    def load(cls, dirs: Iterable[Path]) -> "OwnAssets":
        data = _read_appending(tuple(dirs), FILE)
        own, deco = data.get("own", {}), data.get("decorative", {})
        try:
            hashes = tuple(int(str(h), 16) for h in own.get("hashes", []))
        except ValueError as e:
            raise ValueError(f"{FILE} [own] hashes: {e} (16 hex digits each)") from None
        known = {k: deco[k] for k in cls.__dataclass_fields__ if k in deco}
        if "banner_types" in known:
            known["banner_types"] = tuple(known["banner_types"])
        return cls(url_prefixes=tuple(_bare(p) for p in own.get("url_prefixes", []) if p.strip()),
                   hashes=hashes, max_distance=int(own.get("max_distance", 6)), **known)

    def is_own_url(self, m: Media) -> bool:
        urls = [u for u in (m.url, *m.alternates) if u]
        return any(_bare(u).startswith(self.url_prefixes) for u in urls) if self.url_prefixes else False

    def is_own_picture(self, facts: ImageFacts) -> bool:
        return any((facts.dhash ^ h).bit_count() <= self.max_distance for h in self.hashes)

    def is_decorative(self, facts: ImageFacts) -> bool:
        w, h = facts.width, facts.height
        if min(w, h) <= self.spacer_max_side:
            return True
        ratio = w / max(h, 1)
        if ratio >= self.divider_min_ratio and h <= self.divider_max_height:
            return True
        return facts.mime in self.banner_types and ratio >= self.banner_min_ratio and h <= self.banner_max_height

    def exempt(self, media: Iterable[Media], facts: dict) -> set[int]:
        """Indices of the media items that are the account's own or decoration."""
        out = set()
        for m in media:
            if m.kind != "image":
                continue
            f = facts.get(m.index)
            if self.is_own_url(m) or isinstance(f, ImageFacts) and (self.is_own_picture(f) or self.is_decorative(f)):
                out.add(m.index)
        return out
