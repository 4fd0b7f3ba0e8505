"""HTML to plain text: block tags become paragraph breaks, scripts and styles are skipped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .offsets import Builder

HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def parse_attrs(s: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(s)}


class MediaCollector:
    """Shared by the markdown and html walkers: media, links and <figure> captions."""

    def __init__(self, b: Builder):
        self.b = b
        self.media: list[dict] = []
        self.links: list[dict] = []
        self.open_link: dict | None = None
        self.figures: list[list[dict]] = []
        self.caption_start: int | None = None
        self.picture: dict | None = None  # an open <picture>: its start and the <source> files seen

    def add_media(self, kind: str, url: str | None, src_start: int, src_end: int, origin: str,
                  alt: str = "", title: str = "") -> None:
        item = dict(kind=kind, url=url, start=self.b.pos, src_start=src_start, src_end=src_end,
                    alt=alt, title=title, caption=None, origin=origin, alternates=())
        self.media.append(item)
        if self.figures:
            self.figures[-1].append(item)
        if kind == "iframe" and url:
            self.links.append(dict(url=url, start=self.b.pos, end=self.b.pos, kind="iframe"))

    def link_open(self, url: str, kind: str) -> None:
        self.open_link = dict(url=url, start=self.b.pos, kind=kind)

    def link_close(self) -> None:
        if self.open_link is not None:
            self.open_link["end"] = self.b.pos
            self.links.append(self.open_link)
            self.open_link = None

    def html_tag(self, closing: bool, tag: str, attrs: str, src_start: int, src_end: int, origin: str) -> None:
        tag = tag.lower()
        if tag == "picture":
            self._picture(closing, src_start, src_end, origin)
        elif tag == "source" and not closing and self.picture is not None:
            a = parse_attrs(attrs)
            self.picture["sources"] += [u for u in srcset_urls(a.get("srcset", "")) + [a.get("src", "")] if u]
        elif tag == "img" and not closing and self.picture is not None and self.picture["item"] is None:
            a = parse_attrs(attrs)
            self.add_media("image", a.get("src") or next(iter(self.picture["sources"]), None),
                           self.picture["start"], src_end, origin, a.get("alt", ""), a.get("title", ""))
            self.picture["item"] = self.media[-1]
        elif tag in ("img", "video", "audio", "iframe", "embed") and not closing:
            a = parse_attrs(attrs)
            kind = "iframe" if tag in ("iframe", "embed") else tag if tag != "img" else "image"
            # WeChat's editor keeps an image's address in data-src until it is shown.
            self.add_media(kind, a.get("src") or a.get("data-src") or a.get("poster"), src_start, src_end, origin,
                           a.get("alt", ""), a.get("title", ""))
        elif tag == "source" and not closing and self.media and self.media[-1]["kind"] in ("video", "audio"):
            src = parse_attrs(attrs).get("src")
            if not self.media[-1]["url"]:
                self.media[-1]["url"] = src
            elif src:
                self.media[-1]["alternates"] += (src,)
        elif tag == "a":
            if closing:
                self.link_close()
            else:
                href = parse_attrs(attrs).get("href")
                if href is not None:
                    self.link_open(href, "html")
        elif tag == "figure":
            if closing:
                self.figures and self.figures.pop()
            else:
                self.figures.append([])
        elif tag == "figcaption":
            if closing and self.caption_start is not None:
                caption = "".join(self.b.parts)[self.caption_start:self.b.pos].strip()
                for item in (self.figures[-1] if self.figures else self.media[-1:]):
                    item["caption"] = caption
                self.caption_start = None
            elif not closing:
                self.caption_start = self.b.pos

    def _picture(self, closing: bool, src_start: int, src_end: int, origin: str) -> None:
        # One item for the whole <picture>: its <img> (or, without one, its first <source>), with the
        # other files as alternates, and its markup span from <picture> to </picture>.
        if not closing:
            self.picture = dict(start=src_start, sources=[], item=None)
            return
        pic, self.picture = self.picture, None
        if pic is None:
            return
        item = pic["item"]
        if item is None and pic["sources"]:
            self.add_media("image", pic["sources"][0], pic["start"], src_end, origin)
            item = self.media[-1]
        if item is not None:
            item["src_end"] = src_end
            item["alternates"] = tuple(u for u in dict.fromkeys(pic["sources"]) if u != item["url"])


def srcset_urls(srcset: str) -> list[str]:
    # "a.webp 1x, a@2x.webp 2x": each candidate is a URL and an optional descriptor.
    return [part.split()[0] for part in srcset.split(",") if part.split()]


_BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3",
               "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "blockquote", "pre", "figure", "figcaption",
               "hr", "dl", "dt", "dd", "form", "fieldset", "address", "details", "summary", "body", "html"}
_SKIP_TAGS = {"script", "style", "template", "noscript", "head", "title"}


class _HtmlWalker(HTMLParser):
    def __init__(self, b: Builder, col: MediaCollector, segment: str, base: int, origin: str):
        super().__init__(convert_charrefs=False)
        self.b, self.col, self.base, self.origin = b, col, base, origin
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", segment)]
        self.skip = 0
        self.pre = 0

    def _abs(self) -> int:
        line, col = self.getpos()
        return self.base + self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        self._tag(False, tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in _SKIP_TAGS:
            self._tag(False, tag)

    def handle_endtag(self, tag):
        self._tag(True, tag)

    def _tag(self, closing: bool, tag: str) -> None:
        start = self._abs()
        raw = self.get_starttag_text() if not closing else None
        end = start + len(raw) if raw else self.b.source.find(">", start) + 1 or start
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip + (-1 if closing else 1))
            return
        if tag == "pre":
            self.pre = max(0, self.pre + (-1 if closing else 1))
        self.b.cursor = max(self.b.cursor, end)
        if tag == "br":
            self.b.separator("\n")
        elif tag in _BLOCK_TAGS:
            self.b.separator("\n\n")
        elif tag in ("td", "th") and closing:
            self.b.separator(" ")
        m = HTML_TAG.match(raw) if raw else None
        self.col.html_tag(closing, tag, m.group(3) if m else "", start, end, self.origin)

    def handle_data(self, data):
        if self.skip or not data:
            return
        if not self.pre and not data.strip() and "\n" in data:
            return  # indentation between tags
        self.b.mapped(data, self._abs())

    def _ref(self, text: str) -> None:
        if self.skip:
            return
        start = self._abs()
        end = start + len(text)
        if self.b.source[end:end + 1] == ";":
            end += 1
        ch = html.unescape(self.b.source[start:end])
        for c in ch:
            self.b.char(c, start, end)
        self.b.cursor = end

    def handle_entityref(self, name):
        self._ref("&" + name)

    def handle_charref(self, name):
        self._ref("&#" + name)


def comment_to_end(segment: str) -> int:
    """Where a comment that never closes begins (``len(segment)`` if none does).

    A browser reads such a comment to the end of the input; html.parser instead re-scans the rest
    for ``-->`` at every later ``<``, which is quadratic in ``<!--<!--<!--…``."""
    i = segment.find("<!--")
    while i != -1:
        j = segment.find("-->", i + 4)
        if j == -1:
            return i
        i = segment.find("<!--", j + 3)
    return len(segment)


def walk_html(b: Builder, col: MediaCollector, segment: str, base: int, origin: str) -> None:
    walker = _HtmlWalker(b, col, segment, base, origin)
    try:
        walker.feed(segment[:comment_to_end(segment)])
        walker.close()
    except (AssertionError, ValueError, IndexError):  # html.parser gives up on some broken markup
        pass
