"""链接规范 (三(四)4): links must be lawful, must not lead to malicious sites, and must be followed
by a note of their content and purpose. Static rules need no network; probing (``probe_links``)
fetches each link through the SSRF guard and reports dead links and where redirects really lead.
"""

from __future__ import annotations

from typing import Iterable

from .. import lexicon
from ..document import Document, Link
from ..links.describe import Describer
from ..links.probe import ProbeConfig, ProbeResult, get_prober
from ..links.rules import UrlIssue, evaluate, load_data
from ..net import loop
from ..net.guard import REASON_ZH
from ..rules import Rule
from .base import Hit, LoadContext, RunOptions, SimpleCheck

NAME = "link"
CLAUSE = "三(四)4"

_NOTE = "（说明页面，用于演示）"  # keeps the description rule quiet in other rules' examples
_PROBE = "http://probe.test"  # probe examples: the tests serve this host from 127.0.0.1
_CLOSED = "http://closed.test"  # ... and send this one to a 127.0.0.1 port nobody listens on


def _probe_ex(path: str, host: str = _PROBE) -> dict:
    return {"body": f"{host}{path or '/'}{_NOTE}", "probe_links": True}


RULES = (
    Rule("link.scheme", "block", CLAUSE, "链接协议不是 http/https（javascript:、data:、file:、vbscript: 等可执行脚本或读取本地文件）。",
         hit=("打开 javascript:alert(document.cookie)" + _NOTE, "data:text/html;base64,PHNjcmlwdD4=" + _NOTE,
              {"body": '<p><a href="javascript:void(0)">领取奖品</a>（抽奖页面，用于领奖）</p>', "format": "html"},
              {"body": "[制度原文](⟦file:///C:/share/policy.docx⟧)（内部文件）", "format": "markdown"},
              {"body": '<p><a href="vbscript:msgbox(1)">查看通知</a></p>', "format": "html"}),
         nohit=("访问 https://example.com/" + _NOTE, "邮件主题：javascript 入门课程。")),
    Rule("link.invalid", "error", CLAUSE, "链接不是有效的完整网址（主机名非法、相对地址等）。",
         hit=("https://ex_ample.com/page" + _NOTE,
              {"body": "请阅读[⟦请假制度⟧](/docs/leave.pdf)（制度原文，用于查阅）。", "format": "markdown"}),
         nohit=("https://example.com/page" + _NOTE,
                {"body": "[回到顶部](#top)（页内跳转，用于返回开头）", "format": "markdown"})),
    Rule("link.http", "warning", CLAUSE, "链接使用未加密的 http，内容可能被篡改。",
         hit=("⟦http://example.com/news⟧（公司新闻页面，用于了解动态）",),
         nohit=("https://example.com/news（公司新闻页面，用于了解动态）",)),
    Rule("link.ip_literal", "error", CLAUSE,
         "链接用 IP 地址（点分、十进制、十六进制、八进制、简写、IPv6、IPv4 映射等任何写法）代替域名。",
         hit=("http://2130706433/" + _NOTE, "http://0x7f000001/" + _NOTE, "http://0177.0.0.1/" + _NOTE,
              "http://127.1/" + _NOTE, "https://[::1]/" + _NOTE, "https://[::ffff:127.0.0.1]/" + _NOTE,
              "https://8.8.8.8/dns" + _NOTE, "https://192.168.1.10:8443/" + _NOTE),
         nohit=("https://example.com/" + _NOTE, "版本 1.2.3.4 已发布。", "https://v1.2.example.com/" + _NOTE)),
    Rule("link.credentials", "error", CLAUSE, "链接中含有用户名或密码（user:password@host）。",
         hit=("https://admin:secret@example.com/" + _NOTE, "https://token@example.com/api" + _NOTE),
         nohit=("https://example.com/@team" + _NOTE, "联系邮箱 admin@example.com。")),
    Rule("link.internal", "error", CLAUSE,
         "链接指向内部网络：内部主机名（localhost、单级主机名、.local/.internal/.corp 等），或探测时解析为内网地址。",
         hit=("http://localhost:8080/admin" + _NOTE, "http://intranet/wiki" + _NOTE,
              "https://gitlab.corp/team" + _NOTE, "https://printer.local/" + _NOTE),
         nohit=("https://gitlab.com/team" + _NOTE, "https://local.example.com/" + _NOTE)),
    Rule("link.homograph", "block", CLAUSE, "国际化域名混用拉丁字母与西里尔/希腊字母，或整体形似拉丁字母（仿冒字形）。",
         hit=("https://xn--pple-43d.com/login" + _NOTE, "https://аpple.com/" + _NOTE,
              "https://xn--80ak6aa92e.com/" + _NOTE),
         nohit=("https://apple.com/" + _NOTE, "https://пример.рф/" + _NOTE, "https://例子.测试/" + _NOTE)),
    Rule("link.idn", "warning", CLAUSE, "链接使用国际化域名（非仿冒字形），请确认是官方地址。",
         hit=("https://例子.测试/" + _NOTE, "https://пример.рф/" + _NOTE, "https://xn--fsqu00a.xn--0zwm56d/" + _NOTE),
         nohit=("https://example.com/" + _NOTE,)),
    Rule("link.shortener", "warning", CLAUSE, "短链接（lexicons/domains/shorteners.txt）隐藏了真实去向；探测时会展开。",
         hit=("https://t.cn/A6abcdEf" + _NOTE, "https://bit.ly/3xYzAbc" + _NOTE, "https://url.cn/5ABCdef" + _NOTE),
         nohit=("https://weibo.com/u/123456" + _NOTE, "https://cnt.cn/page" + _NOTE)),
    Rule("link.deny", "block", CLAUSE, "链接主机在恶意/禁止网站名单中（lexicons/domains/deny.txt 及导入的威胁情报）。",
         hit=("https://testsafebrowsing.appspot.com/s/malware.html" + _NOTE,),
         nohit=("https://appspot.com/" + _NOTE, "https://example.com/" + _NOTE)),
    Rule("link.lookalike", "error", CLAUSE,
         "域名与可信域名（lexicons/domains/allow.txt）相似：编辑距离、0/o、1/l、rn/m 形近，或把可信域名嵌在别的域名里。",
         hit=("https://paypa1.com/login" + _NOTE, "https://qq.com.verify-login.top/" + _NOTE,
              "https://taobao-shop.com/" + _NOTE, "https://rnicrosoft.com/" + _NOTE),
         nohit=("https://weixin.qq.com/" + _NOTE, "https://www.baidu.com/s?wd=年假" + _NOTE,
                "https://paypal.com/" + _NOTE, "https://example.org/" + _NOTE)),
    Rule("link.long", "info", CLAUSE, "链接过长（默认超过 200 个字符，[link] max_length），读者难以辨认。",
         hit=("https://example.com/" + "a" * 220 + _NOTE,),
         nohit=("https://example.com/a" + _NOTE,)),
    Rule("link.subdomains", "info", CLAUSE, "子域名层级过多（默认超过 4 级，[link] max_subdomains），常见于仿冒地址。",
         hit=("https://a.b.c.d.e.example.com/" + _NOTE,),
         nohit=("https://news.example.com/" + _NOTE,)),
    Rule("link.description", "error", CLAUSE,
         "链接后未注明主要内容和用途：裸链接、或链接文字为“点这里”“链接”“点击”“here”等，且同一句中链接后没有说明。",
         hit=("详情见 ⟦https://example.com/leave⟧ 。",
              {"body": "- 报名链接：[⟦点这里⟧](https://example.com/signup)", "format": "markdown"},
              {"body": '<p>报名请<a href="https://example.com/signup">点击</a>。</p>', "format": "html"},
              "访问 ⟦https://example.com/x⟧ 了解更多。",
              {"body": "See [⟦here⟧](https://example.com/doc).", "format": "markdown"}),
         nohit=("https://example.com/leave（年假申请页面，用于在线提交申请）",
                "详情请访问 https://intranet.example.com/annual （年会报名页面，用于在线报名）。",
                {"body": "请填写[年假申请表](https://example.com/leave)。", "format": "markdown"},
                {"body": "报名请[点这里](https://example.com/signup)（年会报名页面，用于在线报名）。",
                 "format": "markdown"},
                "请访问 https://example.com/leave ，在线提交年假申请。")),
    # Found by probing (probe_links); the examples run against a local server in tests/test_link_probe.py.
    Rule("link.dead", "error", CLAUSE, "探测：链接打不开（HTTP 404/410；其他 4xx 为警告）。",
         hit=(_probe_ex("/status/404"), _probe_ex("/status/410")),
         nohit=(_probe_ex("/status/200"),), needs="probe"),
    Rule("link.server_error", "warning", CLAUSE, "探测：服务器出错（HTTP 5xx）。",
         hit=(_probe_ex("/status/503"),), nohit=(_probe_ex("/status/200"),), needs="probe"),
    Rule("link.timeout", "warning", CLAUSE, "探测：在超时时间内没有响应（PRECHECK_LINK_TIMEOUT）。",
         hit=(_probe_ex("/slow"),), nohit=(_probe_ex("/status/200"),), needs="probe"),
    Rule("link.unreachable", "warning", CLAUSE, "探测：无法连接（域名不存在、连接被拒、TLS 证书无效等）。",
         hit=(_probe_ex("", host=_CLOSED),),
         nohit=(_probe_ex("/status/200"),), needs="probe"),
    Rule("link.redirects", "warning", CLAUSE, "探测：跳转超过 5 次仍未到达页面。",
         hit=(_probe_ex("/redirect/7"),), nohit=(_probe_ex("/redirect/2"),), needs="probe"),
)

_SEVERITY = {r.id: r.severity for r in RULES}
_PROBE_RULE = {"dead": "link.dead", "client_error": "link.dead", "server_error": "link.server_error",
               "timeout": "link.timeout", "unreachable": "link.unreachable", "redirects": "link.redirects"}


def _probe_target(url: str) -> str | None:
    low = url.lower()
    if low.startswith(("http://", "https://")):
        return url
    return "http://" + url if low.startswith("www.") else None


class LinkCheck(SimpleCheck):
    name = NAME

    def __init__(self, ctx: LoadContext):
        super().__init__(ctx)
        self.data = load_data(ctx.lexicon_dirs, ctx.options(NAME))
        self.describer = Describer(lexicon.read_lines(ctx.lexicon_dirs, "links/generic_anchors.txt"))
        self.probe_config = ProbeConfig.from_settings(ctx.settings)
        self.budget = ctx.settings.link_probe_budget

    def _blocked(self, url: str) -> bool:
        """A hop (or link) the static rules forbid outright is never requested."""
        return any((i.severity or _SEVERITY.get(i.rule)) == "block" for i in evaluate(url, self.data))

    def probe(self, urls: list[str]) -> dict[str, ProbeResult]:
        """Probe on the shared network loop (one pool, cache and limit for every request of the process)."""
        async def go():
            prober = await get_prober(self.probe_config)
            return await prober.probe_many(urls, self._blocked, budget=self.budget)

        try:
            return loop.run(go(), timeout=self.budget + 5)
        except TimeoutError:
            return {u: ProbeResult(u, "timeout", detail="probe budget exhausted") for u in urls}

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        links = [l for l in doc.links if not (l.field == "body" and l.end > l.start and doc.in_code(l.start, l.end))]
        issues: dict[str, list[UrlIssue]] = {}
        for link in links:
            if link.url not in issues:
                issues[link.url] = evaluate(link.url, self.data)
        results: dict[str, ProbeResult] = {}
        if opts.probe_links:
            targets = {l.url: t for l in links if (t := _probe_target(l.url))
                       and not any((i.severity or _SEVERITY.get(i.rule)) == "block" for i in issues[l.url])}
            probed = self.probe(sorted(set(targets.values())))
            results = {url: probed[t] for url, t in targets.items() if t in probed}

        for link in links:
            start, end, source_span = self._span(doc, link)

            def hit(rule: str, message: str, severity=None) -> Hit:
                return Hit(rule, link.field, start, end, message, severity=severity, source_span=source_span)

            result = results.get(link.url)
            for issue in issues[link.url]:
                message = issue.message
                if issue.rule == "link.shortener" and result and result.hops:
                    message += f"；展开后为 {result.hops[-1]}"
                yield hit(issue.rule, message, issue.severity)
            if link.kind != "iframe":
                problem = self.describer.problem(link)
                if problem:
                    yield hit("link.description", problem)
            if result is not None:
                static = {i.rule for i in issues[link.url]}
                for rule, message, severity in self._probe_findings(result):
                    if rule == "link.internal" and not result.hops and "link.internal" in static:
                        continue  # already said by the static rule about the same host
                    yield hit(rule, message, severity)

    def _probe_findings(self, r: ProbeResult) -> Iterable[tuple[str, str, str | None]]:
        via = f"（跳转后的地址 {r.final_url}）" if r.hops else ""
        for hop in r.hops:
            for issue in evaluate(hop, self.data):
                yield issue.rule, f"跳转后的地址 {hop}：{issue.message}", issue.severity
        if r.outcome == "refused":
            reason = REASON_ZH.get(r.refused_reason or "", r.refused_reason or "")
            yield ("link.internal", f"链接{via}解析到内部网络地址 {r.refused_address}（{reason}），出于安全原因未访问："
                   "公众无法打开，请删除或改用公开地址", None)
        elif r.outcome in _PROBE_RULE:
            rule = _PROBE_RULE[r.outcome]
            text = {"dead": f"链接{via}打不开（HTTP {r.status}）：请检查地址是否正确、页面是否已删除",
                    "client_error": f"链接{via}返回 HTTP {r.status}，读者可能无法访问（需要登录或被拒绝）：请确认",
                    "server_error": f"链接{via}的服务器出错（HTTP {r.status}）：请稍后复查",
                    "timeout": f"链接{via}在规定时间内没有响应：请确认网站可以访问",
                    "unreachable": f"链接{via}无法连接（{r.detail}）：请确认地址",
                    "redirects": f"链接跳转 {len(r.hops)} 次后仍未到达页面：请直接使用最终地址",
                    }[r.outcome]
            yield rule, text, "warning" if r.outcome == "client_error" else None

    @staticmethod
    def _span(doc: Document, link: Link) -> tuple[int, int, tuple[int, int] | None]:
        if link.kind == "iframe":
            for m in doc.media:
                if m.kind == "iframe" and m.url == link.url and m.start == link.start:
                    return link.start, link.end, (m.src_start, m.src_end)
        return link.start, link.end, None


def build(ctx: LoadContext) -> LinkCheck:
    return LinkCheck(ctx)
