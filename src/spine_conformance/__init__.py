"""Spine Conformance: conformance harness for NHS Spine appointments (FHIR STU3 via SSP) and RTEC."""

__version__ = "0.1.0"
