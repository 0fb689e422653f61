"""What two of the reference consumer's fault modes remember between actions (in ``--state-dir``).

A conformant consumer remembers nothing here: it mints a new token for every request and checks
every prescription on its own. ``rtec-reused-token`` keeps its first token and sends it again while
it has not expired (RTEC-REQ-03: "a new JWT for each API request"); ``reuses-answer-for-patient``
keeps the answer of a patient's first prescription and applies it to their next one without
asking the service (RTEC-CLI-10, PEC-FR-31).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spine_conformance.consumer.output import Outcome
from spine_conformance.tokens import decode_unverified

if TYPE_CHECKING:
    from collections.abc import Collection

    from spine_conformance.consumer.exemption import ExemptionCheck
    from spine_conformance.consumer.policy import CheckedPrescriptions

TOKEN_FILE = "rtec-token.json"
ANSWERS_FILE = "answers-by-patient.json"
REUSE_FAULT = "reuses-answer-for-patient"


def reused_token(directory: Path, fresh: str, now: int) -> str:
    """The token kept from an earlier request while it is still valid, else ``fresh`` (kept from now on)."""
    path = directory / TOKEN_FILE
    kept = _read(path).get("token")
    if isinstance(kept, str):
        try:
            expires = int(decode_unverified(kept).claims.get("exp", 0))
        except (ValueError, TypeError):
            expires = 0
        if now < expires:
            return kept
    _write(path, {"token": fresh})
    return fresh


@dataclass(frozen=True)
class AnswersByPatient:
    path: Path

    def reuse(self, check: ExemptionCheck, faults: Collection[str]) -> Outcome | None:
        """Under the fault: the answer of this patient's earlier prescription, applied to this one."""
        if REUSE_FAULT not in faults:
            return None
        earlier = _read(self.path).get(check.nhs_number)
        if not isinstance(earlier, dict):
            return None
        fields = {key: value for key, value in earlier.items() if key != "status"}
        fields |= {"prescriptionId": check.prescription_id, "reused_from": earlier.get("prescriptionId")}
        human = f"exemption applied from the patient's earlier check: type {earlier.get('type')}"
        status = earlier.get("status")
        return Outcome("check-exemption", True, human, status if isinstance(status, int) else None, fields)

    def keep(self, check: ExemptionCheck, outcome: Outcome, faults: Collection[str]) -> None:
        if REUSE_FAULT not in faults or not outcome.fields.get("exempt"):
            return
        answers = _read(self.path)
        answers[check.nhs_number] = {
            **outcome.fields,
            "status": outcome.status,
            "prescriptionId": check.prescription_id,
        }
        _write(self.path, answers)


def answers_by_patient(state: CheckedPrescriptions) -> AnswersByPatient:
    return AnswersByPatient(state.directory / ANSWERS_FILE)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), "utf-8")
