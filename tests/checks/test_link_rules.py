"""The static URL rules as a function, link extraction, and the description rule."""

from __future__ import annotations

import socket

import pytest

from app.document import parse
from app.links import rules
from app.links.describe import Describer
from app.links.rules import LinkData, evaluate, load_data
from app.models import Draft
from app.settings import bundled_lexicon_dir
from support import run_draft

DATA = load_data([bundled_lexicon_dir()])


def rule_ids(url: str, data: LinkData = DATA) -> list[str]:
    return [i.rule for i in evaluate(url, data)]


@pytest.mark.parametrize("url,expected", [
    ("https://example.com/a", []),
    ("http://example.com/a", ["link.http"]),
    ("www.example.com/a", []),
    ("javascript:alert(1)", ["link.scheme"]),
    ("JavaScript:alert(1)", ["link.scheme"]),
    ("mailto:hr@example.com", ["link.scheme"]),
    ("/docs/a.pdf", ["link.invalid"]),
    ("#top", []),
    ("https://admin:pw@example.com/", ["link.credentials"]),
    ("https://2130706433/", ["link.ip_literal"]),
    ("https://[::ffff:127.0.0.1]:8080/", ["link.ip_literal"]),
    ("https://localhost/", ["link.internal"]),
    ("https://files.corp/share", ["link.internal"]),
    ("https://xn--pple-43d.com/", ["link.homograph"]),
    ("https://аррӏе.com/", ["link.homograph"]),
    ("https://пример.рф/", ["link.idn"]),
    ("https://t.cn/abc", ["link.shortener"]),
    ("https://sub.testsafebrowsing.appspot.com/", ["link.deny"]),
    ("https://paypa1.com/", ["link.lookalike"]),
    ("https://baldu.com/", ["link.lookalike"]),
    ("https://www.icbc.com.cn.safe-login.top/", ["link.lookalike"]),
    ("https://love.com/", []),
    ("https://mail.qq.com/", []),
    ("https://a.b.c.d.e.example.com/", ["link.subdomains"]),
])
def test_evaluate(url, expected):
    assert rule_ids(url) == expected


def test_issue_shape_is_stable():
    (issue,) = evaluate("javascript:alert(1)", DATA)
    assert (issue.rule, issue.severity) == ("link.scheme", None) and issue.message


def test_ip_literal_names_internal_addresses():
    (issue,) = [i for i in evaluate("http://0x7f000001/", DATA) if i.rule == "link.ip_literal"]
    assert "127.0.0.1" in issue.message and "回环地址" in issue.message


def test_deny_list_covers_ip_literals_in_any_notation():
    data = LinkData(deny=frozenset({rules.normalize_host("203.0.113.7")}))
    assert "link.deny" in rule_ids("http://3405803783/", data)


def test_options_change_thresholds():
    data = load_data([bundled_lexicon_dir()], {"max_length": 30, "max_subdomains": 1})
    assert "link.long" in rule_ids("https://example.com/0123456789abcdef", data)
    assert "link.subdomains" in rule_ids("https://a.b.example.com/", data)


def test_lexicon_folders_extend_the_bundled_lists(tmp_path):
    (tmp_path / "domains").mkdir()
    (tmp_path / "domains" / "deny.txt").write_text("# ours\nevil.example\n", encoding="utf-8")
    (tmp_path / "domains" / "allow.txt").write_text("precheck-corp.com\n", encoding="utf-8")
    data = load_data([bundled_lexicon_dir(), tmp_path])
    assert rule_ids("https://x.evil.example/", data) == ["link.deny"]
    assert rule_ids("https://precheck-c0rp.com/", data) == ["link.lookalike"]
    assert "t.cn" in data.shorteners and "qq.com" in data.allow


def test_tldextract_uses_the_bundled_list_and_never_the_network(monkeypatch):
    def no_network(*a, **kw):
        raise AssertionError("tldextract tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    import tldextract
    fresh = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    assert fresh("https://a.b.example.co.uk").suffix == "co.uk"
    assert rules.split_host("news.sina.com.cn") == ("news", "sina", "com.cn")


# Extraction ---------------------------------------------------------------------------------

def links_of(body: str, fmt: str = "text"):
    return [(l.url, l.kind) for l in parse(Draft(body=body, format=fmt)).links]


@pytest.mark.parametrize("body,urls", [
    ("访问https://example.com/a了解详情", ["https://example.com/a"]),
    ("见 https://example.com/leave（年假申请页面）。", ["https://example.com/leave"]),
    ("地址：https://example.com/x，谢谢。", ["https://example.com/x"]),
    ("见 https://example.com/x.", ["https://example.com/x"]),
    ("请访问www.example.com/x，谢谢", ["www.example.com/x"]),
    ("https://en.wikipedia.org/wiki/Foo_(bar)。", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
    ("(see https://example.com/x)", ["https://example.com/x"]),
    ("https://例子.测试/ 是中文域名", ["https://例子.测试/"]),
    ("javascript:alert(document.cookie)（x）", ["javascript:alert(document.cookie)"]),
    ("http://[::ffff:127.0.0.1]:8080/x 内部", ["http://[::ffff:127.0.0.1]:8080/x"]),
    ("邮箱 hr@www.example.com 不是链接", []),
])
def test_bare_url_extraction(body, urls):
    assert [u for u, _ in links_of(body)] == urls


def test_markdown_and_html_links():
    assert links_of("[制度](https://example.com/a) 与 <https://example.com/b>", "markdown") == [
        ("https://example.com/a", "markdown"), ("https://example.com/b", "markdown")]
    assert links_of('<p><a href="https://example.com/a">制度</a><iframe src="https://v.example.com/e"></iframe></p>',
                    "html") == [("https://example.com/a", "html"), ("https://v.example.com/e", "iframe")]


def test_links_in_code_are_not_checked():
    report = run_draft({"body": "示例：`http://localhost:8080/`\n\n```\ncurl javascript:x\n```", "format": "markdown"},
                       "link")
    assert report.findings == []


def test_iframe_findings_point_at_the_tag():
    body = '<p>视频：</p><iframe src="http://player.example.com/e/1"></iframe>'
    report = run_draft({"body": body, "format": "html"}, "link")
    (f,) = [f for f in report.findings if f.rule == "link.http"]
    assert f.text.startswith("<iframe") and body[f.offset:f.offset + f.length] == f.text


# Description (三(四)4) ------------------------------------------------------------------------

DESCRIBER = Describer(["点这里", "链接", "点击", "here", "了解更多"])


@pytest.mark.parametrize("after,ok", [
    ("（年假申请页面，用于在线提交申请）", True),
    (" (Annual leave form)", True),
    ("，可在线提交年假申请", True),
    ("：公司年会报名入口", True),
    ("", False),
    (" 。", False),
    ("（链接）", False),
    (" 了解更多", False),
    ("（见）", False),
])
def test_note_after_a_link(after, ok):
    assert DESCRIBER.has_note(after) is ok


def test_description_message_says_what_to_add():
    report = run_draft("参考资料 https://docs.example.com/guide 。", "link")
    (f,) = [f for f in report.findings if f.rule == "link.description"]
    assert f.text == "https://docs.example.com/guide" and f.clause == "三(四)4"
    assert "注明" in f.message and "用途" in f.message and "（年假申请页面" in f.message
    md = run_draft({"body": "报名请[点这里](https://example.com/signup)。", "format": "markdown"}, "link")
    (g,) = [f for f in md.findings if f.rule == "link.description"]
    assert g.text == "点这里" and "“点这里”" in g.message
