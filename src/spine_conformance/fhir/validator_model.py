"""The pydantic (``fhir.resources.STU3``) layer of the validator: model lookup and error rewriting.

pydantic's errors name Python-ish locations and carry documentation URLs; a FHIR user wants
``Appointment.participant[0].status`` and a sentence. :func:`model_issues` gives exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from fhir.resources.STU3 import get_fhir_model_class
from fhir.resources.STU3.resource import Resource
from pydantic import ValidationError

from .outcome import Issue

_FHIR_REGEX_ERROR = re.compile(r"^(\w+) value string does not match spec regex\.?$")
_CHOICE_ERROR = re.compile(r"(Any of one field value|Expect any of field value) .*?list (\[[^\]]*\])")
_TYPE_WORDS = {
    "list_type": "a JSON array",
    "string_type": "a JSON string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "float_type": "a number",
    "float_parsing": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "dict_type": "a JSON object",
    "model_type": "a JSON object",
    "model_attributes_type": "a JSON object",
    "json_invalid": "a JSON object",
    "model_validation_format": "a JSON object",
}
_BOUNDS = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}


@cache
def resource_model(resource_type: str) -> Any:
    """The STU3 model class for a concrete resource type, or None (cached: lookups import modules)."""
    if resource_type in ("Resource", "DomainResource"):
        return None
    try:
        model = get_fhir_model_class(resource_type)
    except (ValueError, KeyError, ImportError):
        return None
    return model if isinstance(model, type) and issubclass(model, Resource) else None


BOOKING_RESOURCE_TYPES = (
    "Appointment", "Slot", "Schedule", "HealthcareService", "Location", "Organization", "Practitioner",
    "PractitionerRole", "Patient", "DocumentReference", "Device", "Bundle", "OperationOutcome",
    "CapabilityStatement",
)  # fmt: skip


def preload_models(resource_types: Iterable[str] = BOOKING_RESOURCE_TYPES) -> None:
    """Import the model classes now: the first import of a model costs 2-30 ms (Bundle and
    CapabilityStatement the most), which a server would otherwise pay on its first request."""
    for resource_type in resource_types:
        resource_model(resource_type)


def model_issues(model: Any, shell: Mapping[str, Any], base: str) -> list[Issue]:
    """Run the pydantic model over ``shell`` and translate every error."""
    try:
        model.model_validate(shell)
    except ValidationError as exc:
        return [_translate(error, base) for error in exc.errors(include_url=False)]
    except KeyError as exc:  # fhir_core's lookup of an embedded resource of unknown type
        unknown = str(exc.args[0] if exc.args else exc).removeprefix("STU3.").removesuffix("Type")
        return [Issue("error", "not-supported", f"embeds a resource of unknown type {unknown!r}", base)]
    except (ValueError, TypeError) as exc:  # anything else fhir_core trips over
        return [Issue("error", "structure", f"not a valid STU3 {shell.get('resourceType')}: {exc}", base)]
    return []


def fhir_path(base: str, loc: tuple[Any, ...]) -> str:
    """pydantic ``loc`` → FHIRPath-like text under ``base``; internal loc parts are dropped."""
    path = base
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "resource_type":
            path += ".resourceType"
        elif isinstance(part, str) and part != "root" and not any(ch in part for ch in "[(<"):
            path += f".{part}"
    return path


def _translate(error: Mapping[str, Any], base: str) -> Issue:
    loc = tuple(error.get("loc", ()))
    path = fhir_path(base, loc)
    code, message = _describe(error, _last_name(loc))
    return Issue("error", code, message, path)


def _last_name(loc: tuple[Any, ...]) -> str:
    names = [part for part in loc if isinstance(part, str) and part != "root"]
    return "resourceType" if names and names[-1] == "resource_type" else (names[-1] if names else "")


def _describe(error: Mapping[str, Any], name: str) -> tuple[str, str]:
    """(issue code, sentence) for one pydantic error."""
    kind, value = str(error.get("type", "")), error.get("input")
    ctx = error.get("ctx") or {}
    if kind in ("missing", "model_field_validation.missing"):
        return "required", f"required element '{name}' is missing"
    if kind == "extra_forbidden":
        return "structure", f"'{name}' is not a known element here in FHIR STU3"
    if kind == "list_type" and isinstance(value, list):  # fhir_core: a null inside an array
        return "structure", f"'{name}' must not contain null entries"
    if kind in _TYPE_WORDS:
        return "structure", f"'{name}' must be {_TYPE_WORDS[kind]}, got {_show(value)}"
    if kind == "string_pattern_mismatch":
        if isinstance(value, str) and not value.strip():  # FHIR JSON has no empty strings
            return "value", f"'{name}' must not be empty or blank"
        pattern = str(ctx.get("pattern", "")).encode("unicode_escape").decode("ascii")
        return "value", f"{_show(value)} is not a valid value for '{name}' (must match {pattern})"
    if kind in _BOUNDS:
        limit = next((v for k, v in ctx.items() if k in ("ge", "gt", "le", "lt")), "")
        return "value", f"'{name}' must be {_BOUNDS[kind]} {limit}, got {_show(value)}"
    if kind == "fhir-validation-wrong-resource-type":
        return "invalid", f"resourceType {value!r} where {ctx.get('expected_resource_type')!r} was expected"
    message = str(error.get("msg", kind))
    choice = _choice_problem(message, value)
    if choice is not None:
        return choice
    return "value" if kind == "value_error" else "invalid", _clean(message, name, value)


def _choice_problem(message: str, value: Any) -> tuple[str, str] | None:
    """fhir_core's value[x] errors ("Any of one field value ...") as FHIR sentences."""
    match = _CHOICE_ERROR.search(message)
    if match is None:
        return None
    names = re.findall(r"'(\w+)'", match.group(2))
    element = f"{_choice_prefix(names)}[x]"
    if match.group(1).startswith("Any"):
        found = [name for name in names if isinstance(value, Mapping) and name in value]
        return "invalid", f"only one {element} element may be present, found {', '.join(found) or 'several'}"
    return "required", f"one {element} element is required"


def _choice_prefix(names: list[str]) -> str:
    """The shared element name of choice fields: valueString, valueCode → value."""
    prefix = names[0] if names else ""
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    while prefix and any(len(name) > len(prefix) and not name[len(prefix)].isupper() for name in names):
        prefix = prefix[:-1]
    return prefix or "value"


def _clean(message: str, name: str, value: Any) -> str:
    message = message.removeprefix("Value error, ").replace("``", "")
    match = _FHIR_REGEX_ERROR.match(message)
    if match:
        return f"{_show(value)} is not a valid FHIR {match.group(1).lower()} for '{name}'"
    message = " ".join(message.split())
    if len(message) > 200:
        message = message[:197] + "..."
    return f"'{name}': {message}" if name else message


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return "an array" if isinstance(value, list) else "an object"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
