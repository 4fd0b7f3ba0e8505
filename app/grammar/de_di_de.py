"""的/地/得: the three particles sound alike and are mixed up constantly.

Only shapes where the right particle is certain are reported:
- an adverbial reduplication before a predicate takes 地: 慢慢的好起来 → 慢慢地;
- a manner word before a verb phrase takes 地: 积极的找寻其他工作 → 积极地 (not after a verb that takes
  a noun phrase: 受到热烈的欢迎);
- a degree phrase after a modal or an adverb and before a verb takes 地: 可以很好的避免 → 很好地
  (实现更好的发展 keeps 的: a verb, not a modal, comes first and a noun follows);
- a feeling followed by a four-character idiom closing the clause takes 得: 激动的热泪盈眶 → 激动得;
- 真得 before a degree word is 真的: 真得很难过 → 真的很难过;
- a listed verb followed by a degree word is a complement and takes 得: 准备的很充分 → 准备得;
- 得 between a personal pronoun and a noun is the possessive 的: 我得朋友 → 我的朋友 (not the modal
  得 before a predicate: 你得小心了);
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
    manner_degree: frozenset[str] = frozenset()  # degree phrases used as manner adverbials: 更好, 很好
    emotions: frozenset[str] = frozenset()  # feelings whose result is a complement: 激动, 高兴
    predicative: frozenset[str] = frozenset()  # "nouns" that are predicates after the modal 得: 小心


# Before a manner phrase, these make it an adverbial: 可以很好地避免, 要更好地展现.
MODALS = frozenset("可以 能 能够 会 要 将 才能 得以 便于 以便 就 也 都 还 已 已经 来 去 更 进一步 从而 努力 争取".split())
# After a noun following 得, these show 得 is the modal "must" and the noun a predicate: 你得小心了.
PREDICATE_ENDS = frozenset("了 点 点儿 一点 些 一些 吧 啊 呀 哦 喽 啦".split())
DEGREE_HEADS = frozenset("很 更 较 非常 十分 特别 比较".split())


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


def _manner_degree(tokens: list[Token], k: int, words: Words) -> str | None:
    """The degree phrase before 的 at ``k`` when it is an adverbial (可以很好的避免风险), else None."""
    prev = tokens[k - 1]
    if prev.text == "好" and k >= 2 and tokens[k - 2].text in DEGREE_HEADS:
        phrase, j = tokens[k - 2].text + "好", k - 2
    elif prev.text in words.manner_degree:
        phrase, j = prev.text, k - 1
    else:
        return None
    if phrase not in words.manner_degree or j == 0:
        return None
    before = tokens[j - 1]
    if before.text not in MODALS and not before.tag.startswith(("d", "c")):
        return None
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    return phrase if nxt is not None and nxt.tag == "v" else None


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
            elif (phrase := _manner_degree(tokens, k, words)) is not None:
                out.append(Particle(t.start, "的", "地", f"“{phrase}”修饰后面的动作，应用“地”"))
            elif prev.text in words.complement_verbs and nxt.text in words.degree:
                out.append(Particle(t.start, "的", "得", f"“{prev.text}”后接程度补语，应用“得”"))
            elif (prev.text in words.emotions and len(nxt.text) == 4 and nxt.tag in ("i", "l")
                  and (k + 2 >= len(tokens) or not tokens[k + 2].cjk or tokens[k + 2].text == "了")):
                out.append(Particle(t.start, "的", "得", f"“{nxt.text}”是“{prev.text}”的结果补语，应用“得”"))
        elif t.text == "得":
            after = tokens[k + 2].text if k + 2 < len(tokens) else ""
            if (prev.text in PRONOUNS and nxt is not None and nxt.tag.startswith("n") and len(nxt.text) > 1
                    and nxt.text not in words.predicative and after not in PREDICATE_ENDS):
                out.append(Particle(t.start, "得", "的", "人称代词后表示领属，应用“的”"))
            elif prev.text == "什么" and (nxt is None or not nxt.cjk):
                out.append(Particle(t.start, "得", "的", "“什么的”表示列举未尽"))
            elif prev.text == "真" and nxt is not None and nxt.text in words.degree:
                out.append(Particle(t.start, "得", "的", "“真的”表示确实，后接程度副词"))
    return out
