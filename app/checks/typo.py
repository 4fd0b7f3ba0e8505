"""错别字 (clause 三(一)2): known misspellings, a statistical language-model detector, optional MacBERT.

Engines, each its own rule so a company can switch one off or change its severity:
- ``typo.confusion`` (always on): pairs in ``lexicons/confusion.tsv``, matched by automaton.
- ``typo.lm`` (when the KenLM model is present): characters that segmentation leaves as stray
  fragments, repaired by a similar-sounding or similar-looking character only when the repair makes
  a dictionary word and the word trigram prefers it; the decision model gives each repair a calibrated
  probability of being right, which is the finding's confidence and sets its severity
  (``[typo] confidence_error`` / ``confidence_warning`` / ``confidence_min``).
- ``typo.real_word`` (always on): real-word errors decided by their frame (再此基础上 → 在此),
  rules in ``lexicons/typo/real_word.tsv``.
- ``typo.macbert`` (when ``PRECHECK_MACBERT_PATH`` names a local model and torch is installed).
Words in ``lexicons/protected.txt`` (company, product and platform names) are never reported.
"""

from __future__ import annotations

import logging
from typing import Iterable

from .. import lexicon
from ..document import Document
from ..catalog import CheckSpec
from ..rules import Rule
from ..typo import charsets, context, decision, lm as lm_mod, macbert, real_word
from ..typo.candidates import CandidateGenerator
from ..typo.confusion import ConfusionMatcher, parse_pairs
from ..typo.detector import Detector, DetectorOptions
from ..typo.names import jieba_tagger, lac_tagger
from ..typo.segment import protected_words, segmenter
from .base import CheckOptions, Hit, LoadContext, RunOptions, option

NAME = "typo"
CLAUSE = "三(一)2"
log = logging.getLogger("precheck")

RULES = (
    Rule("typo.confusion", "error", CLAUSE,
         "常见错别字与成语误写（lexicons/confusion.tsv），如 按装→安装、截止目前→截至目前、再接再励→再接再厉。",
         scope="text",
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
    Rule("typo.real_word", "warning", CLAUSE,
         "音近的常用字在固定框架里误用（lexicons/typo/real_word.tsv），如 再此基础上→在此、有工会主办→由、象……一样→像。",
         hit=("⟦再→在⟧此基础上，我们提出了新的方案。", "我们⟦在→再⟧次向您表示感谢。", "本次活动⟦有→由⟧公司工会主办。",
              "时间⟦象→像⟧流水一样过去。"),
         nohit=("在此基础上，我们提出了新的方案。", "会议在次日召开。", "每个项目都有专人负责。",
                "这种现象一样存在。", "有关部门负责解释。")),
    Rule("typo.macbert", "warning", CLAUSE,
         "MacBERT 纠错模型发现的疑似错别字（需设置 PRECHECK_MACBERT_PATH 并安装 precheck[deep]）。",
         hit=("今天新情很好。",), nohit=("今天天气很好。",), needs="macbert"),
)


class Options(CheckOptions):
    # Severity by the calibrated confidence (see decision.Thresholds); below confidence_min, typo.lm
    # reports nothing.
    confidence_error: float = option(0.95, ge=0, le=1)
    confidence_warning: float = option(0.7, ge=0, le=1)
    confidence_min: float = option(0.5, ge=0, le=1)
    # A repair inside a person's name is always dropped (43 of 44 on the dev sets were wrong); one
    # inside a place or an organisation unless the model gain reaches this: a misspelt department
    # (国家发展改歌委) is still tagged as one (docs/typo.md).
    lm_name_gain: float = option(4.0, gt=0)
    # Garbled text makes a suspect of nearly every character, each costing model look-ups: past
    # this many per field the detector stops (and says so) instead of taking seconds per draft.
    lm_max_findings: int = option(200, ge=1)
    clause_cache: int = option(20_000, ge=0)


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
        opts = ctx.typed(NAME)
        self.protected = protected_words(lexicon.company_words(ctx.lexicon_dirs))
        self.seg = segmenter(self.protected)
        self.confusion = ConfusionMatcher(parse_pairs(lexicon.read_lines(ctx.lexicon_dirs, "confusion.tsv")),
                                          self.seg, self.protected)
        self.thresholds = decision.Thresholds.from_options(opts.model_dump())
        self.model = decision.load()
        # The curated engines' confidence is their precision measured on the dev sets.
        self.confusion_confidence = self.model.rule_confidence("typo.confusion", default=0.9)
        self.real_word_confidence = self.model.rule_confidence("typo.real_word", default=0.9)
        self.real_word = real_word.parse(lexicon.read_lines(ctx.lexicon_dirs, "typo/real_word.tsv"))
        self.name_gain = opts.lm_name_gain
        self.max_lm_findings = opts.lm_max_findings
        problems: list[str] = []
        surnames = frozenset(w for ln in lexicon.read_lines(ctx.lexicon_dirs, "surnames.txt") for w in ln.split())
        self.detector: Detector | None = None
        model, why = lm_mod.load(ctx.settings.lm_path)
        chars = charsets.load()
        if model is None:
            problems.append(why)
        elif chars is None:
            problems.append("pycorrector's character data (same_pinyin.txt …) was not found")
        else:
            self.detector = Detector(self.seg, model, CandidateGenerator(self.seg, chars), self.protected,
                                     DetectorOptions(floor=self.thresholds.report, clause_cache=opts.clause_cache),
                                     confusable_sets([*lexicon.read_lines(ctx.lexicon_dirs, "confusable_chars.txt"),
                                                      *lexicon.read_lines(ctx.lexicon_dirs, "confusable_words.txt")]),
                                     surnames, self.model)
        if self.detector is not None:
            self.seg.tagger()
        # Names, official phrases, company words, numbers, enumerations and titles around a repair.
        # Baidu LAC puts four times as many of the dev sets' wrong repairs inside a name as jieba's
        # tagger does (docs/typo.md); jieba stays the fallback where the package is missing.
        # Names are asked of typo.lm's repairs only: no tagger without the detector.
        tagger = (lac_tagger(surnames) or jieba_tagger(self.seg, surnames)) if self.detector else None
        self.signals = context.load(ctx.lexicon_dirs, self.protected, tagger)
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
        def draft() -> str:
            return "\n".join(f.text for f in doc.fields)

        for field in doc.fields:
            text = field.text
            around = context.FieldContext.build(text, self.signals, draft)
            protected = doc.with_ignored_words(field, self.confusion.protected_spans(text))
            code = doc.code_spans if field.name == "body" else []
            skip = protected + list(code)
            taken: list[tuple[int, int]] = []
            for m in self.confusion.find(text, protected):
                taken.append((m.start, m.end))
                right = "”或“".join(m.pair.right)
                # The list's severity is the rule's: each entry is wrong wherever it stands (an ``unless``
                # context marks the exceptions). Its measured precision is lowered by variant forms the
                # dev sets count as correct (报导, 部份); such entries are for the list to drop, not a
                # reason to let 按装 pass.
                yield Hit("typo.confusion", field.name, m.start, m.end, f"错别字：“{m.pair.wrong}”应为“{right}”。",
                          suggestions=m.pair.right, confidence=self.confusion_confidence)
            for m in real_word.find(text, self.real_word):
                if any(a < m.end and m.start < b for a, b in skip + taken):
                    continue
                taken.append((m.start, m.end))
                yield Hit("typo.real_word", field.name, m.start, m.end, f"疑似误用：“{m.wrong}”应为“{m.right}”。",
                          suggestions=(m.right,), confidence=self.real_word_confidence,
                          severity=self.thresholds.severity(self.real_word_confidence, keep=True))
            if self.detector is not None:
                found = self.detector.detect(text, skip + taken, opts.segmentation(field.name, self.seg),
                                             self.max_lm_findings)
                if len(found) > self.max_lm_findings:
                    c = found.pop()
                    yield Hit("typo.lm_limit", field.name, c.start, c.end,
                              f"疑似错别字已超过 {self.max_lm_findings} 处，从此处起不再逐一检查：请先确认文本不是乱码或非中文。")
                for c in found:
                    name = around.entity_at(c.start)
                    if name == "PER" or (name is not None and c.gain < self.name_gain):
                        continue
                    confidence = self.model.with_context(c.score, decision.context_vector(around, c.start, text))
                    severity = self.thresholds.severity(confidence)
                    if severity is None:
                        continue
                    yield Hit("typo.lm", field.name, c.start, c.end,
                              f"疑似错别字：“{c.wrong}”，可能应为“{c.suggestions[0]}”（{c.word}）。",
                              suggestions=c.suggestions, confidence=confidence, severity=severity)
            if self.macbert is not None:
                for s, e, wrong, right in self.macbert.detect(text):
                    if any(a < e and s < b for a, b in skip + taken):
                        continue
                    yield Hit("typo.macbert", field.name, s, e, f"疑似错别字：“{wrong}”，可能应为“{right}”。",
                              suggestions=(right,))


SPEC = CheckSpec(NAME, label="错别字", lt_category="TYPOS", issue_type="misspelling", options=Options, order=50,
                 rules=RULES)


def build(ctx: LoadContext) -> TypoCheck:
    return TypoCheck(ctx)
