"""语病 (clause 三(一)2): 的/地/得, doubled words, mixed paired conjunctions, sentence patterns (no subject,
redundancy, mixed constructions), over-long sentences.

The rules read jieba tokens with their dictionary part of speech (the tokenizer shared with the typo
check, built once); word lists are data in ``lexicons/grammar/``. Each rule reports only shapes whose
fix is certain; the sentence length is a readability warning whose limit is ``[grammar]
max_sentence_chars`` in precheck.toml.
"""

from __future__ import annotations

import re
from typing import Iterable

from .. import lexicon
from ..document import Document
from ..grammar import conjunctions, de_di_de, duplicate, patterns
from ..grammar.tokens import CJK, tokenize
from ..catalog import CheckSpec
from ..rules import Rule
from ..typo import decision
from ..typo.context import title_spans
from ..typo.segment import protected_words, segmenter
from .base import CheckOptions, Hit, LoadContext, RunOptions, option

NAME = "grammar"
CLAUSE = "三(一)2"
_COUNTED = re.compile(r"\S")


class Options(CheckOptions):
    max_sentence_chars: int = option(150, ge=1)


RULES = (
    Rule("grammar.de_di_de", "error", CLAUSE,
         "“的、地、得”误用：状语后用“地”（慢慢地好起来），补语前用“得”（准备得很充分），领属用“的”（我的朋友）。",
         hit=("也许经济很快会慢慢⟦的→地⟧好起来。", "会议材料准备⟦的→得⟧很充分。", "我⟦得→的⟧朋友都来了。",
              "老师教他英文、地理什么⟦得→的⟧，他很快明白了。", "大家认认真真⟦的→地⟧完成了任务。",
              "目前，他也在积极⟦的→地⟧找寻其他工作。", "他们都很快⟦的→地⟧跑到安全的地方。", "可是今天下雨，我们真⟦得→的⟧很难过！",
              "这样可以很好⟦的→地⟧避免风险。", "我们要更好⟦的→地⟧展现企业风采。", "他激动⟦的→得⟧热泪盈眶。"),
         nohit=("也许经济很快会慢慢地好起来。", "会议材料准备得很充分。", "你说的很对。", "积极的作用",
                "认真的态度令人敬佩。", "我得先走了。", "他的确很忙。", "代表团受到了热烈的欢迎。",
                "公司取得了很快的发展。", "他认真的学习态度值得肯定。", "各部门要积极地参与。",
                "你真得好好想想。", "在全体员工积极的配合下，活动圆满结束。", "在领导大力的支持下，我们完成了任务。",
                "实现更好的发展。", "这是很好的机会。", "你得小心了。", "他激动的心情难以平复。")),
    Rule("grammar.duplicate", "error", CLAUSE,
         "词语误重复，如“和和”“工作工作”；看看、常常、高高兴兴、谢谢、天天、人人、研究研究等正常重叠不报。",
         hit=("我⟦和和→和⟧他一起参加了会议。", "请做好本职⟦工作工作→工作⟧。", "这⟦是是→是⟧公司的决定。"),
         nohit=("请大家看看这份材料。", "他常常加班。", "大家高高兴兴地回家了。", "谢谢大家的支持。",
                "我们天天见面。", "安全生产人人有责。", "这个问题我们再研究研究。", "等等",
                "我们一起品尝品尝这道菜。", "大家一个一个地进来。", "看着看着，他就睡着了。", "观看电影《长安长安》。")),
    Rule("grammar.long_sentence", "warning", CLAUSE,
         "句子过长（超过 [grammar] max_sentence_chars 个字符，默认 150），建议拆分。",
         hit=("为" + "进一步加强公司各部门之间的沟通协作" * 10 + "特制定本办法。",),
         nohit=("本办法自发布之日起施行。",)),
    Rule("grammar.paired_conjunction", "error", CLAUSE,
         "关联词搭配不当，如“虽然……所以”“不但……但是”“只有……就”。",
         hit=("虽然天气很冷，⟦所以→但是⟧我们没有出门。", "这款产品不但价格便宜，⟦但是→而且⟧质量也很好。",
              "只有坚持学习，⟦就能→才⟧取得进步。"),
         nohit=("虽然天气很冷，但是我们还是出门了。", "这款产品不但价格便宜，而且质量很好。",
                "只有坚持学习，才能取得进步。", "因为下雨，所以比赛推迟了。")),
    Rule("grammar.missing_subject", "error", CLAUSE,
         "成分残缺：句首“通过/经过/由于……，使……”或“在……下，使……”使句子没有主语。",
         hit=("⟦通过这次培训，使→这次培训使⟧我们认识到安全生产的重要性。", "⟦在领导的关心下，使→领导的关心使⟧项目顺利完成。",
              "⟦由于大家的共同努力，使→大家的共同努力使⟧公司提前完成了全年任务。"),
         nohit=("通过这次培训，我们认识到安全生产的重要性。", "这次培训使我们认识到安全生产的重要性。",
                "公司通过调研，使产品更贴近客户需求。", "通过审核后，使用新账号登录。",
                "通过这次活动，让我们携手前进。")),
    Rule("grammar.redundant", "warning", CLAUSE,
         "语义重复：大约……左右、超过……以上、目的是为了、免费赠送等，保留其一。",
         hit=("本次活动预计⟦大约三百人左右→约三百人⟧参加。", "报名人数⟦超过五百人以上→超过五百人⟧。", "举办讲座的⟦目的是为了→目的是⟧普及安全知识。",
              "凡到店客户均可获得⟦免费赠送→赠送⟧的礼品一份。"),
         nohit=("本次活动预计约三百人参加。", "每次锻炼三十分钟左右为宜。", "报名人数超过五百人。",
                "举办讲座是为了普及安全知识。", "大约下午三点，会议结束。")),
    Rule("grammar.mixed_construction", "warning", CLAUSE,
         "句式杂糅：“原因是……”与“……造成的”两种说法混用。",
         hit=("这次停电的⟦原因是线路老化造成的→原因是线路老化⟧。",),
         nohit=("这次停电的原因是线路老化。", "这次停电是线路老化造成的。")),
)


class GrammarCheck:
    name = NAME
    engine = "jieba"
    status = "ok"
    detail: str | None = None

    def __init__(self, ctx: LoadContext):
        dirs = ctx.lexicon_dirs
        self.seg = segmenter(protected_words(lexicon.company_words(dirs)))

        def words(name: str) -> frozenset[str]:
            return frozenset(lexicon.read_lines(dirs, f"grammar/{name}"))

        self.particle_words = de_di_de.Words(words("adverbial_reduplication.txt"), words("manner_adverbials.txt"),
                                             words("light_verbs.txt"), words("complement_verbs.txt"),
                                             words("degree_adverbs.txt"), words("manner_degree.txt"),
                                             words("emotion_adjectives.txt"), words("predicative_nouns.txt"))
        # 的/地/得 repairs are typos too: their confidence is the rule's measured precision, and the
        # typo thresholds set their severity.
        self.thresholds = decision.Thresholds.from_options(ctx.options("typo"))
        self.de_di_de_confidence = decision.load().rule_confidence("grammar.de_di_de", 0.8)
        self.never_doubled = words("no_reduplication.txt")
        self.abab_ok = words("verb_reduplication.txt")
        self.pairs = conjunctions.parse(lexicon.read_lines(dirs, "grammar/paired_conjunctions.tsv"))
        self.patterns = patterns.parse(lexicon.read_lines(dirs, "grammar/sentence_patterns.tsv"),
                                       frozenset(r.id for r in RULES))
        self.max_sentence = ctx.typed(NAME).max_sentence_chars

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        for field in doc.fields:
            text = field.text
            in_code = doc.in_code if field.name == "body" else None
            for s, e in field.sentences:
                if in_code and in_code(s, e):
                    continue
                sentence = text[s:e]
                n = len(_COUNTED.findall(sentence))
                if n > self.max_sentence:
                    lead = len(sentence) - len(sentence.lstrip())
                    yield Hit("grammar.long_sentence", field.name, s + lead, e,
                              f"句子长达 {n} 字（上限 {self.max_sentence}），建议拆分。")
                if not CJK.search(sentence):
                    continue  # every rule below is about Chinese words; segmenting Latin text is slow
                tokens = tokenize(self.seg, sentence, opts.segmentation(field.name, self.seg))
                for p in de_di_de.find(tokens, self.particle_words):
                    yield Hit("grammar.de_di_de", field.name, s + p.start, s + p.start + 1,
                              f"“{p.wrong}”应为“{p.right}”：{p.reason}。", suggestions=(p.right,),
                              confidence=self.de_di_de_confidence,
                              severity=self.thresholds.severity(self.de_di_de_confidence, keep=True))
                doubled = duplicate.find(tokens, self.never_doubled, self.abab_ok)
                titles = title_spans(sentence) if doubled else ()
                for d in doubled:
                    if any(a <= d.start and d.end <= b for a, b in titles):
                        continue
                    yield Hit("grammar.duplicate", field.name, s + d.start, s + d.end,
                              f"“{d.word}”重复。", suggestions=(d.word,))
                for m in patterns.find(sentence, self.patterns):
                    yield Hit(m.rule, field.name, s + m.start, s + m.end, f"{m.message}。", suggestions=m.suggestions)
                for m in conjunctions.find(tokens, self.pairs):
                    right = "”“".join(m.right[:3])
                    yield Hit("grammar.paired_conjunction", field.name, s + m.start, s + m.end,
                              f"关联词搭配不当：“{m.first}”与“{m.partner}”不配套，应为“{right}”等。",
                              suggestions=m.right[:3])


SPEC = CheckSpec(NAME, label="语法", lt_category="GRAMMAR", issue_type="grammar", options=Options, order=60,
                 rules=RULES)


def build(ctx: LoadContext) -> GrammarCheck:
    return GrammarCheck(ctx)
