"""Context signals of the typo check: names, official and company writing, numbers, enumerations,
titles; real-word frame rules; the error-severity false alarms they remove."""

from __future__ import annotations

import pytest

from app import lexicon, pipeline, resources
from app.checks.base import RunOptions
from app.document import parse
from app.models import Draft
from app.settings import Settings, bundled_lexicon_dir
from app.typo import charsets, context, lm, real_word
from app.typo.names import jieba_tagger, lac_tagger
from app.typo.segment import segmenter
from support import resources_for, run_draft

needs_lm = pytest.mark.skipif(lm.default_path() is None or charsets.load() is None,
                              reason="libime-data-language-model or pycorrector data not installed")


@pytest.fixture(scope="module")
def signals():
    return context.load([bundled_lexicon_dir()], ["星河云"], lac_tagger())


def at(text: str, signals, part: str, what: str) -> bool:
    return getattr(context.FieldContext.build(text, signals), what)(text.index(part))


@pytest.mark.parametrize("text,part", [("国家发展改革委发布通知", "委"), ("深化放管服改革", "管"),
                                       ("坚持稳就业促增收", "促"), ("干部任用凡提必审", "审"),
                                       ("推进医教协同", "医"), ("做到应保尽保", "尽"), ("他被行拘十日", "行"),
                                       ("星河云正式上线", "云")])
def test_official_phrases_and_company_words(text, part, signals):
    assert at(text, signals, part, "official_at")


@pytest.mark.parametrize("text,part", [("产值是十年前的5倍", "是"), ("共摆13桌", "桌"), ("开展30余场", "余"),
                                       ("建成30216万平", "平"), ("种植1600亩", "亩"), ("来了三百多人", "人")])
def test_numbers_with_measure_words(text, part, signals):
    assert at(text, signals, part, "numeric_at")


@pytest.mark.parametrize("text,part", [("提高效率", "效"), ("统一部署", "一"), ("是否十分必要", "分")])
def test_words_with_numerals_are_not_amounts(text, part, signals):
    assert not at(text, signals, part, "numeric_at")


def test_enumerations_titles_and_vocabulary(signals):
    text = "一是强化责任，二是完善制度；五是加强督查。这是一个问题。"
    ctx = context.FieldContext.build(text, signals, draft=lambda: text + "督查督查")
    assert ctx.enumeration_at(0) and ctx.enumeration_at(text.index("五"))
    assert not ctx.enumeration_at(text.index("是一个"))
    assert ctx.vocab_count("督查") == 3 and ctx.vocab_count("不在") == 0
    ctx = context.FieldContext.build("观看电影《长安长安》，他说“星河”很好，后来讲了一段很长很长的故事而已。", signals)
    assert ctx.title_at(5) and ctx.title_at(ctx.text.index("星")) and not ctx.title_at(0)


@pytest.mark.parametrize("make", [lambda: lac_tagger(), lambda: jieba_tagger(segmenter(frozenset()))])
def test_names_are_tagged_by_either_tagger(make):
    ctx = context.FieldContext.build("今天，张伟在北京参加了会议。", context.Signals((), (), make()))
    assert ctx.entity_at(3) == "PER" and ctx.entity_at(6) == "LOC" and ctx.entity_at(0) is None
    assert ctx.entity_at(9) is None


def test_lac_finds_rare_names_and_organisations(signals):
    ctx = context.FieldContext.build("陆帜然和徐玥明代表三钢集团参加比赛。", signals)
    assert ctx.entity_at(1) == "PER" and ctx.entity_at(5) == "PER" and ctx.entity_at(10) == "ORG"


def test_a_bad_official_pattern_is_refused(tmp_path):
    (tmp_path / "typo").mkdir()
    (tmp_path / "typo" / "official_patterns.txt").write_text("凡(提\n", encoding="utf-8")
    with pytest.raises(ValueError, match="official_patterns"):
        context.load([tmp_path])


def typo_hits(body: str, res=None, signals=None):
    res = res or resources_for("typo")
    check = res.checks["typo"]
    saved = check.signals
    if signals is not None:
        check.signals = signals
    try:
        return [(h.rule, body[h.start:h.end]) for h in check.run(parse(Draft(body=body)), RunOptions())]
    finally:
        check.signals = saved


NO_SIGNALS = context.Signals((), (), None)


@needs_lm
@pytest.mark.parametrize("body,wrong", [
    ("陆帜然和徐玥明参加了比赛。", "玥"),  # names
    ("今年产值是十年前的5倍。", "是"),  # a number with its measure word
    ("国家发展改革委发布通知。", "委"), ("深化放管服改革。", "放"), ("干部任用凡提必审。", "审"),
    ("坚持稳就业促增收。", "促"), ("推进医教协同。", "医"), ("提质增效，专精特新。", "新"),
    ("他因殴打他人被行拘十日。", "行"),  # was an error-severity repair 行→刑
    ("三钢集团召开大会。", "钢"),
])
def test_deliberate_writing_is_left_alone(body, wrong):
    # Without the signals the decision model alone may or may not show the repair (its own features:
    # a numeral nearby, the repair's kind); with them, nothing is shown.
    without = typo_hits(body, signals=NO_SIGNALS)
    assert all(rule == "typo.lm" for rule, _t in without)
    assert typo_hits(body) == []


@needs_lm
def test_company_words_are_never_flagged_by_any_typo_rule(tmp_path):
    body = "以经科技推出再此基础上的新品，请你邦我问问火车站在哪？"
    assert {r for r, _t in typo_hits(body)} == {"typo.confusion", "typo.real_word", "typo.lm"}
    (tmp_path / "protected.txt").write_text("以经科技\n再此基础\n邦我问问\n", encoding="utf-8")
    res = resources.load(settings=Settings(lexicon_dirs=str(tmp_path), data_dir=tmp_path / "data"), only={"typo"})
    assert typo_hits(body, res) == []
    report = pipeline.run(Draft(body=body, title="邦我问问上线"), res)
    assert [f for f in report.findings if f.check == "typo"] == []


def test_real_word_rules_examples():
    rules = real_word.parse(lexicon.read_lines([bundled_lexicon_dir()], "typo/real_word.tsv"))
    assert len(rules) >= 5
    for r in rules:
        assert r.hits and r.nohits, r.pattern.pattern
        for text in r.hits:
            assert [m.right for m in real_word.find(text, [r])] == [r.right], text
        for text in r.nohits:
            assert real_word.find(text, [r]) == [], text


def test_real_word_rules_refuse_bad_lines():
    for bad in ("(在", "在此\t再", "(再)(此)\t在", "只有一列"):
        with pytest.raises(real_word.RealWordError):
            real_word.parse([bad])


@pytest.mark.parametrize("body,rule,wrong,right", [
    ("做为公司的一员，我们要努力。", "typo.confusion", "做为", "作为"),
    ("我是公司的一份子。", "typo.confusion", "一份子", "一分子"),
    ("这次事故的做用很大。", "typo.confusion", "做用", "作用"),
    ("请出示身分证件。", "typo.confusion", "身分", "身份"),
    ("我们致力与提高服务质量。", "typo.confusion", "致力与", "致力于"),
    ("问题的关键在与落实。", "typo.confusion", "关键在与", "关键在于"),
    ("此事以经核实。", "typo.confusion", "以经", "已经"),
    ("再此基础上，我们提出了新的方案。", "typo.real_word", "再", "在"),
    ("我们在次向您表示感谢。", "typo.real_word", "在", "再"),
    ("本次活动有公司工会主办。", "typo.real_word", "有", "由"),
    ("时间象流水一样过去。", "typo.real_word", "象", "像"),
])
def test_listed_real_word_errors_are_found(body, rule, wrong, right):
    found = [(f.rule, f.text, f.suggestions[0]) for f in run_draft(body, "typo").findings]
    assert (rule, wrong, right) in found
    assert all(0 <= f.confidence <= 1 for f in run_draft(body, "typo").findings)


@pytest.mark.parametrize("body", ["做为人民服务的好干部，要心系群众。", "请大家出一份子钱。", "以经审计的报表为准。",
                                  "坚持以经开区为主阵地。", "坚持以经济建设为中心。", "会议在次日召开。",
                                  "每个项目都有专人负责。", "这种现象一样存在。", "完善与发展并重。"])
def test_correct_uses_of_the_same_characters_stay_clean(body):
    assert [f.rule for f in run_draft(body, "typo").findings if f.rule != "typo.lm"] == []


@pytest.mark.parametrize("body,right", [("这样可以很好的避免风险。", "地"), ("我们要更好的展现企业风采。", "地"),
                                        ("他激动的热泪盈眶。", "得")])
def test_de_di_de_after_manner_phrases(body, right):
    found = [(f.rule, f.suggestions) for f in run_draft(body, "grammar").findings]
    assert found == [("grammar.de_di_de", (right,))]


@pytest.mark.parametrize("body", ["我们一起品尝品尝这道菜。", "大家一个一个地进来。", "看着看着，他就睡着了。",
                                  "观看电影《长安长安》。", "你得小心了。", "实现更好的发展。", "这是很好的机会。",
                                  "他激动的心情难以平复。"])
def test_grammar_leaves_regular_doublings_and_modal_de_alone(body):
    assert run_draft(body, "grammar").findings == []


def test_doubled_words_outside_titles_are_still_found():
    found = [(f.rule, f.text) for f in run_draft("观看电影长安长安。请做好本职工作工作。", "grammar").findings]
    assert found == [("grammar.duplicate", "长安长安"), ("grammar.duplicate", "工作工作")]
