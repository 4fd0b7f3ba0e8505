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

from typing import Iterable

from ..document import Document
from ..rules import Rule
from ..sensitive import lexicon as sensitive_lexicon
from ..sensitive.matcher import Match, Matcher
from .base import Hit, LoadContext, RunOptions

NAME = "sensitive"
DEFAULT_MAX_NOISE = 2
DEFAULT_MAX_TERM_LENGTH = 32

RULES = (
    Rule("sensitive.confidential", "block", "四(一)4", "带涉密标识（密级、内部资料、商业秘密、请勿外传等）的内容不得发布。",
         hit=("本文件为⟦内部资料⟧，请注意。", "【⟦內部資料⟧】季度经营数据", "⟦内.部.资.料⟧：供参考", "⟦内 部 资 料⟧",
              "内\u200b部\u200b资\u200b料", "附件：⟦商业秘密⟧，仅限管理层。", "标注 ⟦CONFIDENTIAL⟧ 的文件"),
         nohit=("本周内部培训安排如下。", "我们要保守秘密。", "信息系统的机密性、完整性和可用性。", "内部。资料另行发送。",
                "严禁泄露公司商业秘密。")),
    Rule("sensitive.vulgar", "block", "三(四)1", "脏话、辱骂与粗俗用语。",
         hit=("你这个⟦傻逼⟧。", "⟦傻*逼⟧", "⟦傻 逼⟧", "真是⟦SB⟧", "⟦sha bi⟧ 一个", "⟦傻B⟧", "⟦ShaBi⟧", "⟦卧槽⟧，太厉害了", "what the ⟦FUCK⟧"),
         nohit=("USB 接口", "傻。逼", "他是一个好人。", "shell 脚本", "Subway 餐厅")),
    Rule("sensitive.gambling", "block", "三(一)3", "赌博、博彩及其推广用语。",
         hit=("加入⟦网络赌博⟧平台", "⟦百家乐⟧真人荷官在线", "⟦博 彩 网站⟧"),
         nohit=("公司组织羽毛球比赛。", "严禁参与网络赌博。")),
    Rule("sensitive.drugs", "block", "三(一)3", "毒品名称及交易用语。",
         hit=("出售⟦冰毒⟧", "⟦K粉⟧、摇头丸", "⟦大-麻⟧"),
         nohit=("珍爱生命，远离毒品。", "工业大麻研究进展", "冰雪运动")),
    Rule("sensitive.fraud", "block", "三(一)3", "刷单返利、套现、代开发票、杀猪盘等诈骗与违法金融用语。",
         hit=("⟦兼职刷单⟧返利，日结", "⟦信用卡套现⟧秒到", "⟦代开發票⟧", "⟦刷·单⟧"),
         nohit=("项目配套现金流充足。", "反洗钱培训通知", "严禁发布刷单返利信息。")),
    Rule("sensitive.violence", "error", "三(一)3", "暴力威胁、恐怖活动与武器制作用语。",
         hit=("再这样我就⟦弄死你⟧", "网上卖⟦炸药配方⟧", "⟦自制 炸弹⟧"),
         nohit=("加强安全生产管理。", "防范恐怖袭击应急演练")),
    Rule("sensitive.discrimination", "error", "三(四)1", "歧视性称呼，以及招聘中的歧视性条件。",
         hit=("招聘：⟦仅限男性⟧", "那个⟦娘炮⟧", "⟦已婚已育优先⟧"),
         nohit=("招聘：男女不限", "欢迎各地人才加入。")),
    Rule("sensitive.ad_law", "warning", "三(一)3",
         "《广告法》禁止的绝对化用语：内部发布为警告（warning），对外、营销发布为错误（error）。",
         hit=("我们的产品⟦销量第一⟧。", "业内⟦最佳⟧的解决方案", "⟦国家级⟧品质", "⟦100%⟧有效",
              {"body": "⟦独家⟧首发", "channel": "marketing"}),
         nohit=("我们会第一时间通知大家。", "第一季度营收增长。", "最好是提前报名。", "第一，安全；第二，效率。",
                "任务100%完成", "本次为第一次培训。")),
    Rule("sensitive.mention", "info", None,
         "敏感词出现在禁止、防范或保护性表述中（如“严禁……”“涉及商业秘密……不得泄露”），按提及处理，仅作提示。",
         hit=("严禁发布⟦刷单返利⟧信息。", "涉及公司⟦商业秘密⟧的内容，不得在微信交流中泄露。"),
         nohit=("兼职刷单返利，日结。", "不得不说，这次活动办得很好。")),
)


class SensitiveCheck:
    name = NAME
    engine = "ahocorasick-rs"

    def __init__(self, matcher: Matcher, problems: tuple[str, ...]):
        self.matcher = matcher
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
                yield self._hit(m, field.name, field.text, channel)

    def _hit(self, m: Match, field: str, text: str, channel: str) -> Hit:
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
        return Hit(f"sensitive.{m.term.category}", field, m.start, m.end, message,
                   severity=cat.severity_for(channel) if cat else None, category=m.term.category,
                   clause=cat.clause if cat else None)


def build(ctx: LoadContext) -> SensitiveCheck:
    opts = ctx.options(NAME)
    lex = sensitive_lexicon.load(ctx.lexicon_dirs)
    matcher = Matcher(lex, max_noise=int(opts.get("max_noise", DEFAULT_MAX_NOISE)))
    return SensitiveCheck(matcher, lex.problems)
