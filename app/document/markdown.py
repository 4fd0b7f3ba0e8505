"""Markdown to plain text: CommonMark with tables and strikethrough, raw HTML walked as HTML."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from .html import HTML_TAG, MediaCollector, walk_html
from .offsets import Builder

_md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_MD_BLOCK_END = {"paragraph_close", "heading_close", "list_item_close", "blockquote_close", "table_close",
                 "tr_close", "th_close", "td_close", "hr"}


def walk_markdown(b: Builder, col: MediaCollector, code_spans: list[tuple[int, int]]) -> None:
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
                    m = HTML_TAG.match(child.content)
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
            walk_html(b, col, tok.content, lo, "markdown")
            b.separator("\n\n")
        elif tok.type in _MD_BLOCK_END:
            b.separator("\n\n" if tok.type != "td_close" and tok.type != "th_close" else " ")
        if tok.map and tok.type in ("fence", "code_block", "html_block"):
            b.cursor = max(b.cursor, line_pos(tok.map[1]))
