"""RTEC service steps about what its answers carry (RTEC-RES-05, RTEC-RES-06)."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, then, when

from spine_conformance.checks.rtec_answers import check_answer_bodies, check_token_challenge
from spine_conformance.config.model import TargetConfig
from spine_conformance.exemption import negative
from spine_conformance.exemption.client import RtecClient, exempt_request, not_exempt_request
from spine_conformance.http import HttpResponse

NO_TOKEN = "no token"


@pytest.fixture
def rtec_answers() -> list[HttpResponse]:
    return []


@when(
    parsers.parse("the client's check of the exempt patient presents {defect}"),
    target_fixture="refusal",
)
def refused_for_token(rtec: RtecClient, target: TargetConfig, defect: str) -> tuple[HttpResponse, bool]:
    authorization = negative.token_defect(target.consumer, rtec.url, defect)
    response = rtec.send(exempt_request(target), authorization=authorization, label=f"exemption search with {defect}")
    return response, defect != NO_TOKEN


@when("the client checks the exempt patient, the patient who has none, and a request without a surname")
def three_answers(rtec: RtecClient, target: TargetConfig, rtec_answers: list[HttpResponse]) -> None:
    rtec_answers.append(rtec.send(exempt_request(target), label="exemption search (exempt)"))
    rtec_answers.append(rtec.send(not_exempt_request(target), label="exemption search (not exempt)"))
    without = negative.without_field(exempt_request(target), "surname")
    rtec_answers.append(rtec.send(without, label="exemption search without surname"))


@then("the 401 answer carries a Bearer challenge and no body")
def bearer_challenge(refusal: tuple[HttpResponse, bool]) -> None:
    response, presented = refusal
    check_token_challenge(response, token_presented=presented)


@then("each answer carries a JSON body declared application/json, or none where errors.md documents none")
def documented_bodies(rtec_answers: list[HttpResponse]) -> None:
    check_answer_bodies(rtec_answers)
