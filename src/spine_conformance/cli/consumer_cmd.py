"""``spine-conformance consumer ACTION``: act as the reference consumer (appointments or RTEC).

The harness spawns this once per action, so it starts fast: only argparse and the options are
imported to parse; the HTTP stack is imported when an action runs, and nothing here needs
pytest, the FHIR models, the servers or the report templates.
"""

from __future__ import annotations

import argparse
import ssl
import sys
from typing import Any

from spine_conformance.config.model import TargetConfig
from spine_conformance.consumer import options
from spine_conformance.consumer.faults import fault_table
from spine_conformance.consumer.output import Outcome, emit, usage_error


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "consumer",
        help="act as the reference consumer (appointments via the SSP, or an RTEC check)",
        description="The reference consumer: one action per run; one JSON object on stdout, one line on stderr. "
        "Exit 0 the action achieved its aim, 1 the other side refused or failed, 2 usage error.",
    )
    options.add_arguments(parser)
    parser.set_defaults(handler=consumer)


def consumer(args: argparse.Namespace) -> int:
    if options.wants_fault_list(args):
        sys.stdout.write(fault_table())
        return 0
    problems = options.usage_problems(args)
    if problems:
        return usage_error(problems)
    try:
        outcome = _act(args)
    except _Usage as problem:
        return usage_error([str(problem)])
    return emit(outcome)


class _Usage(Exception):
    pass


def _act(args: argparse.Namespace) -> Outcome:
    target = options.target_config(args)
    faults = frozenset(args.fault)
    try:
        if args.action == options.CHECK_EXEMPTION:
            return _check_exemption(args, target, faults)
        return _appointments(args, target, faults)
    except ssl.SSLError as problem:  # e.g. --ca-bundle is not a PEM file of certificates
        raise _Usage(f"--ca-bundle {args.ca_bundle}: {problem}") from None


# The two interfaces' modules are imported per action: they bring in httpx, which --help and
# --fault list do not need.
def _check_exemption(args: argparse.Namespace, target: TargetConfig, faults: frozenset[str]) -> Outcome:
    from spine_conformance.consumer.exemption import (
        ExemptionCheck,
        InvalidPatientData,
        check_exemption,
        poll,
        start_polling,
    )
    from spine_conformance.consumer.policy import CheckedPrescriptions, StateUnreadable

    check = ExemptionCheck(
        args.dob, args.nhs_number, args.surname, args.postcode, args.prescription_id, args.consumer_state
    )
    state = CheckedPrescriptions(options.state_dir(args))
    try:
        if args.poll_for_s:
            return poll(lambda: check_exemption(check, target, faults, state), args.poll_for_s)
        outcome = check_exemption(check, target, faults, state)
        if "polls" in faults and outcome.fields.get("checked"):
            start_polling(sys.argv[1:])
        return outcome
    except InvalidPatientData as problem:
        raise _Usage(f"not checked (FR-8, malformed patient data): {problem}") from None
    except StateUnreadable as problem:
        raise _Usage(str(problem)) from None


def _appointments(args: argparse.Namespace, target: TargetConfig, faults: frozenset[str]) -> Outcome:
    from spine_conformance.consumer import appointments
    from spine_conformance.consumer.deviations import client_tls_context
    from spine_conformance.consumer.output import failed, no_response
    from spine_conformance.findings import CheckFailed
    from spine_conformance.http import ExchangeLog, HarnessHttp, TargetUnreachable

    log = ExchangeLog()
    http = HarnessHttp(target.tls, target.http, log, context=client_tls_context(target.tls, faults))
    client = appointments.ReferenceProviderClient(http, target, faults)
    actions = {
        options.SEARCH_SLOTS: lambda: appointments.search_slots(client),
        options.BOOK: lambda: appointments.book(client),
        options.READ: lambda: appointments.read(client, args.appointment_id),
        options.SEARCH_APPOINTMENTS: lambda: appointments.search_appointments(client, args.nhs_number),
        options.CANCEL: lambda: appointments.cancel(client, args.appointment_id),
    }
    try:
        return actions[args.action]()
    except (TargetUnreachable, CheckFailed) as problem:  # no answer at all: refused, timed out, TLS
        return failed(args.action, args.action, no_response(log, problem))
    finally:
        http.close()
