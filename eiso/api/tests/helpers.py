"""Assertions shared by the API tests."""


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    """The response is the API's one error shape with ``status``; returns the error object."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "fields"} <= set(error), error
    assert error["message"], error
    if code is not None:
        assert error["code"] == code, error
    return error
