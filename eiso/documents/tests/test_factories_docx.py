"""The test DOCX is the same file whenever it is made (a download is compared byte for byte)."""

import time_machine

from eiso.documents.tests.factories import docx_bytes


def test_the_test_docx_is_the_same_bytes_at_any_time():
    with time_machine.travel("2026-03-01 08:00:00", tick=False):
        first = docx_bytes()
    with time_machine.travel("2026-03-01 08:00:03", tick=False):
        assert docx_bytes() == first
    assert docx_bytes("Biểu mẫu") != first
