"""Checks on an RTEC client's requests in the states the scenarios put it into, and on its request details.

RTEC-CLI-04…13 (the Client Functional Requirements v1.0 and their acceptance criteria), RTEC-REQ-03
(a new token for every request), RTEC-REQ-05 (requesting_organization) and RTEC-REQ-06 (demographics
as the patient's record has them). "No request" verdicts rely on a control check having reached the
virtual service (see ``checks.consumer_exemption.require_control``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from spine_conformance.exemption.fields import normalised_postcode
from spine_conformance.findings import ADVISORY, NORMATIVE, FindingCollector, NotTestable, note_evaluated
from spine_conformance.tokens import MalformedToken, bearer_token, decode_unverified
from spine_conformance.virtual.journal import RecordedRequest
from spine_conformance.virtual.triggers import ActionResult

LOCUM_ODS_CODE = "FFFFF"
# Two requests carrying the very same token at least this far apart cannot both have had a new one:
# a token minted a second or more later has a later iat.
REUSE_SPACING_S = 1.0


def body_of(request: RecordedRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def for_prescription(requests: Sequence[RecordedRequest], prescription_id: str) -> list[RecordedRequest]:
    return [request for request in requests if body_of(request).get("prescriptionId") == prescription_id]


def check_checked(requests: Sequence[RecordedRequest], prescription_id: str, requirement: str, why: str) -> None:
    """The consumer checked this prescription: a request carrying its id reached the service."""
    out = FindingCollector()
    mine = for_prescription(requests, prescription_id)
    sent = ", ".join(str(body_of(r).get("prescriptionId", "(no prescriptionId)")) for r in requests) or "nothing"
    out.expect(bool(mine), requirement, f"a check of prescription {prescription_id} {why}", f"requests for: {sent}")
    out.raise_if_any()


def check_second_prescription(
    requests: Sequence[RecordedRequest], result: ActionResult, prescription_id: str, fallback_pattern: str
) -> None:
    """RTEC-CLI-10: the patient's second prescription is checked on its own (its own id in the request).

    PEC-FR-31 forbids applying the first prescription's answer to it (normative); §7.1 says a
    separate check *should* be made, so a consumer that instead asked for the paper declaration
    (its output matching ``fallback_pattern``) only draws an advisory finding.
    """
    out = FindingCollector()
    fell_back = bool(re.search(fallback_pattern, result.output))
    out.expect(
        bool(for_prescription(requests, prescription_id)),
        "RTEC-CLI-10",
        f"a check of the second prescription {prescription_id} of its own",
        "no request for it" + (" (it asked for the paper declaration instead)" if fell_back else ""),
        "PEC-FR-31: one check's answer must not be applied to another prescription",
        severity=ADVISORY if fell_back else NORMATIVE,
    )
    out.raise_if_any()


def check_new_tokens(requests: Sequence[RecordedRequest]) -> None:
    """RTEC-REQ-03: "a new JWT for each API request": never the same token on requests a second apart."""
    if len(requests) < 2:
        raise NotTestable("the consumer sent fewer than two checks, so whether it reuses tokens cannot be seen")
    out = FindingCollector()
    note_evaluated("RTEC-REQ-03")
    for index, later in enumerate(requests):
        token = later.header("authorization")
        for earlier in requests[:index]:
            same = token is not None and token == earlier.header("authorization")
            apart = later.received_at - earlier.received_at
            out.expect(
                not (same and apart >= REUSE_SPACING_S),
                "RTEC-REQ-03",
                "a new token for each request",
                f"the same token on two requests {apart:.1f} s apart",
            )
    out.raise_if_any()


def _claims(request: RecordedRequest) -> dict[str, Any] | None:
    try:
        return decode_unverified(bearer_token(request.header("authorization"))).claims
    except MalformedToken:
        return None


def check_requesting_organization(requests: Sequence[RecordedRequest], ods_code: str) -> None:
    """RTEC-REQ-05: requesting_organization is the organisation's ODS code (configured), never FFFFF."""
    out = FindingCollector()
    for request in requests:
        claims = _claims(request)
        if claims is None:  # an unreadable token is RTEC-REQ-03's finding
            continue
        organization = claims.get("requesting_organization")
        locum = organization == LOCUM_ODS_CODE
        detail = "FFFFF is the national locum organisation, which must never be sent" if locum else ""
        out.expect(
            organization == ods_code,
            "RTEC-REQ-05",
            f"requesting_organization {ods_code} (the requesting organisation's ODS code)",
            organization if isinstance(organization, str) else json.dumps(organization),
            detail,
        )
    out.raise_if_any()


def check_as_recorded(requests: Sequence[RecordedRequest], surname: str, postcode: str) -> None:
    """RTEC-REQ-06: the surname and postcode as the patient's record has them.

    The family name is compared without regard to case (records hold names in either), the postcode
    without regard to case or its space (RTEC's own example sends Parker's "NE3 2JH" as "NE32JH").
    """
    out = FindingCollector()
    for request in requests:
        body = body_of(request)
        sent_surname, sent_postcode = body.get("surname"), body.get("postcode")
        out.expect(
            isinstance(sent_surname, str) and sent_surname.casefold() == surname.casefold(),
            "RTEC-REQ-06",
            f"surname {surname} (the family name of the patient's usual name)",
            sent_surname if isinstance(sent_surname, str) else json.dumps(sent_surname),
        )
        out.expect(
            isinstance(sent_postcode, str) and normalised_postcode(sent_postcode) == normalised_postcode(postcode),
            "RTEC-REQ-06",
            f"postcode {postcode} (the postcode of the patient's usual address)",
            sent_postcode if isinstance(sent_postcode, str) else json.dumps(sent_postcode),
        )
    out.raise_if_any()


def check_unavailable_notice(result: ActionResult, requests: Sequence[RecordedRequest], pattern: str) -> None:
    """RTEC-CLI-13: after asking a failing service, the consumer tells the user the service is unavailable."""
    out = FindingCollector()
    if out.expect(bool(requests), "RTEC-CLI-13", "a check sent to the service first", "no request"):
        out.expect(
            bool(re.search(pattern, result.output)),
            "RTEC-CLI-13",
            f"its output to say the exemption checking service is unavailable (matching {pattern})",
            result.output.strip()[-200:] or "(nothing)",
        )
    out.raise_if_any()
