"""Checks of the interaction-depth matrices: pinned refusals, the SSP's refusals, what a write keeps,
slot search variants and the 2.x request ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from spine_conformance.appointments import slot_variants
from spine_conformance.checks.content import check_keeps, contains
from spine_conformance.checks.refusals import Pinned, check_pinned, check_refused_or_ignored, check_ssp_refusal
from spine_conformance.checks.request_ids import check_correlation_echoed, check_request_ids
from spine_conformance.checks.slot_variants import (
    check_asked_includes,
    check_known_slot_returned,
    check_no_matches,
    check_statuses,
)
from spine_conformance.checks.slots import SlotWindow
from spine_conformance.fhir import examples, spine_error
from spine_conformance.findings import CheckFailed, HarnessError, NotTestable, evaluation
from spine_conformance.http import Exchange, HttpResponse

URL = "https://provider.example/STU3/1/Appointment"
OUTCOME = spine_error(422, "INVALID_RESOURCE", "no")
PINNED = Pinned.of(422, why="BK-seed book_an_appointment.md: 422")


def response(
    status: int, body: Any = None, headers: dict[str, str] | None = None, request_headers: list[tuple[str, str]] = ()
) -> HttpResponse:
    raw = json.dumps(body).encode() if body is not None else b""
    all_headers = httpx.Headers({"Content-Type": "application/fhir+json", **(headers or {})})
    exchange = Exchange("x", "POST", URL, list(request_headers), b"{}", 0.0, status=status, response_body=raw)
    return HttpResponse(status, all_headers, raw, URL, exchange)


def requirements(raised: pytest.ExceptionInfo[CheckFailed]) -> list[str]:
    return [finding.requirement for finding in raised.value.findings]


# -- pinned refusals -------------------------------------------------------------------------------
def test_a_pinned_status_with_an_outcome_passes_and_judges_err_01() -> None:
    with evaluation() as judged:
        check_pinned(response(422, OUTCOME), PINNED, "APPT-CREATE-03")
    assert {"APPT-CREATE-03", "ERR-01"} <= set(judged.evaluated)


def test_another_4xx_is_not_enough_when_a_source_names_the_status() -> None:
    with pytest.raises(CheckFailed) as raised:
        check_pinned(response(400, spine_error(400, "BAD_REQUEST", "no")), PINNED, "APPT-CREATE-03")
    [finding] = raised.value.findings
    assert (finding.expected, finding.actual) == ("HTTP 422", "HTTP 400")
    assert "book_an_appointment.md" in finding.detail


def test_another_4xx_without_an_outcome_also_fails_err_01() -> None:
    bare = response(403, None, {"Content-Type": "text/plain"})
    with pytest.raises(CheckFailed) as raised:
        check_pinned(bare, PINNED, "APPT-CREATE-03")
    assert requirements(raised) == ["APPT-CREATE-03", "ERR-01"]
    with pytest.raises(CheckFailed) as raised:  # a 2xx is no refusal: there is no error answer to judge
        check_pinned(response(201, {"resourceType": "Appointment"}), PINNED, "APPT-CREATE-03")
    assert requirements(raised) == ["APPT-CREATE-03"]


def test_a_tolerated_status_is_an_advisory_finding() -> None:
    pinned = Pinned.of(200, why="SHOULD be ignored", tolerated=(400,))
    with evaluation() as judged:
        check_pinned(response(400, spine_error(400, "BAD_REQUEST", "no")), pinned, "SLOT-07")
    assert [advisory.requirement for advisory in judged.advisories] == ["SLOT-07"]


def test_a_pinned_200_must_be_a_searchset() -> None:
    pinned = Pinned.of(200, why="ignored")
    check_pinned(response(200, examples.searchset([])), pinned, "SLOT-07")
    with pytest.raises(CheckFailed):
        check_pinned(response(200, {"resourceType": "Bundle", "type": "collection"}), pinned, "SLOT-07")


def test_an_id_sent_on_create_may_be_ignored_but_never_kept() -> None:
    check_refused_or_ignored(response(201, {"resourceType": "Appointment", "id": "own"}), PINNED, "R-01", "mine")
    with pytest.raises(CheckFailed):
        check_refused_or_ignored(response(201, {"resourceType": "Appointment", "id": "mine"}), PINNED, "R-01", "mine")


def test_the_ssp_refusal_needs_its_status_and_an_outcome() -> None:
    check_ssp_refusal(response(403, {"resourceType": "OperationOutcome", "issue": []}), 403)
    with pytest.raises(CheckFailed):
        check_ssp_refusal(response(400, OUTCOME), 403)
    with pytest.raises(CheckFailed):
        check_ssp_refusal(response(403, {"resourceType": "Bundle"}), 403)


# -- what a write keeps ----------------------------------------------------------------------------
def test_what_was_sent_is_kept_even_with_additions_and_other_offsets() -> None:
    sent = examples.booking_appointment()
    returned = {**sent, "id": "a1", "start": "2025-05-01T10:00:00+01:00"}
    returned["participant"] = [{**sent["participant"][0], "type": [{"text": "added"}]}]
    check_keeps(sent, returned, "APPT-CREATE-05")


def test_a_lost_or_changed_element_fails() -> None:
    sent = {**examples.booking_appointment(), "comment": "please call"}
    returned = {k: v for k, v in sent.items() if k != "comment"}
    returned["slot"] = [{"reference": "Slot/other"}]
    with pytest.raises(CheckFailed) as raised:
        check_keeps(sent, returned, "APPT-CREATE-05")
    assert {finding.expected.split(" ")[0] for finding in raised.value.findings} == {"comment", "slot"}


def test_contains_keeps_list_length_and_order() -> None:
    assert contains([{"a": 1, "b": 2}], [{"a": 1}])
    assert not contains([{"a": 1}, {"a": 2}], [{"a": 1}])
    assert not contains({"a": [1, 2]}, {"a": [2, 1]})


# -- slot search variants --------------------------------------------------------------------------
BASE = examples.EXAMPLE_BASE


def test_asked_includes_present_and_others_advisory() -> None:
    bundle = examples.slot_search_bundle(2)
    check_asked_includes(bundle, slot_variants.SLOT_INCLUDES, BASE, "SLOT-05")
    with evaluation() as judged:
        check_asked_includes(bundle, (), BASE, "SLOT-05")
    assert len(judged.advisories) == 6  # every include is there although none was asked for
    slots_only = examples.searchset([examples.slot(1)])
    with pytest.raises(CheckFailed) as raised:
        check_asked_includes(slots_only, ("Slot:schedule",), BASE, "SLOT-05")
    assert requirements(raised) == ["SLOT-05"]


def test_a_search_leaving_something_out_must_still_return_the_known_free_slot() -> None:
    """Observed: an empty searchset passed SLOT-05 for every search that left something out."""
    known = examples.slot(1)
    check_known_slot_returned(examples.searchset([examples.slot(2), known]), known, "SLOT-05")
    for answer in (examples.searchset([]), examples.searchset([examples.slot(2)])):
        with pytest.raises(CheckFailed) as raised:
            check_known_slot_returned(answer, known, "SLOT-05")
        assert requirements(raised) == ["SLOT-05"]
    paged = {**examples.searchset([examples.slot(2)]), "link": [{"relation": "next", "url": f"{BASE}/Slot?page=2"}]}
    with pytest.raises(NotTestable):
        check_known_slot_returned(paged, known, "SLOT-05")


def test_statuses_and_the_booked_slot() -> None:
    busy = {**examples.slot(1), "status": "busy"}
    check_statuses(examples.searchset([busy]), ["busy"], "slot001", "SLOT-06")
    with pytest.raises(CheckFailed):
        check_statuses(examples.searchset([examples.slot(2)]), ["busy"], "slot001", "SLOT-06")


def test_no_matches() -> None:
    check_no_matches(examples.searchset([]), "Slot", "SLOT-01")
    with pytest.raises(CheckFailed):
        check_no_matches(examples.searchset([examples.slot(1)]), "Slot", "SLOT-01")


WINDOW = SlotWindow.ahead(datetime(2026, 5, 1, 9, tzinfo=UTC), 1)


@pytest.mark.parametrize("name", sorted(slot_variants.EDITION_VARIANTS))
def test_each_edition_variant_changes_the_query_and_has_an_answer_per_edition(name: str) -> None:
    for edition in ("1", "2"):
        query, pinned = slot_variants.edition_variant(WINDOW, "918999198999", name, edition)
        assert query != WINDOW.query("918999198999")
        assert pinned.statuses and pinned.why
    assert slot_variants.EDITION_VARIANTS[name].answers["1"] != slot_variants.EDITION_VARIANTS[name].answers["2"]


def test_starts_without_time_or_offset() -> None:
    no_time, _ = slot_variants.edition_variant(WINDOW, "s", "a start without a time", "1")
    no_zone, _ = slot_variants.edition_variant(WINDOW, "s", "a start without a time-zone offset", "1")
    assert [v for n, v in no_time if n == "start"] == ["ge2026-05-01", "le2026-05-02"]
    assert [v for n, v in no_zone if n == "start"] == ["ge2026-05-01T09:00:00", "le2026-05-02T09:00:00"]
    bad = slot_variants.bad_start(WINDOW, "s", "a start with an unknown prefix")
    assert [v[:2] for n, v in bad if n == "start"] == ["zz", "zz"]
    # eq is a FHIR date prefix the Booking pages neither name nor forbid: no status can be pinned for it.
    assert "a start with the prefix eq" not in slot_variants.BAD_STARTS


# -- X-Request-ID ----------------------------------------------------------------------------------
SENT = [("X-Request-ID", "client-1")]


def test_request_ids_echoed() -> None:
    check_request_ids(response(201, {}, {"X-Request-ID": "client-1"}, SENT))
    check_request_ids(response(201, {}, {"X-Request-ID": "own", "X-Correlation-ID": "client-1"}, SENT))
    with pytest.raises(CheckFailed):
        check_request_ids(response(201, {}, {"X-Request-ID": "own"}, SENT))
    with pytest.raises(CheckFailed):
        check_request_ids(response(201, {}, {}, SENT))


def test_the_tkw_pack_wants_the_request_id_echoed_as_correlation_id_every_time() -> None:
    check_correlation_echoed(response(201, {}, {"X-Request-ID": "own", "X-Correlation-ID": "client-1"}, SENT))
    check_correlation_echoed(response(200, {}, {"X-Correlation-ID": "client-1"}, SENT))
    for answered in ({"X-Request-ID": "client-1"}, {"X-Correlation-ID": "client-2"}, {}):
        # The page allows the first (the server kept the client's id); the pack does not.
        with pytest.raises(CheckFailed) as raised:
            check_correlation_echoed(response(201, {}, answered, SENT))
        assert requirements(raised) == ["TKW-CORR-01"]
        assert "client-1" in raised.value.findings[0].expected


def test_no_request_id_sent_is_the_harness_s_problem_not_the_target_s() -> None:
    with pytest.raises(HarnessError):
        check_correlation_echoed(response(201, {}, {"X-Correlation-ID": "client-1"}, []))


def test_busy_searches_are_answered_as_the_spec_choice_says() -> None:
    assert slot_variants.status_answer("edition", "1").statuses == {200, 400}
    assert slot_variants.status_answer("edition", "2").statuses == {200}
    assert slot_variants.status_answer("supported", "1").statuses == {200}
    assert slot_variants.status_answer("refused", "1").statuses == {400}
    assert "busy_search = refused" in slot_variants.status_answer("refused", "1").why
