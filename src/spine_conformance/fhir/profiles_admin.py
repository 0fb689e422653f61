"""CareConnect rules for the "who and what" resources: Organization, Practitioner, PractitionerRole,
Patient, DocumentReference, and the UEC rules for the minimal JWT Device (see :mod:`.profiles` for
conventions: each rule's severity and source are in :data:`ADMIN_RULES`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from nhs_number.validate import is_valid as _nhs_checksum_ok

from .outcome import Issue
from .profiles_common import (
    NHS_NUMBER_SYSTEM,
    ODS_ORGANIZATION_SYSTEM,
    RFC4122_SYSTEM,
    SDS_USER_SYSTEM,
    ProfileRule,
    child,
    find_identifier,
    identifiers_complete,
    items,
    present,
    require_elements,
    sanity_note,
    text,
    violation,
)
from .rule_sources import (
    BK_DOCUMENT_CONTENT,
    BK_DOCUMENT_IDENTIFIER,
    BK_DOCUMENT_LANGUAGE,
    BK_DOCUMENT_STATUS,
    BK_DOCUMENT_TYPE,
    BK_PATIENT_IDENTIFIER,
    CC_DOCUMENT_REFERENCE,
    CC_NHS_NUMBER_VERIFICATION,
    CC_ORGANIZATION,
    CC_PATIENT,
    CC_PRACTITIONER,
    CC_PRACTITIONER_ROLE,
    FHIR_ORGANIZATION_ORG_1,
    UEC_INVALID_NHS_NUMBER,
    UEC_REQUESTING_DEVICE,
    advisory_rule,
    error_rule,
)

VERIFICATION_STATUS_URL = (
    "https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-NHSNumberVerificationStatus-1"
)
VERIFICATION_STATUS_SYSTEM = "https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1"
VERIFICATION_STATUS_CODES = frozenset(f"0{n}" for n in range(1, 9))
# The Booking page codes the document type from this OID; CareConnect-DocumentReference-1 fixes
# type.coding.system to SNOMED CT. The sources conflict, so either is accepted (see document_type).
DOCUMENT_TYPE_SYSTEM = "urn:oid:2.16.840.1.113883.2.1.3.2.4.18.17"
SNOMED_SYSTEM = "http://snomed.info/sct"
DOCUMENT_TYPE_SYSTEMS = frozenset({DOCUMENT_TYPE_SYSTEM, SNOMED_SYSTEM})
# The Booking page states `en`; en-GB names the same language, so it is accepted without comment.
DOCUMENT_LANGUAGES = frozenset({"en", "en-GB"})
# type "/" subtype, each an RFC 6838 restricted name, then any parameters ("A valid mime type").
_MIME_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;.*)?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NHS_NUMBER_SHAPE = re.compile(r"^\d{10}$")


def is_nhs_number(value: str) -> bool:
    """Ten digits with a valid modulus-11 check digit."""
    return bool(_NHS_NUMBER_SHAPE.match(value)) and bool(_nhs_checksum_ok(value))


def _slice_value(resource: Mapping[str, Any], base: str, profile: str, system: str) -> list[Issue]:
    """An identifier of a sliced ``system`` that is present has a value (the slice's value is 1..1)."""
    found = find_identifier(resource, system)
    if found is None or text(found[1].get("value")):
        return []
    index = found[0]
    return [
        violation(f"{base}.identifier[{index}].value", f"{profile}: the {system} identifier has no value", "required")
    ]


def _missing_identifier(resource: Mapping[str, Any], base: str, profile: str, system: str) -> list[Issue]:
    if find_identifier(resource, system) is not None:
        return []
    message = f"{profile}: no identifier with system {system} ({sanity_note(profile)}, where the slice is 0..1)"
    return [violation(f"{base}.identifier", message, "required")]


# --- Organization, Practitioner, PractitionerRole --------------------------------------------------

_ORGANIZATION = "CareConnect-Organization-1"
_PRACTITIONER = "CareConnect-Practitioner-1"
_ROLE = "CareConnect-PractitionerRole-1"


def organization_name_or_identifier(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """org-1: "The organization SHALL at least have a name or an id" (identifier.count() + name.count() > 0)."""
    if present(resource.get("identifier")) or present(resource.get("name")):
        return []
    return [violation(base, "org-1: the organization must have at least a name or an identifier", "invariant")]


def organization_ods_value(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return _slice_value(resource, base, _ORGANIZATION, ODS_ORGANIZATION_SYSTEM)


def organization_ods_and_name(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """UEC requires an ODS code and a name only of the JWT's requesting_organization; the profile
    has identifier:odsOrganisationCode 0..1 and name 0..1."""
    issues = _missing_identifier(resource, base, _ORGANIZATION, ODS_ORGANIZATION_SYSTEM)
    if not text(resource.get("name")):
        issues.append(
            violation(f"{base}.name", f"{_ORGANIZATION}: name is missing ({sanity_note(_ORGANIZATION)})", "required")
        )
    return issues


def practitioner_sds_value(resource: Mapping[str, Any], base: str) -> list[Issue]:
    return _slice_value(resource, base, _PRACTITIONER, SDS_USER_SYSTEM)


def practitioner_sds_and_family(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """UEC requires these only of the JWT's requesting_practitioner; the profile has
    identifier:sdsUserID 0..1, name 0..* and name.family 0..1."""
    issues = _missing_identifier(resource, base, _PRACTITIONER, SDS_USER_SYSTEM)
    if not any(text(name.get("family")) for _, name in items(resource, "name")):
        note = sanity_note(_PRACTITIONER)
        issues.append(violation(f"{base}.name", f"{_PRACTITIONER}: no name with a family name ({note})", "required"))
    return issues


def practitioner_role_identifiers(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """identifier.system and identifier.value are 1..1 in PractitionerRole 1.1.0."""
    return identifiers_complete(resource, base, _ROLE)


def practitioner_role_subject(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """STU3 PractitionerRole has no invariant tying code, practitioner and organization (all optional)."""
    if any(present(resource.get(key)) for key in ("code", "practitioner", "organization")):
        return []
    return [violation(base, f"{_ROLE}: none of code, practitioner or organization ({sanity_note(_ROLE)})", "required")]


# --- Device: the JWT requesting_device claim ------------------------------------------------------

_REQUESTING_DEVICE = "UEC requesting_device"


def requesting_device(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """What UEC makes the consumer populate in the JWT's minimal Device (no CareConnect Device
    profile exists; the page says the Device conforms to the base STU3 resource)."""
    issues: list[Issue] = []
    if not items(resource, "identifier"):
        issues.append(violation(f"{base}.identifier", f"{_REQUESTING_DEVICE}: an identifier is required", "required"))
    issues.extend(identifiers_complete(resource, base, _REQUESTING_DEVICE))
    return issues + require_elements(resource, base, _REQUESTING_DEVICE, "model", "version")


# --- Patient ---------------------------------------------------------------------------------------

_PATIENT = "CareConnect-Patient-1"


def _nhs_identifier(resource: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]] | None:
    return find_identifier(resource, NHS_NUMBER_SYSTEM)


def patient_nhs_number(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The Booking page's Patient MUST carry the NHS number (the profile's nhsNumber slice is 0..1)."""
    if _nhs_identifier(resource) is not None:
        return []
    message = f"NHS Booking API Patient: an identifier with system {NHS_NUMBER_SYSTEM} is required"
    return [violation(f"{base}.identifier", message, "required")]


def patient_nhs_number_valid(resource: Mapping[str, Any], base: str) -> list[Issue]:
    found = _nhs_identifier(resource)
    if found is None:
        return []
    index, identifier = found
    value = text(identifier.get("value"))
    if is_nhs_number(value):
        return []
    return [
        violation(
            f"{base}.identifier[{index}].value",
            f"{_PATIENT}: {value or '(empty)'!r} is not a valid NHS number",
            "value",
        )
    ]


def patient_verification_status(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """identifier:nhsNumber.extension:nhsNumberVerificationStatus is 1..1 in CareConnect-Patient-1."""
    found = _nhs_identifier(resource)
    if found is None or _verification_extension(found[1]) is not None:
        return []
    where = f"{base}.identifier[{found[0]}].extension"
    return [violation(where, f"{_PATIENT}: the NHS number has no verification status extension (1..1)", "required")]


def patient_verification_coding(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The extension's valueCodeableConcept has a required binding to the 01..08 CodeSystem."""
    found = _nhs_identifier(resource)
    extension = _verification_extension(found[1]) if found is not None else None
    if found is None or extension is None:
        return []
    index, value = extension
    codings = items(child(value, "valueCodeableConcept"), "coding")
    if any(
        coding.get("system") == VERIFICATION_STATUS_SYSTEM and coding.get("code") in VERIFICATION_STATUS_CODES
        for _, coding in codings
    ):
        return []
    where = f"{base}.identifier[{found[0]}].extension[{index}].valueCodeableConcept"
    message = (
        f"{_PATIENT}: NHS number verification status must be coded from {VERIFICATION_STATUS_SYSTEM} with a code 01..08"
    )
    return [violation(where, message, "code-invalid")]


def _verification_extension(identifier: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]] | None:
    for index, extension in items(identifier, "extension"):
        if extension.get("url") == VERIFICATION_STATUS_URL:
            return index, extension
    return None


def patient_official_name(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """name:official is 1..1 (use fixed to official) and its family is 1..1."""
    official = [(index, name) for index, name in items(resource, "name") if name.get("use") == "official"]
    if len(official) != 1:
        found = f"found {len(official)}" if official else "none has use 'official'"
        return [violation(f"{base}.name", f"{_PATIENT}: exactly one official name is required ({found})", "required")]
    index, name = official[0]
    if text(name.get("family")):
        return []
    return [violation(f"{base}.name[{index}].family", f"{_PATIENT}: the official name has no family name", "required")]


def patient_birth_date(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """birthDate is 0..1 in the profile; the Booking page requires it of the Patient contained in a
    booking, which :func:`~.booking.booking_problems` checks as an error."""
    if text(resource.get("birthDate")):
        return []
    message = f"{_PATIENT}: birthDate is missing ({sanity_note(_PATIENT)}; a booking's Patient must have one)"
    return [violation(f"{base}.birthDate", message, "required")]


# --- DocumentReference -----------------------------------------------------------------------------

_DOCREF = "CareConnect-DocumentReference-1"
_BK_DOCREF = "NHS Booking API DocumentReference"


def document_identifier(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """An rfc4122 identifier whose value is the CDA document's UUID."""
    found = find_identifier(resource, RFC4122_SYSTEM)
    if found is None:
        message = f"{_BK_DOCREF}: an identifier with system {RFC4122_SYSTEM} is required"
        return [violation(f"{base}.identifier", message, "required")]
    index, identifier = found
    value = text(identifier.get("value"))
    if _UUID.match(value):
        return []
    return [
        violation(f"{base}.identifier[{index}].value", f"{_BK_DOCREF}: {value or '(empty)'!r} is not a UUID", "value")
    ]


def document_status(resource: Mapping[str, Any], base: str) -> list[Issue]:
    if resource.get("status") == "current":
        return []
    return [violation(f"{base}.status", f"{_BK_DOCREF}: status must be 'current'", "value")]


def document_type(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """Coded from the Booking page's OID or from SNOMED CT (the profile's fixed system)."""
    codings = items(child(resource, "type"), "coding")
    if any(coding.get("system") in DOCUMENT_TYPE_SYSTEMS and text(coding.get("code")) for _, coding in codings):
        return []
    message = (
        f"type is coded from neither {DOCUMENT_TYPE_SYSTEM} (the Booking page) nor {SNOMED_SYSTEM} "
        f"({_DOCREF} fixes it): the sources conflict, so this is advisory"
    )
    return [violation(f"{base}.type", message, "code-invalid")]


def document_content(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """content is 1..* (core); each attachment has the contentType the Booking page requires: "A valid mime type"."""
    contents = items(resource, "content")
    if not contents:
        return [violation(f"{base}.content", f"{_DOCREF}: content is required", "required")]
    issues = []
    for index, content in contents:
        where = f"{base}.content[{index}].attachment.contentType"
        content_type = text(child(content, "attachment").get("contentType"))
        if not content_type:
            issues.append(violation(where, f"{_BK_DOCREF}: attachment.contentType is required", "required"))
        elif not _MIME_TYPE.match(content_type):
            issues.append(violation(where, f"{_BK_DOCREF}: {content_type!r} is not a mime type", "value"))
    return issues


def document_language(resource: Mapping[str, Any], base: str) -> list[Issue]:
    """The Booking page states `en`; the profile's binding is extensible, so another language is advisory."""
    issues: list[Issue] = []
    for index, content in items(resource, "content"):
        language = child(content, "attachment").get("language")
        if language is not None and language not in DOCUMENT_LANGUAGES:
            message = f"{_BK_DOCREF}: attachment language {language!r} is not en (nor en-GB)"
            issues.append(violation(f"{base}.content[{index}].attachment.language", message, "value"))
    return issues


ADMIN_RULES: dict[str, tuple[ProfileRule, ...]] = {
    "Organization": (
        error_rule(organization_name_or_identifier, FHIR_ORGANIZATION_ORG_1, CC_ORGANIZATION),
        error_rule(organization_ods_value, CC_ORGANIZATION),
        advisory_rule(organization_ods_and_name, CC_ORGANIZATION),
    ),
    "Practitioner": (
        error_rule(practitioner_sds_value, CC_PRACTITIONER),
        advisory_rule(practitioner_sds_and_family, CC_PRACTITIONER),
    ),
    "PractitionerRole": (
        error_rule(practitioner_role_identifiers, CC_PRACTITIONER_ROLE),
        advisory_rule(practitioner_role_subject, CC_PRACTITIONER_ROLE),
    ),
    "Device": (error_rule(requesting_device, UEC_REQUESTING_DEVICE),),
    "Patient": (
        # The seed pages make the NHS number mandatory; the 2.x pages make it optional (identifier(nhsNumber) 0..1).
        error_rule(patient_nhs_number, BK_PATIENT_IDENTIFIER, editions=("1",)),
        error_rule(patient_nhs_number_valid, UEC_INVALID_NHS_NUMBER),
        error_rule(patient_verification_status, CC_PATIENT),
        error_rule(patient_verification_coding, CC_NHS_NUMBER_VERIFICATION),
        error_rule(patient_official_name, CC_PATIENT),
        advisory_rule(patient_birth_date, CC_PATIENT),
    ),
    "DocumentReference": (
        error_rule(document_identifier, BK_DOCUMENT_IDENTIFIER),
        error_rule(document_status, BK_DOCUMENT_STATUS),
        advisory_rule(document_type, BK_DOCUMENT_TYPE, CC_DOCUMENT_REFERENCE),
        error_rule(document_content, BK_DOCUMENT_CONTENT),
        advisory_rule(document_language, BK_DOCUMENT_LANGUAGE),
    ),
}
