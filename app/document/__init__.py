"""Turn a submitted draft into the document the checks read: plain text per field with an exact map
back to the source (``offsets``), the markdown and HTML walkers, and the links and media found
(``extract``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Draft
from .extract import BARE_URL, Link, Media, bare_links, freeze_links
from .html import MediaCollector, walk_html
from .markdown import walk_markdown
from ..text import overlaps_sorted
from .offsets import PARAGRAPH_BREAK, SENTENCE_END, Builder, Field

__all__ = ["BARE_URL", "PARAGRAPH_BREAK", "SENTENCE_END", "Document", "Field", "Link", "Media", "parse"]


@dataclass(frozen=True)
class Document:
    """What every check reads; built once per request and never changed after."""

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


def parse(draft: Draft, attachments: dict[str, bytes] | None = None) -> Document:
    """The document the checks read. Never raises on any string input. ``attachments``: image bytes by
    the name or URL the draft uses for them (upload, CLI)."""
    code_spans: list[tuple[int, int]] = []
    if draft.format == "text":
        body = Field("body", draft.body)
        col_media: list[dict] = []
        col_links: list[dict] = []
    else:
        b = Builder(draft.body)
        col = MediaCollector(b)
        if draft.format == "markdown":
            walk_markdown(b, col, code_spans)
        else:
            walk_html(b, col, draft.body, 0, "html")
        col.link_close()
        body = b.field("body")
        col_media, col_links = col.media, col.links

    taken = [(d["start"], d["end"]) for d in col_links]
    links = freeze_links(body, col_links + bare_links(body, taken))
    title = Field("title", draft.title) if draft.title else None
    if title is not None:
        links += freeze_links(title, bare_links(title, []))
    links.sort(key=lambda l: (l.field != "title", l.start))

    media = [Media(index=i, field="body", credit=None, **m) for i, m in enumerate(col_media)]
    for i, item in enumerate(draft.media):
        media.append(Media(index=len(media), kind=item.type, url=item.url, field=f"media[{i}]",
                           start=len(body.text), src_start=0, src_end=0, caption=item.caption,
                           credit=item.credit, origin="api"))
    return Document(draft=draft, body=body, title=title, links=links, media=media, code_spans=code_spans,
                    attachments=attachments or {})
