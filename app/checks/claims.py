"""Markers of unverified information (三(一)1 真实性原则: 不得发布未经证实的信息).

A marker such as 网传 or 据说 tells the reader the writer has not verified what follows. The check
stays quiet where the marker is the subject of a rule ("不得发布未经证实的信息") or of a rebuttal
("网传我司将裁员，系谣言"): both are verified statements the company means to publish.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .. import lexicon
from ..document import Document, Field
from ..text import overlaps_sorted
from ..rules import Rule
from .base import Hit, LoadContext, RunOptions, SimpleCheck

NAME = "claims"
CLAUSE = "三(一)1"

RULES = (
    Rule("claims.unverified", "warning", CLAUSE,
         "未经证实信息的标记（据网传、网传、听说、据说、未经证实、小道消息、传言、坊间传闻……）：发布前核实，"
         "并注明权威来源。制度性表述（“不得发布未经证实的信息”）和辟谣（“网传……系谣言”）不报告。",
         hit=("⟦据网传⟧，本次年会将有神秘嘉宾！", "⟦听说⟧下个月要调整作息时间。", "⟦小道消息⟧：食堂将搬迁。",
              "⟦坊间传闻⟧公司将在明年上市。", "该数据⟦未经证实⟧，仅供参考。"),
         nohit=("发布的信息必须真实可靠，不得发布虚假、误导性或未经证实的信息。", "请勿轻信网传消息。",
                "网传我司将于下月裁员，系谣言，请以官方通知为准。", "本课程注重听说读写能力。",
                "据不完全统计，今年共接待来访 300 余人次。", "互联网传播速度很快。")),
)


class ClaimsCheck(SimpleCheck):
    name = NAME

    def __init__(self, ctx: LoadContext):
        super().__init__(ctx)
        dirs = ctx.lexicon_dirs
        markers = sorted(set(lexicon.read_lines(dirs, "claims.txt")), key=len, reverse=True)
        context = lexicon.read_toml(dirs, "claims.toml")
        self.markers = re.compile("|".join(map(re.escape, markers))) if markers else None
        self.allow = _alternation(context.get("allow", []))
        self.prohibit = _alternation(context.get("prohibit", []))
        self.refute = _alternation(context.get("refute", []))
        self.window = int(context.get("prohibit_window", 30))

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        if self.markers is None:
            return
        for field in doc.fields:
            yield from self._field(field)

    def _field(self, field: Field) -> Iterator[Hit]:
        text = field.text
        allowed = [m.span() for m in self.allow.finditer(text)] if self.allow else []
        for m in self.markers.finditer(text):
            start, end = m.span()
            if allowed and overlaps_sorted(allowed, start, end):
                continue
            if self._prohibited(text, start) or self._refuted(field, start):
                continue
            yield Hit("claims.unverified", field.name, start, end,
                      f"“{m.group()}”表明信息未经证实：发布前请核实，并注明权威来源，或删除该内容")

    def _prohibited(self, text: str, start: int) -> bool:
        if self.prohibit is None:
            return False
        lo = max(0, start - self.window)
        clause_start = max((text.rfind(p, lo, start) for p in "，,。；;！!？?\n"), default=-1)
        return self.prohibit.search(text, max(lo, clause_start + 1), start) is not None

    def _refuted(self, field: Field, start: int) -> bool:
        if self.refute is None:
            return False
        s, e = field.sentence_at(start)
        return self.refute.search(field.text, s, e) is not None


def _alternation(words: Iterable[str]) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


def build(ctx: LoadContext) -> ClaimsCheck:
    return ClaimsCheck(ctx)
