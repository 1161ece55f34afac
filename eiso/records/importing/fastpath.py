"""The usual row of a one-stop export, checked in one pass.

``DossierLoad._check`` reads any row: every cell through its column's parser, every problem
named. A million-row export is nearly all good rows of one shape (text cells, moments as
``dd/mm/yyyy hh:mm``), and for those that generality is most of the import's Python time.
``row_checker`` gives the engine a checker for that shape: the row's cells taken in one call,
each read the way its parser reads it (the same caches, the same limits), the rules across
cells as a few comparisons. It answers the very tuple ``_check`` would; for any row it does not
vouch for (a blank or bad cell, an unknown code, a rule broken, a spreadsheet's own value) it
hands the row to ``_check``, which reports it as always. So a row is refused, or staged, exactly
as before (``tests/test_import_fastpath.py`` compares both on every kind of row).
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter

from eiso.records.importing import parsing
from eiso.records.importing.parsing import Cached, parse_moment

MOMENTS = ("received_at", "due_at", "finished_at", "returned_at")
TEXTS = ("code", "procedure_code", "agency", "department")
# Columns the checker requires filled (a blank one goes to ``_check``); no other may be
# required for it to be used.
FILLED = {"code", "procedure_code", "received_at", "due_at"}


def row_checker(load, positions: dict[str, int]) -> Callable | None:
    """A drop-in for ``load._check`` on rows of a file whose columns sit at ``positions``;
    None when the load's columns are not the dossier columns it knows (then ``_check`` reads
    every row). Call after ``load._preload``: the lookups it reads are loaded."""
    from eiso.records.importing.engine import FINISHED, IN_PROGRESS, OPEN, SLOT_NAMES

    columns = {c.name: c for c in load.columns}
    try:
        limits = [columns[name].parser.max_length for name in TEXTS]
        status_parser, channel_parser = columns["status"].parser, columns["channel"].parser
        usual = (
            all(columns[name].parser is parse_moment for name in MOMENTS)
            and isinstance(status_parser, Cached)
            and isinstance(channel_parser, Cached)
            and {c.name for c in load.columns if c.required} <= FILLED
        )
    except (KeyError, AttributeError):
        return None
    if not usual or load._procedures is None:
        return None
    code_max, procedure_max, agency_max, department_max = limits

    pad = max(positions.values()) + 1  # where a column the file lacks is read: always ""
    slots = [positions.get(name, pad) for name in SLOT_NAMES]
    needed = max(slots) + 1
    cells = itemgetter(*slots)
    slow = load._check
    result = load.result
    per_agency = load.per_agency
    agencies = load._agencies
    agency_id = load.agency_id
    department_id = load.department_id
    procedures = load._procedures
    default_agency = load.agency.pk if load.agency is not None else None
    today = load.today_text
    statuses, channels = status_parser.known, channel_parser.known
    days, clocks = parsing._DAYS, parsing._CLOCKS

    def check(number: int, values) -> tuple | None:
        if len(values) < needed:
            values = [*values, *[""] * (needed - len(values))]
        try:
            (
                code, procedure, received, due, finished, returned, status, channel,
                agency, department,
            ) = cells(values)  # fmt: skip
            code = code.strip()
            procedure = procedure.strip()
            received = received.strip()
            due = due.strip()
            finished = finished.strip()
            returned = returned.strip()
            status = status.strip()
            channel = channel.strip()
            agency = agency.strip()
            department = department.strip()
            if not (code and procedure and received and due):
                return slow(number, values)
            if (
                len(code) > code_max
                or len(procedure) > procedure_max
                or len(agency) > agency_max
                or len(department) > department_max
            ):
                return slow(number, values)
            procedure_id = procedures.get(procedure)
            if procedure_id is None:
                return slow(number, values)
            if agency:
                found = agencies.get(agency)
                if found is None:
                    found = agency_id(agency)
            else:
                found = default_agency
            if found is None:
                return slow(number, values)
            department_found = None
            if department:
                department_found = department_id(found, department)
                if department_found is None:
                    return slow(number, values)
            # ``parse_moment``'s caches read here: a day and a clock both known is the usual
            # shape (dd/mm/yyyy hh:mm[:ss]); anything else goes through ``parse_moment``.
            day, clock = days.get(received[:10]), clocks.get(received[10:])
            received = day + " " + clock if day and clock else parse_moment(received)
            day, clock = days.get(due[:10]), clocks.get(due[10:])
            due = day + " " + clock if day and clock else parse_moment(due)
            if finished:
                day, clock = days.get(finished[:10]), clocks.get(finished[10:])
                finished = day + " " + clock if day and clock else parse_moment(finished)
            else:
                finished = None
            if returned:
                day, clock = days.get(returned[:10]), clocks.get(returned[10:])
                returned = day + " " + clock if day and clock else parse_moment(returned)
            else:
                returned = None
            if status:
                status = statuses.get(status) or status_parser(status)
            else:
                status = FINISHED if finished else IN_PROGRESS
            channel = (channels.get(channel) or channel_parser(channel)) if channel else "direct"
        except (ValueError, TypeError, ArithmeticError, AttributeError):
            # A cell that does not read (CellError is a ValueError), or not text.
            return slow(number, values)
        # The rules across cells (``engine._date_problems``): any broken, ``_check`` says which.
        received_day = received[:10]
        if received_day > today or due[:10] < received_day:
            return slow(number, values)
        if finished is not None:
            finished_day = finished[:10]
            if finished_day < received_day or finished_day > today or status in OPEN:
                return slow(number, values)
        elif status == FINISHED:
            return slow(number, values)
        if returned is not None:
            returned_day = returned[:10]
            if (
                returned_day < received_day
                or returned_day > today
                or (finished is not None and returned_day < finished_day)
            ):
                return slow(number, values)
        result.rows += 1
        per_agency[found] += 1
        done = status == FINISHED
        return (
            number,
            found,
            code,
            procedure_id,
            department_found,
            received,
            due,
            finished,
            returned,
            status,
            channel,
            received[:8] + "01",
            due[:8] + "01",
            finished[:8] + "01" if done else None,
            finished_day <= due[:10] if done else None,
        )

    return check
