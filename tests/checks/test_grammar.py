"""The grammar check: 的/地/得, doubled words, paired conjunctions, long sentences."""

from __future__ import annotations

import pytest

from app import pipeline, resources
from app.config import load_config
from app.grammar import conjunctions, patterns
from app.models import Draft
from app.settings import Settings
from support import DATA, run_draft


def grammar(body, fmt="text"):
    return [(f.rule, f.text, f.suggestions) for f in run_draft({"body": body, "format": fmt}, "grammar").findings]


def test_de_di_de_suggestions_and_offsets():
    body = "经济会慢慢的好起来，材料准备的很充分，我得朋友也来了。"
    assert grammar(body) == [("grammar.de_di_de", "的", ("地",)), ("grammar.de_di_de", "的", ("得",)),
                             ("grammar.de_di_de", "得", ("的",))]
    report = run_draft(body, "grammar")
    assert [body[f.offset] for f in report.findings] == ["的", "的", "得"]
    assert [f.offset for f in report.findings] == [body.index("慢慢的") + 2, body.index("准备的") + 2,
                                                   body.index("我得") + 1]


@pytest.mark.parametrize("body", ["你说的很对。", "他写的文章很好。", "好好的一天。", "我得赶紧走了。", "他得到了表扬。",
                                  "这是我们的工作。", "积极的作用不容忽视。"])
def test_de_di_de_silent_on_correct_usage(body):
    assert [r for r, *_ in grammar(body) if r == "grammar.de_di_de"] == []


CLEAN_DE = [ln for ln in (DATA / "de_di_de_clean.txt").read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")]


@pytest.mark.parametrize("body", CLEAN_DE)
def test_manner_words_in_noun_phrases_keep_their_de(body):
    assert [r for r, *_ in grammar(body) if r == "grammar.de_di_de"] == []


def test_manner_word_needs_a_visible_verb_phrase_and_no_light_verb_before_it():
    check = resources.load(only={"grammar"}).checks["grammar"]
    from app.grammar import de_di_de
    from app.grammar.tokens import tokenize

    def found(text, words=check.particle_words):
        return [(text[p.start - 1:p.start + 1], p.right) for p in de_di_de.find(tokenize(check.seg, text), words)]

    assert found("目前他也在积极的找寻其他工作。") == [("极的", "地")]  # verb + pronoun
    assert found("就很不好意思的跟我们说对不起。") == [("思的", "地")]  # a preposition
    assert found("大家需要全面的梳理一下。") == [("面的", "地")]  # verb + quantity
    assert found("他认真的学习态度值得肯定。") == []  # a noun phrase
    assert found("会后大家进行了热烈的讨论。") == []  # 热烈 is no listed manner word; 讨论 closes the clause
    # After a verb that takes a noun phrase (作出 …) the same shape is a noun phrase.
    assert found("对此，公司作出积极的回应了。") == []
    import dataclasses
    assert found("对此，公司作出积极的回应了。", dataclasses.replace(check.particle_words, light_verbs=frozenset())) \
        == [("极的", "地")]


def test_duplicates_span_both_copies_and_spare_reduplication():
    found = grammar("我和和他讨论了本职工作工作。")
    assert [(t, s) for _r, t, s in found] == [("和和", ("和",)), ("工作工作", ("工作",))]
    legit = "请大家看看，常常想想，高高兴兴，谢谢，天天，人人，研究研究，等等。"
    assert grammar(legit) == []


def test_paired_conjunction_needs_the_wrong_partner_in_the_same_sentence():
    assert grammar("虽然天气很冷，所以我们没有出门。") == [("grammar.paired_conjunction", "所以", ("但是", "但", "可是"))]
    assert grammar("虽然天气很冷。所以我们没有出门。") == []  # a new sentence starts a new construction
    assert grammar("虽然天气很冷，但是路很近，所以我们走着去。") == []


def test_conjunction_table_rejects_malformed_lines():
    with pytest.raises(ValueError):
        conjunctions.parse(["虽然\t所以"])


def test_sentence_patterns_span_the_match_and_offer_whole_fixes():
    body = "通过这次培训，使我们认识到安全的重要性。预计大约三百人左右参加。停电的原因是线路老化造成的。"
    report = run_draft(body, "grammar")
    found = [(f.rule, f.severity, f.text, f.suggestions) for f in report.findings]
    assert found == [
        ("grammar.missing_subject", "error", "通过这次培训，使", ("这次培训使", "通过这次培训，")),
        ("grammar.redundant", "warning", "大约三百人左右", ("约三百人", "三百人左右")),
        ("grammar.mixed_construction", "warning", "原因是线路老化造成的", ("原因是线路老化",)),
    ]
    assert [body[f.offset:f.offset + f.length] for f in report.findings] == [f[2] for f in found]


def test_missing_subject_only_at_the_start_of_a_sentence():
    # With a subject before 通过 the sentence is whole; 使 as part of 使用 is no causative.
    assert grammar("公司通过调研，使产品更贴近客户需求。") == []
    assert grammar("通过审核后，使用新账号登录。") == []
    assert [r for r, *_ in grammar("今年业绩很好。由于大家的努力，使公司提前完成了任务。")] == ["grammar.missing_subject"]


def test_company_folder_adds_sentence_patterns(tmp_path):
    (tmp_path / "grammar").mkdir()
    (tmp_path / "grammar" / "sentence_patterns.tsv").write_text(
        "grammar.redundant\t涉及到\t涉及\t“涉及”已含“到”之意\n", encoding="utf-8")
    res = resources.load(settings=Settings(lexicon_dirs=str(tmp_path)), only={"grammar"})
    report = pipeline.run(Draft(body="本次调整涉及到三个部门。"), res)
    assert [(f.rule, f.text, f.suggestions) for f in report.findings] == [("grammar.redundant", "涉及到", ("涉及",))]


def test_sentence_pattern_table_rejects_unknown_rules_and_bad_patterns():
    rules = frozenset({"grammar.redundant"})
    with pytest.raises(ValueError, match="expected rule"):
        patterns.parse(["grammar.other\t大约\t约\t重复"], rules)
    with pytest.raises(ValueError, match="bad pattern"):
        patterns.parse(["grammar.redundant\t大约(\t约\t重复"], rules)


def test_long_sentence_limit_comes_from_config(tmp_path):
    cfg = tmp_path / "precheck.toml"
    cfg.write_text("[grammar]\nmax_sentence_chars = 10\n", encoding="utf-8")
    res = resources.load(settings=Settings(data_dir=tmp_path), config=load_config(cfg), only={"grammar"})
    report = pipeline.run(Draft(body="短句。这一句话一共有十二个字符呢。"), res)
    found = [(f.rule, f.text, f.severity) for f in report.findings]
    assert found == [("grammar.long_sentence", "这一句话一共有十二个字符呢。", "warning")]


def test_bad_sentence_limit_is_a_config_error(tmp_path):
    cfg = tmp_path / "precheck.toml"
    cfg.write_text('[grammar]\nmax_sentence_chars = "long"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="max_sentence_chars"):
        resources.load(settings=Settings(data_dir=tmp_path), config=load_config(cfg), only={"grammar"})


def test_grammar_skips_code(tmp_path):
    assert grammar("正文。\n\n```\nif a 和和 b\n```\n", "markdown") == []
