"""The case file (案卷) as one PDF (issue 19): the cover (卷宗封面), the contents (卷内目录:
number, document, date, pages) and every valid issued document of the case, in the order a
reviewer reads a file: the filing, the evidence and the measures taken, the handling approval,
the notice and the party's statement or hearing, the decision, its execution, the transfer and
the closing. The documents are the stored PDFs as issued, each checked against its hash first
(a file altered on disk is refused, never bound in); the cover and the contents are made when
the file is printed. Pages are numbered from the first document's first page, as the 卷内目录
counts them; the cover and the contents carry no number.
"""

from __future__ import annotations

import hashlib
import html
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, PdfWriter

from anjian.cases.documents import _party_name, penalty_text
from anjian.cases.models import Case
from anjian.core import clock
from anjian.core.errors import ServiceError
from anjian.documents.layout import date_cn
from anjian.documents.models import DocumentStatus, OfficialDocument
from anjian.documents.render import PDF_BODY_FONT

# The reading order of a file; kinds not listed go before the closing, by date.
READING_ORDER = [
    "filing_approval",
    "inspection_record",
    "interview_record",
    "onsite_measures",
    "correction_order",
    "reinspection_opinion",
    "seizure_decision",
    "seizure_release",
    "supply_stop_decision",
    "supply_stop_notice",
    "supply_stop_release",
    "case_handling_approval",
    "penalty_notice",
    "hearing_rights_notice",
    "statement_record",
    "hearing_notice",
    "hearing_record",
    "penalty_decision",
    "payment_reminder",
    "payment_deferral",
    "surcharge_decision",
    "enforcement_application",
    "case_transfer",
    "closing_approval",
]
_RANK = {k: i for i, k in enumerate(READING_ORDER)}
_LATE = READING_ORDER.index("case_transfer")


def _subjects(case: Case) -> list[Any]:
    """The case and the inspection records, correction orders and re-inspections of its
    findings: their documents belong to the file as evidence."""
    subjects: list[Any] = [case]
    findings = list(case.findings.select_related("record"))
    for record in {f.record_id: f.record for f in findings}.values():
        subjects.append(record)
    orders = {o.pk: o for f in findings for o in f.correction_orders.all()}
    for order in orders.values():
        subjects.append(order)
        subjects.extend(order.reinspections.all())
    return subjects


def casefile_documents(viewer: Any, case: Case) -> list[OfficialDocument]:
    """The valid documents of the file that `viewer` may open, in reading order."""
    from anjian.documents.selectors import documents_visible_for

    docs = [
        d
        for d in documents_visible_for(viewer, _subjects(case))
        if d.status == DocumentStatus.VALID
    ]
    docs.sort(key=lambda d: (_RANK.get(d.kind, _LATE - 0.5), d.issued_on, d.pk))
    return docs


@dataclass(frozen=True)
class Entry:
    index: int
    doc: OfficialDocument
    first_page: int
    last_page: int


def _stored_pdf(doc: OfficialDocument) -> bytes:
    from anjian.documents.storage import document_storage

    with document_storage().open(doc.pdf_file, "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != doc.pdf_sha256:
        raise ServiceError(
            _("The stored file of %(number)s does not match its hash; the file is not printed.")
            % {"number": doc.number}
        )
    return data


_CSS = f"""
@page {{ size: A4; margin: 30mm 26mm 30mm 28mm; }}
html {{ font-family: "{PDF_BODY_FONT}"; font-size: 14pt; line-height: 24pt; }}
h1 {{ text-align: center; font-size: 26pt; line-height: 40pt; font-weight: bold;
  margin: 0 0 18mm 0; letter-spacing: 0.3em; }}
h2 {{ text-align: center; font-size: 20pt; font-weight: bold; margin: 0 0 8mm 0; }}
p.organ {{ text-align: center; font-size: 18pt; margin: 25mm 0 12mm 0; }}
table {{ width: 100%; border-collapse: collapse; }}
table.cover td {{ padding: 3mm 2mm; border-bottom: 0.75pt solid black; vertical-align: top; }}
table.cover td.k {{ width: 28%; font-weight: bold; }}
table.toc th, table.toc td {{ border: 0.75pt solid black; padding: 1.5mm 2mm; font-size: 12pt;
  line-height: 18pt; vertical-align: top; }}
table.toc th {{ font-weight: bold; }}
.cover-page {{ break-after: page; }}
"""


def _front_html(case: Case, entries: list[Entry], pages: int) -> str:
    e = html.escape
    handlers = "、".join(u.full_name or u.username for u in case.handlers.order_by("username"))
    outcome = penalty_text(case) or case.end_reason or ""
    rows = [
        ("案件编号", case.number),
        ("案由", case.title),
        ("当事人", _party_name(case)),
        ("处罚决定书文号", case.decision_number),
        ("处理结果", outcome),
        ("立案日期", date_cn(case.filed_on) if case.filed_on else ""),
        ("结案日期", date_cn(case.closed_on) if case.closed_on else ""),
        ("承办人", handlers),
        ("本卷", f"共{len(entries)}件，{pages}页"),
        ("立卷日期", date_cn(clock.today())),
    ]
    cover = "".join(f'<tr><td class="k">{e(k)}</td><td>{e(v)}</td></tr>' for k, v in rows)
    toc = "".join(
        f"<tr><td>{x.index}</td><td>{e(x.doc.number)}</td><td>{e(x.doc.get_kind_display())}</td>"
        f"<td>{e(date_cn(x.doc.issued_on))}</td>"
        f"<td>{x.first_page}{'' if x.last_page == x.first_page else f'–{x.last_page}'}</td></tr>"
        for x in entries
    )
    return (
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{e(case.number)}</title><style>{_CSS}</style></head><body>"
        f'<div class="cover-page"><p class="organ">{e(case.bureau.name)}</p>'
        f'<h1>行政处罚案卷</h1><table class="cover">{cover}</table></div>'
        '<h2>卷内目录</h2><table class="toc"><colgroup><col style="width:8%">'
        '<col style="width:34%"><col style="width:30%"><col style="width:17%">'
        '<col style="width:11%"></colgroup>'
        "<thead><tr><th>序号</th><th>文号</th><th>文书名称</th><th>日期</th><th>页号</th></tr>"
        f"</thead><tbody>{toc}</tbody></table></body></html>"
    )


def casefile_pdf(viewer: Any, case: Case) -> tuple[bytes, list[Entry]]:
    """The whole file as one PDF, and its contents list."""
    from django.utils import translation
    from weasyprint import HTML

    docs = casefile_documents(viewer, case)  # none yet: the cover and an empty contents
    pdfs = [PdfReader(io.BytesIO(_stored_pdf(d))) for d in docs]
    entries: list[Entry] = []
    page = 1
    for i, (doc, reader) in enumerate(zip(docs, pdfs, strict=True), 1):
        n = len(reader.pages)
        entries.append(Entry(i, doc, page, page + n - 1))
        page += n
    with translation.override("zh-hans"):
        front = HTML(string=_front_html(case, entries, page - 1)).write_pdf()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)))
    for reader in pdfs:
        writer.append(reader)
    writer.add_metadata({"/Title": f"{case.number} 行政处罚案卷", "/Producer": "anjian"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), entries
