"""Personal data and credentials in a post (二(二)1 keep passwords safe, 四(一)1 privacy, 四(一)4 secrecy).

Secrets are reported wherever they are, code blocks included: a token pasted into a code sample is
just as leaked. Every suggestion is the masked value, so a fix never repeats the secret.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Iterable, Iterator

from ahocorasick_rs import AhoCorasick, MatchKind

from .. import lexicon
from ..document import Document
from ..rules import Rule
from .base import Hit, LoadContext, RunOptions, SimpleCheck
from ..text import overlaps
from .limits import capped

log = logging.getLogger("precheck")

NAME = "privacy"
SECRET_CLAUSE = "二(二)1"
CONFIDENTIAL_CLAUSE = "四(一)4"
PERSONAL_CLAUSE = "四(一)1"

RULES = (
    Rule("privacy.credential", "block", SECRET_CLAUSE,
         "密码、口令、token、secret、API key、验证码等后面跟着具体的值：账号凭据不得公开发布。"
         "只报告值本身；制度用语（如“定期修改密码”）没有值，不报告。",
         hit=("测试环境密码：⟦Abc@12345→Abc******⟧，请尽快修改。", "测试账号密码：⟦Qw3!rty2026→Qw3********⟧",
              "DB_PASSWORD=⟦hunter2024→hun*******⟧",
              '{"api_key": "9f8e7d6c5b4a3210"}', "验证码为 ⟦384912→3*****⟧，五分钟内有效。",
              {"body": "```\npassword = 'Tr0ub4dor&3'\n```", "format": "markdown"}),
         nohit=("员工应定期修改微信账号密码，设置强度较高的密码。", "如被盗用、密码丢失等，应修改密码、冻结账号。",
                "由行政部门负责将账号和初始密码告知申请人。", "密码：********", "密码长度为 8-16 位。",
                "密码：请向行政部门索取。", "password: <your-password>")),
    Rule("privacy.private_key", "block", CONFIDENTIAL_CLAUSE,
         "私钥块（-----BEGIN … PRIVATE KEY-----）：泄露即失效，必须删除并更换密钥。",
         hit=("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx3\n-----END RSA PRIVATE KEY-----",
              {"body": "```\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n"
                       "-----END OPENSSH PRIVATE KEY-----\n```", "format": "markdown"}),
         nohit=("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQY\n-----END PUBLIC KEY-----",
                "请妥善保管私钥文件，不要外传。")),
    Rule("privacy.access_key", "block", CONFIDENTIAL_CLAUSE,
         "云服务和平台的访问密钥（AWS AKIA…、阿里云 LTAI…、GitHub ghp_…、Slack xox…、sk-…、JWT 等），"
         "按其自身格式识别。",
         hit=("AccessKeyId: ⟦LTAI5tQk8H2mXyZp9LwR3nVs→LTAI********⟧",
              "export AWS_KEY=⟦AKIAIOSFODNN7EXAMPLE→AKIA********⟧",
              "⟦ghp_1234567890abcdefghijABCDEFGHIJ123456→ghp_********⟧", "token = \"sk-test-1234567890abcdef\"",
              "⟦xoxb-123456789012-abcdefghijkl→xoxb********⟧",
              "⟦eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U→eyJh********⟧"),
         nohit=("项目管理系统 task-management-system-overview 已上线。", "我们使用 scikit-learn 建模。",
                "AKIA 是 AWS 访问密钥的前缀。")),
    Rule("privacy.id_card", "error", PERSONAL_CLAUSE,
         "居民身份证号码（GB 11643 校验位正确的 18 位号码）：个人信息不得公开。",
         hit=("身份证号 ⟦11010519491231002X→110***********002X⟧。", "证件号码：⟦11010519491231002x→110***********002x⟧"),
         nohit=("身份证号 110105194912310021。", "订单号 110105194913310028。", "编号 1101051949123100281")),
    Rule("privacy.bank_card", "error", PERSONAL_CLAUSE,
         "银行卡号（16–19 位，Luhn 校验正确，可含空格或连字符）：个人信息不得公开。",
         hit=("收款卡号 ⟦6222 0212 3456 7890 128→6222 **** **** ***0 128⟧。", "卡号：⟦4111-1111-1111-1111→4111-****-****-1111⟧",
              "⟦6222021234567890128→6222***********0128⟧"),
         nohit=("卡号 6222 0212 3456 7890 123。", "订单号 1234567890123456。", "流水号 2024010112345678")),
    Rule("privacy.phone", "warning", PERSONAL_CLAUSE,
         "中国大陆手机号码：确认本人同意公开，否则请隐去中间四位。",
         hit=("联系电话 ⟦13812345678→138****5678⟧。", "电话：⟦+86 139-1234-5678→139****5678⟧", "手机⟦18600001111→186****1111⟧"),
         nohit=("订单号 2138123456789。", "电话 010-12345678", "编号 12812345678")),
    Rule("privacy.email", "warning", PERSONAL_CLAUSE,
         "个人电子邮箱地址：确认本人同意公开；部门或岗位邮箱（hr@、jubao@ 等）不报告。",
         hit=("邮箱 ⟦zhangsan@example.com→zh******@example.com⟧。",
              "请发送至⟦li.si+work@corp.example.cn→li********@corp.example.cn⟧"),
         nohit=("举报邮箱 jubao@example.com。", "简历投递 hr@example.com", "版本 v1.2@2024")),
)

# No leading look-behinds: a pattern that starts with a look-behind is tried at every position, one
# that starts with a digit or a literal lets re skip ahead. ``_free_before`` checks the left edge.
_ID = re.compile(r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Digits grouped by single spaces or dashes; the groups are validated afterwards.
_CARD = re.compile(r"\d(?:[ -]?\d){15,18}(?![0-9A-Za-z])(?![ -]\d)")
_PHONE = re.compile(r"(?:\+86|0086)?[ -]?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])(?![ -]\d)")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-]{1,64})@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*"
                    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9-])")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_PRIVATE_KEY_BEGIN = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_KEY_BODY_MAX = 20_000  # an RSA-8192 PEM block is about 6,500 characters
# Printable ASCII except space and quote characters: a value ends at the first CJK character,
# full-width punctuation, whitespace or closing quote.
_AFTER_KEYWORD = re.compile(r"[\"'”’]?[ \t]*(?:[:：=]|是|为)[ \t]*[:：]?[ \t]*[\"'“‘`]?"
                            r"(?:Bearer[ \t]+)?(?P<value>[!#-&(-_a-~]{1,256})")
_MASKED = re.compile(r"[*•xX#?._\-]+")
_UNIT_AFTER = re.compile(r"[ \t]*[位个字次天]")


def _keyword_automaton(keywords: Iterable[str]) -> AhoCorasick | None:
    """ASCII keywords are matched in lower case, with "api key" also as api_key, api-key and apikey."""
    patterns: set[str] = set()
    for kw in keywords:
        if kw.isascii():
            parts = re.split(r"[ _-]+", kw.lower().strip())
            patterns.update(sep.join(parts) for sep in (" ", "_", "-", ""))
        else:
            patterns.add(kw)
    patterns.discard("")
    return AhoCorasick(sorted(patterns), matchkind=MatchKind.LeftmostLongest) if patterns else None


def _free_before(text: str, start: int, chars: frozenset) -> bool:
    return start == 0 or text[start - 1] not in chars


def _load_access_keys(lines: Iterable[str]) -> list[tuple[str, re.Pattern]]:
    out = []
    for line in lines:
        name, _, rx = line.partition("\t")
        try:
            out.append((name.strip(), re.compile(rx.strip())))
        except re.error as e:  # a company lexicon with a broken pattern must not stop the service
            log.warning("privacy/access_keys.tsv: %s: %s", name, e)
    return out


def valid_id_number(s: str) -> bool:
    """GB 11643-1999: a real birth date and the ISO 7064 MOD 11-2 check character."""
    try:
        date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(s[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == s[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_groups_ok(raw: str) -> bool:
    groups = re.split(r"[ -]", raw)
    if len(groups) == 1:
        return True
    if len(set(re.findall(r"[ -]", raw))) > 1:
        return False
    # 4-4-4-4(-3), or the 6-13 layout some Chinese banks print.
    return all(len(g) == 4 for g in groups[:-1]) and 1 <= len(groups[-1]) <= 7 or \
        len(groups) == 2 and len(groups[0]) == 6


def mask(value: str, keep_start: int, keep_end: int = 0) -> str:
    keep_start = min(keep_start, max(len(value) - keep_end - 1, 0))
    hidden = len(value) - keep_start - keep_end
    # At most eight stars: the mask should not tell how long a secret is.
    return value[:keep_start] + "*" * min(max(hidden, 1), 8) + (value[-keep_end:] if keep_end else "")


def mask_digits(raw: str, keep_start: int, keep_end: int) -> str:
    """Mask the digits of ``raw`` but keep its separators (``6222 **** **** 0128``)."""
    n = sum(c.isdigit() for c in raw)
    out, seen = [], 0
    for c in raw:
        if c.isdigit() or c in "Xx":
            out.append(c if seen < keep_start or seen >= n + (raw[-1] in "Xx") - keep_end else "*")
            seen += 1
        else:
            out.append(c)
    return "".join(out)


class PrivacyCheck(SimpleCheck):
    name = NAME

    def __init__(self, ctx: LoadContext):
        super().__init__(ctx)
        dirs = ctx.lexicon_dirs
        self.keywords = _keyword_automaton(lexicon.read_lines(dirs, "privacy/credential_keywords.txt"))
        self.access_keys = _load_access_keys(lexicon.read_lines(dirs, "privacy/access_keys.tsv"))
        self.not_secrets = frozenset(w.lower() for w in lexicon.read_lines(dirs, "privacy/not_secrets.txt"))
        self.role_mailboxes = frozenset(w.lower() for w in lexicon.read_lines(dirs, "privacy/role_mailboxes.txt"))

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        for field in doc.fields:
            taken: list[tuple[int, int]] = []
            for hit in capped(self._scan(field.name, field.text)):
                if not overlaps(taken, hit.start, hit.end):
                    taken.append((hit.start, hit.end))
                    yield hit

    def _scan(self, fname: str, text: str) -> Iterator[Hit]:
        """Most specific first: the caller drops a later hit that overlaps an earlier one."""
        yield from self._private_keys(fname, text)
        for label, rx in self.access_keys:
            for m in rx.finditer(text):
                yield Hit("privacy.access_key", fname, m.start(), m.end(),
                          f"访问密钥（{label}）不得发布：删除并立即吊销该密钥", (mask(m.group(), 4),))
        if self.keywords is not None:
            yield from self._credentials(fname, text)
        for m in _ID.finditer(text):
            if _free_before(text, m.start(), _ALNUM) and valid_id_number(m.group()):
                yield Hit("privacy.id_card", fname, m.start(), m.end(), "身份证号码属于个人信息，不得公开发布",
                          (mask_digits(m.group(), 3, 4),))
        for m in _CARD.finditer(text):
            raw = m.group()
            digits = re.sub(r"\D", "", raw)
            start = m.start()
            if not _free_before(text, start, _ALNUM) or start >= 2 and text[start - 1] in " -" \
                    and text[start - 2].isdigit():
                continue  # the tail of a longer number
            if digits[0] in "2345689" and _card_groups_ok(raw) and luhn_ok(digits):
                yield Hit("privacy.bank_card", fname, m.start(), m.end(), "银行卡号属于个人信息，不得公开发布",
                          (mask_digits(raw, 4, 4),))
        for m in _PHONE.finditer(text):
            if not _free_before(text, m.start(), _ALNUM | {"+"}):
                continue
            start = m.start() + (m.group()[0] in " -")  # a separator before the number is not part of it
            digits = re.sub(r"\D", "", m.group())[-11:]
            yield Hit("privacy.phone", fname, start, m.end(),
                      "手机号码属于个人信息：确认本人同意公开，否则隐去中间四位", (digits[:3] + "****" + digits[-4:],))
        yield from self._emails(fname, text)

    def _private_keys(self, fname: str, text: str) -> Iterator[Hit]:
        """From BEGIN to its END; an unterminated block (a truncated paste) to the next blank line."""
        if "PRIVATE KEY" not in text:
            return
        pos = 0
        for m in _PRIVATE_KEY_BEGIN.finditer(text):
            if m.start() < pos:
                continue
            label = m.group(1)
            footer = f"-----END {label}-----"
            at = text.find(footer, m.end(), m.end() + _KEY_BODY_MAX)
            if at >= 0:
                end = at + len(footer)
            else:
                blank = _BLANK_LINE.search(text, m.end(), m.end() + _KEY_BODY_MAX)
                end = blank.start() if blank else min(len(text), m.end() + _KEY_BODY_MAX)
            pos = end
            yield Hit("privacy.private_key", fname, m.start(), end, f"私钥（{label}）不得发布：删除并立即更换该密钥",
                      (f"-----BEGIN {label}-----（已删除）-----END {label}-----",))

    def _credentials(self, fname: str, text: str) -> Iterator[Hit]:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few non-ASCII letters lengthen when lowered: match as written
            lowered = text
        for _, kw_start, kw_end in self.keywords.find_matches_as_indexes(lowered):
            if text[kw_start].isascii() and (not _free_before(text, kw_start, _ALNUM)
                                             or kw_end < len(text) and text[kw_end] in _ALNUM):
                continue  # "mypassword", "tokens": not the keyword itself
            m = _AFTER_KEYWORD.match(text, kw_end)
            if m is None:
                continue
            value = m.group("value")
            start = m.start("value")
            value = value.rstrip(".,;:")
            while value and value[-1] in ")]}>" and value.count(value[-1]) > value.count("([{<"[")]}>".index(value[-1])]):
                value = value[:-1]
            end = start + len(value)
            if len(value) < 4 or value.lower() in self.not_secrets or _MASKED.fullmatch(value):
                continue
            if value[0] in "<{[%$" or value.lower().startswith(("http://", "https://")):
                continue  # a placeholder or a link, not a secret
            if _UNIT_AFTER.match(text, end):
                continue  # "密码长度为 8-16 位": a description of the rule, not a password
            yield Hit("privacy.credential", fname, start, end, "账号凭据不得公开发布：删除该值，并立即修改密码或吊销凭据",
                      (mask(value, 3 if len(value) > 6 else 1),))

    def _emails(self, fname: str, text: str) -> Iterator[Hit]:
        if "@" not in text:
            return
        for m in _EMAIL.finditer(text):
            if not _free_before(text, m.start(), _EMAIL_LOCAL):
                continue
            local = m.group(1)
            if local.lower().split("+")[0] in self.role_mailboxes:
                continue
            domain = m.group()[len(local):]
            yield Hit("privacy.email", fname, m.start(), m.end(),
                      "个人邮箱属于个人信息：确认本人同意公开，或改用部门邮箱", (mask(local, 2) + domain,))


def build(ctx: LoadContext) -> PrivacyCheck:
    return PrivacyCheck(ctx)
