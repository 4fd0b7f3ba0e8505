"""Credit in an image's own metadata: EXIF Artist/Copyright and XMP dc:creator, dc:rights, photoshop:Credit.

XMP is XML written by whoever made the file, so it is parsed with defusedxml (no entities, no DTDs).
"""

from __future__ import annotations

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image

_EXIF = {315: "exif:Artist", 33432: "exif:Copyright", 0x9C9D: "exif:XPAuthor"}
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
_XMP_FIELDS = (("dc", "creator"), ("dc", "rights"), ("photoshop", "Credit"))
_MAX_XMP = 1 << 20


def _text(value: object) -> str:
    if isinstance(value, bytes):
        # XP* tags are UTF-16LE; a byte string elsewhere is usually UTF-8 from a phone.
        for enc in ("utf-16-le", "utf-8") if len(value) % 2 == 0 and b"\x00" in value else ("utf-8",):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            value = value.decode("latin-1")
    text = str(value)
    # EXIF ASCII tags reach Python as latin-1; cameras and editors put UTF-8 in them.
    try:
        text = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return " ".join(text.replace("\x00", " ").split())


def _xmp_bytes(img: Image.Image) -> bytes | None:
    raw = img.info.get("xmp") or img.info.get("XML:com.adobe.xmp")
    if raw is None and hasattr(img, "tag_v2"):
        raw = img.tag_v2.get(700)  # TIFF keeps XMP in a tag
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return raw if isinstance(raw, (bytes, bytearray)) and len(raw) <= _MAX_XMP else None


def _xmp_credit(raw: bytes) -> dict[str, str]:
    try:
        root = ElementTree.fromstring(raw.strip(b"\x00 \r\n\t"))
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return {}
    found: dict[str, str] = {}
    for desc in root.iter(f"{{{_NS['rdf']}}}Description"):
        for prefix, local in _XMP_FIELDS:
            qname = f"{{{_NS[prefix]}}}{local}"
            values = []
            if desc.get(qname):
                values.append(desc.get(qname))
            for el in desc.findall(qname):
                items = [li.text for li in el.iter(f"{{{_NS['rdf']}}}li") if li.text]
                values.extend(items or ([el.text] if el.text and el.text.strip() else []))
            text = "; ".join(_text(v) for v in values if _text(v))
            if text and f"{prefix}:{local}" not in found:
                found[f"{prefix}:{local}"] = text
    return found


def metadata_credit(img: Image.Image) -> dict[str, str]:
    """Credit fields found in the image, e.g. ``{"exif:Artist": "张三", "dc:rights": "© 新华社"}``."""
    found: dict[str, str] = {}
    try:
        exif = img.getexif()
    except Exception:  # a malformed EXIF block must not stop the rest of the inspection
        exif = {}
    for tag, name in _EXIF.items():
        value = exif.get(tag)
        if value:
            text = _text(value)
            if text:
                found[name] = text
    raw = _xmp_bytes(img)
    if raw:
        found.update(_xmp_credit(bytes(raw)))
    return found
