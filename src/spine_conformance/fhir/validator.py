"""The harness's built-in FHIR STU3 validator (what ``$validate`` answers with).

Layers, each reporting :class:`~.outcome.Issue` objects with FHIRPath-like expressions:

1. JSON: bytes/str are parsed; unparseable JSON, a non-object or no ``resourceType`` is *fatal*.
2. Structure: the ``fhir.resources.STU3`` pydantic model checks types, required elements and
   unknown elements; its errors are rewritten into readable diagnostics (see :mod:`.validator_model`).
3. Core terminology and cardinality the model does not check: the code value sets in
   :data:`CODE_VALUE_SETS`, the data-type bindings in :data:`DATA_TYPE_CODES` wherever they occur,
   and the 1..* lists in :data:`MIN_ONE`.
4. Core references: every ``#id`` reference resolves to a contained resource (ref-1); contained
   resources do not nest (dom-2) and are referenced from elsewhere in their container (dom-3); all
   three are SHALL invariants of FHIR STU3, so errors.
5. Profiles (``profile_rules=True``): the CareConnect rules of :mod:`.profiles`. They apply by
   resource type whether or not ``meta.profile`` names the profile. Each rule's table entry names
   its published source and its severity: an error when the source states the rule, a warning
   (advisory) for a sanity check no source states; a ``meta.profile`` naming a known profile of
   another type is an error.

Every issue carries the citation of the text it applies (:attr:`~.outcome.Issue.source`): the FHIR
STU3 page of the resource, data type or invariant for layers 1-4, the rule table's for layer 5.

Contained resources and Bundle entry resources are validated recursively with their own path as
base (``Appointment.contained[0]``, ``Bundle.entry[3].resource``); the pydantic model of the
container is run with them removed so each problem is reported once, at the right place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .depth import MAX_NESTING, too_deep
from .outcome import ISSUE_SEVERITIES, ISSUE_TYPES, Issue, operation_outcome
from .profiles import profile_issues
from .profiles_common import walk_references
from .rule_sources import (
    FHIR_DOMAIN_RESOURCE,
    FHIR_HTTP,
    FHIR_JSON,
    FHIR_REFERENCE,
    RuleSource,
    fhir_core,
    fhir_resource,
)
from .validator_model import BOOKING_RESOURCE_TYPES, model_issues, preload_models, resource_model

__all__ = ["BOOKING_RESOURCE_TYPES", "ValidationResult", "preload_models", "validate_resource"]

_GENDER = frozenset({"male", "female", "other", "unknown"})
CODE_VALUE_SETS: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    "Appointment": (
        ("status", frozenset({"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
                              "entered-in-error"})),
        ("participant.status", frozenset({"accepted", "declined", "tentative", "needs-action"})),
        ("participant.required", frozenset({"required", "optional", "information-only"})),
    ),
    "Slot": (("status", frozenset({"busy", "free", "busy-unavailable", "busy-tentative",
                                   "entered-in-error"})),),
    "Bundle": (
        ("type", frozenset({"document", "message", "transaction", "transaction-response", "batch",
                            "batch-response", "history", "searchset", "collection"})),
        ("entry.search.mode", frozenset({"match", "include", "outcome"})),
    ),
    "Patient": (("gender", _GENDER),),
    "Practitioner": (("gender", _GENDER),),
    "DocumentReference": (("status", frozenset({"current", "superseded", "entered-in-error"})),),
    "OperationOutcome": (("issue.severity", ISSUE_SEVERITIES), ("issue.code", ISSUE_TYPES)),
    "CapabilityStatement": (
        ("status", frozenset({"draft", "active", "retired", "unknown"})),
        ("kind", frozenset({"instance", "capability", "requirements"})),
    ),
}  # fmt: skip

IDENTIFIER_USE = frozenset({"usual", "official", "temp", "secondary"})
_IDENTIFIER = ("Identifier", {"use": IDENTIFIER_USE})
# STU3 required bindings of data types, found by the element names that hold them. A string-valued
# element of the same name (Organization.name) has no sub-elements, so it is never matched.
DATA_TYPE_CODES: dict[str, tuple[str, dict[str, frozenset[str]]]] = {
    "identifier": _IDENTIFIER,
    "masterIdentifier": _IDENTIFIER,
    "valueIdentifier": _IDENTIFIER,
    "telecom": ("ContactPoint", {
        "system": frozenset({"phone", "fax", "email", "pager", "url", "sms", "other"}),
        "use": frozenset({"home", "work", "temp", "old", "mobile"}),
    }),
    "name": ("HumanName", {"use": frozenset({"usual", "official", "temp", "nickname", "anonymous", "old", "maiden"})}),
    "address": ("Address", {
        "use": frozenset({"home", "work", "temp", "old"}),
        "type": frozenset({"postal", "physical", "both"}),
    }),
}  # fmt: skip
# The sources of the core layers (1-4); each profile rule names its own in its rule table.
CORE_SOURCES: tuple[RuleSource, ...] = (FHIR_JSON, FHIR_HTTP, FHIR_REFERENCE, FHIR_DOMAIN_RESOURCE)
_JSON, _HTTP = FHIR_JSON.cite(), FHIR_HTTP.cite()
_REFERENCE, _DOMAIN_RESOURCE = FHIR_REFERENCE.cite(), FHIR_DOMAIN_RESOURCE.cite()


def data_type_source(type_name: str) -> RuleSource:
    return fhir_core(f"{type_name} data type", f"datatypes.html#{type_name}")


MIN_ONE: dict[str, tuple[str, ...]] = {
    "Appointment": ("participant",),
    "Schedule": ("actor",),
    "OperationOutcome": ("issue",),
    "CapabilityStatement": ("format",),
}


@dataclass(frozen=True)
class ValidationResult:
    resource_type: str
    issues: tuple[Issue, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(issue for issue in self.issues if issue.is_error)

    @property
    def ok(self) -> bool:
        return not self.errors

    def outcome(self) -> dict[str, Any]:
        return operation_outcome(self.issues)


def validate_resource(
    resource: Mapping[str, Any] | bytes | str,
    *,
    expected_type: str | None = None,
    profile_rules: bool = True,
    edition: str = "1",
) -> ValidationResult:
    """Validate one STU3 resource (and everything it contains); see the module docstring.

    ``edition`` is the Booking edition whose page rules apply ([spec] edition: "1" the seed pages,
    "2" the 2.x pages); a rule table entry names the editions it belongs to.
    """
    parsed, fatal = _parse(resource)
    if fatal is not None:
        return ValidationResult(_type_of(parsed), (fatal,))
    assert parsed is not None  # _parse returns an object whenever it reports no fatal issue
    resource_type = parsed["resourceType"]
    issues: list[Issue] = []
    if expected_type and resource_type != expected_type:
        issues.append(
            Issue(
                "error",
                "invalid",
                f"expected a {expected_type} resource, got {resource_type}",
                resource_type,
                source=_HTTP,
            )
        )
    issues.extend(_validate(parsed, resource_type, edition if profile_rules else None, contained=False))
    return ValidationResult(resource_type, tuple(_dedupe(issues)))


def _parse(resource: Mapping[str, Any] | bytes | str) -> tuple[Mapping[str, Any] | None, Issue | None]:
    value: Any = resource
    if isinstance(resource, bytes | str):
        try:
            value = json.loads(resource.decode("utf-8-sig") if isinstance(resource, bytes) else resource)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return None, Issue("fatal", "structure", f"body is not valid JSON: {exc}", source=_JSON)
        except RecursionError:
            return None, Issue("fatal", "structure", "the JSON is nested too deeply to read", source=_JSON)
    if not isinstance(value, Mapping):
        message = f"a FHIR resource must be a JSON object, got {_json_type(value)}"
        return None, Issue("fatal", "structure", message, source=_JSON)
    if too_deep(value):  # checked before any model or rule walks it recursively
        message = f"the resource is nested more than {MAX_NESTING} levels deep"
        return None, Issue("fatal", "structure", message, source=_JSON)
    resource_type = value.get("resourceType")
    if resource_type is None:
        return value, Issue("fatal", "required", "resourceType is missing", "resourceType", source=_JSON)
    if not isinstance(resource_type, str) or not resource_type:
        message = f"resourceType must be a non-empty string, got {resource_type!r}"
        return value, Issue("fatal", "structure", message, source=_JSON)
    return value, None


def _type_of(parsed: Mapping[str, Any] | None) -> str:
    value = parsed.get("resourceType") if parsed is not None else None
    return value if isinstance(value, str) else ""


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


def _validate(resource: Mapping[str, Any], base: str, rules: str | None, *, contained: bool) -> list[Issue]:
    """``rules``: the Booking edition whose profile rules apply, or None for the core layers only."""
    resource_type = str(resource.get("resourceType"))
    model = resource_model(resource_type)
    if model is None:
        message = f"{resource_type!r} is not a FHIR STU3 resource type"
        return [
            Issue(
                "error", "not-supported", message, base, source=fhir_core("resource list", "resourcelist.html").cite()
            )
        ]
    shell, nested = _split(resource, base)
    definition = fhir_resource(resource_type).cite()
    issues = [replace(issue, source=definition) for issue in model_issues(model, shell, base)]
    issues += _code_issues(shell, resource_type, base)
    issues += _data_type_code_issues(shell, base)
    issues += _min_one_issues(shell, resource_type, base)
    if not contained:
        issues += _contained_reference_issues(shell, resource.get("contained"), base)
    if rules is not None:
        issues += profile_issues(resource, base, rules)
    for path, child, is_contained in nested:
        issues += _validate_nested(child, path, rules, contained=is_contained)
    return issues


def _validate_nested(node: Any, base: str, rules: str | None, *, contained: bool) -> list[Issue]:
    if not isinstance(node, Mapping):
        message = f"expected a resource (JSON object), got {_json_type(node)}"
        return [Issue("error", "structure", message, base, source=_JSON)]
    resource_type = node.get("resourceType")
    if not isinstance(resource_type, str) or not resource_type:
        return [Issue("error", "required", "resourceType is missing", f"{base}.resourceType", source=_JSON)]
    issues = _validate(node, base, rules, contained=contained)
    if contained and node.get("contained") is not None:
        message = "dom-2: a contained resource must not contain resources"
        issues.insert(0, Issue("error", "invariant", message, base, source=_DOMAIN_RESOURCE))
    return issues


Nested = list[tuple[str, Any, bool]]  # (path, resource, is a contained resource)
_RESOURCE_LISTS = {"Bundle": "entry", "Parameters": "parameter"}  # lists whose items carry a resource


def _split(resource: Mapping[str, Any], base: str) -> tuple[dict[str, Any], Nested]:
    """A shallow copy without nested resources (for the model), and those resources with their paths."""
    shell, nested = dict(resource), []
    if isinstance(shell.get("contained"), list):
        nested += [(f"{base}.contained[{i}]", item, True) for i, item in enumerate(shell.pop("contained"))]
    key = _RESOURCE_LISTS.get(str(resource.get("resourceType")))
    if key is not None and isinstance(shell.get(key), list):
        shell[key] = [_lift(item, f"{base}.{key}[{i}]", nested) for i, item in enumerate(shell[key])]
    return shell, nested


def _lift(item: Any, path: str, nested: Nested) -> Any:
    """A copy of a Bundle entry / Parameters parameter without its resource(s), which go to ``nested``."""
    if not isinstance(item, Mapping):
        return item
    item = dict(item)
    if "resource" in item:
        nested.append((f"{path}.resource", item.pop("resource"), False))
    response = item.get("response")
    if isinstance(response, Mapping) and "outcome" in response:  # Bundle.entry.response.outcome
        item["response"] = dict(response)
        nested.append((f"{path}.response.outcome", item["response"].pop("outcome"), False))
    return item


def _values(node: Any, keys: list[str], path: str) -> Iterator[tuple[str, Any]]:
    """The values at a dotted path, fanning out over lists, with their FHIRPath."""
    if not keys:
        yield path, node
        return
    value = node.get(keys[0]) if isinstance(node, Mapping) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, keys[1:], f"{path}.{keys[0]}[{index}]")
    elif value is not None:
        yield from _values(value, keys[1:], f"{path}.{keys[0]}")


def _code_issues(shell: Mapping[str, Any], resource_type: str, base: str) -> list[Issue]:
    issues: list[Issue] = []
    for dotted, allowed in CODE_VALUE_SETS.get(resource_type, ()):
        for path, value in _values(shell, dotted.split("."), base):
            if isinstance(value, str) and value not in allowed:  # non-strings are the model's business
                expected = "|".join(sorted(allowed))
                message = f"{value!r} is not a valid {resource_type}.{dotted} code (expected one of {expected})"
                issues.append(Issue("error", "code-invalid", message, path, source=fhir_resource(resource_type).cite()))
    return issues


def _data_type_code_issues(node: Any, path: str) -> list[Issue]:
    """Required code bindings of data types wherever they occur (Identifier, ContactPoint, ...)."""
    issues: list[Issue] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            issues += _data_type_code_issues(item, f"{path}[{index}]")
    elif isinstance(node, Mapping):
        for key, value in node.items():
            binding = DATA_TYPE_CODES.get(key)
            if binding is not None:
                type_name, elements = binding
                for element, allowed in elements.items():
                    for where, code in _values({key: value}, [key, element], path):
                        if isinstance(code, str) and code not in allowed:
                            expected = "|".join(sorted(allowed))
                            message = f"{code!r} is not a valid {type_name}.{element} code (expected one of {expected})"
                            source = data_type_source(type_name).cite()
                            issues.append(Issue("error", "code-invalid", message, where, source=source))
            issues += _data_type_code_issues(value, f"{path}.{key}")
    return issues


def _min_one_issues(shell: Mapping[str, Any], resource_type: str, base: str) -> list[Issue]:
    return [
        Issue(
            "error",
            "required",
            f"{resource_type}.{key} requires at least one entry (1..*)",
            f"{base}.{key}",
            source=fhir_resource(resource_type).cite(),
        )
        for key in MIN_ONE.get(resource_type, ())
        if shell.get(key) is None or shell.get(key) == []
    ]


def _contained_reference_issues(shell: Mapping[str, Any], contained_list: Any, base: str) -> list[Issue]:
    """ref-1 and dom-3 over the container and its contained resources (they share one id space).

    ``shell`` is the container without nested resources, so Bundle entries are not walked here.
    """
    items = contained_list if isinstance(contained_list, list) else []
    contained = [(i, item) for i, item in enumerate(items) if isinstance(item, Mapping)]
    references = list(walk_references(shell, base))
    for index, item in contained:
        references += walk_references(item, f"{base}.contained[{index}]")
    ids = {item.get("id") for _, item in contained}
    issues = [
        Issue(
            "error",
            "not-found",
            f"ref-1: reference {ref!r} does not resolve to a contained resource",
            path,
            source=_REFERENCE,
        )
        for path, ref in references
        if ref.startswith("#") and len(ref) > 1 and ref[1:] not in ids
    ]
    targets = {ref[1:] for _, ref in references if ref.startswith("#")}
    for index, item in contained:
        if item.get("id") not in targets:
            what = f"contained resource {item['id']!r} is not" if "id" in item else "contained resource has no id, so"
            where = f"{base}.contained[{index}]"
            # dom-3 is an error-severity invariant of DomainResource (and of every CareConnect snapshot).
            issues.append(Issue("error", "invariant", f"dom-3: {what} referenced", where, source=_DOMAIN_RESOURCE))
    return issues


def _dedupe(issues: list[Issue]) -> Iterator[Issue]:
    """Drop repeats, and a later "required" issue at a path already reported as required, unless it
    is an error and the earlier one only a warning (an advisory must never hide a normative rule)."""
    seen: set[tuple[str, str, str]] = set()
    required: dict[str, bool] = {}  # path → reported as an error
    for issue in issues:
        key = (issue.severity, issue.expression, issue.diagnostics)
        is_required = issue.code == "required" and bool(issue.expression)
        if key in seen:
            continue
        if is_required and issue.expression in required and (required[issue.expression] or not issue.is_error):
            continue
        seen.add(key)
        if is_required:
            required[issue.expression] = required.get(issue.expression, False) or issue.is_error
        yield issue
