"""Allure results that are safe the moment they reach the disk.

allure-pytest-bdd records every argument of a step function as a parameter, including fixtures
(the target configuration, whole HTTP responses with their tokens), and writes each result as
its test ends. :class:`RedactingFileLogger` takes the place of its file writer: only the
arguments parsed from the step text are kept and every string is passed through the run's
redactor *before* it is written, so an interrupted or killed run leaves nothing in clear.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import allure_commons
from allure_commons.logger import AllureFileLogger
from attr import asdict

from spine_conformance.redact import Redactor

# The names steps parse out of their text (parsers.parse placeholders); a unit test keeps this complete.
STEP_ARGUMENTS = frozenset(
    {"defect", "field", "element", "status", "requirement", "count", "which", "task", "verb", "age", "answer"}
    # the HTTP and FHIR REST layer's steps
    | {"content_type", "fmt", "path", "preference", "profile", "statuses", "what", "wanted"}
    | {"state", "endpoint", "presented"}
    | {"interaction", "route", "part", "statuses", "resource_type"}
)
TEXT_ATTACHMENT_SUFFIXES = (".json", ".txt", ".csv", ".log", ".xml", ".html")
# Allure's own statuses: "failed" is an assertion the target broke, "broken" any other exception,
# which here is always a problem of the run (HarnessError, a defect in a step), never the target's.
CATEGORIES = [
    {"name": "Target failures: a requirement was broken", "matchedStatuses": ["failed"]},
    {"name": "Run errors: the run could not judge (not the target's fault)", "matchedStatuses": ["broken"]},
    {"name": "Not tested", "matchedStatuses": ["skipped"]},
]


def _clean_steps(steps: list[dict[str, Any]]) -> None:
    for step in steps:
        step["parameters"] = [p for p in step.get("parameters", []) if p.get("name") in STEP_ARGUMENTS]
        _clean_steps(step.get("steps", []))


def safe_document(document: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """A result or container with fixture parameters dropped and every string redacted."""
    _clean_steps(document.get("steps", []))
    cleaned: dict[str, Any] = redactor.data(document)
    return cleaned


class RedactingFileLogger(AllureFileLogger):
    """allure-commons' file writer, redacting as it writes (attachments too)."""

    def __init__(self, report_dir: Path, redactor: Redactor, replaces: tuple[AllureFileLogger, ...] = ()) -> None:
        super().__init__(str(report_dir), clean=False)  # type: ignore[no-untyped-call]
        self.redactor = redactor
        # The writers it stands in for: put back when it is removed, for allure's own clean-up.
        self.replaces = replaces

    def _report_item(self, item: Any) -> None:
        data = safe_document(asdict(item, filter=lambda _, value: value or value is False), self.redactor)
        final = self._report_dir / item.file_pattern.format(prefix=uuid.uuid4())
        _write_atomically(final, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @allure_commons.hookimpl
    def report_attached_data(self, body: str | bytes, file_name: str) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        _write_atomically(self._report_dir / file_name, self._redacted(file_name, data))

    @allure_commons.hookimpl
    def report_attached_file(self, source: str, file_name: str) -> None:
        _write_atomically(self._report_dir / file_name, self._redacted(file_name, Path(source).read_bytes()))

    def _redacted(self, file_name: str, data: bytes) -> bytes:
        if not file_name.endswith(TEXT_ATTACHMENT_SUFFIXES):
            return data
        return self.redactor.text(data.decode("utf-8", errors="replace")).encode("utf-8")


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def install_redacting_logger(redactor: Redactor) -> RedactingFileLogger | None:
    """Replace allure's file writer (registered by its pytest plugin) with the redacting one."""
    plain = [p for p in allure_commons.plugin_manager.get_plugins() if type(p) is AllureFileLogger]
    if not plain:
        return None
    logger = RedactingFileLogger(plain[0]._report_dir, redactor, tuple(plain))
    for writer in plain:
        allure_commons.plugin_manager.unregister(writer)
    allure_commons.plugin_manager.register(logger)
    return logger


def uninstall(logger: RedactingFileLogger) -> None:
    """Undo :func:`install_redacting_logger`; allure's own clean-up then unregisters its writer."""
    if allure_commons.plugin_manager.is_registered(logger):
        allure_commons.plugin_manager.unregister(logger)
    for writer in logger.replaces:
        if not allure_commons.plugin_manager.is_registered(writer):
            allure_commons.plugin_manager.register(writer)


def write_categories(directory: Path) -> None:
    (directory / "categories.json").write_text(json.dumps(CATEGORIES, indent=2) + "\n", "utf-8")


def environment_properties(results: dict[str, Any]) -> str:
    """Allure's Environment panel: what was tested, by whom, with which harness (Java properties)."""
    identification = results.get("identification", {})
    rows = {
        "Verdict": results["verdict"]["status"],
        "Target": results["target"]["name"],
        "System": " ".join(filter(None, [identification.get("system"), identification.get("system_version")])),
        "Tester": identification.get("tester", ""),
        "Environment": identification.get("environment", ""),
        "Run id": identification.get("run_id", ""),
        "Suites": ", ".join(results["target"]["suites"]),
        "Harness": f"{results['tool']['name']} {results['tool']['version']}",
        "Requirement catalogue": results["tool"].get("catalogue_version", ""),
        "Redaction": "on" if results.get("redacted", True) else "OFF",
        "TLS verification": "on" if results["target"].get("tls_verify", True) else "OFF",
    }
    for party in identification.get("parties", []):
        detail = " ".join(f"{key}={party[key]}" for key in ("url", "asid", "ods_code") if party.get(key))
        rows[f"Endpoint {party['role']}"] = detail
    return "".join(
        f"{_escape_property(key, key=True)}={_escape_property(value)}\n" for key, value in rows.items() if value
    )


def _escape_property(text: str, key: bool = False) -> str:
    """Java .properties escaping: separators only in keys, a leading space, line breaks, non-ASCII."""
    out = []
    for index, char in enumerate(text):
        if char == "\\" or (key and char in "=: #!") or (char == " " and index == 0):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif ord(char) > 0x7E or ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def executor(results: dict[str, Any]) -> dict[str, Any]:
    """Allure's Executor panel: this harness, and the run as its 'build'."""
    run_id = results.get("identification", {}).get("run_id", "")
    return {
        "name": "Spine Conformance",
        "type": "spine-conformance",
        "buildName": f"{results['target']['name']} · {run_id or results['started']}",
        "reportName": f"{results['verdict']['status']} — {results['target']['name']}",
        "reportUrl": "../report.html",
    }


def write_run_panels(directory: Path, results: dict[str, Any]) -> None:
    """environment.properties and executor.json, from results.json, into an allure-results folder."""
    (directory / "environment.properties").write_text(environment_properties(results), "ascii")
    (directory / "executor.json").write_text(json.dumps(executor(results), indent=2) + "\n", "utf-8")
