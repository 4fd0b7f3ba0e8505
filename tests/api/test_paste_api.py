"""POST /v1/paste: editor HTML made safe, its article structure kept."""

from __future__ import annotations

import httpx

WECHAT = ('<section style="margin:0" class="_135editor"><h2 style="color:red">年会回顾</h2>'
          '<p><span style="font-size:15px">年会<strong>圆满</strong>结束。</span></p>'
          '<figure><img class="rich_pages" data-src="https://mmbiz.qpic.cn/a/0?wx_fmt=png" onerror="alert(1)">'
          '<figcaption>摄影：张三</figcaption></figure>'
          '<p><a href="https://www.gov.cn/" target="_blank" onclick="x()">政策</a></p>'
          '<script>alert(1)</script><style>p{}</style><!-- comment --></section>')
WORD = ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>.MsoNormal{}</style></head>'
        '<body><p class="MsoNormal">通知正文<o:p></o:p></p></body></html>')


def _paste(server, html: str) -> httpx.Response:
    return httpx.post(server.url + "/v1/paste", json={"html": html}, timeout=30)


def test_structure_is_kept_and_active_content_removed(server):
    r = _paste(server, WECHAT)
    assert r.status_code == 200, r.text
    body = r.json()["body"]
    assert r.json()["format"] == "html"
    for kept in ("<h2>年会回顾</h2>", 'data-src="https://mmbiz.qpic.cn/a/0?wx_fmt=png"', "<figcaption>摄影：张三</figcaption>",
                 '<a href="https://www.gov.cn/">政策</a>', "<strong>圆满</strong>"):
        assert kept in body, (kept, body)
    for gone in ("script", "alert", "onclick", "onerror", "style", "class=", "comment", "target"):
        assert gone not in body, (gone, body)
    assert body.count("\n") >= 4  # one block a line


def test_word_markup_is_reduced_to_the_text(server):
    body = _paste(server, WORD).json()["body"]
    assert body.strip() == "<p>通知正文</p>"


def test_bad_input_is_422(server):
    r = httpx.post(server.url + "/v1/paste", json={"text": "x"}, timeout=30)
    assert r.status_code == 422 and r.json()["detail"]
