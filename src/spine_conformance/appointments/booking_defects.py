"""Invalid bookings and cancels, each with the status the sources name for it (never "any 4xx").

BK-seed book_an_appointment.md: a body that "failed validation against the relevant profiles" is a
422, one that "was simply invalid" a 400. A defect the profile or the Booking pages state on an
otherwise well-formed FHIR Appointment is a 422. A defect that also breaks FHIR STU3 itself (a 1..1
element missing, an unknown element, another resource type) is both: FHIR http.html#create answers
"failed basic FHIR validation rules" with 400, the Booking page a profile failure with 422, so either
is allowed. A body that is not JSON is only "simply invalid": 400. UEC er_overview pins an invalid NHS
number to 422. FHIR's create says an id sent "SHALL" be ignored, the Booking page that it "MUST NOT"
be sent: a 422, or a 201 whose id is the provider's own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spine_conformance.checks.refusals import Pinned

Body = dict[str, Any]

PROFILE_422 = "BK-seed book_an_appointment.md: failed validation against the relevant profiles: 422"
BUSINESS_422 = "BK-seed book_an_appointment.md: a business rule (the Booking pages' own): 422"
BOTH = (
    "also invalid FHIR STU3 (http.html#create: failed basic FHIR validation rules: 400) and against the profile "
    "(BK-seed book_an_appointment.md: 422), so either"
)
SIMPLY_INVALID = "BK-seed book_an_appointment.md: the request body was simply invalid: 400"
UEC_NHS_NUMBER = "UEC er_overview.md: the patient identifier - NHS no - was invalid: 422"
ID_IGNORED = (
    "BK-seed appointment.md: the id MUST NOT be sent (a business rule: 422); FHIR http.html#create: "
    "an id provided SHALL be ignored (a 201 with the provider's own id)"
)
TKW_RANKS = "TKW EB_BookAppointment.tstp: two rank-1 telecoms, or none: 400; the 2.x pages' rules: 422"


@dataclass(frozen=True)
class Defect:
    change: Callable[[Body], Body | bytes]
    answer: Pinned
    # A 201 is allowed too, when the provider ignored what was wrong (an id sent on create).
    may_create: bool = False
    # The target's slot-conflict status is allowed too: a slot that does not exist is not free either.
    or_conflict: bool = False

    def answer_for(self, slot_conflict_status: int) -> Pinned:
        """What the sources allow, with ``spec.slot_conflict_status`` where the defect is also a taken slot."""
        if not self.or_conflict or slot_conflict_status in self.answer.statuses:
            return self.answer
        why = f"{self.answer.why}; or, as a slot that is not free, [spec] slot_conflict_status {slot_conflict_status}"
        return Pinned(self.answer.statuses | {slot_conflict_status}, why, self.answer.tolerated)


def _drop(*keys: str) -> Callable[[Body], Body]:
    return lambda body: {k: v for k, v in body.items() if k not in keys}


def _set(**changes: Any) -> Callable[[Body], Body]:
    return lambda body: {**body, **changes}


def _changed(edit: Callable[[Body], object]) -> Callable[[Body], Body]:
    def change(body: Body) -> Body:
        copied = copy.deepcopy(body)
        edit(copied)
        return copied

    return change


def _patient(body: Body) -> Body:
    return next(item for item in body["contained"] if item["resourceType"] == "Patient")


def _bad_nhs_number(body: Body) -> Body:
    number = body["participant"][0]["actor"]["identifier"]["value"]
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    return dict(json.loads(json.dumps(body).replace(f'"{number}"', f'"{wrong}"')))


def _second_patient(body: Body) -> None:
    body["contained"].append({**copy.deepcopy(_patient(body)), "id": "P2"})
    body["participant"].append({"actor": {"reference": "#P2"}, "status": "accepted"})


def _without_nhs_number(body: Body) -> None:
    _patient(body).pop("identifier", None)
    body["participant"][0]["actor"].pop("identifier", None)


def _telecoms(body: Body) -> list[dict[str, Any]]:
    patient = _patient(body)
    return list(patient.get("telecom", [])) + [t for c in patient.get("contact", []) for t in c.get("telecom", [])]


def _ranks(*ranks: int) -> Callable[[Body], None]:
    def edit(body: Body) -> None:
        for telecom, rank in zip(_telecoms(body), ranks, strict=False):
            telecom["rank"] = rank

    return edit


BOOKING_DEFECTS: dict[str, Defect] = {
    "no start": Defect(_drop("start"), Pinned.of(400, 422, why=f"STU3 invariant app-3 (a booked start): {BOTH}")),
    "no end": Defect(_drop("end"), Pinned.of(400, 422, why=f"STU3 invariant app-3 (a booked end): {BOTH}")),
    "no status": Defect(_drop("status"), Pinned.of(400, 422, why=f"status is 1..1 in FHIR STU3: {BOTH}")),
    "no slot": Defect(_drop("slot"), Pinned.of(422, why=f"{BUSINESS_422} (appointment.md slot [1..1])")),
    "no participant": Defect(_set(participant=[]), Pinned.of(400, 422, why=f"participant is 1..* in STU3: {BOTH}")),
    "a participant without status": Defect(
        _changed(lambda body: body["participant"][0].pop("status")),
        Pinned.of(400, 422, why=f"participant.status is 1..1 in STU3: {BOTH}"),
    ),
    "an NHS number identifier without a value": Defect(
        _changed(lambda body: _patient(body)["identifier"][0].pop("value")),
        Pinned.of(422, why=f"{PROFILE_422} (CareConnect-Patient-1: the nhsNumber slice's value is 1..1)"),
    ),
    "an unknown element": Defect(
        _set(colour="blue"), Pinned.of(400, 422, why=f"STU3 has no Appointment.colour (acceptUnknown): {BOTH}")
    ),
    "a wrong resourceType": Defect(
        _set(resourceType="AppointmentResponse"),
        Pinned.of(400, 422, why=f"not an Appointment: {SIMPLY_INVALID}, or not valid against the profile: 422"),
    ),
    "a malformed slot reference": Defect(
        _set(slot=[{"reference": "Slot/not a slot id!"}]),
        Pinned.of(400, 422, why=f"the reference's id breaks STU3's id type (basic FHIR validation): {BOTH}"),
    ),
    "a slot reference to another server": Defect(
        _set(slot=[{"reference": "https://another-provider.example/STU3/1/Slot/slot001"}]),
        Pinned.of(422, why=f"{BUSINESS_422} (the Slot is not this provider's)"),
    ),
    "an id set on create": Defect(_set(id="chosen-by-the-consumer"), Pinned.of(422, why=ID_IGNORED), may_create=True),
    "an NHS number that fails its check digit": Defect(_bad_nhs_number, Pinned.of(422, why=UEC_NHS_NUMBER)),
    "status proposed instead of booked": Defect(
        _set(status="proposed"),
        Pinned.of(422, why=f"{BUSINESS_422} (status MUST be booked, cancelled or entered in error)"),
    ),
    "a reference to a slot that does not exist": Defect(
        _set(slot=[{"reference": "Slot/no-such-slot"}]),
        Pinned.of(422, why=f"{BUSINESS_422} (for example the requested Slot is not free)"),
        or_conflict=True,
    ),
    "a body that is not JSON": Defect(
        lambda body: b'{"resourceType": "Appointment", "status": ', Pinned.of(400, why=SIMPLY_INVALID)
    ),
    "a Patient without gender": Defect(
        _changed(lambda body: _patient(body).pop("gender")),
        Pinned.of(422, why=f"{PROFILE_422} (appointment.md and patient.md: the Patient MUST include gender)"),
    ),
    "a Patient without an address": Defect(
        _changed(lambda body: _patient(body).pop("address")),
        Pinned.of(422, why=f"{PROFILE_422} (appointment.md and patient.md: the Patient MUST include address)"),
    ),
    "two contained Patients": Defect(
        _changed(_second_patient), Pinned.of(422, why=f"{PROFILE_422} (appointment.md: contained[1] Patient [1..1])")
    ),
    "a document whose contentType is not a mime type": Defect(
        _changed(lambda body: body["contained"][0]["content"][0]["attachment"].update(contentType="CDA document")),
        Pinned.of(422, why=f"{PROFILE_422} (appointment.md: content.attachment.contentType: a valid mime type)"),
    ),
    # The editions differ: the seed pages make the NHS number mandatory, the 2.x pages optional.
    "a Patient without an NHS number": Defect(
        _changed(_without_nhs_number),
        Pinned.of(422, why=f"{PROFILE_422} (BK-seed patient.md: identifier [1..1], the NHS number)"),
    ),
    # 2.x: telecom ranks (the TKW pack's reading).
    "two rank-1 telecoms": Defect(_changed(_ranks(1, 1)), Pinned.of(400, 422, why=TKW_RANKS)),
    "no rank-1 telecom": Defect(_changed(_ranks(2, 3)), Pinned.of(400, 422, why=TKW_RANKS)),
}


def booking_defect(name: str) -> Defect:
    if name not in BOOKING_DEFECTS:
        raise KeyError(f"no booking defect named {name!r}; the feature file may use: {', '.join(BOOKING_DEFECTS)}")
    return BOOKING_DEFECTS[name]


def anonymous_booking(body: Body) -> Body:
    """The booking without any NHS number: the Patient is named by its other details (2.x)."""
    return _changed(_without_nhs_number)(body)


# -- cancels that change more than the status (APPT-CANCEL-02) ------------------------------------------
CANCEL_DIFFERENCES = (
    "BK-seed cancel_an_appointment.md: differences detected between the existing and updated Appointment: 422"
)


def _patient_name(current: Body) -> None:
    _patient(current)["name"] = [{"use": "official", "family": "Changed", "given": ["Someone"]}]


CANCEL_DEFECTS: dict[str, Defect] = {
    "the contained Patient's name": Defect(_changed(_patient_name), Pinned.of(422, why=CANCEL_DIFFERENCES)),
    "the comment": Defect(_set(comment="Changed while cancelling"), Pinned.of(422, why=CANCEL_DIFFERENCES)),
    "the appointment type": Defect(_set(appointmentType={"text": "Routine"}), Pinned.of(422, why=CANCEL_DIFFERENCES)),
    "an added participant": Defect(
        _changed(
            lambda current: current["participant"].append(
                {"actor": {"display": "Another person"}, "status": "accepted"}
            )
        ),
        Pinned.of(422, why=CANCEL_DIFFERENCES),
    ),
    "a removed participant": Defect(
        _set(participant=[]),
        Pinned.of(400, 422, why=f"{CANCEL_DIFFERENCES}; participant is 1..* in STU3, so a 400 (invalid FHIR) too"),
    ),
    "the slot reference": Defect(
        _set(slot=[{"reference": "Slot/another-slot"}]), Pinned.of(422, why=CANCEL_DIFFERENCES)
    ),
    "the patient reference": Defect(
        _changed(lambda current: current["participant"][0]["actor"].update(reference="Patient/someone-else")),
        Pinned.of(422, why=CANCEL_DIFFERENCES),
    ),
}


def cancel_defect(name: str) -> Defect:
    if name not in CANCEL_DEFECTS:
        raise KeyError(f"no cancel change named {name!r}; the feature file may use: {', '.join(CANCEL_DEFECTS)}")
    return CANCEL_DEFECTS[name]
