"""The one-stop dossier log in a browser (issue 10, "Must show"): the secretary imports the
one-stop system's export with one bad row — refused, the row shown with its reason, nothing
saved — fixes it and imports again, following the job's progress page to "imported"; then sees
the on-time rate of the procedure and, from it, the late dossiers list."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from e2e.conftest import login, screenshot
from eiso.accounts.tests.factories import PASSWORD
from eiso.records.models import Dossier
from eiso.records.tests.conftest import at
from eiso.records.tests.factories import KHAI_SINH, LLTP, csv_bytes, procedure, row

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD = [
    row("000.00.27.H66-260303-0001", finished="09/03/2026 10:00"),
    row("000.00.27.H66-260303-0002", finished="10/03/2026 23:59"),  # on the due day: on time
    row("000.00.27.H66-260303-0003", finished="11/03/2026 00:01"),  # the day after: late
    row("000.00.27.H66-260303-0004", finished="09/03/2026 15:00"),
    row("000.00.27.H66-260304-0005", procedure_code=KHAI_SINH, finished="05/03/2026 09:00"),
]
BAD_CODE = "1.999999.000.00.00.H66"


@pytest.fixture
def april():
    with time_machine.travel(at(2026, 4, 15), tick=True):
        yield


def upload(page, live_server, name: str, content: bytes) -> None:
    page.goto(f"{live_server.url}{reverse('records:dossier_import')}")
    page.locator("input[name=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_import_refused_fixed_imported_then_the_rate_and_the_late_list(
    page, live_server, e2e_world, april
):
    procedure()
    procedure(KHAI_SINH, "Đăng ký khai sinh", "commune")
    login(page, live_server, "an", PASSWORD)

    # One bad row: the file is refused, the row shown with its reason, nothing saved.
    bad = [*GOOD[:2], row("000.00.27.H66-260303-0099", procedure_code=BAD_CODE), *GOOD[2:]]
    upload(page, live_server, "ho-so-thang-3.csv", csv_bytes(bad))
    expect(page.locator("[data-testid=import-progress]")).to_be_visible()
    expect(page.locator("[data-testid=import-errors]")).to_be_visible()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(BAD_CODE)
    expect(preview).to_contain_text("000.00.27.H66-260303-0099")
    assert Dossier.objects.count() == 0
    screenshot(page, "dossiers-import-refused")

    # Fixed: every row imported, the progress page says so.
    upload(page, live_server, "ho-so-thang-3.csv", csv_bytes(GOOD))
    expect(page.locator("[data-testid=import-done]")).to_be_visible()
    expect(page.locator("[data-testid=import-progress]")).to_contain_text("5")
    assert Dossier.objects.count() == 5
    screenshot(page, "dossiers-import-done")

    # The on-time rate of the procedure: 3 of 4 on time.
    page.goto(
        f"{live_server.url}{reverse('records:figures')}?month_from=03%2F2026&month_to=04%2F2026"
    )
    line = page.locator(f"[data-testid=procedure-figures] tr[data-procedure='{LLTP}']")
    expect(line.locator("[data-testid=rate]")).to_have_text("75,0 %")
    with page.expect_navigation():
        line.locator("a").first.click()
    expect(page.locator("[data-testid=month-figures] tr[data-month='03/2026']")).to_contain_text(
        "75,0 %"
    )
    screenshot(page, "dossiers-procedure-rate")

    # From it, its late dossiers: the one finished at 00:01 the day after its due day.
    with page.expect_navigation():
        page.locator("[data-testid=procedure-late]").click()
    late = page.locator("[data-testid=late-list] tbody tr")
    expect(late).to_have_count(1)
    expect(late.first).to_contain_text("000.00.27.H66-260303-0003")
    screenshot(page, "dossiers-late-list")
