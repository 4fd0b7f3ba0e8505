"""The inline styles that apply to each run of text of an HTML draft, with source offsets.

WeChat and 135editor articles carry their typography in ``style`` attributes (``font-size: 15px``,
``font-family: 微软雅黑``); class-based styles are not known without the editor's style sheet, so only
inline styles and the few presentational tags (``<font face size color>``, ``<h1>``…) are read.
Inherited properties flow from parent to child as in CSS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..document.html import comment_to_end

# background-color is not inherited in CSS, but the text inside a coloured box is read against it.
INHERITED = ("font-family", "font-size", "color", "line-height", "text-align", "background-color")
BLOCKS = frozenset({"p", "div", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th",
                    "figcaption", "pre", "article", "header", "footer"})
HEADINGS = {f"h{i}": i for i in range(1, 7)}
VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "param", "track"})
SKIP = frozenset({"script", "style", "noscript", "template"})
_DECL = re.compile(r"\s*([-a-zA-Z]+)\s*:\s*([^;]+)")
# <font size=1..7> in px, as browsers render it.
FONT_TAG_PX = {"1": 10.0, "2": 13.0, "3": 16.0, "4": 18.0, "5": 24.0, "6": 32.0, "7": 48.0}


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    start: int  # source offsets of the text
    end: int
    style: dict  # the properties that apply (inherited ones included), values as written
    where: dict  # property -> (start, end) of the tag that set it, in the source
    block: int  # index of the enclosing block element
    heading: int  # 0 for body text, 1..6 inside <hN>


@dataclass
class Image:
    start: int
    end: int
    alt: str
    block: int


@dataclass
class Styled:
    runs: list[Run] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)


def declarations(style: str) -> dict[str, str]:
    out = {}
    for part in style.split(";"):
        m = _DECL.match(part)
        if m:
            out[m.group(1).lower()] = m.group(2).strip().removesuffix("!important").strip()
    return out


class _Reader(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.out = Styled()
        # Each open element: (tag, style, where, block index, heading level)
        self.stack: list[tuple[str, dict, dict, int, int]] = [("", {}, {}, 0, 0)]
        self.blocks = 0
        self.skipping = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        text = self.get_starttag_text() or ""
        end = start + len(text)
        if tag in SKIP:
            self.skipping += 1
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "img":
            self.out.images.append(Image(start, end, a.get("alt", ""), self.stack[-1][3]))
            return
        if tag in VOID:
            return
        _, style, where, block, heading = self.stack[-1]
        style, where = dict(style), dict(where)
        own = declarations(a.get("style", ""))
        if tag == "font":
            if a.get("face"):
                own.setdefault("font-family", a["face"])
            if a.get("size") in FONT_TAG_PX:
                own.setdefault("font-size", f"{FONT_TAG_PX[a['size']]}px")
            if a.get("color"):
                own.setdefault("color", a["color"])
        if a.get("align"):
            own.setdefault("text-align", a["align"])
        if "background" in own and "background-color" not in own:
            own["background-color"] = own["background"]
        for k, v in own.items():
            if k in INHERITED:
                style[k] = v
                where[k] = (start, end)
        if tag in BLOCKS:
            self.blocks += 1
            block = self.blocks
        heading = HEADINGS.get(tag, heading)
        self.stack.append((tag, style, where, block, heading))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and tag not in SKIP:
            self._close(tag)

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        self._close(tag)

    def _close(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if self.skipping or not data.strip():
            return
        start = self._offset()
        _, style, where, block, heading = self.stack[-1]
        # With convert_charrefs the data may be shorter than its source (&nbsp;): end at the next tag.
        nxt = self.source.find("<", start)
        end = nxt if nxt >= 0 else len(self.source)
        self.out.runs.append(Run(data, start, end, style, where, block, heading))


def read(source: str) -> Styled:
    r = _Reader(source)
    r.feed(source[:comment_to_end(source)])  # a comment that never closes runs to the end, in linear time
    r.close()
    return r.out
