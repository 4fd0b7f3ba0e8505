"""Word documents through the upload endpoint and the CLI: the same findings at the same positions,
embedded images inspected as bytes, comments ignored, broken or dangerous archives refused."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from app.document import docx as docx_reader
from support import ROOT
from support import docx_drafts as dd

WANTED = {"typo.confusion", "media.qr_link", "media.attribution_missing"}


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "年会.docx"
    path.write_bytes(dd.acceptance_docx())
    return path


def _upload(server, data: bytes, name: str = "年会.docx", draft: dict | None = None) -> httpx.Response:
    files = [("document", (name, data, docx_reader.MIME))]
    form = {"draft": json.dumps(draft)} if draft is not None else {}
    return httpx.post(server.url + "/v1/check/upload", files=files, data=form, timeout=120)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", "check", *args], capture_output=True, text=True,
                          cwd=str(ROOT), timeout=300)


def _key(f: dict) -> tuple:
    return f["rule"], f["field"], f["offset"], f["length"], f["line"], f["column"]


def test_reader_keeps_structure_links_and_images_and_drops_comments():
    doc = docx_reader.read(dd.acceptance_docx())
    lines = doc.html.splitlines()
    assert lines[0] == "<h1>年会活动回顾</h1>"
    assert '<a href="https://www.gov.cn/zhengce/">政策页面</a>' in doc.html
    assert "审稿意见" not in doc.html  # comments are not part of the post
    assert sorted(doc.images) == ["image1.png", "image2.png"]
    assert doc.images["image1.png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert '<img src="image2.png"' in doc.html


def test_upload_finds_typo_uncredited_qr_and_points_at_paragraph_and_character(server):
    r = _upload(server, dd.acceptance_docx(), draft={"title": "年会活动回顾"})
    assert r.status_code == 200, r.text
    report = r.json()
    body = report["document"]["body"]
    assert report["document"]["format"] == "html" and report["document"]["name"] == "年会.docx"
    rules = {f["rule"] for f in report["findings"]}
    assert WANTED <= rules, rules
    assert report["verdict"] == "block"
    by_rule = {f["rule"]: f for f in report["findings"]}
    typo = by_rule["typo.confusion"]
    assert body[typo["offset"]:typo["offset"] + typo["length"]] == "按装"
    assert (typo["line"], typo["column"]) == (2, 6)  # paragraph 2, character 6 ("请各位同事按装")
    qr = by_rule["media.qr_link"]
    assert dd.DENIED_HOST in qr["message"] and qr["severity"] == "block"
    assert body[qr["offset"]:qr["offset"] + qr["length"]].startswith('<img src="image2.png"')
    assert qr["line"] == 6
    # The credited photo draws no credit finding; only the QR photo lacks one.
    missing = [f for f in report["findings"] if f["rule"] == "media.attribution_missing"]
    assert len(missing) == 1 and missing[0]["offset"] == qr["offset"]
    assert "图片来源：新华社" in missing[0]["message"]
    assert not [f for f in report["findings"] if "审稿" in f["text"]]


def test_cli_gives_the_same_findings_at_the_same_positions(server, docx_file):
    api = _upload(server, docx_file.read_bytes(), draft={"title": "年会活动回顾"}).json()
    p = _cli(str(docx_file), "--format", "json", "--title", "年会活动回顾", "--fail-on", "never")
    assert p.returncode == 0, p.stderr
    cli = json.loads(p.stdout)["files"][0]["report"]
    assert sorted(map(_key, cli["findings"])) == sorted(map(_key, api["findings"]))
    text = _cli(str(docx_file))
    assert text.returncode == 1
    assert f"{docx_file}:2:6: error" in text.stdout  # paragraph 2, character 6


@pytest.mark.parametrize("make, status, words", [
    (lambda: b"this is not a zip archive at all", 422, "not a .docx"),
    (dd.zip_bomb, 413, "zip bomb"),
    (dd.with_external_image, 422, "external image relationship"),
])
def test_bad_documents_are_refused_by_api_and_cli(server, tmp_path, make, status, words):
    data = make()
    r = _upload(server, data)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]
    path = tmp_path / "bad.docx"
    path.write_bytes(data)
    p = _cli(str(path))
    assert p.returncode == 2
    assert words in p.stderr and len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_a_body_and_a_document_together_are_refused(server):
    r = _upload(server, dd.acceptance_docx(), draft={"body": "另一篇正文"})
    assert r.status_code == 422 and "send one of them" in r.json()["detail"]
