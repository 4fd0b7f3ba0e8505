"""The static URL rules: what can be said about a link without fetching it.

``evaluate(url, data) -> list[UrlIssue]`` is a pure function, used by the link check for every
link in a draft and for every hop of a redirect chain, and by the media check for URLs decoded from
QR codes. Its signature is stable: ``url`` is the link as written (``www.`` hosts without a scheme
are accepted), ``data`` is a ``LinkData`` from ``load_data(lexicon_dirs)`` (build it once; it is
immutable and thread-safe). Each ``UrlIssue`` carries the rule id (``link.<rule>``, declared with
its examples in ``app/checks/link.py``), a message for the author, and a severity, or None for the
rule's configured one.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

import idna
import tldextract
import validators
from confusable_homoglyphs import categories, confusables

from .. import lexicon
from ..models import Severity
from ..net.guard import REASON_ZH, parse_ip_literal, refusal_reason

SAFE_SCHEMES = ("http", "https")
MAX_HOST_CHARS = 253  # the longest DNS name (RFC 1035)
DANGEROUS_SCHEMES = ("javascript", "vbscript", "data", "file")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


@dataclass(frozen=True, slots=True)
class UrlIssue:
    rule: str  # e.g. "link.http"
    message: str
    severity: Severity | None = None  # None: the rule's configured severity


@dataclass(frozen=True)
class LinkData:
    """The lexicons the rules read (``lexicons/domains/*.txt``), loaded once."""

    allow: frozenset[str] = frozenset()  # registrable domains, e.g. "qq.com"
    deny: frozenset[str] = frozenset()  # hosts; a listed host also covers its subdomains
    shorteners: frozenset[str] = frozenset()
    internal_suffixes: tuple[str, ...] = ("localhost", "local", "internal", "lan", "intranet", "corp", "home.arpa")
    max_length: int = 200
    max_subdomains: int = 4

    @property
    def allow_labels(self) -> dict[str, str]:
        return _allow_labels(self.allow)


@lru_cache(maxsize=8)
def _allow_labels(allow: frozenset[str]) -> dict[str, str]:
    # "icbc.com.cn" -> its registrable label "icbc": lookalikes are judged on that label.
    out = {}
    for d in allow:
        label = split_host(d)[1]
        if len(label) >= 3:
            out.setdefault(label, d)
    return out


def normalize_host(host: str) -> str:
    """Lower case, no trailing dot, IDN as punycode, an IP literal in its canonical form."""
    h = host.strip().strip("[]").rstrip(".").lower()
    ip = parse_ip_literal(h)
    if ip is not None:
        return str(ip)
    try:
        return idna.encode(h, uts46=True).decode("ascii") if not h.isascii() else h
    except (idna.IDNAError, UnicodeError, ValueError):
        return h


def load_data(lexicon_dirs: Iterable[Path], options: dict | None = None) -> LinkData:
    dirs = list(lexicon_dirs)
    opts = options or {}

    def hosts(name: str) -> frozenset[str]:
        return frozenset(normalize_host(h) for h in lexicon.read_lines(dirs, f"domains/{name}") if h)

    internal = tuple(h.lstrip(".").lower() for h in lexicon.read_lines(dirs, "domains/internal_suffixes.txt"))
    return LinkData(allow=hosts("allow.txt"), deny=hosts("deny.txt"), shorteners=hosts("shorteners.txt"),
                    internal_suffixes=internal or LinkData.internal_suffixes,
                    max_length=int(opts.get("max_length", LinkData.max_length)),
                    max_subdomains=int(opts.get("max_subdomains", LinkData.max_subdomains)))


_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # the bundled list; never fetched


def split_host(host: str) -> tuple[str, str, str]:
    """(subdomain, registrable label, public suffix) by the bundled Public Suffix List."""
    r = _extract(host)
    return r.subdomain, r.domain, r.suffix


def registrable(host: str) -> str:
    _, domain, suffix = split_host(host)
    return f"{domain}.{suffix}" if suffix else domain


def _within(host: str, domains: frozenset[str]) -> str | None:
    """The entry of ``domains`` that is ``host`` or one of its parent domains."""
    if host in domains:
        return host
    # Only suffixes a DNS name can have are looked up: a host of 50,000 labels must not cost
    # 50,000 copies of itself.
    dot = host.find(".", max(0, len(host) - MAX_HOST_CHARS - 1))
    while dot != -1:
        candidate = host[dot + 1:]
        if candidate in domains:
            return candidate
        dot = host.find(".", dot + 1)
    return None


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, giving up above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _canonical(label: str) -> str:
    """The label with characters that look alike in a URL bar folded together (0/o, 1/l/i, rn/m, vv/w)."""
    return (label.replace("rn", "m").replace("vv", "w")
            .translate(str.maketrans({"0": "o", "1": "l", "i": "l", "3": "e", "5": "s", "$": "s", "@": "a"})))


def _lookalike_of(host: str, data: LinkData) -> str | None:
    """The allow-listed domain ``host`` imitates, if any (it is not that domain or a subdomain of it)."""
    if not data.allow or _within(host, data.allow):
        return None
    sub, label, suffix = split_host(host)
    if not suffix:
        return None
    labels = data.allow_labels
    if label in labels:
        return None  # the same name under another suffix is usually the owner's own (qq.com / qq.cn)
    folded = _canonical(label)
    for good, domain in labels.items():
        if folded == _canonical(good):
            return domain
        # Short names have too many innocent neighbours one edit away; only long ones are compared.
        limit = 2 if len(good) >= 9 else 1 if len(good) >= 6 else 0
        if limit and _distance(label, good, limit) <= limit:
            return domain
    # Combosquatting: the trusted domain inside a foreign host ("qq.com.login.top"), or a long
    # trusted name joined with words ("alipay-verify.com").
    padded_sub = f".{sub}."
    for domain in data.allow:
        if sub and f".{domain}." in padded_sub:
            return domain
    parts = set(label.split("-"))
    if len(parts) > 1:
        for good, domain in labels.items():
            if len(good) >= 4 and good in parts:
                return domain
    return None


def _script_letters(label: str) -> set[str]:
    return {categories.alias(ch) for ch in label if ch.isalpha()} - {"COMMON", "INHERITED"}


def _latin_skeleton(label: str) -> str | None:
    """The ASCII string ``label`` looks like, if every letter has a Latin lookalike; else None."""
    out = []
    for ch in label:
        if ch.isascii():
            out.append(ch)
            continue
        found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True)
        glyphs = [h["c"] for h in found[0]["homoglyphs"]] if found else []
        ascii_glyph = next((g for g in glyphs if g.isascii() and g.isalnum()), None)
        if ascii_glyph is None:
            return None
        out.append(ascii_glyph.lower())
    return "".join(out)


def _homograph(unicode_host: str) -> str | None:
    """Why the host is a homograph (mixed Latin and Cyrillic/Greek letters, or an all-Cyrillic/Greek
    label that reads as Latin under a Latin TLD), else None."""
    labels = unicode_host.split(".")
    tld_scripts = _script_letters(labels[-1]) if labels else set()
    for label in labels:
        if label.isascii():
            continue
        scripts = _script_letters(label)
        foreign = scripts & {"CYRILLIC", "GREEK"}
        if "LATIN" in scripts and foreign:
            return f"“{label}”混用了拉丁字母和{'、'.join(sorted(_SCRIPT_ZH[s] for s in foreign))}字母"
        if foreign and scripts <= {"CYRILLIC", "GREEK"} and not (tld_scripts & foreign):
            skeleton = _latin_skeleton(label)
            if skeleton:
                return f"“{label}”全部由看起来像拉丁字母的{'、'.join(sorted(_SCRIPT_ZH[s] for s in foreign))}字母组成（形似“{skeleton}”）"
    return None


_SCRIPT_ZH = {"CYRILLIC": "西里尔", "GREEK": "希腊"}


def _unicode_host(ascii_host: str) -> str:
    try:
        return idna.decode(ascii_host)
    except (idna.IDNAError, UnicodeError):
        labels = []
        for label in ascii_host.split("."):
            try:
                labels.append(label.encode("ascii").decode("idna") if label.startswith("xn--") else label)
            except UnicodeError:
                labels.append(label)
        return ".".join(labels)


def _netloc_parts(netloc: str) -> tuple[str, str]:
    """(userinfo, host) of a netloc, tolerant of anything a stranger can type."""
    userinfo, _, hostport = netloc.rpartition("@")
    if hostport.startswith("["):
        return userinfo, hostport[: hostport.find("]") + 1] if "]" in hostport else hostport
    return userinfo, hostport.split(":", 1)[0]


def evaluate(url: str, data: LinkData) -> list[UrlIssue]:
    """Every static rule over one URL. Pure: no network, no I/O."""
    raw = url.strip()
    m = _SCHEME.match(raw)
    scheme = m.group(1).lower() if m else ""
    if not scheme:
        if raw.lower().startswith("www."):
            raw = "http://" + raw  # a bare www. host: the reader's client chooses the scheme
        elif raw.startswith("#") or not raw:
            return []  # an anchor within the page
        else:
            return [UrlIssue("link.invalid", f"“{_short(url)}”是相对地址或不完整的链接，读者无法打开：请写出完整的 https:// 地址")]
    elif scheme not in SAFE_SCHEMES:
        if scheme in DANGEROUS_SCHEMES:
            return [UrlIssue("link.scheme", f"{scheme}: 链接可执行脚本或读取本地内容，禁止发布：请改为 https:// 网页链接")]
        return [UrlIssue("link.scheme", f"{scheme}: 不是网页链接（只允许 http/https）：请改为 https:// 网页链接")]

    try:
        parts = urlsplit(raw)
        netloc = parts.netloc
    except ValueError:
        return [UrlIssue("link.invalid", f"“{_short(url)}”不是有效的网址")]
    userinfo, host_raw = _netloc_parts(netloc)
    issues: list[UrlIssue] = []
    if userinfo:
        issues.append(UrlIssue("link.credentials", "链接中含有用户名或密码（user:password@），会泄露账号：请删除 @ 之前的部分"))
    if not host_raw:
        return issues + [UrlIssue("link.invalid", f"“{_short(url)}”缺少主机名，不是有效的网址")]

    if scheme == "http":
        issues.append(UrlIssue("link.http", "链接使用未加密的 http：内容可能被篡改，请改用 https:// 地址"))
    if len(url) > data.max_length:
        issues.append(UrlIssue("link.long", f"链接长达 {len(url)} 个字符，读者难以辨认：请使用简短的正式地址（不要使用短链接）"))

    ip = parse_ip_literal(host_raw)
    if ip is not None:
        reason = refusal_reason(ip)
        where = f"（{REASON_ZH[reason]}）" if reason else ""
        issues.append(UrlIssue("link.ip_literal", f"链接用 IP 地址 {ip}{where}代替域名，读者无法判断去向：请改用正式域名"))
        if normalize_host(str(ip)) in data.deny:
            issues.append(UrlIssue("link.deny", f"{ip} 在恶意地址名单中，禁止发布"))
        return issues

    host = normalize_host(host_raw)
    internal = _within(host, frozenset(data.internal_suffixes)) if "." in host else host
    if internal:
        issues.append(UrlIssue("link.internal", f"“{host_raw}”是内部网络的主机名，公众无法访问且会暴露内部信息：请删除或改用公开地址"))
        return issues
    check_url = raw if host == host_raw.lower() else raw.replace(host_raw, host, 1)
    if validators.url(check_url) is not True:
        return issues + [UrlIssue("link.invalid", f"“{_short(url)}”不是有效的网址：请检查拼写")]

    if "xn--" in host:
        shown = _unicode_host(host)
        why = _homograph(shown)
        if why:
            issues.append(UrlIssue("link.homograph", f"国际化域名“{shown}”是仿冒字形：{why}，可能是钓鱼网站，禁止发布"))
        else:
            issues.append(UrlIssue("link.idn", f"链接使用国际化域名“{shown}”（{host}）：请确认它是官方地址"))

    denied = _within(host, data.deny)
    if denied:
        issues.append(UrlIssue("link.deny", f"{host} 在恶意或禁止网站名单中（{denied}），禁止发布"))
        return issues
    short = _within(host, data.shorteners)
    if short:
        issues.append(UrlIssue("link.shortener", f"{short} 是短链接服务，读者看不到真实去向：请换成展开后的正式地址"))
    else:
        imitated = _lookalike_of(host, data)
        if imitated:
            issues.append(UrlIssue("link.lookalike", f"{host} 与可信域名 {imitated} 相似，可能是仿冒网站：请核对地址"))
    sub = split_host(host)[0]
    depth = len(sub.split(".")) if sub else 0
    if depth > data.max_subdomains:
        issues.append(UrlIssue("link.subdomains", f"{host} 有 {depth} 级子域名，常见于仿冒地址：请核对并使用正式地址"))
    return issues


def _short(url: str, n: int = 60) -> str:
    return url if len(url) <= n else url[: n - 1] + "…"
