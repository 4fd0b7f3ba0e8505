"""Render a Jinja2 template and know, for every rendered character, where in the template it came from.

Text from the template's literal parts maps back exactly; text an expression produced maps to its
``{{ … }}``; text an ``{% include %}`` produced maps to that tag; text produced inside a loop maps to
the loop body's literal (each pass to the same place). Findings on the rendered draft are moved into
the template with ``remap``; a fix is kept only where its span is literal template text, so applying
it edits what the author wrote.

How: each literal and each expression of the parsed template is wrapped in private-use marker
characters before it is compiled; rendering then carries the markers through loops, conditions,
macros and filters, and reading them back gives each character its origin. When the markers change
what the template renders (a captured block compared as a string), the map falls back to placing
everything at the start of the template, without fixes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from . import edits
from .models import Finding, Report, summary_of

_OPEN, _CLOSE = "\ue000", "\ue001"
_ID0 = 0xF0000  # segment ids are written as one character of the supplementary private-use plane
_MARKERS = re.compile(f"{_OPEN}.|{_CLOSE}", re.S)


class TemplateError(ValueError):
    """The template cannot be rendered: the message says where and why."""


def environment(folder: Path | None) -> SandboxedEnvironment:
    loader = jinja2.FileSystemLoader(str(folder)) if folder is not None else None
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
                                loader=loader)


@dataclass(frozen=True, slots=True)
class _Segment:
    start: int  # span in the template
    end: int
    data: str | None  # the literal text, or None for an expression / include


def _token_spans(env: jinja2.Environment, source: str):
    """Literal data, ``{{ … }}`` spans and ``{% include %}`` spans, located in the template."""
    data, variables, includes = [], [], []
    cursor = 0
    var_start = block_start = None
    block_first_name = None
    for lineno, kind, value in env.lexer.tokeniter(source, None):
        at = source.find(value, cursor)
        if at < 0:
            continue
        cursor = at + len(value)
        if kind == "data":
            data.append((lineno, value, at))
        elif kind == "variable_begin":
            var_start = at
        elif kind == "variable_end" and var_start is not None:
            variables.append((var_start, cursor))
            var_start = None
        elif kind == "block_begin":
            block_start, block_first_name = at, None
        elif kind == "name" and block_start is not None and block_first_name is None:
            block_first_name = value
        elif kind == "block_end" and block_start is not None:
            if block_first_name == "include":
                includes.append((block_start, cursor))
            block_start = None
    return data, variables, includes


def _instrument(tree: nodes.Template, data, variables, includes) -> list[_Segment]:
    """Wrap every literal, expression and include of ``tree`` in markers; the segments by id."""
    segments: list[_Segment] = []
    free = {}
    for lineno, value, at in data:
        free.setdefault((lineno, value), []).append(at)
    var_iter, inc_iter = iter(variables), iter(includes)

    def mark(seg: _Segment) -> tuple[str, str]:
        segments.append(seg)
        return _OPEN + chr(_ID0 + len(segments) - 1), _CLOSE

    def literal(node: nodes.TemplateData) -> None:
        places = free.get((node.lineno, node.data))
        if not places:
            return
        at = places.pop(0)
        open_, close = mark(_Segment(at, at + len(node.data), node.data))
        node.data = open_ + node.data + close

    for out in list(tree.find_all(nodes.Output)):
        children = []
        for child in out.nodes:
            if isinstance(child, nodes.TemplateData):
                literal(child)
                children.append(child)
            else:
                span = next(var_iter, None)
                if span is None:
                    children.append(child)
                    continue
                open_, close = mark(_Segment(span[0], span[1], None))
                children += [nodes.TemplateData(open_), child, nodes.TemplateData(close)]
        out.nodes = children

    def wrap_includes(node: nodes.Node) -> None:
        for name in node.fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                new = []
                for item in value:
                    if isinstance(item, nodes.Include):
                        span = next(inc_iter, None)
                        if span is not None:
                            open_, close = mark(_Segment(span[0], span[1], None))
                            new += [nodes.Output([nodes.TemplateData(open_)]), item,
                                    nodes.Output([nodes.TemplateData(close)])]
                            continue
                    if isinstance(item, nodes.Node):
                        wrap_includes(item)
                    new.append(item)
                setattr(node, name, new)
            elif isinstance(value, nodes.Node):
                wrap_includes(value)

    wrap_includes(tree)
    return segments


class TemplateMap:
    """Rendered text and, per rendered character, its template span and whether it is literal."""

    def __init__(self, template: str, rendered: str, starts: list[int], ends: list[int], literal: list[bool]):
        self.template = template
        self.rendered = rendered
        self.starts, self.ends, self.literal = starts, ends, literal
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", template)]

    def span(self, start: int, end: int) -> tuple[int, int, bool]:
        """Template span of rendered ``[start, end)``, and whether it is exactly literal template text."""
        n = len(self.rendered)
        if start >= end:
            pos = self.point(start)
            if pos is not None:
                return pos, pos, True
            i = min(start, n - 1)
            return (self.starts[i], self.starts[i], False) if n else (0, 0, False)
        end = min(end, n)
        st, en, lit = self.starts, self.ends, self.literal
        exact = all(lit[i] for i in range(start, end)) and all(st[i + 1] == en[i] for i in range(start, end - 1))
        if exact:
            return st[start], en[end - 1], True
        return min(st[start:end]), max(en[start:end]), False

    def point(self, pos: int) -> int | None:
        """Template position of an insertion at rendered ``pos``, when literal text is next to it."""
        if pos > 0 and pos - 1 < len(self.rendered) and self.literal[pos - 1]:
            return self.ends[pos - 1]
        if pos < len(self.rendered) and self.literal[pos]:
            return self.starts[pos]
        return None

    def line_column(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return i + 1, offset - self._line_starts[i] + 1

    def _edit(self, e: edits.Edit) -> edits.Edit | None:
        if e.length == 0:
            pos = self.point(e.offset)
            return None if pos is None else edits.Edit(offset=pos, length=0, text=e.text)
        s, t, exact = self.span(e.offset, e.offset + e.length)
        return edits.Edit(offset=s, length=t - s, text=e.text) if exact else None

    def finding(self, f: Finding) -> Finding:
        if f.field != "body":
            return f
        s, e, exact = self.span(f.offset, f.offset + f.length)
        suggestions: list[str] = []
        fixes: list[edits.Edit] = []
        if exact:
            for sug, ed in zip(f.suggestions, f.edits):
                moved = self._edit(ed)
                safe = moved and edits.within(self.template, s, e - s, moved)
                if safe is not None and moved is not None:
                    suggestions.append(safe)
                    fixes.append(moved)
        line, column = self.line_column(s)
        return f.model_copy(update={"offset": s, "length": e - s, "line": line, "column": column,
                                    "text": self.template[s:e], "suggestions": tuple(suggestions),
                                    "edits": tuple(fixes)})

    def remap(self, report: Report) -> Report:
        """The report with every body position moved into the template (duplicates of a loop merged)."""
        from .pipeline import sort_key

        findings = sorted(dict.fromkeys(self.finding(f) for f in report.findings), key=sort_key)
        silenced = list(dict.fromkeys(self.finding(f) for f in report.suppressed))
        reasons = []
        for r in report.tier.reasons:
            if r.field == "body" and r.offset is not None:
                s, e, _ = self.span(r.offset, r.offset + (r.length or 0))
                r = r.model_copy(update={"offset": s, "length": e - s, "text": self.template[s:e]})
            reasons.append(r)
        return report.model_copy(update={
            "findings": findings, "suppressed": silenced, "summary": summary_of(findings, len(silenced)),
            "tier": report.tier.model_copy(update={"reasons": reasons})})


def _template_line(e: BaseException) -> str:
    """``:N`` for the template line an error was raised on (Jinja2 rewrites its traceback to them)."""
    tb, line = e.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return f":{line}" if line else ""


def render(template: str, variables: dict, folder: Path | None = None, name: str = "template",
           vars_name: str = "--vars") -> TemplateMap:
    """Render ``template`` with ``variables``; raises TemplateError saying where and why."""
    env = environment(folder)
    # Jinja2 reads \r\n as \n: map the template it reads, then move positions back to the file's.
    norm = template.replace("\r\n", "\n")
    try:
        plain = env.from_string(norm).render(**variables)
        tree = env.parse(norm)
        segments = _instrument(tree, *_token_spans(env, norm))
        marked = env.from_string(tree).render(**variables)
    except jinja2.UndefinedError as e:
        known = ", ".join(sorted(map(str, variables))) or "nothing"
        raise TemplateError(f"{name}{_template_line(e)}: {e.message}; {vars_name} defines {known}") from None
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"{name}:{e.lineno}: template syntax error: {e.message}") from None
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"{name}: included template not found: {e.name}") from None
    except Exception as e:  # a filter or test failing on a value of the vars file (TypeError, SecurityError …)
        raise TemplateError(f"{name}{_template_line(e)}: template error: {type(e).__name__}: {e}") from None
    tmap = _read_markers(norm, plain, marked, segments)
    if norm != template:
        back = [k for k, ch in enumerate(template) if not (ch == "\r" and template[k + 1:k + 2] == "\n")]
        back.append(len(template))
        tmap = TemplateMap(template, tmap.rendered, [back[k] for k in tmap.starts],
                           [back[k - 1] + 1 if k else 0 for k in tmap.ends], tmap.literal)
    return tmap


def _read_markers(template: str, plain: str, marked: str, segments: list[_Segment]) -> TemplateMap:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    literal: list[bool] = []
    stack: list[tuple[int, int]] = []  # (segment id, index of its first character in the output)
    i, n = 0, len(marked)
    while i < n:
        ch = marked[i]
        if ch == _OPEN and i + 1 < n:
            stack.append((ord(marked[i + 1]) - _ID0, len(chars)))
            i += 2
            continue
        if ch == _CLOSE:
            if stack:
                sid, first = stack.pop()
                seg = segments[sid] if 0 <= sid < len(segments) else None
                if seg is not None and seg.data is not None and "".join(chars[first:]) != seg.data:
                    for k in range(first, len(chars)):  # a filter block changed it: not literal any more
                        starts[k], ends[k], literal[k] = seg.start, seg.end, False
            i += 1
            continue
        seg = segments[stack[-1][0]] if stack and 0 <= stack[-1][0] < len(segments) else None
        chars.append(ch)
        if seg is None:
            starts.append(0)
            ends.append(0)
            literal.append(False)
        elif seg.data is not None:
            k = seg.start + len(chars) - 1 - stack[-1][1]
            starts.append(min(k, seg.end))
            ends.append(min(k + 1, seg.end))
            literal.append(k < seg.end)
        else:
            starts.append(seg.start)
            ends.append(seg.end)
            literal.append(False)
        i += 1
    rendered = "".join(chars)
    if rendered != plain:  # the markers changed what was rendered: keep the text, drop the map
        zeros = [0] * len(plain)
        return TemplateMap(template, plain, zeros, list(zeros), [False] * len(plain))
    return TemplateMap(template, rendered, starts, ends, literal)
