"""Replacement candidates for one suspicious character: similar characters that make a word.

A candidate is kept only when substituting it turns a non-word span around the position into a
dictionary word: "朋唷" is no word, "朋友" is. That test is a few dictionary look-ups, so the
language model is asked only about the handful of candidates that pass it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .charsets import CharSets
from .segment import Segmenter

MAX_WORD = 4


@dataclass(frozen=True, slots=True)
class Candidate:
    char: str
    similarity: float  # 1.0 same sound and tone, 0.7 same sound, 0.6 same shape
    word: str  # the dictionary word the substitution makes
    word_start: int  # its span in the clause
    word_end: int
    word_freq: int


class CandidateGenerator:
    def __init__(self, seg: Segmenter, chars: CharSets, min_word_freq: int = 3, max_candidates: int = 6):
        self.seg = seg
        self.max_candidates = max_candidates
        self.chars = chars
        self.min_word_freq = min_word_freq
        self.similar = lru_cache(maxsize=20_000)(chars.similar)

    def at(self, clause: str, i: int) -> list[Candidate]:
        freq = self.seg.freq
        n = len(clause)
        # Spans around i that are not words yet: only there can a substitution repair something.
        spans = [(a, a + length) for length in range(MAX_WORD, 1, -1)
                 for a in range(max(0, i - length + 1), min(i, n - length) + 1)
                 if not freq.get(clause[a:a + length], 0)]
        if not spans:
            return []
        best: dict[str, Candidate] = {}
        for c, sim in self.similar(clause[i]).items():
            for a, b in spans:  # longest first: the first hit is the best word for c
                w = clause[a:i] + c + clause[i + 1:b]
                f = freq.get(w, 0)
                if f >= self.min_word_freq:
                    best[c] = Candidate(c, sim, w, a, b, f)
                    break
        return self._top(best.values())

    def _top(self, cands) -> list[Candidate]:
        # The model is the expensive part: ask it about the few likeliest candidates only.
        ranked = sorted(cands, key=lambda c: -(c.similarity * 2 + math.log10(c.word_freq)))
        return ranked[: self.max_candidates]

    def same_span(self, clause: str, start: int, end: int, i: int, min_freq: int) -> list[Candidate]:
        """Real-word errors: substitutions that turn the word ``clause[start:end]`` into another word
        (受到→收到, 根→跟); held to a higher bar by the detector since the original is a word too."""
        freq = self.seg.freq
        out = []
        for c, sim in self.similar(clause[i]).items():
            w = clause[start:i] + c + clause[i + 1:end]
            f = freq.get(w, 0)
            if f >= min_freq:
                out.append(Candidate(c, sim, w, start, end, f))
        return self._top(out)
