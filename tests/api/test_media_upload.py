"""The media check through real servers: POST /v1/check/upload, and images fetched when probing."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from support.media_images import bomb_png, encode, photo, qr_png

UPLOAD = "/v1/check/upload"


def upload(server, draft: dict, files: list[tuple[str, bytes]], field: str = "images"):
    with server.client() as c:
        return c.post(UPLOAD, data={"draft": json.dumps(draft, ensure_ascii=False)},
                      files=[(field, (name, data, "application/octet-stream")) for name, data in files])


def media_findings(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["check"] == "media"]


def test_qr_code_to_javascript_blocks_its_image(server):
    body = "扫码报名：\n\n![报名二维码](qr.png)\n\n图：品牌部\n"
    r = upload(server, {"body": body, "format": "markdown"}, [("qr.png", qr_png("javascript:alert(1)"))])
    assert r.status_code == 200, r.text
    report = r.json()
    [f] = [f for f in report["findings"] if f["rule"] == "media.qr_link"]
    assert f["severity"] == "block" and f["text"] == "![报名二维码](qr.png)"
    assert body[f["offset"]:f["offset"] + f["length"]] == f["text"]
    assert report["verdict"] == "block"


def test_qr_code_to_a_deny_listed_host_blocks_an_api_media_item(server):
    draft = {"body": "扫码领取福利。", "media": [{"url": "poster.png", "credit": "市场部"}]}
    r = upload(server, draft, [("poster.png", qr_png("https://testsafebrowsing.appspot.com/s/malware.html"))])
    assert r.status_code == 200, r.text
    [f] = [f for f in r.json()["findings"] if f["rule"] == "media.qr_link"]
    assert (f["severity"], f["field"], f["offset"], f["length"]) == ("block", "media[0]", 0, 0)


def test_uploaded_image_the_draft_does_not_mention_is_checked_as_a_media_item(server):
    r = upload(server, {"body": "年会圆满结束。"}, [("IMG_0001.jpg", encode(photo(), "JPEG", artist="张三"))])
    assert r.status_code == 200, r.text
    [f] = media_findings(r.json())
    assert (f["rule"], f["field"], f["severity"]) == ("media.metadata_credit", "media[0]", "info")


def test_type_is_sniffed_not_taken_from_the_name(server):
    r = upload(server, {"body": "x"}, [("photo.jpg", b"<html><body>hello</body></html>")])
    assert r.status_code == 422 and "text/html" in r.json()["detail"]
    png_named_txt = upload(server, {"body": "![](notes.txt)\n\n摄影：张三", "format": "markdown"},
                           [("notes.txt", encode(photo(), "PNG"))])
    assert png_named_txt.status_code == 200 and media_findings(png_named_txt.json()) == []


def test_decompression_bomb_is_refused_with_413(server):
    r = upload(server, {"body": "x"}, [("bomb.png", bomb_png(30000, 30000))])
    assert r.status_code == 413
    assert "pixels" in r.json()["detail"] and "bomb.png" in r.json()["detail"]


def test_too_many_files_is_413(server):
    small = encode(photo(32, 32), "PNG")
    r = upload(server, {"body": "x"}, [(f"a{i}.png", small) for i in range(21)])
    assert r.status_code == 413 and "max_images" in r.json()["detail"]


@pytest.mark.parametrize("form,detail", [
    ({}, "field 'draft' is missing"),
    ({"draft": "{not json"}, "not valid JSON"),
    ({"draft": "[1, 2]"}, "must be a JSON object"),
])
def test_bad_draft_field_is_422(server, form, detail):
    with server.client() as c:
        r = c.post(UPLOAD, data=form, files=[("images", ("a.png", encode(photo(32, 32), "PNG"), "image/png"))])
    assert r.status_code == 422 and detail in json.dumps(r.json()["detail"], ensure_ascii=False)


def test_invalid_draft_fields_are_422_with_their_location(server):
    r = upload(server, {"body": 5}, [])
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["draft", "body"]


def test_json_body_is_422_not_500(server):
    with server.client() as c:
        r = c.post(UPLOAD, json={"body": "x"})
    assert r.status_code == 422 and "multipart/form-data" in r.json()["detail"]


def test_duplicate_file_names_are_422(server):
    data = encode(photo(64, 64), "PNG")
    r = upload(server, {"body": "x"}, [("a.png", data), ("a.png", data)])
    assert r.status_code == 422 and "a.png" in r.json()["detail"]


def test_over_long_draft_is_413(server):
    r = upload(server, {"body": "长" * 100_001}, [])
    assert r.status_code == 413


def test_the_endpoint_is_in_the_openapi_document(server):
    with server.client() as c:
        spec = c.get("/openapi.json").json()
    assert "multipart/form-data" in spec["paths"][UPLOAD]["post"]["requestBody"]["content"]


class _Images(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self):
        data = self.files.get(self.path)
        self.send_response(200 if data else 404)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(data or b"")))
        self.end_headers()
        self.wfile.write(data or b"")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def image_host():
    _Images.files = {"/qr.png": qr_png("javascript:alert(1)"), "/credited.jpg": encode(photo(), "JPEG", artist="张三")}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_probing_fetches_images_through_the_guard(server_factory, image_host):
    srv = server_factory(env={"PRECHECK_ALLOW_PRIVATE_TARGETS": "127.0.0.1/32", "PRECHECK_PROBE_LINKS": "true"})
    body = f"扫码：\n\n![]({image_host}/qr.png)\n\n图：品牌部\n\n![]({image_host}/credited.jpg)\n\n正文。"
    with srv.client() as c:
        r = c.post("/v1/check", json={"body": body, "format": "markdown", "probe_links": True, "checks": ["media"]})
    rules = {f["rule"]: f for f in r.json()["findings"]}
    assert rules["media.qr_link"]["severity"] == "block"
    assert rules["media.metadata_credit"]["text"] == f"![]({image_host}/credited.jpg)"


def test_default_guard_never_fetches_images_from_loopback(server_factory, image_host):
    # Probing on, the guard at its defaults: loopback stays out of reach.
    body = f"![]({image_host}/qr.png)\n\n图：品牌部"
    with server_factory(env={"PRECHECK_PROBE_LINKS": "true"}).client() as c:
        r = c.post("/v1/check", json={"body": body, "format": "markdown", "probe_links": True, "checks": ["media"]})
    assert r.status_code == 200
    assert media_findings(r.json()) == []
