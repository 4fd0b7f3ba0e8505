"""The approval tier classifier: context rules, evidence combination, findings, chains, configuration."""

from __future__ import annotations

import dataclasses

import pytest

from app.document import parse
from app.models import Draft, Finding
from app.settings import bundled_lexicon_dir
from app.tiering.rules import TierRulesError, load_dirs
from app.tiers import analyse, classify

RULES = dataclasses.replace(load_dirs([bundled_lexicon_dir()]), current_year=2026)


def tier_of(body: str, rules=RULES, findings=(), **fields):
    draft = Draft(body=body, **fields)
    tier = classify(parse(draft), list(findings), rules)
    assert_evidence(draft, tier)
    return tier


def assert_evidence(draft: Draft, tier) -> None:
    """Every reason carries a span of what was submitted: field, offset, length and the text there."""
    assert tier.reasons, "a tier always says why"
    for r in tier.reasons:
        assert r.code and r.message and r.clause, r
        assert r.field is not None and r.offset is not None and r.length is not None and r.text is not None, r
        if r.field in ("body", "title"):
            source = getattr(draft, r.field)
            assert r.length > 0 and source[r.offset:r.offset + r.length] == r.text, r
        elif r.field == "author.type":
            assert r.text == draft.author.type


def statuses(body: str, **fields) -> dict[str, str]:
    return {o.text: o.status for o in analyse(parse(Draft(body=body, **fields)), RULES).occurrences}


# --- a trigger counts only where the sentence asserts it of this company now -----------------

@pytest.mark.parametrize("body,trigger,status", [
    # knowledge posts: definitions, general statements, other companies, lesson topics
    ("并购是指一家企业通过购买股权取得另一家企业的控制权。", "并购", "generic"),
    ("按照行业关系，并购通常分为横向并购、纵向并购和混合并购。", "并购", "generic"),
    ("据公开报道，某电商平台本月裁员比例约10%。", "裁员", "generic"),
    ("另一家短视频公司则关停了部分海外业务。", "关停", "generic"),
    ("下一期我们将介绍并购中常见的估值方法。", "并购", "topic"),
    ("投资小课堂：什么是并购？", "并购", "question"),
    ("法律小贴士：经济性裁员有哪些条件", "裁员", "question"),
    # negation
    ("本次调整只涉及工作分工，不涉及裁员。", "裁员", "negated"),
    ("截至目前未发生人员伤亡。", "伤亡", "negated"),
    ("公司至今没有发生过数据泄露事件。", "数据泄露", "negated"),
    ("网传公司将大规模裁员，经核实纯属谣言。", "裁员", "negated"),
    # hypothesis and exercises
    ("如果公司明年上市，持股平台所持股份将设锁定期。", "上市", "hypothetical"),
    ("一旦发生安全事故，应立即停止作业并报告。", "安全事故", "hypothetical"),
    ("信息技术部组织了模拟数据泄露的应急演练。", "数据泄露", "simulated"),
    # history (current year pinned to 2026; two years back or more is history)
    ("2015年公司完成了首轮融资。", "融资", "historical"),
    ("回顾过去十年，公司先后完成三轮融资。", "融资", "historical"),
    ("2018年公司经历了一次重组，我从生产部调到了质量部。", "重组", "historical"),
])
def test_context_rules(body, trigger, status):
    assert statuses(body)[trigger] == status


@pytest.mark.parametrize("body,trigger", [
    ("公司未来三年将完成上市。", "上市"),                       # 未来 is not a negation
    ("公司不仅完成了融资，还扩大了产能。", "融资"),              # nor is 不仅
    ("公司已对若干部门进行重组。", "重组"),                     # 若干 is not a condition
    ("若本次收购顺利完成，公司将成为行业第二。", "收购"),        # 本次: a real, specific event
    ("2025年度公司实现净利润3.2亿元。", "净利润3.2亿元"),       # last year's results are current
    ("2015年以来公司累计完成三轮融资，今天宣布完成D轮融资。", "融资"),  # reaches up to now
    ("某客户以质量问题为由起诉公司，要求赔偿1200万元。", "起诉"),  # another party, but against us
    ("针对贵司反馈的问题，我司已启动召回。", "召回"),             # an external author's "you"
    ("三季度营业收入12.6亿元，同比增长18%。", "营业收入12.6亿元"),  # an unmarked sentence in news
])
def test_asserted_sentences_count(body, trigger):
    assert statuses(body)[trigger] == "asserted"


def test_knowledge_post_does_not_escalate():
    body = ("并购是兼并和收购的统称。企业进行并购的动机一般包括扩大市场份额、获取技术和人才。"
            "并购完成后，整合往往比交易本身更难。下一期我们将介绍并购中常见的估值方法。")
    tier = tier_of(body, title="投资小课堂：什么是并购？")
    assert tier.level == "department" and tier.content_category == "business_knowledge"


def test_knowledge_post_about_our_own_deal_escalates():
    body = "简单来说，并购就是通过购买股权取得另一家企业的控制权。本次我司将并购华创软件全部股权。"
    tier = tier_of(body, title="一文读懂我司本次并购")
    assert tier.level == "leadership"
    assert any(r.code == "trigger.capital" and r.text == "并购" for r in tier.reasons)


@pytest.mark.parametrize("body", [
    "本次研发中心内部分工调整不涉及裁员，也不涉及降薪。",
    "如果公司上市，员工持有的份额将按监管规定设定锁定期。",
    "2015年公司完成了首轮融资，第一款产品正式发布。",
    "多家互联网企业近期宣布裁员，行业正从扩张转向精细化运营。",
])
def test_non_assertions_stay_department(body):
    assert tier_of(body).level == "department"


def test_negation_of_one_trigger_leaves_the_others():
    tier = tier_of("公司决定对组织架构进行重组。本次重组不涉及裁员。")
    assert tier.level == "leadership"
    assert [r.text for r in tier.reasons] == ["重组"]


def test_history_and_now_in_one_post():
    body = "2017年，公司完成了首轮融资。九年后的今天，我们正式宣布完成D轮融资。"
    tier = tier_of(body)
    assert tier.level == "leadership"
    assert tier.reasons[0].offset == body.rindex("融资")  # the evidence is the current sentence


def test_history_boundary_follows_the_current_year():
    body = "2024年公司完成了B轮融资。"
    assert tier_of(body).level == "department"
    assert tier_of(body, rules=dataclasses.replace(RULES, current_year=2025)).level == "leadership"


# --- weights and combination across sentences ---------------------------------------------

def test_weak_evidence_alone_does_not_escalate():
    assert tier_of("公司决定暂停新增招聘。").level == "department"
    assert tier_of("请各部门于10月20日前提交下一年度预算编制表。").level == "department"


def test_weak_evidence_combines_across_sentences():
    tier = tier_of("上半年公司出现亏损。公司决定暂停新增招聘。")
    assert tier.level == "leadership"
    assert {r.code for r in tier.reasons} == {"trigger.finance_data", "trigger.personnel_weak"}


def test_repeating_one_weak_word_does_not_add_up():
    assert tier_of("公司决定暂停新增招聘。暂停新增招聘期间，急需岗位可申请例外。").level == "department"


def test_threshold_is_configuration():
    strict = dataclasses.replace(RULES, threshold=0.5)
    assert tier_of("公司决定暂停新增招聘。", rules=strict).level == "leadership"


def test_finance_amounts_with_units():
    for body in ("上半年公司综合毛利率提升至32.5%。", "实现净利润1.35亿元。", "经营性现金流净额为3800万元。",
                 "公司批准研发投入预算2.4亿元。"):
        assert tier_of(body).level == "leadership", body
    assert tier_of("毛利率是毛利与营业收入的比率。").level == "department"


# --- findings of other checks ---------------------------------------------------------------

def _finding(body: str, text: str, rule: str, severity: str) -> Finding:
    at = body.index(text)
    return Finding(check=rule.split(".")[0], rule=rule, severity=severity, message=rule, offset=at,
                   length=len(text), text=text)


@pytest.mark.parametrize("rule,severity", [
    ("privacy.credential", "block"), ("privacy.private_key", "block"), ("privacy.access_key", "error"),
    ("sensitive.confidential", "warning"), ("sensitive.gambling", "block"),
])
def test_findings_escalate(rule, severity):
    body = "测试环境已部署，管理员密码Test@2026!，请勿外传。"
    f = _finding(body, "密码Test@2026!", rule, severity)
    tier = tier_of(body, findings=[f])
    assert tier.level == "leadership"
    r = tier.reasons[0]
    assert r.code in ("finding.sensitive", "finding.block") and rule in r.message
    assert (r.field, r.offset, r.length, r.text) == ("body", f.offset, f.length, f.text)


def test_ordinary_findings_do_not_escalate():
    body = "会议定于XX月XX日召开。"
    assert tier_of(body, findings=[_finding(body, "XX月XX日", "placeholder.xx", "error")]).level == "department"


# --- approver chains ------------------------------------------------------------------------

def roles(tier) -> list[str]:
    return [a.role for a in tier.approvers]


def test_chains():
    plain, major = "食堂午餐时间调整为11:30至13:30。", "经公司研究决定，任命张伟为华东区域总经理。"
    ext = {"author": {"type": "external", "name": "服务商"}}
    assert roles(tier_of(plain)) == ["department_head"]
    assert [a.title for a in tier_of(plain).approvers] == ["部门负责人"]
    t = tier_of(plain, **ext)
    assert t.level == "external" and roles(t) == ["business_department_head", "supervising_leader"]
    assert [a.title for a in t.approvers] == ["相关业务部门负责人", "分管领导"]
    assert t.reasons[0].code == "author.external" and t.reasons[0].clause == "三(三)3"
    t = tier_of(major)
    assert t.level == "leadership" and roles(t) == ["department_head", "senior_leadership"]
    assert t.approvers[-1].title == "公司高层领导"
    t = tier_of(major, **ext)
    assert t.level == "leadership"
    assert roles(t) == ["business_department_head", "supervising_leader", "senior_leadership"]
    assert [r.code for r in t.reasons][:2] == ["author.external", "trigger.personnel"]


def test_department_reason_points_at_what_the_post_announces():
    t = tier_of("各部门：\n国庆节放假7天。", title="国庆节放假安排")
    assert t.reasons[0].code == "general" and t.reasons[0].clause == "三(三)1"
    assert (t.reasons[0].field, t.reasons[0].text) == ("title", "国庆节放假安排")
    assert tier_of("国庆节放假7天。请做好安全检查。").reasons[0].text == "国庆节放假7天。"


def test_evidence_is_in_source_coordinates():
    md = "## 10月快报\n\n| 指标 | 本月 |\n|---|---|\n| 净利润 | **3,600万元** |\n"
    t = tier_of(md, format="markdown")
    assert t.level == "leadership"
    html = "<p>公司决定<b>裁员</b>约80人&amp;提供转岗。</p>"
    t = tier_of(html, format="html")
    assert t.level == "leadership" and t.reasons[0].text == "裁员" and html[t.reasons[0].offset - 3:][:3] == "<b>"


# --- company configuration --------------------------------------------------------------------

def company(tmp_path, text: str):
    (tmp_path / "tiers.toml").write_text(text, encoding="utf-8")
    return dataclasses.replace(load_dirs([bundled_lexicon_dir(), tmp_path]), current_year=2026)


def test_company_terms_weights_and_department_chain(tmp_path):
    rules = company(tmp_path, """
[roles]
finance_director = "财务总监"
[departments."财务部"]
approvers = ["department_head", "finance_director"]
[groups.personnel]
terms = ["末位淘汰"]
[groups.product]
clause = "三(三)2"
weight = 1.0
message = "涉及未发布的新产品"
terms = ["星河二号"]
[groups.budget]
weight = 1.0
""")
    assert tier_of("公司将对销售岗位实行末位淘汰。", rules=rules).level == "leadership"
    assert tier_of("星河二号将于下月亮相。", rules=rules).reasons[0].code == "trigger.product"
    assert tier_of("请提交预算编制表。", rules=rules).level == "leadership"
    assert "任命" in next(g for g in rules.groups if g.name == "personnel").terms  # bundled terms kept
    fin = {"author": {"department": "财务部"}}
    t = tier_of("差旅报销改为线上提交。", rules=rules, **fin)
    assert [a.title for a in t.approvers] == ["部门负责人", "财务总监"]
    t = tier_of("公司任命刘芳为财务部副总监。", rules=rules, **fin)
    assert roles(t) == ["department_head", "finance_director", "senior_leadership"]
    assert roles(tier_of("差旅报销改为线上提交。", rules=rules)) == ["department_head"]


def test_company_can_remove_a_term(tmp_path):
    rules = company(tmp_path, '[groups.capital]\nremove = ["估值"]\n')
    assert tier_of("公司估值已超过百亿元。", rules=rules).level == "department"
    assert tier_of("公司估值已超过百亿元。").level == "leadership"


@pytest.mark.parametrize("text,message", [
    ('[departments."财务部"]\napprovers = ["cfo"]\n', "no title"),
    ('[groups.x]\npatterns = ["(unclosed"]\n', "bad pattern"),
    ('[groups.x]\nterms = "裁员"\n', "list of strings"),
    ("[groups.x\n", "not valid TOML"),
])
def test_bad_company_file_is_reported(tmp_path, text, message):
    with pytest.raises(TierRulesError, match=message):
        company(tmp_path, text)


# --- content category ---------------------------------------------------------------------------

@pytest.mark.parametrize("title,body,category", [
    ("OA系统升级维护通知", "信息技术部将于本周六对OA系统进行升级维护，请提前处理待办事项。", "work_update"),
    ("技术分享：代码性能优化的技巧", "本文分享几个实用技巧：优先使用内置函数，用生成器代替大列表。", "business_knowledge"),
    ("秋季职工篮球赛圆满落幕", "研发队夺得冠军，比赛展现了团结协作的团队精神。", "corporate_culture"),
    ("出闲置自行车", "九成新山地车转让，可小刀，私聊。", "other"),
])
def test_content_category(title, body, category):
    assert tier_of(body, title=title).content_category == category


@pytest.mark.parametrize("body,level", [
    ("总部决定明年起将生产基地整体迁往成都。", "leadership"),
    ("集团副总裁王磊因个人原因辞职，即日起生效。", "leadership"),
    ("公司收到税务局的补税通知，需补缴税款及滞纳金共计460万元。", "leadership"),
    ("我司某款APP因违规收集个人信息被工信部通报。", "leadership"),
    ("今年公司净利润预计同比下滑约40%。", "leadership"),
    ("合并报表是指母公司把子公司的财务数据合在一起编制的报表。", "department"),
    ("没有任何一家企业能永远避免舆情，关键在于如何应对。", "department"),
    ("假如公司发生火灾，请沿疏散指示标志撤离。", "department"),
    ("2012年公司在上海证券交易所上市，这是我们发展的里程碑。", "department"),
    ("财务部提醒：报销截止日期为每月25日。", "department"),
])
def test_major_matters_in_other_words(body, level):
    assert tier_of(body).level == level


def test_code_is_not_prose():
    md = "示例配置：\n\n```\nlayoff_reason = \"裁员\"\n```\n\n请按示例填写。"
    assert tier_of(md, format="markdown").level == "department"
    assert tier_of("公司决定裁员。\n\n```\nx = 1\n```", format="markdown").level == "leadership"


def test_hostile_repetition_is_bounded():
    from app.tiering.classifier import MAX_PER_WORD
    occ = analyse(parse(Draft(body="不裁员" * 5000)), RULES).occurrences
    assert 0 < len(occ) <= MAX_PER_WORD * len(RULES.groups)
