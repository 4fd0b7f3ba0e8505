"""Inline silencing with ESLint's names, in markdown and html comments; block findings stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from support import run_draft

PRECHECK = [sys.executable, "-m", "app.cli"]
TYPO = "请大家按装新版客户端。"


def _rules(report):
    return [(f.rule, f.line) for f in report.findings]


def md(body: str) -> dict:
    return {"body": body, "format": "markdown"}


def test_disable_next_line_silences_only_the_next_line():
    r = run_draft(md(f"{TYPO}\n<!-- precheck-disable-next-line -->\n{TYPO}\n{TYPO}\n"), "typo")
    assert _rules(r) == [("typo.confusion", 1), ("typo.confusion", 4)]
    assert r.summary.suppressed == 1 and r.summary.error == 2
    assert [(f.rule, f.line) for f in r.suppressed] == [("typo.confusion", 3)]


def test_disable_line_silences_its_own_line():
    r = run_draft(md(f"{TYPO} <!-- precheck-disable-line typo.confusion -->\n{TYPO}\n"), "typo")
    assert _rules(r) == [("typo.confusion", 2)] and r.summary.suppressed == 1


@pytest.mark.parametrize("name,silenced", [("typo", True), ("typo.confusion", True), ("typo.lm", False),
                                           ("style", False), ("", True)])
def test_a_rule_is_a_check_a_rule_id_or_everything(name, silenced):
    r = run_draft(md(f"<!-- precheck-disable-next-line {name} -->\n{TYPO}\n"), "typo")
    assert (r.summary.suppressed == 1) is silenced and (not r.findings) is silenced


def test_disable_enable_ranges_with_and_without_rules():
    body = (f"{TYPO}\n\n<!-- precheck-disable typo -->\n\n{TYPO}\n\n{TYPO}\n\n<!-- precheck-enable typo -->\n\n"
            f"{TYPO}\n\n<!-- precheck-disable -->\n\n{TYPO}\n")
    r = run_draft(md(body), "typo")
    assert [f.line for f in r.findings] == [1, 11]
    assert sorted(f.line for f in r.suppressed) == [5, 7, 15]


def test_several_rules_and_comma_lists():
    body = f"<!-- precheck-disable-next-line style, typo -->\n{TYPO}。。\n"
    r = run_draft(md(body), "typo", "style")
    assert not r.findings and r.summary.suppressed == 2


def test_html_comments_and_comments_in_code_are_examples():
    r = run_draft({"body": f"<p>{TYPO}<!-- precheck-disable-line --></p>", "format": "html"}, "typo")
    assert not r.findings and r.summary.suppressed == 1
    code = f"```\n<!-- precheck-disable -->\n```\n\n{TYPO}\n"
    assert run_draft(md(code), "typo").summary.error == 1


def test_plain_text_drafts_have_no_comments():
    r = run_draft(f"<!-- precheck-disable-next-line -->\n{TYPO}", "typo")
    assert r.summary.error == 1 and r.summary.suppressed == 0


def test_a_block_finding_is_never_silenced_and_the_comment_is_reported():
    body = "<!-- precheck-disable-next-line -->\n测试账号：admin，密码：Abc123456\n"
    r = run_draft(md(body), "privacy")
    rules = [f.rule for f in r.findings]
    assert "privacy.credential" in rules and "inline.block_silenced" in rules
    comment = next(f for f in r.findings if f.rule == "inline.block_silenced")
    assert (comment.line, comment.offset, comment.text) == (1, 0, "<!-- precheck-disable-next-line -->")
    assert r.verdict == "block" and r.summary.suppressed == 0


def _cli(*args, cwd):
    return subprocess.run([*PRECHECK, *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})


def test_cli_show_suppressed_and_no_inline_config(tmp_path):
    (tmp_path / "a.md").write_text(f"<!-- precheck-disable-next-line -->\n{TYPO}\n", encoding="utf-8")
    assert _cli("check", "a.md", "--checks", "typo", cwd=tmp_path).returncode == 0
    data = json.loads(_cli("check", "a.md", "--checks", "typo", "-f", "json", cwd=tmp_path).stdout)
    report = data["files"][0]["report"]
    assert report["summary"]["suppressed"] == 1 and report["suppressed"] == []
    shown = _cli("check", "a.md", "--checks", "typo", "--show-suppressed", cwd=tmp_path)
    assert "silenced" in shown.stdout and "typo.confusion" in shown.stdout and shown.returncode == 0
    sarif = json.loads(_cli("check", "a.md", "--checks", "typo", "--show-suppressed", "-f", "sarif",
                            cwd=tmp_path).stdout)
    assert sarif["runs"][0]["results"][0]["suppressions"][0]["kind"] == "inSource"
    off = _cli("check", "a.md", "--checks", "typo", "--no-inline-config", cwd=tmp_path)
    assert off.returncode == 1 and "typo.confusion" in off.stdout


def test_the_api_honours_the_comments(server):
    with server.client() as c:
        r = c.post("/v1/check", json={"body": f"<!-- precheck-disable-next-line typo -->\n{TYPO}\n",
                                      "format": "markdown", "checks": ["typo"]})
    assert r.status_code == 200
    data = r.json()
    assert data["findings"] == [] and data["summary"]["suppressed"] == 1
    assert data["suppressed"][0]["rule"] == "typo.confusion"
