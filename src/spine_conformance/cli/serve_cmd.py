"""``spine-conformance serve``: the embedded demonstrator, standalone, until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from pathlib import Path
from typing import Any

from spine_conformance.cli.common import EXIT_OK, UsageProblem, optional_config, plain, stdout
from spine_conformance.config import dump_toml
from spine_conformance.demonstrator.faults import FAULTS, UnknownFault


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("serve", help="run the demonstrator standalone")
    parser.add_argument("--config", help="take the [spec] choices from this target TOML")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="switch on a named deviation from the spec (repeatable); --fault list shows them",
    )
    parser.add_argument("--write-config", metavar="FILE", help="also write the target TOML to FILE")
    parser.add_argument(
        "--mutual-tls",
        action="store_true",
        help="the provider and SSP require a client certificate from the run CA (the target TOML carries one)",
    )
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    if "list" in args.fault:
        for fault in sorted(FAULTS.values(), key=lambda f: (f.component, f.name)):
            plain(f"{fault.name:40} {fault.component:10} violates {', '.join(fault.violates)}: {fault.description}")
        return EXIT_OK
    from spine_conformance.demonstrator.embedded import Demonstrator

    config = optional_config(args.config)
    try:
        demonstrator = Demonstrator(faults=args.fault, spec=config.spec if config else None, mutual_tls=args.mutual_tls)
    except UnknownFault as error:
        raise UsageProblem(str(error)) from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with demonstrator:
        stdout.print(f"provider  {demonstrator.provider_base_url}  (ASID {demonstrator.config.provider.asid})")
        stdout.print(f"SSP       {demonstrator.ssp_url}")
        stdout.print(f"validate  {demonstrator.validate_base_url}/<type>/$validate")
        stdout.print(f"CA        {demonstrator.certificates.ca_path}")
        if demonstrator.client_certificate is not None:
            stdout.print(f"client    {demonstrator.client_certificate.pem_path}  (mutual TLS: provider and SSP)")
        if args.fault:
            stdout.print(f"faults    {', '.join(sorted(args.fault))}")
        target_toml = dump_toml(demonstrator.config)
        if args.write_config:
            # Written whole then renamed, so a script waiting for the file never reads half of it.
            partial = Path(args.write_config + ".partial")
            partial.write_text(target_toml, "utf-8")
            partial.replace(args.write_config)
            stdout.print(f"target    {args.write_config}")
        stdout.print("\n# Target TOML for `spine-conformance run --config FILE`:")
        plain(target_toml)
        stdout.print("Serving; press Ctrl-C to stop.")
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    stdout.print("Stopped.")
    return EXIT_OK
