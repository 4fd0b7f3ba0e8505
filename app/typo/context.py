"""What surrounds a position of a field: the signals that tell a deliberate spelling from a typo.

A repair inside a person's or a place's name, an official abbreviation (国家发展改革委, 放管服), a
company word, a number with its measure word (13桌, 30余场), an enumeration marker (一是 … 五是) or a
quoted title (《长安长安》) changes what the writer meant on purpose. ``Signals`` holds the data
(loaded once per process with the typo check); ``FieldContext`` answers for one field and computes
each answer the first time it is asked, so a clean field that nobody asks about costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import ahocorasick_rs

from .. import lexicon

# A run of Chinese characters: names are tagged in a window of one run.
RUN = re.compile(r"[\u4e00-\u9fff]+")
NAME_WINDOW = 20  # characters of the run tagged on each side of a position
DIGITS = "0-9０-９"
CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
ORDINALS = "一二三四五六七八九十"
# Characters after which a single Chinese numeral starts an amount (共三场, 约五人, 有两个).
AMOUNT_CUES = "共约达近超计有是为了第每各这那逾和或、，"
# 一是……五是, 其一, 第三: the marker opens a clause (after punctuation, a space or the field's start).
ENUMERATION = re.compile(rf"(?:(?<=^)|(?<=[^\u4e00-\u9fff]))(?:[{ORDINALS}]{{1,3}}是|其[{ORDINALS}]{{1,2}}|"
                         rf"第[{ORDINALS}百]{{1,4}}(?:[，、,:：是]|(?=[条款项章节点个批次]))|首先|其次|再次)")
# Quoted titles and names: 《…》 and short “…” / 「…」 stretches (a long quotation is prose, still checked).
TITLE = re.compile(r"《[^《》\n]{1,60}》|〈[^〈〉\n]{1,60}〉|“[^“”\n]{1,16}”|「[^「」\n]{1,16}」|‘[^‘’\n]{1,16}’")


def title_spans(text: str) -> list[tuple[int, int]]:
    """Quoted titles and names: written as their owner wrote them (《长安长安》 doubles on purpose)."""
    return [m.span() for m in TITLE.finditer(text)]


# A name tagger: a run of Chinese characters in, (start, end, "PER" | "LOC" | "ORG") of its names out.
Tagger = Callable[[str], list[tuple[int, int, str]]]


@dataclass(frozen=True)
class Signals:
    """The data every field's context reads: built once per process by the typo check."""

    phrases: tuple[str, ...]  # official abbreviations and set phrases, company words
    measures: tuple[str, ...]  # measure words and counters after a number (场, 桌, 亩, 万平, 平方米)
    tagger: Tagger | None = None  # named entities of a run of Chinese characters
    patterns: tuple[str, ...] = ()  # shapes of set phrases (凡X必Y, 应X尽X), regular expressions
    _phrase_ac: object = field(default=None, repr=False, compare=False)
    _number: re.Pattern | None = field(default=None, repr=False, compare=False)
    _shapes: tuple[re.Pattern, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self):
        ac = (ahocorasick_rs.AhoCorasick(sorted(set(self.phrases)), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
              if self.phrases else None)
        object.__setattr__(self, "_phrase_ac", ac)
        # One expression each: joined, their back-references (应X尽X) would number wrongly.
        object.__setattr__(self, "_shapes", tuple(re.compile(p) for p in self.patterns))
        measures = "|".join(re.escape(m) for m in sorted(set(self.measures), key=len, reverse=True)) or "(?!)"
        # Arabic figures count by themselves (and mark their neighbours); Chinese numerals only with a
        # measure word, and a single one only where an amount can start: 一部 is in 统一部署.
        object.__setattr__(self, "_number", re.compile(
            rf"[{DIGITS}]+(?:[.,．][{DIGITS}]+)*(?:[余多]?[万亿千百]?(?:{measures}))?"
            rf"|(?:(?<![\u4e00-\u9fff])|(?<=[{AMOUNT_CUES}]))[{CN_DIGITS}]+[余多几]?(?:{measures})"
            rf"|[{CN_DIGITS}]{{2,}}[余多几]?(?:{measures})"))

    def phrase_spans(self, text: str) -> list[tuple[int, int]]:
        out = [] if self._phrase_ac is None else [(s, e) for _i, s, e in self._phrase_ac.find_matches_as_indexes(text)]
        for shape in self._shapes:
            out += [m.span() for m in shape.finditer(text)]
        return out

    def number_spans(self, text: str) -> list[tuple[int, int]]:
        """Every number with its measure word."""
        return [m.span() for m in self._number.finditer(text)]


def load(dirs: Iterable[Path], protected: Iterable[str] = (), tagger: Tagger | None = None) -> Signals:
    """``lexicons/typo/official.txt``, ``official_patterns.txt`` and ``measure_words.txt`` from every
    lexicon folder, plus the company's protected words (``protected.txt``): the company's own writing."""
    dirs = tuple(dirs)
    phrases = [*lexicon.read_lines(dirs, "typo/official.txt"), *(w for w in protected if len(w) > 1)]
    measures = [w for ln in lexicon.read_lines(dirs, "typo/measure_words.txt") for w in ln.split()]
    patterns = tuple(lexicon.read_lines(dirs, "typo/official_patterns.txt"))
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise ValueError(f"typo/official_patterns.txt: {p!r} is not a regular expression ({e})") from None
    return Signals(tuple(phrases), tuple(measures), tagger, patterns)


class FieldContext:
    """The context signals of one field's text. ``draft``: the whole draft, for its vocabulary, or a
    function that returns it (called only when a count is asked)."""

    __slots__ = ("text", "signals", "draft", "_official", "_numeric", "_enum", "_title", "_runs", "_vocab")

    def __init__(self, text: str, signals: Signals, draft: str | Callable[[], str] | None = None):
        self.text = text
        self.signals = signals
        self.draft = text if draft is None else draft
        self._official: bytearray | None = None
        self._numeric: bytearray | None = None
        self._enum: bytearray | None = None
        self._title: bytearray | None = None
        self._runs: dict[tuple[int, int], list[tuple[int, int, str]]] = {}  # tagged window → its names
        self._vocab: dict[str, int] = {}

    @classmethod
    def build(cls, text: str, signals: Signals, draft: str | Callable[[], str] | None = None) -> "FieldContext":
        return cls(text, signals, draft)

    def _mask(self, spans) -> bytearray:
        mask = bytearray(len(self.text))
        for s, e in spans:
            mask[s:e] = b"\x01" * (e - s)
        return mask

    @staticmethod
    def _in(mask: bytearray, i: int) -> bool:
        return 0 <= i < len(mask) and bool(mask[i])

    def official_at(self, i: int) -> bool:
        if self._official is None:
            self._official = self._mask(self.signals.phrase_spans(self.text))
        return self._in(self._official, i)

    def numeric_at(self, i: int) -> bool:
        if self._numeric is None:
            n = len(self.text)
            # A figure marks the character on either side too (是十年前的5倍: 是 before the number).
            self._numeric = self._mask((max(0, s - 1), min(n, e + 1)) for s, e in self.signals.number_spans(self.text))
        return self._in(self._numeric, i)

    def enumeration_at(self, i: int) -> bool:
        if self._enum is None:
            self._enum = self._mask(m.span() for m in ENUMERATION.finditer(self.text))
        return self._in(self._enum, i)

    def title_at(self, i: int) -> bool:
        if self._title is None:
            self._title = self._mask(title_spans(self.text))
        return self._in(self._title, i)

    def entity_at(self, i: int) -> str | None:
        tagger = self.signals.tagger
        text = self.text
        if tagger is None or not 0 <= i < len(text) or not RUN.match(text, i):
            return None
        # The run of Chinese characters around i, at most NAME_WINDOW characters on each side: the
        # tagger is the costly signal and a name is short, while a clause may have no end.
        a, b = i, i + 1
        while a > 0 and i - a < NAME_WINDOW and RUN.match(text, a - 1):
            a -= 1
        while b < len(text) and b - i <= NAME_WINDOW and RUN.match(text, b):
            b += 1
        half = NAME_WINDOW // 2
        # A window tagged for a neighbour serves when i has enough of its context in it.
        for (s, e), spans in self._runs.items():
            if s <= i < e and (s == a or i - s >= half) and (e == b or e - i > half):
                break
        else:
            s, spans = a, tagger(text[a:b])
            self._runs[(a, b)] = spans
        for x, y, label in spans:
            if s + x <= i < s + y:
                return label
        return None

    def intended_at(self, i: int) -> bool:
        """Whether the character at ``i`` is written on purpose: in an official or company phrase, a
        number with its measure word, an enumeration marker or a quoted title. Names are asked
        separately (``entity_at``): the tagger is the costly signal, and a misspelt name of a
        department (国家发展改歌委) is still tagged as a name."""
        return self.official_at(i) or self.numeric_at(i) or self.enumeration_at(i) or self.title_at(i)

    def vocab_count(self, word: str) -> int:
        n = self._vocab.get(word)
        if n is None:
            if callable(self.draft):
                self.draft = self.draft()
            n = self._vocab[word] = self.draft.count(word) if word else 0
        return n
