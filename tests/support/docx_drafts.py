"""Word documents made for the tests with python-docx: the acceptance draft and broken archives."""

from __future__ import annotations

import io
import zipfile

from app.media import examples as ex

DENIED_HOST = "malware.wicar.org"  # in lexicons/domains/deny.txt


def photo() -> bytes:
    return ex.png(ex.pattern(480, 320))


def qr_photo() -> bytes:
    return ex.qr(f"https://{DENIED_HOST}/signup")


def _hyperlink(paragraph, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def acceptance_docx() -> bytes:
    """A heading, a typo, a credited photo, an uncredited photo of a QR code to a denied host, a
    hyperlink with its description, and a comment (which is not part of the post)."""
    from docx import Document
    from docx.shared import Inches

    doc = Document()
    doc.add_heading("年会活动回顾", level=1)
    doc.add_paragraph("请各位同事按装最新版本的客户端。")
    doc.add_paragraph().add_run().add_picture(io.BytesIO(photo()), width=Inches(3))
    doc.add_paragraph("摄影：张三（品牌部版权所有）")
    doc.add_paragraph("扫码报名：")
    doc.add_paragraph().add_run().add_picture(io.BytesIO(qr_photo()), width=Inches(2))
    link = doc.add_paragraph("报名须知见")
    _hyperlink(link, "https://www.gov.cn/zhengce/", "政策页面")
    link.add_run("（国务院政策文件库，用于查阅相关规定）。")
    comment_on = doc.add_paragraph("感谢大家的参与。")
    if hasattr(doc, "add_comment"):
        doc.add_comment(comment_on.runs, text="审稿意见：这里按装一下图片", author="审稿人")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A valid-looking .docx whose one member expands 100 MB from a few KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b" " * (100 * 1024 * 1024) + b"/>")
    return buf.getvalue()


def with_external_image() -> bytes:
    """The acceptance document with a linked (not embedded) image added to its relationships."""
    src = zipfile.ZipFile(io.BytesIO(acceptance_docx()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>",
                                    b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
                                    b'2006/relationships/image" Target="http://192.168.1.5/track.png" '
                                    b'TargetMode="External"/></Relationships>')
            z.writestr(info, data)
    return buf.getvalue()
