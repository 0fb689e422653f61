"""The situations a consumer under test is put into for an exemption scenario (RTEC client requirements).

RTEC's Client Functional Requirements v1.0 say when a dispensing system must *not* check an
exemption (a user without the right, a prisoner on release, an EPS Release 1 prescription, a
deceased patient, …) and how checking is started. A scenario names the state the consumer must
be in when it acts; the consumer receives it as ``{state}`` (its name) and ``{state_description}``
(the words a tester reads), in the http hook's payload, and in the instruction of ``trigger =
"manual"``. A consumer that cannot be put into a state lists it in
``consumer_under_test.unsupported_states``; those scenarios are then not tested, with that reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ConsumerState:
    name: str
    # What is true when the consumer acts, for a person; may use the action's placeholders.
    description: str
    # The requirement a scenario in this state verifies, and the published rule behind it.
    requirement: str
    rule: str


STATES: dict[str, ConsumerState] = {
    state.name: state
    for state in (
        ConsumerState(
            "user-without-b0570",
            "the user has logged in with a role that does not include RBAC activity B0570 "
            "(Perform Pharmacy Activities)",
            "RTEC-CLI-04",
            "PEC-FR-12",
        ),
        ConsumerState(
            "user-not-authenticated",
            "no user is logged in: there is no current authenticated session",
            "RTEC-CLI-04",
            "PEC-FR-13",
        ),
        ConsumerState(
            "locum-user",
            "the user is a locum pharmacist whose role is registered with the national locum organisation "
            "FFFFF, working today for organisation {ods_code}",
            "RTEC-REQ-05",
            "PEC-FR-14; cross_organisation_audit_and_provenance.md",
        ),
        ConsumerState(
            "prisoner-on-release",
            "the prescription is for a prisoner on release (HMP and the prison's address in the prescriber box)",
            "RTEC-CLI-05",
            "PEC-FR-21",
        ),
        ConsumerState(
            "contraceptive-item",
            "the prescription is for a contraceptive item",
            "RTEC-CLI-06",
            "PEC-FR-22",
        ),
        ConsumerState(
            "sexual-health-endorsement",
            "the prescribed item carries the prescriber endorsement SH (sexual health)",
            "RTEC-CLI-06",
            "PEC-FR-22",
        ),
        ConsumerState(
            "eps-release-1",
            "the prescription is an EPS Release 1 prescription, which cannot be claimed electronically",
            "RTEC-CLI-07",
            "PEC-FR-30, PEC-FR-32",
        ),
        ConsumerState(
            "patient-not-synchronised",
            "the patient's demographic record has not been synchronised with Spine Demographics",
            "RTEC-CLI-08",
            "PEC-FR-5",
        ),
        ConsumerState(
            "patient-formally-deceased",
            "the patient is recorded as formally deceased",
            "RTEC-CLI-08",
            "PEC-FR-6",
        ),
        ConsumerState(
            "patient-informally-deceased",
            "the patient is recorded as informally deceased",
            "RTEC-CLI-08",
            "PEC-FR-6",
        ),
        ConsumerState(
            "patient-sensitive",
            "the patient's demographic record is flagged sensitive (confidentialityCode S)",
            "RTEC-CLI-08",
            "PEC-FR-7",
        ),
        ConsumerState(
            "automatic-checking-on",
            "automatic exemption checking in the dispensing workflow is switched ON: dispense the "
            "prescription without starting a check by hand",
            "RTEC-CLI-09",
            "PEC-FR-23, PEC-FR-24, PEC-FR-25",
        ),
        ConsumerState(
            "automatic-checking-off",
            "automatic exemption checking in the dispensing workflow is switched OFF: dispense the "
            "prescription without starting a check by hand",
            "RTEC-CLI-09",
            "PEC-FR-23, PEC-FR-25, PEC-FR-26",
        ),
        ConsumerState(
            "claim-amendment",
            "prescription {prescription_id} was dispensed and its exemption checked earlier; the user is now "
            "amending its reimbursement claim, not dispensing it",
            "RTEC-CLI-11",
            "PEC-FR-52",
        ),
        ConsumerState(
            "non-ascii-demographics",
            "the patient's demographic record holds characters outside ASCII (surname {surname})",
            "RTEC-CLI-12",
            "PEC-FR-8; §5.2.1",
        ),
    )
}


class UnknownState(KeyError):
    pass


def state(name: str) -> ConsumerState:
    if name not in STATES:
        raise UnknownState(f"unknown consumer state {name!r}; known: {', '.join(STATES)}")
    return STATES[name]


def described(name: str, parameters: Mapping[str, str]) -> str:
    """The words for a tester: the state's description with the action's values filled in ("" for none)."""
    if not name:
        return ""
    return state(name).description.format_map(dict(parameters))


def unknown_states(names: tuple[str, ...]) -> list[str]:
    return [name for name in names if name not in STATES]
