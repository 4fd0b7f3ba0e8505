"""One jieba tokenizer per process, with the company's protected words as its user dictionary.

jieba's global tokenizer is shared with any other code in the process; an instance of our own keeps
the user dictionary ours. Building it reads jieba's 5 MB dictionary (about a second), so it is
built once and shared by the typo and grammar checks.
"""

from __future__ import annotations

import logging
import os
import threading
from functools import lru_cache
from pathlib import Path

import jieba

_lock = threading.Lock()
# A protected word must win over any split of it: give it a frequency above any common word.
PROTECTED_FREQ = 2_000_000
jieba.setLogLevel(logging.WARNING)


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

    def cut(self, text: str) -> list[str]:
        # HMM off: an unknown character stays a one-character fragment, which is exactly the
        # signal the typo detector looks for (HMM would glue it to a neighbour).
        return list(self.tk.cut(text, HMM=False))

    def cut_short(self, text: str) -> tuple[str, ...]:
        """``cut`` of a few characters, cached: the detector cuts the same context pieces again and again."""
        return self._cut_short(text)

    @lru_cache(maxsize=200_000)
    def _cut_short(self, text: str) -> tuple[str, ...]:
        return tuple(self.tk.cut(text, HMM=False)) if text else ()

    def spans(self, text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for w in self.tk.cut(text, HMM=False):
            out.append((pos, pos + len(w)))
            pos += len(w)
        return out

    def is_word(self, w: str, min_freq: int = 1) -> bool:
        return self.freq.get(w, 0) >= min_freq

    def tag(self, w: str) -> str:
        """The word's most frequent part of speech in jieba's dictionary ("x" when unknown)."""
        return self.pos.get(w, "x")


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


def segmenter(user_words: frozenset[str] = frozenset()) -> Segmenter:
    """The shared tokenizer for this set of user words (built once; a lexicon reload with new words builds anew)."""
    with _lock:
        seg = _cache.get(user_words)
        if seg is None:
            seg = Segmenter(user_words)
            _cache.clear()  # keep one: an old Resources still holds its own reference
            _cache[user_words] = seg
        return seg
