"""Image bytes: type by content, limits, EXIF/XMP credit, QR codes judged by the link rules, clarity."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app import pipeline
from app.config import load_config
from app.media.image import ImageRefused, Limits, check_header, inspect, sniff
from app.media.metadata import metadata_credit
from app.models import Draft
from support import resources_for, run_draft
from support.media_images import bomb_png, data_url, encode, photo, qr_png, xmp


def run_with(draft: dict, attachments: dict[str, bytes], res=None):
    return pipeline.run(Draft(**draft), res or resources_for("media"), attachments=attachments)


def media_rules(report) -> list[str]:
    return sorted(f.rule for f in report.findings if f.check == "media")


@pytest.mark.parametrize("fmt,mime", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"),
                                      ("WEBP", "image/webp"), ("BMP", "image/bmp"), ("TIFF", "image/tiff")])
def test_type_is_read_from_the_content(fmt, mime):
    assert sniff(encode(photo(64, 48), fmt)) == mime


def test_a_file_named_like_an_image_but_holding_html_is_refused():
    with pytest.raises(ImageRefused) as e:
        check_header(b"<!DOCTYPE html><html><script>alert(1)</script></html>", Limits(), "photo.jpg")
    assert e.value.status == 422 and "text/html" in e.value.message


def test_svg_is_not_inspected():
    with pytest.raises(ImageRefused) as e:
        check_header(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', Limits(), "a.png")
    assert e.value.status == 422 and "svg" in e.value.message


def test_decompression_bomb_is_refused_from_the_header():
    bomb = bomb_png(20000, 20000)  # 400 megapixels in a few hundred KB
    assert len(bomb) < 2_000_000
    with pytest.raises(ImageRefused) as e:
        inspect(bomb, Limits(), "bomb.png")
    assert e.value.status == 413 and "pixels" in e.value.message


def test_byte_limit():
    data = encode(photo(), "PNG")
    with pytest.raises(ImageRefused) as e:
        check_header(data, Limits(max_bytes=len(data) - 1), "a.png")
    assert e.value.status == 413
    assert check_header(data, Limits(max_bytes=len(data)), "a.png")[0] == "image/png"


def test_truncated_image_is_unreadable_not_a_crash():
    data = encode(photo(), "JPEG")[:200]
    with pytest.raises(ImageRefused) as e:
        inspect(data, Limits(), "cut.jpg")
    assert e.value.status == 422


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_artist_copyright_and_windows_author(fmt):
    data = encode(photo(), fmt, artist="张三", copyright="© 2024 新华社", xp_author="王五")
    credit = metadata_credit(Image.open(io.BytesIO(data)))
    assert credit == {"exif:Artist": "张三", "exif:Copyright": "© 2024 新华社", "exif:XPAuthor": "王五"}


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_xmp_creator_rights_and_photoshop_credit(fmt):
    data = encode(photo(), fmt, xmp_packet=xmp(creator="李四", rights="© 品牌部", credit="公司品牌部"))
    credit = metadata_credit(Image.open(io.BytesIO(data)))
    assert credit == {"dc:creator": "李四", "dc:rights": "© 品牌部", "photoshop:Credit": "公司品牌部"}


def test_hostile_xmp_with_entities_is_ignored():
    packet = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
              b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&b;</x:xmpmeta>')
    data = encode(photo(), "JPEG", artist="张三", xmp_packet=packet)
    assert metadata_credit(Image.open(io.BytesIO(data))) == {"exif:Artist": "张三"}


def test_metadata_credit_satisfies_the_rule_as_info():
    data = encode(photo(), "JPEG", artist="张三")
    report = run_with({"body": "活动回顾\n\n![](photo.jpg)\n\n正文。", "format": "markdown"}, {"photo.jpg": data})
    [f] = [f for f in report.findings if f.check == "media"]
    assert (f.rule, f.severity, f.text) == ("media.metadata_credit", "info", "![](photo.jpg)")
    # The credit is inserted after the image; the suggestion string keeps the image in front of it.
    assert "张三" in f.message and f.suggestions == ("![](photo.jpg)\n图片来源：张三",)
    assert [(e.offset, e.length, e.text) for e in f.edits] == [(20, 0, "\n图片来源：张三")]


def test_image_without_metadata_and_without_credit_is_an_error():
    report = run_with({"body": "![](photo.jpg)", "format": "markdown"}, {"photo.jpg": encode(photo(), "JPEG")})
    assert media_rules(report) == ["media.attribution_missing"]


def test_attachment_matches_by_file_name_too():
    data = encode(photo(), "PNG", xmp_packet=xmp(rights="© 品牌部"))
    report = run_with({"body": '<img src="https://cdn.example.com/img/a.png">', "format": "html"}, {"a.png": data})
    assert media_rules(report) == ["media.metadata_credit"]


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "https://testsafebrowsing.appspot.com/s/phishing.html",
                                 "vbscript:msgbox(1)"])
def test_qr_code_to_a_script_or_deny_listed_host_blocks(url):
    report = run_with({"body": "扫码报名\n\n![](qr.png)\n\n图：品牌部", "format": "markdown"}, {"qr.png": qr_png(url)})
    [f] = [f for f in report.findings if f.rule == "media.qr_link"]
    assert f.severity == "block" and f.text == "![](qr.png)" and url in f.message
    assert report.verdict == "block"


def test_qr_code_to_plain_http_takes_the_link_rule_severity():
    report = run_with({"body": "扫码", "media": [{"url": "qr.png", "credit": "品牌部"}]},
                      {"qr.png": qr_png("http://www.gov.cn/")})
    [f] = [f for f in report.findings if f.rule == "media.qr_link"]
    assert f.field == "media[0]" and f.severity != "block" and f.category == "link.http"


def test_qr_code_to_a_clean_link_or_plain_text_is_silent():
    for text in ("https://www.gov.cn/zhengce/", "会议签到：第3会议室"):
        report = run_with({"body": "扫码", "media": [{"url": "qr.png", "credit": "品牌部"}]}, {"qr.png": qr_png(text)})
        assert media_rules(report) == [], text


def test_deny_list_from_an_extra_lexicon_folder_applies_to_qr_codes(tmp_path, monkeypatch):
    from app import resources
    from app.settings import Settings
    (tmp_path / "domains").mkdir()
    (tmp_path / "domains" / "deny.txt").write_text("evil.example\n", encoding="utf-8")
    res = resources.load(Settings(lexicon_dirs=str(tmp_path), data_dir=tmp_path / "data"), only={"media"})
    report = run_with({"body": "扫码", "media": [{"url": "qr.png", "credit": "品牌部"}]},
                      {"qr.png": qr_png("https://login.evil.example/")}, res)
    [f] = [f for f in report.findings if f.rule == "media.qr_link"]
    assert f.severity == "block"


def test_small_and_blurry_images_are_unclear_sharp_ones_are_not():
    credit = "\n\n图：品牌部"
    for img, expect in ((photo(100, 80), ["media.unclear"]), (photo(blur=8), ["media.unclear"]),
                        (photo(), []), (photo(1600, 1200), [])):
        report = run_with({"body": "![](a.png)" + credit, "format": "markdown"}, {"a.png": encode(img, "PNG")})
        assert media_rules(report) == expect, img.size


def test_flat_graphics_are_not_called_blurry():
    report = run_with({"body": "![](a.png)\n\n图：品牌部", "format": "markdown"},
                      {"a.png": encode(Image.new("RGB", (400, 300), "navy"), "PNG")})
    assert media_rules(report) == []


def test_thresholds_come_from_the_configuration(tmp_path):
    from app import resources
    from app.settings import Settings
    cfg_file = tmp_path / "precheck.toml"
    cfg_file.write_text("[media]\nmin_side = 500\n", encoding="utf-8")
    settings = Settings(config=cfg_file, data_dir=tmp_path / "data")
    res = resources.load(settings, load_config(cfg_file), only={"media"})
    report = run_with({"body": "![](a.png)\n\n图：品牌部", "format": "markdown"}, {"a.png": encode(photo(), "PNG")}, res)
    assert media_rules(report) == ["media.unclear"]


def test_images_over_the_publishing_limit_are_too_large(tmp_path):
    from app import resources
    from app.settings import Settings
    cfg_file = tmp_path / "precheck.toml"
    cfg_file.write_text("[media]\npublish_max_bytes = 1000\n", encoding="utf-8")
    res = resources.load(Settings(config=cfg_file, data_dir=tmp_path / "d"), load_config(cfg_file), only={"media"})
    report = run_with({"body": "x", "media": [{"url": "a.jpg", "credit": "品牌部"}]},
                      {"a.jpg": encode(photo(), "JPEG")}, res)
    assert media_rules(report) == ["media.too_large"]


def test_data_url_images_are_inspected_without_attachments():
    url = data_url(encode(photo(), "JPEG", artist="张三"), "image/jpeg")
    report = run_draft({"body": f'<img src="{url}">', "format": "html"}, "media")
    assert media_rules(report) == ["media.metadata_credit"]


def test_every_finding_on_an_image_selects_its_markup():
    body = "# 标题\n\n正文 &amp; 说明。\n\n![二维码](qr.png)\n\n<img src=\"b.png\">\n"
    report = run_with({"body": body, "format": "markdown"},
                      {"qr.png": qr_png("javascript:alert(1)"), "b.png": encode(photo(90, 60), "PNG")})
    assert {f.rule for f in report.findings if f.check == "media"} >= {"media.qr_link", "media.unclear"}
    for f in report.findings:
        assert body[f.offset:f.offset + f.length] == f.text
