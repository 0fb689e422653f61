"""A slot search written from the Booking 2.x page alone (NHS-Booking-API @ c71b417, search_slots.md).

"Servers must cater for parameters not being present"; "Additional query parameters MAY be used.
However, if these are not supported by the Server, they SHOULD be ignored"; an unsupported include is
left out "rather than an error"; start is "in the format yyyy-mm-ddThh:mm:ss+hh:mm", so anything else
is a 400 with an OperationOutcome. It knows one service, one schedule, a practitioner, a role, an
organisation, a location and four free 15-minute slots a day, and checks neither token nor headers.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.independent.servers import JsonHandler

BASE_PATH = "/STU3/1"
SERVICE = "100000000001"
FHIR_JSON = "application/fhir+json"
INSTANT = re.compile(r"^(ge|gt|le|lt)(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))$")
CC = "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-{}-1"
STATIC: dict[str, dict[str, Any]] = {
    "Schedule/sch1": {
        "resourceType": "Schedule",
        "id": "sch1",
        "actor": [{"reference": f"HealthcareService/{SERVICE}"}, {"reference": "Practitioner/pr1"}],
    },
    f"HealthcareService/{SERVICE}": {
        "resourceType": "HealthcareService",
        "id": SERVICE,
        "name": "Independent clinic",
        "providedBy": {"reference": "Organization/org1"},
        "location": [{"reference": "Location/loc1"}],
    },
    "Practitioner/pr1": {"resourceType": "Practitioner", "id": "pr1", "name": [{"family": "Grey"}]},
    "Organization/org1": {
        "resourceType": "Organization",
        "id": "org1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "X12345"}],
        "name": "Independent Trust",
    },
    "Location/loc1": {"resourceType": "Location", "id": "loc1", "name": "Independent site"},
}
# Which include follows which reference (both the seed names and the 2.x names).
INCLUDES = {
    "Slot:schedule": ("Slot", "schedule"),
    "Schedule:actor:HealthcareService": ("Schedule", "actor:HealthcareService"),
    "Schedule:actor:Practitioner": ("Schedule", "actor:Practitioner"),
    "HealthcareService.providedBy": ("HealthcareService", "providedBy"),
    "HealthcareService:Organization": ("HealthcareService", "providedBy"),
    "HealthcareService.location": ("HealthcareService", "location"),
    "HealthcareService:Location": ("HealthcareService", "location"),
}


def slots(day_from: datetime) -> list[dict[str, Any]]:
    first = (day_from + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    found = []
    for day in range(7):
        for index in range(4):
            start = first + timedelta(days=day, minutes=15 * index)
            found.append(
                {
                    "resourceType": "Slot",
                    "id": f"s{day}{index}",
                    "meta": {"profile": [CC.format("Slot")]},
                    "identifier": [{"system": "https://tools.ietf.org/html/rfc4122", "value": f"0000-{day}{index}"}],
                    "schedule": {"reference": "Schedule/sch1"},
                    "status": "free",
                    "start": start.isoformat(),
                    "end": (start + timedelta(minutes=15)).isoformat(),
                }
            )
    return found


def _references(resource: dict[str, Any], path: str) -> list[str]:
    element, _, kind = path.partition(":")
    values = resource.get(element)
    references = [v.get("reference", "") for v in (values if isinstance(values, list) else [values]) if v]
    return [r for r in references if not kind or r.startswith(kind + "/")]


class SlotSearch2x(JsonHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.removeprefix(BASE_PATH).strip("/") != "Slot":
            self.answer(404, outcome("not-found", "no such resource"), FHIR_JSON)
            return
        query = parse_qsl(parts.query)
        bounds = [value for name, value in query if name == "start"]
        parsed = [INSTANT.match(value) for value in bounds]
        if not all(parsed):
            self.answer(400, outcome("invalid", "start must be yyyy-mm-ddThh:mm:ss+hh:mm"), FHIR_JSON)
            return
        statuses = {s for name, value in query if name == "status" for s in value.split(",")} or {"free", "busy"}
        found = [slot for slot in slots(datetime.now(UTC)) if slot["status"] in statuses]
        for match in parsed:
            assert match is not None
            found = [slot for slot in found if within(match.group(1), match.group(2), slot["start"])]
        base = f"https://{self.headers.get('Host')}{BASE_PATH}"
        entries = [{"fullUrl": f"{base}/Slot/{s['id']}", "resource": s, "search": {"mode": "match"}} for s in found]
        included: dict[str, dict[str, Any]] = {}
        for name, value in query:
            if not name.startswith("_include") or value not in INCLUDES:
                continue  # unsupported parameters and includes are ignored
            source, path = INCLUDES[value]
            for resource in [*found, *included.values()]:
                if resource["resourceType"] == source:
                    for reference in _references(resource, path):
                        if reference in STATIC:
                            included[reference] = STATIC[reference]
        if found:
            entries += [
                {"fullUrl": f"{base}/{key}", "resource": resource, "search": {"mode": "include"}}
                for key, resource in included.items()
            ]
        bundle = {"resourceType": "Bundle", "type": "searchset", "total": len(found), "entry": entries}
        self.answer(200, bundle, FHIR_JSON)


def within(prefix: str, bound: str, start: str) -> bool:
    moment, begins = datetime.fromisoformat(bound), datetime.fromisoformat(start)
    return {"ge": begins >= moment, "gt": begins > moment, "le": begins <= moment, "lt": begins < moment}[prefix]


def outcome(code: str, text: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "id": "independent-error",
        "issue": [{"severity": "error", "code": code, "diagnostics": text}],
    }
