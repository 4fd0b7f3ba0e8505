"""Inline silencing: ``<!-- precheck-disable … -->`` comments in markdown and html drafts.

The names are ESLint's, so editors and people already know them::

    <!-- precheck-disable [rule …] -->            … <!-- precheck-enable [rule …] -->
    <!-- precheck-disable-next-line [rule …] -->  silences the line after the comment
    text <!-- precheck-disable-line [rule …] -->  silences the line the comment is on

A rule is a check (``typo``), a rule id (``typo.lm``) or absent (everything). Silenced findings are
taken out of the report's findings and counted in ``summary.suppressed``. A ``block`` finding
(credentials, confidential material) is never silenced: it stays, and the comment that tried is
reported as ``inline.block_silenced``, so a leak cannot be waved through by one line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .document import Document
from .models import Finding
from .rules import Rule

RULE_ID = "inline.block_silenced"

RULES = (
    Rule(RULE_ID, "error", None,
         "行内注释试图屏蔽禁止发布（block）级别的问题（凭据、涉密内容等）：该问题不会被屏蔽，请删除注释并处理问题。",
         hit=({"format": "markdown",
               "body": "<!-- precheck-disable-next-line -->\n测试账号：admin，密码：Abc123456"},),
         nohit=({"format": "markdown", "body": "<!-- precheck-disable-next-line -->\n请安装新版客户端。"},
                "<!-- precheck-disable-next-line -->\n测试账号：admin，密码：Abc123456")),
)

_DIRECTIVE = re.compile(r"<!--\s*precheck-(disable-next-line|disable-line|disable|enable)(?![\w-])(.*?)-->",
                        re.S)


@dataclass(frozen=True, slots=True)
class Directive:
    kind: str  # disable | enable | disable-line | disable-next-line
    rules: frozenset[str]  # empty: every rule
    offset: int  # source span of the comment
    end: int
    line: int  # the line it silences (disable-line, disable-next-line)

    def covers(self, f: Finding) -> bool:
        return not self.rules or any(_names(r, f) for r in self.rules)


def _names(name: str, f: Finding) -> bool:
    return name == f.check or name == f.rule or f.rule.startswith(name + ".")


def directives(doc: Document) -> list[Directive]:
    """The comments of the body, in source order; none in a plain-text draft or inside code."""
    body = doc.body
    if doc.draft.format == "text" or "precheck-" not in body.source:
        return []
    code = [body.to_source(s, e) for s, e in doc.code_spans]
    starts = [s for s, _ in code]
    found = []
    for m in _DIRECTIVE.finditer(body.source):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and code[k][0] <= m.start() < code[k][1]:
            continue  # a comment shown as code is an example, not an instruction
        kind = m.group(1)
        rules = frozenset(r for r in re.split(r"[\s,]+", m.group(2).strip()) if r and r != "--")
        line = body.line_column(m.start())[0] if kind != "disable-next-line" else body.line_column(m.end())[0] + 1
        found.append(Directive(kind, rules, m.start(), m.end(), line))
    return found


def _ranges(dirs: list[Directive]) -> list[tuple[int, int, Directive]]:
    """``disable`` … ``enable`` as (start, end, directive); an unclosed one runs to the end."""
    out: list[tuple[int, int, Directive]] = []
    open_: list[Directive] = []
    for d in dirs:
        if d.kind == "disable":
            open_.append(d)
        elif d.kind == "enable":
            still = []
            for o in open_:
                if not d.rules or o.rules and o.rules <= d.rules:
                    out.append((o.end, d.offset, o))
                elif o.rules and o.rules & d.rules:
                    out.append((o.end, d.offset, o))
                    still.append(Directive(o.kind, o.rules - d.rules, o.offset, d.end, o.line))
                else:
                    still.append(o)
            open_ = still
    out += [(o.end, 1 << 62, o) for o in open_]
    return out


def _silencer(f: Finding, by_line: dict[int, list[Directive]], ranges) -> Directive | None:
    if f.field != "body":
        return None
    for d in by_line.get(f.line, ()):
        if d.covers(f):
            return d
    for start, end, d in ranges:
        if start <= f.offset < end and d.covers(f):
            return d
    return None


def apply(doc: Document, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(findings that stay, findings silenced); the kept list may gain ``inline.block_silenced``."""
    dirs = directives(doc)
    if not dirs:
        return findings, []
    ranges = _ranges(dirs)
    by_line: dict[int, list[Directive]] = {}
    for d in dirs:
        if d.kind in ("disable-line", "disable-next-line"):
            by_line.setdefault(d.line, []).append(d)
    kept, silenced, refused = [], [], {}
    for f in findings:
        d = _silencer(f, by_line, ranges)
        if d is None:
            kept.append(f)
        elif f.severity == "block":
            kept.append(f)
            refused.setdefault(d, f)
        else:
            silenced.append(f)
    for d, f in refused.items():
        line, column = doc.body.line_column(d.offset)
        kept.append(Finding(check="inline", rule=RULE_ID, severity="error", field="body",
                            message=f"该注释不能屏蔽禁止发布的问题 [{f.rule}]（第 {f.line} 行）：请处理问题并删除注释",
                            offset=d.offset, length=d.end - d.offset, line=line, column=column,
                            text=doc.body.source[d.offset:d.end]))
    return kept, silenced
