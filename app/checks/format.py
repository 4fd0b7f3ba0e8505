"""House style of HTML drafts (三(四)2 格式规范: 字体、字号、排版 as the company prescribes).

Judged on the inline styles a WeChat or 135editor article carries (see ``app/format/styles.py``),
against ``[format]`` of precheck.toml: allowed font families, body and heading sizes, colours, line
height, alignment. Only values the draft sets are judged (an unset size is the reader's default).
One finding per rule and value, at its first use, says how often the value occurs. Text and markdown
drafts have no typography of their own and are not checked.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator

from ..catalog import CheckSpec
from ..document import Document
from ..format import house, styles
from ..format.house import HouseStyle
from ..rules import Rule
from .base import CheckOptions, Hit, LoadContext, RunOptions, option

NAME = "format"
CLAUSE = "三(四)2"
WHITE = (255, 255, 255)


class Options(CheckOptions):
    fonts: list[str] = []
    max_families: int = option(1, ge=1)
    body_min_px: float = option(14.0, gt=0)
    body_max_px: float = option(18.0, gt=0)
    heading_min_px: float = option(16.0, gt=0)
    heading_max_px: float = option(24.0, gt=0)
    colors: list[str] = []
    min_contrast: float = option(3.0, ge=1, le=21)
    min_line_height: float = option(1.5, ge=0)
    alignments: list[str] = ["left", "justify", "center", "start"]
    image_text_min_chars: int = option(40, ge=0)


def _html(body: str) -> dict:
    return {"body": body, "format": "html"}


RULES = (
    Rule("format.font_family", "warning", CLAUSE,
         "字体不符合公司规定：[format] fonts 列出允许的字体；未列出时，全文只用一种字体（max_families）。",
         hit=(_html('<p style="font-family:微软雅黑">第一段</p><p style="font-family:楷体">第二段</p>'),),
         nohit=(_html('<p style="font-family:微软雅黑">第一段</p><p style="font-family:微软雅黑, sans-serif">第二段</p>'),
                "纯文本没有字体。")),
    Rule("format.mixed_fonts", "warning", CLAUSE, "同一段落中混用了不同的字体或字号。",
         hit=(_html('<p style="font-size:15px">正文<span style="font-size:20px">突然变大</span>的一段</p>'),),
         nohit=(_html('<p style="font-size:15px">正文<strong>加粗</strong>的一段</p>'),)),
    Rule("format.font_size", "warning", CLAUSE,
         "正文字号超出公司规定的范围（默认 14–18 px，[format] body_min_px / body_max_px）。",
         hit=(_html('<p style="font-size:12px">字太小的正文</p>'), _html('<p style="font-size:9pt">小五号字的正文</p>')),
         nohit=(_html('<p style="font-size:15px">正文</p>'), _html('<p style="font-size:1em">正文</p>'))),
    Rule("format.heading_size", "warning", CLAUSE,
         "标题字号超出公司规定的范围（默认 16–24 px，[format] heading_min_px / heading_max_px）。",
         hit=(_html('<h2 style="font-size:36px">特大标题</h2><p>正文</p>'),),
         nohit=(_html('<h2 style="font-size:20px">小标题</h2><p>正文</p>'),)),
    Rule("format.color", "warning", CLAUSE,
         "文字颜色不在公司规定的配色中（[format] colors），或与背景对比度不足（默认低于 3:1，浅灰字、白底黄字等）。",
         hit=(_html('<p style="color:#cccccc">浅灰色的正文</p>'),),
         nohit=(_html('<p style="color:#333333">深灰色的正文</p>'),
                _html('<section style="background-color:#1a1a1a"><p style="color:#ffffff">深底白字</p></section>'))),
    Rule("format.line_height", "warning", CLAUSE, "行距过小（默认至少 1.5 倍，[format] min_line_height）。",
         hit=(_html('<p style="line-height:1.2">行距太小的正文</p>'), _html('<p style="font-size:16px;line-height:18px">正文</p>')),
         nohit=(_html('<p style="line-height:1.75em">正文</p>'), _html('<p style="line-height:2">正文</p>'))),
    Rule("format.alignment", "warning", CLAUSE, "对齐方式不符合公司规定（默认允许 left、justify、center，[format] alignments）。",
         hit=(_html('<p style="text-align:right">右对齐的正文</p>'),),
         nohit=(_html('<p style="text-align:justify">两端对齐的正文</p>'),)),
    Rule("format.text_in_image", "warning", CLAUSE,
         "正文只有图片、几乎没有文字：文字做在图片里，读者无法搜索、复制、放大，读屏软件也读不出。"
         "请把文字作为正文发布（默认正文少于 40 字且有图片时提示，[format] image_text_min_chars）。",
         hit=(_html('<p>见下图</p><p><img src="poster.png"></p>'),),
         nohit=(_html('<p>' + "本次培训安排如下：时间为周五下午两点，地点在三楼培训室，请各部门组织相关人员准时参加，"
                      "培训结束后请提交心得体会。" + '</p><p><img src="map.png"></p>'),)),
)


class FormatCheck:
    name = NAME
    engine = "rules"
    status = "ok"
    detail: str | None = None

    def __init__(self, style: HouseStyle):
        self.style = style

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        if doc.draft.format != "html":
            return ()
        styled = styles.read(doc.body.source)
        found: list[tuple[str, str, tuple[int, int], str]] = []  # rule, value, source span, message
        found.extend(self._fonts(styled.runs))
        for run in styled.runs:
            found.extend(self._run(run))
        found.extend(self._mixed(styled.runs))
        found.extend(self._images(styled))
        return list(_one_per_value(found))

    # -- the rules --------------------------------------------------------------------------------

    def _fonts(self, runs: list[styles.Run]) -> Iterator[tuple]:
        s = self.style
        weight: Counter = Counter()
        for r in runs:
            if "font-family" in r.where:
                for f in house.families(r.style["font-family"])[:1]:
                    weight[f] += len(r.text.strip())
        if not weight:
            return
        if s.fonts:
            allowed = set(s.fonts)
            why = "公司规定的字体为：" + "、".join(s.fonts)
        else:
            allowed = {f for f, _ in weight.most_common(s.max_families)}
            why = f"全文宜只用 {s.max_families} 种字体，正文主要使用“{'、'.join(sorted(allowed))}”"
        for r in runs:
            if "font-family" not in r.where:
                continue
            first = house.families(r.style["font-family"])[:1]
            if first and first[0] not in allowed:
                yield ("format.font_family", first[0], r.where["font-family"], f"字体“{first[0]}”不符合规定：{why}")

    def _run(self, r: styles.Run) -> Iterator[tuple]:
        s = self.style
        size = house.px(r.style.get("font-size", ""), house.BASE_PX) if "font-size" in r.where else None
        if size is not None:
            lo, hi, what = ((s.heading_min_px, s.heading_max_px, "标题") if r.heading
                            else (s.body_min_px, s.body_max_px, "正文"))
            if not lo <= size <= hi:
                rule = "format.heading_size" if r.heading else "format.font_size"
                yield (rule, r.style["font-size"], r.where["font-size"],
                       f"{what}字号 {r.style['font-size']}（{size:g} px）超出规定的 {lo:g}–{hi:g} px")
        if "line-height" in r.where:
            lh = house.line_height(r.style["line-height"], size or house.BASE_PX)
            if lh is not None and lh < s.min_line_height:
                yield ("format.line_height", r.style["line-height"], r.where["line-height"],
                       f"行距 {r.style['line-height']}（{lh:.2g} 倍）小于规定的 {s.min_line_height:g} 倍")
        if "text-align" in r.where:
            align = r.style["text-align"].strip().lower()
            if align not in s.alignments:
                yield ("format.alignment", align, r.where["text-align"],
                       f"对齐方式“{align}”不符合规定（允许：{'、'.join(s.alignments)}）")
        if "color" in r.where:
            yield from self._color(r)

    def _color(self, r: styles.Run) -> Iterator[tuple]:
        s = self.style
        rgb = house.color(r.style["color"])
        if rgb is None:
            return
        value = r.style["color"].strip().lower()
        if s.colors and rgb not in s.colors:
            yield ("format.color", value, r.where["color"], f"文字颜色 {value} 不在公司规定的配色中")
            return
        bg = house.color(r.style.get("background-color", "")) or WHITE
        ratio = house.contrast(rgb, bg)
        if ratio < s.min_contrast:
            yield ("format.color", value, r.where["color"],
                   f"文字颜色 {value} 与背景对比度仅 {ratio:.1f}:1（至少 {s.min_contrast:g}:1），读者看不清")

    def _mixed(self, runs: list[styles.Run]) -> Iterator[tuple]:
        by_block: dict[int, list[styles.Run]] = {}
        for r in runs:
            by_block.setdefault(r.block, []).append(r)
        for block_runs in by_block.values():
            fams = {house.families(r.style.get("font-family", ""))[:1] for r in block_runs} - {()}
            sizes = {house.px(r.style["font-size"]) for r in block_runs if "font-size" in r.style} - {None}
            if len(fams) > 1 or len(sizes) > 1:
                odd = next(r for r in block_runs[1:] if r.style.get("font-family") != block_runs[0].style.get("font-family")
                           or r.style.get("font-size") != block_runs[0].style.get("font-size"))
                what = "字体" if len(fams) > 1 else "字号"
                prop = "font-family" if len(fams) > 1 else "font-size"
                span = odd.where.get(prop, (odd.start, odd.end))
                yield ("format.mixed_fonts", f"{odd.block}", span, f"同一段落中混用了不同的{what}：“{odd.text.strip()[:12]}”与前文不同")

    def _images(self, styled: styles.Styled) -> Iterator[tuple]:
        if not styled.images:
            return
        chars = sum(len("".join(r.text.split())) for r in styled.runs)
        if chars < self.style.image_text_min_chars:
            img = styled.images[0]
            yield ("format.text_in_image", "", (img.start, img.end),
                   f"正文只有 {chars} 个字和 {len(styled.images)} 张图片：文字若做在图片里，读者无法搜索、复制，读屏软件也读不出，"
                   "请把文字作为正文发布")


def _one_per_value(found: list[tuple]) -> Iterator[Hit]:
    counts = Counter((rule, value) for rule, value, _, _ in found)
    seen = set()
    for rule, value, span, message in sorted(found, key=lambda f: f[2]):
        if (rule, value) in seen:
            continue
        seen.add((rule, value))
        n = counts[(rule, value)]
        yield Hit(rule, "body", 0, 0, message + (f"（全文共 {n} 处）" if n > 1 else ""), source_span=span)


SPEC = CheckSpec(NAME, label="版式", lt_category="TYPOGRAPHY", issue_type="typographical", options=Options, order=75,
                 rules=RULES)


def style_of(section: dict) -> HouseStyle:
    """The house style of a ``[format]`` section (validated as the catalogue does)."""
    return house.from_options(Options.model_validate(section))


def build(ctx: LoadContext) -> FormatCheck:
    return FormatCheck(house.from_options(ctx.typed(NAME) or Options()))
