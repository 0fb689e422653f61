"""CareConnect rules for the "who and what" resources: Organization, Practitioner, PractitionerRole,
Patient, DocumentReference and the minimal JWT Device (see :mod:`.profiles` for conventions)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from nhs_number.validate import is_valid as _nhs_checksum_ok

from .outcome import Issue
from .profiles_common import (
    NHS_NUMBER_SYSTEM,
    ODS_ORGANIZATION_SYSTEM,
    RFC4122_SYSTEM,
    SDS_USER_SYSTEM,
    child,
    error,
    find_identifier,
    identifiers_complete,
    items,
    present,
    require_elements,
    text,
    warning,
)

VERIFICATION_STATUS_URL = (
    "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1"
)
VERIFICATION_STATUS_SYSTEM = "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1"
VERIFICATION_STATUS_CODES = frozenset(f"0{n}" for n in range(1, 9))
DOCUMENT_TYPE_SYSTEM = "urn:oid:2.16.840.1.113883.2.1.3.2.4.18.17"
DOCUMENT_LANGUAGES = frozenset({"en", "en-GB"})
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NHS_NUMBER_SHAPE = re.compile(r"^\d{10}$")


def is_nhs_number(value: str) -> bool:
    """Ten digits with a valid modulus-11 check digit."""
    return bool(_NHS_NUMBER_SHAPE.match(value)) and bool(_nhs_checksum_ok(value))


def _identifier_with_system(resource: Mapping[str, Any], base: str, profile: str, system: str) -> list[Issue]:
    """An identifier with ``system`` and a non-empty value."""
    found = find_identifier(resource, system)
    if found is None:
        return [error(f"{base}.identifier", f"{profile}: an identifier with system {system} is required", "required")]
    index, identifier = found
    if text(identifier.get("value")):
        return []
    return [
        error(
            f"{base}.identifier[{index}].value",
            f"{profile}: the {system} identifier has no value",
            "required",
        )
    ]


def _name_with_family(resource: Mapping[str, Any], base: str, profile: str) -> list[Issue]:
    names = items(resource, "name")
    if any(text(name.get("family")) for _, name in names):
        return []
    return [error(f"{base}.name", f"{profile}: a name with family is required", "required")]


# --- Organization, Practitioner, PractitionerRole, Device ------------------------------------------


def organization_rules(resource: Mapping[str, Any], base: str) -> list[Issue]:
    profile = "CareConnect-Organization-1"
    issues = _identifier_with_system(resource, base, profile, ODS_ORGANIZATION_SYSTEM)
    return issues + require_elements(resource, base, profile, "name")


def practitioner_rules(resource: Mapping[str, Any], base: str) -> list[Issue]:
    profile = "CareConnect-Practitioner-1"
    issues = _identifier_with_system(resource, base, profile, SDS_USER_SYSTEM)
    return issues + _name_with_family(resource, base, profile)


def practitioner_role_rules(resource: Mapping[str, Any], base: str) -> list[Issue]:
    profile = "CareConnect-PractitionerRole-1"
    issues = identifiers_complete(resource, base, profile)
    if not any(present(resource.get(key)) for key in ("code", "practitioner", "organization")):
        issues.insert(0, error(base, f"{profile}: one of code, practitioner or organization is required", "required"))
    return issues


def device_rules(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The minimal Device of the JWT ``requesting_device`` claim."""
    profile = "CareConnect-Device-1"
    issues: list[Issue] = []
    if not items(resource, "identifier"):
        issues.append(error(f"{base}.identifier", f"{profile}: an identifier is required", "required"))
    issues.extend(identifiers_complete(resource, base, profile))
    return issues + require_elements(resource, base, profile, "model", "version")


# --- Patient ---------------------------------------------------------------------------------------

_PATIENT = "CareConnect-Patient-1"


def patient_nhs_number(resource: Mapping[str, Any], base: str) -> list[Issue]:
    found = find_identifier(resource, NHS_NUMBER_SYSTEM)
    if found is None:
        where, message = f"{base}.identifier", f"an identifier with system {NHS_NUMBER_SYSTEM} is required"
        return [error(where, f"{_PATIENT}: {message}", "required")]
    index, identifier = found
    issues: list[Issue] = []
    value = text(identifier.get("value"))
    if not is_nhs_number(value):
        where = f"{base}.identifier[{index}].value"
        issues.append(error(where, f"{_PATIENT}: {value or '(empty)'!r} is not a valid NHS number", "value"))
    return issues + _verification_status(identifier, f"{base}.identifier[{index}]")


def _verification_status(identifier: Mapping[str, Any], where: str) -> list[Issue]:
    """The NHS-number verification-status extension: warn if absent, error if wrongly coded."""
    for index, extension in items(identifier, "extension"):
        if extension.get("url") == VERIFICATION_STATUS_URL:
            codings = items(child(extension, "valueCodeableConcept"), "coding")
            if any(
                coding.get("system") == VERIFICATION_STATUS_SYSTEM and coding.get("code") in VERIFICATION_STATUS_CODES
                for _, coding in codings
            ):
                return []
            return [
                error(
                    f"{where}.extension[{index}].valueCodeableConcept",
                    f"{_PATIENT}: NHS number verification status must be coded from "
                    f"{VERIFICATION_STATUS_SYSTEM} with a code 01..08",
                    "code-invalid",
                )
            ]
    return [warning(f"{where}.extension", f"{_PATIENT}: no NHS number verification status extension", "required")]


def patient_demographics(resource: Mapping[str, Any], base: str) -> list[Issue]:
    issues = _name_with_family(resource, base, _PATIENT)
    if not text(resource.get("birthDate")):
        issues.append(warning(f"{base}.birthDate", f"{_PATIENT}: birthDate is missing", "required"))
    return issues


# --- DocumentReference -----------------------------------------------------------------------------

_DOCREF = "CareConnect-DocumentReference-1"


def document_identifier(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """An rfc4122 identifier whose value is the CDA document's UUID."""
    found = find_identifier(resource, RFC4122_SYSTEM)
    if found is None:
        return [
            error(
                f"{base}.identifier",
                f"{_DOCREF}: an identifier with system {RFC4122_SYSTEM} is required",
                "required",
            )
        ]
    index, identifier = found
    value = text(identifier.get("value"))
    if _UUID.match(value):
        return []
    return [error(f"{base}.identifier[{index}].value", f"{_DOCREF}: {value or '(empty)'!r} is not a UUID", "value")]


def document_status_and_type(resource: Mapping[str, Any], base: str) -> list[Issue]:
    issues: list[Issue] = []
    if resource.get("status") != "current":
        issues.append(error(f"{base}.status", f"{_DOCREF}: status must be 'current'", "value"))
    codings = items(child(resource, "type"), "coding")
    if not any(coding.get("system") == DOCUMENT_TYPE_SYSTEM and text(coding.get("code")) for _, coding in codings):
        issues.append(
            error(f"{base}.type", f"{_DOCREF}: type must be coded from {DOCUMENT_TYPE_SYSTEM}", "code-invalid")
        )
    return issues


def document_content(resource: Mapping[str, Any], base: str) -> list[Issue]:
    contents = items(resource, "content")
    if not contents:
        return [error(f"{base}.content", f"{_DOCREF}: content is required", "required")]
    issues: list[Issue] = []
    for index, content in contents:
        where, attachment = f"{base}.content[{index}].attachment", child(content, "attachment")
        if not text(attachment.get("contentType")):
            issues.append(error(f"{where}.contentType", f"{_DOCREF}: attachment.contentType is required", "required"))
        language = attachment.get("language")
        if language is not None and language not in DOCUMENT_LANGUAGES:
            issues.append(
                error(
                    f"{where}.language",
                    f"{_DOCREF}: attachment language {language!r} is not en or en-GB",
                    "value",
                )
            )
    return issues


ADMIN_RULES: dict[str, tuple[Callable[[Mapping[str, Any], str], list[Issue]], ...]] = {
    "Organization": (organization_rules,),
    "Practitioner": (practitioner_rules,),
    "PractitionerRole": (practitioner_role_rules,),
    "Device": (device_rules,),
    "Patient": (patient_nhs_number, patient_demographics),
    "DocumentReference": (document_identifier, document_status_and_type, document_content),
}
