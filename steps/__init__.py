"""Step definitions by domain; each module only wires check functions to fixtures."""

pytest_plugins = [
    "steps.http",
    "steps.fhir",
    "steps.tls",
    "steps.metadata",
    "steps.slots",
    "steps.booking",
    "steps.appointments",
    "steps.concurrency",
    "steps.ssp",
    "steps.jwt",
    "steps.validation",
    "steps.exemption",
    "steps.consumer",
    "steps.consumer_exemption",
]
