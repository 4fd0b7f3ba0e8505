"""Pipeline behaviour: isolation of failing checks, config switches, verdicts, document parsing."""

from __future__ import annotations

import dataclasses
import logging

from app import pipeline
from app.config import load_config
from app.document import parse
from app.models import Draft
from support import resources_for


class Exploding:
    name = "placeholder"
    engine = "test"
    status = "ok"
    detail = None

    def run(self, doc, opts):
        raise RuntimeError("boom")


def test_a_failing_check_does_not_fail_the_request(caplog):
    res = resources_for()
    broken = dataclasses.replace(res, checks={**res.checks, "placeholder": Exploding()})
    with caplog.at_level(logging.ERROR, logger="precheck"):
        report = pipeline.run(Draft(body="联系人：XXX"), broken)
    status = {c.name: c for c in report.checks}
    assert status["placeholder"].status == "failed" and "boom" in status["placeholder"].detail
    assert all(c.status != "failed" for c in report.checks if c.name != "placeholder")
    assert "check placeholder failed" in caplog.text


def test_config_overrides_severity_and_disables(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[rules]\n"placeholder.xx" = "info"\n"placeholder.bracket" = false\n', encoding="utf-8")
    res = dataclasses.replace(resources_for(), config=load_config(cfg))
    report = pipeline.run(Draft(body="联系人：XXX，时间[X]"), res)
    assert [(f.rule, f.severity) for f in report.findings] == [("placeholder.xx", "info")]
    assert report.verdict == "pass"


def test_findings_sorted_title_first_then_offset():
    res = resources_for("placeholder")
    report = pipeline.run(Draft(title="[X]通知", body="时间XX月XX日，地点[X]"), res)
    keys = [(f.field, f.offset) for f in report.findings]
    assert keys[0][0] == "title"
    body = [o for fld, o in keys if fld == "body"]
    assert body == sorted(body)


def test_markdown_plain_text_and_map():
    src = "# 标题\n\n正文 **粗体** &amp; `代码` [链接](https://a.example/x) 之后。\n\n![图](https://i.example/p.png)\n"
    doc = parse(Draft(body=src, format="markdown"))
    assert doc.body.text.startswith("标题\n\n正文 粗体 & 代码 链接 之后。")
    i = doc.body.text.index("&")
    assert doc.body.source[slice(*doc.body.to_source(i, i + 1))] == "&amp;"
    j = doc.body.text.index("粗体")
    assert doc.body.source[slice(*doc.body.to_source(j, j + 2))] == "粗体"
    assert [(l.url, l.anchor, l.kind) for l in doc.links] == [("https://a.example/x", "链接", "markdown")]
    assert doc.links[0].after.startswith(" 之后")
    assert [(m.kind, m.url, m.alt) for m in doc.media] == [("image", "https://i.example/p.png", "图")]
    m = doc.media[0]
    assert src[m.src_start:m.src_end] == "![图](https://i.example/p.png)"
    k = doc.body.text.index("代码")
    assert doc.in_code(k, k + 2)


def test_html_plain_text_media_and_captions():
    src = ('<h1>标题</h1><p>正文&nbsp;说明 <a href="https://a.example">点这里</a>（报名页面）。</p>'
           '<figure><img src="a.png" alt="合影"><figcaption>图：品牌部</figcaption></figure>'
           '<video><source src="v.mp4"></video><iframe src="https://v.example/e"></iframe><script>ignored()</script>')
    doc = parse(Draft(body=src, format="html"))
    assert "ignored" not in doc.body.text
    assert "正文\xa0说明 点这里（报名页面）。" in doc.body.text
    assert [(m.kind, m.url, m.caption) for m in doc.media] == [
        ("image", "a.png", "图：品牌部"), ("video", "v.mp4", None), ("iframe", "https://v.example/e", None)]
    kinds = {l.kind: l for l in doc.links}
    assert kinds["html"].anchor == "点这里" and kinds["html"].after.startswith("（报名页面）")
    assert kinds["iframe"].url == "https://v.example/e"
    i = doc.body.text.index("\xa0")
    assert src[slice(*doc.body.to_source(i, i + 1))] == "&nbsp;"


def test_text_links_end_before_chinese_punctuation():
    doc = parse(Draft(body="请访问https://a.example/x?y=1，或者 www.b.example/p。然后看（https://c.example）"))
    assert [l.url for l in doc.links] == ["https://a.example/x?y=1", "www.b.example/p", "https://c.example"]


def test_api_media_list_is_kept_with_its_index():
    doc = parse(Draft(body="x", media=[{"url": "https://i.example/1.png", "credit": "摄影：张三"}]))
    assert doc.media[-1].field == "media[0]" and doc.media[-1].credit == "摄影：张三"


def test_sentences_never_cross_line_breaks():
    doc = parse(Draft(body="第一句。第二句！\n第三句\n\n第四句？"))
    assert [doc.body.text[s:e] for s, e in doc.body.sentences] == ["第一句。", "第二句！", "第三句", "第四句？"]
