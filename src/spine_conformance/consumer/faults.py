"""The reference consumer's fault modes: each one small deviation from one requirement.

The consumer suite runs the reference consumer with each fault and expects exactly the named
requirement to fail; a consumer check that cannot see its fault cannot fail. The table is data
(name → requirement violated → what the consumer then does); :mod:`.deviations` applies them.
A fault that does not concern the action being run (e.g. ``rechecks`` on ``read``) has no effect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LIST = "list"  # `--fault list` prints this table instead of acting


@dataclass(frozen=True)
class ConsumerFault:
    name: str
    violates: str  # the requirement ID (DESIGN.md) the consumer then breaks
    description: str
    # The rule it breaks is not normative (SHOULD, or stated by no published source): the suite must
    # report an advisory finding on the requirement, and never fail it.
    advisory: bool = False


FAULTS: dict[str, ConsumerFault] = {
    fault.name: fault
    for fault in (
        # -- SSP (appointments requests) --------------------------------------------------------
        ConsumerFault("stale-trace-id", "SSP-HDR-01", "sends the same Ssp-TraceID on every request", advisory=True),
        ConsumerFault("trace-id-not-uuid", "SSP-HDR-01", "sends Ssp-TraceID trace-0001, which is not a UUID"),
        ConsumerFault("no-ssp-from", "SSP-HDR-02", "omits the Ssp-From header"),
        ConsumerFault("wrong-ssp-to", "SSP-HDR-03", "sends Ssp-To 999999999999, not the provider's ASID"),
        ConsumerFault("wrong-interaction-id", "SSP-HDR-04", "sends the read:metadata interaction ID on every request"),
        ConsumerFault(
            "double-slash-url",
            "SSP-URL-01",
            "joins the SSP URL and the provider URL with two slashes (only when an SSP URL is given)",
        ),
        # -- the appointments JWT ---------------------------------------------------------------
        ConsumerFault("signed-token", "JWT-01", "signs the JWT with HS256 and the key 'secret' instead of alg none"),
        ConsumerFault("long-lived-token", "JWT-02", "mints tokens with exp = iat + 600"),
        ConsumerFault("wrong-reason", "JWT-03", "sets reason_for_request to 'secondaryuses'"),
        ConsumerFault("wrong-scope", "JWT-04", "asks for the requested_scope of another interaction"),
        ConsumerFault("bad-device", "JWT-05", "sends requesting_device without an identifier"),
        ConsumerFault(
            "org-without-ods", "JWT-06", "identifies requesting_organization in a local system, not the ODS system"
        ),
        ConsumerFault("practitioner-id-mismatch", "JWT-07", "sends a requesting_practitioner.id that is not sub"),
        # -- appointments bodies and updates ----------------------------------------------------
        ConsumerFault(
            "invalid-appointment", "CON-VAL-01", "books with a contained Patient whose gender is 'not-a-gender'"
        ),
        ConsumerFault("no-if-match", "CON-CONC-01", "cancels (PUT) without an If-Match header"),
        # -- what each action asks, and whether it reports the outcome truly -------------------------
        ConsumerFault(
            "slot-search-without-window", "CON-SLOT-01", "searches for slots without the start=ge/start=le window"
        ),
        ConsumerFault(
            "patient-search-wrong-parameter",
            "CON-SEARCH-01",
            "lists a patient's appointments with patient.identifier (the provider refuses it; exits 1)",
        ),
        ConsumerFault(
            "booking-refusal-ignored",
            "CON-BOOK-01",
            "books with an id of its own choosing (the provider refuses it) and reports the booking as made",
        ),
        ConsumerFault("read-reports-failure", "CON-READ-01", "reads the appointment, then exits 1 as if it had failed"),
        ConsumerFault("cancel-changes-description", "CON-CANCEL-01", "changes the description in the cancel PUT (422)"),
        # -- RTEC requests ----------------------------------------------------------------------
        ConsumerFault(
            "rtec-extra-field", "RTEC-REQ-01", "adds a sixth field, pharmacyNote, to the request", advisory=True
        ),
        ConsumerFault("rtec-no-postcode", "RTEC-REQ-01", "leaves the required postcode out of the request"),
        ConsumerFault("rtec-spaced-nhs-number", "RTEC-REQ-02", "sends the NHS number with spaces (943 476 5919)"),
        ConsumerFault(
            "rtec-nested-claims",
            "RTEC-REQ-03",
            "sends an appointments-style token (nested Device/Organization/Practitioner) instead of flat claims",
        ),
        ConsumerFault(
            "rtec-no-ssp-from", "RTEC-REQ-04", "omits the Ssp-From header on the RTEC request", advisory=True
        ),
        # -- RTEC client behaviour --------------------------------------------------------------
        ConsumerFault("checks-any-age", "RTEC-CLI-01", "checks patients under 16 and 60 or over too"),
        ConsumerFault(
            "rechecks",
            "RTEC-CLI-02",
            "ignores the prescriptions already checked and checks on every trigger",
            advisory=True,
        ),
        ConsumerFault(
            "polls", "RTEC-CLI-02", "after a check, goes on checking unprompted every 0.5 s for 4 s (detached)"
        ),
        ConsumerFault("no-timeout", "RTEC-CLI-03", "waits up to 60 s for the RTEC service"),
        ConsumerFault(
            "no-fallback",
            "RTEC-CLI-03",
            "on an RTEC error prints only the error (no paper-declaration fallback) and exits 1",
        ),
        # -- both interfaces --------------------------------------------------------------------
        ConsumerFault("tls-verify-off", "TLS-02", "does not verify server certificates"),
        # == consumer and exemption depth (issue 12) ===========================================
        # -- appointments request details -----------------------------------------------------
        ConsumerFault(
            "content-type-plain-json", "CON-HTTP-01", "sends its booking and cancel bodies as application/json"
        ),
        ConsumerFault("accept-any", "CON-HTTP-01", "asks for any media type (Accept: */*)", advisory=True),
        # -- RTEC request and token details ------------------------------------------------------
        ConsumerFault("rtec-no-typ", "RTEC-REQ-03", "leaves typ out of the RTEC token's header", advisory=True),
        ConsumerFault(
            "rtec-reused-token", "RTEC-REQ-03", "keeps its first RTEC token and sends it again until it expires"
        ),
        ConsumerFault(
            "rtec-locum-org",
            "RTEC-REQ-05",
            "for a locum user, sends the locum organisation FFFFF as requesting_organization",
        ),
        ConsumerFault(
            "rtec-surname-letters-only",
            "RTEC-REQ-06",
            "sends the surname with everything but letters removed (O'Brien-Smith becomes OBrienSmith)",
        ),
        # -- RTEC client functional requirements (the state the dispensing system is in) ---------------
        ConsumerFault(
            "checks-unauthorised-users", "RTEC-CLI-04", "checks for a user without activity B0570 or without a session"
        ),
        ConsumerFault("checks-prisoners", "RTEC-CLI-05", "checks prescriptions of prisoners on release"),
        ConsumerFault("checks-exempt-items", "RTEC-CLI-06", "checks contraceptive and SH-endorsed items"),
        ConsumerFault("checks-eps-r1", "RTEC-CLI-07", "checks EPS Release 1 prescriptions"),
        ConsumerFault(
            "checks-restricted-patients",
            "RTEC-CLI-08",
            "checks patients who are deceased, flagged sensitive or not synchronised with Spine Demographics",
        ),
        ConsumerFault(
            "checks-with-automatic-checking-off",
            "RTEC-CLI-09",
            "checks on dispensing even with automatic checking switched off",
        ),
        ConsumerFault(
            "reuses-answer-for-patient",
            "RTEC-CLI-10",
            "applies a patient's first answer to their next prescription without checking it",
        ),
        ConsumerFault(
            "checks-claim-amendments", "RTEC-CLI-11", "checks again when a claim is amended after dispensing"
        ),
        ConsumerFault("sends-non-ascii", "RTEC-CLI-12", "sends demographics holding non-ASCII characters as they are"),
        ConsumerFault(
            "no-unavailable-notice",
            "RTEC-CLI-13",
            "falls back to the declaration on an RTEC failure without saying the service is unavailable",
        ),
        ConsumerFault(
            "tls-expiry-unchecked", "TLS-02", "accepts server certificates that have expired (checks the rest)"
        ),
        # == end of consumer and exemption depth ===============================================
    )
}


def unknown_faults(names: Iterable[str]) -> list[str]:
    return sorted({name for name in names if name not in FAULTS and name != LIST})


def known_faults_text() -> str:
    return ", ".join(FAULTS)


def fault_table() -> str:
    """The table `--fault list` prints: name, requirement, description."""
    width = max(len(name) for name in FAULTS)
    lines = [f"{'fault'.ljust(width)}  {'violates':<11}  description"]
    lines += [f"{f.name.ljust(width)}  {f.violates:<11}  {f.description}" for f in FAULTS.values()]
    return "\n".join(lines) + "\n"
