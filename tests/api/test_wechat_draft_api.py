"""POST /v1/check/wechat: the body of WeChat's draft API, one report per article."""

from __future__ import annotations

import json

import httpx

from support.docx_drafts import DENIED_HOST

ARTICLE = {
    "title": "关于年会的通知",
    "author": "品牌部",
    "digest": "请大家按装新版客户端",
    "content": '<p>年会定于周五举行。</p><p><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg"'
               ' data-type="jpeg"></p><p>欢迎参加。</p>',
    "content_source_url": f"https://{DENIED_HOST}/read",
    "thumb_media_id": "MEDIA_ID_1",
    "need_open_comment": 0,
    "only_fans_can_comment": 0,
}


def _post(server, body: dict) -> httpx.Response:
    # ASCII JSON, so a lone surrogate travels as the \ud800 escape a client may send
    return httpx.post(server.url + "/v1/check/wechat", content=json.dumps(body), timeout=60,
                      headers={"content-type": "application/json"})


def test_each_article_is_checked_with_its_digest_and_source_url(server):
    clean = {"title": "培训通知", "content": "<p>培训定于周五下午举行，请准时参加。</p>"}
    r = _post(server, {"articles": [ARTICLE, clean]})
    assert r.status_code == 200, r.text
    data = r.json()
    first, second = (a["report"] for a in data["articles"])
    assert [a["index"] for a in data["articles"]] == [0, 1]
    by_field = {}
    for f in first["findings"]:
        by_field.setdefault(f["field"], set()).add(f["rule"])
    assert "typo.confusion" in by_field["digest"]
    assert "link.deny" in by_field["content_source_url"]
    assert "link.description" not in by_field["content_source_url"]
    # The data-src image of WeChat's HTML is a media item of the content.
    media = [f for f in first["findings"] if f["rule"] == "media.attribution_missing"]
    assert media and ARTICLE["content"][media[0]["offset"]:].startswith("<img data-src=")
    digest = next(f for f in first["findings"] if f["field"] == "digest")
    assert ARTICLE["digest"][digest["offset"]:digest["offset"] + digest["length"]] == "按装"
    assert first["verdict"] == "block" and second["verdict"] == "pass"
    assert data["verdict"] == "block"
    # The denied source URL escalates like a block finding in the body would.
    assert first["tier"]["level"] == "leadership"
    assert any(r["field"] == "content_source_url" for r in first["tier"]["reasons"])
    assert data["summary"]["block"] == first["summary"]["block"] + second["summary"]["block"]
    assert data["tier"]["level"] == max((a["report"]["tier"]["level"] for a in data["articles"]),
                                        key=["department", "external", "leadership"].index)


def test_not_a_draft_body_is_a_422_with_detail(server):
    for body in ({}, {"articles": []}, {"articles": [{"title": "无正文"}]}, {"articles": "x"},
                 {"articles": [{"content": "<p>a\ud800b</p>"}]}, {"articles": [{"content": "<p>x</p>", "digest": 5}]}):
        r = _post(server, body)
        assert r.status_code == 422, body
        assert r.json()["detail"]


def test_an_article_over_the_limit_is_413(server_factory):
    s = server_factory({"PRECHECK_MAX_CHARS": "50"})
    r = _post(s, {"articles": [{"title": "长文", "content": "<p>" + "很长的正文。" * 20 + "</p>"}]})
    assert r.status_code == 413 and "limit" in r.json()["detail"]
