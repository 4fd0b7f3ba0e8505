"""Does a sentence assert a trigger of this company now?

Each trigger occurrence gets one status, decided in this order (the first that applies wins):

- ``question``: the sentence asks (ends with ？/?, or 有哪些/是什么/为什么): 什么是并购？ / 裁员有哪些条件
- ``negated``: a negation cue stands before the trigger in the same clause (不涉及裁员, 未发生人员伤亡),
  or a denial follows it in the sentence (裁员传闻不实).
- ``simulated``: the sentence describes an exercise (演练, 模拟).
- ``asserted`` (specific): 本次/此次/这次 right before the trigger names a real event (本次并购).
- ``hypothetical``: a condition precedes the trigger in the sentence (如果公司上市, 一旦发生事故).
- ``historical``: the sentence tells history: a history cue (回顾, 曾经, 早在), or a year at least
  ``history_years`` before the current one, unless the year reaches up to now (2015年以来) or the
  sentence also speaks of now (今天, 目前).
- ``topic``: the trigger is what a lesson is about (下一期介绍并购中的估值方法).
- ``asserted`` (self): the sentence names this company (公司 on its own, 我司, 我们, 贵司).
- ``generic``: it defines a concept or speaks of other companies (是指, 通常, 某电商平台, 多家企业).
- ``knowledge``: an unmarked sentence in a knowledge-sharing post is read as general knowledge.
- ``asserted``: an unmarked sentence in any other post (三季度营业收入12.6亿元).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import is_han
from .rules import ContextCues

CLAUSE_BREAK = re.compile(r"[，,；;：:（）()]")
YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年")


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    cue: str | None = None

    @property
    def counts(self) -> bool:
        return self.status == "asserted"


def _find_all(text: str, word: str, lo: int, hi: int):
    i = text.find(word, lo, hi)
    while i >= 0:
        yield i
        i = text.find(word, i + 1, hi)


def _masked(text: str, pos: int, length: int, masks: tuple[str, ...]) -> bool:
    """True when the cue at ``pos`` is part of a word that only looks like it (不断, 未来, 若干)."""
    for m in masks:
        for j in _find_all(text, m, max(0, pos - len(m) + 1), min(len(text), pos + length + len(m))):
            if j <= pos and pos + length <= j + len(m) or j < pos + length and pos < j + len(m):
                return True
    return False


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    start = sent_start
    for m in CLAUSE_BREAK.finditer(text, sent_start, pos):
        start = m.end()
    return start


def _negated(text: str, c: ContextCues, clause_start: int, start: int) -> str | None:
    lo = max(clause_start, start - c.negation_window)
    for cue in c.negation:
        for i in _find_all(text, cue, lo, start):
            if i + len(cue) > start or _masked(text, i, len(cue), c.not_negation):
                continue
            if "的" in text[i + len(cue):start]:
                continue  # 未经审计的净利润: the negation is inside a modifier
            return cue
    return None


def _any_in(text: str, cues: tuple[str, ...], lo: int, hi: int, masks: tuple[str, ...] = ()) -> str | None:
    for cue in cues:
        for i in _find_all(text, cue, lo, hi):
            if i + len(cue) <= hi and not _masked(text, i, len(cue), masks):
                return cue
    return None


def _historical(text: str, c: ContextCues, s: int, e: int, current_year: int, history_years: int) -> str | None:
    if _any_in(text, c.present, s, e):
        return None
    cue = _any_in(text, c.history, s, e)
    if cue:
        return cue
    for m in YEAR.finditer(text, s, e):
        after = text[m.end():m.end() + 4].lstrip("度")
        if any(after.startswith(o) for o in c.ongoing):
            continue
        if int(m.group(1)) <= current_year - history_years:
            return m.group()
    return None


def self_marker(text: str, c: ContextCues, s: int, e: int) -> str | None:
    for cue in c.self:
        for i in _find_all(text, cue, s, e):
            if cue == "公司" and i > s and is_han(text[i - 1]) and text[i - 1] not in c.self_company_after:
                continue
            return cue
    return None


def assess(text: str, sentence: tuple[int, int], start: int, end: int, c: ContextCues, *,
           knowledge_post: bool, current_year: int, history_years: int) -> Verdict:
    s, e = sentence
    if text[s:e].rstrip().rstrip("”’」』）)").endswith(("？", "?")):
        return Verdict("question", text[e - 1:e])
    cue = _any_in(text, c.interrogative, s, e)
    if cue:
        return Verdict("question", cue)
    clause_start = _clause_start(text, s, start)
    cue = _negated(text, c, clause_start, start) or _any_in(text, c.denial, end, e)
    if cue:
        return Verdict("negated", cue)
    cue = _any_in(text, c.simulation, s, e)
    if cue:
        return Verdict("simulated", cue)
    cue = next((x for x in c.specific if text[max(s, start - len(x) - 2):start].find(x) >= 0), None)
    if cue:
        return Verdict("asserted", cue)
    cue = _any_in(text, c.hypothetical, s, start, c.not_hypothetical)
    if cue:
        return Verdict("hypothetical", cue)
    cue = _historical(text, c, s, e, current_year, history_years)
    if cue:
        return Verdict("historical", cue)
    cue = _any_in(text, c.topic, s, start)
    if cue:
        return Verdict("topic", cue)
    cue = self_marker(text, c, s, e)
    if cue:
        return Verdict("asserted", cue)
    cue = _any_in(text, c.generic, s, e)
    if cue:
        return Verdict("generic", cue)
    if knowledge_post:
        return Verdict("knowledge")
    return Verdict("asserted")
