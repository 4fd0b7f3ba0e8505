"""The style check beyond its rule examples: spans, suggestions, configuration, markup artefacts."""

from __future__ import annotations

import pytest

from app.checks.style import space_edits
from support import DATA, run_draft


def style(draft, rule: str | None = None):
    findings = run_draft(draft, "style").findings
    return [f for f in findings if rule is None or f.rule == rule]


def load_style(tmp_path, toml: str = "", lexicon: dict[str, str] | None = None):
    from app import resources
    from app.config import load_config
    from app.settings import Settings

    cfg = tmp_path / "precheck.toml"
    cfg.write_text(toml, encoding="utf-8")
    lex = tmp_path / "lex"
    for rel, content in (lexicon or {}).items():
        (lex / rel).parent.mkdir(parents=True, exist_ok=True)
        (lex / rel).write_text(content, encoding="utf-8")
    settings = Settings(lexicon_dirs=str(lex), data_dir=tmp_path)
    return resources.load(settings, load_config(cfg), only={"style"})


def run_with(res, body: str, fmt: str = "text"):
    from app import pipeline
    from app.models import Draft
    return pipeline.run(Draft(body=body, format=fmt), res).findings


# --- invisible characters -------------------------------------------------------------------------

@pytest.mark.parametrize("ch", ["\u200b", "\u200c", "\u200d", "\u2060", "\u202a", "\u202b", "\u202c", "\u202d",
                                "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_each_invisible_character_is_an_error(ch):
    body = f"报名截止{ch}时间为周五。"
    [f] = style(body, "style.invisible")
    assert f.text == ch and f.severity == "error" and f.offset == 4 and f.suggestions == ("",)
    assert f"U+{ord(ch):04X}" in f.message


def test_bom_only_at_the_start_is_allowed():
    assert style("\ufeff各位同事：", "style.invisible") == []
    [f] = style("各位\ufeff同事：", "style.invisible")
    assert f.text == "\ufeff"


def test_run_of_invisible_characters_is_one_finding():
    [f] = style("合同\u202e\u2066金额\u2069\u202c如下", "style.invisible")[:1]
    assert f.text == "\u202e\u2066"


def test_invisible_in_code_is_still_reported():
    src = "示例：`ab\u200bc`"
    [f] = style({"body": src, "format": "markdown"}, "style.invisible")
    assert src[f.offset:f.offset + f.length] == "\u200b"


def test_invisible_written_as_an_html_entity():
    src = "<p>金额&#x202E;021&zwj;元</p>"
    fs = style({"body": src, "format": "html"}, "style.invisible")
    assert [f.text for f in fs] == ["&#x202E;", "&zwj;"]


# --- brackets and quotes --------------------------------------------------------------------------

def test_mismatched_nesting_reports_the_unclosed_opener():
    [f] = style("请阅读《员工手册（修订版》。", "style.bracket")
    assert f.text == "（" and f.offset == 8


def test_unmatched_closer():
    [f] = style("会议改期）。", "style.bracket")
    assert f.text == "）" and "（" in f.message


def test_brackets_are_balanced_per_paragraph():
    fs = style("第一段（说明\n\n第二段）结束", "style.bracket")
    assert [f.text for f in fs] == ["（", "）"]


def test_markdown_markup_does_not_unbalance_brackets():
    src = ("# 标题\n\n请见[附件一](https://example.com/a(1).pdf)和![图](b.png)。\n\n"
           "- [x] 已完成\n- 行内 `arr[0` 代码\n\n```\nif (a {\n```\n")
    assert style({"body": src, "format": "markdown"}, "style.bracket") == []


def test_html_entities_for_brackets_are_plain_brackets():
    src = "<p>详见&lt;附件&gt;与&ldquo;说明&rdquo;（第&nbsp;3&nbsp;条）</p>"
    assert style({"body": src, "format": "html"}, "style.bracket") == []
    [f] = style({"body": "<p>&ldquo;说明</p>", "format": "html"}, "style.bracket")
    assert f.text == "&ldquo;"


# --- punctuation ------------------------------------------------------------------------------------

def test_repeated_punctuation_suggestions():
    fs = style("好！！！真的？？请看。。。", "style.repeated_punct")
    assert [(f.text, f.suggestions) for f in fs] == [("！！！", ("！",)), ("？？", ("？",)), ("。。。", ("……",))]


def test_halfwidth_punctuation_span_and_suggestion():
    body = "为加强公司微信账号的管理与使用,规范员工微信行为"
    [f] = style(body, "style.halfwidth_punct")
    assert (f.offset, f.text, f.suggestions) == (body.index(","), ",", ("，",))


def test_halfwidth_punctuation_in_policy_is_found():
    policy = (DATA / "policy.md").read_text(encoding="utf-8")
    fs = style({"body": policy, "format": "markdown"}, "style.halfwidth_punct")
    assert len(fs) > 50 and {f.text for f in fs} <= {",", ":", ";", "!", "?", "."}


# --- spacing --------------------------------------------------------------------------------------

def test_space_edits():
    assert space_edits("中文English", "中文 English") == [(2, 2)]
    assert space_edits("你好 ，世界", "你好，世界") == [(2, 3)]
    assert space_edits("abc", "abd") is None
    assert space_edits("同样", "同样") == []


def test_whole_text_and_per_line_edits_agree():
    import autocorrect_py

    from app.checks.style import _edits_by_line
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((DATA / "clean").glob("*.txt")))
    run_draft("预热", "style")  # loads the check, which configures autocorrect
    whole = space_edits(text, autocorrect_py.format(text))
    assert whole and whole == sorted(_edits_by_line(text))


def test_spacing_span_and_suggestion():
    body = "欢迎使用WeChat小程序。"
    fs = style(body, "style.cjk_spacing")
    assert [(f.text, f.suggestions) for f in fs] == [("用W", ("用 W",)), ("t小", ("t 小",))]


def test_spacing_never_swallows_markup():
    src = "本次升级由[IT部](https://it.example.com)负责，使用**VPN**登录。"
    for f in style({"body": src, "format": "markdown"}, "style.cjk_spacing"):
        assert "[" not in f.text and "*" not in f.text
        fixed = src[:f.offset] + f.suggestions[0] + src[f.offset + f.length:]
        assert fixed.count("[") == 1 and fixed.count("**") == 2


def test_spacing_skips_placeholders_urls_and_fixed_terms():
    assert style("会议定于XX月XX日召开，A股、T恤均可。", "style.cjk_spacing") == []
    assert style("详见 https://example.com/a 。", "style.cjk_spacing") == []


def test_spacing_digits_can_be_turned_off(tmp_path):
    res = load_style(tmp_path, "[style]\nspacing_digits = false\n")
    fs = run_with(res, "共有120人使用WeChat。")
    assert [f.text for f in fs if f.rule == "style.cjk_spacing"] == ["用W"]


def test_spacing_rule_can_be_disabled(tmp_path):
    res = load_style(tmp_path, '[rules]\n"style.cjk_spacing" = false\n')
    assert [f for f in run_with(res, "欢迎使用WeChat小程序") if f.rule == "style.cjk_spacing"] == []


# --- traditional characters -----------------------------------------------------------------------

def test_adjacent_traditional_characters_form_one_finding():
    fs = style("本次發佈會將於下週舉行。", "style.traditional")
    assert [(f.text, f.suggestions) for f in fs] == [("發佈會將於", ("发布会将于",)), ("週舉", ("周举",))]


def test_traditional_in_code_is_not_reported():
    assert style({"body": "代码 `print('繁體')` 如下。", "format": "markdown"}, "style.traditional") == []


def test_company_words_are_allowed(tmp_path):
    res = load_style(tmp_path, lexicon={"style/simplified_ok.txt": "於梨华\n"})
    fs = run_with(res, "作家於梨华的作品。發佈会。")
    assert [f.text for f in fs if f.rule == "style.traditional"] == ["發佈"]


# --- markup artefacts -----------------------------------------------------------------------------

def test_clean_markdown_and_html_have_no_typographic_findings():
    md = ("# 关于举办读书月活动的通知\n\n各位同事：\n\n读书月活动将于 4 月 1 日开始，详见"
          "[活动页面](https://example.com/read)（报名入口）。\n\n| 项目 | 时间 |\n| --- | --- |\n"
          "| 开幕式 | 4 月 1 日 |\n\n> 请使用 `read-2026` 作为报名口令的前缀。\n\n**欢迎参加！**\n")
    html = ("<h1>关于举办读书月活动的通知</h1><p>各位同事：</p><p>读书月活动将于 4 月 1 日开始，详见"
            "<a href=\"https://example.com/read\">活动页面</a>（报名入口）。</p>"
            "<table><tr><td>开幕式</td><td>4 月 1 日</td></tr></table><p><b>欢迎参加！</b>&nbsp;</p>")
    for draft in ({"body": md, "format": "markdown"}, {"body": html, "format": "html"}):
        assert style(draft) == [], draft["format"]


def test_findings_per_rule_are_capped():
    from app.checks.limits import MAX_PER_RULE
    fs = style("（" * (MAX_PER_RULE + 300) + "中,文" * (MAX_PER_RULE + 5))
    counts = {r: sum(f.rule == r for f in fs) for r in ("style.bracket", "style.halfwidth_punct")}
    assert counts == {"style.bracket": MAX_PER_RULE, "style.halfwidth_punct": MAX_PER_RULE}
