"""Tokens of a field with their positions and dictionary part-of-speech tags."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import HAN_CLASS
from ..typo.segment import Segmenter

CJK = re.compile(HAN_CLASS)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    tag: str  # jieba dictionary tag ("v", "n", "d", "uj" …; "x" for punctuation and unknown)

    @property
    def cjk(self) -> bool:
        return bool(CJK.match(self.text))


def tokenize(seg: Segmenter, text: str, memo: dict | None = None) -> list[Token]:
    """``memo``: the field's segmentation memo (``Field.segmentation``), shared with the typo check."""
    out, pos = [], 0
    for w in seg.cut(text, memo):
        out.append(Token(w, pos, pos + len(w), seg.tag(w)))
        pos += len(w)
    return out
