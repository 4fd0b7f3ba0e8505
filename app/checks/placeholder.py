"""Unfilled template placeholders (三(四)4: a post must be complete before it is published)."""

from __future__ import annotations

import re
from typing import Iterable

from ..document import Document
from ..rules import Rule
from ..text import HAN_CLASS
from .base import Hit, LoadContext, RunOptions, SimpleCheck

NAME = "placeholder"
CLAUSE = "三(四)4"

RULES = (
    Rule("placeholder.bracket", "error", CLAUSE, "方括号占位符未填写，如 [X]、[姓名]、[日期]。",
         hit=("年会定于⟦[X]⟧月[X]日举行。", "请联系⟦[联系人]⟧。", "截止日期：⟦[待定]⟧"),
         nohit=("参见附件[1]。", "本规定第[3]条。", {"body": "见[文档](https://example.com/doc)（制度原文）。",
                                            "format": "markdown"})),
    Rule("placeholder.xx", "error", CLAUSE, "以 X 代替的未填写内容，如 XX月XX日、XXX、X元。",
         hit=("会议定于⟦XX⟧月XX日召开。", "联系人：⟦XXX⟧", "报名费⟦X⟧元。", "地点：⟦ＸＸ⟧会议室"),
         nohit=("使用 XXL 尺码。", "Windows XP 已停止维护。", "第X轴代表时间。", "请扫描二维码。")),
    Rule("placeholder.template", "error", CLAUSE, "模板变量或模板语句未渲染，如 {{ name }}、{% if %}、${name}。",
         hit=("尊敬的⟦{{ name }}⟧：", "⟦{% if vip %}⟧贵宾{% endif %}", "您好，⟦${user}⟧。"),
         nohit=("集合 {1, 2} 的元素。", "花括号｛｝用于注释。")),
    Rule("placeholder.pending", "error", CLAUSE, "标注为待定、待补充的内容，如【待定】、（待补充）、TBD。",
         hit=("地点：⟦【待定】⟧", "议程⟦（待补充）⟧", "负责人：⟦TBD⟧", "时间：⟦待定⟧"),
         nohit=("具体时间另行通知。", "待定事项已全部确认。")),
    Rule("placeholder.todo", "error", CLAUSE, "编辑标记 TODO、FIXME 未删除。",
         hit=("⟦TODO⟧ 补充数据", "本段 ⟦FIXME⟧", "（⟦此处待补充图片）⟧"),
         nohit=("今日待办事项已完成。", "Todoist 是一款软件。")),
    Rule("placeholder.blank", "error", CLAUSE, "留空的下划线，如 ＿＿＿ 或 ____，未填写内容。",
         hit=("姓名：⟦______⟧", "日期：⟦＿＿＿＿⟧"),
         nohit=("变量名 max_value 很常见。", "snake_case 命名")),
)

_PATTERNS: tuple[tuple[str, re.Pattern, str], ...] = (
    ("placeholder.template", re.compile(r"\{\{.{0,200}?\}\}|\{%.{0,200}?%\}|\$\{[A-Za-z_][\w.]{0,60}\}"),
     "模板变量未渲染：{text}"),
    ("placeholder.bracket",
     re.compile(r"[\[［]\s*(?:[XxＸｘ]{1,4}|" + HAN_CLASS + r"{1,8}|[A-Z_]{2,20}|\.{3}|…+)\s*[\]］](?![(（:])"),
     "占位符未填写：{text}"),
    ("placeholder.pending", re.compile(r"[【\[（(]\s*(?:待定|待补充|待确认|待填写|待更新|暂定)\s*[】\]）)]|\bTBD\b|\bTBC\b"
                                       r"|(?<=[:：])\s*(?:待定|待补充|待确认)\s*(?=$|[。，；\n])", re.M),
     "内容待定，发布前需补全：{text}"),
    ("placeholder.todo", re.compile(r"\b(?:TODO|FIXME|XXX:)\b|此处待补充[^\n。]{0,20}"), "编辑标记未删除：{text}"),
    ("placeholder.xx",
     re.compile(r"(?<![A-Za-z])(?:[XxＸｘ]{1,4}(?=[年月日号时点分秒元万个人名位天周期届次楼层室])"
                r"|(?<=[：:])\s*[XxＸｘ]{2,4}(?![A-Za-z])|(?<![A-Za-z])[XＸ]{3}(?![A-Za-z])"
                r"|(?<=" + HAN_CLASS + r")[XＸ]{2,4}(?=" + HAN_CLASS + r"))"),
     "以 X 代替的内容未填写：{text}"),
    ("placeholder.blank", re.compile(r"(?<![\w])_{3,}(?![\w])|＿{2,}"), "留空的下划线未填写"),
)

# A bracketed Chinese word that is a real reference, not a placeholder.
_BRACKET_KEEP = re.compile(r"^[\[［]\s*(?:\d+|注|图|表|附件|参考文献|\d+[-–]\d+)\s*[\]］]$")


class PlaceholderCheck(SimpleCheck):
    name = NAME

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        for field in doc.fields:
            taken = bytearray(len(field.text))  # characters already reported by an earlier pattern
            for rule, pattern, message in _PATTERNS:
                for m in pattern.finditer(field.text):
                    start, end = m.start(), m.end()
                    text = m.group()
                    if rule == "placeholder.bracket" and _BRACKET_KEEP.match(text):
                        continue
                    stripped = text.strip()
                    start += len(text) - len(text.lstrip())
                    end = start + len(stripped)
                    if start == end or any(taken[start:end]):
                        continue
                    taken[start:end] = b"\x01" * (end - start)
                    yield Hit(rule, field.name, start, end, message.format(text=stripped))


def build(ctx: LoadContext) -> PlaceholderCheck:
    return PlaceholderCheck(ctx)
