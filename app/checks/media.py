"""Images and videos (三(四)3): clear, lawful, free of sensitive information, source and copyright stated.

Every media item needs a credit: its own (API ``credit``/``caption``, ``<figcaption>``, an alt or title
text that is a credit), a credit line right before or after it (shared by a run of consecutive
media), or a line covering the whole post ("本文图片均由品牌部提供"). When the image bytes are at hand
(upload, CLI, ``data:`` URL, or fetched through the SSRF guard when probing), the check also reads
the credit in its EXIF/XMP metadata, decodes QR codes and judges their links by the link rules,
and warns about images too small or too blurry to read.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from .. import edits
from ..document import Document, Media
from ..media import attribution, qr, sources
from ..media import examples as ex
from ..media.credit import CreditLexicon
from ..media.image import ImageFacts, ImageRefused, Limits, inspect
from ..media.own_assets import OwnAssets
from ..media.qr_links import LinkJudge
from ..catalog import CheckSpec
from ..rules import Rule
from .base import CheckOptions, Hit, LoadContext, RunOptions, option

NAME = "media"
CLAUSE = "三(四)3"
LINK_CLAUSE = "三(四)4"

_IMG = "![]({})"


def _md(body: str) -> dict:
    return {"body": body, "format": "markdown"}


def _html(body: str) -> dict:
    return {"body": body, "format": "html"}


def _api(body: str, *items: dict) -> dict:
    return {"body": body, "media": list(items)}



class Options(CheckOptions):
    max_bytes: int = option(Limits.max_bytes, ge=1)
    max_pixels: int = option(Limits.max_pixels, ge=1)
    max_total_pixels: int = option(Limits.max_total_pixels, ge=1)
    max_images: int = option(Limits.max_images, ge=1)
    min_side: int = option(Limits.min_side, ge=0)
    min_sharpness: float = option(Limits.min_sharpness, ge=0)
    publish_max_bytes: int = option(Limits.publish_max_bytes, ge=1)
    qr: bool = Limits.qr
    fetch_budget: float = option(10.0, gt=0)


RULES = (
    Rule("media.attribution_missing", "error", CLAUSE,
         "图片或视频未注明来源及版权信息：在图下注明，如“图片来源：新华社”“摄影：张三”，或在文末写“本文图片均由…提供”。"
         "本账号自有的图片（logo、底部二维码、模板分隔线，见 lexicons/media_own.toml）和小尺寸装饰图不需要注明。",
         hit=(_md("年会现场：\n\n![合影](photo.jpg)\n\n大家度过了愉快的夜晚。"),
              _html('<p>活动现场</p><img src="a.jpg" alt="合影"><p>感谢参与。</p>'),
              _html('<picture><source srcset="a.webp"><img src="a.jpg"></picture><p>新品发布。</p>'),
              _html('<video src="launch.mp4" controls></video>'),
              _html('<figure><img src="b.jpg"><figcaption>员工在年会上合影</figcaption></figure>'),
              _api("年会圆满结束。", {"url": "https://img.example.com/a.jpg", "caption": "年会现场"}),
              _md("![](award.jpg)\n\n图：公司领导为获奖团队颁奖"),
              _html('<figure><img src="c.jpg"><figcaption>照片：活动现场全景</figcaption></figure>')),
         nohit=(_md("![合影](photo.jpg)\n\n图片来源：公司品牌部"),
                _md("![](a.jpg)\n![](b.jpg)\n\n摄影：张三"),
                _md("![](a.jpg)\n\n正文一段。\n\n![](b.jpg)\n\n本文图片均由品牌部提供。"),
                _md('![图/张三](a.jpg)'),
                _md("![](award.jpg)\n\n图：公司领导为获奖团队颁奖（李明 摄）"),
                _html('<figure><img src="b.jpg"><figcaption>图/新华社 记者 李四</figcaption></figure>'),
                _html('<p>© 2024 公司品牌部</p><video src="v.mp4"></video>'),
                _api("年会圆满结束。", {"url": "a.jpg", "credit": "公司品牌部"}),
                _api("本文图片均由品牌部提供。", {"url": "a.jpg"}, {"url": "b.jpg"}),
                _html(f'<p>活动回顾</p><img src="{ex.url("divider")}"><p>感谢参与。</p>'),
                _html('<p>正文。</p><img data-src="https://assets.company.internal/wechat/footer-qr.png">'),
                "纯文字通知，没有图片。")),
    Rule("media.attribution_vague", "warning", CLAUSE,
         "来源写成“来源于网络”“网络图片”“侵删”等于没有注明来源，也不能免除侵权责任：写明作者、机构或授权方。",
         hit=("本文⟦图片来源于网络⟧，如有侵权请联系删除。",
              _md("![](a.jpg)\n\n图片来源：网络"),
              _html('<figure><img src="a.jpg"><figcaption>（网络图片）</figcaption></figure>'),
              _html('<img src="a.jpg"><p>图片来自网络，侵删</p>'),
              _api("活动回顾。", {"url": "a.jpg", "credit": "网络"})),
         nohit=("图片来源：新华社", "网络安全周活动圆满结束。",
                _md("![](a.jpg)\n\n图片来源：网络安全周组委会"),
                _html('<figure><img src="a.jpg"><figcaption>摄影：张三</figcaption></figure>'),
                _api("活动回顾。", {"url": "a.jpg", "credit": "© 新华社"}))),
    Rule("media.attribution_incomplete", "info", CLAUSE,
         "只注明了来源，没有版权信息（版权所有者或授权许可）：如“图片来源：某网站（经授权使用）”或“© 作者”。",
         hit=(_md("![](chart.png)\n\n数据来源：国家统计局"),
              _html('<figure><img src="a.jpg"><figcaption>图片来源：新华网</figcaption></figure>'),
              _api("活动回顾。", {"url": "a.jpg", "credit": "来源：新华网"}),
              _api("本文图片来源：新华网", {"url": "a.jpg"})),
         nohit=(_md("![](a.jpg)\n\n摄影：张三"),
                _md("![](a.jpg)\n\n图片来源：Unsplash（CC0 授权）"),
                _html('<figure><img src="a.jpg"><figcaption>图/新华社</figcaption></figure>'),
                _api("活动回顾。", {"url": "a.jpg", "credit": "新华社"}),
                "数据来源：国家统计局")),
    Rule("media.metadata_credit", "info", CLAUSE,
         "正文没有注明来源，但图片的 EXIF/XMP 元数据里有作者或版权信息：请把它写进正文。",
         hit=(_md(_IMG.format(ex.url("exif"))),
              _html(f'<img src="{ex.url("xmp")}">'),
              _api("活动回顾。", {"url": ex.url("exif")})),
         nohit=(_md(_IMG.format(ex.url("exif")) + "\n\n摄影：张三"),
                _api("活动回顾。", {"url": ex.url("plain")}),
                _api("活动回顾。", {"url": ex.url("xmp"), "credit": "公司品牌部"}))),
    Rule("media.qr_link", "block", LINK_CLAUSE,
         "图片中的二维码指向的链接违反链接规范（javascript: 等脚本协议、禁止名单中的域名为阻断）。",
         hit=(_api("扫码报名。", {"url": ex.url("qr_js"), "credit": "品牌部"}),
              _md(_IMG.format(ex.url("qr_js")) + "\n\n图：品牌部"),
              _html(f'<figure><img src="{ex.url("qr_js")}"><figcaption>图：品牌部</figcaption></figure>')),
         nohit=(_api("扫码了解政策。", {"url": ex.url("qr_https"), "credit": "品牌部"}),
                _md(_IMG.format(ex.url("qr_text")) + "\n\n图：品牌部"),
                "扫码报名。"),
         needs="zxing-cpp"),
    Rule("media.unclear", "warning", CLAUSE,
         "图片太小或太模糊，读者看不清（阈值见 precheck.toml [media] min_side、min_sharpness）。",
         hit=(_md(_IMG.format(ex.url("tiny")) + "\n\n图：品牌部"),
              _api("活动回顾。", {"url": ex.url("blurry"), "credit": "品牌部"}),
              _html(f'<img src="{ex.url("blurry")}" title="摄影：张三">')),
         nohit=(_md(_IMG.format(ex.url("plain")) + "\n\n图：品牌部"),
                _api("活动回顾。", {"url": ex.url("plain"), "credit": "品牌部"}))),
    Rule("media.too_large", "warning", CLAUSE,
         "图片超过微信的大小上限，或像素数大到无法安全检查（解压炸弹）：压缩后再发布。",
         hit=(_api("活动回顾。", {"url": ex.url("bomb"), "credit": "品牌部"}),
              _md(_IMG.format(ex.url("bomb")) + "\n\n图：品牌部"),
              _html(f'<figure><img src="{ex.url("bomb")}"><figcaption>图：品牌部</figcaption></figure>')),
         nohit=(_api("活动回顾。", {"url": ex.url("plain"), "credit": "品牌部"}),)),
    Rule("media.unreadable", "warning", CLAUSE,
         "图片文件的内容不是可读的图片（按内容识别，不看扩展名），无法检查：请换成 JPEG/PNG 等图片。",
         hit=(_api("活动回顾。", {"url": ex.url("html"), "credit": "品牌部"}),
              _html(f'<img src="{ex.url("html")}" alt="摄影：张三">'),
              _md(_IMG.format(ex.url("html")) + "\n\n图：品牌部")),
         nohit=(_api("活动回顾。", {"url": ex.url("plain"), "credit": "品牌部"}),
                _api("活动回顾。", {"url": "https://img.example.com/a.jpg", "credit": "品牌部"}))),
)


class MediaCheck:
    name = NAME

    def __init__(self, ctx: LoadContext):
        options = ctx.options(NAME)
        self.limits = Limits.from_options(options)
        self.fetch_budget = options["fetch_budget"]
        self.settings = ctx.settings
        self.lex = CreditLexicon(ctx.lexicon_dirs)
        self.own = OwnAssets.load(ctx.lexicon_dirs)
        self.links = LinkJudge(ctx)
        self.engine = f"credit-lines+pillow+{'zxing-cpp' if qr.available() else 'no-qr'}"
        self.status = "ok" if qr.available() else "degraded"
        self.detail = None if qr.available() else "zxing-cpp is not installed: QR codes in images are not read"

    # -- where each finding points -------------------------------------------------------------
    @staticmethod
    def _at(m: Media, rule: str, message: str, **kw) -> Hit:
        if m.field != "body":
            return Hit(rule, m.field, 0, 0, message, **kw)
        return Hit(rule, "body", m.start, m.start, message, source_span=(m.src_start, m.src_end), **kw)

    @classmethod
    def _credit_at(cls, doc: Document, m: Media, rule: str, message: str, credits: tuple[str, ...]) -> Hit:
        # A credit is added after the media, never written over it: the image stays.
        if m.field != "body":
            return cls._at(m, rule, message, suggestions=credits)
        fixes = tuple(edits.line_after(doc.body.source, m.src_end, doc.draft.format, c) for c in credits)
        return cls._at(m, rule, message, suggestions=credits, edits=fixes)

    def run(self, doc: Document, opts: RunOptions) -> Iterable[Hit]:
        facts = self._gather(doc, opts)
        own = self.own.exempt(doc.media, facts)  # the account's own images and template decoration
        yield from self._attribution(doc, facts, own)
        yield from self._images(doc, facts, own)

    # -- credits ------------------------------------------------------------------------------------
    def _attribution(self, doc: Document, facts: dict, own: set[int]) -> Iterable[Hit]:
        reported: set = set()
        for span in attribution.vague_spans(doc, self.lex):
            reported.add(span)
            yield Hit("media.attribution_vague", "body", *span,
                      f"“{doc.body.text[span[0]:span[1]]}”没有注明具体来源和版权信息",
                      suggestions=())
        for a in attribution.attribute(doc, self.lex):
            m = a.media
            if m.index in own:
                continue
            label = _label(m)
            named = a.named
            if named:
                if not any(c.reading.complete for c in named):
                    c = named[0]
                    key = c.span or (m.index, c.origin)
                    if key not in reported:
                        reported.add(key)
                        msg = f"{label}只注明了来源“{c.text}”，还需注明版权所有者或授权许可"
                        if c.span:
                            yield Hit("media.attribution_incomplete", "body", *c.span, msg)
                        else:
                            yield self._at(m, "media.attribution_incomplete", msg)
                continue
            for c in a.credits:  # vague wording in the item's own fields (body lines were reported above)
                in_body = m.field == "body" and c.origin == "caption"  # a figcaption is body text
                if c.reading.vague and c.span is None and not in_body and (m.index, c.origin) not in reported:
                    reported.add((m.index, c.origin))
                    yield self._at(m, "media.attribution_vague",
                                   f"{label}的来源“{c.text}”没有注明具体来源和版权信息")
            meta = facts.get(m.index)
            if isinstance(meta, ImageFacts) and meta.credit:
                value = _best_metadata_credit(meta.credit)
                fields = "、".join(meta.credit)
                yield self._credit_at(doc, m, "media.metadata_credit",
                                      f"{label}的来源只写在图片元数据中（{fields}：{value}），请在正文注明",
                                      (f"图片来源：{value}",))
                continue
            if not a.vague_only:
                yield self._credit_at(doc, m, "media.attribution_missing",
                                      f"{label}未注明来源及版权信息：在图下另起一行写明，如“图片来源：新华社”"
                                      f"或“摄影：张三”，自有图片写“图片来源：本公司品牌部”",
                                      ("图片来源：", "摄影："))

    # -- image bytes ----------------------------------------------------------------------------
    def _gather(self, doc: Document, opts: RunOptions) -> dict[int, ImageFacts | ImageRefused]:
        """Inspect every image whose bytes are at hand; identical bytes are inspected once."""
        found: dict[int, ImageFacts | ImageRefused] = {}
        by_content: dict[bytes, ImageFacts | ImageRefused] = {}
        to_fetch: dict[str, list[Media]] = {}
        limits = self.limits

        def consider(m: Media, data: bytes, name: str) -> None:
            key = hashlib.sha256(data).digest()
            if key not in by_content:
                try:
                    by_content[key] = inspect(data, limits, name)
                except ImageRefused as e:
                    by_content[key] = e
            found[m.index] = by_content[key]

        for m in doc.media:
            if m.kind != "image":
                continue
            data_ref = next((r for r in sources.references(m) if r.strip().lower().startswith("data:")), None)
            if data_ref is not None:
                try:
                    data = sources.decode_data_url(data_ref, limits.max_bytes)
                except sources.TooLarge as e:
                    found[m.index] = ImageRefused(413, f"{e.size} bytes; the limit is {limits.max_bytes}",
                                                  f"文件超过 {limits.max_bytes / 1048576:.0f} MB，未检查")
                    continue
                if data is not None:
                    consider(m, data, "data: URL")
                    continue
            hit = sources.attached(doc, m)
            if hit is not None:
                consider(m, hit[1], hit[0])
            elif opts.probe_links and (url := sources.remote(m)):
                to_fetch.setdefault(url, []).append(m)
        if to_fetch:
            fetched = sources.fetch_all(list(to_fetch)[:limits.max_images], limits.max_bytes, self.fetch_budget,
                                        self.settings)
            for url, result in fetched.items():
                for m in to_fetch[url]:
                    if isinstance(result, bytes):
                        consider(m, result, url)
                    elif isinstance(result, sources.TooLarge):
                        found[m.index] = ImageRefused(413, f"more than {limits.max_bytes} bytes",
                                                      f"文件超过 {limits.max_bytes / 1048576:.0f} MB，未检查")
        return found

    def _images(self, doc: Document, found: dict, own: set[int]) -> Iterable[Hit]:
        limits = self.limits
        for m in doc.media:
            result = found.get(m.index)
            if result is None:
                continue
            label = _label(m)
            if isinstance(result, ImageRefused):
                rule = "media.too_large" if result.status == 413 else "media.unreadable"
                yield self._at(m, rule, f"{label}无法检查：{result.zh}")
                continue
            if result.size > limits.publish_max_bytes:
                yield self._at(m, "media.too_large",
                               f"{label}有 {result.size / 1048576:.1f} MB，超过微信单张图片上限 "
                               f"{limits.publish_max_bytes / 1048576:.0f} MB")
            if m.index in own:
                pass  # a logo or divider is meant to be small
            elif min(result.width, result.height) < limits.min_side:
                yield self._at(m, "media.unclear",
                               f"{label}只有 {result.width}×{result.height} 像素，读者看不清"
                               f"（短边至少 {limits.min_side} 像素）")
            elif result.sharpness is not None and result.sharpness < limits.min_sharpness:
                yield self._at(m, "media.unclear",
                               f"{label}很模糊（清晰度 {result.sharpness:.1f}，低于 {limits.min_sharpness:g}）")
            for text in result.qr_texts:
                if not qr.looks_like_link(text):
                    continue
                verdicts = self.links.judge(text)
                if verdicts:
                    worst = verdicts[0]
                    reasons = "；".join(dict.fromkeys(v.message for v in verdicts))
                    yield self._at(m, "media.qr_link", f"{label}中的二维码指向 {text}：{reasons}",
                                   severity=worst.severity, category=worst.rule)


def _label(m: Media) -> str:
    noun = {"image": "图片", "video": "视频", "audio": "音频", "iframe": "嵌入的视频"}.get(m.kind, "媒体")
    if m.field != "body":
        return f"{noun}（{m.field}）"
    return noun


def _best_metadata_credit(credit: dict[str, str]) -> str:
    for key in ("exif:Copyright", "dc:rights", "photoshop:Credit", "exif:Artist", "dc:creator", "exif:XPAuthor"):
        if credit.get(key):
            return credit[key]
    return next(iter(credit.values()))


SPEC = CheckSpec(NAME, label="图片与媒体", lt_category="MEDIA", issue_type="legal", options=Options, order=70,
                 rules=RULES)


def build(ctx: LoadContext) -> MediaCheck:
    return MediaCheck(ctx)
