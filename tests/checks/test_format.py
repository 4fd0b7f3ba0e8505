"""The format check (三(四)2) on WeChat / 135editor HTML, against the house style of precheck.toml."""

from __future__ import annotations

import pytest
from support import run_draft

from pydantic import ValidationError

from app.checks.base import RunOptions
from app.checks.format import FormatCheck, style_of
from app.config import ConfigError
from app.document import parse
from app.format.house import line_height, px
from app.models import Draft

ARTICLE = (
    '<section style="font-family: 微软雅黑, sans-serif; font-size: 15px; line-height: 1.75em; color: #3f3f3f;">'
    '<h2 style="font-size: 20px; text-align: center;">年终总结大会圆满召开</h2>'
    '<p style="text-align: justify;">12月28日，公司在总部召开年终总结大会，全体员工参加。会上表彰了年度优秀团队和个人。</p>'
    '<p style="text-align: justify;">大会要求各部门总结经验，<span style="font-size: 11px; color: #d9d9d9;">'
    '（本段文字较小）</span>为明年工作打好基础。</p>'
    '<p style="font-family: 楷体; line-height: 1.2;">——行政部</p>'
    '</section>')


def _found(body: str, **section) -> dict[str, str]:
    check = FormatCheck(style_of(section))
    doc = parse(Draft(body=body, format="html"))
    out = {}
    for h in check.run(doc, RunOptions()):
        s, e = h.source_span
        out.setdefault(h.rule, body[s:e])
    return out


def test_a_135editor_article_against_the_default_house_style():
    found = _found(ARTICLE)
    assert set(found) == {"format.font_size", "format.color", "format.mixed_fonts", "format.font_family",
                          "format.line_height"}
    # Each finding points at the tag whose style sets the value.
    assert "font-size: 11px" in found["format.font_size"] and found["format.font_size"].startswith("<span")
    assert "楷体" in found["format.font_family"] and "line-height: 1.2" in found["format.line_height"]


def test_findings_through_the_pipeline_carry_source_offsets_and_the_clause():
    report = run_draft({"body": ARTICLE, "format": "html"}, "format")
    fs = [f for f in report.findings if f.check == "format"]
    assert fs and all(f.clause == "三(四)2" and ARTICLE[f.offset:f.offset + f.length] == f.text for f in fs)
    assert all(f.severity == "warning" for f in fs)


def test_text_and_markdown_drafts_are_not_checked():
    assert [f for f in run_draft({"body": "<p style='font-size:9px'>x</p>"}, "format").findings] == []
    assert [f for f in run_draft({"body": "# 标题\n\n正文", "format": "markdown"}, "format").findings] == []


def test_the_house_style_is_configurable():
    body = '<p style="font-family: PingFang SC; font-size: 19px; color: #c00000">强调</p>'
    assert set(_found(body)) == {"format.font_size"}
    assert set(_found(body, body_max_px=20, fonts=["微软雅黑"], colors=["#333333"])) == \
        {"format.font_family", "format.color"}
    with pytest.raises(ConfigError, match="colors"):
        style_of({"colors": ["dark"]})
    with pytest.raises(ValidationError, match="body_min_px"):
        style_of({"body_min_px": "big"})


def test_a_wrong_value_in_precheck_toml_is_refused_at_load(tmp_path):
    from app import resources
    from app.config import load_config
    from app.settings import Settings
    conf = tmp_path / "precheck.toml"
    conf.write_text("[format]\nbody_min_px = \"big\"\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[format\].*body_min_px"):
        resources.load(Settings(data_dir=tmp_path), config=load_config(conf), only={"format"})


def test_one_finding_per_value_with_its_count():
    body = "".join(f'<p style="font-size:12px">第{i}段</p>' for i in range(5))
    hits = list(FormatCheck(style_of({})).run(parse(Draft(body=body, format="html")), RunOptions()))
    assert [h.rule for h in hits] == ["format.font_size"] and "全文共 5 处" in hits[0].message


def test_a_rule_is_switched_off_in_the_configuration(tmp_path, monkeypatch):
    from app import pipeline, resources
    from app.config import load_config
    from app.settings import Settings
    conf = tmp_path / "precheck.toml"
    conf.write_text('[rules]\n"format.font_size" = false\n', encoding="utf-8")
    res = resources.load(Settings(data_dir=tmp_path), config=load_config(conf), only={"format"})
    report = pipeline.run(Draft(body='<p style="font-size:12px;line-height:1">x</p>', format="html"), res)
    assert [f.rule for f in report.findings] == ["format.line_height"]


@pytest.mark.parametrize("value,parent,expected", [("15px", 16, 15.0), ("12pt", 16, 16.0), ("1.2em", 15, 18.0),
                                                   ("1rem", 20, 16.0), ("150%", 14, 21.0), ("large", 16, None)])
def test_css_lengths(value, parent, expected):
    assert px(value, parent) == pytest.approx(expected) if expected else px(value, parent) is None


@pytest.mark.parametrize("value,font,expected", [("1.5", 16, 1.5), ("150%", 16, 1.5), ("24px", 16, 1.5),
                                                 ("normal", 16, 1.2), ("2em", 14, 2.0)])
def test_line_heights(value, font, expected):
    assert line_height(value, font) == pytest.approx(expected)
