"""The reference consumer: a small, spec-conformant client for appointments (via the SSP) and RTEC.

Suppliers can read it as a worked example; the harness's consumer suite drives it, through
``spine-conformance consumer ACTION``, as the default consumer under test. Named fault modes
(:mod:`spine_conformance.consumer.faults`) make it deviate in exactly one way each, so the
consumer suite can show that it notices.

Reading order: ``options`` (what the command line means), ``appointments`` and ``exemption``
(the two interfaces), ``policy`` (when an exemption may be checked), ``faults`` and
``deviations`` (the fault modes and how each changes a request), ``output`` (what is printed).
"""
