"""An RTEC service written from RTEC v1.0.2 (development_overview.md, errors.md, swagger) alone.

Switches let a test make it deviate: serve without a token, or not check the request at all.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any, ClassVar

from tests.independent.servers import JsonHandler

SEARCH_PATH = "/rtec-api-gateway/search"
FIELDS = ("dob", "nhsNumber", "postcode", "surname", "prescriptionId")
# Exempt patients this service knows: NHS number -> exemption type.
EXEMPT = {"9434765919": "9006"}


def _claims(authorization: str) -> dict[str, Any] | None:
    scheme, _, token = authorization.partition(" ")
    parts = token.split(".")
    if scheme.lower() != "bearer" or len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


class RtecService(JsonHandler):
    checks_tokens: ClassVar[bool] = True
    checks_requests: ClassVar[bool] = True

    def do_POST(self) -> None:
        body = self.body()
        if self.path != SEARCH_PATH:
            self.answer(404, {"message": "Not found", "type": None})
            return
        claims = _claims(self.headers.get("Authorization", ""))
        valid_token = claims is not None and isinstance(claims.get("exp"), int) and claims["exp"] > time.time()
        if self.checks_tokens and not valid_token:
            self.answer(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            return
        try:
            request = json.loads(body)
        except ValueError:
            request = None
        if self.checks_requests:
            missing = [f for f in FIELDS if not isinstance(request, dict) or not isinstance(request.get(f), str)]
            if missing:
                self.answer(400, {"message": f"Please provide a valid {', '.join(missing)}", "type": None})
                return
            if not _is_date(request["dob"]):
                self.answer(400, {"message": "Please provide a valid dob", "type": None})
                return
        number = request.get("nhsNumber") if isinstance(request, dict) else None
        if number in EXEMPT:
            self.answer(200, {"message": "gets income support (IS) - confirmed by source", "type": EXEMPT[number]})
        else:
            self.answer(404, {"message": "Exemption has not been found", "type": None})


def _is_date(text: str) -> bool:
    try:
        time.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True
