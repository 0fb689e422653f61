"""``POST [base]/[type]/$validate`` backed by the built-in validator (digest A6)."""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from spine_conformance.demonstrator.faults import FaultSet
from spine_conformance.demonstrator.provider.http import (
    HttpError,
    error_response,
    fhir_response,
    parse_json_object,
    read_capped_body,
)
from spine_conformance.demonstrator.servers import READINESS_PATH
from spine_conformance.fhir import operation_outcome, outcome, validate_resource

VALIDATE_BASE_PATH = "/STU3"


def _resource_from(body: dict[str, Any]) -> dict[str, Any]:
    """The resource itself, or the ``resource`` parameter of a Parameters wrapper."""
    if body.get("resourceType") != "Parameters":
        return body
    for parameter in body.get("parameter") or []:
        if isinstance(parameter, dict) and parameter.get("name") == "resource":
            resource = parameter.get("resource")
            if isinstance(resource, dict):
                return resource
    raise HttpError(400, outcome.BAD_REQUEST, "Parameters has no 'resource' parameter")


class ValidateApp:
    def __init__(self, faults: FaultSet | None = None) -> None:
        self.faults = faults or FaultSet()
        self.app = Starlette(
            routes=[
                Route(READINESS_PATH, self.ready, methods=["GET"]),
                Route(VALIDATE_BASE_PATH + "/{resource_type}/$validate", self.validate, methods=["POST"]),
            ]
        )

    async def ready(self, request: Request) -> Response:
        return PlainTextResponse("ready")

    async def validate(self, request: Request) -> Response:
        if self.faults.on("validate-accepts-everything"):
            with contextlib.suppress(HttpError):
                await read_capped_body(request)  # read, but never looked at
            return fhir_response(operation_outcome([]))  # "No issues detected", whatever was sent
        try:
            resource = _resource_from(parse_json_object(await read_capped_body(request), "the request body"))
        except HttpError as error:
            return error_response(error)
        expected = request.path_params["resource_type"]
        result = validate_resource(resource, expected_type=expected)
        # 200 with the outcome when valid; 422 with it when the resource breaks its profile.
        return fhir_response(result.outcome(), 200 if result.ok else 422)
