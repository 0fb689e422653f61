"""The reference consumer's command line: its options, and what they mean as a ``TargetConfig``.

Everything the consumer knows comes from its arguments (the harness passes them per action);
identity defaults are ``ConsumerConfig()``'s, so a bare command presents the harness's own test
consumer. Problems are collected and reported together, as exit code 2.
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import replace
from pathlib import Path

from spine_conformance.config.model import (
    ConsumerConfig,
    ExemptionConfig,
    HttpConfig,
    PatientConfig,
    ProviderConfig,
    TargetConfig,
    TlsConfig,
)
from spine_conformance.consumer.faults import LIST, known_faults_text, unknown_faults
from spine_conformance.virtual.states import STATES

SEARCH_SLOTS = "search-slots"
BOOK = "book"
READ = "read"
SEARCH_APPOINTMENTS = "search-appointments"
CANCEL = "cancel"
CHECK_EXEMPTION = "check-exemption"
APPOINTMENT_ACTIONS = (SEARCH_SLOTS, BOOK, READ, SEARCH_APPOINTMENTS, CANCEL)
ACTIONS = (*APPOINTMENT_ACTIONS, CHECK_EXEMPTION)

APPOINTMENTS_TIMEOUT_S = 10.0
# RTEC must never hold up dispensing: give up quickly and fall back (RTEC errors.md, FR-42).
EXEMPTION_TIMEOUT_S = 2.0
NO_TIMEOUT_FAULT_S = 60.0  # the no-timeout fault: wait as a careless client would
DEFAULT_DAYS = 7
STATE_FILE_DIR = Path(tempfile.gettempdir()) / "spine-conformance-consumer"

_PROVIDER = ("provider_base_url", "provider_asid")
REQUIRED: dict[str, tuple[str, ...]] = {
    SEARCH_SLOTS: (*_PROVIDER, "service_id"),
    BOOK: (*_PROVIDER, "service_id", "nhs_number"),
    READ: (*_PROVIDER, "appointment_id"),
    SEARCH_APPOINTMENTS: (*_PROVIDER, "nhs_number"),
    CANCEL: (*_PROVIDER, "appointment_id"),
    CHECK_EXEMPTION: ("exemption_url", "nhs_number", "dob", "surname", "postcode", "prescription_id"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=ACTIONS, metavar="ACTION", help=" | ".join(ACTIONS))
    _connection_arguments(parser.add_argument_group("connection and identity"))
    appointments = parser.add_argument_group("appointments")
    appointments.add_argument("--service-id", help="healthcare service to search for slots (search-slots, book)")
    appointments.add_argument("--days", type=_positive_int, default=DEFAULT_DAYS, help="slot window in days (7)")
    appointments.add_argument("--appointment-id", help="appointment to read or cancel")
    patient = parser.add_argument_group("patient (book; check-exemption uses --nhs-number, --postcode)")
    patient.add_argument("--nhs-number", help="the patient's NHS number (ten digits)")
    patient.add_argument("--family", help="family name (book)")
    patient.add_argument("--given", action="append", help="given name (book; repeatable)")
    patient.add_argument("--birth-date", help="YYYY-MM-DD (book)")
    patient.add_argument("--gender", help="male | female | other | unknown (book)")
    patient.add_argument("--postcode", help="usual address postcode")
    exemption = parser.add_argument_group("check-exemption")
    exemption.add_argument("--exemption-url", help="RTEC endpoint URL (also the token's aud)")
    exemption.add_argument("--dob", help="date of birth, YYYY-MM-DD")
    exemption.add_argument("--surname", help="usual family name")
    exemption.add_argument("--prescription-id", help="EPS R2 prescription id, e.g. 471BC8-P83027-34B75X")
    exemption.add_argument("--state-dir", type=Path, help=f"where checked prescriptions are kept ({STATE_FILE_DIR})")
    exemption.add_argument(
        "--state",
        dest="consumer_state",
        default="",
        metavar="NAME",
        help="the situation the dispensing system is in, e.g. patient-sensitive or automatic-checking-off "
        "(spine-conformance's consumer states; empty: an ordinary, manually started check)",
    )


def _connection_arguments(group: argparse._ArgumentGroup) -> None:
    identity = ConsumerConfig()
    group.add_argument("--ssp-url", default="", help="SSP URL; empty: call the provider directly")
    group.add_argument("--provider-base-url", help="provider FHIR base URL (also the token's aud)")
    group.add_argument("--provider-asid", help="provider ASID (Ssp-To)")
    group.add_argument("--consumer-asid", default=identity.asid, help=f"Ssp-From ({identity.asid})")
    group.add_argument("--ods-code", default=identity.ods_code, help=f"requesting organisation ({identity.ods_code})")
    group.add_argument("--endpoint-url", default=identity.endpoint_url, help="consumer endpoint URL (JWT iss)")
    group.add_argument("--sds-user-id", default=identity.sds_user_id, help="the user's SDS id (JWT sub)")
    group.add_argument("--ca-bundle", default="", help="PEM file of CAs to trust; default: the system store")
    group.add_argument("--timeout", type=_positive_float, help="HTTP timeout in s (10; check-exemption 2)")
    group.add_argument(
        "--fault", action="append", default=[], metavar="NAME", help="deviate on purpose (repeatable; 'list')"
    )
    # Used by the polls fault's detached process: repeat the action for this many seconds.
    group.add_argument("--poll-for-s", type=_positive_float, default=0.0, help=argparse.SUPPRESS)


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def wants_fault_list(args: argparse.Namespace) -> bool:
    return LIST in args.fault


def usage_problems(args: argparse.Namespace) -> list[str]:
    """Every reason the arguments cannot be acted on (empty when they can)."""
    unknown = unknown_faults(args.fault)
    if unknown:
        return [f"unknown fault(s): {', '.join(unknown)}; known faults: {known_faults_text()}"]
    if args.action is None:
        return [f"an ACTION is required: one of {', '.join(ACTIONS)}"]
    problems = [
        f"{args.action} needs --{name.replace('_', '-')}" for name in REQUIRED[args.action] if not getattr(args, name)
    ]
    if args.ca_bundle and not Path(args.ca_bundle).is_file():
        problems.append(f"--ca-bundle {args.ca_bundle}: no such file")
    if args.consumer_state and args.consumer_state not in STATES:
        problems.append(f"--state {args.consumer_state}: unknown state; known: {', '.join(STATES)}")
    return problems


def timeout_s(args: argparse.Namespace) -> float:
    if args.action == CHECK_EXEMPTION and "no-timeout" in args.fault:
        return NO_TIMEOUT_FAULT_S
    if args.timeout is not None:
        return float(args.timeout)
    return EXEMPTION_TIMEOUT_S if args.action == CHECK_EXEMPTION else APPOINTMENTS_TIMEOUT_S


def patient(args: argparse.Namespace) -> PatientConfig:
    """The patient to book for: the options given, the test patient's details for the rest."""
    default = PatientConfig()
    return PatientConfig(
        nhs_number=args.nhs_number or default.nhs_number,
        family=args.family or default.family,
        given=tuple(args.given) if args.given else default.given,
        birth_date=args.birth_date or default.birth_date,
        postcode=args.postcode or default.postcode,
        gender=args.gender or default.gender,
    )


def target_config(args: argparse.Namespace) -> TargetConfig:
    consumer = replace(
        ConsumerConfig(),
        asid=args.consumer_asid,
        ods_code=args.ods_code,
        endpoint_url=args.endpoint_url,
        sds_user_id=args.sds_user_id,
    )
    return TargetConfig(
        name="reference consumer",
        provider=ProviderConfig(
            base_url=args.provider_base_url or "",
            asid=args.provider_asid or "",
            ssp_url=args.ssp_url,
            healthcare_service=args.service_id or "",
            slot_window_days=args.days,
        ),
        consumer=consumer,
        patient=patient(args),
        exemption=ExemptionConfig(url=args.exemption_url or "", prescription_id=args.prescription_id or ""),
        tls=TlsConfig(verify="tls-verify-off" not in args.fault, ca_bundle=args.ca_bundle),
        http=HttpConfig(timeout_s=timeout_s(args)),
        source="command line",
    )


def state_dir(args: argparse.Namespace) -> Path:
    return Path(args.state_dir) if args.state_dir else STATE_FILE_DIR
