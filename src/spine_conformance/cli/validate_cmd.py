"""``spine-conformance validate``: FHIR resources through the built-in or a remote $validate."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import httpx
from rich.markup import escape

from spine_conformance.cli.common import EXIT_FAILED, EXIT_OK, UsageProblem, optional_config, stdout
from spine_conformance.config.model import TargetConfig
from spine_conformance.fhir import validate_resource
from spine_conformance.fhir.outcome import RULE_SOURCE_PREFIX, Issue
from spine_conformance.http import tls_context

SEVERITY_STYLE = {"fatal": "bold red", "error": "red", "warning": "yellow", "information": "cyan"}


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("validate", help="validate FHIR resources")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--endpoint", help="remote FHIR base; POSTs each file to [base]/[type]/$validate")
    parser.add_argument("--config", help="target TOML for TLS settings when using --endpoint")
    parser.set_defaults(handler=validate)


def validate(args: argparse.Namespace) -> int:
    unreadable = [name for name in args.files if not Path(name).is_file()]
    if unreadable:
        raise UsageProblem("cannot read: " + ", ".join(unreadable))
    config = optional_config(args.config) or TargetConfig()
    all_ok = True
    for name in args.files:
        raw = Path(name).read_bytes()
        ok, issues = _remote(raw, args.endpoint, config) if args.endpoint else _local(raw)
        all_ok &= ok
        stdout.print(f"{'[green]valid[/]' if ok else '[bold red]invalid[/]'} {escape(name)}", markup=True)
        for issue in issues:
            style = SEVERITY_STYLE.get(issue.severity, "")
            where = f"{issue.expression}: " if issue.expression else ""
            stdout.print(f"  [{style}]{issue.severity}[/] {issue.code} ", markup=True, end="")
            stdout.print(f"{where}{issue.diagnostics}", markup=False)
            if issue.source:  # the published rule, so a reader can check the verdict
                stdout.print(f"    rule: {issue.source}", markup=False, style="dim")
    return EXIT_OK if all_ok else EXIT_FAILED


def _local(raw: bytes) -> tuple[bool, list[Issue]]:
    result = validate_resource(raw)
    return result.ok, list(result.issues)


def _remote(raw: bytes, endpoint: str, config: TargetConfig) -> tuple[bool, list[Issue]]:
    try:
        resource_type = json.loads(raw).get("resourceType", "")
    except (ValueError, AttributeError):
        return _local(raw)  # not JSON: the local validator says why
    url = f"{endpoint.rstrip('/')}/{resource_type}/$validate"
    try:
        response = httpx.post(
            url,
            content=raw,
            headers={"Content-Type": "application/fhir+json"},
            verify=tls_context(config.tls),
            timeout=config.http.timeout_s,
        )
    except httpx.HTTPError as exc:
        raise UsageProblem(f"{url}: {exc}") from None
    try:
        body = response.json()
    except ValueError:
        return False, [Issue("fatal", "exception", f"{url} answered {response.status_code} without JSON")]
    issues = (
        [
            Issue(
                str(i.get("severity", "")),
                str(i.get("code", "")),
                str(i.get("diagnostics", "")),
                ", ".join(i.get("expression") or i.get("location") or []),
                source=_cited_source(i),
            )
            for i in body.get("issue", [])
            if isinstance(i, dict)
        ]
        if isinstance(body, dict)
        else []
    )
    ok = response.is_success and not any(i.severity in ("fatal", "error") for i in issues)
    return ok, issues


def _cited_source(issue: dict[str, Any]) -> str:
    """The rule source our own $validate puts in issue.details.text ("" from other validators)."""
    details = issue.get("details")
    text = details.get("text") if isinstance(details, dict) else None
    return (
        text.removeprefix(RULE_SOURCE_PREFIX) if isinstance(text, str) and text.startswith(RULE_SOURCE_PREFIX) else ""
    )
