"""Test data modelled on the published Provider Demonstrator (digest A7).

Organisation A91545, services 918999198999 ("Service One") and 118111118111 ("Service Two"),
one schedule each, a practitioner and a role, and 15-minute free slots from 09:00 (UTC) tomorrow
for several weeks so that repeated runs always find free slots. A third service, 999999999998, has a
schedule but no slots at all: a search for it must answer an empty searchset (UEC er_overview), as
the TKW pack's "no slots" service (``__HCS_NO_SLOTS__``) does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

CC = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-{}-1"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
ORGANIZATION_ID = "A91545"
PRACTITIONER_ID = "ABCD123456"
ROLE_ID = "R0260"
SLOT_MINUTES = 15
SLOTS_PER_DAY = 32  # 09:00 to 17:00
SEED_DAYS = 28


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    location_id: str
    location_name: str
    schedule_id: str
    has_slots: bool = True


SERVICES = (
    Service("918999198999", "Service One", "loc1111", "Location One", "sched1111"),
    Service("118111118111", "Service Two", "loc2222", "Location Two", "sched2222"),
    Service("999999999998", "Service Three (no slots)", "loc3333", "Location Three", "sched3333", has_slots=False),
)
SERVICE_WITHOUT_SLOTS = SERVICES[2].id


@dataclass(frozen=True)
class SlotRow:
    id: str
    schedule_id: str
    service_id: str
    start: datetime
    end: datetime
    identifier: str


def _profiled(resource_type: str, resource_id: str, **body: Any) -> dict[str, Any]:
    return {
        "resourceType": resource_type,
        "id": resource_id,
        "meta": {"profile": [CC.format(resource_type)]},
        **body,
    }


def static_resources() -> list[dict[str, Any]]:
    """Everything but the slots: organisation, services, locations, schedules, practitioner, role."""
    resources = [
        _profiled(
            "Organization",
            ORGANIZATION_ID,
            identifier=[{"system": ODS_SYSTEM, "value": ORGANIZATION_ID}],
            name="Demonstrator Provider Organisation",
        ),
        _profiled(
            "Practitioner",
            PRACTITIONER_ID,
            identifier=[
                {"system": "https://fhir.nhs.uk/Id/sds-user-id", "value": PRACTITIONER_ID},
                {"system": "https://fhir.nhs.uk/Id/sds-role-profile-id", "value": ROLE_ID},
            ],
            name=[{"family": "Webber", "given": ["Libbie"], "prefix": ["Dr"]}],
        ),
        _profiled(
            "PractitionerRole",
            ROLE_ID,
            practitioner={"reference": f"Practitioner/{PRACTITIONER_ID}"},
            organization={"reference": f"Organization/{ORGANIZATION_ID}"},
            code=[
                {
                    "coding": [
                        {
                            "system": "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1",
                            "code": ROLE_ID,
                            "display": "General Medical Practitioner",
                        }
                    ]
                }
            ],
        ),
    ]
    for service in SERVICES:
        resources += [
            _profiled("Location", service.location_id, name=service.location_name),
            _profiled(
                "HealthcareService",
                service.id,
                identifier=[{"system": "https://fhir.nhs.uk/Id/dos-service-id", "value": service.id}],
                providedBy={"reference": f"Organization/{ORGANIZATION_ID}"},
                location=[{"reference": f"Location/{service.location_id}"}],
                name=service.name,
            ),
            _profiled(
                "Schedule",
                service.schedule_id,
                actor=[
                    {"reference": f"HealthcareService/{service.id}"},
                    {"reference": f"Practitioner/{PRACTITIONER_ID}"},
                    {"reference": f"PractitionerRole/{ROLE_ID}"},
                ],
            ),
        ]
    return resources


def slot_rows(today: date, days: int = SEED_DAYS) -> Iterator[SlotRow]:
    """Free slots from 09:00 tomorrow, every 15 minutes to 17:00, for ``days`` days."""
    for day_offset in range(1, days + 1):
        day = today + timedelta(days=day_offset)
        first = datetime.combine(day, time(9, 0), tzinfo=UTC)
        for index in range(SLOTS_PER_DAY):
            start = first + timedelta(minutes=SLOT_MINUTES * index)
            for service in (service for service in SERVICES if service.has_slots):
                yield SlotRow(
                    id=f"{service.schedule_id}-{start:%Y%m%d%H%M}",
                    schedule_id=service.schedule_id,
                    service_id=service.id,
                    start=start,
                    end=start + timedelta(minutes=SLOT_MINUTES),
                    identifier=str(uuid.uuid5(uuid.NAMESPACE_URL, f"slot:{service.id}:{start.isoformat()}")),
                )


def fhir_instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def slot_json(slot_id: str, schedule_id: str, status: str, identifier: str, start: str, end: str) -> dict[str, Any]:
    return _profiled(
        "Slot",
        slot_id,
        identifier=[{"system": "https://tools.ietf.org/html/rfc4122", "value": identifier}],
        schedule={"reference": f"Schedule/{schedule_id}"},
        status=status,
        start=start,
        end=end,
    )
