"""Small images for the media rules' own examples, built in code so a reader sees what each one is.

Drafts can carry images inline as ``data:`` URLs, so a rule that reads image bytes still has
examples that are plain drafts (text, markdown, html or the API media list).
"""

from __future__ import annotations

import base64
import io
import struct
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, PngImagePlugin

_XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="{credit}">'
        '<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>'
        '<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>'
        '</rdf:Description></rdf:RDF></x:xmpmeta>')


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def pattern(width: int = 320, height: int = 240, blur: float = 0.0) -> Image.Image:
    """A grey checkerboard with a diagonal: sharp edges everywhere (blurred when asked)."""
    img = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(img)
    step = 20
    for y in range(0, height, step):
        for x in range(0, width, step):
            if (x // step + y // step) % 2:
                draw.rectangle([x, y, x + step - 1, y + step - 1], fill=30)
    draw.line([0, 0, width, height], fill=128, width=3)
    return img.filter(ImageFilter.GaussianBlur(blur)) if blur else img


def png(img: Image.Image, *, artist: str | None = None, copyright: str | None = None,
        xmp: dict[str, str] | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    if xmp:
        info.add_itxt("XML:com.adobe.xmp", _XMP.format(**{"credit": "", "creator": "", "rights": "", **xmp}))
    exif = Image.Exif()
    if artist:
        exif[315] = artist.encode("utf-8")
    if copyright:
        exif[33432] = copyright.encode("utf-8")
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info, exif=exif if len(exif) else None, optimize=True)
    return buf.getvalue()


def qr(text: str, size: int = 300) -> bytes:
    """A QR code for ``text`` centred on a white square, as a reader would photograph it."""
    import zxingcpp
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode)
    view = memoryview(code.to_image(scale=6))
    h, w = view.shape[:2]
    symbol = Image.frombuffer("L", (w, h), bytes(view), "raw", "L", 0, 1)
    canvas = Image.new("L", (max(size, w + 40), max(size, h + 40)), 255)
    canvas.paste(symbol, ((canvas.width - w) // 2, (canvas.height - h) // 2))
    return png(canvas.convert("1"))


def bomb(width: int = 8000, height: int = 7000) -> bytes:
    """A 1-bit all-white PNG: a few KB that would decode to ``width*height`` pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


@lru_cache(maxsize=None)
def url(name: str) -> str:
    """The data: URL of a named example image."""
    makers = {
        "plain": lambda: png(pattern()),
        "exif": lambda: png(pattern(), artist="张三", copyright="© 2024 新华社"),
        "xmp": lambda: png(pattern(), xmp={"creator": "李四", "rights": "© 品牌部", "credit": "公司品牌部"}),
        "tiny": lambda: png(pattern(48, 36)),
        "divider": lambda: png(pattern(640, 16)),
        "blurry": lambda: png(pattern(blur=8)),
        "qr_js": lambda: qr("javascript:alert(document.cookie)"),
        "qr_https": lambda: qr("https://www.gov.cn/zhengce/"),
        "qr_text": lambda: qr("会议签到：第3会议室"),
        "bomb": lambda: bomb(),
        "html": lambda: b"<html><body>not an image</body></html>",
    }
    return data_url(makers[name]())
