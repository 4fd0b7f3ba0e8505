"""Fixes as edits of the source: replace a span, or insert at a point (``length`` 0).

A check proposes a replacement for the plain text it flagged; in markdown or html that text may sit
among markup (``**按**装``, an image between two characters). Replacing the whole source span by the
string would delete the markup, so a suggestion becomes the smallest edit that changes only what
the plain text changes, and is offered only when that edit touches no markup. ``Finding.edits[i]``
applies ``suggestions[i]``; the suggestion string itself is the finding's source span with that edit
applied, so a client that replaces ``offset``/``length`` by the string (LanguageTool's reading)
damages nothing either.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from pydantic import BaseModel, ConfigDict, Field as PField

if TYPE_CHECKING:
    from .document import Field


class Edit(BaseModel):
    """Replace ``length`` code points at ``offset`` of the field as submitted by ``text``."""

    model_config = ConfigDict(frozen=True)

    offset: int = PField(..., ge=0)
    length: int = PField(0, ge=0, description="0: insert ``text`` at ``offset``")
    text: str = ""


def apply(source: str, edits: Iterable[Edit]) -> str:
    """``source`` with non-overlapping ``edits`` applied (they are sorted here, last first)."""
    out = source
    end = len(source) + 1
    for e in sorted(edits, key=lambda e: (e.offset, e.length), reverse=True):
        if e.offset + e.length > min(end, len(source)):
            raise ValueError(f"edit at {e.offset} overlaps another or runs past the end")
        out = out[:e.offset] + e.text + out[e.offset + e.length:]
        end = e.offset
    return out


def _trim(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix (not overlapping in either string)."""
    p = 0
    limit = min(len(old), len(new))
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    return p, s


def replacement(field: "Field", start: int, end: int, new: str) -> Edit | None:
    """The edit of ``field.source`` that turns plain ``text[start:end]`` into ``new``, or None when
    every such edit would also change markup the plain text does not show."""
    old = field.text[start:end]
    p, s = _trim(old, new)
    a, b = start + p, end - s
    text = new[p:len(new) - s]
    if a == b:  # an insertion: after the character before it (inside its markup), else before the next
        if not field.text:
            pos = 0
        elif p > 0 or a == len(field.text):
            pos = field.to_source(a - 1, a)[1]
        else:
            pos = field.to_source(a, a + 1)[0]
        return Edit(offset=pos, length=0, text=text)
    src_a, src_b = field.to_source(a, b)
    if not field.contiguous(a, b):
        return None
    return Edit(offset=src_a, length=src_b - src_a, text=text)


def within(source: str, offset: int, length: int, edit: Edit) -> str | None:
    """What ``source[offset:offset+length]`` becomes under ``edit``, when the edit lies in that span."""
    if not (offset <= edit.offset and edit.offset + edit.length <= offset + length):
        return None
    rel = edit.offset - offset
    span = source[offset:offset + length]
    return span[:rel] + edit.text + span[rel + edit.length:]


def fixes(field: "Field", start: int, end: int, offset: int, length: int, suggestions: tuple[str, ...],
          given: tuple[Edit, ...] = ()) -> tuple[tuple[str, ...], tuple[Edit, ...]]:
    """Safe suggestion strings and their edits, pairwise. ``given``: edits the check made itself (an
    insertion after an image); otherwise each suggestion replaces plain ``text[start:end]``."""
    source = field.source
    out_s: list[str] = []
    out_e: list[Edit] = []
    pairs = zip(suggestions, given) if given else ((s, replacement(field, start, end, s)) for s in suggestions)
    for s, e in pairs:
        if e is None:
            continue
        safe = within(source, offset, length, e)
        if safe is None:
            continue
        out_s.append(safe)
        out_e.append(e)
    return tuple(out_s), tuple(out_e)


def line_after(source: str, pos: int, fmt: str, text: str) -> Edit:
    """Insert ``text`` as a line of its own right after ``pos`` (the end of an image, say)."""
    brk = "<br>" if fmt == "html" else "\n"
    rest = source[pos:pos + 1]
    tail = "" if rest in ("", "\n", "\r") or fmt == "html" and rest == "<" else brk
    return Edit(offset=pos, length=0, text=f"{brk}{text}{tail}")


_BR = re.compile(r"<br\s*/?>", re.I)


def label(suggestion: str, edit: Edit | None) -> str:
    """What a person reads for a fix: the inserted line for an insertion, else the suggestion."""
    if edit is None or edit.length or not edit.text.strip():
        return suggestion
    return "＋" + _BR.sub(" ", edit.text).strip()


def labels(f) -> list[str]:
    """``label`` of each of a finding's suggestions."""
    return [label(s, f.edits[i] if i < len(f.edits) else None) for i, s in enumerate(f.suggestions)]
