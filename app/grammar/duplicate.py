"""Accidentally doubled words: "和和", "工作工作".

Doubling is grammatical in Chinese (看看, 常常, 高高兴兴, 谢谢, 天天, 人人, 研究研究), so only two
shapes are reported: a function word from ``no_reduplication.txt`` written twice, and a word of
two or more characters written twice that is none of the regular doublings: an action verb's ABAB
tentative form (品尝品尝, 研究研究: jieba's tag ``v``, or listed in ``verb_reduplication.txt``), V着V着
(看着看着: one action running into the next) and 一X一X (一个一个, 一步一步: one by one).
Legitimate AA words are single tokens to the segmenter and never pair up.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import Token


@dataclass(frozen=True, slots=True)
class Duplicate:
    start: int  # span of both copies
    end: int
    word: str


def _regular(w: str, tag: str, abab_ok: frozenset[str]) -> bool:
    """Whether ``w`` written twice is a regular doubling rather than a slip."""
    if w in abab_ok:
        return True
    return len(w) == 2 and (tag == "v" or w[1] == "着" or w[0] == "一")


def find(tokens: list[Token], never_doubled: frozenset[str], abab_ok: frozenset[str]) -> list[Duplicate]:
    out, k = [], 1
    while k < len(tokens):
        a, b = tokens[k - 1], tokens[k]
        w = b.text
        # The segmenter may glue the first copy to a longer word: 本职工作/工作.
        if a.cjk and a.end == b.start and (a.text == w or (len(w) > 1 and a.text.endswith(w))):
            if (len(w) == 1 and w in never_doubled) or (len(w) > 1 and not _regular(w, b.tag, abab_ok)):
                out.append(Duplicate(a.end - len(w), b.end, w))
                k += 2
                continue
        k += 1
    return out
