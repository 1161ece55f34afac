from hypothesis import given
from hypothesis import strategies as st

from eiso.core.text import vn_fold


def test_folds_marks_d_and_case():
    assert vn_fold("Quy trình Đăng ký khai sinh") == "quy trinh dang ky khai sinh"
    assert vn_fold("ĐỒNG THÁP  Ưu tiên") == "dong thap uu tien"
    assert vn_fold("Ơ ơ Ư ư ạ ấ ầ ẩ ẫ ậ") == "o o u u a a a a a a"
    assert vn_fold(None) == "" and vn_fold("") == ""


@given(st.text())
def test_folding_is_idempotent_and_ascii_for_vietnamese(text):
    folded = vn_fold(text)
    assert vn_fold(folded) == folded
    assert "đ" not in folded and "Đ" not in folded


@given(st.sampled_from(["Sở Tư pháp", "Ủy ban nhân dân xã Đông Hòa", "Chi cục TĐC"]))
def test_a_folded_query_finds_the_original(name):
    assert vn_fold(name.lower()[:6]) in vn_fold(name)


def _fold_one_char_at_a_time(text):
    """The folding as first written: each character's category asked anew."""
    import unicodedata

    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(str.maketrans({"đ": "d", "Đ": "D"})))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


@given(st.text())
def test_the_table_of_marks_folds_as_asking_each_character_did(text):
    assert vn_fold(text) == _fold_one_char_at_a_time(text)
    vietnamese = "Quyết định số 12/QĐ-UBND ngày 15/6 về Đăng ký khai sinh, kết hôn " + text
    assert vn_fold(vietnamese) == _fold_one_char_at_a_time(vietnamese)
