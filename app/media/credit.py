"""Reading credit lines: does a piece of text name who an image or video comes from, and how well?

The patterns are data (``lexicons/media.toml``); this module only applies them. A credit is
*named* when it names anyone at all, *complete* when it names a copyright holder or a licence
(三(四)3 asks for both the source and the copyright information), and *vague* spans are wording such
as "图片来源于网络" that names nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..lexicon import read_toml

_VALUE_END = re.compile(r"[，。；;,、\n）)】\]|｜]")


@dataclass(frozen=True, slots=True)
class Reading:
    """What one text says as a credit. Spans are relative to the text read."""

    named: bool  # names some source or holder (not only vague wording)
    complete: bool  # names a copyright holder or a licence
    vague: tuple[tuple[int, int], ...]  # spans of wording that names nobody
    marker: tuple[int, int] | None  # span of the first credit marker, if any
    scope: str | None  # "all" | "before" | "after" | None

    @property
    def is_credit(self) -> bool:
        return self.named or bool(self.vague)


_NOTHING = Reading(named=False, complete=False, vague=(), marker=None, scope=None)


class CreditLexicon:
    """The compiled patterns of ``media.toml`` from every lexicon folder; built once per Resources."""

    def __init__(self, dirs: Iterable[Path]):
        dirs = tuple(dirs)
        data = _read_appending(dirs, "media.toml")
        markers = data.get("markers", {})
        vague = data.get("vague", {})
        scope = data.get("scope", {})
        self.holder = _compile(markers.get("holder", []))
        self.source = _compile(markers.get("source", []))
        self.vague_phrases = _compile(vague.get("phrases", []))
        self.vague_values = {v.strip().lower() for v in vague.get("values", []) if v.strip()}
        caption = data.get("caption", {})
        self.caption_markers = _compile(caption.get("markers", []))
        self.caption_max = int(caption.get("max_name_length", 14))
        self.describing = tuple(caption.get("describing", []))
        self.credit_words = tuple(caption.get("credit_words", []))
        self.scope_all = _compile(scope.get("all", []))
        self.scope_before = _compile(scope.get("before", []))
        self.scope_after = _compile(scope.get("after", []))
        # One pass that rules out the many lines with no credit wording at all.
        every = [*markers.get("holder", []), *markers.get("source", []), *vague.get("phrases", [])]
        self._any = re.compile("|".join(f"(?:{p})" for p in every), re.M) if every else None

    def vague_spans(self, text: str) -> list[tuple[int, int]]:
        """Vague wording anywhere in ``text``: fixed phrases, and markers whose value names nobody."""
        if self._any is None or not self._any.search(text):
            return []
        spans = [m.span() for p in self.vague_phrases for m in p.finditer(text) if m.end() > m.start()]
        for p in (*self.source, *self.holder):
            for m in p.finditer(text):
                value = self._value_after(text, m)
                if value is not None and value[2].lower() in self.vague_values:
                    spans.append((m.start(), value[1]))
        return _merge(spans)

    def _value_after(self, text: str, m: re.Match) -> tuple[int, int, str] | None:
        """For a prefix marker ("图片来源：…"), the span and text of what follows it."""
        if not m.group().rstrip().endswith(("：", ":", "/", "／", "|", "｜")):
            return None
        start = m.end()
        while start < len(text) and text[start] in " \t\u3000":
            start += 1
        end_m = _VALUE_END.search(text, start)
        end = end_m.start() if end_m else len(text)
        value = text[start:end].strip()
        return start, start + len(text[start:end].rstrip()), value

    def read(self, text: str, *, bare_is_holder: bool = False) -> Reading:
        """How ``text`` reads as a credit. ``bare_is_holder``: a text with no marker at all names the
        holder (an API ``credit`` field says what it is)."""
        if not bare_is_holder and (self._any is None or not self._any.search(text)):
            return _NOTHING
        vague = self.vague_spans(text)
        if bare_is_holder and text.strip().lower() in self.vague_values:
            lead = len(text) - len(text.lstrip())
            vague = [(lead, lead + len(text.strip()))]

        def named_matches(patterns):
            out = []
            for p in patterns:
                for m in p.finditer(text):
                    value = self._value_after(text, m)
                    if value is not None and (not value[2] or value[2].lower() in self.vague_values):
                        continue  # "来源：" with nothing, or with "网络", names no one
                    if any(s <= m.start() < e for s, e in vague):
                        continue
                    if value is not None and self._captions(text, m, value[2]):
                        continue  # "图：公司领导为获奖团队颁奖" describes the picture
                    out.append(m.span())
            return out

        holders = named_matches(self.holder)
        sources = named_matches(self.source)
        first = min(holders + sources, default=None)
        named = bool(holders or sources)
        complete = bool(holders)
        if not named and not vague and bare_is_holder and text.strip():
            named = complete = True
        return Reading(named=named, complete=complete, vague=tuple(vague), marker=first,
                       scope=self.scope_of(text) if (named or vague) else None)

    def _captions(self, text: str, m: re.Match, value: str) -> bool:
        """True when ``m`` is a generic marker (图：) followed by a description, not by a name."""
        if not any(p.match(text, m.start()) and p.match(text, m.start()).end() == m.end()
                   for p in self.caption_markers):
            return False
        if any(w in value for w in self.credit_words):
            return False
        return len(value) > self.caption_max or any(w in value for w in self.describing)

    def is_caption(self, text: str) -> bool:
        """A line that opens with a generic marker and describes the picture (for measuring)."""
        for p in self.caption_markers:
            m = p.search(text)
            if m:
                value = self._value_after(text, m)
                return value is not None and self._captions(text, m, value[2])
        return False

    def scope_of(self, line: str) -> str | None:
        stripped = line.strip()
        if any(p.search(stripped) for p in self.scope_before):
            return "before"
        if any(p.search(stripped) for p in self.scope_after):
            return "after"
        if any(p.search(stripped) for p in self.scope_all):
            return "all"
        return None


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern, ...]:
    compiled = []
    for p in patterns:
        try:
            compiled.append(re.compile(p, re.M))
        except re.error as e:
            raise ValueError(f"media.toml: bad pattern {p!r}: {e}") from None
    return tuple(compiled)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _read_appending(dirs: tuple[Path, ...], relpath: str) -> dict:
    """Like ``read_toml`` but lists from later folders extend earlier ones instead of replacing them."""
    merged: dict = {}
    for d in dirs:
        one = read_toml([d], relpath)
        for table, entries in one.items():
            if not isinstance(entries, dict):
                continue
            into = merged.setdefault(table, {})
            for key, value in entries.items():
                if isinstance(value, list):
                    into[key] = [*into.get(key, []), *value]
                else:
                    into[key] = value
    return merged
