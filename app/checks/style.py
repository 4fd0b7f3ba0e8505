"""Typography of a Chinese post (三(四)1 规范的语言, 三(四)2 统一的格式).

The plain text has the markup removed already; code spans are skipped by the typographic rules, but
not by ``style.invisible``: a hidden character in code hides text just the same.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from typing import Callable, Iterable, Iterator

import autocorrect_py
import opencc

from .. import lexicon
from ..document import Document, Field
from ..catalog import CheckSpec
from ..rules import MAX_PER_FIELD, Rule
from .base import CheckOptions, Hit, LoadContext, RunOptions, SimpleCheck
from ..text import HAN, HAN_CLASS, is_han, overlaps

NAME = "style"
LANGUAGE_CLAUSE = "三(四)1"
FORMAT_CLAUSE = "三(四)2"

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


class Options(CheckOptions):
    spacing_digits: bool = True


RULES = (
    Rule("style.invisible", "error", FORMAT_CLAUSE,
         "零宽字符和双向控制字符（U+200B–U+200F、U+2060、正文中的 U+FEFF、U+202A–U+202E、U+2066–U+2069）："
         "读者看不见，却能藏住或颠倒文字，必须删除。",
         max_per_field=MAX_PER_FIELD,
         hit=("请于周五前\u200b提交。", "文件名：report\u202efdp.exe", "通知\u2066内容\u2069如下。",
              {"body": "<p>报名⟦&#8203;⟧截止</p>", "format": "html"}),
         nohit=("\ufeff各位同事：大会定于周五召开。", "家庭表情 👨\u200d👩\u200d👧 可以使用。")),
    Rule("style.bracket", "warning", FORMAT_CLAUSE,
         "括号、书名号、引号不成对：（）《》“”‘’【】()[] 每个开符号都要有对应的闭符号。",
         max_per_field=MAX_PER_FIELD,
         hit=("请阅读⟦《⟧员工手册并签字。", "会议⟦（⟧线上举行。", "他说：⟦“⟧明天见。", "详见附件⟦】⟧。"),
         nohit=("请阅读《员工手册》并签字。", "要求如下：1) 准时；2) 着装整洁。", "It’s a “good” day.",
                {"body": "见[制度原文](https://example.com/a)（第三条）。", "format": "markdown"},
                {"body": "示例：`if (a[0]`。", "format": "markdown"})),
    Rule("style.repeated_punct", "warning", FORMAT_CLAUSE,
         "标点重复使用，如“！！”“。。”“？？”；省略号应写作“……”。",
         scope="text",
         max_per_field=MAX_PER_FIELD,
         hit=("欢迎大家参加⟦！！→！⟧", "请注意⟦。。→。⟧", "真的吗⟦？？→？⟧", "敬请期待⟦。。。→……⟧", "太好了⟦!!→！⟧"),
         nohit=("真的吗？！", "敬请期待……", "欢迎参加！")),
    Rule("style.halfwidth_punct", "warning", FORMAT_CLAUSE,
         "中文句子里使用了半角标点，如两个汉字之间的“,”应为“，”。",
         scope="text",
         max_per_field=MAX_PER_FIELD,
         hit=("为加强管理⟦,→，⟧特制定本办法。", "时间⟦:→：⟧10月1日", "欢迎参加⟦!→！⟧", "报名截止⟦.→。⟧"),
         nohit=("时间为 10:30。", "价格 3,000 元。", "请访问 https://example.com/a?b=1。", "Hello, world.",
                {"body": "调用 `print(a,b)` 即可。", "format": "markdown"})),
    Rule("style.cjk_spacing", "warning", FORMAT_CLAUSE,
         "中文与英文之间加空格，全角标点两侧不加空格（《中文文案排版指北》）；中文与数字之间的空格"
         "默认不要求（公文写作 3月5日），可在 precheck.toml [style] spacing_digits 中打开。公司文风，可关闭。",
         max_per_field=MAX_PER_FIELD,
         hit=("欢迎使⟦用W→用 W⟧eChat小程序。", "使⟦用i→用 i⟧Phone拍摄。", "请于周五前提⟦交 ，→交，⟧谢谢。"),
         nohit=("欢迎使用 WeChat 小程序。", "A股市场今日上涨。", "共有 120 人参加。", "会议定于3月5日召开。",
                {"body": "运行 `pip`命令。", "format": "markdown"})),
    Rule("style.html_entity", "error", FORMAT_CLAUSE,
         "纯文本中的 HTML 实体（&nbsp;、&amp;、&#160; 等，从网页或编辑器复制时带入）：读者会原样看到，换成它代表的字符。"
         "HTML 与 Markdown 稿件会解析实体，不报告。",
         max_per_field=MAX_PER_FIELD,
         hit=("报名时间：周五⟦&nbsp;→ ⟧下午两点", "研发⟦&amp;→&⟧测试中心", "标题⟦&#160;→ ⟧正文"),
         nohit=({"body": "<p>报名时间：周五&nbsp;下午</p>", "format": "html"}, "A&B 两组", "R&D 部门",
                "请访问 https://example.com/?a=1&b=2。")),
    Rule("style.traditional", "warning", LANGUAGE_CLAUSE,
         "简体稿件中夹杂繁体字（OpenCC t2s 判定）；在简体中也正确的字（如“乾坤”“瞭望”“慰藉”）不报告。",
         scope="text",
         max_per_field=MAX_PER_FIELD,
         hit=("本次⟦發佈會將於→发布会将于⟧下週舉行。", "⟦歡→欢⟧迎參加。"),
         nohit=("乾坤未定，你我皆是黑马。", "登上瞭望塔。", "慰藉心灵。", "本次发布会将于下周举行。")),
)

InCode = Callable[[int, int], bool] | None  # whether a span touches code; None when the field has none

# Zero-width and direction-control characters, with the name a reader recognises.
_INVISIBLE_NAMES = {
    "\u200b": "零宽空格 ZERO WIDTH SPACE", "\u200c": "零宽非连接符 ZERO WIDTH NON-JOINER",
    "\u200d": "零宽连接符 ZERO WIDTH JOINER", "\u200e": "从左至右标记 LEFT-TO-RIGHT MARK",
    "\u200f": "从右至左标记 RIGHT-TO-LEFT MARK", "\u2060": "零宽不换行 WORD JOINER",
    "\ufeff": "零宽不换行空格 ZERO WIDTH NO-BREAK SPACE",
    "\u202a": "从左至右嵌入 LRE", "\u202b": "从右至左嵌入 RLE", "\u202c": "方向格式结束 PDF",
    "\u202d": "从左至右覆盖 LRO", "\u202e": "从右至左覆盖 RLO",
    "\u2066": "从左至右隔离 LRI", "\u2067": "从右至左隔离 RLI", "\u2068": "首强隔离 FSI", "\u2069": "隔离结束 PDI",
}
_INVISIBLE = re.compile("[" + "".join(_INVISIBLE_NAMES) + "]+")

_OPENERS = {"（": "）", "《": "》", "“": "”", "‘": "’", "【": "】", "(": ")", "[": "]"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}
_BRACKETS = re.compile("[" + re.escape("".join(_OPENERS) + "".join(_CLOSERS)) + "]")
# "1)" "a）" "三）" at the start of a list item, and ":)" smileys: closers without openers by design.
# Matched backwards from an unmatched closer, so only the rare unmatched ones pay for it.
_LIST_MARK = re.compile(r"(?:(?:^|[\s：:；;，,。、])(?:\d{1,2}|[A-Za-z]|[一二三四五六七八九十]{1,3})|[:;])$")

# Patterns start with the punctuation itself (no leading look-behind) so re can skip ahead; the
# Chinese character before it is checked in code.
_REPEATED = re.compile(r"([！？。，、；：!?])\1+")
_HALFWIDTH = re.compile(r"[,;:](?=[ \t]?[" + HAN + r"0-9“‘（《【])|[!?](?=[ \t]?[" + HAN
                        + r"“‘（《【]|[ \t]*(?:\n|$))|\.(?=[ \t]*(?:\n|$))")
_FULLWIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。"}

_HAN_ANY = re.compile(HAN_CLASS)
_SPACE_RUN = re.compile("[ \t\u3000]+")
_PLACEHOLDER_X = re.compile(r"[Xx]+")
_DIGITISH = set("0123456789%‰°℃")

# Only the spacing rules of autocorrect: the punctuation rules are ours (with exact spans), and its
# full-width conversions would rewrite English sentences inside a Chinese post.
_AUTOCORRECT_RULES = {
    "space-word": 1, "no-space-fullwidth": 1, "no-space-fullwidth-quote": 1,
    "space-punctuation": 0, "space-bracket": 0, "space-backticks": 0, "space-dash": 0, "space-dollar": 0,
    "fullwidth": 0, "halfwidth-word": 0, "halfwidth-punctuation": 0, "spellcheck": 0,
}


def _space_runs(s: str) -> dict[int, tuple[int, int]]:
    """Whitespace runs of ``s`` keyed by how many other characters come before them."""
    runs, removed = {}, 0
    for m in _SPACE_RUN.finditer(s):
        runs[m.start() - removed] = m.span()
        removed += m.end() - m.start()
    return runs


def space_edits(old: str, new: str) -> list[tuple[int, int]] | None:
    """The whitespace-only edits turning ``old`` into ``new``: (start, end) of removed spaces in ``old``,
    start == end for an insertion. None if anything other than whitespace changed.

    Both strings are compared as their whitespace runs, each keyed by the number of other characters
    before it, so the work is in the regex engine rather than a Python loop over every character."""
    if _SPACE_RUN.sub("", old) != _SPACE_RUN.sub("", new):
        return None
    old_runs, new_runs = _space_runs(old), _space_runs(new)
    edits = [old_runs[k] for k in old_runs.keys() - new_runs.keys()]
    if new_runs.keys() - old_runs.keys():
        keys = sorted(old_runs)
        shift, widths = [0], []
        for k in keys:
            widths.append(old_runs[k][1] - old_runs[k][0])
            shift.append(shift[-1] + widths[-1])
        for k in new_runs.keys() - old_runs.keys():
            at = k + shift[bisect.bisect_left(keys, k)]
            edits.append((at, at))
    return sorted(edits)


class StyleCheck(SimpleCheck):
    name = NAME
    engine = "rules+autocorrect+opencc"

    def __init__(self, ctx: LoadContext):
        super().__init__(ctx)
        self.spacing_digits = ctx.typed(NAME).spacing_digits
        dirs = ctx.lexicon_dirs
        words = set(lexicon.read_lines(dirs, lexicon.WORDS_FILE))  # the company's own names keep their form
        self.simplified_ok = tuple(sorted({*lexicon.read_lines(dirs, "style/simplified_ok.txt"), *words}, key=len,
                                          reverse=True))
        exceptions = sorted({*lexicon.read_lines(dirs, "style/spacing_exceptions.txt"), *words}, key=len,
                            reverse=True)
        self.spacing_exceptions = re.compile("|".join(map(re.escape, exceptions))) if exceptions else None
        # autocorrect keeps one process-wide configuration; these rules are the same for every load.
        autocorrect_py.load_config(json.dumps({"rules": _AUTOCORRECT_RULES}))
        self.t2s = opencc.OpenCC("t2s")

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        for field in doc.fields:
            in_code = doc.in_code if field.name == "body" and doc.code_spans else None
            url_ends = {link.end for link in doc.links if link.field == field.name}
            # Brackets and spacing ask about code themselves: a bracket in code must not pair with one
            # outside, and a spacing edit is judged on both characters around it, wider than the finding.
            for hits in (self._invisible(field), self._brackets(field, in_code), self._repeated(field),
                         self._halfwidth(field), self._spacing(field, in_code, url_ends, doc), self._traditional(field, doc),
                         _entities(field, doc.draft.format)):
                for hit in hits:  # each generator yields one rule
                    yield hit
                    if opts.full(hit.rule, field.name):
                        break

    def _invisible(self, field: Field) -> Iterator[Hit]:
        text = field.text
        for m in _INVISIBLE.finditer(text):
            start, end = m.start(), m.end()
            if text[start] == "\ufeff" and start == 0 and field.to_source(0, 1)[0] == 0:
                start += 1  # a byte-order mark at the very start is an encoding artefact, not hidden text
            if m.group() == "\u200d" and _pictographic(text, start - 1) and _pictographic(text, end):
                continue  # joins an emoji sequence such as a family
            if start >= end:
                continue
            names = "、".join(dict.fromkeys(f"U+{ord(c):04X} {_INVISIBLE_NAMES[c]}" for c in text[start:end]))
            yield Hit("style.invisible", field.name, start, end, f"不可见的控制字符（{names}）会隐藏或颠倒文字：请删除",
                      ("",))

    def _brackets(self, field: Field, in_code: InCode) -> Iterator[Hit]:
        text = field.text
        if not _BRACKETS.search(text):
            return
        for p_start, p_end in field.paragraphs:
            stack: list[tuple[str, int]] = []
            for m in _BRACKETS.finditer(text, p_start, p_end):
                ch, i = m.group(), m.start()
                if in_code and in_code(i, i + 1):
                    continue
                if ch == "’" and 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha() \
                        and text[i + 1].isascii() and text[i + 1].isalpha():
                    continue  # an English apostrophe: It’s
                if ch in _OPENERS:
                    stack.append((ch, i))
                    continue
                opener = _CLOSERS[ch]
                depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == opener), None)
                if depth is None:
                    if _LIST_MARK.search(text, max(p_start, i - 4), i):
                        continue
                    yield Hit("style.bracket", field.name, i, i + 1, f"“{ch}”前面缺少与之配对的“{opener}”")
                    continue
                for o, j in stack[depth + 1:]:
                    yield Hit("style.bracket", field.name, j, j + 1, f"“{o}”没有对应的“{_OPENERS[o]}”")
                del stack[depth:]
            for o, j in stack:
                yield Hit("style.bracket", field.name, j, j + 1, f"“{o}”没有对应的“{_OPENERS[o]}”")

    def _repeated(self, field: Field) -> Iterator[Hit]:
        text = field.text
        for m in _REPEATED.finditer(text):
            if m.group()[0] in "!?" and not (m.start() and is_han(text[m.start() - 1])):
                continue  # "!!" in English or code-like text
            ch = m.group()[0]
            fix = "……" if ch == "。" and len(m.group()) >= 3 else _FULLWIDTH.get(ch, ch)
            yield Hit("style.repeated_punct", field.name, m.start(), m.end(), f"标点“{ch}”重复使用", (fix,))

    def _halfwidth(self, field: Field) -> Iterator[Hit]:
        text = field.text
        for m in _HALFWIDTH.finditer(text):
            if not (m.start() and is_han(text[m.start() - 1])):
                continue
            ch = m.group()
            yield Hit("style.halfwidth_punct", field.name, m.start(), m.end(),
                      f"中文句子中使用了半角标点“{ch}”，应为全角“{_FULLWIDTH[ch]}”", (_FULLWIDTH[ch],))

    def _spacing(self, field: Field, in_code: InCode, url_ends: set[int], doc: Document) -> Iterator[Hit]:
        text = field.text
        if not _HAN_ANY.search(text):
            return
        fixed_terms = [m.span() for m in self.spacing_exceptions.finditer(text)] if self.spacing_exceptions else []
        fixed_terms = doc.with_ignored_words(field, fixed_terms)
        term_starts = [a for a, _ in fixed_terms]
        formatted = autocorrect_py.format(text)
        if formatted == text:
            return
        edits = space_edits(text, formatted)
        if edits is None:  # something besides spacing changed: fall back to its per-line report
            edits = _edits_by_line(text)
        for s, e in edits:
            if s == 0 or e >= len(text):
                continue
            start, end = s - 1, e + 1
            left, right = text[start], text[end - 1]
            if left.isspace() or right.isspace():
                continue
            if not self.spacing_digits and (left in _DIGITISH or right in _DIGITISH):
                continue
            if in_code and in_code(start, end) or _inside_term(fixed_terms, term_starts, start, end):
                continue
            if s != e and start + 1 in url_ends:
                continue  # a space keeps the full stop out of the link before it
            if (left in "Xx" or right in "Xx") and _PLACEHOLDER_X.fullmatch(_latin_word(text, start, end)):
                continue  # "XX月XX日" is an unfilled placeholder, reported by that check
            src_start, src_end = field.to_source(start, end)
            contiguous = src_end - src_start == end - start
            # Markup between the two characters ("由[IT部](…)"): a suggestion over the whole span would
            # delete it, so the finding shrinks to what can be replaced without touching the markup.
            if s == e:
                span, fix = ((start, end), left + " " + right) if contiguous else ((start, start + 1), left + " ")
                yield Hit("style.cjk_spacing", field.name, *span, "中文与英文、数字之间应加一个空格", (fix,))
            else:
                span, fix = ((start, end), left + right) if contiguous else ((start + 1, end - 1), "")
                yield Hit("style.cjk_spacing", field.name, *span, "全角标点两侧不应有空格", (fix,))

    def _traditional(self, field: Field, doc: Document) -> Iterator[Hit]:
        text = field.text
        converted = self.t2s.convert(text)
        if converted == text:
            return
        same_length = len(converted) == len(text)
        allowed = [(m.start(), m.end()) for w in self.simplified_ok for m in re.finditer(re.escape(w), text)]
        allowed = doc.with_ignored_words(field, sorted(allowed))
        for start, end in _runs(_changed_positions(text, converted, self.t2s)):
            if allowed and overlaps(allowed, start, end):
                continue
            fix = converted[start:end] if same_length else self.t2s.convert(text[start:end])
            yield Hit("style.traditional", field.name, start, end, f"简体稿件中出现繁体字“{text[start:end]}”", (fix,))


def _entities(field: Field, fmt: str) -> Iterator[Hit]:
    """Literal HTML entities in plain text (the title is always plain; an HTML or markdown body decodes them)."""
    if field.name == "body" and fmt != "text" or "&" not in field.text:
        return
    for m in _ENTITY.finditer(field.text):
        decoded = html.unescape(m.group())
        if decoded == m.group():
            continue  # "&foo;" is no entity
        shown = " " if decoded.isspace() else decoded
        yield Hit("style.html_entity", field.name, m.start(), m.end(),
                  f"HTML 实体“{m.group()}”会原样显示给读者：请换成它代表的字符", (shown,))


def _edits_by_line(text: str) -> list[tuple[int, int]]:
    """Spacing edits from autocorrect's per-line lint, for lines where it changed only whitespace."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    edits = []
    for line in autocorrect_py.lint_for(text, "text").lines:
        if not 1 <= line.line <= len(line_starts):
            continue
        base = line_starts[line.line - 1]
        if text[base:base + len(line.old)] != line.old:
            continue  # autocorrect numbered the lines differently (\r, \u2028 ...): leave it
        edits += [(base + s, base + e) for s, e in space_edits(line.old, line.new) or ()]
    return edits


def _inside_term(terms: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of ``terms`` (sorted, disjoint): only the last term
    starting at or before ``start`` can hold it, so a draft with thousands of terms stays linear."""
    k = bisect.bisect_right(starts, start) - 1
    return k >= 0 and end <= terms[k][1]


def _latin_word(text: str, start: int, end: int) -> str:
    """The Latin word on either side of a spacing edit ``text[start:end]``."""
    i = start if text[start].isascii() and text[start].isalpha() else end - 1
    if not (text[i].isascii() and text[i].isalpha()):
        return ""
    lo = hi = i
    while lo > 0 and text[lo - 1].isascii() and text[lo - 1].isalpha():
        lo -= 1
    while hi < len(text) and text[hi].isascii() and text[hi].isalpha():
        hi += 1
    return text[lo:hi]


def _pictographic(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (ord(text[i]) >= 0x1F000 or 0x2600 <= ord(text[i]) <= 0x27BF)


def _changed_positions(text: str, converted: str, cc: opencc.OpenCC) -> list[int]:
    if len(converted) == len(text):
        # Compare line by line first: equal lines (nearly all of them) cost one string comparison.
        out, pos = [], 0
        for old, new in zip(text.split("\n"), converted.split("\n")):
            if old != new:
                out += [pos + k for k, (a, b) in enumerate(zip(old, new)) if a != b]
            pos += len(old) + 1
        return out
    # t2s changed a length somewhere (rare): compare run by run of Han characters instead.
    out = []
    for m in re.finditer(HAN_CLASS + "+", text):
        seg = m.group()
        conv = cc.convert(seg)
        if len(conv) == len(seg):
            out += [m.start() + k for k, (a, b) in enumerate(zip(seg, conv)) if a != b]
        else:
            out += [m.start() + k for k, c in enumerate(seg) if cc.convert(c) != c]
    return out


def _runs(positions: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive positions merged into spans: [3, 4, 9] -> (3, 5), (9, 10)."""
    start = prev = None
    for i in positions:
        if prev is not None and i == prev + 1:
            prev = i
            continue
        if start is not None:
            yield start, prev + 1
        start = prev = i
    if start is not None:
        yield start, prev + 1


SPEC = CheckSpec(NAME, label="文风与排版", lt_category="STYLE", issue_type="style", options=Options, order=30,
                 rules=RULES)


def build(ctx: LoadContext) -> StyleCheck:
    return StyleCheck(ctx)
