"""Turn a submitted draft into the plain text the checks read, with an exact map back to the source.

Every plain-text character knows the source span it came from (``starts[i]``, ``ends[i]``): an
entity such as ``&amp;`` is one plain character spanning five source characters, a separator
added between blocks spans nothing. Checks report plain-text spans; ``Field.to_source`` turns them
into offsets in the field as submitted, so a tool can highlight exactly what was written.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from .models import Draft

# A bare URL ends at whitespace, quotes, angle brackets, Chinese punctuation and Chinese text
# ("访问https://a.cn了解" stops before 了); CJK host labels count only when dots join them
# ("https://例子.测试/"); ASCII parentheses belong to it only in balanced pairs (wiki/Foo_(bar)).
# Trailing ASCII punctuation is sentence punctuation, not part of the URL.
_URL_STOP = "\\s<>\"'（）()，。；：！？、【】《》「」“”‘’\u3000\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_URL_LABEL = rf"(?:[^{_URL_STOP}/?#.]+|[\u3400-\u9fff]+)"
_URL_TAIL = rf"(?:[^{_URL_STOP}]|\([^{_URL_STOP}]*\))*"
BARE_URL = re.compile(
    rf"(?i)(?<![A-Za-z0-9@/.+\-])(?:(?:(?:https?|ftp|file)://|www\.(?=[\w\-]))(?:{_URL_LABEL}\.)*{_URL_LABEL}?"
    rf"(?:[/?#]{_URL_TAIL})?|(?:javascript|vbscript|data):(?=\S){_URL_TAIL})")
_TRAILING = ".,;:!?'\"]}>*_~"
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)]*|\n")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")


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


class Field:
    """One submitted field: its source, the plain text checks read, and the map between them."""

    __slots__ = ("name", "source", "text", "_starts", "_ends", "__dict__")

    def __init__(self, name: str, source: str, text: str | None = None,
                 starts: list[int] | None = None, ends: list[int] | None = None):
        self.name = name
        self.source = source
        # Plain text fields map to themselves: no arrays needed.
        self.text = source if text is None else text
        self._starts = starts
        self._ends = ends

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        if self._starts is None:
            return start, end
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        if start == end:
            pos = self._starts[start] if start < n else len(self.source)
            return pos, pos
        return self._starts[start], max(self._ends[end - 1], self._starts[start])

    def contiguous(self, start: int, end: int) -> bool:
        """Whether plain ``text[start:end]`` is written in one piece: no markup between its characters
        and none of them a separator the source does not have, so replacing it leaves markup alone."""
        if self._starts is None:
            return True
        starts, ends = self._starts, self._ends
        for i in range(start, end):
            if ends[i] == starts[i] or i + 1 < end and starts[i + 1] != ends[i]:
                return False
        return True

    @cached_property
    def segmentation(self) -> dict:
        """Word segmentations of parts of this field's text (by segmenter, then by block), filled by
        the first check that segments them: the typo and grammar checks cut the same clauses."""
        return {}

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.source)]

    def line_column(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for m in PARAGRAPH_BREAK.finditer(self.text):
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
        if pos < len(self.text):
            spans.append((pos, len(self.text)))
        return spans

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans: split at sentence-final punctuation (with closing quotes) and line breaks."""
        spans, pos, text = [], 0, self.text
        for m in SENTENCE_END.finditer(text):
            end = m.end() if m.group() != "\n" else m.start()
            if text[pos:end].strip():
                spans.append((pos, end))
            pos = m.end()
        if text[pos:].strip():
            spans.append((pos, len(text)))
        return spans

    def sentence_at(self, index: int) -> tuple[int, int]:
        sents = self.sentences
        i = bisect.bisect_right(sents, (index, len(self.text) + 1)) - 1
        if i >= 0 and sents[i][0] <= index < sents[i][1]:
            return sents[i]
        return index, index


@dataclass
class Document:
    draft: Draft
    body: Field
    title: Field | None = None
    links: list[Link] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    code_spans: list[tuple[int, int]] = field(default_factory=list)  # body plain spans of code
    attachments: dict[str, bytes] = field(default_factory=dict)  # image bytes by name or URL

    @property
    def fields(self) -> list[Field]:
        return [self.title, self.body] if self.title is not None else [self.body]

    def field(self, name: str) -> Field:
        return self.title if name == "title" and self.title is not None else self.body

    def in_code(self, start: int, end: int) -> bool:
        return overlaps_sorted(self.code_spans, start, end)

    def with_ignored_words(self, f: Field, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """``spans`` (sorted, disjoint: protected words, spacing terms) with the places of the request's
        ``ignore_words`` added, still sorted and disjoint; without such words, ``spans`` itself."""
        words = self.draft.ignore_words
        if not words:
            return spans
        pattern = re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))
        merged: list[tuple[int, int]] = []
        for s, e in sorted([*spans, *(m.span() for m in pattern.finditer(f.text))]):
            if merged and s < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return merged


def overlaps_sorted(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans``, which are in text order and disjoint.

    Their ends rise too, so only the last span that starts before ``end`` can reach past ``start``:
    checks ask this once per bracket or match, and a scan of every span would make them quadratic."""
    k = bisect.bisect_left(spans, end, key=lambda span: span[0])
    return k > 0 and spans[k - 1][1] > start


class _Builder:
    """Accumulates plain text and, for each character, the source span it came from."""

    def __init__(self, source: str):
        self.source = source
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cursor = 0
        self.last = ""

    @property
    def pos(self) -> int:
        return len(self.starts)

    def mapped(self, s: str, src: int) -> None:
        """``s`` is exactly ``source[src:src+len(s)]``."""
        if not s:
            return
        self.parts.append(s)
        self.starts.extend(range(src, src + len(s)))
        self.ends.extend(range(src + 1, src + len(s) + 1))
        self.cursor = src + len(s)
        self.last = s[-1]

    def char(self, ch: str, src_start: int, src_end: int) -> None:
        self.parts.append(ch)
        self.starts.append(src_start)
        self.ends.append(src_end)
        self.last = ch

    def separator(self, s: str) -> None:
        """Text that has no source (block breaks): zero-width at the cursor; never doubled."""
        if not self.starts or self.last == "\n" and s.startswith("\n") and self._tail(len(s)) == s:
            return
        for ch in s:
            self.char(ch, self.cursor, self.cursor)

    def _tail(self, n: int) -> str:
        return "".join(self.parts[-n:])[-n:]

    def located(self, content: str, hi: int | None = None) -> None:
        """Append ``content``, found in the source at or after the cursor (markup may sit between)."""
        if not content:
            return
        hi = len(self.source) if hi is None else hi
        at = self.source.find(content, self.cursor, hi)
        if at >= 0 and "&" not in content and (
                at == self.cursor or "\n" not in self.source[self.cursor:at] or len(content) > 3):
            self.mapped(content, at)
            return
        # Walk character by character: markup, escapes and entities may sit between them.
        src, c = self.source, self.cursor
        for ch in content:
            j, lim = c, min(hi, c + 256)  # markup between two characters is never this long
            while j < lim:
                sc = src[j]
                if sc == "&":
                    m = _ENTITY.match(src, j)
                    if m and html.unescape(m.group()) == ch:
                        self.char(ch, j, m.end())
                        c = m.end()
                        break
                if sc == ch:
                    self.char(ch, j, j + 1)
                    c = j + 1
                    break
                j += 1
            else:
                self.char(ch, c, c)
        self.cursor = c

    def field(self, name: str) -> Field:
        return Field(name, self.source, "".join(self.parts), self.starts, self.ends)


_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_MD_BLOCK_END = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "table_close",
                 "tr_close", "th_close", "td_close", "hr"}
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def _attrs(s: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(s)}


class _MediaCollector:
    """Shared by the markdown and html walkers: media, links and <figure> captions."""

    def __init__(self, b: _Builder):
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
            a = _attrs(attrs)
            self.picture["sources"] += [u for u in _srcset_urls(a.get("srcset", "")) + [a.get("src", "")] if u]
        elif tag == "img" and not closing and self.picture is not None and self.picture["item"] is None:
            a = _attrs(attrs)
            self.add_media("image", a.get("src") or next(iter(self.picture["sources"]), None),
                           self.picture["start"], src_end, origin, a.get("alt", ""), a.get("title", ""))
            self.picture["item"] = self.media[-1]
        elif tag in ("img", "video", "audio", "iframe", "embed") and not closing:
            a = _attrs(attrs)
            kind = "iframe" if tag in ("iframe", "embed") else tag if tag != "img" else "image"
            self.add_media(kind, a.get("src") or a.get("poster"), src_start, src_end, origin,
                           a.get("alt", ""), a.get("title", ""))
        elif tag == "source" and not closing and self.media and self.media[-1]["kind"] in ("video", "audio"):
            src = _attrs(attrs).get("src")
            if not self.media[-1]["url"]:
                self.media[-1]["url"] = src
            elif src:
                self.media[-1]["alternates"] += (src,)
        elif tag == "a":
            if closing:
                self.link_close()
            else:
                href = _attrs(attrs).get("href")
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


def _srcset_urls(srcset: str) -> list[str]:
    # "a.webp 1x, a@2x.webp 2x": each candidate is a URL and an optional descriptor.
    return [part.split()[0] for part in srcset.split(",") if part.split()]


def _walk_markdown(b: _Builder, col: _MediaCollector, code_spans: list[tuple[int, int]]) -> None:
    source = b.source
    line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def line_pos(line: int) -> int:
        return line_starts[line] if line < len(line_starts) else len(source)

    for tok in _md.parse(source):
        if tok.map:
            b.cursor = max(b.cursor, line_pos(tok.map[0]))
        if tok.type == "inline":
            hi = line_pos(tok.map[1]) if tok.map else len(source)
            for child in tok.children or []:
                t = child.type
                if t == "text":
                    b.located(child.content, hi)
                elif t == "code_inline":
                    start = b.pos
                    b.located(child.content, hi)
                    code_spans.append((start, b.pos))
                elif t in ("softbreak", "hardbreak"):
                    b.located("\n", hi)
                elif t == "link_open":
                    col.link_open(str(child.attrs.get("href", "")), "markdown")
                elif t == "link_close":
                    col.link_close()
                elif t == "image":
                    url = str(child.attrs.get("src", ""))
                    at = source.find("![", b.cursor, hi)
                    at = at if at >= 0 else b.cursor
                    url_at = source.find(url, at, hi) if url else -1
                    end = source.find(")", url_at, hi) + 1 if url_at >= 0 else at
                    end = max(end, at)
                    col.add_media("image", url, at, end, "markdown",
                                  alt=child.content or "", title=str(child.attrs.get("title", "") or ""))
                    b.cursor = max(b.cursor, end)
                elif t == "html_inline":
                    m = _HTML_TAG.match(child.content)
                    at = source.find(child.content, b.cursor, hi)
                    at = at if at >= 0 else b.cursor
                    if m:
                        col.html_tag(bool(m.group(1)), m.group(2), m.group(3), at, at + len(child.content),
                                     "markdown")
                    b.cursor = max(b.cursor, at + len(child.content))
        elif tok.type in ("fence", "code_block"):
            start = b.pos
            b.located(tok.content.rstrip("\n"), line_pos(tok.map[1]) if tok.map else None)
            code_spans.append((start, b.pos))
            b.separator("\n\n")
        elif tok.type == "html_block":
            lo = line_pos(tok.map[0]) if tok.map else b.cursor
            _walk_html(b, col, tok.content, lo, "markdown")
            b.separator("\n\n")
        elif tok.type in _MD_BLOCK_END:
            b.separator("\n\n" if tok.type != "td_close" and tok.type != "th_close" else " ")
        if tok.map and tok.type in ("fence", "code_block", "html_block"):
            b.cursor = max(b.cursor, line_pos(tok.map[1]))


_BLOCK_TAGS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3",
               "h4", "h5", "h6", "li", "ul", "ol", "table", "tr", "blockquote", "pre", "figure", "figcaption",
               "hr", "dl", "dt", "dd", "form", "fieldset", "address", "details", "summary", "body", "html"}
_SKIP_TAGS = {"script", "style", "template", "noscript", "head", "title"}


class _HtmlWalker(HTMLParser):
    def __init__(self, b: _Builder, col: _MediaCollector, segment: str, base: int, origin: str):
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
        m = _HTML_TAG.match(raw) if raw else None
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


def _walk_html(b: _Builder, col: _MediaCollector, segment: str, base: int, origin: str) -> None:
    walker = _HtmlWalker(b, col, segment, base, origin)
    try:
        walker.feed(segment)
        walker.close()
    except (AssertionError, ValueError, IndexError):  # html.parser gives up on some broken markup
        pass


def _bare_links(f: Field, taken: list[tuple[int, int]]) -> list[dict]:
    found = []
    for m in BARE_URL.finditer(f.text):
        url = m.group().rstrip(_TRAILING)
        start, end = m.start(), m.start() + len(url)
        if len(url) < 5 or any(s < end and start < e for s, e in taken):
            continue
        found.append(dict(url=url, start=start, end=end, kind="bare"))
    return found


def _freeze_links(f: Field, raw: list[dict]) -> list[Link]:
    links = []
    for item in raw:
        start, end = item["start"], item["end"]
        sent_end = f.sentence_at(end)[1] if end < len(f.text) else end
        nl = f.text.find("\n", end)
        stop = min(x for x in (sent_end, nl if nl >= 0 else len(f.text), end + 200) if x >= end)
        anchor = f.text[start:end] if item["kind"] != "bare" else ""
        links.append(Link(f.name, item["url"], start, end, anchor, f.text[end:stop], item["kind"]))
    return links


def parse(draft: Draft) -> Document:
    """The document the checks read. Never raises on any string input."""
    code_spans: list[tuple[int, int]] = []
    if draft.format == "text":
        body = Field("body", draft.body)
        col_media: list[dict] = []
        col_links: list[dict] = []
    else:
        b = _Builder(draft.body)
        col = _MediaCollector(b)
        if draft.format == "markdown":
            _walk_markdown(b, col, code_spans)
        else:
            _walk_html(b, col, draft.body, 0, "html")
        col.link_close()
        body = b.field("body")
        col_media, col_links = col.media, col.links

    taken = [(d["start"], d["end"]) for d in col_links]
    links = _freeze_links(body, col_links + _bare_links(body, taken))
    title = Field("title", draft.title) if draft.title else None
    if title is not None:
        links += _freeze_links(title, _bare_links(title, []))
    links.sort(key=lambda l: (l.field != "title", l.start))

    media = [Media(index=i, field="body", credit=None, **m) for i, m in enumerate(col_media)]
    for i, item in enumerate(draft.media):
        media.append(Media(index=len(media), kind=item.type, url=item.url, field=f"media[{i}]",
                           start=len(body.text), src_start=0, src_end=0, caption=item.caption,
                           credit=item.credit, origin="api"))
    return Document(draft=draft, body=body, title=title, links=links, media=media, code_spans=code_spans)
