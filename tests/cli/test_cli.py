"""The CLI contract: exit codes, output formats, stdin, templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PRECHECK = [sys.executable, "-m", "app.cli"]


def run(*args: str, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*PRECHECK, *args], capture_output=True, text=True, input=input, cwd=cwd,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=300)


@pytest.fixture()
def files(tmp_path):
    clean = tmp_path / "clean.md"
    clean.write_text("各位同事：本周五下午三点在二楼会议室召开部门例会，请准时参加。\n", encoding="utf-8")
    bad = tmp_path / "bad.md"
    bad.write_text("# 通知\n\n年会定于[X]月[X]日举行。\n", encoding="utf-8")
    return clean, bad


def test_exit_codes(files, tmp_path):
    clean, bad = files
    assert run("check", str(clean)).returncode == 0
    assert run("check", str(bad)).returncode == 1
    missing = run("check", str(tmp_path / "missing.md"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "no such file" in missing.stderr


def test_fail_on_threshold(files):
    _, bad = files
    assert run("check", str(bad), "--fail-on", "block").returncode == 0
    assert run("check", str(bad), "--fail-on", "never").returncode == 0
    assert run("check", str(bad), "--fail-on", "warning").returncode == 1


def test_json_output(files):
    clean, bad = files
    out = run("check", str(clean), str(bad), "--format", "json")
    data = json.loads(out.stdout)
    assert [f["path"] for f in data["files"]] == [str(clean), str(bad)]
    rep = data["files"][1]["report"]
    src = bad.read_text(encoding="utf-8")
    assert rep["verdict"] == "revise"
    for f in rep["findings"]:
        assert src[f["offset"]:f["offset"] + f["length"]] == f["text"]
    assert {"line": 3, "column": 5} == {k: rep["findings"][0][k] for k in ("line", "column")}


def test_sarif_output_is_2_1_0(files):
    _, bad = files
    sarif = json.loads(run("check", str(bad), "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    run0 = sarif["runs"][0]
    assert run0["tool"]["driver"]["name"] == "precheck"
    result = run0["results"][0]
    assert result["ruleId"].startswith("placeholder.")
    assert run0["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 5)


def test_github_annotations(files):
    _, bad = files
    out = run("check", str(bad), "--format", "github").stdout.splitlines()
    assert out and all(line.startswith("::error file=") for line in out)
    assert "line=3,col=5" in out[0]


def test_text_output_and_stdin():
    out = run("check", "-", input="联系人：XXX\n")
    assert out.returncode == 1
    assert "-:1:5" in out.stdout and "placeholder.xx" in out.stdout


def test_template_without_vars_reports_placeholders(tmp_path):
    tpl = tmp_path / "notice.md.j2"
    tpl.write_text("尊敬的{{ name }}：\n{% if vip %}您是贵宾。{% endif %}\n", encoding="utf-8")
    out = run("check", str(tpl), "--format", "json")
    rules = [f["rule"] for f in json.loads(out.stdout)["files"][0]["report"]["findings"]]
    assert rules.count("placeholder.template") == 3


def test_template_with_vars_is_rendered(tmp_path):
    tpl = tmp_path / "notice.txt"
    tpl.write_text("尊敬的{{ name }}：\n{% if vip %}您是贵宾。{% endif %}会议在{{ room }}举行。\n", encoding="utf-8")
    (tmp_path / "vars.yaml").write_text("name: 张三\nvip: true\nroom: 二楼会议室\n", encoding="utf-8")
    out = run("check", str(tpl), "--vars", str(tmp_path / "vars.yaml"), "--format", "json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["files"][0]["report"]["findings"] == []
    (tmp_path / "partial.json").write_text('{"name": "张三"}', encoding="utf-8")
    out = run("check", str(tpl), "--vars", str(tmp_path / "partial.json"))
    assert out.returncode == 2 and ("vip" in out.stderr or "room" in out.stderr)


@pytest.mark.parametrize("args,needle", [
    (["--checks", "nope"], "unknown check"),
    (["--author-type", "robot"], "author-type"),
    (["--vars", "/nonexistent.json"], "--vars"),
    (["--config", "/nonexistent.toml"], "config file not found"),
])
def test_usage_errors_exit_2_with_one_line(files, args, needle):
    clean, _ = files
    out = run("check", str(clean), *args)
    assert out.returncode == 2
    assert needle in out.stderr and out.stderr.strip().count("\n") == 0


def test_binary_input_is_refused(tmp_path):
    p = tmp_path / "x.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = run("check", str(p))
    assert out.returncode == 2 and "binary" in out.stderr


def test_a_setting_a_check_cannot_use_is_a_one_line_error(files, tmp_path):
    clean, _ = files
    cfg = tmp_path / "precheck.toml"
    cfg.write_text('[grammar]\nmax_sentence_chars = "long"\n', encoding="utf-8")
    out = run("check", str(clean), "--config", str(cfg))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip().count("\n") == 0 and "max_sentence_chars" in out.stderr and "Traceback" not in out.stderr


def test_config_disables_a_rule(files, tmp_path):
    _, bad = files
    cfg = tmp_path / "precheck.toml"
    cfg.write_text('[rules]\n"placeholder.bracket" = false\n', encoding="utf-8")
    assert run("check", str(bad), "--config", str(cfg)).returncode == 0
    cfg.write_text('[rules]\n"placeholder.bracket" = "warning"\n', encoding="utf-8")
    out = run("check", str(bad), "--config", str(cfg), "--format", "json")
    assert out.returncode == 0
    sev = {f["severity"] for f in json.loads(out.stdout)["files"][0]["report"]["findings"]}
    assert sev == {"warning"}
