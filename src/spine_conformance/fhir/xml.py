"""FHIR STU3 XML, read into the same JSON dict shape the checks and the validator work on.

An XML answer must be judged exactly as a JSON one: :func:`xml_to_json` turns FHIR XML into the
dict that the JSON form of the same resource parses to, element by element, without validating it
(an invalid resource must reach the validator, which says why, rather than fail to load). The shape
(list or single value, number or boolean or string, nested resource, ``_element`` for a primitive's
id and extensions, the narrative's XHTML as a string) comes from the ``fhir.resources`` STU3 model
definitions. An element the model does not know is kept as it is, so the validator reports it.

:func:`json_to_xml` writes a resource as FHIR XML, in the element order the XML format requires
(the models' ``elements_sequence``), from the same definitions. It writes the JSON as it is, without
building the models (ten times faster on a slot Bundle); an element no definition knows is an error.
The demonstrator uses it to serve XML, the suite to send XML bodies.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache
from itertools import zip_longest
from typing import Any

from lxml import etree

FHIR_NS = "http://hl7.org/fhir"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_VERSION = "STU3."
_INTEGERS = frozenset({"integer", "unsignedInt", "positiveInt"})
# No DTDs, no entities, nothing fetched: a hostile document is an error, never a request or a bomb.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True, huge_tree=False
)


class FhirXmlError(ValueError):
    """The body is not FHIR XML (not well formed, not in the FHIR namespace, not a resource type)."""


def xml_to_json(data: bytes | str) -> dict[str, Any]:
    """The JSON-shaped dict of a FHIR XML resource (see the module docstring)."""
    try:
        root = etree.fromstring(data.encode() if isinstance(data, str) else data, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise FhirXmlError(f"the body is not well-formed XML: {error}") from None
    return _resource(root)


def json_to_xml(resource: dict[str, Any]) -> bytes:
    """``resource`` (a FHIR JSON dict) as FHIR XML, UTF-8 encoded with an XML declaration."""
    return bytes(etree.tostring(_write_resource(resource), xml_declaration=True, encoding="UTF-8"))


def _write_resource(resource: Any) -> Any:
    name = str(resource.get("resourceType", "")) if isinstance(resource, dict) else ""
    model = _model(name)
    if model is None:
        raise FhirXmlError(f"{name!r} is not an STU3 resource type")
    element = etree.Element(f"{{{FHIR_NS}}}{name}", nsmap={None: FHIR_NS})
    _write(element, resource, model, resource=True)
    return element


def _write(element: Any, data: dict[str, Any], model: Any, *, resource: bool = False) -> None:
    shapes = _fields(model)
    unknown = sorted(k for k in data if k.lstrip("_") not in shapes and k != "resourceType")
    if unknown:
        raise FhirXmlError(f"{', '.join(unknown)} is not an element of {model.__name__}")
    for name in _sequence(model):
        if name not in data and f"_{name}" not in data:
            continue
        kind, is_list = shapes[name]
        if not resource and name in ("id", "url") and kind.startswith("primitive:"):
            element.set(name, _text(data[name]))  # Element.id and Extension.url are attributes
            continue
        values, extras = data.get(name), data.get(f"_{name}")
        pairs = zip_longest(values or [], extras or []) if is_list else [(values, extras)]
        for value, extra in pairs:
            _write_value(element, name, kind, value, extra)


def _write_value(parent: Any, name: str, kind: str, value: Any, extra: Any) -> None:
    if kind == "xhtml":
        try:
            parent.append(etree.fromstring(str(value).encode(), parser=_PARSER))
        except etree.XMLSyntaxError as error:
            raise FhirXmlError(f"{name} is not well-formed XHTML: {error}") from None
        return
    child = etree.SubElement(parent, f"{{{FHIR_NS}}}{name}")
    if kind == "Resource":
        child.append(_write_resource(value))
    elif kind.startswith("primitive:"):
        if value is not None:
            child.set("value", _text(value))
        if isinstance(extra, dict):
            _write(child, extra, _model("Extension") if "url" in extra else _model("Element"))
    elif isinstance(value, dict):
        _write(child, value, _model(kind))
    else:
        raise FhirXmlError(f"{name} must be an object, not {value!r}")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _local(element: Any) -> tuple[str, str]:
    qname = etree.QName(element)
    return qname.namespace or "", qname.localname


def _resource(element: Any) -> dict[str, Any]:
    namespace, name = _local(element)
    if namespace != FHIR_NS:
        raise FhirXmlError(f"<{name}> is not in the FHIR namespace {FHIR_NS} (found {namespace or 'none'})")
    model = _model(name)
    if model is None:
        raise FhirXmlError(f"<{name}> is not an STU3 resource type")
    return {"resourceType": name, **_element(element, model)}


def _element(element: Any, model: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for attribute in ("id", "url"):  # Element.id and Extension.url are XML attributes
        value = element.get(attribute)
        if value is not None:
            result[attribute] = value
    fields = _fields(model)
    for child in element:
        if not isinstance(child.tag, str):
            continue
        _, name = _local(child)
        shape = fields.get(name)
        if shape is None:  # not an element of this type: kept, so the validator names it
            result[name] = _unknown(child)
            continue
        kind, is_list = shape
        value, extra = _value(child, kind)
        if is_list:
            result.setdefault(name, []).append(value)
            if extra is not None or f"_{name}" in result:
                _align(result, name, extra)
        else:
            if value is not None:
                result[name] = value
            if extra is not None:
                result[f"_{name}"] = extra
    return result


def _align(result: dict[str, Any], name: str, extra: dict[str, Any] | None) -> None:
    """``_name`` for a list of primitives runs parallel to ``name``, with null where nothing is added."""
    extras: list[Any] = result.setdefault(f"_{name}", [])
    extras.extend([None] * (len(result[name]) - 1 - len(extras)))
    extras.append(extra)


def _value(child: Any, kind: str) -> tuple[Any, dict[str, Any] | None]:
    """(the JSON value, the ``_element`` object of a primitive carrying an id or extensions)."""
    if kind == "xhtml":
        return etree.tostring(child, encoding="unicode", with_tail=False), None
    if kind == "Resource":
        inner = [node for node in child if isinstance(node.tag, str)]
        if len(inner) != 1:
            raise FhirXmlError(f"<{_local(child)[1]}> must hold exactly one resource")
        return _resource(inner[0]), None
    if kind.startswith("primitive:"):
        raw = child.get("value")
        extra = _element(child, _model("Extension")) if len(child) or child.get("id") else None
        if extra is not None:
            extra = {key: value for key, value in extra.items() if key in ("id", "extension")} or None
        return (None if raw is None else _typed(raw, kind.removeprefix("primitive:"))), extra
    return _element(child, _model(kind)), None


def _typed(raw: str, type_name: str) -> Any:
    """The JSON value of a primitive: booleans and numbers are JSON's own; anything else stays text."""
    if type_name == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    if type_name in _INTEGERS:
        try:
            return int(raw)
        except ValueError:
            return raw
    if type_name == "decimal":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw
        return int(number) if number == number.to_integral_value() and "." not in raw else float(number)
    return raw


def _unknown(child: Any) -> Any:
    if len(child) == 0:
        return child.get("value")
    return {_local(node)[1]: _unknown(node) for node in child if isinstance(node.tag, str)}


@cache
def _model(name: str) -> Any:
    from fhir.resources.STU3 import get_fhir_model_class

    try:
        return get_fhir_model_class(name)
    except (KeyError, ValueError):
        return None


@cache
def _sequence(model: Any) -> tuple[str, ...]:
    """The element names of ``model`` in the order FHIR XML requires."""
    aliases = {field_name: alias for alias, field_name in model.get_alias_mapping().items()}
    return tuple(aliases.get(name, name) for name in model.elements_sequence())


@cache
def _fields(model: Any) -> dict[str, tuple[str, bool]]:
    """Each element name of ``model`` -> (its kind: "primitive:<type>", "xhtml", "Resource" or a type
    name, whether it repeats)."""
    from fhir_core.utils import get_fhir_type_name, is_list_type, is_primitive_type

    shapes: dict[str, tuple[str, bool]] = {}
    for alias, field_name in model.get_alias_mapping().items():
        field = model.model_fields[field_name]
        if field_name.endswith("__ext") or alias in ("resourceType", "resource_type", "fhir_comments"):
            continue
        try:
            type_name = get_fhir_type_name(field, prefix=_VERSION)
        except ValueError:  # Resource-typed (contained, entry.resource): the child names the type
            type_name = "Resource"
        if type_name == "xhtml":
            kind = "xhtml"
        elif type_name != "Resource" and is_primitive_type(field):
            kind = f"primitive:{type_name}"
        else:
            kind = type_name
        shapes[alias] = (kind, is_list_type(field))
    return shapes
