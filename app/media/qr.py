"""QR codes in an image: a reader scans them, so what they encode is a link in the post."""

from __future__ import annotations

import re

from PIL import Image

try:
    import zxingcpp
except ImportError:  # the check still runs; it says QR decoding is off
    zxingcpp = None

_FORMATS = None if zxingcpp is None else [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode]
_URL_LIKE = re.compile(r"(?i)^(?:[a-z][a-z0-9+.\-]{1,30}:|www\.[\w-])")


def available() -> bool:
    return zxingcpp is not None


def decode_qr(img: Image.Image) -> tuple[str, ...]:
    """The text of every QR code found, in reading order, without repeats."""
    if zxingcpp is None:
        return ()
    try:
        results = zxingcpp.read_barcodes(img, formats=_FORMATS)
    except Exception:  # an image mode the decoder rejects is not a finding
        return ()
    texts: list[str] = []
    for r in results:
        if r.valid and r.text and r.text not in texts:
            texts.append(r.text)
    return tuple(texts)


def looks_like_link(text: str) -> bool:
    return bool(_URL_LIKE.match(text.strip()))
