"""Checks on what an appointments consumer sent through the (virtual) SSP.

The same rule functions the provider applies (Ssp-* headers, the JWT, FHIR validity) judge the
consumer's requests here, so one rule has one implementation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from spine_conformance import ssp
from spine_conformance.checks.ssp import ssp_header_findings
from spine_conformance.checks.validity import resource_findings
from spine_conformance.config.model import TargetConfig
from spine_conformance.findings import ADVISORY, Finding, FindingCollector, NotTestable, note_evaluated
from spine_conformance.interactions import Interaction, interaction_for, relative_to_base
from spine_conformance.tokens import inspect_appointments_token
from spine_conformance.virtual.journal import RecordedRequest
from spine_conformance.virtual.ssp import forwarded_target

TOKEN_LEEWAY_S = 60


def _where(request: RecordedRequest) -> str:
    return f"{request.method} {request.raw_path[:120]}"


def interaction_of(request: RecordedRequest, provider_base_url: str) -> Interaction | None:
    target = forwarded_target(request.raw_path)
    relative = relative_to_base(target, provider_base_url) if target else None
    return interaction_for(request.method, relative, bool(request.query)) if relative is not None else None


def check_ssp_url(requests: Sequence[RecordedRequest], provider_base_url: str) -> None:
    """SSP-URL-01: '/' and then the provider URL, exactly one slash between them."""
    out = FindingCollector()
    base = provider_base_url.rstrip("/")
    for request in requests:
        path = request.raw_path
        joined_once = path.startswith("/") and not path.startswith("//") and path[1:].startswith(base)
        out.expect(joined_once, "SSP-URL-01", f"the SSP URL + '/' + {base}/…", path[:160], _where(request))
    out.raise_if_any()


def check_ssp_headers(requests: Sequence[RecordedRequest], target: TargetConfig) -> None:
    """SSP-HDR-01…04 on every request, and a trace ID never reused."""
    out = FindingCollector()
    for request in requests:
        findings = ssp_header_findings(
            dict(request.headers),
            interaction=interaction_of(request, target.provider.base_url),
            expected_from=target.consumer.asid,
            expected_to=target.provider.asid,
            slot_interaction=target.spec.slot_interaction,
        )
        out.extend(Finding(f.requirement, f.expected, f.actual, _where(request)) for f in findings)
    traces = Counter(request.header(ssp.TRACE_ID) for request in requests if request.header(ssp.TRACE_ID))
    for trace, count in traces.items():
        # Unique per request is a SHOULD (the MUST is per patient call), so a repeat is advisory.
        out.expect(
            count == 1,
            "SSP-HDR-01",
            "a fresh Ssp-TraceID on every request",
            f"{trace} used {count} times",
            severity=ADVISORY,
        )
    out.raise_if_any()


def check_tokens(requests: Sequence[RecordedRequest], target: TargetConfig) -> None:
    """JWT-01…07 on the bearer token of every request, judged against its interaction."""
    out = FindingCollector()
    for request in requests:
        findings = inspect_appointments_token(
            request.header("authorization"),
            audience=target.provider.base_url,
            interaction=interaction_of(request, target.provider.base_url),
            now=int(request.received_at),  # judged when it arrived, however long the action took
            practitioner_required=target.spec.practitioner_required,
            leeway_s=TOKEN_LEEWAY_S,
            expected_issuer=target.consumer.endpoint_url,
        )
        out.extend(Finding(f.requirement, f.expected, f.actual, _where(request)) for f in findings)
    out.raise_if_any()


def check_bodies(requests: Sequence[RecordedRequest]) -> None:
    """CON-VAL-01: every FHIR resource the consumer sent (booking POST, cancel PUT) is valid STU3."""
    out = FindingCollector()
    sent = [r for r in requests if r.method in ("POST", "PUT") and r.body]
    if not sent:
        raise NotTestable("the consumer under test sent no resource (POST or PUT) to judge")
    note_evaluated("CON-VAL-01")
    for request in sent:
        out.extend(resource_findings(request.body, "CON-VAL-01", f"the resource sent ({_where(request)})"))
    out.raise_if_any()


FHIR_MEDIA_TYPES = ("application/fhir+json", "application/fhir+xml")
# Generic types FHIR STU3 lets a client ask for in Accept (the server SHOULD answer in the type asked).
GENERIC_ACCEPT = ("application/json", "application/xml", "text/json")


def _media_type(value: str) -> tuple[str, dict[str, str]]:
    kind, *parameters = (part.strip() for part in value.split(";"))
    named = dict(p.partition("=")[::2] for p in parameters if "=" in p)
    return kind.lower(), {k.strip().lower(): v.strip().strip('"').lower() for k, v in named.items()}


def check_media_types(requests: Sequence[RecordedRequest]) -> None:
    """CON-HTTP-01: bodies declared as a FHIR media type in UTF-8; Accept, when sent, asks for a FHIR format.

    FHIR STU3 http.html: "The correct mime type SHALL be used by clients and servers" and requests
    "SHALL explicitly set the character encoding to UTF-8 using the charset parameter"; the Accept
    header is optional, and a generic JSON or XML type in it is allowed, so anything else is advisory.
    """
    out = FindingCollector()
    for request in requests:
        note_evaluated("CON-HTTP-01")
        if request.method in ("POST", "PUT") and request.body:
            declared = request.header("content-type")
            kind, parameters = _media_type(declared or "")
            out.expect(
                kind in FHIR_MEDIA_TYPES,
                "CON-HTTP-01",
                "Content-Type application/fhir+json (or application/fhir+xml) on the resource it sends",
                declared,
                _where(request),
            )
            out.expect(
                parameters.get("charset") == "utf-8",
                "CON-HTTP-01",
                "charset=utf-8 in the Content-Type",
                declared,
                _where(request),
            )
        accept = request.header("accept")
        if accept is None:
            continue
        asked = [_media_type(part)[0] for part in accept.split(",")]
        out.expect(
            any(kind in FHIR_MEDIA_TYPES + GENERIC_ACCEPT for kind in asked),
            "CON-HTTP-01",
            "Accept naming a FHIR format (application/fhir+json)",
            accept,
            _where(request),
            severity=ADVISORY,
        )
    out.raise_if_any()


def check_if_match_from_read(requests: Sequence[RecordedRequest], provider_base_url: str) -> None:
    """CON-CONC-01: every update carries If-Match equal to the ETag of the consumer's last read of it."""
    out = FindingCollector()
    updates = 0
    for index, request in enumerate(requests):
        if interaction_of(request, provider_base_url) is not Interaction.UPDATE_APPOINTMENT:
            continue
        updates += 1
        resource_path = forwarded_target(request.raw_path) or ""
        reads = [
            earlier
            for earlier in requests[:index]
            if earlier.method == "GET"
            and (forwarded_target(earlier.raw_path) or "") == resource_path
            and earlier.response_header("etag")
        ]
        if not out.expect(
            bool(reads),
            "CON-CONC-01",
            "a GET of the appointment (with an ETag) before the update",
            "no earlier read",
            _where(request),
        ):
            continue
        etag = reads[-1].response_header("etag")
        out.expect(
            request.header("if-match") == etag,
            "CON-CONC-01",
            f"If-Match {etag} (the ETag it read)",
            request.header("if-match"),
            _where(request),
        )
    if not updates:
        raise NotTestable("the consumer under test sent no update (PUT) when asked to cancel")
    out.raise_if_any()
