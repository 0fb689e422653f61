"""Where each validator, profile and booking rule comes from, and how severe breaking it is.

The project's bar: a rule that can fail a requirement cites the published page, profile or pack it
comes from; a rule no published source states is advisory (a *warning*). The rule tables
(:data:`.profiles.PROFILE_RULES`, :data:`.booking.BOOKING_RULES`, ...) pair every rule function
with a :class:`Rule` record built from the sources below, and the layer that runs a rule stamps
its issues with the rule's severity and citation, so what the validator reports carries both.

Links are pinned: GitHub pages at the commit the research read (see the ``version`` labels), FHIR
core at hl7.org/fhir/STU3 (3.0.2). For an advisory rule, ``sources`` names the text that was
checked and does *not* state it (its diagnostics say so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from .outcome import Issue

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class RuleSource:
    """One published text: its title, a followable https link and the version read."""

    title: str
    url: str
    version: str

    def cite(self) -> str:
        return f"{self.title} ({self.version}): {self.url}"


Check = TypeVar("Check", bound=Callable[..., list[Issue]])


BOTH_EDITIONS = frozenset({"1", "2"})


@dataclass(frozen=True)
class Rule(Generic[Check]):
    """A rule function with its severity and its sources (several when they conflict), and the Booking
    editions ([spec] edition) it belongs to: a rule one edition's pages state applies in that one only."""

    check: Check
    sources: tuple[RuleSource, ...]
    severity: str = ERROR
    editions: frozenset[str] = BOTH_EDITIONS

    def applies(self, edition: str) -> bool:
        return edition in self.editions

    @property
    def name(self) -> str:
        return self.check.__name__

    @property
    def citation(self) -> str:
        return "; ".join(source.cite() for source in self.sources)

    def stamp(self, issues: Iterable[Issue]) -> list[Issue]:
        """The rule's issues with its severity and citation (the table, not the function, decides both)."""
        return [replace(issue, severity=self.severity, source=self.citation) for issue in issues]


def error_rule(check: Check, *sources: RuleSource, editions: Iterable[str] = BOTH_EDITIONS) -> Rule[Check]:
    return Rule(check, sources, ERROR, frozenset(editions))


def advisory_rule(check: Check, *sources: RuleSource, editions: Iterable[str] = BOTH_EDITIONS) -> Rule[Check]:
    return Rule(check, sources, WARNING, frozenset(editions))


# --- CareConnect STU3 StructureDefinitions (nhsconnect/CareConnect-profiles-STU3, constraints/) -----

_CC_REPO = "https://github.com/nhsconnect/CareConnect-profiles-STU3/blob"
_CC_79F29A6 = "79f29a65bf607f7058feebabd0c21ffed194ef4c"
_CC_B175B02 = "b175b02ee5a6d4b16fde4edc102539f390f6443a"


def _careconnect(name: str, version: str, commit: str) -> RuleSource:
    # The newest commit of each file on the release branches (master does not hold them).
    return RuleSource(name, f"{_CC_REPO}/{commit}/constraints/{name}.xml", f"{version} @ {commit[:7]}")


CC_APPOINTMENT = _careconnect("CareConnect-Appointment-1", "1.1.0", "a7aae19f8e5fc9eb10843707c07430631a2a3fc8")
CC_SLOT = _careconnect("CareConnect-Slot-1", "1.1.0", "fe03ca243631f15b5cbe02bbef3744e24484fc09")
CC_SCHEDULE = _careconnect("CareConnect-Schedule-1", "1.0.0", _CC_B175B02)
CC_HEALTHCARE_SERVICE = _careconnect("CareConnect-HealthcareService-1", "1.0.0", _CC_B175B02)
CC_LOCATION = _careconnect("CareConnect-Location-1", "1.1.0", _CC_79F29A6)
CC_ORGANIZATION = _careconnect("CareConnect-Organization-1", "1.1.0", _CC_79F29A6)
CC_PRACTITIONER = _careconnect("CareConnect-Practitioner-1", "1.1.0", _CC_79F29A6)
# 1.1.0 makes identifier.system and .value 1..1; 1.0.0 (b175b02) did not.
CC_PRACTITIONER_ROLE = _careconnect("CareConnect-PractitionerRole-1", "1.1.0", _CC_79F29A6)
CC_PATIENT = _careconnect("CareConnect-Patient-1", "1.2.0", _CC_79F29A6)
CC_NHS_NUMBER_VERIFICATION = _careconnect("Extension-CareConnect-NHSNumberVerificationStatus-1", "1.1.0", _CC_79F29A6)
CC_DOCUMENT_REFERENCE = _careconnect(
    "CareConnect-DocumentReference-1", "1.0.0", "0c5e3893e752a0b3239a4e03a35c26610b8cc609"
)

# --- NHS Booking API pages (nhsconnect/NHS-Booking-API) --------------------------------------------

_BK = "https://github.com/nhsconnect/NHS-Booking-API/blob/7f6444ff6312e0d91b1473cc0b35f464f0953809/pages"
_BK_VERSION = "v1.0.6-alpha @ 7f6444f"


def _booking(title: str, page: str, line: int) -> RuleSource:
    # ?plain=1 lets the line anchor land on the table row that states the rule.
    return RuleSource(f"NHS Booking API — {title}", f"{_BK}/{page}?plain=1#L{line}", _BK_VERSION)


BK_APPOINTMENT_NO_ID = _booking("Appointment: MUST NOT include id", "fhir_resources/appointment.md", 52)
BK_APPOINTMENT_STATUS = _booking("Appointment: status", "fhir_resources/appointment.md", 58)
BK_APPOINTMENT_CONTAINED = _booking("Appointment: contained resources", "fhir_resources/appointment.md", 74)
BK_APPOINTMENT_TIMES = _booking("Appointment: start and end", "fhir_resources/appointment.md", 62)
BK_APPOINTMENT_SLOT = _booking("Appointment: slot", "fhir_resources/appointment.md", 66)
BK_APPOINTMENT_PARTICIPANT = _booking("Appointment: participant", "fhir_resources/appointment.md", 68)
BK_DOCUMENT_IDENTIFIER = _booking("Appointment: contained DocumentReference", "fhir_resources/appointment.md", 104)
BK_DOCUMENT_STATUS = _booking("Appointment: DocumentReference status", "fhir_resources/appointment.md", 106)
BK_DOCUMENT_TYPE = _booking("Appointment: DocumentReference type", "fhir_resources/appointment.md", 107)
BK_DOCUMENT_CONTENT = _booking("Appointment: DocumentReference content", "fhir_resources/appointment.md", 110)
BK_DOCUMENT_LANGUAGE = _booking("Appointment: DocumentReference language", "fhir_resources/appointment.md", 111)
BK_CANCEL_STATUS = _booking("Appointment: cancelling", "fhir_resources/appointment.md", 163)
BK_CANCEL_UNCHANGED = _booking("Appointment: cancelling", "fhir_resources/appointment.md", 166)
BK_PATIENT_IDENTIFIER = _booking("Patient: identifier", "fhir_resources/patient.md", 27)
BK_PATIENT_BIRTH_DATE = _booking("Patient: birthdate", "fhir_resources/patient.md", 35)
BK_SLOT_SCHEDULE = _booking("Slot: Schedule", "fhir_resources/slot.md", 28)
BK_BOOKING_REQUEST = _booking(
    "Book an appointment: conforms to the relevant profile", "explore/book_an_appointment.md", 25
)
BK_SCHEDULE_ACTORS = _booking(
    "Schedule: actor [1..3], actor (HealthcareService) [1..1]", "fhir_resources/schedule.md", 25
)
BK_APPOINTMENT_CONTAINED_ONCE = _booking(
    "Appointment: contained[0] and [1] [1..1]", "fhir_resources/appointment.md", 60
)
BK_CONTAINED_PATIENT = _booking("Appointment: the contained Patient MUST include", "fhir_resources/appointment.md", 81)
BK_CONTAINED_PATIENT_TELECOM = _booking("Appointment: contained Patient telecom", "fhir_resources/appointment.md", 88)

# --- NHS Booking API 2.x pages (the edition [spec] edition = "2" follows) --------------------------

_BKH = "https://github.com/nhsconnect/NHS-Booking-API/blob/c71b41761a445a180f04404186752804d20a09ab/pages"
_BKH_VERSION = "2.0.4-live @ c71b417"


def _booking_2x(title: str, page: str, line: int) -> RuleSource:
    return RuleSource(f"NHS Booking API 2.x — {title}", f"{_BKH}/{page}?plain=1#L{line}", _BKH_VERSION)


BKH_APPOINTMENT_CONTAINED = _booking_2x(
    "Appointment: contained resources (SHOULD have three)", "fhir_resources/appointment.md", 64
)
BKH_APPOINTMENT_SLOT = _booking_2x(
    "Appointment: slot #slot002 (contained[2] Slot)", "fhir_resources/appointment.md", 55
)
BKH_APPOINTMENT_PARTICIPANT = _booking_2x("Appointment: participant", "fhir_resources/appointment.md", 58)
BKH_SLOT_CONTAINED = _booking_2x("Get an appointment: the Slot must be contained", "explore/get_an_appointment.md", 126)
BKH_PATIENT_NHS_NUMBER_OPTIONAL = _booking_2x("Patient: identifier(nhsNumber) [0..1]", "fhir_resources/patient.md", 30)
BKH_PATIENT_ELEMENTS = _booking_2x("Patient: name, gender, birthdate, address [1..1]", "fhir_resources/patient.md", 35)
BKH_PATIENT_TELECOM_RANK = _booking_2x("Patient: telecom example (rank 1)", "fhir_resources/patient.md", 86)

# --- UEC Appointments (nhsd-a2si/docs-uec-appts) ---------------------------------------------------

_UEC = "https://github.com/nhsd-a2si/docs-uec-appts/blob/d167ce6e70dceab1ba7ea7ece73b208e9e10898e/_pages"
UEC_REQUESTING_DEVICE = RuleSource(
    "UEC Appointments — JWT requesting_device claim",
    f"{_UEC}/functional_spec/fs_authentication.md#requesting_device-claim",
    "UEC Appointments docs @ d167ce6",
)
UEC_INVALID_NHS_NUMBER = RuleSource(
    "UEC Appointments — Error overview (NHS no was invalid: 422)",
    f"{_UEC}/functional_spec/error/er_overview.md?plain=1#L241",
    "UEC Appointments docs @ d167ce6",
)

# --- FHIR STU3 core ------------------------------------------------------------------------------

_FHIR = "https://hl7.org/fhir/STU3"
_FHIR_VERSION = "3.0.2"


def fhir_core(title: str, page: str) -> RuleSource:
    return RuleSource(f"FHIR STU3 {title}", f"{_FHIR}/{page}", _FHIR_VERSION)


def fhir_resource(resource_type: str) -> RuleSource:
    """The core definition of a resource type (structure, cardinality, required bindings)."""
    return fhir_core(resource_type, f"{resource_type.lower()}.html")


FHIR_JSON = fhir_core("JSON representation", "json.html")
FHIR_HTTP = fhir_core("RESTful API", "http.html")
FHIR_UPDATE = fhir_core("RESTful API: update (id must match, else 400)", "http.html#update")
FHIR_DATATYPES = fhir_core("Data types", "datatypes.html")
FHIR_DATE_TIME = fhir_core("Data types: dateTime", "datatypes.html#dateTime")
FHIR_REFERENCE = fhir_core("References: contained resources (ref-1)", "references.html#contained")
FHIR_DOMAIN_RESOURCE = fhir_core("DomainResource invariants (dom-2, dom-3)", "domainresource.html#invs")
FHIR_META_PROFILE = fhir_core("Resource.meta.profile", "resource.html#Meta")
FHIR_APPOINTMENT_TIMES = fhir_core("Appointment invariants (app-2, app-3)", "appointment.html#invs")
FHIR_ORGANIZATION_ORG_1 = fhir_core("Organization invariant org-1", "organization.html#invs")

# --- The Provider Demonstrator (davidaruddy/bookingprovider): implementation choices, not rules -----

_DEMO_CHECKER = (
    "https://github.com/davidaruddy/bookingprovider/blob/dee7ee83f0c64efc362228fd78903ea3946e28f1"
    "/src/main/java/uk/nhs/fhir/bookingprovider/checkers/AppointmentChecker.java"
)
DEMO_STATUS_BOOKED = RuleSource(
    "Provider Demonstrator AppointmentChecker.checkStatus", f"{_DEMO_CHECKER}#L471", "bookingprovider @ dee7ee8"
)
DEMO_CREATED_NOT_FUTURE = RuleSource(
    "Provider Demonstrator AppointmentChecker.checkCreated", f"{_DEMO_CHECKER}#L536", "bookingprovider @ dee7ee8"
)

# --- The TKW assurance pack (nhsdigitalmait/FHIR_111_UEC): the pack's reading, not a published rule ---

TKW_TELECOM_RANKS = RuleSource(
    "TKW FHIR_111_UEC EB_BookAppointment (two rank-1 telecoms, or none: 400)",
    "https://github.com/nhsdigitalmait/FHIR_111_UEC/blob/3b319af582370634848915e4694817d9908d7b34"
    "/autotest_config/tstp/EB_BookAppointment.tstp#L34",
    "TKW FHIR_111_UEC @ 3b319af",
)
