"""The CLI reads the local images a markdown or html draft refers to, and the media check inspects them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support import ROOT
from support.media_images import encode, photo, qr_png


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "check", "--checks", "media", "--format", "json", *args],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"}, timeout=300)


def findings(proc: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(proc.stdout)["files"][0]["report"]["findings"]


def test_local_images_referenced_by_a_markdown_file_are_inspected(tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "qr code.png").write_bytes(qr_png("javascript:alert(1)"))
    (tmp_path / "img" / "photo.jpg").write_bytes(encode(photo(), "JPEG", copyright="© 2024 新华社"))
    (tmp_path / "img" / "fake.png").write_bytes(b"<html>not an image</html>")
    post = tmp_path / "post.md"
    post.write_text("# 报名\n\n![](img/qr%20code.png)\n\n图：品牌部\n\n![](img/photo.jpg)\n\n正文。\n\n"
                    "![](img/fake.png \"摄影：张三\")\n\n![](img/missing.png)\n", encoding="utf-8")
    proc = check(str(post))
    assert proc.returncode == 1, proc.stderr
    got = {(f["rule"], f["severity"], f["line"]) for f in findings(proc)}
    assert got == {("media.qr_link", "block", 3), ("media.metadata_credit", "info", 7),
                   ("media.unreadable", "warning", 11), ("media.attribution_missing", "error", 13)}


def test_html_file_with_a_picture_element(tmp_path):
    (tmp_path / "a.webp").write_bytes(encode(photo(60, 40), "WEBP"))
    page = tmp_path / "page.html"
    page.write_text('<p>新品</p><picture><source srcset="a.webp"><img src="a.jpg"></picture>'
                    "<p>图：品牌部</p>", encoding="utf-8")
    proc = check(str(page))
    assert [(f["rule"], f["text"][:9]) for f in findings(proc)] == [("media.unclear", "<picture>")]


def test_stdin_and_text_files_read_no_images(tmp_path):
    (tmp_path / "a.png").write_bytes(qr_png("javascript:alert(1)"))
    proc = subprocess.run([sys.executable, "-m", "app.cli", "check", "--checks", "media", "--format", "json",
                           "--input-format", "markdown", "-"], input="![](a.png)\n\n图：品牌部", capture_output=True,
                          text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert findings(proc) == []
