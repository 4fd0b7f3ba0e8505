"""Sensitive words (三(一)3 lawful content, 三(四)1 no vulgar language, 四(一)4 confidentiality).

Terms come from the company-maintained lexicons ``lexicons/sensitive/<category>.txt``; each finding
is ``sensitive.<category>`` with the category's severity and clause from ``categories.toml``, names
the lexicon term it matched, and spans the term as written, noise inside included. Written-around
forms are caught: traditional characters, full-width letters, case, invisible characters, up to
``[sensitive] max_noise`` spaces/symbols between characters (never across a sentence end or line
break), and pinyin or initials for terms marked so. A match inside an allowed phrase (``allow.txt``)
is not reported; a term named by a prohibition in the same clause ("严禁……") is only a mention.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .. import wordbounds
from ..catalog import CheckSpec
from ..document import Document
from ..rules import Examples, Rule
from ..sensitive import adlaw
from ..sensitive import lexicon as sensitive_lexicon
from ..sensitive.adlaw import AdLaw
from ..sensitive.matcher import Match, Matcher
from .base import CheckOptions, Hit, LoadContext, RunOptions, option

NAME = "sensitive"


class Options(CheckOptions):
    max_noise: int = option(2, ge=0)
    max_term_length: int = option(32, ge=1)

# The examples of each category's rule; its severity, clause and description are the category's own
# (categories.toml), so the company's lexicon folder may change them or add a category.
EXAMPLES: dict[str, Examples] = {
    "confidential": Examples(
        hit=("本文件为⟦内部资料⟧，请注意。", "【⟦內部資料⟧】季度经营数据", "⟦内.部.资.料⟧：供参考", "⟦内 部 资 料⟧",
             "内\u200b部\u200b资\u200b料", "附件：⟦商业秘密⟧，仅限管理层。", "标注 ⟦CONFIDENTIAL⟧ 的文件"),
        nohit=("本周内部培训安排如下。", "我们要保守秘密。", "信息系统的机密性、完整性和可用性。", "内部。资料另行发送。",
               "严禁泄露公司商业秘密。")),
    "vulgar": Examples(
        hit=("你这个⟦傻逼⟧。", "⟦傻*逼⟧", "⟦傻 逼⟧", "真是⟦SB⟧", "⟦sha bi⟧ 一个", "⟦傻B⟧", "⟦ShaBi⟧", "⟦卧槽⟧，太厉害了", "what the ⟦FUCK⟧"),
        nohit=("USB 接口", "傻。逼", "他是一个好人。", "shell 脚本", "Subway 餐厅")),
    "gambling": Examples(
        hit=("加入⟦网络赌博⟧平台", "⟦百家乐⟧真人荷官在线", "⟦博 彩 网站⟧"),
        nohit=("公司组织羽毛球比赛。", "严禁参与网络赌博。")),
    "drugs": Examples(
        hit=("出售⟦冰毒⟧", "⟦K粉⟧、摇头丸", "⟦大-麻⟧"),
        nohit=("珍爱生命，远离毒品。", "工业大麻研究进展", "冰雪运动")),
    "fraud": Examples(
        hit=("⟦兼职刷单⟧返利，日结", "⟦信用卡套现⟧秒到", "⟦代开發票⟧", "⟦刷·单⟧"),
        nohit=("项目配套现金流充足。", "反洗钱培训通知", "严禁发布刷单返利信息。")),
    "violence": Examples(
        hit=("再这样我就⟦弄死你⟧", "网上卖⟦炸药配方⟧", "⟦自制 炸弹⟧"),
        nohit=("加强安全生产管理。", "防范恐怖袭击应急演练")),
    "discrimination": Examples(
        hit=("招聘：⟦仅限男性⟧", "那个⟦娘炮⟧", "⟦已婚已育优先⟧"),
        nohit=("招聘：男女不限", "欢迎各地人才加入。")),
    "ad_law": Examples(
        hit=("我们的产品⟦销量第一⟧。", "业内⟦最佳→优秀⟧的解决方案", "⟦国家级⟧品质", "⟦100%⟧有效",
             {"body": "⟦独家→特色⟧首发", "channel": "marketing"},
             {"body": "张师傅说：“这是我做过⟦最好→优质⟧的产品。”", "channel": "marketing"},
             {"body": "公司荣获“⟦最佳⟧雇主”称号。", "channel": "external"}),
        nohit=("我们会第一时间通知大家。", "第一季度营收增长。", "最好是提前报名。", "第一，安全；第二，效率。",
               "任务100%完成", "本次为第一次培训。", "张师傅说：“这是我做过最好的产品。”",
               "目前全员培训覆盖率达到百分之百。", "公司荣获“最佳雇主”称号。", "他是我们部门最好的伙伴。",
               "请在设置里打开首选项。")),
}

RULES = (
    Rule("sensitive.mention", "info", None,
         "敏感词出现在禁止、防范或保护性表述中（如“严禁……”“涉及商业秘密……不得泄露”），按提及处理，仅作提示。",
         hit=("严禁发布⟦刷单返利⟧信息。", "涉及公司⟦商业秘密⟧的内容，不得在微信交流中泄露。"),
        nohit=("兼职刷单返利，日结。", "不得不说，这次活动办得很好。")),
)


class SensitiveCheck:
    name = NAME
    engine = "ahocorasick-rs"

    def __init__(self, matcher: Matcher, problems: tuple[str, ...], adlaw: AdLaw | None = None):
        self.matcher = matcher
        self.adlaw = adlaw
        lex = matcher.lexicon
        counts = {c: 0 for c in lex.categories}
        for t in lex.terms:
            counts[t.category] = counts.get(t.category, 0) + 1
        empty = [c for c, n in counts.items() if n == 0]
        self.status = "ok"
        self.detail = (f"{len(lex.terms)} terms in {len(counts)} categories, {len(lex.allow)} allowed phrases; "
                       f"built in {matcher.build_ms:.0f} ms"
                       + (f"; empty: {', '.join(empty)}" if empty else "")
                       + (f"; {len(problems)} lexicon lines skipped (see log)" if problems else ""))

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        channel = doc.draft.channel
        for field in doc.fields:
            for m in self.matcher.scan(field.text):
                hit = self._hit(m, field.name, field.text, channel)
                if hit is not None:
                    yield hit

    def _hit(self, m: Match, field: str, text: str, channel: str) -> Hit | None:
        cat = self.matcher.lexicon.categories.get(m.term.category)
        title = cat.title if cat else m.term.category
        written = text[m.start:m.end]
        how = {"pinyin": "（拼音）", "initials": "（拼音首字母）", "mixed": "（汉字与拼音混写）"}.get(m.form, "")
        message = f"{title}：词库词条“{m.term.text}”"
        if written != m.term.text:
            message += f"，原文写作“{written}”{how}"
        if m.cue:
            return Hit("sensitive.mention", field, m.start, m.end,
                       message + f"；位于“{m.cue}”之后，按提及处理", category=m.term.category)
        if m.term.category == "ad_law" and self.adlaw is not None:
            verdict = self.adlaw.judge(text, m.start, m.end, m.term.text, channel)
            if verdict is None:
                return None
            return Hit("sensitive.ad_law", field, m.start, m.end, f"{message}：{verdict.message}",
                       suggestions=verdict.suggestions, severity=verdict.severity, category="ad_law",
                       clause=cat.clause if cat else None)
        return Hit(f"sensitive.{m.term.category}", field, m.start, m.end, message,
                   severity=cat.severity_for(channel) if cat else None, category=m.term.category,
                   clause=cat.clause if cat else None)


def category_rules(ctx: LoadContext) -> Iterator[Rule]:
    """One rule per category of the loaded lexicons, as categories.toml describes it."""
    for name, cat in sensitive_lexicon.load_categories(ctx.lexicon_dirs).items():
        ex = EXAMPLES.get(name, Examples())
        # A category without examples is one whose terms only the company supplies (political).
        yield Rule(f"sensitive.{name}", cat.severity, cat.clause, cat.description or cat.title,
                   hit=ex.hit, nohit=ex.nohit, needs=None if ex.hit else "lexicon")


SPEC = CheckSpec(NAME, label="敏感内容", lt_category="SENSITIVE", issue_type="non-conformance", options=Options, order=90,
                 rules=RULES, rules_from_data=category_rules)


def build(ctx: LoadContext) -> SensitiveCheck:
    lex = sensitive_lexicon.load(ctx.lexicon_dirs)
    matcher = Matcher(lex, max_noise=ctx.typed(NAME).max_noise)
    return SensitiveCheck(matcher, lex.problems, adlaw.load(ctx.lexicon_dirs, wordbounds.load(ctx.lexicon_dirs)))
