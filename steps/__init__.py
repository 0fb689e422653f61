"""Step definitions by domain; each module only wires check functions to fixtures.

Imported as ``steps`` in a checkout and as ``spine_conformance.steps`` from an installed wheel,
so the plugin names are built from this package's own name.
"""

MODULES = (
    "http",
    "fhir",
    "tls",
    "tls_clients",
    "metadata",
    "slots",
    "slot_variants",
    "booking",
    "booking_depth",
    "edition2",
    "appointments",
    "concurrency",
    "ssp",
    "jwt",
    "validation",
    "negotiation",
    "rest",
    "profiles",
    "exemption",
    "rtec_answers",
    "consumer",
    "consumer_exemption",
    "consumer_states",
)
pytest_plugins = [f"{__name__}.{module}" for module in MODULES]
