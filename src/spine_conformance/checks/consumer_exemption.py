"""Checks on what an RTEC client sent and how it behaved (RTEC-REQ-01…04, RTEC-CLI-01…03, TLS-02)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from spine_conformance.exemption.fields import FIELDS, request_problems
from spine_conformance.findings import ADVISORY, NORMATIVE, FindingCollector, HarnessError, note_evaluated
from spine_conformance.ssp import FROM
from spine_conformance.tokens import MalformedToken, bearer_token, decode_unverified, inspect_rtec_token
from spine_conformance.virtual.journal import RecordedRequest
from spine_conformance.virtual.triggers import ActionResult

TOKEN_LEEWAY_S = 60


def check_exactly(
    requests: Sequence[RecordedRequest], count: int, requirement: str, why: str, *, advisory: bool = False
) -> None:
    out = FindingCollector()
    severity = ADVISORY if advisory else NORMATIVE
    out.expect(
        len(requests) == count,
        requirement,
        f"{count} request(s) {why}",
        f"{len(requests)} request(s)",
        severity=severity,
    )
    out.raise_if_any()


def check_rtec_request(request: RecordedRequest, endpoint_url: str, asid: str) -> None:
    """One request: a JSON POST of exactly the five fields, well formed, with the flat token and Ssp-From."""
    out = FindingCollector()
    media = (request.header("content-type") or "").split(";")[0].strip().lower()
    out.expect(request.method == "POST", "RTEC-REQ-01", "a POST", request.method)
    out.expect(media == "application/json", "RTEC-REQ-01", "Content-Type application/json", media)
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        body = None
    if out.expect(isinstance(body, dict), "RTEC-REQ-01", "a JSON object", request.body[:80].decode("utf-8", "replace")):
        assert isinstance(body, dict)
        missing = [field for field in FIELDS if field not in body]
        out.expect(not missing, "RTEC-REQ-01", f"the fields {', '.join(FIELDS)}", f"missing {', '.join(missing)}")
        extra = sorted(set(body) - set(FIELDS))
        # The schema does not forbid more properties, so sending more is only advisory.
        out.expect(not extra, "RTEC-REQ-01", "only the five fields", f"also {', '.join(extra)}", severity=ADVISORY)
        note_evaluated("RTEC-REQ-02")
        for field, problem in request_problems({k: v for k, v in body.items() if k in FIELDS}).items():
            if problem != "is required":
                out.add("RTEC-REQ-02", f"{field} well formed", f"{field} {problem}")
    _check_typ(out, request)
    token_findings = inspect_rtec_token(
        request.header("authorization"),
        endpoint_url=endpoint_url,
        now=int(request.received_at),  # judged when it arrived
        asid=asid,
        leeway_s=TOKEN_LEEWAY_S,
    )
    out.extend(token_findings)
    out.expect(request.header(FROM) == asid, "RTEC-REQ-04", f"Ssp-From {asid}", request.header(FROM), severity=ADVISORY)
    out.raise_if_any()


def _check_typ(out: FindingCollector, request: RecordedRequest) -> None:
    """typ JWT in the token's header: only RTEC's example header shows it (its SHALL is alg none), so advisory."""
    try:
        header = decode_unverified(bearer_token(request.header("authorization"))).header
    except MalformedToken:
        return  # inspect_rtec_token reports the token that cannot be read
    typ = header.get("typ")
    out.expect(typ == "JWT", "RTEC-REQ-03", 'header typ "JWT" (as the page\'s example)', typ, severity=ADVISORY)


def check_fallback(result: ActionResult, requests: Sequence[RecordedRequest], within_s: float, pattern: str) -> None:
    """RTEC-CLI-03: after an error or a slow answer the consumer gives up promptly and falls back.

    "Promptly" is measured from the moment the (virtual) service received the check to the moment
    the consumer gave up and reported, so the consumer's own start-up time is not counted against it.
    """
    out = FindingCollector()
    # Falling back without having asked the service at all is not the behaviour under test.
    if out.expect(bool(requests), "RTEC-CLI-03", "a check sent to the service before the fallback", "no request"):
        waited = result.finished_at - requests[0].received_at
        out.expect(
            not result.timed_out and waited <= within_s,
            "RTEC-CLI-03",
            f"the consumer to give up within {within_s:g} s of its check reaching the service",
            f"{waited:.1f} s" + (" (still waiting when stopped)" if result.timed_out else ""),
        )
    out.expect(
        bool(re.search(pattern, result.output)),
        "RTEC-CLI-03",
        f"its output to report the fallback (matching {pattern})",
        result.output.strip()[-200:] or "(nothing)",
    )
    out.raise_if_any()


def require_control(requests: Sequence[RecordedRequest], what: str) -> None:
    """A control action must reach the virtual service, or a 'nothing was sent' verdict means nothing."""
    if not requests:
        raise HarnessError(
            f"the consumer under test sent nothing even for {what}, so its silence proves nothing; "
            "check its command uses {ssp_url}, {exemption_url} and {ca_bundle}",
            "the consumer under test sent no request when asked to act (see its consumer_under_test settings)",
        )


def check_refused_certificate(requests: Sequence[RecordedRequest], which: str) -> None:
    """TLS-02: a consumer that refuses the certificate never gets as far as sending a request."""
    check_exactly(requests, 0, "TLS-02", f"to a server presenting a certificate {which}")
