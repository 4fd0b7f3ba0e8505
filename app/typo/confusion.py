"""Engine 1: known misspellings from ``confusion.tsv``, matched by one automaton.

A line is ``wrong<TAB>right[<TAB>word|any]``. ``word`` pairs are reported only when the match is a
whole word after segmentation (its two ends fall on token boundaries): "以经" is wrong in "他以经
走了" (他/以/经/走/了) but is part of "以经济为中心" (以/经济/...). Pairs of two characters or fewer
default to ``word``, longer ones (idioms, set phrases) to ``any``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import ahocorasick_rs

from ..text import overlaps_sorted
from .segment import Segmenter


@dataclass(frozen=True, slots=True)
class Pair:
    wrong: str
    right: tuple[str, ...]
    whole_word: bool


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    pair: Pair


class ConfusionError(ValueError):
    pass


def parse_pairs(lines: Iterable[str]) -> dict[str, Pair]:
    """Later lines override earlier ones, so a company overlay can correct a bundled pair."""
    pairs: dict[str, Pair] = {}
    for line in lines:
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ConfusionError(f"confusion.tsv: expected 'wrong<TAB>right', got {line!r}")
        wrong = parts[0]
        rights = tuple(r for r in parts[1].split("|") if r)
        if wrong in rights:
            raise ConfusionError(f"confusion.tsv: {wrong!r} is listed as its own correction")
        mode = parts[2] if len(parts) > 2 and parts[2] else ("word" if len(wrong) <= 2 else "any")
        if mode not in ("word", "any"):
            raise ConfusionError(f"confusion.tsv: third column must be 'word' or 'any', got {mode!r}")
        pairs[wrong] = Pair(wrong, rights, mode == "word")
    return pairs


class ConfusionMatcher:
    def __init__(self, pairs: dict[str, Pair], seg: Segmenter, protected: Iterable[str] = ()):
        self.pairs = list(pairs.values())
        self.seg = seg
        self._ac = (ahocorasick_rs.AhoCorasick([p.wrong for p in self.pairs],
                                               matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
                    if self.pairs else None)
        prot = sorted(set(protected))
        self._protected = (ahocorasick_rs.AhoCorasick(prot, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
                           if prot else None)

    def protected_spans(self, text: str) -> list[tuple[int, int]]:
        """Where protected words stand: in text order and disjoint (leftmost-longest)."""
        if self._protected is None:
            return []
        return [(s, e) for _i, s, e in self._protected.find_matches_as_indexes(text)]

    def find(self, text: str, protected: list[tuple[int, int]] | None = None) -> list[Match]:
        if self._ac is None:
            return []
        protected = self.protected_spans(text) if protected is None else protected
        out = []
        for idx, s, e in self._ac.find_matches_as_indexes(text):
            pair = self.pairs[idx]
            if overlaps_sorted(protected, s, e):
                continue
            if pair.whole_word and not self._whole_word(text, s, e):
                continue
            out.append(Match(s, e, pair))
        return out

    def _whole_word(self, text: str, s: int, e: int) -> bool:
        # Segment the surrounding stretch only: a few characters either side decide the boundaries.
        a, b = max(0, s - 6), min(len(text), e + 6)
        bounds, pos = {a}, a
        for w in self.seg.cut(text[a:b]):
            pos += len(w)
            bounds.add(pos)
        return s in bounds and e in bounds
