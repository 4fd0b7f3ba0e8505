"""的/地/得: the three particles sound alike and are mixed up constantly.

Only shapes where the right particle is certain are reported:
- an adverbial reduplication before a predicate takes 地: 慢慢的好起来 → 慢慢地;
- a manner word before a verb phrase takes 地: 积极的找寻其他工作 → 积极地 (not after a verb that takes
  a noun phrase: 受到热烈的欢迎);
- 真得 before a degree word is 真的: 真得很难过 → 真的很难过;
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


# What may follow a verb that heads a verb phrase: aspect particles and complements. Not 上 or 下:
# "在全体员工积极的配合下" is a noun phrase in the frame 在……下.
VERB_FOLLOWERS = frozenset("了 着 过 到 在 给 出 起 起来 下来 出来 完 好 去 来".split())


@dataclass(frozen=True)
class Words:
    """The word lists of ``lexicons/grammar/`` that the rules read."""
    adverbial: frozenset[str]  # adverbial reduplications: 慢慢, 好好
    manner: frozenset[str]  # manner words: 积极, 认真
    light_verbs: frozenset[str]  # verbs taking "adjective 的 verb" as a noun phrase: 受到, 取得
    complement_verbs: frozenset[str]  # verbs whose "V的 + degree" is a complement: 准备
    degree: frozenset[str]  # degree words: 很, 非常


def _heads_verb_phrase(tokens: list[Token], k: int) -> bool:
    """Whether tokens[k] (after 的) starts a verb phrase rather than the head of a noun phrase."""
    t = tokens[k]
    if t.tag.startswith("p"):
        return True  # 不好意思的跟我们说
    if t.tag != "v" or k + 1 >= len(tokens):
        return False  # 热烈的欢迎 closing the clause may be a noun phrase
    # Not another verb: "耐心的讲解让学员……" is a subject and its predicate.
    after = tokens[k + 1]
    return after.text in VERB_FOLLOWERS or after.tag[:1] in ("r", "m")


def _after_subject(tokens: list[Token], k: int) -> bool:
    """Whether something stands before tokens[k] (a degree word aside) in its clause: a manner phrase
    opening a clause is a subject more often than an adverbial ("充分的准备是成功的关键")."""
    j = k - 1
    while j >= 0 and tokens[j].tag.startswith(("d", "zg")) and tokens[j].text in ("很", "非常", "十分", "特别", "更"):
        j -= 1
    return j >= 0 and tokens[j].cjk


def find(tokens: list[Token], words: Words) -> list[Particle]:
    out = []
    for k, t in enumerate(tokens):
        prev = tokens[k - 1] if k else None
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if prev is None:
            continue
        if t.text == "的" and nxt is not None and nxt.cjk:
            # A predicate must follow: 好好的一天 (a noun phrase) keeps its 的.
            if (prev.text in words.adverbial and nxt.tag[:1] in ("v", "a", "d", "p")) or (
                    _aabb(prev.text) and nxt.tag.startswith("v")) or (
                    prev.text in words.manner and _heads_verb_phrase(tokens, k + 1) and _after_subject(tokens, k - 1)
                    and not any(x.text in words.light_verbs for x in tokens[max(0, k - 4):k - 1])):
                out.append(Particle(t.start, "的", "地", f"“{prev.text}”修饰后面的动作，应用“地”"))
            elif prev.text in words.complement_verbs and nxt.text in words.degree:
                out.append(Particle(t.start, "的", "得", f"“{prev.text}”后接程度补语，应用“得”"))
        elif t.text == "得":
            if prev.text in PRONOUNS and nxt is not None and nxt.tag.startswith("n") and len(nxt.text) > 1:
                out.append(Particle(t.start, "得", "的", "人称代词后表示领属，应用“的”"))
            elif prev.text == "什么" and (nxt is None or not nxt.cjk):
                out.append(Particle(t.start, "得", "的", "“什么的”表示列举未尽"))
            elif prev.text == "真" and nxt is not None and nxt.text in words.degree:
                out.append(Particle(t.start, "得", "的", "“真的”表示确实，后接程度副词"))
    return out
