"""Acceptance for the sensitive-word engine: every term of a test lexicon (tests/data/sensitive_lexicon,
loaded through PRECHECK_LEXICON_DIRS) is found in every evasion form with the exact span written;
allowed phrases, terms broken by a sentence end and over-long noise are not; the company policy and
clean corporate text get no block finding."""

from __future__ import annotations

import opencc
import pytest

from app import pipeline, resources
from app.models import Draft
from app.settings import Settings
from support import DATA

LEXICON = DATA / "sensitive_lexicon"
POLICY = DATA / "policy.md"  # a copy of the company policy (../shared/policy.md)
PREFIX, SUFFIX = "请查看", "的说明。"
RULE = "sensitive.acceptance"


@pytest.fixture(scope="module")
def res(monkeypatch_module):
    monkeypatch_module.setenv("PRECHECK_LEXICON_DIRS", str(LEXICON))
    return resources.load(Settings(), only={"sensitive"})


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def run(res, body: str, **draft):
    return pipeline.run(Draft(body=body, **draft), res).findings


def _fullwidth(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in s)


def _mixed_case(s: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(s))


SEPARATORS = [" ", "  ", "*", "**", ".", "-", "_", "·", "/", "|", "~", "\u3000", "😀", "★",
              "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", " \u200b"]
T2T = opencc.OpenCC("s2t")


def forms(term: str, pinyin: str | None = None, initials: str | None = None) -> list[str]:
    """Every evasion form of a term that the engine must report."""
    chars = term.replace(" ", "")
    out = [term, T2T.convert(term), _fullwidth(term), _mixed_case(term), term.upper()]
    out += [sep.join(chars) for sep in SEPARATORS]
    out += [_fullwidth(" ".join(chars)), T2T.convert("*".join(chars)), _mixed_case(".".join(chars))]
    if pinyin:
        syllables = pinyin.split()
        out += ["".join(syllables), " ".join(syllables), "-".join(syllables), _mixed_case("".join(syllables)),
                "".join(s.capitalize() for s in syllables), _fullwidth("".join(syllables)),
                term[0] + "".join(syllables[1:])]
    if initials:
        out += [initials, initials.upper(), _fullwidth(initials.upper())]
    return list(dict.fromkeys(out))


TERMS = [("黄金配方", None, None), ("内部价格表", None, None), ("星辰计划", "xing chen ji hua", "xcjh"),
         ("蓝海项目", "lan hai xiang mu", None), ("project nova", None, None)]
CASES = [(term, form) for term, py, ini in TERMS for form in forms(term, py, ini)]


@pytest.mark.parametrize("term,form", CASES, ids=[f"{t}|{f!r}" for t, f in CASES])
def test_every_evasion_form_is_reported_with_its_exact_span(res, term, form):
    body = PREFIX + form + SUFFIX
    hits = [f for f in run(res, body) if f.rule == RULE]
    assert len(hits) == 1, f"{form!r}: {hits}"
    f = hits[0]
    assert (f.offset, f.length, f.text) == (len(PREFIX), len(form), form)
    assert f.category == "acceptance" and f.clause == "四(一)4" and f.severity == "block"
    assert f"“{term}”" in f.message


@pytest.mark.parametrize("body", [
    "星辰计划书模板已经上传。",  # allowed phrase
    "星 辰 计 划 书 模 板",  # the allowed phrase written apart is still the allowed phrase
    "黄金。配方另附", "黄金！配方", "黄金？配方", "黄金；配方", "黄金…配方", "黄金\n配方", "内部价格\n表",
    "黄金.\n配方", "project. nova", "project!nova",  # sentence ends and line breaks
    "黄...金配方", "黄 * * 金配方",  # more noise than [sensitive] max_noise = 2
    "黄金，配方",  # prose punctuation between two words is not an evasion
    "projectnovalist", "myproject nova", "x c j h", "xcjhs", "sxcjh",  # Latin needs word edges; initials written whole
    "xing chen ji hua" .replace(" ", "") + "o",
])
def test_not_reported(res, body):
    assert [f for f in run(res, body) if f.rule == RULE] == [], body


def test_spelled_out_with_prose_punctuation_is_reported(res):
    body = "注意：黄，金，配，方！"
    (f,) = [f for f in run(res, body) if f.rule == RULE]
    assert f.text == "黄，金，配，方"


def test_spans_in_markdown_and_title_select_the_written_text(res):
    draft = {"body": "# 标题\n\n请看**內部價格表**和 `代码`。", "format": "markdown", "title": "关于星 辰 计 划"}
    report = pipeline.run(Draft(**draft), res)
    found = {(f.field, f.text) for f in report.findings if f.rule == RULE}
    assert ("title", "星 辰 计 划") in found
    body_hits = [f for f in report.findings if f.rule == RULE and f.field == "body"]
    assert body_hits and all(draft["body"][f.offset:f.offset + f.length] == f.text for f in body_hits)
    assert "內部價格表" in body_hits[0].text


def test_policy_text_gets_no_block_or_error(res):
    findings = run(res, POLICY.read_text(encoding="utf-8"), format="markdown")
    sensitive = [f for f in findings if f.check == "sensitive"]
    assert not [f for f in sensitive if f.severity in ("block", "error")], sensitive
    # 四(一)4 names 商业秘密 as a thing to protect: a mention, reported as info.
    assert any(f.rule == "sensitive.mention" and f.text == "商业秘密" for f in sensitive)


def test_clean_corporate_text_gets_no_sensitive_finding(res):
    text = (DATA / "sensitive_clean.txt").read_text(encoding="utf-8")
    assert [f for f in run(res, text) if f.check == "sensitive"] == []


@pytest.mark.parametrize("channel,severity", [("internal", "warning"), ("external", "error"), ("marketing", "error")])
def test_ad_law_severity_follows_the_channel(res, channel, severity):
    (f,) = [f for f in run(res, "本产品行业第一。", channel=channel) if f.rule == "sensitive.ad_law"]
    assert (f.severity, f.text, f.category) == (severity, "行业第一", "ad_law")
