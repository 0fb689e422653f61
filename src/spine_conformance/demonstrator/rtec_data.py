"""The exemptions the demonstrator's RTEC service knows, and how a request is matched to one.

Seeded with the published smoke-test patients (digest B7) and the seed's example patient (the
``Parker`` request of the RTEC overview, answered with the published 200 example's type 9006).
The not-exempt test patient of ``ExemptionConfig`` is deliberately absent, so it is a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spine_conformance.exemption.fields import normalised_postcode


@dataclass(frozen=True)
class Exemption:
    nhs_number: str
    surname: str
    dob: str  # YYYY-MM-DD
    postcode: str
    type: str  # PrescriptionChargeExemption code returned in the 200 answer

    def matches(self, nhs_number: str, surname: str, dob: str, postcode: str) -> bool:
        # Surnames and postcodes are compared as a person would write them: any case, any spacing.
        return (
            nhs_number == self.nhs_number
            and surname.strip().upper() == self.surname.upper()
            and dob == self.dob
            and normalised_postcode(postcode) == normalised_postcode(self.postcode)
        )


# The smoke-test pack lists dates as DD/MM/YYYY (UK); they are written here as ISO dates.
# Patients with several types answer the first one listed.
SEEDED_EXEMPTIONS: tuple[Exemption, ...] = (
    Exemption("9660981805", "DIXON", "2001-01-02", "DN18 5FB", "0005"),
    Exemption("9660982801", "HUME", "2002-01-01", "DN17 1JN", "0007"),
    Exemption("9660982852", "PARKS", "2001-01-07", "DN18 5QG", "0009"),
    Exemption("9434765919", "Parker", "2010-01-01", "NE3 2JH", "9006"),
)


def find_exemption(body: Mapping[str, Any], exemptions: tuple[Exemption, ...] = SEEDED_EXEMPTIONS) -> Exemption | None:
    """The exemption matching the request's patient, or None.

    Some fault modes look requests up without validating them, so any field may be absent or
    not a string here: such a request simply matches nothing.
    """
    values = [body.get(name) for name in ("nhsNumber", "surname", "dob", "postcode")]
    if not all(isinstance(value, str) for value in values):
        return None
    nhs_number, surname, dob, postcode = (str(value) for value in values)
    return next((e for e in exemptions if e.matches(nhs_number, surname, dob, postcode)), None)
