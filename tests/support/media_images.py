"""Images the media tests make: Pillow for pixels and metadata, zxing-cpp's writer for QR codes."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, PngImagePlugin, TiffImagePlugin

from app.media.examples import bomb as bomb_png, data_url  # noqa: F401  (shared with the rule examples)

XMP = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
       'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"{credit_attr}>'
       '{creator}{rights}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def xmp(creator: str | None = None, rights: str | None = None, credit: str | None = None) -> bytes:
    return XMP.format(
        credit_attr=f' photoshop:Credit="{credit}"' if credit else "",
        creator=f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>" if creator else "",
        rights=(f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{rights}</rdf:li></rdf:Alt></dc:rights>'
                if rights else "")).encode("utf-8")


def photo(width: int = 400, height: int = 300, blur: float = 0.0, mode: str = "RGB") -> Image.Image:
    """Coloured blocks and lines: a sharp picture with edges at many scales."""
    img = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(img)
    for i in range(0, width, 16):
        for j in range(0, height, 16):
            if (i * 7 + j * 3) % 5 < 2:
                draw.rectangle([i, j, i + 11, j + 11], fill=(i % 256, j % 256, (i + j) % 256)[:len(mode)]
                               if mode != "L" else (i + j) % 256)
    draw.line([0, height, width, 0], fill="black" if mode != "L" else 0, width=2)
    return img.filter(ImageFilter.GaussianBlur(blur)) if blur else img


def encode(img: Image.Image, fmt: str, *, artist: str | None = None, copyright: str | None = None,
           xp_author: str | None = None, xmp_packet: bytes | None = None) -> bytes:
    exif = Image.Exif()
    if artist:
        exif[315] = artist.encode("utf-8")  # phones write UTF-8 into the ASCII tag
    if copyright:
        exif[33432] = copyright.encode("utf-8")
    if xp_author:
        exif[0x9C9D] = xp_author.encode("utf-16-le") + b"\x00\x00"
    buf = io.BytesIO()
    kw: dict = {}
    if len(exif):
        kw["exif"] = exif
    if fmt == "PNG" and xmp_packet:
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp_packet.decode("utf-8"))
        kw["pnginfo"] = info
    elif fmt == "TIFF" and xmp_packet:
        ifd = TiffImagePlugin.ImageFileDirectory_v2()
        ifd[700] = xmp_packet
        ifd.tagtype[700] = 1  # BYTE: the XMP packet as raw bytes
        kw["tiffinfo"] = ifd
    elif xmp_packet:
        kw["xmp"] = xmp_packet
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def qr_png(text: str, size: int = 360) -> bytes:
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode)
    view = memoryview(code.to_image(scale=6))
    h, w = view.shape[:2]
    symbol = Image.frombuffer("L", (w, h), bytes(view), "raw", "L", 0, 1)
    canvas = photo(max(size, w + 60), max(size, h + 60))
    canvas.paste(symbol.convert("RGB"), (30, 30))
    return encode(canvas, "PNG")
