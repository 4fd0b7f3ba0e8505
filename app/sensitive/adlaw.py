"""Advertising-law words judged by channel and context (广告法第九条 governs commercial advertising).

``sensitive/ad_law.txt`` finds the absolute claims (最佳, 第一, 100% …); this module decides, per
match, whether it is a claim the law forbids where the draft is published, and says why with a
neutral wording. Data in ``sensitive/ad_law.toml``; the model in docs/sensitive.md:

- on an advertising channel (external, marketing) the word is an error, a quotation included (the
  advertiser publishes it); an award or title name is a fact whose source should be named (info);
  a completion figure (覆盖率达到百分之百) is a fact whose basis should be stated (warning);
- in an internal post it is a warning only where its sentence presents a product or service;
  quotations, award and title names, figures and every other use are not reported;
- a word that is part of a protected name (a product in ``protected.txt``) or that cuts a word of
  the text in two (jieba) is not the word at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .. import lexicon
from ..wordbounds import WordBounds

_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?：:\n、]")
_SENTENCE_END = re.compile(r"[。！!？?；;\n]")
LAW = "《广告法》第九条禁止在广告中使用“{w}”等绝对化用语"


@dataclass(frozen=True)
class Verdict:
    severity: str
    message: str
    suggestions: tuple[str, ...] = ()


def _alt(words: Iterable[str]) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


class AdLaw:
    def __init__(self, data: dict, bounds: WordBounds | None, names: Iterable[str] = ()):
        self.channels = frozenset(data.get("advertising_channels", ["external", "marketing"]))
        self.commercial = _alt(data.get("commercial", []))
        self.award_after = tuple(data.get("award_after", []))
        self.award_before = _alt(data.get("award_before", []))
        self.name_window = int(data.get("name_window", 8))
        self.figure_before = tuple(data.get("figure_before", []))
        self.figure_after = tuple(data.get("figure_after", []))
        self.quotes = tuple((q[0], q[1]) for q in data.get("quotes", []) if len(q) == 2)
        self.neutral = {k: tuple(v) for k, v in data.get("neutral", {}).items()}
        self.names = _alt(n for n in names if len(n) > 1)
        self.bounds = bounds

    def judge(self, text: str, start: int, end: int, term: str, channel: str) -> Verdict | None:
        """The finding an ad-law word at ``text[start:end]`` deserves in ``channel``, or None."""
        if self.bounds is not None and self.bounds.splits(text, start, end):
            return None
        if self._in_name(text, start, end):
            return None
        advertising = channel in self.channels
        word = text[start:end]
        law = LAW.format(w=term)
        neutral = self.neutral.get(term, ())
        propose = f"；可改为“{neutral[0]}”等中性表述" if neutral else "；请改为可核实的具体事实（数据、来源与时间）"
        if self._award(text, start, end):
            if not advertising:
                return None
            return Verdict("info", f"“{word}”是奖项或称号名称，不属于自我评价；对外发布时请写明颁奖机构与年份，"
                                   "便于核实（" + law + "，引用真实奖项不在此列）")
        if self._figure(text, start, end):
            if not advertising:
                return None
            return Verdict("warning", f"“{word}”是完成情况的统计数字：对外发布时请写明统计口径、范围与来源，"
                                      f"避免读作对产品效果的绝对化承诺（{law}）", neutral)
        quoted = self._quoted(text, start, end)
        if advertising:
            why = "引用他人的话同样是广告内容" if quoted else "对外、营销发布属于商业广告"
            return Verdict("error", f"{law}；{why}，须修改{propose}", neutral)
        if quoted or not self._commercial(text, start, end):
            return None
        return Verdict("warning", f"内部发布不属于商业广告，但这句话在评价产品或服务，一旦用于对外宣传：{law}{propose}",
                       neutral)

    # -- context ----------------------------------------------------------------------------------

    def _sentence(self, text: str, start: int, end: int) -> tuple[int, int]:
        s = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
        m = _SENTENCE_END.search(text, end, end + 200)
        return s, (m.start() if m else min(len(text), end + 200))

    def _in_name(self, text: str, start: int, end: int) -> bool:
        if self.names is None:
            return False
        lo = max(0, start - 16)
        for m in self.names.finditer(text, lo, min(len(text), end + 16)):
            if m.start() <= start and end <= m.end() and (m.end() - m.start()) > end - start:
                return True
        return False

    def _award(self, text: str, start: int, end: int) -> bool:
        if "《" in text[max(0, start - 12):start] and "》" in text[end:end + 12]:
            a, b = text.rfind("《", 0, start), text.find("》", end)
            if "》" not in text[a:start] and "《" not in text[end:b]:
                return True
        after = text[end:end + self.name_window]
        cut = _CLAUSE_BREAK.search(after)
        after = after[:cut.start()] if cut else after
        head = after.split("的", 1)[0]  # 最好的团队 describes a team; 最佳团队奖 names an award
        quote_close = next((c for o, c in self.quotes if head.startswith(c)), None)
        if quote_close:
            head = after[len(quote_close):].split("的", 1)[0]
        if any(w in head for w in self.award_after):
            return True
        if self.award_before is not None:
            clause = max((m.end() for m in _CLAUSE_BREAK.finditer(text, max(0, start - 20), start)),
                         default=max(0, start - 20))
            if self.award_before.search(text, clause, start):
                return True
        return False

    def _figure(self, text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 6):start].rstrip()
        after = text[end:end + 4].lstrip()
        return any(before.endswith(w) for w in self.figure_before) or any(after.startswith(w) for w in self.figure_after)

    def _quoted(self, text: str, start: int, end: int) -> bool:
        s, e = self._sentence(text, start, end)
        lo = max(0, s - 200)
        for o, c in self.quotes:
            if o == c:
                if text.count(o, lo, start) % 2 == 1 and o in text[end:e + 200]:
                    return True
                continue
            opened = text.rfind(o, lo, start)
            if opened >= 0 and text.rfind(c, opened, start) < 0 and text.find(c, end) >= 0:
                return True
        return False

    def _commercial(self, text: str, start: int, end: int) -> bool:
        if self.commercial is None:
            return False
        s, e = self._sentence(text, start, end)
        return self.commercial.search(text, s, e) is not None


def load(dirs, bounds: WordBounds | None) -> AdLaw:
    return AdLaw(lexicon.read_toml(dirs, "sensitive/ad_law.toml"), bounds,
                 lexicon.read_lines(dirs, "protected.txt"))
