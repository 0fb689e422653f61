"""FHIR media types and content negotiation (FHIR STU3 http.html "Content Types and encodings").

One table of what means JSON and what means XML, shared by the harness (what to ask for, how to
read an answer) and the demonstrator (what to serve).
"""

from __future__ import annotations

JSON, XML = "json", "xml"
FHIR_JSON = "application/fhir+json"
FHIR_XML = "application/fhir+xml"
MIME_OF = {JSON: FHIR_JSON, XML: FHIR_XML}
# The _format values STU3 says SHALL be read as each format.
FORMAT_PARAMETER = {
    "json": JSON,
    "application/json": JSON,
    "application/fhir+json": JSON,
    "xml": XML,
    "text/xml": XML,
    "application/xml": XML,
    "application/fhir+xml": XML,
}
# Accept media types a server maps to a format: the STU3 types, the generic ones STU3 asks servers to
# honour, and the DSTU2 types servers MAY still support.
ACCEPT_TYPES = {
    FHIR_JSON: JSON,
    "application/json": JSON,
    "text/json": JSON,
    "application/json+fhir": JSON,
    FHIR_XML: XML,
    "application/xml": XML,
    "text/xml": XML,
    "application/xml+fhir": XML,
}
ANY = ("*/*", "application/*")
# Request bodies: only the STU3 FHIR types (and generic JSON, long accepted) are FHIR content. A body
# declared application/xml is not (the TKW pack expects 415 for it).
BODY_TYPES = {FHIR_JSON: JSON, "application/json": JSON, FHIR_XML: XML}


def media_type(content_type: str | None) -> str:
    """The bare, lower-case media type of a Content-Type value ("" when there is none)."""
    return (content_type or "").split(";")[0].strip().lower()


def charset(content_type: str | None) -> str:
    """The charset parameter of a Content-Type value, lower-case ("" when there is none)."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


def format_of(content_type: str | None) -> str | None:
    """JSON or XML for a FHIR body's Content-Type, None for anything else."""
    return ACCEPT_TYPES.get(media_type(content_type))


def declared_formats(statement: dict[str, object]) -> set[str]:
    """The formats a CapabilityStatement's ``format`` declares (codes or MIME types)."""
    found: set[str] = set()
    for entry in statement.get("format") or []:  # type: ignore[attr-defined]
        value = str(entry).strip().lower()
        fmt = FORMAT_PARAMETER.get(value) or ACCEPT_TYPES.get(value)
        if fmt:
            found.add(fmt)
    return found


class UnsupportedFormat(ValueError):
    """The client asked for a format the server does not produce."""


def accepted_format(accept: str | None) -> str | None:
    """The format an Accept header asks for: the highest-q supported type (None = anything goes).

    Raises :class:`UnsupportedFormat` when the header names only types the server cannot produce.
    """
    if not accept or not accept.strip():
        return None
    best: tuple[float, int, str | None] | None = None
    for position, item in enumerate(accept.split(",")):
        kind = media_type(item)
        quality = 1.0
        for parameter in item.split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0 or (kind not in ACCEPT_TYPES and kind not in ANY):
            continue
        choice = ACCEPT_TYPES.get(kind)  # None for */*: the server's default
        if best is None or quality > best[0]:
            best = (quality, -position, choice)
    if best is None:
        raise UnsupportedFormat(f"none of the types in Accept: {accept} is a FHIR format this server produces")
    return best[2]


def negotiate(accept: str | None, format_parameter: str | None, content_type: str | None) -> str:
    """The format to answer in: ``_format`` over Accept (STU3: it lets a client override Accept),
    then the request body's own format, then JSON (the order GP Connect states)."""
    if format_parameter is not None:
        chosen = FORMAT_PARAMETER.get(format_parameter.strip().lower())
        if chosen is None:
            raise UnsupportedFormat(f"_format={format_parameter} is not a FHIR format this server produces")
        return chosen
    return accepted_format(accept) or format_of(content_type) or JSON
