"""Links and media as the checks read them: bare URLs found in the plain text, and the links and media
the walkers collected, frozen with their context."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..text import HAN, HAN_CLASS

if TYPE_CHECKING:
    from .offsets import Field

# A bare URL ends at whitespace, quotes, angle brackets, Chinese punctuation and Chinese text
# ("访问https://a.cn了解" stops before 了); CJK host labels count only when dots join them
# ("https://例子.测试/"); ASCII parentheses belong to it only in balanced pairs (wiki/Foo_(bar)).
# Trailing ASCII punctuation is sentence punctuation, not part of the URL.
_URL_STOP = "\\s<>\"'（）()，。；：！？、【】《》「」“”‘’\u3000\uff00-\uffef" + HAN
_URL_LABEL = rf"(?:[^{_URL_STOP}/?#.]+|{HAN_CLASS}+)"
_URL_TAIL = rf"(?:[^{_URL_STOP}]|\([^{_URL_STOP}]*\))*"
BARE_URL = re.compile(
    rf"(?i)(?<![A-Za-z0-9@/.+\-])(?:(?:(?:https?|ftp|file)://|www\.(?=[\w\-]))(?:{_URL_LABEL}\.)*{_URL_LABEL}?"
    rf"(?:[/?#]{_URL_TAIL})?|(?:javascript|vbscript|data):(?=\S){_URL_TAIL})")
_TRAILING = ".,;:!?'\"]}>*_~"


@dataclass(frozen=True, slots=True)
class Link:
    field: str
    url: str
    start: int  # plain-text span of what the reader sees: the URL itself, or the anchor text
    end: int
    anchor: str
    after: str  # plain text right after the link, up to the end of its sentence
    kind: str  # bare | markdown | html | iframe | qr


@dataclass(frozen=True, slots=True)
class Media:
    index: int
    kind: str  # image | video | audio | iframe
    url: str | None
    field: str  # "body" for media in the text, "media[i]" for the API list
    start: int  # plain-text position in the body where the media sits (zero width)
    src_start: int  # span of the media markup in the source (0, 0 for the API list)
    src_end: int
    alt: str = ""
    title: str = ""
    caption: str | None = None
    credit: str | None = None
    origin: str = "markdown"  # markdown | html | api
    alternates: tuple[str, ...] = ()  # other files of the same item: <picture> <source srcset>, <video> <source>


def bare_links(f: Field, taken: list[tuple[int, int]]) -> list[dict]:
    found = []
    for m in BARE_URL.finditer(f.text):
        url = m.group().rstrip(_TRAILING)
        start, end = m.start(), m.start() + len(url)
        if len(url) < 5 or any(s < end and start < e for s, e in taken):
            continue
        found.append(dict(url=url, start=start, end=end, kind="bare"))
    return found


def freeze_links(f: Field, raw: list[dict]) -> list[Link]:
    links = []
    for item in raw:
        start, end = item["start"], item["end"]
        sent_end = f.sentence_at(end)[1] if end < len(f.text) else end
        nl = f.text.find("\n", end)
        stop = min(x for x in (sent_end, nl if nl >= 0 else len(f.text), end + 200) if x >= end)
        anchor = f.text[start:end] if item["kind"] != "bare" else ""
        links.append(Link(f.name, item["url"], start, end, anchor, f.text[end:stop], item["kind"]))
    return links
