"""错别字 (clause 三(一)2): known misspellings, a statistical language-model detector, optional MacBERT.

Engines, each its own rule so a company can switch one off or change its severity:
- ``typo.confusion`` (always on): pairs in ``lexicons/confusion.tsv``, matched by automaton.
- ``typo.lm`` (when the KenLM model is present): characters that segmentation leaves as stray
  fragments, repaired by a similar-sounding or similar-looking character only when the repair makes
  a dictionary word and the word trigram prefers it by a margin. A warning with a confidence; an
  error when the model gain is overwhelming.
- ``typo.macbert`` (when ``PRECHECK_MACBERT_PATH`` names a local model and torch is installed).
Words in ``lexicons/protected.txt`` (company, product and platform names) are never reported.
"""

from __future__ import annotations

import logging
from typing import Iterable

from .. import lexicon
from ..document import Document
from ..rules import Rule
from ..typo import charsets, lm as lm_mod, macbert
from ..typo.candidates import CandidateGenerator
from ..typo.confusion import ConfusionMatcher, parse_pairs
from ..typo.detector import Detector, DetectorOptions
from ..typo.segment import protected_words, segmenter
from .base import Hit, LoadContext, RunOptions

NAME = "typo"
CLAUSE = "三(一)2"
log = logging.getLogger("precheck")

RULES = (
    Rule("typo.confusion", "error", CLAUSE,
         "常见错别字与成语误写（lexicons/confusion.tsv），如 按装→安装、截止目前→截至目前、再接再励→再接再厉。",
         hit=("请⟦按装→安装⟧最新版本的客户端。", "⟦截止目前→截至目前⟧，报名人数已超过三百人。", "希望大家⟦再接再励→再接再厉⟧，再创佳绩。",
              "他⟦以经→已经⟧完成了全部工作。", "请妥善保管⟦帐号→账号⟧和密码。"),
         nohit=("请安装最新版本的客户端。", "截至目前，报名人数已超过三百人。", "坚持以经济建设为中心。",
                "报名截止日期为五月十日。", {"body": "调用 `按装()` 函数。", "format": "markdown"})),
    Rule("typo.lm", "warning", CLAUSE,
         "语言模型判断的疑似错别字：分词后孤立的字换成音近或形近字能组成词语，且上下文概率明显更高。",
         hit=("对不⟦气→起⟧，最近我很忙，所以我不会去你的。", "请你⟦邦→帮⟧我问问火车站在哪？", "这次⟦署→暑⟧假小花去台北旅行。",
              "我已经把功课写完了，放在你的⟦卓→桌⟧子上。",
              "大明很高兴，他喝了很多⟦埤→啤⟧酒。"),
         nohit=("对不起，最近我很忙，所以我不会去你的。", "请你帮我问问火车站在哪？", "欢迎关注公司微信公众号。",
                "请通过企业微信提交申请。", "为帮助新入职员工尽快了解公司情况，特组织本次培训。",
                "活动就定在下个月十号喔，你觉得怎么样？", "主动使用问候语、感谢语、道歉语等。"),
         needs="lm"),
    Rule("typo.lm_limit", "info", CLAUSE,
         "疑似错别字超过 [typo] lm_max_findings 处（默认 200）：其后不再逐一列出，请先确认文本不是乱码或非中文。",
         hit=("请你邦我问问。" * 201,), nohit=("请你邦我问问。" * 3,), needs="lm"),
    Rule("typo.macbert", "warning", CLAUSE,
         "MacBERT 纠错模型发现的疑似错别字（需设置 PRECHECK_MACBERT_PATH 并安装 precheck[deep]）。",
         hit=("今天新情很好。",), nohit=("今天天气很好。",), needs="macbert"),
)


def _option(opts: dict, key: str, default, kind=float):
    try:
        return kind(opts.get(key, default))
    except (TypeError, ValueError):
        raise ValueError(f"[typo] {key} must be a number, got {opts.get(key)!r}") from None


def confusable_sets(lines) -> dict[str, frozenset[str]]:
    """One group of mutually confusable characters (``在再``) or words (``收到 受到``) per line."""
    out: dict[str, set[str]] = {}
    for line in lines:
        words = line.split()
        group = words if len(words) > 1 else [c for c in line.strip() if not c.isspace()]
        for c in group:
            out.setdefault(c, set()).update(x for x in group if x != c)
    return {c: frozenset(xs) for c, xs in out.items()}


class TypoCheck:
    name = NAME

    def __init__(self, ctx: LoadContext):
        opts = ctx.options(NAME)
        self.protected = protected_words(lexicon.company_words(ctx.lexicon_dirs))
        self.seg = segmenter(self.protected)
        self.confusion = ConfusionMatcher(parse_pairs(lexicon.read_lines(ctx.lexicon_dirs, "confusion.tsv")),
                                          self.seg, self.protected)
        self.error_gain = _option(opts, "lm_error_gain", 6.0)
        # Garbled text makes a suspect of nearly every character, each costing model look-ups: past
        # this many per field the detector stops (and says so) instead of taking seconds per draft.
        self.max_lm_findings = _option(opts, "lm_max_findings", 200, int)
        if self.max_lm_findings < 1:
            raise ValueError("[typo] lm_max_findings must be at least 1")
        problems: list[str] = []
        self.detector: Detector | None = None
        model, why = lm_mod.load(ctx.settings.lm_path)
        chars = charsets.load()
        if model is None:
            problems.append(why)
        elif chars is None:
            problems.append("pycorrector's character data (same_pinyin.txt …) was not found")
        else:
            self.detector = Detector(self.seg, model, CandidateGenerator(self.seg, chars), self.protected,
                                     DetectorOptions(margin=_option(opts, "lm_margin", 1.0),
                                                     clause_cache=_option(opts, "clause_cache", 20_000, int)),
                                     confusable_sets([*lexicon.read_lines(ctx.lexicon_dirs, "confusable_chars.txt"),
                                                      *lexicon.read_lines(ctx.lexicon_dirs, "confusable_words.txt")]),
                                     frozenset(w for ln in lexicon.read_lines(ctx.lexicon_dirs, "surnames.txt")
                                               for w in ln.split()))
        if self.detector is not None:
            self.seg.tagger()
        self.macbert, macbert_problem = macbert.load(getattr(ctx.settings, "macbert_path", None))
        if macbert_problem:
            problems.append(macbert_problem)
        engines = ["confusion"] + (["lm"] if self.detector else []) + (["macbert"] if self.macbert else [])
        self.engine = "+".join(engines)
        # MacBERT is optional: its absence alone does not degrade the check, a requested-but-broken one does.
        self.status = "degraded" if problems else "ok"
        self.detail = "; ".join(problems) or None
        if problems:
            log.warning("typo check degraded: %s", self.detail)

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        for field in doc.fields:
            text = field.text
            protected = doc.with_ignored_words(field, self.confusion.protected_spans(text))
            code = doc.code_spans if field.name == "body" else []
            skip = protected + list(code)
            taken: list[tuple[int, int]] = []
            for m in self.confusion.find(text, protected):
                if field.name == "body" and doc.in_code(m.start, m.end):
                    continue
                taken.append((m.start, m.end))
                right = "”或“".join(m.pair.right)
                yield Hit("typo.confusion", field.name, m.start, m.end, f"错别字：“{m.pair.wrong}”应为“{right}”。",
                          suggestions=m.pair.right, confidence=1.0)
            if self.detector is not None:
                found = self.detector.detect(text, skip + taken, field.segmentation.setdefault(self.seg, {}),
                                             self.max_lm_findings)
                if len(found) > self.max_lm_findings:
                    c = found.pop()
                    yield Hit("typo.lm_limit", field.name, c.start, c.end,
                              f"疑似错别字已超过 {self.max_lm_findings} 处，从此处起不再逐一检查：请先确认文本不是乱码或非中文。")
                for c in found:
                    severity = "error" if c.gain >= self.error_gain else None
                    yield Hit("typo.lm", field.name, c.start, c.end,
                              f"疑似错别字：“{c.wrong}”，可能应为“{c.suggestions[0]}”（{c.word}）。",
                              suggestions=c.suggestions, confidence=c.confidence, severity=severity)
            if self.macbert is not None:
                for s, e, wrong, right in self.macbert.detect(text):
                    if any(a < e and s < b for a, b in skip + taken):
                        continue
                    yield Hit("typo.macbert", field.name, s, e, f"疑似错别字：“{wrong}”，可能应为“{right}”。",
                              suggestions=(right,))


def build(ctx: LoadContext) -> TypoCheck:
    return TypoCheck(ctx)
