import pytest


@pytest.mark.django_db
def test_an_unknown_api_url_answers_in_the_json_error_shape(client, world):
    client.force_login(world.an)
    response = client.get("/api/v1/agencies/not-a-number/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_an_unknown_page_is_a_vietnamese_404_page(client, world):
    client.force_login(world.an)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()
