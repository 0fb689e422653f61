"""``spine-conformance token``: print a spec-conformant JWT (and optionally its claims)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from spine_conformance.cli.common import EXIT_OK, UsageProblem, optional_config, plain
from spine_conformance.config.model import TargetConfig
from spine_conformance.interactions import Interaction, interaction_from_id
from spine_conformance.tokens import decode_unverified, mint_appointments_token, mint_rtec_token

RTEC = "rtec"


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser("token", help="print a spec-conformant JWT")
    parser.add_argument("--config", help="target TOML (consumer identity and audience)")
    parser.add_argument(
        "--for",
        dest="interaction",
        default=Interaction.READ_METADATA.value,
        help=f"interaction name ({', '.join(i.value for i in Interaction)}), "
        f"a full interaction ID, or '{RTEC}' for the exemption service",
    )
    parser.add_argument("--audience", help="override the aud claim (default: provider.base_url or exemption.url)")
    parser.add_argument("--decode", action="store_true", help="also print the decoded header and claims")
    parser.set_defaults(handler=token)


def _interaction(name: str, config: TargetConfig) -> Interaction:
    for interaction in Interaction:
        if name == interaction.value:
            return interaction
    found = interaction_from_id(name, config.spec.slot_interaction)
    if found is None:
        raise UsageProblem(
            f"--for {name}: not an interaction (use one of "
            f"{', '.join(i.value for i in Interaction)}, a full interaction ID, or {RTEC})"
        )
    return found


def token(args: argparse.Namespace) -> int:
    config = optional_config(args.config) or TargetConfig()
    if args.interaction == RTEC:
        audience = args.audience or config.exemption.url
        if not audience:
            raise UsageProblem("the RTEC token's aud is the endpoint URL: set exemption.url or pass --audience")
        jwt = mint_rtec_token(config.consumer, audience)
    else:
        interaction = _interaction(args.interaction, config)
        audience = args.audience or config.provider.base_url
        if not audience:
            raise UsageProblem(
                "the aud claim is the provider's FHIR base URL: set provider.base_url or pass --audience"
            )
        jwt = mint_appointments_token(config.consumer, audience, interaction)
    plain(jwt)
    if args.decode:
        decoded = decode_unverified(jwt)
        plain(json.dumps({"header": decoded.header, "claims": decoded.claims}, indent=2))
    return EXIT_OK
