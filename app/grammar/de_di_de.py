"""的/地/得: the three particles sound alike and are mixed up constantly.

Only shapes where the right particle is certain are reported:
- an adverbial reduplication before a predicate takes 地: 慢慢的好起来 → 慢慢地;
- a listed verb followed by a degree word is a complement and takes 得: 准备的很充分 → 准备得;
- 得 between a personal pronoun and a noun is the possessive 的: 我得朋友 → 我的朋友;
- 什么得 closing a list is 什么的.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tokens import Token

PRONOUNS = frozenset("我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 大家 自己".split())


@dataclass(frozen=True, slots=True)
class Particle:
    start: int
    wrong: str
    right: str
    reason: str


def _aabb(w: str) -> bool:
    return len(w) == 4 and w[0] == w[1] and w[2] == w[3] and w[0] != w[2]


def find(tokens: list[Token], adverbial: frozenset[str], complement_verbs: frozenset[str],
         degree: frozenset[str]) -> list[Particle]:
    out = []
    for k, t in enumerate(tokens):
        prev = tokens[k - 1] if k else None
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if prev is None:
            continue
        if t.text == "的" and nxt is not None and nxt.cjk:
            # A predicate must follow: 好好的一天 (a noun phrase) keeps its 的.
            if (prev.text in adverbial and nxt.tag[:1] in ("v", "a", "d", "p")) or (
                    _aabb(prev.text) and nxt.tag.startswith("v")):
                out.append(Particle(t.start, "的", "地", f"“{prev.text}”修饰后面的动作，应用“地”"))
            elif prev.text in complement_verbs and nxt.text in degree:
                out.append(Particle(t.start, "的", "得", f"“{prev.text}”后接程度补语，应用“得”"))
        elif t.text == "得":
            if prev.text in PRONOUNS and nxt is not None and nxt.tag.startswith("n") and len(nxt.text) > 1:
                out.append(Particle(t.start, "得", "的", "人称代词后表示领属，应用“的”"))
            elif prev.text == "什么" and (nxt is None or not nxt.cjk):
                out.append(Particle(t.start, "得", "的", "“什么的”表示列举未尽"))
    return out
