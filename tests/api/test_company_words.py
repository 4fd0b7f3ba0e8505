"""Words the company uses: words.txt, precheck words, the admin API and ignore_words; never flagged
by typo and style."""

from __future__ import annotations

import os
import subprocess
import sys

from app import pipeline, resources
from app.models import Draft
from app.settings import Settings

DRAFT = "请使用按装宝和 灵犀Pro 完成配置。"  # the spaces around the name are house style; inside it, not
WORDS = ["按装宝", "灵犀Pro"]
ADMIN = "adm-words-1"
AS_ADMIN = {"Authorization": f"Bearer {ADMIN}"}


def _flagged(findings) -> list[tuple[str, str]]:
    return sorted((f["rule"] if isinstance(f, dict) else f.rule, f["text"] if isinstance(f, dict) else f.text)
                  for f in findings if (f["check"] if isinstance(f, dict) else f.check) in ("typo", "style"))


def test_words_txt_in_a_lexicon_folder(tmp_path):
    plain = resources.load(Settings(data_dir=tmp_path / "data"), only={"typo", "style"})
    assert len(_flagged(pipeline.run(Draft(body=DRAFT), plain).findings)) == 2
    (tmp_path / "company").mkdir()
    (tmp_path / "company" / "words.txt").write_text("# 产品名\n" + "\n".join(WORDS) + "\n", encoding="utf-8")
    res = resources.load(Settings(lexicon_dirs=str(tmp_path / "company"), data_dir=tmp_path / "data"),
                         only={"typo", "style"})
    assert _flagged(pipeline.run(Draft(body=DRAFT), res).findings) == []
    # Only the words themselves: the same typo elsewhere is still reported.
    assert _flagged(pipeline.run(Draft(body="请按装新版客户端。"), res).findings) == [("typo.confusion", "按装")]


def test_ignore_words_of_a_request(tmp_path):
    res = resources.load(Settings(data_dir=tmp_path / "data"), only={"typo", "style"})
    assert _flagged(pipeline.run(Draft(body=DRAFT, ignore_words=WORDS), res).findings) == []
    kept = pipeline.run(Draft(body=DRAFT + "请按装客户端。", ignore_words=["按装宝"]), res).findings
    assert ("typo.confusion", "按装") in _flagged(kept) and ("style.cjk_spacing", "犀P") in _flagged(kept)


def test_admin_api_adds_lists_and_removes_words(server_factory):
    srv = server_factory({"PRECHECK_ADMIN_KEYS": f"adm:{ADMIN}"})
    with srv.client() as c:
        assert c.get("/v1/admin/words").status_code == 401
        assert len(_flagged(c.post("/v1/check", json={"body": DRAFT}, headers=AS_ADMIN).json()["findings"])) == 2
        r = c.post("/v1/admin/words", json={"words": WORDS}, headers=AS_ADMIN)
        assert r.status_code == 201 and r.json()["added"] == WORDS
        assert c.post("/v1/admin/words", json={"words": WORDS}, headers=AS_ADMIN).json()["added"] == []
        assert _flagged(c.post("/v1/check", json={"body": DRAFT}, headers=AS_ADMIN).json()["findings"]) == []
        listed = c.get("/v1/admin/words", headers=AS_ADMIN).json()["words"]
        assert {"word": "按装宝", "source": "company"} in listed
        assert (srv.data_dir / "lexicons" / "words.txt").read_text(encoding="utf-8").count("按装宝") == 1
        bad = c.post("/v1/admin/words", json={"words": ["两个 词"]}, headers=AS_ADMIN)
        assert bad.status_code == 422 and "spaces" in bad.json()["detail"]
        assert c.delete("/v1/admin/words/按装宝", headers=AS_ADMIN).status_code == 200
        assert c.delete("/v1/admin/words/按装宝", headers=AS_ADMIN).status_code == 404
        assert _flagged(c.post("/v1/check", json={"body": DRAFT}, headers=AS_ADMIN).json()["findings"]) == [("typo.confusion", "按装")]
        r = c.post("/v1/check", json={"body": DRAFT, "ignore_words": [""]}, headers=AS_ADMIN)
        assert r.status_code == 422 and "detail" in r.json()


def test_cli_words_add_list_and_check(tmp_path):
    env = {**os.environ, "NO_COLOR": "1", "PRECHECK_DATA_DIR": str(tmp_path / "data"),
           "PRECHECK_LEXICON_DIRS": str(tmp_path / "lex")}
    cli = [sys.executable, "-m", "app.cli"]
    (tmp_path / "post.txt").write_text(DRAFT + "\n", encoding="utf-8")
    run = lambda *a: subprocess.run([*cli, *a], capture_output=True, text=True, env=env, cwd=tmp_path,  # noqa: E731
                                    timeout=300)
    assert run("check", "post.txt", "--checks", "typo,style").returncode == 1
    added = run("words", "add", *WORDS, "--dir", str(tmp_path / "lex"))
    assert added.returncode == 0 and "2 added" in added.stdout
    assert run("words", "add", "a#b").returncode == 2
    assert f"按装宝\t{tmp_path / 'lex'}" in run("words", "list").stdout
    assert run("check", "post.txt", "--checks", "typo,style").returncode == 0
