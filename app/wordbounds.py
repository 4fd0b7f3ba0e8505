"""Whether a matched trigger word stands as a word of its text, judged by jieba's segmentation.

A lexicon term found by plain substring search may be two halves of neighbouring words: 增发 in
新增发明专利 (新增 | 发明), 网传 in 互联网传播. Such a span cuts a word of the text in two, and is not
the term. jieba's best segmentation alone would also cut real terms out of loose compounds
(出现异常 | 登录 for 异常登录), so a span is judged split only when reading it as a unit makes the text
clearly less probable than jieba's reading: by ``MARGIN`` in log probability (measured: real splits
cost 6.5–28, loose compounds 1–3.6). Only a few characters around each match are segmented, with the
shared tokenizer of the typo check (built once per process), so the cost is per match, not per character.
"""

from __future__ import annotations

from math import log
from pathlib import Path
from typing import Iterable

from . import lexicon
from .typo.segment import Segmenter, protected_words, segmenter

# Characters segmented on either side of a match: enough for jieba to see the words around it.
CONTEXT = 6
MARGIN = 5.0


class WordBounds:
    def __init__(self, seg: Segmenter):
        self.seg = seg
        self._logtotal = log(seg.total)

    def splits(self, text: str, start: int, end: int) -> bool:
        """True when ``text[start:end]`` begins or ends inside a word that runs past it (增发 in 新增发明).

        A word that holds the whole span and starts or ends with it (并购重组 for 并购, 废品收购 for
        收购) does not split it: the term is part of a compound, which the lexicons' own exclusions judge.
        """
        lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        cut = self.seg.cut_short
        words = cut(text[lo:hi])
        if not self._crosses(words, lo, start, end):
            return False
        as_unit = cut(text[lo:start]) + cut(text[start:end]) + cut(text[end:hi])
        return self._logp(words) - self._logp(as_unit) > MARGIN

    @staticmethod
    def _crosses(words: tuple[str, ...], pos: int, start: int, end: int) -> bool:
        for w in words:
            a, b = pos, pos + len(w)
            pos = b
            if b <= start or a >= end:
                continue
            if a <= start and end <= b:
                return not (a == start or b == end)
            if a < start or b > end:
                return True
        return False

    def _logp(self, words: tuple[str, ...]) -> float:
        freq, logtotal = self.seg.freq, self._logtotal
        return sum(log(freq.get(w) or 1) - logtotal for w in words)


def load(dirs: Iterable[Path]) -> WordBounds:
    """The word bounds over the same tokenizer (same user words) the typo and grammar checks use."""
    return WordBounds(segmenter(protected_words(lexicon.read_lines(tuple(dirs), "protected.txt"))))
