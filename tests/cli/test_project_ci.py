"""CI use of the CLI: configuration found by itself, baselines, folders, unreadable files, SARIF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import baseline, project_config, registry, walk
from app.config import ConfigError
from support import run_draft

PRECHECK = [sys.executable, "-m", "app.cli"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*PRECHECK, *args], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture()
def repo(tmp_path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "precheck.toml").write_text('[rules]\n"style.cjk_spacing" = false\n', encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notice.md").write_text(
        "# 升级通知\n\n各位同事：本次升级使用新版App客户端。\n\n"
        "<!-- precheck-disable-next-line typo -->\n请大家按装新版客户端。\n\n"
        "请于周五前完成对帐。\n", encoding="utf-8")
    return tmp_path


def test_acceptance_config_inline_comment_and_baseline_then_a_new_typo(repo):
    first = cli("check", "docs", "--format", "json", cwd=repo)
    rules = [f["rule"] for f in json.loads(first.stdout)["files"][0]["report"]["findings"]]
    assert first.returncode == 1 and rules == ["typo.confusion"], "only the known 对帐 is left"
    wrote = cli("check", "docs", "--write-baseline", "precheck-baseline.json", cwd=repo)
    assert wrote.returncode == 0, wrote.stdout + wrote.stderr
    assert cli("check", "docs", "--baseline", "precheck-baseline.json", cwd=repo).returncode == 0
    # Edits elsewhere move the known finding; a new typo is added.
    notice = repo / "docs" / "notice.md"
    notice.write_text("# 升级通知\n\n新增一段说明，以经通知各部门。\n\n" + notice.read_text(encoding="utf-8")
                      .removeprefix("# 升级通知\n\n"), encoding="utf-8")
    out = cli("check", "docs", "--baseline", "precheck-baseline.json", "--format", "json", cwd=repo)
    assert out.returncode == 1
    findings = json.loads(out.stdout)["files"][0]["report"]["findings"]
    assert [(f["rule"], f["text"]) for f in findings] == [("typo.confusion", "以经")]
    sarif = json.loads(cli("check", "docs", "--baseline", "precheck-baseline.json", "--format", "sarif",
                           cwd=repo).stdout)
    run = sarif["runs"][0]
    assert [r["partialFingerprints"][baseline.KEY] for r in run["results"]] == \
        [baseline.fingerprint(type("F", (), {"rule": "typo.confusion", "text": "以经", "field": "body",
                                             "offset": notice.read_text(encoding="utf-8").index("以经")})(),
                              notice.read_text(encoding="utf-8"))]
    inv = run["invocations"][0]
    assert inv["exitCode"] == 1 and inv["executionSuccessful"] is True
    assert inv["startTimeUtc"] <= inv["endTimeUtc"] and inv["endTimeUtc"].endswith("Z")


def test_fingerprints_survive_edits_elsewhere_and_count_copies():
    body = "请于周五前完成对帐。\n"
    r1 = run_draft(body, "typo")
    moved = "前面新增的一段话。\n\n" + body
    r2 = run_draft(moved, "typo")
    assert baseline.fingerprints(r1, body) == baseline.fingerprints(r2, moved)
    twice = body + body
    r3 = run_draft(twice, "typo")
    fps = baseline.fingerprints(r3, twice)
    known = {"x.md": __import__("collections").Counter(baseline.fingerprints(r1, body))}
    left, _, dropped = baseline.new_only(r3, fps, known["x.md"])
    assert dropped == 1 and len(left.findings) == 1 and left.summary.error == 1


def test_block_findings_are_never_baselined(tmp_path):
    body = "测试账号：admin，密码：Abc123456\n"
    r = run_draft(body, "privacy")
    fps = baseline.fingerprints(r, body)
    path = tmp_path / "b.json"
    assert baseline.write(path, [("a.txt", r, fps)]) == 0
    left, _, dropped = baseline.new_only(r, fps, __import__("collections").Counter(fps))
    assert dropped == 0 and left.verdict == "block"


def test_a_broken_baseline_is_a_one_line_error(tmp_path):
    (tmp_path / "a.txt").write_text("你好。\n", encoding="utf-8")
    (tmp_path / "b.json").write_text("{nope", encoding="utf-8")
    out = cli("check", "a.txt", "--baseline", "b.json", cwd=tmp_path)
    assert out.returncode == 2 and "not valid JSON" in out.stderr and out.stderr.count("\n") == 1


def test_discovery_nearest_file_pyproject_and_repository_root(tmp_path):
    (tmp_path / "precheck.toml").write_text("[checks]\ntypo = false\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    assert project_config.discover(sub) is None, "the search stops at the repository root"
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert project_config.discover(sub) is None, "a pyproject.toml without [tool.precheck] is not a config"
    (repo / "pyproject.toml").write_text('[tool.precheck.rules]\n"typo.lm" = "info"\n', encoding="utf-8")
    assert project_config.discover(sub / "x.md") == repo / "pyproject.toml"
    eff = project_config.load(project_config.discover(sub))
    assert eff.config.severity("typo.lm") == "info" and eff.config.check_enabled("typo")
    (repo / "a" / ".precheck.toml").write_text("[grammar]\nmax_sentence_chars = 90\n", encoding="utf-8")
    eff = project_config.load(project_config.discover(sub))
    assert eff.config.section("grammar")["max_sentence_chars"] == 90
    assert eff.origins[("grammar", "max_sentence_chars")] == str(repo / "a" / ".precheck.toml")
    assert eff.origins[("typo", "confidence_min")] == "bundled"
    (repo / "a" / "precheck.toml").write_text("[checks]\nnope = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown checks"):  # refused by the catalogue, as at load
        registry.default_catalog().with_config(project_config.load(project_config.discover(sub)).config)


def test_precheck_config_prints_values_and_origins(repo):
    out = cli("config", "docs", cwd=repo)
    assert out.returncode == 0
    assert f'"style.cjk_spacing" = false  # {repo / "precheck.toml"}' in out.stdout
    assert "max_sentence_chars = 150  # bundled" in out.stdout


def test_folder_walk_honours_gitignore_precheckignore_and_globs(tmp_path):
    (tmp_path / ".git").mkdir()
    for name in ("a.md", "b.html", "c.txt", "d.md.j2", "e.py", "build/f.md", "drafts/g.md", "drafts/keep.md",
                 "node_modules/h.md", "sub/i.md"):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    (tmp_path / "drafts" / ".precheckignore").write_text("*.md\n!keep.md\n", encoding="utf-8")
    files = project_config.load(None).config.section("files")
    found = [p.relative_to(tmp_path).as_posix() for p in walk.walk(tmp_path, files)]
    assert found == ["a.md", "b.html", "c.txt", "d.md.j2", "drafts/keep.md", "sub/i.md"]
    found = [p.relative_to(tmp_path).as_posix() for p in walk.walk(
        tmp_path / "sub", {**files, "respect_gitignore": False, "extend_exclude": ["sub/"]}, tmp_path)]
    assert found == []
    found = [p.relative_to(tmp_path).as_posix() for p in walk.walk(tmp_path, {**files, "respect_gitignore": False})]
    assert "build/f.md" in found
    assert walk.input_format("x/holiday.md.j2") == "markdown" and walk.input_format("n.html.jinja") == "html"


def test_every_readable_file_is_checked_and_unreadable_ones_reported(tmp_path):
    (tmp_path / "good.md").write_text("请于周五前完成对帐。\n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary")
    out = cli("check", "good.md", "missing.md", "bin.txt", "--format", "json", cwd=tmp_path)
    assert out.returncode == 2
    data = json.loads(out.stdout)
    assert [f["path"] for f in data["files"]] == ["good.md"]
    assert data["files"][0]["report"]["summary"]["error"] == 1
    assert [e["path"] for e in data["errors"]] == ["missing.md", "bin.txt"]
    assert len(out.stderr.strip().splitlines()) == 2
    gh = cli("check", "good.md", "missing.md", "--format", "github", cwd=tmp_path)
    assert gh.returncode == 2 and "::error file=missing.md,title=precheck::" in gh.stdout
    assert "title=typo.confusion" in gh.stdout
    sarif = json.loads(cli("check", "good.md", "missing.md", "--format", "sarif", cwd=tmp_path).stdout)
    inv = sarif["runs"][0]["invocations"][0]
    assert inv["exitCode"] == 2 and inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] \
        == "missing.md"


def test_vars_errors_say_which_file_and_why(tmp_path):
    (tmp_path / "t.md.j2").write_text("尊敬的{{ who }}：\n", encoding="utf-8")
    (tmp_path / "v.yaml").write_text("who：张三\n", encoding="utf-8")  # a full-width colon: not a mapping
    out = cli("check", "t.md.j2", "--vars", "v.yaml", cwd=tmp_path)
    assert out.returncode == 2 and "--vars v.yaml" in out.stderr and "mapping" in out.stderr
    (tmp_path / "v.yaml").write_text("vars:\n  who: 张三\n", encoding="utf-8")
    out = cli("check", "t.md.j2", "--vars", "v.yaml", cwd=tmp_path)
    assert out.returncode == 2
    assert "t.md.j2:1: 'who' is undefined; --vars v.yaml defines vars" in out.stderr
    (tmp_path / "v.yaml").write_text("who: [unclosed\n", encoding="utf-8")
    out = cli("check", "t.md.j2", "--vars", "v.yaml", cwd=tmp_path)
    assert out.returncode == 2 and "--vars v.yaml: cannot parse" in out.stderr
