"""The feature vector of one candidate repair, in the order of ``decision.FEATURES``."""

from __future__ import annotations

import math

from .decision import KINDS

# Digits and numerals: a character next to one is usually a measure word or counter (13桌, 30余场,
# 5倍), which the trigram, blind to numbers, scores as a stray fragment.
NUMERALS = frozenset("0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万亿两几余多第半")


def numeric_near(text: str, i: int, edges: tuple[str, str]) -> bool:
    """Whether a digit or numeral stands right before ``i`` (or two before, 30余场), or right after.
    ``edges``: the characters just outside the clause (digits are not part of a clause)."""
    left = text[i - 1] if i else edges[0]
    left2 = text[i - 2] if i > 1 else (edges[0] if i == 1 else "")
    right = text[i + 1] if i + 1 < len(text) else edges[1]
    return left in NUMERALS or (left2 in NUMERALS and left in "余多几") or right in NUMERALS


def vector(*, gain: float, need: float, kind: str, similarity: float, confusable: bool,
           freq_wrong: int, freq_right: int, freq_word: int, freq_original: int, word_len: int,
           function_word: bool, order: int, logprob: float, n_cands: int, lead: float, clause_edge: bool,
           short_clause: bool, numeric: bool, surname: bool, ctx: tuple[float, ...] = (0.0,) * 6) -> list[float]:
    lg = math.log10
    return [
        gain, min(gain, 4.0), float(gain >= need), gain - need, need,
        *(float(kind == k) for k in KINDS),
        similarity, float(similarity >= 1.0), float(0.7 <= similarity < 1.0), float(0.5 <= similarity < 0.7),
        float(similarity < 0.5), float(similarity > 1.0 or 0.85 < similarity < 1.0),
        float(confusable),
        lg(freq_wrong + 1), lg(freq_right + 1), lg(freq_word + 1), lg(freq_original + 1), float(word_len),
        float(function_word),
        float(order), max(logprob, -10.0), float(n_cands), min(lead, 4.0), float(clause_edge), float(short_clause),
        float(numeric), float(surname),
        *ctx,
    ]
