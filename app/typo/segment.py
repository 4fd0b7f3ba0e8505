"""One jieba tokenizer per process, with the company's protected words as its user dictionary.

jieba's global tokenizer is shared with any other code in the process; an instance of our own keeps
the user dictionary ours. Building it reads jieba's 5 MB dictionary (about a second), so it is
built once and shared by the typo and grammar checks.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from functools import lru_cache
from math import log
from pathlib import Path
from typing import Iterable

import jieba
from jieba import re_han_default as JIEBA_BLOCK, re_skip_default as JIEBA_SKIP

_lock = threading.Lock()
# A protected word must win over any split of it: give it a frequency above any common word.
PROTECTED_FREQ = 2_000_000
jieba.setLogLevel(logging.WARNING)
# Blocks of these characters only are segmented by our own copy of jieba's dictionary search below;
# anything else (letters, digits, rarer code points) goes through jieba itself.
_HAN_ONLY = re.compile("[\u4E00-\u9FD5]+")


class Segmenter:
    def __init__(self, user_words: frozenset[str]):
        tk = jieba.Tokenizer()
        cache = Path(os.environ.get("TMPDIR", "/tmp")) / f"precheck-jieba-{os.getuid()}.cache"
        tk.cache_file = str(cache)
        tk.initialize()
        for w in user_words:
            tk.add_word(w, PROTECTED_FREQ)
        self.tk = tk
        self.freq: dict[str, int] = tk.FREQ
        self.total: int = tk.total
        self.user_words = user_words
        self.pos = _pos_table(Path(jieba.__file__).with_name("dict.txt"))
        self._pos_tk = None  # jieba's HMM tagger, built on first use

    def cut(self, text: str, memo: dict[str, tuple[str, ...]] | None = None) -> list[str]:
        """jieba's ``cut(text, HMM=False)``, word for word. ``memo`` maps blocks already segmented
        in this field to their words: the typo and grammar checks cut the same clauses."""
        # HMM off: an unknown character stays a one-character fragment, which is exactly the
        # signal the typo detector looks for (HMM would glue it to a neighbour).
        out: list[str] = []
        for blk in JIEBA_BLOCK.split(text):
            if not blk:
                continue
            if JIEBA_BLOCK.match(blk):
                words = memo.get(blk) if memo is not None else None
                if words is None:
                    words = self.block(blk)
                    if memo is not None:
                        memo[blk] = words
                out.extend(words)
            else:
                for x in JIEBA_SKIP.split(blk):
                    if JIEBA_SKIP.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def block(self, blk: str) -> tuple[str, ...]:
        """The words of one block of jieba's (letters, digits and Chinese characters)."""
        if _HAN_ONLY.fullmatch(blk):
            return Lattice(self, blk).cut(0, len(blk))
        return tuple(self.tk.cut(blk, HMM=False))

    def cut_short(self, text: str) -> tuple[str, ...]:
        """``cut`` of a few characters, cached: the detector cuts the same context pieces again and again."""
        return self._cut_short(text)

    @lru_cache(maxsize=200_000)
    def _cut_short(self, text: str) -> tuple[str, ...]:
        return tuple(self.tk.cut(text, HMM=False)) if text else ()

    def lattice(self, text: str) -> "Lattice | _Pieces":
        """Segmentations of any part of ``text``, each equal to ``cut`` of that part."""
        return Lattice(self, text) if _HAN_ONLY.fullmatch(text) else _Pieces(self, text)

    def spans(self, text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for w in self.tk.cut(text, HMM=False):
            out.append((pos, pos + len(w)))
            pos += len(w)
        return out

    def tag(self, w: str) -> str:
        """The word's most frequent part of speech in jieba's dictionary ("x" when unknown)."""
        return self.pos.get(w, "x")

    def tagger(self):
        """jieba's HMM part-of-speech tagger over this tokenizer (0.5 s and 60 MB to build, so the
        typo check builds it at load rather than in its first request with a suspected typo)."""
        if self._pos_tk is None:
            with _lock:
                if self._pos_tk is None:
                    import jieba.posseg

                    self._pos_tk = jieba.posseg.POSTokenizer(self.tk)
        return self._pos_tk

    def name_spans(self, text: str, surnames: frozenset[str]) -> list[tuple[int, int]]:
        """Spans of ``text`` that jieba's part-of-speech tagger (HMM on) reads as a person's name and
        that start with a surname (张爱文, 李台生, not 福物生): asked only of clauses with a suspected typo."""
        out, pos = [], 0
        for w in self.tagger().cut(text):
            if 1 < len(w.word) <= 4 and w.flag == "nr" and (w.word[0] in surnames or w.word[:2] in surnames):
                out.append((pos, pos + len(w.word)))
            pos += len(w.word)
        return out


class Lattice:
    """jieba's word graph of a run of Chinese characters, built once and cut anywhere.

    jieba segments a string by the most probable path through the dictionary words it contains.
    The words inside ``s[p:q]`` are exactly the words of ``s`` that start at or after ``p`` and end
    by ``q``, so one graph serves every window the detector scores. The arithmetic and the tie-break
    (the longer word) are jieba's own, so ``cut(p, q)`` equals ``jieba.cut(s[p:q], HMM=False)``.
    """

    __slots__ = ("s", "freq", "logtotal", "edges", "memo")

    def __init__(self, seg: Segmenter, s: str):
        self.s = s
        self.freq = seg.freq
        self.logtotal = log(seg.tk.total)
        # edges[k]: (index of the last character, log probability) of each word starting at k, found
        # when a cut first reaches k: the detector's windows cover a small part of a long clause.
        self.edges: list[list[tuple[int, float]] | None] = [None] * len(s)
        self.memo: dict[tuple[int, int], tuple[str, ...]] = {}

    def _edges(self, k: int) -> list[tuple[int, float]]:
        s, freq, logtotal = self.s, self.freq, self.logtotal
        n = len(s)
        out = []
        i, f = k, freq.get(s[k])
        while f is not None:  # one dictionary lookup a step: this loop runs for every character
            if f:
                out.append((i, log(f) - logtotal))
            i += 1
            f = freq.get(s[k:i + 1]) if i < n else None
        self.edges[k] = out
        return out

    def cut(self, p: int, q: int) -> tuple[str, ...]:
        if p >= q:
            return ()
        words = self.memo.get((p, q))
        if words is not None:
            return words
        s, edges = self.s, self.edges
        value = [0.0] * (q - p + 1)
        nxt = [0] * (q - p + 1)
        for k in range(q - 1, p - 1, -1):
            best, end = None, k
            ks = edges[k]
            for x, lp in (self._edges(k) if ks is None else ks):
                if x >= q:
                    break
                v = lp + value[x + 1 - p]
                if best is None or v >= best:  # ties go to the longer word, as in jieba
                    best, end = v, x
            if best is None:  # no word starting here ends by q: the character alone (jieba's fallback)
                best = log(self.freq.get(s[k]) or 1) - self.logtotal + value[k + 1 - p]
            value[k - p] = best
            nxt[k - p] = end + 1
        out, k = [], p
        while k < q:
            e = nxt[k - p]
            out.append(s[k:e])
            k = e
        words = self.memo[(p, q)] = tuple(out)
        return words


class _Pieces:
    """``Lattice.cut`` for text with characters outside jieba's Chinese range: jieba on each part."""

    __slots__ = ("seg", "s")

    def __init__(self, seg: Segmenter, s: str):
        self.seg, self.s = seg, s

    def cut(self, p: int, q: int) -> tuple[str, ...]:
        return self.seg.cut_short(self.s[p:q])


@lru_cache(maxsize=1)
def _pos_table(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                table[parts[0]] = parts[2]
    return table


_cache: dict[frozenset, Segmenter] = {}


def protected_words(lines: Iterable[str]) -> frozenset[str]:
    """The user words of ``protected.txt`` (one character is no word). The typo and grammar checks
    must pass the same set to ``segmenter``: the cache keeps one tokenizer, so two sets would rebuild it in turn."""
    return frozenset(w for w in lines if len(w) > 1)


def segmenter(user_words: frozenset[str] = frozenset()) -> Segmenter:
    """The shared tokenizer for this set of user words (built once; a lexicon reload with new words builds anew)."""
    with _lock:
        seg = _cache.get(user_words)
        if seg is None:
            seg = Segmenter(user_words)
            _cache.clear()  # keep one: an old Resources still holds its own reference
            _cache[user_words] = seg
        return seg
