"""FHIR STU3 support: the built-in validator, Spine OperationOutcomes and booking request rules."""

from typing import TYPE_CHECKING, Any

from .booking import booking_problems, cancel_problems, patient_nhs_number, slot_reference_id
from .outcome import (
    ACCESS_DENIED,
    BAD_REQUEST,
    DUPLICATE_REJECTED,
    FHIR_CONSTRAINT_VIOLATION,
    FHIR_JSON,
    INTERNAL_SERVER_ERROR,
    INVALID_NHS_NUMBER,
    INVALID_PARAMETER,
    INVALID_REQUEST_MESSAGE,
    INVALID_RESOURCE,
    ISSUE_SEVERITIES,
    ISSUE_TYPES,
    MESSAGE_NOT_WELL_FORMED,
    MISSING_OR_INVALID_HEADER,
    NO_RECORD_FOUND,
    NOT_IMPLEMENTED,
    REFERENCE_NOT_FOUND,
    SLOT_NO_LONGER_AVAILABLE,
    SPINE_CODE_DISPLAY,
    SPINE_ERROR_SYSTEM,
    SPINE_OUTCOME_PROFILE,
    UNSUPPORTED_MEDIA_TYPE,
    Issue,
    issue_code_for_status,
    operation_outcome,
    outcome_problems,
    spine_error,
)
from .profiles import PROFILE_RULES, profile_issues
from .profiles_common import careconnect_profile

if TYPE_CHECKING:
    from .validator import BOOKING_RESOURCE_TYPES, ValidationResult, preload_models, validate_resource

# The validator imports fhir.resources (pydantic models, the slowest import in the package). It is
# loaded on first use, so light users of this package (the reference consumer, which is spawned
# once per action) do not pay for it.
_LAZY_VALIDATOR_NAMES = frozenset({"BOOKING_RESOURCE_TYPES", "ValidationResult", "preload_models", "validate_resource"})


def __getattr__(name: str) -> Any:
    if name in _LAZY_VALIDATOR_NAMES:
        from . import validator

        return getattr(validator, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACCESS_DENIED",
    "BAD_REQUEST",
    "BOOKING_RESOURCE_TYPES",
    "DUPLICATE_REJECTED",
    "FHIR_CONSTRAINT_VIOLATION",
    "FHIR_JSON",
    "INTERNAL_SERVER_ERROR",
    "INVALID_NHS_NUMBER",
    "INVALID_PARAMETER",
    "INVALID_REQUEST_MESSAGE",
    "INVALID_RESOURCE",
    "ISSUE_SEVERITIES",
    "ISSUE_TYPES",
    "MESSAGE_NOT_WELL_FORMED",
    "MISSING_OR_INVALID_HEADER",
    "NOT_IMPLEMENTED",
    "NO_RECORD_FOUND",
    "PROFILE_RULES",
    "REFERENCE_NOT_FOUND",
    "SLOT_NO_LONGER_AVAILABLE",
    "SPINE_CODE_DISPLAY",
    "SPINE_ERROR_SYSTEM",
    "SPINE_OUTCOME_PROFILE",
    "UNSUPPORTED_MEDIA_TYPE",
    "Issue",
    "ValidationResult",
    "booking_problems",
    "cancel_problems",
    "careconnect_profile",
    "issue_code_for_status",
    "operation_outcome",
    "outcome_problems",
    "patient_nhs_number",
    "preload_models",
    "profile_issues",
    "slot_reference_id",
    "spine_error",
    "validate_resource",
]
