"""The official files of document control, built from the models as
:class:`~eiso.core.official.OfficialDocument` (Nghị định 30/2020/NĐ-CP layout); no HTTP here.

- ``decision_document``: the issuing decision (quyết định ban hành), marked "DỰ THẢO" while it
  is a draft, to print, sign and scan back;
- ``master_list_document``: the internal master list (danh mục tài liệu nội bộ) of an agency,
  current as of a date, landscape.

Every string written into these files is Vietnamese data or a legal formula (fixed literals, not
UI strings); labels that come from choices are resolved in Vietnamese whatever the UI language.
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.utils import translation

from eiso.core.official import OfficialDocument, Paragraph, Table, date_line
from eiso.core.text import vn_fold
from eiso.documents.choices import DecisionStatus
from eiso.documents.models import IssuingDecision, Revision
from eiso.documents.numbering import (
    COMMITTEE_PREFIXES,
    agency_symbol,
    is_peoples_committee,
    strip_prefix,
)

__all__ = [
    "DECISION_BASES",
    "DEFAULT_SUBJECT",
    "DRAFT_MARK",
    "agency_name",
    "authority_line",
    "decision_document",
    "decision_file_stem",
    "decision_filename",
    "decision_title",
    "is_peoples_committee",
    "issuing_body",
    "master_list_document",
    "master_list_file_stem",
    "master_list_filename",
    "place_name",
    "signer_lines",
    "superior_body",
]

DRAFT_MARK = "DỰ THẢO"
ISO_STANDARD = "Tiêu chuẩn quốc gia TCVN ISO 9001:2015"
DECISION_TITLE = (
    "Về việc ban hành, sửa đổi tài liệu Hệ thống quản lý chất lượng theo " + ISO_STANDARD
)
DECISION_BASES = (
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về "
    "việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào "
    "hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước;",
    "Căn cứ Thông tư số 26/2014/TT-BKHCN ngày 10 tháng 10 năm 2014 của Bộ trưởng Bộ Khoa học và "
    "Công nghệ quy định chi tiết thi hành Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 "
    "của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc "
    "gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành chính "
    "nhà nước;",
    # Nghị định 30/2020, Phụ lục III: the last line of the basis ends with a full stop.
    "Theo đề nghị của Thư ký ISO.",
)
DECISION_COLUMNS = ["STT", "Mã hiệu", "Tên tài liệu", "Lần ban hành", "Ngày hiệu lực", "Ghi chú"]
DECISION_WIDTHS_CM = [1.1, 3.6, 5.0, 1.5, 2.3, 2.5]  # 16 cm: the text width of a portrait A4
RECIPIENTS = ["Như Điều 3;", "Lưu: VT, Thư ký ISO."]

MASTER_LIST_TYPE = "DANH MỤC TÀI LIỆU NỘI BỘ"
MASTER_LIST_SYSTEM = "Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015"
MASTER_LIST_COLUMNS = [
    "STT",
    "Mã hiệu",
    "Tên tài liệu",
    "Loại tài liệu",
    "Lần ban hành",
    "Ngày hiệu lực",
    "Quyết định ban hành",
    "Bộ phận chủ trì",
]
MASTER_LIST_WIDTHS_CM = [1.1, 3.8, 6.8, 2.9, 1.5, 2.4, 3.5, 2.7]  # 24.7 cm: landscape A4
MASTER_LIST_RECIPIENTS = ["Các phòng, bộ phận;", "Lưu: VT, Thư ký ISO."]

# People's Committees (Ủy ban nhân dân) write their own name in full, with no superior body
# above it; the locality is what follows one of these (folded) prefixes.
COMMITTEE = COMMITTEE_PREFIXES
PROVINCE_LEVELS = ("tinh", "thanh pho")
LOCAL_LEVELS = ("xa", "phuong", "thi tran", "dac khu")
NBSP = "\u00a0"

# The subject a new decision starts with (data: it is printed as it is).
DEFAULT_SUBJECT = "ban hành, sửa đổi tài liệu Hệ thống quản lý chất lượng theo " + ISO_STANDARD
# What pages offered as the default subject before it was the Vietnamese formula above, in any
# UI language: a decision saved with it still prints the standard title.
_LEGACY_DEFAULT = "Issuing documents of the quality management system under TCVN ISO 9001:2015"


# --- the agency in the header -----------------------------------------------------------------

_strip_prefix = strip_prefix


def _levels(levels) -> list[str]:
    return [f"{body} {level}" for body in COMMITTEE for level in levels]


def _root(agency):
    """The top of the agency's tree (the province's People's Committee), without a query when
    the agency or its parent is the root."""
    if agency.parent_id is None:
        return agency
    parent = agency.parent
    if parent.parent_id is None:
        return parent
    from eiso.organizations.models import Agency

    root_path = agency.path.split("/")[0] + "/"
    return Agency.objects.filter(path=root_path).only("name", "short_name").first() or parent


def agency_name(agency) -> str:
    """How the agency names itself in its documents: "Sở Tư pháp", "Ủy ban nhân dân xã Đông
    Lợi" (a People's Committee in full, others by their short name when they have one)."""
    if is_peoples_committee(agency):
        return agency.name.strip()
    return (agency.short_name or agency.name).strip()


def superior_body(agency) -> str:
    """The body directly above the agency, upper case ("UBND TỈNH PHÚ AN"); none for a
    People's Committee or the root."""
    parent = agency.parent if agency.parent_id else None
    if parent is None or is_peoples_committee(agency):
        return ""
    name = (parent.short_name or parent.name).strip()
    rest = _strip_prefix(name, COMMITTEE[:1])  # the decree allows "UBND" in this line
    return (f"UBND {rest}" if rest else name).upper()


def issuing_body(agency) -> str:
    """The agency in the header, upper case: "SỞ TƯ PHÁP"; a People's Committee as
    "ỦY BAN NHÂN DÂN XÃ ĐÔNG LỢI" with the locality kept on one line."""
    name = agency_name(agency)
    local = _strip_prefix(name, COMMITTEE)
    if local:
        head = name[: len(name) - len(local)].strip()
        name = f"{head} {NBSP.join(local.split())}"
    return name.upper()


def place_name(agency) -> str:
    """The place in the date line: a commune's own name for a commune's People's Committee
    (Nghị định 30/2020), else the province: ``settings.EISO_PROVINCE_NAME`` or the root
    agency's name without "Ủy ban nhân dân tỉnh"."""
    commune = _strip_prefix(agency.name, _levels(LOCAL_LEVELS))
    if commune:
        return commune
    configured = (getattr(settings, "EISO_PROVINCE_NAME", "") or "").strip()
    if configured:
        return configured
    root = _root(agency)
    for name in (root.name, root.short_name):
        province = _strip_prefix(name or "", _levels(PROVINCE_LEVELS) + list(PROVINCE_LEVELS))
        if province:
            return province
    return root.name.strip()


def signer_lines(title: str) -> str:
    return "\n".join(line.strip().upper() for line in title.splitlines() if line.strip())


def authority_line(decision: IssuingDecision) -> str:
    """The line naming who decides, in capitals: "GIÁM ĐỐC SỞ TƯ PHÁP" (the head's title, even
    when a deputy signs "KT. GIÁM ĐỐC")."""
    agency = decision.agency
    head = agency.head_title.strip()
    if not head:
        first = (decision.signer_title.strip().splitlines() or [""])[0]
        head = first.split(".", 1)[1] if first.upper().startswith(("KT.", "TM.", "TL.")) else first
    body = agency_name(agency).upper()
    head = head.strip().upper()
    return f"{head} {body}" if head else body


# Older names, still imported by other apps' outputs: use the public names above.


# --- the issuing decision ---------------------------------------------------------------------


def _day(date: datetime.date | None) -> str:
    return f"{date:%d/%m/%Y}" if date else ""


@functools.cache
def _default_subjects() -> frozenset[str]:
    """The default subject and the earlier one in every language, folded: constants and their
    translations, worked out once per process (the list of decisions titles 25 at a time)."""
    defaults = {vn_fold(DEFAULT_SUBJECT), vn_fold(_LEGACY_DEFAULT)}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            defaults.add(vn_fold(translation.gettext(_LEGACY_DEFAULT)))
    return frozenset(defaults)


def decision_title(decision: IssuingDecision) -> str:
    """The "Về việc …" line of the decision, from its subject — what the page shows and the
    DOCX/PDF print; the standard formula when the subject is empty or the default."""
    subject = " ".join(decision.subject.split()).rstrip(".;")
    defaults = _default_subjects()
    folded = vn_fold(subject)
    if not subject or folded in defaults or folded.removeprefix("ve viec ") in defaults:
        return DECISION_TITLE
    if folded.startswith("ve viec "):
        return subject[0].upper() + subject[1:]
    first = subject.split()[0]
    if first[:1].isupper() and first[1:].islower():  # "Ban hành …", not an acronym "QT-01 …"
        subject = subject[0].lower() + subject[1:]
    return f"Về việc {subject}"


def _effective(revision: Revision, decision: IssuingDecision) -> str:
    date = revision.effective_date or decision.date
    return _day(date) if date else "Từ ngày ký"


def decision_revisions(decision: IssuingDecision) -> list[Revision]:
    """Every revision the decision issues (its text lists them all, current or not since)."""
    return list(
        Revision.objects.filter(decision=decision)
        .select_related("document")
        .order_by("document__code", "number")
    )


def decision_document(
    decision: IssuingDecision, revisions: list[Revision] | None = None
) -> OfficialDocument:
    """The decision in the official layout: its draft (watermarked "DỰ THẢO", blanks for the
    number and the day) or, once signed, its text with number and date."""
    if revisions is None:
        revisions = decision_revisions(decision)
    agency = decision.agency
    draft = decision.status != DecisionStatus.SIGNED
    body = agency_name(agency)
    number = decision.number.strip()
    replaced = [r for r in revisions if r.number > 1]
    rows = [
        [
            str(i),
            r.document.code,
            r.document.title,
            f"{r.number:02d}",
            _effective(r, decision),
            f"Thay thế lần ban hành {r.number - 1:02d}" if r.number > 1 else "Ban hành lần đầu",
        ]
        for i, r in enumerate(revisions, start=1)
    ]
    dates = {r.effective_date for r in revisions if r.effective_date}
    on_signing = not dates or dates == {decision.date}
    effect = ["Quyết định này có hiệu lực kể từ ngày ký."]
    if len(dates) == 1 and not on_signing:
        effect.append(
            "Các tài liệu ban hành kèm theo có hiệu lực kể từ ngày "
            + date_line("", next(iter(dates))).removeprefix("ngày ")
            + "."
        )
    elif not on_signing:
        effect.append("Các tài liệu tại Điều 1 có hiệu lực kể từ ngày ghi tại cột “Ngày hiệu lực”.")
    if replaced:
        effect.append(
            "Lần ban hành trước của các tài liệu được thay thế hết hiệu lực kể từ ngày lần ban "
            "hành mới có hiệu lực và chỉ được lưu để tra cứu."
        )
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number=f"Số: {number}" if number else f"Số:      /QĐ-{agency_symbol(agency)}",
        place=place_name(agency),
        date=decision.date,
        doc_type="QUYẾT ĐỊNH",
        title=decision_title(decision),
        preamble=[authority_line(decision), *DECISION_BASES],
        decision_heading="QUYẾT ĐỊNH:",
        articles=[
            Paragraph(
                "Ban hành kèm theo Quyết định này các tài liệu của Hệ thống quản lý chất lượng "
                f"theo {ISO_STANDARD} của {body}, gồm:",
                lead="Điều 1.",
            ),
            Table(DECISION_COLUMNS, rows, widths_cm=DECISION_WIDTHS_CM),
            Paragraph(" ".join(effect), lead="Điều 2."),
            Paragraph(
                f"Thư ký ISO, Thủ trưởng các phòng, bộ phận thuộc {body} và các cá nhân có liên "
                "quan chịu trách nhiệm thi hành Quyết định này./.",
                lead="Điều 3.",
            ),
        ],
        recipients=list(RECIPIENTS),
        signer_title=signer_lines(decision.signer_title),
        signer_name=decision.signer_name.strip(),
        watermark=DRAFT_MARK if draft else "",
    )


def decision_file_stem(decision: IssuingDecision) -> str:
    """ "Dự thảo quyết định" for a draft, "Quyết định 12-QĐ-STP" once signed (the download's
    ASCII fallback is "du-thao-quyet-dinh", "quyet-dinh-12-qd-stp")."""
    number = decision.number.strip().replace("/", "-")
    stem = "Quyết định" if decision.status == DecisionStatus.SIGNED else "Dự thảo quyết định"
    return f"{stem} {number}" if number else stem


def decision_filename(decision: IssuingDecision, extension: str) -> str:
    return f"{decision_file_stem(decision)}.{extension}"


# --- the master list ----------------------------------------------------------------------------


def _decision_cell(revision: Revision) -> str:
    decision = revision.decision
    if decision is None:
        return ""
    if decision.date:
        return f"{decision.number}\nngày {_day(decision.date)}"
    return decision.number


def master_list_document(agency, documents, *, as_of: datetime.date) -> OfficialDocument:
    """The agency's master list as of ``as_of``: each document in use with the revision in
    force that day, as ``selectors.master_list(on=as_of)`` gives them; landscape."""
    with translation.override("vi"):
        rows = [
            [
                str(i),
                d.code,
                d.title,
                str(d.get_kind_display()),
                f"{d.in_force.number:02d}",
                _day(d.in_force.effective_date),
                _decision_cell(d.in_force),
                d.department.name if d.department_id else "",
            ]
            for i, d in enumerate(documents, start=1)
        ]
    if rows:
        summary = (
            f"Danh mục gồm {len(rows)} tài liệu đang áp dụng, mỗi tài liệu ở lần ban hành hiện "
            "hành. Các lần ban hành đã bị thay thế hết hiệu lực, không thuộc danh mục này và chỉ "
            "được lưu để tra cứu."
        )
    else:
        summary = "Chưa có tài liệu nào được ban hành."
    return OfficialDocument(
        superior_body=superior_body(agency),
        issuing_body=issuing_body(agency),
        number="",
        place=place_name(agency),
        date=as_of,
        doc_type=MASTER_LIST_TYPE,
        title=f"{MASTER_LIST_SYSTEM}\n(Cập nhật đến ngày {_day(as_of)})",
        articles=[
            Table(MASTER_LIST_COLUMNS, rows, widths_cm=MASTER_LIST_WIDTHS_CM),
            Paragraph(summary, italic=True),
        ],
        recipients=list(MASTER_LIST_RECIPIENTS),
        signer_title=signer_lines(agency.head_title) or "THỦ TRƯỞNG CƠ QUAN",
        signer_name=agency.head_name.strip(),
        landscape=True,
    )


def master_list_file_stem(agency) -> str:
    """ "Danh mục tài liệu nội bộ STP" (ASCII: "danh-muc-tai-lieu-noi-bo-stp")."""
    return f"Danh mục tài liệu nội bộ {agency.code}"


def master_list_filename(agency, extension: str) -> str:
    return f"{master_list_file_stem(agency)}.{extension}"
