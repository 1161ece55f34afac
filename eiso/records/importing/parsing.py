"""The columns of a one-stop dossier file and their cell parsers.

The columns are declared for the import kernel (``eiso.core.imports.Column``: name, label,
the Vietnamese headings the one-stop systems export as aliases, parser, required). The parsers
are written for volume — a province's yearly export has a million rows — so the common shapes
are read by slicing, without building objects:

- a moment (``parse_moment``) becomes its local time as text, ``"2025-03-15 08:30:00"``
  (Asia/Ho_Chi_Minh): texts of that shape compare like the moments they name, and their first
  ten characters are the local day;
- a status or channel is looked up once per distinct text (``Cached``).
"""

from __future__ import annotations

import datetime
import functools
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.imports import CellError, Column, choice, parse_date
from eiso.records.choices import Channel, DossierStatus

CODE_MAX = 64
FIRST_YEAR = 1990  # the one-stop systems date from the 2010s: earlier years are typing slips
LAST_YEAR = 2100


@functools.cache
def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@functools.cache
def _max_day(year: str, month: str) -> str | None:
    """The last day of ``month``/``year`` as two digits ("28"…"31"), None when there is no
    such month or the year is out of range."""
    if not (year.isdigit() and month.isdigit()):
        return None
    y, m = int(year), int(month)
    if not (FIRST_YEAR <= y <= LAST_YEAR and 1 <= m <= 12):
        return None
    following = datetime.date(y + (m == 12), m % 12 + 1, 1)
    return f"{(following - datetime.timedelta(days=1)).day:02d}"


_TIME_OK = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
_DMY = re.compile(
    r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2})[:hH](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_TIME_FIRST = re.compile(
    r"(?P<H>\d{1,2})[:hH](?P<M>\d{2})(?::(?P<S>\d{2}))?[ ,]+"
    r"(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})$"
)
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"(?P<tz>Z|[+\-]\d{2}:?\d{2})?$"
)


def _unreadable(value: str) -> CellError:
    return CellError(
        _("%(value)s is not a date: write dd/mm/yyyy or dd/mm/yyyy hh:mm, e.g. 15/03/2025 08:30.")
        % {"value": value}
    )


def _from_parts(value: str, parts: dict) -> str:
    year, month, day = parts["y"], parts["m"].zfill(2), parts["d"].zfill(2)
    # The date's own messages ("31/02/2025 does not exist: 02/2025 has 28 days").
    parse_date(f"{day}/{month}/{year}")
    if _max_day(year, month) is None:
        raise CellError(
            _("%(value)s is not a plausible date (years %(first)s to %(last)s).")
            % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    hour = (parts.get("H") or "0").zfill(2)
    minute = parts.get("M") or "00"
    second = parts.get("S") or "00"
    clock = f"{hour}:{minute}:{second}"
    if not _TIME_OK.match(clock):
        raise CellError(_("%(value)s has a time that does not exist.") % {"value": value})
    moment = f"{year}-{month}-{day} {clock}"
    zone = parts.get("tz")
    if zone:  # a moment with its offset (an API push): to local time
        aware = datetime.datetime.fromisoformat(
            f"{moment}{'+00:00' if zone == 'Z' else zone}"
        ).astimezone(local_zone())
        moment = aware.strftime("%Y-%m-%d %H:%M:%S")
        if _max_day(moment[:4], moment[5:7]) is None:
            raise _unreadable(value)
    return moment


_DAYS: dict[str, str] = {}  # "15/03/2025" → "2025-03-15" ("" when it is no day)
_CLOCKS: dict[str, str] = {}  # " 08:30" → "08:30:00"
_CACHE_LIMIT = 100_000


def _day_of(text: str) -> str:
    """``dd/mm/yyyy`` → ``yyyy-mm-dd``, or "" (then the slow path says why)."""
    day, month, year = text[0:2], text[3:5], text[6:10]
    last = _max_day(year, month)
    found = ""
    if text[2] == "/" and text[5] == "/" and last and day.isdigit() and "01" <= day <= last:
        found = f"{year}-{month}-{day}"
    if len(_DAYS) >= _CACHE_LIMIT:
        _DAYS.clear()
    _DAYS[text] = found
    return found


def _clock_of(text: str) -> str:
    """`` hh:mm`` or `` hh:mm:ss`` → ``hh:mm:ss``, or ""."""
    clock = text[1:] + ":00" if len(text) == 6 else text[1:]
    found = clock if text[0] == " " and _TIME_OK.match(clock) else ""
    if len(_CLOCKS) >= _CACHE_LIMIT:
        _CLOCKS.clear()
    _CLOCKS[text] = found
    return found


def parse_moment(value) -> str:
    """A date or date and time as the one-stop systems write it → its local moment as text
    ``"YYYY-MM-DD HH:MM:SS"``. Accepts ``dd/mm/yyyy``, ``dd/mm/yyyy hh:mm[:ss]``,
    ``hh:mm[:ss] dd/mm/yyyy``, ``yyyy-mm-dd[Thh:mm[:ss]][offset]`` and spreadsheet dates. A
    date alone is midnight. Raises ``CellError`` with the reason (a day that does not exist, a
    time that does not exist, an implausible year)."""
    if type(value) is str:
        size = len(value)
        # The export's own shape, dd/mm/yyyy[ hh:mm[:ss]]: a few hundred distinct days and
        # clocks in a million rows, each read once.
        if size == 16 or size == 10 or size == 19:
            head = value[:10]
            day = _DAYS.get(head)
            if day is None:
                day = _day_of(head)
            if day:
                if size == 10:
                    return day + " 00:00:00"
                tail = value[10:]
                clock = _CLOCKS.get(tail)
                if clock is None:
                    clock = _clock_of(tail)
                if clock:
                    return day + " " + clock
        value = value.strip()
    elif isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(local_zone())
        moment = value.strftime("%Y-%m-%d %H:%M:%S")
        if _max_day(moment[:4], moment[5:7]) is None:
            raise _unreadable(moment)
        return moment
    elif isinstance(value, datetime.date):
        return parse_moment(datetime.datetime.combine(value, datetime.time()))
    else:
        value = str(value).strip()
    for pattern in (_DMY, _TIME_FIRST, _ISO):
        match = pattern.match(value)
        if match:
            return _from_parts(value, match.groupdict())
    raise _unreadable(value)


def moment_to_datetime(moment: str) -> datetime.datetime:
    """A local moment as ``parse_moment`` writes it → an aware datetime."""
    return datetime.datetime.fromisoformat(moment).replace(tzinfo=local_zone())


class Cached:
    """A parser that remembers its answer per distinct text (a status column holds a handful
    of texts in a million rows). Errors are not remembered: the message names the cell."""

    LIMIT = 2000

    def __init__(self, parser) -> None:
        self.parser = parser
        self.known: dict[str, object] = {}

    def __call__(self, value: str):
        found = self.known.get(value)
        if found is not None:
            return found
        result = self.parser(value)
        if len(self.known) < self.LIMIT:
            self.known[value] = result
        return result


STATUS_WORDS = {
    # In progress
    "dang xu ly": DossierStatus.IN_PROGRESS,
    "dang giai quyet": DossierStatus.IN_PROGRESS,
    "chua giai quyet": DossierStatus.IN_PROGRESS,
    "dang thu ly": DossierStatus.IN_PROGRESS,
    "moi tiep nhan": DossierStatus.IN_PROGRESS,
    "da tiep nhan": DossierStatus.IN_PROGRESS,
    "cho xu ly": DossierStatus.IN_PROGRESS,
    "in progress": DossierStatus.IN_PROGRESS,
    "in_progress": DossierStatus.IN_PROGRESS,
    # Waiting for the citizen
    "tam dung": DossierStatus.SUSPENDED,
    "cho bo sung": DossierStatus.SUSPENDED,
    "yeu cau bo sung": DossierStatus.SUSPENDED,
    "dang bo sung": DossierStatus.SUSPENDED,
    "suspended": DossierStatus.SUSPENDED,
    # Finished
    "da giai quyet": DossierStatus.FINISHED,
    "da co ket qua": DossierStatus.FINISHED,
    "co ket qua": DossierStatus.FINISHED,
    "da tra ket qua": DossierStatus.FINISHED,
    "da xu ly": DossierStatus.FINISHED,
    "hoan thanh": DossierStatus.FINISHED,
    "da hoan thanh": DossierStatus.FINISHED,
    "finished": DossierStatus.FINISHED,
    # Returned without a result
    "tra lai": DossierStatus.RETURNED,
    "tra lai ho so": DossierStatus.RETURNED,
    "tu choi": DossierStatus.RETURNED,
    "khong giai quyet": DossierStatus.RETURNED,
    "returned": DossierStatus.RETURNED,
    # Withdrawn
    "rut ho so": DossierStatus.WITHDRAWN,
    "da rut": DossierStatus.WITHDRAWN,
    "cong dan rut": DossierStatus.WITHDRAWN,
    "cong dan rut ho so": DossierStatus.WITHDRAWN,
    "withdrawn": DossierStatus.WITHDRAWN,
}
CHANNEL_WORDS = {
    "truc tiep": Channel.DIRECT,
    "nop truc tiep": Channel.DIRECT,
    "tai quay": Channel.DIRECT,
    "direct": Channel.DIRECT,
    "truc tuyen": Channel.ONLINE,
    "nop truc tuyen": Channel.ONLINE,
    "dich vu cong": Channel.ONLINE,
    "dvc truc tuyen": Channel.ONLINE,
    "truc tuyen mot phan": Channel.ONLINE,
    "truc tuyen toan trinh": Channel.ONLINE,
    "qua mang": Channel.ONLINE,
    "online": Channel.ONLINE,
    "buu chinh": Channel.POSTAL,
    "buu chinh cong ich": Channel.POSTAL,
    "qua buu chinh": Channel.POSTAL,
    "buu dien": Channel.POSTAL,
    "postal": Channel.POSTAL,
}


def status_parser() -> Cached:
    return Cached(
        choice(
            STATUS_WORDS,
            accepted="Đang xử lý, Chờ bổ sung, Đã giải quyết, Trả lại, Rút hồ sơ",
            what=_("status"),
        )
    )


def channel_parser() -> Cached:
    return Cached(
        choice(
            CHANNEL_WORDS,
            accepted="Trực tiếp, Trực tuyến, Bưu chính công ích",
            what=_("channel"),
        )
    )


def text(max_length: int):
    """The text as written (the engine hands it trimmed); longer than ``max_length`` is
    refused. The kernel's ``text`` for a million cells: no conversion, one comparison."""

    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(
                _("Too long: %(n)s characters, at most %(max)s.")
                % {"n": len(value), "max": max_length}
            )
        return value

    parse.max_length = max_length  # read by the engine's fast path (``fastpath``)
    return parse


code_parser = text(CODE_MAX)


def columns() -> list[Column]:
    """The columns of a dossier file, with the headings of the one-stop systems' exports."""
    return [
        Column(
            "code",
            gettext_lazy("Dossier code"),
            aliases=("Mã hồ sơ", "Số hồ sơ", "Mã HS", "Số biên nhận", "dossier_code"),
            parser=code_parser,
            required=True,
            help=gettext_lazy("As the one-stop system gives it; unique in the agency."),
        ),
        Column(
            "procedure_code",
            gettext_lazy("Procedure code"),
            aliases=("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính", "procedure"),
            parser=text(60),
            required=True,
            help=gettext_lazy("The code of the province's catalogue, e.g. 1.001612.000.00.00.H01."),
        ),
        Column(
            "received_at",
            gettext_lazy("Received"),
            aliases=("Ngày tiếp nhận", "Ngày nhận", "Thời gian tiếp nhận", "Ngày nộp"),
            parser=parse_moment,
            required=True,
            help=gettext_lazy("dd/mm/yyyy or dd/mm/yyyy hh:mm."),
        ),
        Column(
            "due_at",
            gettext_lazy("Due"),
            aliases=("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn xử lý", "Hạn giải quyết"),
            parser=parse_moment,
            required=True,
        ),
        Column(
            "finished_at",
            gettext_lazy("Result issued"),
            aliases=(
                "Ngày có kết quả",
                "Ngày hoàn thành",
                "Ngày giải quyết xong",
                "Ngày kết thúc xử lý",
            ),
            parser=parse_moment,
            help=gettext_lazy("Empty while the dossier is in progress."),
        ),
        Column(
            "returned_at",
            gettext_lazy("Returned to the citizen"),
            aliases=("Ngày trả kết quả", "Ngày trả", "Ngày trả KQ"),
            parser=parse_moment,
        ),
        Column(
            "status",
            gettext_lazy("Status"),
            aliases=("Trạng thái", "Tình trạng", "Trạng thái hồ sơ"),
            parser=status_parser(),
            help=gettext_lazy(
                "Đang xử lý, Chờ bổ sung, Đã giải quyết, Trả lại, Rút hồ sơ; empty: finished "
                "when it has a result date, else in progress."
            ),
        ),
        Column(
            "channel",
            gettext_lazy("Channel"),
            aliases=("Kênh nộp", "Hình thức nộp", "Kênh tiếp nhận"),
            parser=channel_parser(),
            help=gettext_lazy("Trực tiếp, Trực tuyến, Bưu chính công ích; empty: in person."),
        ),
        Column(
            "agency",
            gettext_lazy("Agency code"),
            aliases=("Mã đơn vị", "Mã cơ quan", "agency_code"),
            parser=text(40),
            help=gettext_lazy(
                "For a file of several agencies (the province's export); empty: the agency "
                "the file is imported for."
            ),
        ),
        Column(
            "department",
            gettext_lazy("Department"),
            aliases=("Phòng ban", "Phòng chuyên môn", "Đơn vị xử lý"),
            parser=text(200),
            help=gettext_lazy("Optional: the name of one of the agency's departments."),
        ),
    ]
