"""Word documents (.docx) as drafts: the text as HTML with its structure, and the embedded images.

mammoth turns the document into plain HTML: headings, paragraphs, lists, tables, hyperlinks (target
and anchor text), images; comments are left out. Each block is written on a line of its own, so a
finding's line is the paragraph it is in (see ``locate``). Embedded images are kept as bytes under
the names the HTML gives them, for the media check (EXIF/XMP credits, QR codes, clarity).

What is refused before anything is decompressed: a file that is not a zip archive, an archive
whose members would expand past the limits (a zip bomb: sizes are read from the archive directory,
and a member is never read past its declared size), and a document with external relationships
other than hyperlinks (linked images, remote templates, OLE links, frames), which a reader's Word
would fetch from elsewhere.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree

from ..models import Finding, Report
from .blocks import one_block_a_line

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 64 * 1024 * 1024  # the whole archive, expanded
MAX_RATIO = 200  # expanded / compressed, for a member over 1 MB expanded
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_TAG = re.compile(r"<[^>]*>")

MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxRefused(ValueError):
    """``status`` 413 for an archive too large expanded, 422 for anything else; ``message`` says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class DocxDraft:
    html: str
    images: dict[str, bytes] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def is_docx(data: bytes) -> bool:
    """A zip archive holding a Word body: judged by content, not by the file name."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    if not data.startswith(b"PK"):
        raise DocxRefused(422, f"{name}: not a .docx file (a Word document is a zip archive)")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as e:
        raise DocxRefused(422, f"{name}: not a readable .docx file ({e})") from None
    infos = z.infolist()
    if "word/document.xml" not in z.namelist():
        raise DocxRefused(422, f"{name}: a zip archive but not a Word document (no word/document.xml)")
    if len(infos) > MAX_MEMBERS:
        raise DocxRefused(413, f"{name}: {len(infos)} files in the archive; the limit is {MAX_MEMBERS}")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise DocxRefused(413, f"{name}: expands to {total} bytes; the limit is {MAX_UNCOMPRESSED} "
                               "(a zip bomb, or a document too large to check)")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise DocxRefused(413, f"{name}: {i.filename} expands {i.file_size // max(i.compress_size, 1)} times; "
                                   f"the limit is {MAX_RATIO} (a zip bomb)")
    return z


def _external_targets(z: zipfile.ZipFile, name: str) -> None:
    for rels in (n for n in z.namelist() if n.endswith(".rels")):
        try:
            root = ElementTree.fromstring(z.read(rels))
        except Exception as e:  # defusedxml refuses entities; a broken part is refused the same way
            raise DocxRefused(422, f"{name}: {rels} is not well-formed XML ({type(e).__name__})") from None
        for rel in root:
            if rel.get("TargetMode") == "External" and rel.get("Type") != _HYPERLINK:
                kind = (rel.get("Type") or "").rsplit("/", 1)[-1] or "unknown"
                raise DocxRefused(422, f"{name}: has an external {kind} relationship to {rel.get('Target')!r}; "
                                       "embed the content instead of linking it")


def read(data: bytes, name: str = "document.docx") -> DocxDraft:
    """The HTML of the document and its images; raises ``DocxRefused``."""
    import mammoth

    with _open(data, name) as z:
        _external_targets(z, name)
    images: dict[str, bytes] = {}

    def keep(image) -> dict:
        with image.open() as fh:
            blob = fh.read(MAX_UNCOMPRESSED + 1)
        ext = (image.content_type or "image/png").rsplit("/", 1)[-1].split("+")[0].replace("jpeg", "jpg")
        key = f"image{len(images) + 1}.{ext}"
        images[key] = blob
        attrs = {"src": key}
        if image.alt_text:
            attrs["alt"] = image.alt_text
        return attrs

    try:
        result = mammoth.convert_to_html(io.BytesIO(data), convert_image=mammoth.images.img_element(keep))
    except Exception as e:  # mammoth's errors have no common base; any of them means the same to the user
        raise DocxRefused(422, f"{name}: cannot read the document ({type(e).__name__}: {str(e)[:200]})") from None
    warnings = tuple(str(m.message) for m in result.messages if m.type == "warning")
    return DocxDraft(html=one_block_a_line(result.value), images=images, warnings=warnings)


def locate(report: Report, source: str) -> Report:
    """The report with each body finding's column counted in characters of its paragraph's text
    (the line is the paragraph already), as a Word user counts them; offsets stay in the HTML."""
    lines = source.split("\n")

    def column(f: Finding) -> int:
        line = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        return len(html.unescape(_TAG.sub("", line[:f.column - 1]))) + 1

    findings = [f.model_copy(update={"column": column(f)}) if f.field == "body" else f for f in report.findings]
    return report.model_copy(update={"findings": findings})
