"""Credit lines: what reads as a credit, which media a credit line covers, where findings point."""

from __future__ import annotations

import pytest

from app.document import parse
from app.media.credit import CreditLexicon
from app.models import Draft
from app.settings import bundled_lexicon_dir
from support import run_draft

LEX = CreditLexicon([bundled_lexicon_dir()])


def media_findings(draft: dict | str):
    return [f for f in run_draft(draft, "media").findings if f.check == "media"]


def rules_of(draft: dict | str) -> list[str]:
    return [f.rule for f in media_findings(draft)]


@pytest.mark.parametrize("text,named,complete,vague", [
    ("图片来源：新华社", True, False, False),
    ("摄影：张三", True, True, False),
    ("图/李四", True, True, False),
    ("张三 摄", True, True, False),
    ("新华社供图", True, True, False),
    ("© 2024 公司品牌部", True, True, False),
    ("本文图片均由品牌部提供", True, True, False),
    ("Photo by Jane Doe on Unsplash", True, True, False),
    ("图片来源：Unsplash（CC0 授权）", True, True, False),
    ("图片来源：网络", False, False, True),
    ("图片来源于网络，侵删", False, False, True),
    ("（网络图片）", False, False, True),
    ("版权归原作者所有", False, False, True),
    ("部分图片来自网络，如有侵权请联系删除", False, False, True),
    ("收入来源多样化", False, False, False),
    ("网络安全周活动圆满结束", False, False, False),
    ("威胁来自网络攻击", False, False, False),
])
def test_reading_a_credit(text, named, complete, vague):
    r = LEX.read(text)
    assert (r.named, r.complete, bool(r.vague)) == (named, complete, vague)


def test_api_credit_without_marker_names_the_holder_unless_it_is_vague():
    assert LEX.read("公司品牌部", bare_is_holder=True).complete
    assert LEX.read("网络", bare_is_holder=True).vague
    assert not LEX.read("网络", bare_is_holder=True).named


@pytest.mark.parametrize("line,scope", [
    ("本文图片均由品牌部提供。", "all"), ("文中图片来源：品牌部", "all"), ("图片均由品牌部提供", "all"),
    ("以上图片由品牌部提供", "before"), ("上图：张三 摄", "before"),
    ("下图来源：新华社", "after"), ("以下图片由品牌部提供", "after"), ("图片来源：品牌部", None),
])
def test_scope_of_a_credit_line(line, scope):
    assert LEX.read(line).scope == scope


def test_a_credit_line_covers_the_run_of_consecutive_images_before_it():
    body = "开头一段。\n\n![](a.jpg)\n![](b.jpg)\n\n![](c.jpg)\n\n摄影：张三\n\n![](d.jpg)\n\n结尾一段。"
    found = media_findings({"body": body, "format": "markdown"})
    missing = [f.text for f in found if f.rule == "media.attribution_missing"]
    assert missing == ["![](d.jpg)"]


def test_a_line_between_two_runs_credits_the_run_above_it_unless_it_points_down():
    above = "![](a.jpg)\n\n摄影：张三\n\n![](b.jpg)\n\n正文。"
    assert [f.text for f in media_findings({"body": above, "format": "markdown"})
            if f.rule == "media.attribution_missing"] == ["![](b.jpg)"]
    down = "![](a.jpg)\n\n下图摄影：张三\n\n![](b.jpg)\n\n正文。"
    assert [f.text for f in media_findings({"body": down, "format": "markdown"})
            if f.rule == "media.attribution_missing"] == ["![](a.jpg)"]


def test_a_credit_line_right_before_an_image_counts():
    body = "正文第一段。\n\n摄影：张三\n\n![](a.jpg)\n\n正文第二段。"
    assert rules_of({"body": body, "format": "markdown"}) == []


def test_above_scope_does_not_reach_forward():
    body = "正文。\n\n以上图片由品牌部提供\n\n![](a.jpg)\n\n正文。"
    assert rules_of({"body": body, "format": "markdown"}) == ["media.attribution_missing"]


def test_a_post_wide_credit_covers_every_item_including_the_api_list():
    body = "<p>本文图片均由品牌部提供。</p><img src='a.jpg'><p>正文。</p><img src='b.jpg'>"
    assert rules_of({"body": body, "format": "html", "media": [{"url": "c.jpg"}]}) == []


def test_a_paragraph_after_an_image_is_not_a_credit_unless_it_says_so():
    body = "![](a.jpg)\n\n这是一张年会的照片，大家都很开心。"
    assert rules_of({"body": body, "format": "markdown"}) == ["media.attribution_missing"]


def test_alt_and_title_count_only_when_they_are_credits():
    assert rules_of({"body": "![合影](a.jpg)", "format": "markdown"}) == ["media.attribution_missing"]
    assert rules_of({"body": '![合影](a.jpg "摄影：张三")', "format": "markdown"}) == []
    assert rules_of({"body": '<img src="a.jpg" alt="图/新华社">', "format": "html"}) == []


def test_figcaption_credit_covers_every_image_of_its_figure():
    body = '<figure><img src="a.jpg"><img src="b.jpg"><figcaption>摄影：张三</figcaption></figure><p>正文</p>'
    assert rules_of({"body": body, "format": "html"}) == []


def test_api_caption_is_a_credit_only_with_a_marker():
    assert rules_of({"body": "正文。", "media": [{"url": "a.jpg", "caption": "年会现场"}]}) == [
        "media.attribution_missing"]
    assert rules_of({"body": "正文。", "media": [{"url": "a.jpg", "caption": "年会现场 摄影：张三"}]}) == []


def test_missing_points_at_the_markup_and_api_items_at_their_field():
    body = "正文。\n\n<video src=\"v.mp4\" controls></video>\n\n结尾。"
    [f] = media_findings({"body": body, "format": "markdown", "media": []})
    assert (f.rule, f.text, f.severity) == ("media.attribution_missing", '<video src="v.mp4" controls>', "error")
    [g] = media_findings({"body": "正文。", "media": [{"url": "x.mp4", "type": "video"}]})
    assert (g.field, g.offset, g.length, g.severity) == ("media[0]", 0, 0, "error")


def test_vague_credit_points_at_its_words_and_replaces_the_missing_error():
    body = "![](a.jpg)\n\n图片来源于网络，侵删。"
    found = media_findings({"body": body, "format": "markdown"})
    assert sorted((f.rule, f.text) for f in found) == [
        ("media.attribution_vague", "侵删"), ("media.attribution_vague", "图片来源于网络")]


def test_a_real_source_with_a_disclaimer_still_warns_about_the_disclaimer():
    body = "![](a.jpg)\n\n摄影：张三，侵删"
    assert rules_of({"body": body, "format": "markdown"}) == ["media.attribution_vague"]


def test_vague_words_inside_code_are_not_reported():
    body = "示例：\n\n```\n图片来源于网络\n```\n"
    assert rules_of({"body": body, "format": "markdown"}) == []


def test_incomplete_credit_is_reported_once_for_a_group():
    body = "![](a.jpg)\n![](b.jpg)\n\n图片来源：新华网\n"
    found = media_findings({"body": body, "format": "markdown"})
    assert [(f.rule, f.text, f.severity) for f in found] == [
        ("media.attribution_incomplete", "图片来源：新华网", "info")]


def test_picture_element_is_one_item_with_its_sources():
    body = ('<p>新品</p><picture><source srcset="a.webp 1x, a@2x.webp 2x" type="image/webp">'
            '<img src="a.jpg" alt="新品"></picture><p>正文</p>')
    doc = parse(Draft(body=body, format="html"))
    [m] = doc.media
    assert (m.kind, m.url, m.alternates) == ("image", "a.jpg", ("a.webp", "a@2x.webp"))
    assert body[m.src_start:m.src_end].startswith("<picture>") and body[m.src_start:m.src_end].endswith("</picture>")
    [f] = media_findings({"body": body, "format": "html"})
    assert f.text == body[m.src_start:m.src_end]


def test_picture_without_img_uses_its_first_source():
    doc = parse(Draft(body='<picture><source srcset="only.webp"></picture>', format="html"))
    assert [(m.kind, m.url) for m in doc.media] == [("image", "only.webp")]


def test_extra_lexicon_folder_adds_markers(tmp_path):
    (tmp_path / "media.toml").write_text("[markers]\nholder = ['出品方[：:]']\n", encoding="utf-8")
    lex = CreditLexicon([bundled_lexicon_dir(), tmp_path])
    assert lex.read("出品方：某影视公司").complete
    assert lex.read("摄影：张三").complete  # the bundled markers are kept
