"""The claims check beyond its rule examples: context, longest match, lexicon extension."""

from __future__ import annotations

import pytest

from support import DATA, run_draft


def claims(draft):
    return [f for f in run_draft(draft, "claims").findings if f.rule == "claims.unverified"]


def test_longest_marker_wins_and_span_is_exact():
    body = "各位同事：据网传，本次年会将有神秘嘉宾！"
    [f] = claims(body)
    assert (f.text, f.offset, f.severity, f.clause) == ("据网传", 5, "warning", "三(一)1")


@pytest.mark.parametrize("body", ["听说明天放假。", "据说食堂要涨价了。", "有传言称公司将搬迁。", "这只是小道消息。",
                                  "坊间传闻新产品延期。", "消息人士称项目已暂停。"])
def test_markers(body):
    assert len(claims(body)) == 1


def test_prohibition_only_reaches_back_within_the_clause():
    assert claims("严禁传播未经证实的消息。") == []
    assert claims("请勿轻信、转发网传信息。") == []
    # A rule in the previous sentence does not excuse a rumour in this one.
    [f] = claims("不得迟到。据说下周开始考勤。")
    assert f.text == "据说"
    [f] = claims("不得迟到，据说下周开始考勤。")
    assert f.text == "据说"


def test_refutation_only_within_the_sentence():
    assert claims("网传我司将裁员，系谣言。") == []
    assert claims("坊间传闻公司将被收购，与事实不符。") == []
    [f] = claims("网传我司将裁员。具体情况不实的部分将另行说明。")
    assert f.text == "网传"


def test_allowed_phrases():
    assert claims("互联网传播规律研究；英语听说读写训练；据不完全统计，共 300 人参加。") == []


def test_markers_in_title_and_markdown():
    fs = claims({"title": "听说：食堂将搬迁", "body": "> 据说是**小道消息**。", "format": "markdown"})
    assert [(f.field, f.text) for f in fs] == [("title", "听说"), ("body", "据说"), ("body", "小道消息")]


def test_policy_never_triggers():
    policy = (DATA / "policy.md").read_text(encoding="utf-8")
    assert claims({"body": policy, "format": "markdown"}) == []


def test_company_lexicon_adds_markers(tmp_path):
    from app import pipeline, resources
    from app.models import Draft
    from app.settings import Settings

    extra = tmp_path / "lex"
    extra.mkdir()
    (extra / "claims.txt").write_text("# 公司补充\n内部群传\n", encoding="utf-8")
    res = resources.load(Settings(lexicon_dirs=str(extra), data_dir=tmp_path), only={"claims"})
    report = pipeline.run(Draft(body="内部群传下周调休，据说是真的。"), res)
    assert [f.text for f in report.findings] == ["内部群传", "据说"]
