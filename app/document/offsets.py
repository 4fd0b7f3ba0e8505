"""Plain text with an exact map back to the source.

Every plain-text character knows the source span it came from (``starts[i]``, ``ends[i]``): an
entity such as ``&amp;`` is one plain character spanning five source characters, a separator
added between blocks spans nothing. Checks report plain-text spans; ``Field.to_source`` turns them
into offsets in the field as submitted, so a tool can highlight exactly what was written.
"""

from __future__ import annotations

import bisect
import html
import re
from functools import cached_property


ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』）)]*|\n")
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")


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


class Builder:
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
                    m = ENTITY.match(src, j)
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
