"""Which credit covers which media item of a document.

A media item is credited by its own fields (API ``credit``/``caption``, a ``<figcaption>``, an alt or
title text that is a credit), by the line right after or right before it, or by a line that covers a
group: media separated only by white space form a run and share the lines around the run, and a
line such as "本文图片均由品牌部提供" covers every item of the post.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document, Media
from .credit import CreditLexicon, Reading


@dataclass(frozen=True, slots=True)
class Credit:
    reading: Reading
    origin: str  # api-credit | api-caption | caption | alt | title | line
    text: str
    span: tuple[int, int] | None = None  # plain-text span in the body, for credits written there


@dataclass
class Attribution:
    media: Media
    credits: list[Credit] = field(default_factory=list)

    @property
    def named(self) -> list[Credit]:
        return [c for c in self.credits if c.reading.named]

    @property
    def vague_only(self) -> bool:
        return not self.named and any(c.reading.vague for c in self.credits)


def _line_after(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    i = pos
    while i < limit and text[i].isspace():
        i += 1
    if i >= limit:
        return None
    j = text.find("\n", i, limit)
    j = limit if j < 0 else j
    while j > i and text[j - 1].isspace():
        j -= 1
    return (i, j) if j > i else None


def _line_before(text: str, pos: int, floor: int) -> tuple[int, int] | None:
    j = pos
    while j > floor and text[j - 1].isspace():
        j -= 1
    if j <= floor:
        return None
    i = text.rfind("\n", floor, j) + 1
    i = max(i, floor)
    while i < j and text[i].isspace():
        i += 1
    return (i, j) if j > i else None


def _runs(items: list[Media], text: str) -> list[list[Media]]:
    runs: list[list[Media]] = []
    for m in items:
        if runs and not text[runs[-1][-1].start:m.start].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _statement(text: str, span: tuple[int, int], reading: Reading) -> tuple[int, int]:
    """Narrow a credit line to the clause that carries its credit (a paragraph may say more)."""
    s, e = span
    if reading.marker is None and not reading.vague:
        return span
    anchor = s + (reading.marker[0] if reading.marker else reading.vague[0][0])
    stops = "。！？；\n"
    lo = max((text.rfind(c, s, anchor) for c in stops), default=-1)
    lo = s if lo < s else lo + 1
    hi = min((p for c in stops if (p := text.find(c, anchor, e)) >= 0), default=e)
    while lo < hi and text[lo].isspace():
        lo += 1
    return (lo, hi) if hi > lo else span


def attribute(doc: Document, lex: CreditLexicon) -> list[Attribution]:
    """One Attribution per media item, in document order."""
    text = doc.body.text
    result = {m.index: Attribution(m) for m in doc.media}

    def line_credit(span: tuple[int, int]) -> Credit | None:
        if doc.in_code(*span):
            return None
        reading = lex.read(text[span[0]:span[1]])
        if not reading.is_credit:
            return None
        stmt = _statement(text, span, reading)
        if stmt != span:
            reading = lex.read(text[stmt[0]:stmt[1]])
            if not reading.is_credit:
                return None
        return Credit(reading, "line", text[stmt[0]:stmt[1]], stmt)

    # Item's own fields.
    for m in doc.media:
        own = result[m.index].credits
        if m.origin == "api":
            if m.credit and m.credit.strip():
                own.append(Credit(lex.read(m.credit, bare_is_holder=True), "api-credit", m.credit))
            if m.caption and (r := lex.read(m.caption)).is_credit:
                own.append(Credit(r, "api-caption", m.caption))
            continue
        if m.caption and (r := lex.read(m.caption)).is_credit:
            own.append(Credit(r, "caption", m.caption))
        for origin, value in (("alt", m.alt), ("title", m.title)):
            if value and (r := lex.read(value)).is_credit:
                own.append(Credit(r, origin, value))

    # Lines around each run of consecutive media in the body.
    body_media = sorted((m for m in doc.media if m.field == "body"), key=lambda m: m.start)
    runs = _runs(body_media, text)
    used_after: set[tuple[int, int]] = set()
    for k, run in enumerate(runs):
        limit = runs[k + 1][0].start if k + 1 < len(runs) else len(text)
        span = _line_after(text, run[-1].start, limit)
        credit = line_credit(span) if span else None
        if credit and credit.reading.scope != "after":
            used_after.add(span)
            for m in run:
                result[m.index].credits.append(credit)
    for k, run in enumerate(runs):
        floor = runs[k - 1][-1].start if k else 0
        span = _line_before(text, run[0].start, floor)
        credit = line_credit(span) if span else None
        if credit and credit.reading.scope != "before" and (span not in used_after or
                                                            credit.reading.scope == "after"):
            for m in run:
                result[m.index].credits.append(credit)

    # Lines that cover the whole post.
    for lo, hi in doc.body.paragraphs:
        for line_span in _lines(text, lo, hi):
            if lex.scope_of(text[line_span[0]:line_span[1]]) != "all":
                continue  # cheaper than reading every line of the post as a credit
            credit = line_credit(line_span)
            if credit and credit.reading.scope == "all":
                for a in result.values():
                    if credit not in a.credits:
                        a.credits.append(credit)
    return [result[m.index] for m in doc.media]


def _lines(text: str, lo: int, hi: int):
    i = lo
    while i < hi:
        j = text.find("\n", i, hi)
        j = hi if j < 0 else j
        s, e = i, j
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            yield s, e
        i = j + 1


def vague_spans(doc: Document, lex: CreditLexicon) -> list[tuple[int, int]]:
    """Vague credit wording anywhere in the body, outside code."""
    return [s for s in lex.vague_spans(doc.body.text) if not doc.in_code(*s)]
