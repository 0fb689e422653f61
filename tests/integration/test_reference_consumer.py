"""The reference consumer's appointments actions, run as the harness runs it: one process per action.

Against the embedded demonstrator through its SSP for the journey and what the SSP refuses;
against a recording stand-in SSP to see exactly what each fault changed in the request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from spine_conformance.checks.ssp import ssp_header_findings
from spine_conformance.consumer.faults import FAULTS
from spine_conformance.demonstrator.embedded import PROVIDER_ASID, SERVICE_ID, Demonstrator
from spine_conformance.fhir import validate_resource
from spine_conformance.interactions import interaction_for
from spine_conformance.ssp import FROM, INTERACTION_ID, TO, TRACE_ID
from spine_conformance.tokens import inspect_appointments_token
from tests.reference_consumer_support import (
    APPOINTMENT_ID,
    PROVIDER_BASE,
    Recorded,
    RecordingSsp,
    recording_ssp,
    run_consumer,
)

NHS_NUMBER = "9434765919"


def through_ssp(demo: Demonstrator, ssp_url: str | None = None) -> list[str]:
    return [
        "--ssp-url",
        demo.ssp_url if ssp_url is None else ssp_url,
        "--provider-base-url",
        demo.provider_base_url,
        "--provider-asid",
        PROVIDER_ASID,
        "--ca-bundle",
        str(demo.certificates.ca_path),
    ]


# -- the journey through the demonstrator's SSP -----------------------------------------------------
def test_search_slots_lists_free_slots(demo: Demonstrator) -> None:
    run = run_consumer("search-slots", *through_ssp(demo), "--service-id", SERVICE_ID)

    assert run.code == 0, run.stderr
    assert run.output["action"] == "search-slots" and run.output["status"] == 200
    assert run.output["slots"] and all(isinstance(slot, str) for slot in run.output["slots"])
    assert "free slot" in run.stderr


def test_book_read_search_and_cancel_end_to_end(demo: Demonstrator) -> None:
    common = through_ssp(demo)
    booked = run_consumer("book", *common, "--service-id", SERVICE_ID, "--nhs-number", NHS_NUMBER)
    assert booked.code == 0, booked.stderr
    appointment_id = booked.output["appointment_id"]
    assert booked.output["status"] == 201 and booked.output["etag"] == 'W/"1"'
    assert (
        booked.output["slot_id"]
        not in run_consumer("search-slots", *common, "--service-id", SERVICE_ID).output["slots"]
    )

    read = run_consumer("read", *common, "--appointment-id", appointment_id)
    assert read.code == 0, read.stderr
    assert (read.output["id"], read.output["versionId"], read.output["appointment_status"]) == (
        appointment_id,
        "1",
        "booked",
    )
    assert read.output["etag"] == 'W/"1"'

    found = run_consumer("search-appointments", *common, "--nhs-number", NHS_NUMBER)
    assert found.code == 0, found.stderr
    assert appointment_id in found.output["ids"]

    cancelled = run_consumer("cancel", *common, "--appointment-id", appointment_id)
    assert cancelled.code == 0, cancelled.stderr
    assert (cancelled.output["versionId"], cancelled.output["appointment_status"]) == ("2", "cancelled")
    assert cancelled.output["etag"] == 'W/"2"'

    again = run_consumer("read", *common, "--appointment-id", appointment_id)
    assert (again.output["versionId"], again.output["appointment_status"]) == ("2", "cancelled")


def test_without_an_ssp_url_the_provider_is_called_directly(demo: Demonstrator) -> None:
    run = run_consumer("search-slots", *through_ssp(demo, ssp_url=""), "--service-id", SERVICE_ID)

    assert run.code == 0, run.stderr
    assert run.output["slots"]


def test_an_unknown_appointment_is_reported_as_refused(demo: Demonstrator) -> None:
    run = run_consumer("read", *through_ssp(demo), "--appointment-id", "no-such-appointment")

    assert run.code == 1
    assert run.output["status"] == 404 and run.output["ok"] is False and "404" in run.output["error"]


def test_a_cancel_without_if_match_is_refused_by_the_provider(demo: Demonstrator) -> None:
    common = through_ssp(demo)
    booked = run_consumer("book", *common, "--service-id", SERVICE_ID, "--nhs-number", NHS_NUMBER)
    assert booked.code == 0, booked.stderr

    run = run_consumer("cancel", *common, "--appointment-id", booked.output["appointment_id"], "--fault", "no-if-match")

    assert (run.code, run.output["status"]) == (1, 412)
    assert run_consumer("cancel", *common, "--appointment-id", booked.output["appointment_id"]).code == 0


@pytest.mark.parametrize(
    ("fault", "status"),
    [("no-ssp-from", 400), ("wrong-ssp-to", 403), ("wrong-interaction-id", 403), ("double-slash-url", 400)],
)
def test_the_demonstrators_ssp_refuses_each_header_and_url_fault(demo: Demonstrator, fault: str, status: int) -> None:
    run = run_consumer("search-slots", *through_ssp(demo), "--service-id", SERVICE_ID, "--fault", fault)

    assert (run.code, run.output["status"]) == (1, status), run.stdout


def test_the_consumer_refuses_a_server_whose_certificate_it_cannot_verify(demo: Demonstrator) -> None:
    with Demonstrator() as stranger:  # its own run CA, which the consumer is not given
        words = ["--service-id", SERVICE_ID, *through_ssp(stranger)]
        words[words.index("--ca-bundle") + 1] = str(demo.certificates.ca_path)

        refused = run_consumer("search-slots", *words)
        accepted = run_consumer("search-slots", *words, "--fault", "tls-verify-off")

    assert (refused.code, refused.output["status"]) == (1, None)
    assert "certificate" in refused.output["error"].lower()
    assert accepted.code == 0, accepted.stderr


def test_usage_errors_exit_2() -> None:
    assert run_consumer("book").code == 2
    unknown = run_consumer("read", "--fault", "no-such-fault")
    assert unknown.code == 2 and "stale-trace-id" in unknown.stderr
    listed = run_consumer("--fault", "list")
    assert listed.code == 0 and all(name in listed.stdout for name in FAULTS)


# -- exactly what was sent: the recording SSP -------------------------------------------------------
@pytest.fixture(scope="module")
def recorder(demo: Demonstrator) -> Iterator[tuple[RecordingSsp, str]]:
    with recording_ssp(demo.certificates.server) as served:
        yield served


def record(recorder: tuple[RecordingSsp, str], demo: Demonstrator, action: str, *faults: str) -> list[Recorded]:
    ssp, origin = recorder
    ssp.clear()
    words = [
        *("--ssp-url", origin + "/", "--provider-base-url", PROVIDER_BASE, "--provider-asid", PROVIDER_ASID),
        *("--ca-bundle", str(demo.certificates.ca_path), "--service-id", SERVICE_ID),
        *("--nhs-number", NHS_NUMBER, "--appointment-id", APPOINTMENT_ID),
        *(word for fault in faults for word in ("--fault", fault)),
    ]
    run = run_consumer(action, *words)
    assert run.code == 0, run.stdout + run.stderr
    return ssp.requests


def header_and_token_requirements(request: Recorded) -> set[str]:
    relative = request.provider_path
    interaction = interaction_for(request.method, relative, bool(request.query))
    findings = ssp_header_findings(
        request.headers, interaction=interaction, expected_from="200000000359", expected_to=PROVIDER_ASID
    )
    findings += inspect_appointments_token(
        request.header("authorization"), audience=PROVIDER_BASE, interaction=interaction, now=int(time.time())
    )
    return {finding.requirement for finding in findings}


@pytest.mark.parametrize("action", ["search-slots", "book", "read", "search-appointments", "cancel"])
def test_every_request_the_conformant_consumer_sends_passes_the_harness_checks(
    recorder: tuple[RecordingSsp, str], demo: Demonstrator, action: str
) -> None:
    requests = record(recorder, demo, action)

    assert requests
    for request in requests:
        assert request.raw_path.startswith("/https://provider.example/STU3/1/")
        assert header_and_token_requirements(request) == set(), request
    assert len({request.header(TRACE_ID) for request in requests}) == len(requests)


def test_a_cancel_reads_first_and_sends_the_etag_it_read_as_if_match(
    recorder: tuple[RecordingSsp, str], demo: Demonstrator
) -> None:
    get, put = record(recorder, demo, "cancel")

    assert (get.method, put.method) == ("GET", "PUT")
    assert put.header("if-match") == 'W/"1"'
    assert put.json()["status"] == "cancelled"


@pytest.mark.parametrize("fault", [name for name, f in FAULTS.items() if f.violates.startswith(("SSP-", "JWT-"))])
def test_each_header_url_and_token_fault_breaks_exactly_its_requirement(
    recorder: tuple[RecordingSsp, str], demo: Demonstrator, fault: str
) -> None:
    requests = record(recorder, demo, "book", fault)  # two requests: the slot search and the booking
    violated = set().union(*(header_and_token_requirements(request) for request in requests))

    if fault == "stale-trace-id":
        assert {request.header(TRACE_ID) for request in requests} != set() and len(requests) == 2
        assert len({request.header(TRACE_ID) for request in requests}) == 1
    elif fault == "double-slash-url":
        assert all(request.raw_path.startswith("//https://provider.example/") for request in requests)
    else:
        assert violated == {FAULTS[fault].violates}


def test_header_faults_change_only_their_header(recorder: tuple[RecordingSsp, str], demo: Demonstrator) -> None:
    (no_from,) = record(recorder, demo, "search-slots", "no-ssp-from")
    (wrong_to,) = record(recorder, demo, "search-slots", "wrong-ssp-to")
    (wrong_id,) = record(recorder, demo, "search-slots", "wrong-interaction-id")

    assert no_from.header(FROM) is None and no_from.header(TO) == PROVIDER_ASID
    assert wrong_to.header(TO) == "999999999999" and wrong_to.header(FROM) == "200000000359"
    assert wrong_id.header(INTERACTION_ID) == "urn:nhs:names:services:careconnect:fhir:rest:read:metadata"


def test_invalid_appointment_books_a_resource_the_validator_rejects(
    recorder: tuple[RecordingSsp, str], demo: Demonstrator
) -> None:
    _, good = record(recorder, demo, "book")
    _, bad = record(recorder, demo, "book", "invalid-appointment")

    assert validate_resource(good.json()).ok
    assert not validate_resource(bad.json()).ok
    patients = [r for r in bad.json()["contained"] if r["resourceType"] == "Patient"]
    assert [patient["gender"] for patient in patients] == ["not-a-gender"]


def test_no_if_match_cancels_without_if_match(recorder: tuple[RecordingSsp, str], demo: Demonstrator) -> None:
    get, put = record(recorder, demo, "cancel", "no-if-match")

    assert get.method == "GET" and put.method == "PUT"
    assert put.header("if-match") is None
