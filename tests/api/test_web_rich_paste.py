"""The check form as authors work: a rich paste from an editor, a Word document, a phone.

Driven in Debian's Chromium through Playwright against a real server. Every request of the page
goes through a route that lets only the service through: anything else is aborted and fails the
test. Screenshots of the desktop and the phone view are written to ``docs/`` when missing or when
``PRECHECK_UPDATE_SCREENSHOT=1``.
"""

from __future__ import annotations

import json
import os

import httpx
import pytest

from app.media import examples as ex
from support import ROOT
from support import docx_drafts as dd
from test_web_page import ARTIFACTS, browser  # noqa: F401  (the shared browser fixture)

DESKTOP_SHOT = ROOT / "docs" / "screenshot-article.png"
PHONE_SHOT = ROOT / "docs" / "screenshot-phone.png"

CLIPBOARD_HTML = (
    '<meta charset="utf-8"><section class="_135editor" style="margin:0">'
    '<h2 style="color:#c00">年会活动回顾</h2>'
    '<p><span style="font-size:15px">请各位同事按装最新版本的客户端。</span></p>'
    f'<p><img class="rich_pages" data-src="{ex.url("plain")}" style="width:100%"></p>'
    '<p>大家度过了愉快的夜晚。</p>'
    f'<figure><img src="{ex.url("exif")}"><figcaption>年会现场</figcaption></figure>'
    '<p>报名须知见<a href="https://www.gov.cn/zhengce/" target="_blank">政策页面</a>'
    '（国务院政策文件库，用于查阅相关规定）。</p></section>')


class Tab:
    def __init__(self, browser, server, **context):
        self.server = server
        self.context = browser.new_context(locale="zh-CN", **context)
        self.context.set_default_timeout(90_000)
        self.foreign: list[str] = []
        self.errors: list[str] = []

        def only_the_service(route):
            url = route.request.url
            if url.startswith((server.url + "/", "data:", "blob:")):
                route.continue_()
            else:
                self.foreign.append(url)
                route.abort()

        self.context.route("**/*", only_the_service)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.goto(server.url + "/")

    def wait_report(self, before: str | None) -> None:
        self.page.wait_for_function(
            "b => { const r = document.getElementById('results');"
            " return r.dataset.state === 'error' || (r.dataset.state === 'done' && r.dataset.reportId !== b); }",
            arg=before, timeout=120_000)
        assert self.page.get_attribute("#results", "data-state") == "done", self.page.inner_text("#error")

    def check_text(self, text: str, *, tap: bool = False) -> None:
        """Type a plain draft and press 检查 (with a finger when ``tap``)."""
        self.page.fill("#body", text)
        before = self.page.get_attribute("#results", "data-report-id")
        button = self.page.get_by_role("button", name="检查", exact=True)
        button.tap() if tap else button.click()
        self.wait_report(before)

    def close(self) -> None:
        assert not self.foreign, f"the page reached beyond the service: {self.foreign}"
        assert not self.errors, f"errors in the page: {self.errors}"
        self.context.close()


@pytest.fixture
def desktop(browser, server):  # noqa: F811
    t = Tab(browser, server, viewport={"width": 1366, "height": 768})
    yield t
    t.close()


@pytest.fixture
def phone(browser, server):  # noqa: F811
    t = Tab(browser, server, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
            has_touch=True)
    yield t
    t.close()


def paste_html(page, html: str) -> None:
    page.eval_on_selector("#body", """(el, html) => {
        el.focus();
        const dt = new DataTransfer();
        dt.setData('text/html', html);
        dt.setData('text/plain', 'plain text only');
        el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
    }""", html)


def save_shot(page, path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / path.name))
    if not path.exists() or os.environ.get("PRECHECK_UPDATE_SCREENSHOT") == "1":
        page.screenshot(path=str(path))


def no_overflow(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('#results .card, #findings li, #pop')]
        .filter(el => !el.hidden && el.scrollWidth > el.clientWidth + 1).map(el => el.id || el.className)""")


@pytest.mark.browser
def test_rich_paste_keeps_images_and_links_and_shows_their_findings(desktop):
    page = desktop.page
    before = page.get_attribute("#results", "data-report-id")
    paste_html(page, CLIPBOARD_HTML)
    desktop.wait_report(before)
    assert page.input_value("#format") == "html"
    body = page.input_value("#body")
    assert "data-src=" in body and "<figcaption>年会现场</figcaption>" in body and "script" not in body
    assert 'href="https://www.gov.cn/zhengce/"' in body
    # The article is shown rendered: heading, two image stand-ins, the link, findings in place.
    assert page.inner_text("#marked-body h2") == "年会活动回顾"
    assert page.locator("#marked-body .media-ph").count() == 2
    assert page.locator("#marked-body .link").inner_text() == "政策页面"
    findings = page.eval_on_selector_all("#findings li", "ls => ls.map(l => l.textContent)")
    image_findings = [t for t in findings if "media." in t]
    assert any("media.attribution_missing" in t and "图片来源：新华社" in t for t in image_findings), findings
    assert any("media.metadata_credit" in t for t in image_findings), findings
    assert page.locator("#marked-body mark .media-ph").count() == 2  # both images highlighted
    assert page.locator("#marked-body mark", has_text="按装").count() == 1
    # The findings list comes before the per-check table, which is collapsed.
    order = page.evaluate("() => { const f = document.getElementById('findings').getBoundingClientRect().top;"
                          " const c = document.getElementById('checks-box').getBoundingClientRect().top; return [f, c]; }")
    assert order[0] < order[1] < 10_000
    assert page.get_attribute("#checks-box", "open") is None
    assert order[0] < 768, "the findings list starts below the fold at 1366×768"
    assert no_overflow(page) == []
    save_shot(page, DESKTOP_SHOT)


@pytest.mark.browser
def test_plain_typing_and_a_paste_into_a_plain_draft_stay_text(desktop):
    page = desktop.page
    desktop.check_text("请按装客户端。")
    assert page.input_value("#format") == "text"
    assert page.locator("#marked-body mark", has_text="按装").count() == 1
    pasted = []
    page.on("request", lambda r: "/v1/paste" in r.url and pasted.append(r.url))
    page.get_by_role("button", name="编辑").click()
    paste_html(page, CLIPBOARD_HTML)  # into a plain draft that has text: left to the browser
    page.wait_for_timeout(500)
    assert page.input_value("#format") == "text" and page.input_value("#body") == "请按装客户端。"
    assert pasted == []


@pytest.mark.browser
def test_a_word_document_is_checked_with_its_images(desktop, server, tmp_path):
    path = tmp_path / "年会.docx"
    path.write_bytes(dd.acceptance_docx())
    page = desktop.page
    before = page.get_attribute("#results", "data-report-id")
    page.set_input_files("#docx", str(path))
    desktop.wait_report(before)
    assert page.input_value("#format") == "html"
    assert page.inner_text("#marked-body h1") == "年会活动回顾"
    texts = page.eval_on_selector_all("#findings li", "ls => ls.map(l => l.textContent)")
    assert any("media.qr_link" in t and dd.DENIED_HOST in t for t in texts), texts
    assert any("typo.confusion" in t and "第 2 段第 6 字" in t for t in texts), texts
    # The same positions as the upload endpoint gives.
    files = [("document", (path.name, path.read_bytes(), "application/octet-stream"))]
    api = httpx.post(server.url + "/v1/check/upload", files=files, timeout=120).json()
    report_id = page.get_attribute("#results", "data-report-id")
    with page.expect_download() as dl:
        page.get_by_role("button", name="下载报告 JSON").click()
    shown = json.loads(open(dl.value.path(), encoding="utf-8").read())
    assert shown["id"] == report_id
    key = lambda f: (f["rule"], f["offset"], f["length"], f["line"], f["column"])  # noqa: E731
    assert sorted(map(key, shown["findings"])) == sorted(map(key, api["findings"]))


@pytest.mark.browser
def test_a_tap_on_a_phone_opens_the_details_and_keeps_them_open(phone):
    page = phone.page
    phone.check_text("请各位同事按装最新版本的客户端，年会定于[X]月举行。", tap=True)
    for _ in range(3):
        mark = page.locator("#marked-body mark", has_text="按装")
        mark.tap()
        page.wait_for_selector("#pop:not([hidden])")
        page.wait_for_timeout(900)  # past the old hover timer (0.4 s)
        assert page.is_visible("#pop"), "the details closed by themselves after a tap"
        assert "错别字" in page.inner_text("#pop")
        box = page.locator("#pop").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
        apply = page.locator("#pop [data-apply]").first
        assert "「按装」改为「安装」" in apply.inner_text()
        assert apply.bounding_box()["height"] >= 44
        save_shot(page, PHONE_SHOT)
        page.locator("#pop .close").tap()
        assert page.is_hidden("#pop")
    # The findings list is usable with a thumb: it fits the width, its entries are tall enough.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    entry = page.locator("#findings button").first
    assert entry.bounding_box()["height"] >= 44
    entry.tap()
    page.wait_for_selector("#pop:not([hidden])")
    before = page.get_attribute("#results", "data-report-id")
    page.locator("#pop [data-apply]").first.tap()
    phone.wait_report(before)
    assert "安装" in page.input_value("#body")
    assert no_overflow(page) == []
