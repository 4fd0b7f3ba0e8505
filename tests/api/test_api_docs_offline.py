"""/docs and /redoc work with no way out of the intranet: every asset comes from the service."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_reference_no_host_but_the_service(server, page):
    with server.client() as c:
        r = c.get(page)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        html = r.text
        urls = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', html) + re.findall(r"url\s*:\s*'([^']+)'", html)
        assert urls, html
        for u in urls:
            assert u.startswith(("/", "data:")), f"{page} loads {u} from elsewhere"
            if u.startswith("/docs/assets/"):
                a = c.get(u)
                assert a.status_code == 200 and len(a.content) > 1000, u
        assert not re.search(r"https?://(?!127\.0\.0\.1)", html.replace("http://www.w3.org", "")), page
        assert c.get("/openapi.json").json()["paths"]["/v1/check/wechat"]


def test_an_unknown_asset_is_a_404_with_detail(server):
    with server.client() as c:
        r = c.get("/docs/assets/../../settings.py")
        assert r.status_code == 404
        assert c.get("/docs/assets/nothing.js").json()["detail"]
