"""What an RTEC service's answers carry (RTEC-RES-05, RTEC-RES-06), beyond their status codes.

errors.md documents each answer: {message, type} for 200, 400 and 404, and "No response object
returned" for 401, 500, 501 and 503. The gateway answers token errors "in accordance with RFC 6750
§3.1": RFC 6750 §3 says the resource server MUST include a WWW-Authenticate header with the Bearer
scheme; it SHOULD give error="invalid_token" when a presented token failed, and SHOULD NOT give
error information when none was presented (both SHOULDs are advisory here).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spine_conformance.findings import ADVISORY, FindingCollector, NotTestable
from spine_conformance.http import HttpResponse

JSON = "application/json"
BODY_DOCUMENTED = (200, 400, 404)
NO_BODY_DOCUMENTED = (500, 501, 503)
_ERROR = re.compile(r'\berror\s*=\s*"?([A-Za-z_]+)')


def check_token_challenge(response: HttpResponse, token_presented: bool) -> None:
    """RTEC-RES-05: a 401 carries a Bearer challenge and no body."""
    if response.status != 401:
        raise NotTestable(
            f"the service answered HTTP {response.status}, not 401, so its 401 answer could not be judged "
            "(RTEC-RES-04 says which status a token error gets)"
        )
    out = FindingCollector()
    challenge = str(response.headers.get("www-authenticate", ""))
    out.expect(
        challenge.split(" ", 1)[0].lower() == "bearer",
        "RTEC-RES-05",
        "a WWW-Authenticate challenge with the Bearer scheme (RFC 6750 §3)",
        challenge or "no WWW-Authenticate header",
    )
    out.expect(
        response.body == b"",
        "RTEC-RES-05",
        "no body (errors.md: 401 No response object returned)",
        f"{len(response.body)} bytes: {response.body[:80].decode('utf-8', 'replace')}",
    )
    error = _ERROR.search(challenge)
    if token_presented:
        out.expect(
            error is not None and error.group(1) == "invalid_token",
            "RTEC-RES-05",
            'error="invalid_token" in the challenge for a token that failed (RFC 6750 §3.1: SHOULD)',
            challenge or "(none)",
            severity=ADVISORY,
        )
    else:
        out.expect(
            error is None,
            "RTEC-RES-05",
            "no error code in the challenge when no token was sent (RFC 6750 §3.1: SHOULD NOT)",
            challenge,
            severity=ADVISORY,
        )
    out.raise_if_any()


def check_answer_bodies(responses: Sequence[HttpResponse]) -> None:
    """RTEC-RES-06: a body where errors.md documents one (JSON, declared so), none where it documents none."""
    out = FindingCollector()
    for response in responses:
        where = f"the answer {response.status} to {response.exchange.label}"
        if response.status in BODY_DOCUMENTED:
            out.expect(
                response.media_type == JSON,
                "RTEC-RES-06",
                f"Content-Type {JSON}",
                response.headers.get("content-type") or "no Content-Type",
                where,
            )
        elif response.status in NO_BODY_DOCUMENTED:
            out.expect(
                response.body == b"",
                "RTEC-RES-06",
                f"no body (errors.md: {response.status} No response object returned)",
                f"{len(response.body)} bytes ({response.headers.get('content-type') or 'no Content-Type'})",
                where,
            )
    out.raise_if_any()
