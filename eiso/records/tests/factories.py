"""Test data of records and dossiers: catalogue procedures, dossier files as the one-stop
systems export them (Vietnamese headings), imports through the services."""

from __future__ import annotations

import csv
import io

from eiso.procedures.models import AdministrativeProcedure
from eiso.records import services

HEADER = [
    "Mã hồ sơ",
    "Mã thủ tục",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày có kết quả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Kênh nộp",
]
LLTP = "1.004851.000.00.00.H66"
KHAI_SINH = "1.001193.000.00.00.H66"


def procedure(code: str = LLTP, name: str = "Cấp Phiếu lý lịch tư pháp", level="provincial"):
    found, _created = AdministrativeProcedure.objects.get_or_create(
        code=code, defaults={"name": name, "level": level}
    )
    return found


def row(
    code,
    *,
    procedure_code=LLTP,
    received="03/03/2026 08:00",
    due="10/03/2026 17:00",
    finished="",
    returned="",
    status=None,
    channel="Trực tiếp",
):
    if status is None:
        status = "Đã giải quyết" if finished else "Đang xử lý"
    return [code, procedure_code, received, due, finished, returned, status, channel]


def csv_bytes(rows, header=HEADER, delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def import_rows(actor, agency, rows, *, header=HEADER, apply=True, filename="hoso.csv"):
    return services.dossiers_import_file(
        actor=actor,
        agency=agency,
        filename=filename,
        content=csv_bytes(rows, header),
        apply=apply,
    )
