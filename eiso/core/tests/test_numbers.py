"""The one shape of an official number ("45/QĐ-STP"): completed from the bare number, written
canonically when typed in full, refused with a message when it cannot be a decision's number."""

import pytest
from django.core.exceptions import ValidationError

from eiso.core.errors import ValidationFailed
from eiso.core.numbers import (
    official_number,
    official_number_help,
    parse_official_number,
    validate_official_number,
)


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("45", "45/QĐ-STP"),
        (" 45 ", "45/QĐ-STP"),
        ("45/QĐ", "45/QĐ-STP"),
        ("45/QĐ-STP", "45/QĐ-STP"),
        ("45 / qđ - stp", "45/QĐ-STP"),
        ("45/QD-STP", "45/QĐ-STP"),  # typed without the đ
        ("Số: 45/QĐ-STP", "45/QĐ-STP"),  # copied from the header
        ("5", "05/QĐ-STP"),  # below 10: a leading zero
        ("045", "45/QĐ-STP"),
        ("1234", "1234/QĐ-STP"),
        ("45/qd-stp", "45/QĐ-STP"),
    ],
)
def test_a_number_is_completed_or_written_canonically(typed, recorded):
    assert official_number(typed, symbol="STP") == recorded


def test_a_symbol_with_its_diacritics_is_matched_however_typed():
    assert official_number("7/qđ-skhđt", symbol="SKHĐT") == "07/QĐ-SKHĐT"
    assert official_number("7/QD-SKHDT", symbol="SKHĐT") == "07/QĐ-SKHĐT"


@pytest.mark.parametrize("typed", ["12/QĐ-SYT", "45/QĐ-STP-VP", "45/QĐ-ST"])
def test_another_bodys_symbol_is_refused_unless_asked_for(typed):
    with pytest.raises(ValidationFailed) as refused:
        official_number(typed, symbol="STP")
    assert "45/QĐ-STP" in refused.value.message and typed in refused.value.message
    # historic records (an agency renamed since): the symbol typed in full is kept
    assert official_number(typed, symbol="STP", other_symbols=True) == typed


def test_a_peoples_committee_symbol_is_filled_in():
    assert official_number("3", symbol="UBND") == "03/QĐ-UBND"
    assert official_number("3", kind="QĐ", symbol=" ubnd ") == "03/QĐ-UBND"


@pytest.mark.parametrize(
    "typed",
    ["A-25/QĐ", "45a", "45/2025/QĐ-UBND", "QĐ-STP", "45/QĐ-", "45//QĐ-STP", "4 5", "—"],
)
def test_a_malformed_number_is_refused_on_its_field_with_the_shape_to_use(typed):
    with pytest.raises(ValidationFailed) as refused:
        official_number(typed, symbol="STP")
    assert list(refused.value.fields) == ["number"]
    assert "45/QĐ-STP" in refused.value.message


def test_another_kind_of_document_is_refused():
    with pytest.raises(ValidationFailed, match="45/QĐ-STP"):
        official_number("45/CV-STP", symbol="STP")


def test_zero_and_empty_are_refused():
    with pytest.raises(ValidationFailed, match="01"):
        official_number("00", symbol="STP")
    with pytest.raises(ValidationFailed) as refused:
        official_number("  ", symbol="STP", field="so")
    assert "so" in refused.value.fields


def test_without_a_symbol_only_a_full_number_is_accepted():
    assert official_number("45/QĐ-STP", symbol="") == "45/QĐ-STP"
    with pytest.raises(ValidationFailed):
        official_number("45", symbol="")


def test_parse_reads_the_three_parts():
    assert parse_official_number("45/qđ-stp").number == 45
    assert parse_official_number("45/qđ-stp").symbol == "STP"
    assert parse_official_number("45").kind == ""
    assert parse_official_number("x") is None


def test_the_validator_and_the_help_say_the_same_shape():
    validate_official_number("45", symbol="STP")
    validate_official_number("45/QĐ-SYT", symbol="STP", other_symbols=True)
    for wrong in ("45/CV", "45/QĐ-SYT"):
        with pytest.raises(ValidationError):
            validate_official_number(wrong, symbol="STP")
    assert "45/QĐ-STP" in official_number_help(symbol="STP")
