"""Per-key value rules for the target configuration.

Each rule takes an already type-checked value and returns a problem description, or None when
the value is acceptable. Descriptions never quote the value: the loader adds it afterwards unless
the key holds a secret, so a secret cannot leak through a rule's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# nhs_number.is_valid, imported from its module: the package root does not re-export it for mypy.
from nhs_number.validate import is_valid as nhs_number_is_valid

from spine_conformance.interactions import ALTERNATIVE_SLOT_INTERACTION, DEFAULT_SLOT_INTERACTION
from spine_conformance.virtual.states import STATES, unknown_states

Rule = Callable[[Any], str | None]

# [0-9] rather than \d: \d also accepts non-ASCII digits, which no NHS system would.
_ASID = re.compile(r"[0-9]{12}")
_ODS_CODE = re.compile(r"[A-Z0-9]{3,8}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NHS_NUMBER = re.compile(r"[0-9]{10}")
# Shape only (outward code, optional single space, inward code); not a check against the PAF.
_POSTCODE = re.compile(r"(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})", re.IGNORECASE)
# Shape only: the check character's validity is verified elsewhere.
_PRESCRIPTION_ID = re.compile(r"[0-9A-F]{6}-[0-9A-Z]{6}-[0-9A-F]{5}[0-9A-Z+]")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,79}")

CERTIFICATE_MARKER = "-----BEGIN CERTIFICATE-----"
PRIVATE_KEY_MARKER = "PRIVATE KEY-----"
# Keys holding file paths: resolved against the configuration file's folder before checking.
PATH_KEYS = (
    "tls.ca_bundle",
    "tls.client_cert",
    "tls.client_key",
    "tls.expired_client_cert",
    "tls.expired_client_key",
)


def non_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def url(*, optional: bool) -> Rule:
    """An absolute http(s) service root; "" means "not configured" when ``optional``."""

    def check(value: str) -> str | None:
        if not value:
            return None if optional else "must not be empty"
        if any(char.isspace() for char in value):
            return "must not contain whitespace"
        try:
            parts = urlsplit(value)
            _ = parts.port  # raises ValueError for a non-numeric or out-of-range port
        except ValueError:
            return "is not a valid URL"
        if parts.scheme not in ("http", "https"):
            return "must be an absolute http:// or https:// URL"
        if not parts.hostname:
            return "must include a host name"
        # Checked on the raw text: urlsplit drops an empty "?" or "#".
        if "?" in value or "#" in value:
            return "must not have a query string or fragment"
        return None

    return check


def asid(*, optional: bool) -> Rule:
    def check(value: str) -> str | None:
        if not value:
            return None if optional else "must not be empty (it is a 12-digit ASID)"
        return None if _ASID.fullmatch(value) else "must be exactly 12 digits"

    return check


def pattern(regex: re.Pattern[str], description: str, *, optional: bool = False) -> Rule:
    def check(value: str) -> str | None:
        if not value and optional:
            return None
        return None if regex.fullmatch(value) else f"must be {description}"

    return check


def one_of(*choices: str | int) -> Rule:
    listed = ", ".join(str(choice) for choice in choices)

    def check(value: str | int) -> str | None:
        return None if value in choices else f"must be one of {listed}"

    return check


def int_range(low: int, high: int) -> Rule:
    def check(value: int) -> str | None:
        return None if low <= value <= high else f"must be between {low} and {high}"

    return check


def names(*, allow_empty_list: bool) -> Rule:
    """A list of name parts (given names, prefixes): no blank entries."""

    def check(value: tuple[str, ...]) -> str | None:
        if not value and not allow_empty_list:
            return "must list at least one name"
        if any(not part.strip() for part in value):
            return "must not contain empty names"
        return None

    return check


def one_line(value: str) -> str | None:
    """Text printed as one line of the evidence pack: no control characters, a sensible length."""
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return "must be one line of text (no control characters)"
    return "must be 200 characters or fewer" if len(value) > 200 else None


def timeout(value: float) -> str | None:
    # "not (0 < value <= 600)" also rejects NaN.
    return None if 0 < value <= 600 else "must be a number of seconds greater than 0 and at most 600"


def regex(value: str) -> str | None:
    try:
        re.compile(value)
    except re.error as error:
        return f"is not a regular expression ({error})"
    return None


# Assurance packs whose own rules the catalogue can apply on top of the published specifications.
ASSURANCE_PROFILES = ("gp-connect", "tkw")


def profiles(value: tuple[str, ...]) -> str | None:
    unknown = [name for name in value if name not in ASSURANCE_PROFILES]
    if unknown:
        return f"names unknown profile(s) {', '.join(unknown)} (known: {', '.join(ASSURANCE_PROFILES)})"
    return "must not name a profile twice" if len(set(value)) != len(value) else None


def consumer_states(value: tuple[str, ...]) -> str | None:
    unknown = unknown_states(value)
    if unknown:
        return f"names unknown state(s) {', '.join(unknown)} (known: {', '.join(STATES)})"
    return "must not name a state twice" if len(set(value)) != len(value) else None


def share(value: float) -> str | None:
    # "not (0 <= value <= 1)" also rejects NaN.
    return None if 0 <= value <= 1 else "must be a share between 0 and 1"


def float_range(low: float, high: float) -> Rule:
    def check(value: float) -> str | None:
        return None if low <= value <= high else f"must be between {low:g} and {high:g}"

    return check


def positive(value: int) -> str | None:
    return None if value > 0 else "must be greater than 0"


def nhs_number_rule(value: str) -> str | None:
    if not _NHS_NUMBER.fullmatch(value):
        return "must be 10 digits (spaces allowed)"
    return None if nhs_number_is_valid(value) else "has an invalid check digit (Modulus 11)"


def birth_date(value: str) -> str | None:
    if not _ISO_DATE.fullmatch(value):
        return "must be a date in the form YYYY-MM-DD"
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return "is not a real calendar date"
    return "must not be in the future" if parsed > date.today() else None


def pem_file(marker: str, what: str) -> Rule:
    """A readable PEM file containing ``marker``; "" means "not configured"."""

    def check(value: str) -> str | None:
        if not value:
            return None
        try:
            data = Path(value).read_bytes()
        except FileNotFoundError:
            return "file not found"
        except IsADirectoryError:
            return "is a folder, not a file"
        except PermissionError:
            return "file cannot be read (permission denied)"
        except OSError as error:
            return f"file cannot be read ({error.strerror or type(error).__name__})"
        return None if marker.encode("ascii") in data else f"does not contain {what} ('{marker}')"

    return check


FIELD_RULES: dict[str, Rule] = {
    "name": non_empty,
    "assurance.system": one_line,
    "assurance.system_version": one_line,
    "assurance.tester": one_line,
    "assurance.environment": one_line,
    "assurance.run_id": pattern(_RUN_ID, "letters, digits, '.', '_', ':' or '-' (up to 80)", optional=True),
    "provider.base_url": url(optional=True),
    "provider.asid": asid(optional=True),
    "provider.ssp_url": url(optional=True),
    "provider.healthcare_service": pattern(_ALPHANUMERIC, "letters and digits only", optional=True),
    "provider.slot_window_days": int_range(1, 60),
    "provider.service_without_free_slots": pattern(_ALPHANUMERIC, "letters and digits only", optional=True),
    "consumer.asid": asid(optional=False),
    "consumer.ods_code": pattern(_ODS_CODE, "3 to 8 uppercase letters or digits (an ODS code)"),
    "consumer.endpoint_url": url(optional=False),
    "consumer.sds_user_id": non_empty,
    "consumer.sds_role_profile_id": non_empty,
    "consumer.practitioner_family": non_empty,
    "consumer.practitioner_given": names(allow_empty_list=False),
    "consumer.practitioner_prefix": names(allow_empty_list=True),
    "consumer.organization_name": non_empty,
    "consumer.device_model": non_empty,
    "consumer.device_version": non_empty,
    "patient.nhs_number": nhs_number_rule,
    "patient.family": non_empty,
    "patient.given": names(allow_empty_list=False),
    "patient.birth_date": birth_date,
    "patient.postcode": pattern(_POSTCODE, "a UK postcode such as NE3 2JH"),
    "patient.gender": one_of("male", "female", "other", "unknown"),
    "exemption.url": url(optional=True),
    "exemption.prescription_id": pattern(_PRESCRIPTION_ID, "shaped like 471BC8-P83027-34B75X"),
    "exemption.not_exempt_nhs_number": nhs_number_rule,
    "exemption.not_exempt_family": non_empty,
    "exemption.not_exempt_birth_date": birth_date,
    "exemption.not_exempt_postcode": pattern(_POSTCODE, "a UK postcode such as LS1 4HR"),
    "validate.base_url": url(optional=True),
    "spec.slot_conflict_status": one_of(409, 422),
    "spec.token_error_status": one_of(400, 401, 403),
    "spec.slot_interaction": one_of(DEFAULT_SLOT_INTERACTION, ALTERNATIVE_SLOT_INTERACTION),
    "spec.edition": one_of("1", "2"),
    "spec.busy_search": one_of("edition", "supported", "refused"),
    "spec.profiles": profiles,
    "tls.ca_bundle": pem_file(CERTIFICATE_MARKER, "a PEM certificate"),
    "tls.client_cert": pem_file(CERTIFICATE_MARKER, "a PEM certificate"),
    "tls.client_key": pem_file(PRIVATE_KEY_MARKER, "a PEM private key"),
    "tls.expired_client_cert": pem_file(CERTIFICATE_MARKER, "a PEM certificate"),
    "tls.expired_client_key": pem_file(PRIVATE_KEY_MARKER, "a PEM private key"),
    "http.timeout_s": timeout,
    "http.max_body_bytes": positive,
    "consumer_under_test.trigger": one_of("command", "manual", "http"),
    "consumer_under_test.hook_url": url(optional=True),
    "consumer_under_test.action_timeout_s": timeout,
    "consumer_under_test.manual_timeout_s": timeout,
    "consumer_under_test.quiet_period_s": timeout,
    "consumer_under_test.slow_response_s": timeout,
    "consumer_under_test.fallback_within_s": timeout,
    "consumer_under_test.fallback_pattern": regex,
    "consumer_under_test.unavailable_pattern": regex,
    "consumer_under_test.unsupported_states": consumer_states,
    "load.users": int_range(1, 10_000),
    "load.spawn_rate": float_range(0.1, 10_000),
    "load.duration_s": int_range(1, 86_400),
    "load.max_users": int_range(1, 10_000),
    "load.max_duration_s": int_range(1, 86_400),
    "load.max_workers": int_range(0, 256),
    "load.race_share": share,
    "load.race_size": int_range(2, 32),
    "load.validate_share": share,
    "load.think_time_ms": int_range(0, 60_000),
    "load.latency_budget_ms": int_range(1, 600_000),
    "load.latency_percentile": int_range(50, 100),
    "load.worker_wait_s": int_range(1, 3600),
}


def normalise(key: str, value: Any, base_dir: Path) -> Any:
    """The value as stored: NHS number without spaces, file paths absolute."""
    if key == "patient.nhs_number":
        return str(value).replace(" ", "")
    if key in PATH_KEYS and value:
        path = Path(str(value)).expanduser()
        return str((path if path.is_absolute() else base_dir / path).resolve())
    return value
