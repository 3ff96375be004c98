"""The two renderings of a layout: DOCX (python-docx) and PDF (WeasyPrint), both A4 with the
margins, fonts and sizes of GB/T 9704-2012, both reproducible byte for byte from the same layout
and date (fixed timestamps and identifiers), so a re-render proves what was issued.

Fonts (ADR 0007): the PDF embeds subsets of Noto Serif CJK SC (body, 仿宋-like; FangSong itself
is not free) and its Bold (title, 小标宋-like), from Debian's fonts-noto-cjk. The DOCX names the
fonts a Chinese office's Word or WPS has for official documents (仿宋_GB2312, 方正小标宋简体)
with the Noto fonts as what a machine without them shows.
"""

from __future__ import annotations

import base64
import datetime
import html
import io
import zipfile
from typing import Any

import segno
from docx import Document as new_docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from anjian.documents.layout import (
    Heading,
    Layout,
    Number,
    Paragraph,
    Seal,
    Signatures,
    Table,
    Title,
    Verification,
)

# GB/T 9704-2012 5.2.1: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 22 lines of 28
# characters in 三号 (16 pt). The line pitch that gives 22 lines on 225 mm is 28.95 pt.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28.95
FOOTER_PT = 14  # 四号, page numbers

PDF_BODY_FONT = "Noto Serif CJK SC"
PDF_TITLE_FONT = "Noto Serif CJK SC"  # set in bold
DOCX_BODY_FONT = "仿宋_GB2312"
DOCX_TITLE_FONT = "方正小标宋简体"
DOCX_LATIN_FONT = "Times New Roman"

QR_SCALE_MM = 22  # printed size of the QR code
SEAL_MM = 42  # printed diameter of a seal: the usual 4.2 cm of an organ's round seal


def qr_payload(url: str) -> segno.QRCode:
    """The QR code of the check page; error correction M survives a stamp's edge on it."""
    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_svg(url: str) -> str:
    buf = io.BytesIO()
    qr_payload(url).save(buf, kind="svg", border=2, xmldecl=False, svgns=True, unit="mm")
    return buf.getvalue().decode()


def qr_png(url: str) -> bytes:
    buf = io.BytesIO()
    qr_payload(url).save(buf, kind="png", scale=8, border=2)
    return buf.getvalue()


# --- PDF ------------------------------------------------------------------------------------

_CSS = f"""
@page {{
  size: A4;
  margin: {MARGINS_MM["top"]}mm {MARGINS_MM["right"]}mm {MARGINS_MM["bottom"]}mm
    {MARGINS_MM["left"]}mm;
  @bottom-center {{
    content: "— " counter(page) " —";
    font-family: "{PDF_BODY_FONT}"; font-size: {FOOTER_PT}pt; vertical-align: top;
    padding-top: 7mm;
  }}
}}
html {{ font-family: "{PDF_BODY_FONT}"; font-size: {BODY_PT}pt; line-height: {LINE_PT}pt; }}
body {{ margin: 0; }}
p {{ margin: 0; text-align: justify; }}
p.indent {{ text-indent: 2em; }}
p.center {{ text-align: center; }}
p.right {{ text-align: right; }}
.label {{ font-weight: bold; }}
p.lead {{ break-after: avoid; }}
h1 {{ font-family: "{PDF_TITLE_FONT}"; font-weight: bold; font-size: {TITLE_PT}pt;
  line-height: 36pt; text-align: center; margin: 0; }}
h1.title {{ letter-spacing: 0.1em; }}
p.number {{ text-align: right; margin: 0 0 {LINE_PT}pt 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0; font-size: 14pt;
  line-height: 22pt; break-inside: avoid; }}
th, td {{ border: 0.75pt solid black; padding: 2pt 4pt; vertical-align: top; text-align: left; }}
th {{ font-weight: bold; }}
.signatures p {{ margin-top: {LINE_PT / 2}pt; }}
.seal {{ margin: {LINE_PT * 2}pt 4em 0 0; text-align: right; page-break-inside: avoid; }}
.seal p {{ text-align: right; }}
/* The seal covers the organ's name and the date, centred on them (GB/T 9704-2012 7.3.5.1:
   端正、居中下压发文机关署名和成文日期). */
.seal .stamped {{ display: inline-block; position: relative; text-align: center; }}
.seal .stamped p {{ text-align: center; }}
.seal img {{ position: absolute; width: {SEAL_MM}mm; height: {SEAL_MM}mm; left: 50%;
  margin-left: -{SEAL_MM / 2}mm; top: -{SEAL_MM / 2 - LINE_PT * 25.4 / 72}mm; }}
.verification {{ margin-top: {LINE_PT}pt; break-inside: avoid; font-size: 10.5pt;
  line-height: 15pt; display: flex; align-items: center; }}
.verification p {{ text-align: left; }}
/* The signatures, the seal and the check address stay together and on the page of the last
   paragraph: a seal or a QR code alone on a page proves nothing about the text before it
   (GB/T 9704-2012 7.3.5.1: the seal page carries body text). */
.closing {{ break-inside: avoid; break-before: avoid; }}
.verification svg {{ width: {QR_SCALE_MM}mm; height: {QR_SCALE_MM}mm; margin-right: 4mm; }}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


CLOSING = (Signatures, Seal, Verification)


def closing_start(layout: Layout) -> int:
    """Where the closing of the document begins: the trailing run of signatures, seal and
    verification, which the renderers keep together with the last paragraph."""
    start = len(layout.blocks)
    while start > 0 and isinstance(layout.blocks[start - 1], CLOSING):
        start -= 1
    return start


def layout_html(layout: Layout) -> str:
    """The layout as an HTML page for WeasyPrint."""
    parts: list[str] = []
    tail = closing_start(layout)
    for n, b in enumerate(layout.blocks):
        if n == tail:
            parts.append('<div class="closing">')
        if isinstance(b, Heading):
            parts.append(f'<h1 class="organ">{_e(b.text)}</h1>')
        elif isinstance(b, Title):
            parts.append(f'<h1 class="title">{_e(b.text)}</h1>')
        elif isinstance(b, Number):
            parts.append(f'<p class="number">{_e(b.text)}</p>')
        elif isinstance(b, Paragraph):
            cls = ["indent"] if b.indent else []
            if b.align in ("center", "right"):
                cls.append(b.align)
            if b.label and not b.text:
                cls.append("lead")  # a label alone (检查情况：) heads what follows
            label = f'<span class="label">{_e(b.label)}</span>' if b.label else ""
            parts.append(f'<p class="{" ".join(cls)}">{label}{_e(b.text)}</p>')
        elif isinstance(b, Table):
            total = sum(b.widths) or len(b.header)
            cols = "".join(
                f'<col style="width:{100 * w / total:.2f}%">'
                for w in (b.widths or (1,) * len(b.header))
            )
            head = "".join(f"<th>{_e(h)}</th>" for h in b.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in b.rows
            )
            parts.append(
                f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            )
        elif isinstance(b, Signatures):
            lines = "".join(
                f"<p>{_e(label)}<span>　　　　　　</span>　年　月　日</p>" for label in b.labels
            )
            parts.append(f'<div class="signatures">{lines}</div>')
        elif isinstance(b, Seal):
            if b.image:
                data = base64.b64encode(b.image).decode()
                parts.append(
                    f'<div class="seal"><p>　</p><div class="stamped">'
                    f'<img src="data:image/png;base64,{data}" alt="印章">'
                    f"<p>{_e(b.organ)}</p><p>{_e(b.date)}</p></div></div>"
                )
            else:
                parts.append(
                    f'<div class="seal"><p>（印章）</p><p>{_e(b.organ)}</p>'
                    f"<p>{_e(b.date)}</p></div>"
                )
        elif isinstance(b, Verification):
            parts.append(
                f'<div class="verification">{qr_svg(b.url)}<div>'
                f"<p>核验码：{_e(b.code)}</p><p>扫描二维码或访问以下地址核验本文书：</p>"
                f"<p>{_e(b.url)}</p></div></div>"
            )
    if tail < len(layout.blocks):
        parts.append("</div>")
    return (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{_e(layout.title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def render_pdf(layout: Layout, *, issued_on: datetime.date) -> bytes:
    from weasyprint import HTML  # imported here: it loads pango at import

    doc = HTML(string=layout_html(layout)).render()
    # Fixed metadata so the same layout renders to the same bytes.
    stamp = f"{issued_on.isoformat()}T00:00:00+08:00"
    doc.metadata.created = stamp
    doc.metadata.modified = stamp
    doc.metadata.generator = "anjian"
    out = doc.write_pdf(pdf_identifier=layout.meta.get("identifier", "anjian").encode())
    assert out is not None
    return bytes(out)


# --- DOCX -----------------------------------------------------------------------------------


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = DOCX_LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    # w:eastAsia is the font Word and WPS use for CJK characters; ascii/hAnsi for Latin ones.
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), DOCX_LATIN_FONT)
    fonts.set(qn("w:hAnsi"), DOCX_LATIN_FONT)


def _spacing(p: Any, exact: float = LINE_PT, before: float = 0) -> None:
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(exact)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(0)


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _page_number_footer(section: Any) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), DOCX_BODY_FONT, FOOTER_PT)
    run = p.add_run()
    _font(run, DOCX_BODY_FONT, FOOTER_PT)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(p.add_run(" —"), DOCX_BODY_FONT, FOOTER_PT)


def _seal_picture(p: Any, image: bytes, organ: str) -> None:
    """The seal as a picture floating over the organ's name and the date below it (an anchored
    drawing in front of the text), as a stamp lies on paper: centred on the name, which is set
    right with an indent of four characters."""
    run = p.add_run()
    run.add_picture(io.BytesIO(image), width=Mm(SEAL_MM), height=Mm(SEAL_MM))
    inline = run._element.find(".//" + qn("wp:inline"))
    if inline is None:  # pragma: no cover - python-docx always writes an inline drawing
        return
    anchor = OxmlElement("wp:anchor")
    for key, value in (
        ("distT", "0"), ("distB", "0"), ("distL", "0"), ("distR", "0"),
        ("simplePos", "0"), ("relativeHeight", "251659264"), ("behindDoc", "0"),
        ("locked", "0"), ("layoutInCell", "1"), ("allowOverlap", "1"),
    ):  # fmt: skip
        anchor.set(key, value)
    simple = OxmlElement("wp:simplePos")
    simple.set("x", "0")
    simple.set("y", "0")
    anchor.append(simple)
    pt_mm = 25.4 / 72
    usable = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
    centre = usable - BODY_PT * 4 * pt_mm - len(organ) * BODY_PT * pt_mm / 2
    emu = 36000  # per mm
    for axis, offset in (("H", round((centre - SEAL_MM / 2) * emu)), ("V", 0)):
        pos = OxmlElement(f"wp:position{axis}")
        pos.set("relativeFrom", "column" if axis == "H" else "paragraph")
        off = OxmlElement("wp:posOffset")
        off.text = str(offset)
        pos.append(off)
        anchor.append(pos)
    children = list(inline)
    extent = next(c for c in children if c.tag == qn("wp:extent"))
    anchor.append(extent)
    effect = OxmlElement("wp:effectExtent")
    for side in ("l", "t", "r", "b"):
        effect.set(side, "0")
    anchor.append(effect)
    anchor.append(OxmlElement("wp:wrapNone"))
    for c in children:
        if c.tag in (qn("wp:docPr"), qn("wp:cNvGraphicFramePr"), qn("a:graphic")):
            anchor.append(c)
    inline.getparent().replace(inline, anchor)


def _docx_document(layout: Layout, issued_on: datetime.date) -> Any:
    doc = new_docx()
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(28 - 7)
    _page_number_footer(section)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = DOCX_LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_BODY_FONT)

    props = doc.core_properties
    stamp = datetime.datetime.combine(issued_on, datetime.time())
    props.title = layout.title
    props.author = layout.meta.get("organ", "")
    props.last_modified_by = ""
    props.created = stamp
    props.modified = stamp
    props.revision = 1

    tail = closing_start(layout)
    mark = len(doc.paragraphs)
    for n, b in enumerate(layout.blocks):
        if n == max(tail - 1, 0):
            mark = len(doc.paragraphs)
        if isinstance(b, Heading | Title):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(p, 36)
            _font(p.add_run(b.text), DOCX_TITLE_FONT, TITLE_PT, bold=True)
        elif isinstance(b, Number):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _spacing(p)
            p.paragraph_format.space_after = Pt(LINE_PT)
            _font(p.add_run(b.text), DOCX_BODY_FONT, BODY_PT)
        elif isinstance(b, Paragraph):
            p = doc.add_paragraph()
            p.alignment = _ALIGN[b.align]
            _spacing(p)
            if b.indent:
                p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
            if b.label and not b.text:
                p.paragraph_format.keep_with_next = True
            if b.label:
                _font(p.add_run(b.label), DOCX_BODY_FONT, BODY_PT, bold=True)
            if b.text:
                _font(p.add_run(b.text), DOCX_BODY_FONT, BODY_PT)
        elif isinstance(b, Table):
            table = doc.add_table(rows=1 + len(b.rows), cols=len(b.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            widths = b.widths or (1,) * len(b.header)
            usable = PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]
            for r, row in enumerate((b.header, *b.rows)):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.width = Mm(usable * widths[c] / sum(widths))
                    p = cell.paragraphs[0]
                    _spacing(p, 22)
                    _font(p.add_run(text), DOCX_BODY_FONT, 14, bold=r == 0)
        elif isinstance(b, Signatures):
            for label in b.labels:
                p = doc.add_paragraph()
                _spacing(p, before=LINE_PT / 2)
                _font(p.add_run(f"{label}　　　　　　　年　月　日"), DOCX_BODY_FONT, BODY_PT)
        elif isinstance(b, Seal):
            for i, text in enumerate(("（印章）", b.organ, b.date)):
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                p.paragraph_format.right_indent = Pt(BODY_PT * 4)
                _spacing(p, before=LINE_PT * 2 if i == 0 else 0)
                if i == 0 and b.image:
                    _seal_picture(p, b.image, b.organ)
                else:
                    _font(p.add_run(text), DOCX_BODY_FONT, BODY_PT)
        elif isinstance(b, Verification):
            p = doc.add_paragraph()
            _spacing(p, before=LINE_PT)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.add_run().add_picture(io.BytesIO(qr_png(b.url)), width=Mm(QR_SCALE_MM))
            for text in (f"核验码：{b.code}", "扫描二维码或访问以下地址核验本文书：", b.url):
                q = doc.add_paragraph()
                _spacing(q, 15)
                _font(q.add_run(text), DOCX_BODY_FONT, 10.5)
    # As in the PDF: the last paragraph, the signatures, the seal and the check address stay
    # on one page.
    kept = doc.paragraphs[mark:]
    for i, p in enumerate(kept):
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = i < len(kept) - 1
    return doc


def _zip_fixed(data: bytes, when: datetime.date) -> bytes:
    """Rewrite the package with fixed member timestamps and order, so equal content gives
    equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(layout: Layout, *, issued_on: datetime.date) -> bytes:
    doc = _docx_document(layout, issued_on)
    buf = io.BytesIO()
    doc.save(buf)
    return _zip_fixed(buf.getvalue(), issued_on)
