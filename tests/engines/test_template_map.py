"""Jinja2 templates have a source map: findings point into the template, fixes only on literal text."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app import edits, pipeline, template_map
from app.models import Draft
from support import resources_for

PRECHECK = [sys.executable, "-m", "app.cli"]


def _span_of(m: template_map.TemplateMap, needle: str, nth: int = 0) -> tuple[int, int, bool]:
    i = -1
    for _ in range(nth + 1):
        i = m.rendered.index(needle, i + 1)
    return m.span(i, i + len(needle))


def test_literal_text_maps_back_exactly_through_for_and_if():
    src = "# 通知\n{% for d in days %}\n- {{ d }}日按装客户端\n{% endfor %}{% if late %}迟到说明{% endif %}\n结尾"
    m = template_map.render(src, {"days": [1, 2], "late": True})
    for nth in (0, 1):  # each pass of the loop maps to the loop body's literal
        s, e, literal = _span_of(m, "按装", nth)
        assert literal and src[s:e] == "按装"
    s, e, literal = _span_of(m, "迟到说明")
    assert literal and src[s:e] == "迟到说明"
    s, e, literal = _span_of(m, "结尾")
    assert literal and (s, e) == (len(src) - 2, len(src))


def test_expressions_and_filters_map_to_their_braces():
    src = "标题：{{ title | upper }}，作者：{{ who|default('某人') }}。"
    m = template_map.render(src, {"title": "abc"})
    s, e, literal = _span_of(m, "ABC")
    assert not literal and src[s:e] == "{{ title | upper }}"
    s, e, literal = _span_of(m, "某人")
    assert not literal and src[s:e] == "{{ who|default('某人') }}"
    # A span reaching from literal text into an expression maps over both, and is not literal.
    s, e, literal = _span_of(m, "：ABC")
    assert not literal and src[s:e] == "：{{ title | upper }}"


def test_whitespace_control_keeps_the_map_exact():
    src = "开头\n{%- for x in xs %}\n  项目{{ x }}按装\n{%- endfor %}\n结尾"
    m = template_map.render(src, {"xs": [1, 2]})
    assert m.rendered == "开头\n  项目1按装\n  项目2按装\n结尾"
    s, e, literal = _span_of(m, "按装", 1)
    assert literal and src[s:e] == "按装"
    s, e, literal = _span_of(m, "结尾")
    assert literal and src[s:e] == "结尾"


def test_a_template_with_windows_line_ends_maps_into_the_file_as_written():
    src = "标题\r\n{% for x in xs %}\r\n第{{ x }}项按装\r\n{% endfor %}\r\n结尾"
    m = template_map.render(src, {"xs": [1, 2]})
    for needle in ("按装", "结尾"):
        s, e, literal = _span_of(m, needle)
        assert literal and src[s:e] == needle
    s, e, literal = _span_of(m, "1")
    assert not literal and src[s:e] == "{{ x }}"
    assert m.line_column(_span_of(m, "按装")[0]) == (3, 10)


def test_text_of_an_include_maps_to_the_include_tag(tmp_path):
    (tmp_path / "footer.j2").write_text("联系人：{{ who }}，按装问题请来电。", encoding="utf-8")
    src = "正文。\n{% include 'footer.j2' %}\n"
    m = template_map.render(src, {"who": "张三"}, tmp_path)
    s, e, literal = _span_of(m, "按装")
    assert not literal and src[s:e] == "{% include 'footer.j2' %}"


def test_a_filter_block_that_changes_text_is_not_literal():
    src = "{% filter upper %}abc{% endfilter %} 中文"
    m = template_map.render(src, {})
    assert m.rendered == "ABC 中文"
    assert _span_of(m, "ABC")[2] is False
    assert _span_of(m, "中文")[2] is True


def test_findings_and_fixes_are_remapped_and_fixes_only_on_literal_text():
    src = "{% for n in names %}请{{ n }}按装新版客户端。\n{% endfor %}{{ bad }}\n"
    m = template_map.render(src, {"names": ["张三", "李四"], "bad": "请按装"})
    report = m.remap(pipeline.run(Draft(body=m.rendered), resources_for("typo")))
    hits = [f for f in report.findings if f.rule == "typo.confusion"]
    literal = [f for f in hits if f.text == "按装"]
    assert len(literal) == 1, "the two passes of the loop are one finding in the template"
    f = literal[0]
    assert src[f.offset:f.offset + f.length] == "按装" and f.edits
    fixed = edits.apply(src, [f.edits[0]])
    assert "安装新版客户端" in fixed and "{{ n }}" in fixed and "{% for n in names %}" in fixed
    from_expr = [f for f in hits if f.text == "{{ bad }}"]
    assert from_expr and not from_expr[0].edits and not from_expr[0].suggestions
    assert report.summary.error == len(report.findings)


def test_undefined_variable_and_syntax_errors_say_where():
    with pytest.raises(template_map.TemplateError, match=r"t.j2:3: 'who' is undefined; --vars v.yaml defines vars"):
        template_map.render("a\n\n{{ who }}\n", {"vars": {"who": "x"}}, name="t.j2", vars_name="--vars v.yaml")
    with pytest.raises(template_map.TemplateError, match=r"t.j2:2: template syntax error"):
        template_map.render("a\n{% for x in %}\n", {}, name="t.j2")


def test_cli_folder_of_templates_github_annotations_point_into_the_template(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "holiday.md.j2").write_text(
        "# {{ title }}\n\n各位同事：\n\n{% for d in days -%}\n- {{ d.date }}：{{ d.what }}，请按装新版客户端。\n"
        "{% endfor %}\n{%- if note %}\n{{ note | trim }}\n{% endif %}\n联系人：{{ who }}\n", encoding="utf-8")
    (folder / "notice.txt.j2").write_text("{{ who }}提醒：\n\n\n  会议纪要请按装要求归档。\n", encoding="utf-8")
    (tmp_path / "v.yaml").write_text("title: 假期安排\ndays:\n  - {date: 1月1日, what: 放假}\n"
                                     "  - {date: 1月2日, what: 调休}\nnote: ' 请提前安排。 '\nwho: 张三\n",
                                     encoding="utf-8")
    out = subprocess.run([*PRECHECK, "check", "templates", "--vars", "v.yaml", "--format", "github"],
                         capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"},
                         timeout=300)
    assert out.returncode == 1, out.stderr
    annotations = [line for line in out.stdout.splitlines() if "title=typo.confusion" in line]
    assert len(annotations) == 2
    for line in annotations:
        props = dict(p.split("=", 1) for p in line.split("::")[1].split(" ", 1)[1].split(","))
        text = (tmp_path / props["file"]).read_text(encoding="utf-8").splitlines()[int(props["line"]) - 1]
        col = int(props["col"]) - 1
        assert text[col:col + 2] == "按装", (line, text)
    sarif = json.loads(subprocess.run([*PRECHECK, "check", "templates", "--vars", "v.yaml", "--format", "sarif"],
                                      capture_output=True, text=True, cwd=tmp_path, timeout=300).stdout)
    for r in sarif["runs"][0]["results"]:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        src = (tmp_path / uri).read_text(encoding="utf-8")
        for fix in r.get("fixes", []):
            for rep in fix["artifactChanges"][0]["replacements"]:
                region = rep["deletedRegion"]
                assert "{" not in src[region["charOffset"]:region["charOffset"] + region["charLength"]]
