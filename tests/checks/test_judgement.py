"""Judgement of the checks on real drafts: the labelled sentences of tests/data/judgement/ (what
bench/judgement.py measures), the clean corpus and the policy, evasions, entities, the company's domains."""

from __future__ import annotations

import importlib.util

import pytest
from support import DATA, ROOT, run_draft

_spec = importlib.util.spec_from_file_location("judgement", ROOT / "bench" / "judgement.py")
judgement = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(judgement)

CLEAN = sorted((DATA / "clean").glob("*.txt")) + sorted((DATA / "clean_corpus").glob("*.txt"))


@pytest.mark.parametrize("channel,expected,body", judgement.rows("ad_law.tsv"))
def test_ad_law_by_channel_and_context(channel, expected, body):
    report = run_draft({"body": body, "channel": channel}, "sensitive")
    found = [f for f in report.findings if f.rule == "sensitive.ad_law" and f.severity in ("warning", "error", "block")]
    assert bool(found) == (expected == "ad"), (body, found)
    for f in found:
        # The message says why the word is a problem where it is published.
        assert "广告法" in f.message and ("商业广告" in f.message or "广告内容" in f.message)
        if channel == "marketing":
            assert f.severity == "error"


def test_ad_law_messages_propose_a_neutral_wording():
    (f,) = [f for f in run_draft({"body": "业内最佳的解决方案", "channel": "marketing"}, "sensitive").findings
            if f.rule == "sensitive.ad_law"]
    assert f.suggestions[0] == "优秀" and "可改为“优秀”" in f.message
    (g,) = [f for f in run_draft({"body": "公司荣获“最佳雇主”称号。", "channel": "marketing"}, "sensitive").findings
            if f.rule == "sensitive.ad_law"]
    assert g.severity == "info" and "颁奖机构" in g.message


def test_a_company_product_name_holding_an_ad_law_word_is_a_name(tmp_path, monkeypatch):
    from app import pipeline, resources
    from app.models import Draft
    from app.settings import Settings
    (tmp_path / "protected.txt").write_text("王牌卫士\n", encoding="utf-8")
    monkeypatch.setenv("PRECHECK_LEXICON_DIRS", str(tmp_path))
    monkeypatch.setenv("PRECHECK_DATA_DIR", str(tmp_path / "data"))
    res = resources.load(Settings(), only={"sensitive"})
    named = pipeline.run(Draft(body="王牌卫士净水器今日发布。", channel="marketing"), res)
    assert not [f for f in named.findings if f.rule == "sensitive.ad_law"]
    bare = pipeline.run(Draft(body="王牌服务今日发布。", channel="marketing"), res)
    assert [f.text for f in bare.findings if f.rule == "sensitive.ad_law"] == ["王牌"]


@pytest.mark.parametrize("line,expected", judgement.rows("credits.tsv"))
def test_credit_or_caption(line, expected):
    from app.media.credit import CreditLexicon
    from app.settings import bundled_lexicon_dir
    assert ("credit" if CreditLexicon([bundled_lexicon_dir()]).read(line).named else "caption") == expected


@pytest.mark.parametrize("address,expected", judgement.rows("mailboxes.tsv"))
def test_role_or_personal_mailbox(address, expected):
    report = run_draft(f"联系邮箱：{address}", "privacy")
    assert bool([f for f in report.findings if f.rule == "privacy.email"]) == (expected == "personal")


def test_a_colleague_at_the_company_domain_is_info_an_outside_address_a_warning(tmp_path, monkeypatch):
    from app import pipeline, resources
    from app.models import Draft
    from app.settings import Settings
    (tmp_path / "privacy").mkdir()
    (tmp_path / "privacy" / "company_domains.txt").write_text("example.com\n", encoding="utf-8")
    (tmp_path / "privacy" / "role_mailboxes.txt").write_text("wsjb@example.com\n", encoding="utf-8")
    monkeypatch.setenv("PRECHECK_LEXICON_DIRS", str(tmp_path))
    monkeypatch.setenv("PRECHECK_DATA_DIR", str(tmp_path / "data"))
    res = resources.load(Settings(), only={"privacy"})
    body = "联系人：张三 zhangsan@mail.example.com，王芳 wangfang@163.com；卫生检查举报 wsjb@example.com"
    found = {f.text: f.severity for f in pipeline.run(Draft(body=body), res).findings if f.rule == "privacy.email"}
    assert found == {"zhangsan@mail.example.com": "info", "wangfang@163.com": "warning"}


def test_evasions_with_two_marks_and_spelled_out_initials(tmp_path, monkeypatch):
    from app import pipeline, resources
    from app.models import Draft
    from app.settings import Settings
    (tmp_path / "sensitive").mkdir()
    (tmp_path / "sensitive" / "confidential.txt").write_text("云杉方案\nZQX内参\n中汽协内参 | initials\n",
                                                             encoding="utf-8")
    monkeypatch.setenv("PRECHECK_LEXICON_DIRS", str(tmp_path))
    monkeypatch.setenv("PRECHECK_DATA_DIR", str(tmp_path / "data"))
    res = resources.load(Settings(), only={"sensitive"})

    def found(body):
        return [f.text for f in pipeline.run(Draft(body=body), res).findings if f.rule == "sensitive.confidential"]

    assert found("请查阅云、、杉__方..案。") == ["云、、杉__方..案"]
    assert found("附件为Z*Q*X*内*参。") == ["Z*Q*X*内*参"]
    assert found("附件为Z.Q.X.N.C。") == []  # initials written apart stay unmatched (x c j h)
    # Ordinary prose that happens to hold the characters is no chain: only characters each standing alone are.
    assert found("公司的云，杉，方案都很好。") == []
    assert found("这里的云、杉方案。") == []
    assert found("附件为z q x。") == []
    # A Latin term alone stays joined: spelled out, two or three letters are any letters.
    (tmp_path / "sensitive" / "vulgar.txt").write_text("SB\n", encoding="utf-8")
    res2 = resources.load(Settings(), only={"sensitive"})
    assert [f.text for f in pipeline.run(Draft(body="It's b, S*B and SB."), res2).findings
            if f.rule == "sensitive.vulgar"] == ["SB"]


def test_entities_in_plain_text_but_not_in_html():
    text = run_draft("报名时间：周五&nbsp;下午两点，研发&amp;测试中心", "style")
    assert [(f.text, f.suggestions[0]) for f in text.findings if f.rule == "style.html_entity"] == \
        [("&nbsp;", " "), ("&amp;", "&")]
    html = run_draft({"body": "<p>报名时间：周五&nbsp;下午</p>", "format": "html", "title": "通知&nbsp;"}, "style")
    assert [(f.field, f.text) for f in html.findings if f.rule == "style.html_entity"] == [("title", "&nbsp;")]


def test_a_link_note_must_speak_of_the_link():
    def found(body):
        return [f.rule for f in run_draft({"body": body, "format": "html"}, "link").findings]
    assert "link.description" in found('<p>报名请点<a href="https://example.com/s">这里</a>，咨询请联系带队老师</p>')
    assert "link.description" not in found('<p>报名请点<a href="https://example.com/s">这里</a>，填写报名表</p>')


@pytest.mark.parametrize("path", CLEAN, ids=[p.stem for p in CLEAN])
def test_clean_corpus_has_no_error_or_block(path):
    report = run_draft(path.read_text(encoding="utf-8"))
    assert [(f.rule, f.text) for f in report.findings if f.severity in ("error", "block")] == []


def test_policy_has_no_error_or_block_but_its_own_placeholders():
    # The policy's source carries "[X]" where the penalty figures were never filled in: those are
    # real unfilled placeholders, the only thing the policy text may be blamed for.
    report = run_draft({"body": (DATA / "policy.md").read_text(encoding="utf-8"), "format": "markdown"})
    serious = [(f.rule, f.text) for f in report.findings if f.severity in ("error", "block")]
    assert serious and all(s == ("placeholder.bracket", "[X]") for s in serious)
