"""Every finding of every check over every fixture selects exactly its text in the submitted field."""

from __future__ import annotations

import json

import pytest

from support import FIXTURES, run_draft

_EXT = {".md": "markdown", ".html": "html", ".txt": "text"}
FILES = sorted(p for p in FIXTURES.glob("*") if p.suffix in _EXT)


def _drafts():
    for p in FILES:
        yield p.name, {"body": p.read_text(encoding="utf-8"), "format": _EXT[p.suffix],
                       "title": "关于XX月XX日[X]活动的通知"}
    cases = FIXTURES / "cases.json"
    if cases.exists():
        for i, d in enumerate(json.loads(cases.read_text(encoding="utf-8"))):
            yield f"cases[{i}]", d


DRAFTS = list(_drafts())


def test_there_are_fixtures_in_every_format():
    formats = {d["format"] for _, d in DRAFTS}
    assert {"text", "markdown", "html"} <= formats


@pytest.mark.parametrize("name,draft", DRAFTS, ids=[n for n, _ in DRAFTS])
def test_findings_select_their_text(name, draft):
    report = run_draft(draft)
    assert report.findings, f"{name}: the fixtures are written to contain problems"
    for f in report.findings:
        if f.field not in ("body", "title"):
            assert (f.offset, f.length) == (0, 0)
            continue
        src = draft.get(f.field) or ""
        assert src[f.offset:f.offset + f.length] == f.text, f"{name}: {f.rule} {f.offset}+{f.length}"
        line = src.count("\n", 0, f.offset) + 1
        col = f.offset - (src.rfind("\n", 0, f.offset) + 1) + 1
        assert (f.line, f.column) == (line, col), f"{name}: {f.rule}"
