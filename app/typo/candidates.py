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
    similarity: float  # 1.0 same sound and tone, 0.7 same sound, 0.6 same shape; +0.3 alike in both
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
        self._alone = lru_cache(maxsize=20_000)(self._alone_uncached)
        # Two-character words by either character: most repairs make one, and a set lookup
        # replaces a dictionary probe per candidate.
        self.seconds: dict[str, set[str]] = {}
        self.firsts: dict[str, set[str]] = {}
        # First characters of every longer word (or prefix) by its second character.
        self.lead: dict[str, set[str]] = {}
        for w, f in seg.freq.items():
            if len(w) == 2 and f >= min_word_freq:
                self.seconds.setdefault(w[0], set()).add(w[1])
                self.firsts.setdefault(w[1], set()).add(w[0])
            if len(w) >= 2:
                self.lead.setdefault(w[1], set()).add(w[0])

    def _pair(self, clause: str, a: int, i: int, f_min: int) -> list[str]:
        """Characters c that make the two characters clause[a:a+2], with c at i, a word."""
        sim = self.similar(clause[i])
        pool = self.firsts.get(clause[i + 1], ()) if a == i else self.seconds.get(clause[a], ())
        if len(pool) > len(sim):
            return [c for c in sim if c in pool]
        return [c for c in pool if c in sim]

    def at(self, clause: str, i: int, bounds: frozenset[int] | None = None) -> list[Candidate]:
        """Candidates at ``i``, each with the longest word it makes. With ``bounds`` (the word
        boundaries of the clause's segmentation), a word that would cut through a segmented word is
        passed over for a shorter one: 可是因伪 repairs to 因为, not to 是因为 across 可是."""
        freq = self.seg.freq
        n = len(clause)
        sim = self.similar(clause[i])
        best: dict[str, Candidate] = {}
        for length in range(MAX_WORD, 1, -1):  # longest first: the first hit is the best word for c
            for a in range(max(0, i - length + 1), min(i, n - length) + 1):
                b = a + length
                if bounds is not None and not (a in bounds and b in bounds):
                    continue
                if freq.get(clause[a:b], 0):
                    continue  # the span is already a word: nothing to repair here
                if length == 2:
                    chars = self._pair(clause, a, i, self.min_word_freq)
                elif a < i:
                    if clause[a:i] not in freq:
                        continue  # jieba's table holds every prefix of every word: no word starts so
                    chars = sim
                else:
                    lead = self.lead.get(clause[i + 1], ())
                    chars = [c for c in sim if c in lead]
                for c in chars:
                    if c in best:
                        continue
                    w = clause[a:i] + c + clause[i + 1:b]
                    f = freq.get(w, 0)
                    if f >= self.min_word_freq:
                        best[c] = Candidate(c, sim[c], w, a, b, f)
        return self._top(best.values())

    def _top(self, cands) -> list[Candidate]:
        # The model is the expensive part: ask it about the few likeliest candidates only.
        ranked = sorted(cands, key=lambda c: -(c.similarity * 2 + math.log10(c.word_freq)))
        return ranked[: self.max_candidates]

    def same_span(self, clause: str, start: int, end: int, i: int, min_freq: int) -> list[Candidate]:
        """Real-word errors: substitutions that turn the word ``clause[start:end]`` into another word
        (受到→收到, 根→跟); held to a higher bar by the detector since the original is a word too."""
        if end - start == 1:
            return [Candidate(c, sim, c, start, end, f) for c, sim, f in self._alone(clause[i], min_freq)]
        freq = self.seg.freq
        sim = self.similar(clause[i])
        chars = self._pair(clause, start, i, min_freq) if end - start == 2 else sim
        out = []
        for c in chars:
            w = clause[start:i] + c + clause[i + 1:end]
            f = freq.get(w, 0)
            if f >= min_freq:
                out.append(Candidate(c, sim[c], w, start, end, f))
        return self._top(out)

    def _alone_uncached(self, ch: str, min_freq: int) -> tuple[tuple[str, float, int], ...]:
        """``same_span`` of a one-character word, which depends on the character only: (replacement,
        similarity, frequency) of its best replacements, asked for at every stray fragment."""
        freq = self.seg.freq
        out = [Candidate(c, s, c, 0, 1, freq[c]) for c, s in self.similar(ch).items() if freq.get(c, 0) >= min_freq]
        return tuple((c.char, c.similarity, c.word_freq) for c in self._top(out))
