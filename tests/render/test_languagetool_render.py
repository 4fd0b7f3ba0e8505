"""The LanguageTool mapping alone: UTF-16 offsets, annotated text, context windows, rule selection."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from app.api.languagetool import Selection
from app.models import Finding
from app.render import languagetool as lt


def utf16_slice(s: str, offset: int, length: int) -> str:
    return s.encode("utf-16-le")[2 * offset:2 * (offset + length)].decode("utf-16-le")


@pytest.mark.parametrize("text", ["", "纯中文", "😀a😀b", "𠮷野家😀😀", "a\U0001F469\u200d\U0001F4BBb"])
def test_utf16_index_agrees_with_the_encoding(text):
    u16 = lt.Utf16Index(text)
    for i in range(len(text) + 1):
        assert u16(i) == len(text[:i].encode("utf-16-le")) // 2
    assert lt.utf16_len(text) == u16(len(text))


def test_annotation_maps_plain_spans_back_to_the_markup():
    parts = [{"markup": "<p>"}, {"text": "😀请联系"}, {"markup": "<b>"}, {"text": "[联系人]"},
             {"markup": "</b>"}, {"markup": "</p>", "interpretAs": "\n\n"}, {"text": "完"}]
    a = lt.AnnotatedText.from_annotation(parts)
    assert a.original == "<p>😀请联系<b>[联系人]</b></p>完"
    assert a.plain == "😀请联系[联系人]\n\n完"
    s = a.plain.index("[联系人]")
    start, end = a.field.to_source(s, s + 5)
    assert a.original[start:end] == "[联系人]"
    # A stand-in character selects the markup it stands for.
    nl = a.plain.index("\n")
    start, end = a.field.to_source(nl, nl + 1)
    assert a.original[start:end] == "</p>"


def _finding(rule="placeholder.bracket", severity="error", offset=0, length=3, text="[X]", check=None):
    return Finding(check=check or rule.split(".")[0], rule=rule, severity=severity, message="占位符未填写",
                   offset=offset, length=length, text=text, suggestions=("五",), clause="三(四)4")


def test_match_counts_utf16_and_keeps_context_on_one_line():
    text = "😀" * 50 + "第一行\n年会定于[X]月举行。" + "尾" * 60
    a = lt.AnnotatedText.from_text(text)
    off = text.index("[X]")
    m = lt.match(_finding(offset=off), a, lt.Utf16Index(text))
    assert utf16_slice(text, m["offset"], m["length"]) == "[X]"
    ctx = m["context"]
    assert ctx["text"].startswith(lt.ELLIPSIS) and ctx["text"].endswith(lt.ELLIPSIS)
    assert "\n" not in ctx["text"]
    assert utf16_slice(ctx["text"], ctx["offset"], ctx["length"]) == "[X]"
    assert m["sentence"] == "年会定于[X]月举行。"
    assert m["replacements"] == [{"value": "五"}]
    assert m["rule"]["category"] == {"id": "PLACEHOLDER", "name": "未完成内容"}
    assert m["rule"]["issueType"] == "omission"
    assert "三(四)4" in m["message"]


def test_context_of_a_short_text_has_no_ellipsis():
    a = lt.AnnotatedText.from_text("见[X]")
    m = lt.match(_finding(offset=1), a, lt.Utf16Index(a.original))
    assert m["context"] == {"text": "见[X]", "offset": 1, "length": 3}


def test_type_names():
    a = lt.AnnotatedText.from_text("按装[X]")
    u16 = lt.Utf16Index(a.original)
    assert lt.match(_finding("typo.confusion", length=2), a, u16)["type"]["typeName"] == "UnknownWord"
    assert lt.match(_finding(severity="info"), a, u16)["type"]["typeName"] == "Hint"
    assert lt.match(_finding(), a, u16)["type"]["typeName"] == "Other"


def test_selection_rules_and_categories():
    f = _finding()
    other = _finding("privacy.credential")
    assert Selection.parse().keeps(f)
    assert not Selection.parse(disabled_rules="placeholder.bracket").keeps(f)
    assert not Selection.parse(disabled_categories="PLACEHOLDER").keeps(f)
    assert not Selection.parse(disabled_categories="placeholder").keeps(f)  # the check's name works too
    only = Selection.parse(enabled_rules="PLACEHOLDER.BRACKET", enabled_only=True)
    assert only.keeps(f) and not only.keeps(other)
    assert only.checks() == ["placeholder"]
    by_cat = Selection.parse(enabled_categories="PRIVACY,TYPOS", enabled_only=True)
    assert by_cat.keeps(other) and not by_cat.keeps(f)
    assert by_cat.checks() == ["privacy", "typo"]
    # Without enabledOnly, enabledRules does not narrow anything.
    assert Selection.parse(enabled_rules="typo.lm").keeps(f)
    assert Selection.parse().checks() is None
    assert "placeholder" not in Selection.parse(disabled_categories="PLACEHOLDER").checks()


def test_level_picky_adds_hints():
    hint = _finding(severity="info")
    assert not Selection.parse().keeps(hint)
    assert Selection.parse(level="picky").keeps(hint)


@pytest.mark.parametrize("kwargs", [{"level": "strict"}, {"enabled_only": True}])
def test_selection_rejects_bad_requests(kwargs):
    with pytest.raises(HTTPException) as e:
        Selection.parse(**kwargs)
    assert e.value.status_code == 422
