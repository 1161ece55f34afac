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
