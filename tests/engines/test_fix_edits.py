"""Fixes never damage a draft: every suggestion, applied as its edit or read the LanguageTool way
(replace offset/length by the string), keeps every image, video, link and heading, and removes the
finding it is about."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from markdown_it import MarkdownIt

from app import edits, pipeline, registry
from app.document import Field, parse
from app.edits import Edit
from app.models import Draft
from support import FIXTURES, resources_for

_md = MarkdownIt("commonmark")


def _drafts():
    for p in sorted(FIXTURES.iterdir()):
        yield p.name, {"body": p.read_text(encoding="utf-8"),
                       "format": {".md": "markdown", ".html": "html"}.get(p.suffix, "text")}
    for rule in registry.all_rules().values():
        for i, ex in enumerate(rule.hit):
            yield f"{rule.id}-{i}", ({"body": ex} if isinstance(ex, str) else dict(ex))


DRAFTS = list(_drafts())


def _headings(d: dict) -> list[str]:
    if d.get("format") == "markdown":
        return [t.tag for t in _md.parse(d["body"]) if t.type == "heading_open"]
    if d.get("format") == "html":
        return [h.lower() for h in re.findall(r"<(h[1-6])\b", d["body"], re.I)]
    return []


def _structure(d: dict) -> tuple:
    doc = parse(Draft(**d))
    media = sorted((m.kind, m.url or "") for m in doc.media if m.field == "body")
    return media, sorted(link.kind for link in doc.links), _headings(d), Counter(link.url for link in doc.links)


def _applied(d: dict):
    res = resources_for()
    report = pipeline.run(Draft(**d), res)
    for f in report.findings:
        if f.field != "body":
            continue
        assert len(f.suggestions) == len(f.edits), f"{f.rule}: each suggestion has its edit"
        for k, (s, e) in enumerate(zip(f.suggestions, f.edits)):
            yield f, k, "edit", edits.apply(d["body"], [e]), e
            yield f, k, "languagetool", d["body"][:f.offset] + s + d["body"][f.offset + f.length:], e


@pytest.mark.parametrize("name,draft", DRAFTS, ids=[n for n, _ in DRAFTS])
def test_every_fix_keeps_media_links_and_headings_and_removes_its_finding(name, draft):
    res = resources_for()
    for f, k, how, body, e in _applied(draft):
        after = dict(draft, body=body)
        *kept, urls = _structure(after)
        *was, urls_before = _structure(draft)
        assert kept == was, f"{how} of {f.rule} suggestion {k} {f.suggestions[k]!r} changed the draft's structure"
        # Only a link the finding is about (an e-mail address masked in its mailto: link) may change.
        about = sum(n for u, n in urls_before.items() if f.text.strip("<>") in u)
        assert sum((urls - urls_before).values()) <= about, f"{how} of {f.rule} changed a link: {urls}"
        if k == 0:
            again = pipeline.run(Draft(**after), res)
            assert not [g for g in again.findings if g.rule == f.rule and g.offset == e.offset], \
                f"{how} of {f.rule} {f.suggestions[k]!r} left the finding in place"


def test_a_media_credit_is_inserted_after_the_image_never_over_it():
    body = "# 大会\n\n![大会现场](https://mmbiz.qpic.cn/a.jpg)\n\n会议圆满结束。\n"
    f = next(f for f in pipeline.run(Draft(body=body, format="markdown"), resources_for("media")).findings
             if f.rule == "media.attribution_missing")
    assert f.text == "![大会现场](https://mmbiz.qpic.cn/a.jpg)"
    assert all(e.length == 0 and e.offset == f.offset + f.length for e in f.edits)
    assert f.suggestions[0] == f.text + "\n图片来源："
    html = '<p><img src="https://mmbiz.qpic.cn/a.jpg" alt="现场"></p><p>会议圆满结束。</p>'
    g = next(f for f in pipeline.run(Draft(body=html, format="html"), resources_for("media")).findings
             if f.rule == "media.attribution_missing")
    fixed = edits.apply(html, [g.edits[0]])
    assert '<img src="https://mmbiz.qpic.cn/a.jpg" alt="现场"><br>图片来源：' in fixed


def test_a_replacement_across_markup_changes_only_the_text():
    # "按**装**": the plain text 按装 has bold markup inside it; only 按 may change.
    f = Field("body", "按**装**", "按装", [0, 3], [1, 4])
    assert edits.replacement(f, 0, 2, "安装") == Edit(offset=0, length=1, text="安")
    # Replacing both characters would delete the markup between them: no edit is offered.
    assert edits.replacement(f, 0, 2, "完成") is None
    s, e = edits.fixes(f, 0, 2, 0, 7, ("安装", "完成"))
    assert s == ("安**装**",) and e == (Edit(offset=0, length=1, text="安"),)


def test_insertions_and_deletions():
    f = Field("body", "中文English")
    assert edits.replacement(f, 1, 3, "文 E") == Edit(offset=2, length=0, text=" ")
    assert edits.apply("。。", [edits.replacement(Field("body", "。。"), 0, 2, "。")]) == "。"
    with pytest.raises(ValueError):
        edits.apply("abc", [Edit(offset=0, length=2, text="x"), Edit(offset=1, length=1, text="y")])
