"""The OpenAPI schema generator of the API: drf-spectacular's, plus the error answers every
operation can give, in the API's one error shape (``eiso.api.errors``). Without them the schema
promised only the happy path, and a 401, a 404 for an object out of scope or a page past the
end, or a 415 for a body of the wrong type contradicted it (found by the schemathesis fuzzing,
``eiso/api/tests/test_fuzz_schema.py``)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from eiso.api.serializers.fields import ErrorSerializer

JSON = ("application/json",)


class ApiAutoSchema(AutoSchema):
    def error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404", "406"]
        if self.method in {"POST", "PUT", "PATCH"}:
            codes += ["409", "415"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, media_types=JSON, direction=direction
                )
        return responses
