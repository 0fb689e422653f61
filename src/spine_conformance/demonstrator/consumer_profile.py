"""The reference consumer wired as the default consumer under test (command templates)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterable

from spine_conformance.config.model import ConsumerUnderTestConfig

COMMON = (
    "--ssp-url {ssp_url} --provider-base-url {provider_base_url} --provider-asid {provider_asid} "
    "--consumer-asid {consumer_asid} --ca-bundle {ca_bundle}"
)
ACTIONS = {
    "search_slots": "search-slots " + COMMON + " --service-id {service_id}",
    "book": "book " + COMMON + " --service-id {service_id} --nhs-number {nhs_number}",
    "read": "read " + COMMON + " --appointment-id {appointment_id}",
    "search_appointments": "search-appointments " + COMMON + " --nhs-number {nhs_number}",
    "cancel": "cancel " + COMMON + " --appointment-id {appointment_id}",
    "check_exemption": "check-exemption --consumer-asid {consumer_asid} --ods-code {ods_code} --ca-bundle {ca_bundle} "
    "--exemption-url {exemption_url} --nhs-number {nhs_number} --dob {dob} --surname {surname} "
    "--postcode {postcode} --prescription-id {prescription_id} --state-dir {state_dir} --state {state}",
}


def reference_consumer(faults: Iterable[str] = ()) -> ConsumerUnderTestConfig:
    """Command templates running ``python -m spine_conformance consumer …`` (with faults, if any)."""
    program = f"{shlex.quote(sys.executable)} -m spine_conformance consumer"
    fault_options = "".join(f" --fault {shlex.quote(name)}" for name in faults)
    # Braces in the interpreter path would be read as placeholders, so they are doubled.
    program = program.replace("{", "{{").replace("}", "}}")

    def command(action: str) -> str:
        return f"{program} {ACTIONS[action]}{fault_options}"

    return ConsumerUnderTestConfig(
        trigger="command",
        search_slots=command("search_slots"),
        book=command("book"),
        cancel=command("cancel"),
        read=command("read"),
        search_appointments=command("search_appointments"),
        check_exemption=command("check_exemption"),
        slow_response_s=6.0,  # the reference consumer waits 2 s for RTEC, so 6 s is plainly too slow
        fallback_within_s=4.5,
    )
